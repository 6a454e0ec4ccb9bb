//! `storydiff batch` through the binary: JSON Lines in and out, errors with line numbers.

use crate::{ok_output, storydiff};

/// A JSON Lines pile of `per` lightly edited copies of each fixture, dated.
fn copy_lines(per: usize) -> String {
    crate::pile::copy_pile(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), per, 7)
        .into_iter()
        .map(|(file, _, text)| {
            let outlet = file.trim_end_matches(".txt");
            let mut row = serde_json::json!({"id": file, "outlet": outlet, "text": text, "url": format!("https://example.org/{file}")});
            // A feed states its articles' dates: the day each fixture's path names.
            if let Some(day) = storydiff::ingest::path_date(&file) {
                row["date"] = day.into();
            }
            format!("{row}\n")
        })
        .collect()
}

fn lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn a_pile_read_back_from_its_file_gives_the_bytes_of_the_same_pile_on_stdin() {
    // Lines are read back from a named file by their byte offsets (standard input is copied
    // to a temporary file): CRLF line breaks and blank lines must not shift them.
    let input = copy_lines(3);
    let crlf = format!("\r\n{}", input.replace('\n', "\r\n\n"));
    let d = crate::bad_input::tempdir::Dir::new("batch-file");
    let path = d.path.join("pile.jsonl");
    std::fs::write(&path, &crlf).unwrap_or_else(|e| panic!("{e}"));
    let from_file = ok_output(storydiff().arg("batch").arg(&path));
    let from_stdin = ok_output(storydiff().arg("batch").write_stdin(input));
    assert_eq!(
        String::from_utf8_lossy(&from_file.stdout),
        String::from_utf8_lossy(&from_stdin.stdout)
    );
    assert!(lines(&from_file.stdout).len() > 2);
}

#[test]
fn a_copy_pile_on_stdin_gives_three_events_then_a_summary_and_the_same_bytes_twice() {
    let input = copy_lines(20);
    let out = ok_output(storydiff().arg("batch").write_stdin(input.clone()));
    let again = ok_output(storydiff().args(["batch", "-"]).write_stdin(input));
    assert_eq!(out.stdout, again.stdout);
    let v = lines(&out.stdout);
    let (summary, events) = v.split_last().unwrap_or_else(|| panic!("no output"));
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["articles"], 100);
    assert_eq!(summary["events"], 3);
    assert_eq!(summary["copies"], 95);
    let mut by_event: Vec<Vec<usize>> = events
        .iter()
        .map(|e| {
            assert_eq!(e["type"], "event");
            e["articles"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| {
                    let id = a["id"].as_str().unwrap_or("");
                    assert!(a["url"].as_str().is_some_and(|u| u.ends_with(id)), "{a}");
                    crate::pile::fixture_event(id.split('-').next().unwrap_or(""))
                })
                .collect()
        })
        .collect();
    for e in &mut by_event {
        e.dedup();
    }
    by_event.sort();
    assert_eq!(by_event, vec![vec![0], vec![1], vec![2]]);
    // The Jan-14 event compares its three originals: a JSON report with findings.
    let jan14 = events
        .iter()
        .find(|e| e["group"]["copies"].as_array().map_or(0, Vec::len) == 3)
        .unwrap_or_else(|| panic!("no event with three copy clusters"));
    assert_eq!(
        jan14["report"]["articles"].as_array().map_or(0, Vec::len),
        3
    );
    assert!(jan14["report"]["findings"].is_array());
    for e in events
        .iter()
        .filter(|e| e["group"]["copies"].as_array().map_or(0, Vec::len) == 1)
    {
        assert!(e["report"].is_null(), "one original: nothing to compare");
    }
}

#[test]
fn keys_are_one_line_per_article() {
    let out = ok_output(
        storydiff()
            .args(["batch", "--keys"])
            .write_stdin(copy_lines(2)),
    );
    let v = lines(&out.stdout);
    assert_eq!(v.len(), 11);
    assert!(v[..10]
        .iter()
        .all(|l| l["keys"].as_array().is_some_and(|k| !k.is_empty())));
    assert_eq!(v[10]["type"], "summary");
}

#[test]
fn a_malformed_line_is_exit_2_with_file_and_line() {
    let d = std::env::temp_dir().join(format!("storydiff-batch-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&d);
    let f = d.join("pile.jsonl");
    let good = r#"{"id":"a","outlet":"x","text":"Lavrov met Blinken in Geneva."}"#;
    std::fs::write(
        &f,
        format!("{good}\n{{\"id\": 3, \"outlet\": \"y\", \"text\": \"t\"}}\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = storydiff()
        .arg("batch")
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&d);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "storydiff: error: {}:2: not an article: invalid type: integer `3`",
            f.display()
        )),
        "{err}"
    );
    let missing = storydiff()
        .args(["batch", "/nonexistent/pile.jsonl"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "storydiff: error: /nonexistent/pile.jsonl: no such file\n"
    );
}

/// `batch --scorer semantic` aligns each event with the model, and says so in its report;
/// without the flag a batch stays lexical.
#[test]
fn batch_aligns_with_the_model_when_asked() {
    let input = copy_lines(2);
    let scorers = |args: &[&str]| -> Vec<String> {
        let out = ok_output(
            storydiff()
                .arg("batch")
                .args(args)
                .write_stdin(input.clone()),
        );
        lines(&out.stdout)
            .iter()
            .filter(|e| e["type"] == "event" && e["report"].is_object())
            .map(|e| e["report"]["scorer"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let lexical = scorers(&[]);
    assert!(!lexical.is_empty());
    assert!(lexical.iter().all(|s| s == "lexical"), "{lexical:?}");
    let semantic = scorers(&["--scorer", "semantic"]);
    assert_eq!(semantic.len(), lexical.len());
    assert!(
        semantic.iter().all(|s| s.starts_with("semantic")),
        "{semantic:?}"
    );
}
