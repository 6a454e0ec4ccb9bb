//! Event grouping through the binary: directory walk, order independence, determinism, JSON.

use std::path::PathBuf;

use crate::{fixture, ok_output, storydiff};

fn groups_json(args: &[&str]) -> serde_json::Value {
    let out = ok_output(
        storydiff()
            .arg("group")
            .args(["--format", "json"])
            .args(args),
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

/// Groups as sorted lists of file names, sorted.
fn partition(v: &serde_json::Value) -> Vec<Vec<String>> {
    let mut g: Vec<Vec<String>> = v["events"]
        .as_array()
        .map(|evs| {
            evs.iter()
                .map(|e| {
                    let mut m: Vec<String> = e["paths"]
                        .as_array()
                        .map(|p| {
                            p.iter()
                                .filter_map(|x| x.as_str())
                                .map(|x| x.rsplit('/').next().unwrap_or(x).to_string())
                                .collect()
                        })
                        .unwrap_or_default();
                    m.sort();
                    m
                })
                .collect()
        })
        .unwrap_or_default();
    g.sort();
    g
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("storydiff-group-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
    d
}

#[test]
fn directories_are_walked_sorted_with_hidden_and_other_files_skipped() {
    let d = temp_dir("walk");
    std::fs::create_dir_all(d.join("sub")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(d.join(".hidden")).unwrap_or_else(|e| panic!("{e}"));
    for (name, src) in [
        ("b.txt", "lavrov-2022-01-14/kuna.txt"),
        ("sub/a.md", "lavrov-2022-01-14/epa.txt"),
        (".secret.txt", "lavrov-2022-01-14/brasov.txt"),
        (".hidden/c.txt", "lavrov-2022-01-14/brasov.txt"),
        ("notes.json", "lavrov-2022-01-14/brasov.txt"),
        ("sub/readme.txt", "lavrov-2022-01-14/brasov.txt"),
        ("LICENSE.md", "lavrov-2022-01-14/brasov.txt"),
    ] {
        std::fs::copy(fixture(src), d.join(name)).unwrap_or_else(|e| panic!("{e}"));
    }
    let v = groups_json(&[&d.to_string_lossy()]);
    let _ = std::fs::remove_dir_all(&d);
    assert_eq!(v["articles"], 2);
    let paths: Vec<String> = v["events"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["paths"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| {
            p.as_str()
                .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
        })
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(sorted, vec!["a.md", "b.txt"]);
}

#[test]
fn shuffled_inputs_give_the_same_groups_and_reruns_the_same_bytes() {
    let files = [
        fixture("lavrov-2022-01-14/kuna.txt"),
        fixture("other-events/nato-russia-council-2022-01-12.txt"),
        fixture("lavrov-2022-01-14/epa.txt"),
        fixture("other-events/aa-lavrov-reports-to-putin-2022-02-14.txt"),
        fixture("lavrov-2022-01-14/brasov.txt"),
    ];
    let f: Vec<&str> = files.iter().map(String::as_str).collect();
    let reference = partition(&groups_json(&f));
    for order in [[4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [1, 4, 0, 3, 2]] {
        let shuffled: Vec<&str> = order.iter().map(|&i| f[i]).collect();
        assert_eq!(partition(&groups_json(&shuffled)), reference, "{order:?}");
    }
    let run = || crate::ok_output(storydiff().arg("group").args(&f)).stdout;
    let first = run();
    assert!(!first.is_empty());
    assert_eq!(first, run());
}

#[test]
fn threshold_extremes_and_event_fields() {
    let f = [
        fixture("lavrov-2022-01-14/kuna.txt"),
        fixture("lavrov-2022-01-14/brasov.txt"),
        fixture("lavrov-2022-01-14/epa.txt"),
    ];
    let args = |t: &str| -> Vec<String> {
        let mut v = vec!["--min-similarity".to_string(), t.to_string()];
        v.extend(f.iter().cloned());
        v
    };
    let all: Vec<String> = args("0.0");
    let one = groups_json(&all.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(one["events"].as_array().map(Vec::len), Some(1));
    let none: Vec<String> = args("1.0");
    let sep = groups_json(&none.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(sep["events"].as_array().map(Vec::len), Some(3));
    let e = &one["events"][0];
    assert!(e["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(e["cohesion"].as_f64().is_some_and(|c| c > 0.0 && c <= 1.0));
    assert!(e["key_terms"].as_array().is_some_and(|k| !k.is_empty()));
    assert!(e["dates"]
        .as_array()
        .is_some_and(|d| d.iter().any(|x| x == "friday")));
}

#[test]
fn compare_by_event_compares_inside_groups_only() {
    let out = storydiff()
        .args([
            "compare",
            "--by-event",
            "--min-similarity",
            "0.0",
            "--format",
            "json",
        ])
        .arg(fixture("lavrov-2022-01-14"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["events"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        v["events"][0]["report"]["comparisons"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    for fmt in ["terminal", "checklist", "html"] {
        let out = storydiff()
            .args([
                "compare",
                "--by-event",
                "--min-similarity",
                "0.0",
                "--format",
                fmt,
            ])
            .args(if fmt == "terminal" {
                &["--color", "never"][..]
            } else {
                &[]
            })
            .arg(fixture("lavrov-2022-01-14"))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(0), "{fmt}");
        assert!(!out.stdout.is_empty());
    }
}

#[test]
fn the_five_seeds_form_three_events_with_the_default_threshold() {
    let v = groups_json(&[&fixture("lavrov-2022-01-14"), &fixture("other-events")]);
    assert_eq!(
        partition(&v),
        vec![
            vec!["aa-lavrov-reports-to-putin-2022-02-14.txt".to_string()],
            vec![
                "brasov.txt".to_string(),
                "epa.txt".to_string(),
                "kuna.txt".to_string()
            ],
            vec!["nato-russia-council-2022-01-12.txt".to_string()],
        ]
    );
}

#[test]
fn the_fixtures_folder_groups_its_articles_and_leaves_its_readme_out() {
    let out = ok_output(
        storydiff()
            .arg("group")
            .args(["--format", "json"])
            .arg(fixture("")),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("README.md is folder documentation, not an article"),
        "{stderr}"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["articles"], 5);
    assert_eq!(
        partition(&v),
        partition(&groups_json(&[
            &fixture("lavrov-2022-01-14"),
            &fixture("other-events")
        ]))
    );
    // Named directly, a README is read like any article.
    let named = groups_json(&[
        &fixture("README.md"),
        &fixture("lavrov-2022-01-14/kuna.txt"),
    ]);
    assert_eq!(named["articles"], 2);
}

#[test]
fn same_file_names_in_same_named_folders_get_distinct_labels() {
    let d = temp_dir("labels");
    for sub in ["a/x", "b/x"] {
        std::fs::create_dir_all(d.join(sub)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(
            fixture("lavrov-2022-01-14/kuna.txt"),
            d.join(sub).join("k.txt"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let v = groups_json(&[&d.to_string_lossy()]);
    let mut labels: Vec<String> = v["events"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["labels"].as_array().cloned().unwrap_or_default())
        .filter_map(|l| l.as_str().map(str::to_string))
        .collect();
    labels.sort();
    assert_eq!(labels, ["x/k", "x/k-2"]);
}

#[test]
fn a_non_utf8_file_name_is_skipped_with_a_clear_warning() {
    use std::os::unix::ffi::OsStrExt;
    let d = temp_dir("utf8name");
    let bad = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::copy(fixture("lavrov-2022-01-14/kuna.txt"), d.join(bad))
        .unwrap_or_else(|e| panic!("{e}"));
    for o in ["epa", "brasov"] {
        std::fs::copy(
            fixture(&format!("lavrov-2022-01-14/{o}.txt")),
            d.join(format!("{o}.txt")),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = crate::ok_output(storydiff().args(["group", "--format", "json"]).arg(&d));
    let _ = std::fs::remove_dir_all(&d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("file name is not valid UTF-8 (skipped") && !err.contains("no such file"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["articles"], 2);
}

/// Write a generated copy pile into a fresh folder; returns the folder and the fixture each
/// file copies.
fn write_copy_pile(tag: &str, per: usize) -> (PathBuf, std::collections::BTreeMap<String, String>) {
    let d = temp_dir(tag);
    let mut gold = std::collections::BTreeMap::new();
    for (file, fixture_name, text) in
        crate::pile::copy_pile(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), per, 16)
    {
        std::fs::write(d.join(&file), text).unwrap_or_else(|e| panic!("{e}"));
        gold.insert(file, fixture_name);
    }
    (d, gold)
}

#[test]
fn two_thousand_copies_of_the_five_fixtures_form_three_events_with_copies_reported() {
    let (d, gold) = write_copy_pile("copies2000", 400);
    let v = groups_json(&[&d.to_string_lossy()]);
    let _ = std::fs::remove_dir_all(&d);
    assert_eq!(v["version"], 2);
    assert_eq!(v["articles"], 2000);
    let name = |p: &serde_json::Value| {
        let s = p.as_str().unwrap_or("");
        s.rsplit('/').next().unwrap_or(s).to_string()
    };
    let events = v["events"].as_array().cloned().unwrap_or_default();
    let clusters: Vec<Vec<usize>> = events
        .iter()
        .map(|e| {
            e["paths"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| crate::pile::fixture_event(&gold[&name(p)]))
                .collect()
        })
        .collect();
    let (p, r, f1) = crate::pile::bcubed(&clusters);
    assert!(f1 >= 0.99, "B-cubed P {p:.4} R {r:.4} F1 {f1:.4}");
    assert_eq!(events.len(), 3, "{clusters:?}");
    // Every copy is reported as a copy of an article copying the same fixture, and each
    // fixture's 400 articles form one copy cluster.
    let mut reported = 0;
    for e in &events {
        let paths: Vec<String> = e["paths"]
            .as_array()
            .into_iter()
            .flatten()
            .map(name)
            .collect();
        for c in e["copies"].as_array().into_iter().flatten() {
            let original = &paths[e["members"]
                .as_array()
                .and_then(|m| m.iter().position(|x| *x == c["original"]))
                .unwrap_or_else(|| panic!("original not a member: {c}"))];
            let copies = c["copies"].as_array().cloned().unwrap_or_default();
            assert_eq!(copies.len(), 399, "{original}");
            for x in &copies {
                let k = e["members"]
                    .as_array()
                    .and_then(|m| m.iter().position(|y| *y == x["member"]))
                    .unwrap_or_else(|| panic!("copy not a member: {x}"));
                assert_eq!(gold[&paths[k]], gold[original]);
                let sim = x["similarity"].as_f64().unwrap_or(0.0);
                assert!(sim > 0.5 && sim < 1.0, "{x}");
                reported += 1;
            }
        }
    }
    assert_eq!(reported, 1995);
    assert_eq!(v["copies"], 1995);
    assert_eq!(v["grouped"], 5);
}

#[test]
fn copies_are_shown_in_the_text_output_with_their_original() {
    let (d, _) = write_copy_pile("copiestext", 3);
    let out = ok_output(storydiff().arg("group").arg(&d));
    let _ = std::fs::remove_dir_all(&d);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("10 articles are copies, folded into their original; events were grouped over 5 articles"),
        "{text}"
    );
    // The original of a cluster whose members share one date is the first in input (walk)
    // order.
    assert!(
        text.contains("copies: 2 of brasov-2022-01-14-copy0001 (the earliest, 2022-01-14)"),
        "{text}"
    );
    assert!(
        text.contains(
            "brasov-2022-01-14-copy0002.txt  (copy of brasov-2022-01-14-copy0001: similarity"
        ),
        "{text}"
    );
}

/// The seeds' events as sorted file-name lists, and whether any of them took in an article
/// that is not a seed.
fn seed_events(v: &serde_json::Value) -> (Vec<Vec<String>>, bool) {
    let seeds = [
        "aa-lavrov-reports-to-putin-2022-02-14.txt",
        "brasov.txt",
        "epa.txt",
        "kuna.txt",
        "nato-russia-council-2022-01-12.txt",
    ];
    let mut mixed = false;
    let mut out = Vec::new();
    for event in partition(v) {
        let (ours, others): (Vec<String>, Vec<String>) =
            event.into_iter().partition(|m| seeds.contains(&m.as_str()));
        if !ours.is_empty() {
            mixed |= !others.is_empty();
            out.push(ours);
        }
    }
    out.sort();
    (out, mixed)
}

/// Writes every news_ecb TEST document into `dir` as `<id>.txt`, under a folder per topic.
fn write_news_ecb_test(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut topics = Vec::new();
    for (topic, docs) in crate::graph::news_ecb_test_piles() {
        let t = dir.join(topic.to_string());
        std::fs::create_dir_all(&t).unwrap_or_else(|e| panic!("{e}"));
        for (id, body) in docs {
            std::fs::write(t.join(format!("{id}.txt")), body).unwrap_or_else(|e| panic!("{e}"));
        }
        topics.push(t);
    }
    topics
}

/// More files never make grouping worse: the seeds' partition is the same alone, with the web
/// pages about an unrelated harbour fire (copies included), with the 270 news_ecb TEST
/// documents, and with both; no seed event takes in another article.
#[test]
fn unrelated_articles_never_change_the_seeds_events() {
    let seeds = [fixture("lavrov-2022-01-14"), fixture("other-events")];
    let web = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/web").to_string();
    let d = temp_dir("unrelated");
    write_news_ecb_test(&d);
    let ecb = d.to_string_lossy().to_string();
    let alone = seed_events(&groups_json(&[&seeds[0], &seeds[1]]));
    assert_eq!(alone.0.len(), 3, "{alone:?}");
    for extra in [vec![&web], vec![&ecb], vec![&web, &ecb]] {
        let mut args: Vec<&str> = vec![&seeds[0], &seeds[1]];
        args.extend(extra.iter().map(|s| s.as_str()));
        let with = seed_events(&groups_json(&args));
        assert_eq!(with, alone, "with {extra:?}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Fewer files never make it worse either: each news_ecb TEST topic (one event's coverage),
/// grouped alone, is one event.
#[test]
fn one_events_coverage_grouped_alone_is_one_event() {
    let d = temp_dir("topics");
    for topic in write_news_ecb_test(&d) {
        let v = groups_json(&[&topic.to_string_lossy()]);
        assert_eq!(
            v["events"].as_array().map(Vec::len),
            Some(1),
            "{}: {:?}",
            topic.display(),
            partition(&v)
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// Dates are evidence: the seeds copied where their paths name no date, one article given a
/// page date a month after the others' (a web page's stated publication date), do not group
/// it with them.
#[test]
fn a_page_published_a_month_later_is_another_event() {
    let d = temp_dir("dated");
    let text = |name: &str| {
        std::fs::read_to_string(fixture(&format!("lavrov-2022-01-14/{name}")))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let page = |date: &str, body: &str| {
        format!(
            "<html><head><meta property=\"article:published_time\" content=\"{date}\"></head><body><article>{}</article></body></html>",
            body.split("\n\n")
                .map(|p| format!("<p>{}</p>", p.replace('&', "&amp;").replace('<', "&lt;")))
                .collect::<String>()
        )
    };
    std::fs::write(
        d.join("kuna.html"),
        page("2022-01-14T10:00:00Z", &text("kuna.txt")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        d.join("epa.html"),
        page("2022-01-14T12:00:00Z", &text("epa.txt")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let together = partition(&groups_json(&[&d.to_string_lossy()]));
    assert_eq!(
        together,
        vec![vec!["epa.html".to_string(), "kuna.html".to_string()]]
    );
    std::fs::write(
        d.join("epa.html"),
        page("2022-02-14T12:00:00Z", &text("epa.txt")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let apart = partition(&groups_json(&[&d.to_string_lossy()]));
    assert_eq!(
        apart,
        vec![vec!["epa.html".to_string()], vec!["kuna.html".to_string()]]
    );
    let _ = std::fs::remove_dir_all(&d);
}
