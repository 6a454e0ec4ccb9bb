//! Trust: no control character reaches any output raw, diff marks cannot be forged with
//! colour off, dates are read only where they are dates, `batch` reads as strictly as
//! `compare`, and a report read back is checked before anything renders it.

use std::path::{Path, PathBuf};

use crate::bad_input::tempdir;
use crate::storydiff;

/// Every character that must never reach an output as it is: the C0 controls but NUL (a
/// NUL makes a file binary, refused), tab and line feed; DEL; the C1 block; bidirectional
/// overrides and isolates.
fn controls() -> String {
    let mut s: String = (1u32..0x20)
        .filter(|&c| c != 0x09 && c != 0x0a)
        .chain(0x7f..=0x9f)
        .chain([0x202e, 0x2066])
        .filter_map(char::from_u32)
        .collect();
    // The OSC 52 clipboard write of the issue, whole.
    s.push_str("\u{1b}]52;c;ZXZpbA==\u{7}");
    s
}

/// The raw control characters left in `bytes` (tab and line feed aside), as code points.
fn raw_controls(bytes: &[u8]) -> Vec<u32> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || storydiff::wire::is_format_control(c)
        })
        .map(u32::from)
        .collect()
}

/// A pile where controls sit in every place text can come from: the body (a headline, a
/// quote that becomes a finding, a number), a label, a file name, and a web page's title,
/// description and author.
fn hostile_pile(dir: &Path) -> Vec<(PathBuf, String)> {
    let c = controls();
    let a = format!(
        "Fire kills 12 in port town{c}\n\nThe fire {c} killed 12 people in the town on Tuesday, police said.\n\"We have never seen {c} anything like it,\" the mayor said.\nRescuers worked through the night{c}.\n"
    );
    let b = "Fire kills 13 in port town\n\nThe fire killed 13 people in the town on Tuesday, police said.\n\"We have never seen something like it,\" the mayor said.\nOnly this outlet says the port is closed.\n".to_string();
    let esc = |s: &str| -> String {
        s.chars()
            .map(|ch| {
                if ch.is_control() || storydiff::wire::is_format_control(ch) {
                    format!("&#{};", u32::from(ch))
                } else {
                    ch.to_string()
                }
            })
            .collect()
    };
    let page = format!(
        "<!doctype html><html><head><title>Port fire {t}</title><meta name=\"description\" content=\"Fire {t}\"><meta name=\"author\" content=\"A. Writer {t}\"></head><body><article><h1>Fire kills 12 in port town {raw}</h1><p>The fire killed 12 people in the town on Tuesday, police said {t}.</p><p>Rescuers worked through the night.</p></article></body></html>",
        t = esc(&c),
        raw = c.replace('\u{1b}', "")
    );
    let name = format!("wire{}.txt", "\u{1b}]0;title\u{7}\u{9b}");
    let files = [
        (dir.join(name), a),
        (dir.join("regional.txt"), b),
        (dir.join("page.html"), page),
    ];
    for (p, text) in &files {
        std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    }
    let labels = [format!("wire{c}"), "regional".into(), format!("page{c}")];
    files
        .into_iter()
        .zip(labels)
        .map(|((p, _), l)| (p, l))
        .collect()
}

#[test]
fn no_control_character_reaches_any_output_from_any_place() {
    let dir = tempdir::Dir::new("controls");
    let pile = hostile_pile(&dir.path);
    let paths: Vec<&PathBuf> = pile.iter().map(|(p, _)| p).collect();
    let mut labelled: Vec<String> = Vec::new();
    for (_, l) in &pile {
        labelled.push("--label".into());
        labelled.push(l.clone());
    }
    let mut runs: Vec<(String, Vec<String>)> = Vec::new();
    for format in ["terminal", "json", "checklist", "html"] {
        for labels in [false, true] {
            let mut args: Vec<String> = vec!["compare".into(), "--format".into(), format.into()];
            if format == "terminal" {
                args.extend(["--color".into(), "never".into()]);
            }
            if labels {
                args.extend(labelled.iter().cloned());
            }
            runs.push((format!("{format}, labels {labels}"), args));
        }
    }
    for extra in [
        vec!["--layout", "side-by-side"],
        vec!["--stat"],
        vec!["--only", "findings"],
        vec!["--all-pairs"],
    ] {
        let mut args: Vec<String> = vec!["compare".into(), "--color".into(), "never".into()];
        args.extend(extra.iter().map(|s| s.to_string()));
        runs.push((format!("terminal {extra:?}"), args));
    }
    runs.push((
        "by-event".into(),
        vec!["compare".into(), "--by-event".into()],
    ));
    for f in ["terminal", "json", "html"] {
        runs.push((
            format!("by-event {f}"),
            vec![
                "compare".into(),
                "--by-event".into(),
                "--format".into(),
                f.into(),
            ],
        ));
    }
    runs.push(("group".into(), vec!["group".into()]));
    runs.push((
        "group json".into(),
        vec!["group".into(), "--format".into(), "json".into()],
    ));
    for (what, args) in &runs {
        let out = storydiff()
            .args(args)
            .args(&paths)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{what}: {out:?}"
        );
        assert_eq!(
            raw_controls(&out.stdout),
            Vec::<u32>::new(),
            "{what}: stdout"
        );
        assert_eq!(
            raw_controls(&out.stderr),
            Vec::<u32>::new(),
            "{what}: stderr"
        );
    }
    // With colour on, the only escapes are the palette's SGR sequences.
    let out = storydiff()
        .args(["compare", "--color", "always"])
        .args(&paths)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    for (k, _) in text.match_indices('\u{1b}') {
        let rest = &text[k + 1..];
        let sgr = rest.strip_prefix('[').is_some_and(|r| {
            let end = r.find(|c: char| !c.is_ascii_digit() && c != ';');
            end.is_some_and(|e| r[e..].starts_with('m'))
        });
        assert!(
            sgr,
            "a non-SGR escape at {k}: {:?}",
            &rest[..rest.len().min(20)]
        );
    }
    // Errors name the file, and its control characters are neutralised too.
    let missing = dir.path.join("gone\u{1b}]52;c;eA==\u{7}.txt");
    let out = storydiff()
        .arg("compare")
        .arg(&missing)
        .arg(paths[1])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(raw_controls(&out.stderr), Vec::<u32>::new());
    let out = storydiff()
        .args(["compare", "--format", "xml\u{1b}]52;c;eA==\u{7}"])
        .args(&paths)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(raw_controls(&out.stderr), Vec::<u32>::new());
}

#[test]
fn the_html_report_writes_no_raw_control_byte() {
    let dir = tempdir::Dir::new("html-osc");
    let (a, b) = (dir.path.join("ia.txt"), dir.path.join("ib.txt"));
    std::fs::write(
        &a,
        "The fire \u{1b}]52;c;ZXZpbA==\u{7} killed 12 people in the town.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&b, "The fire killed 13 people in the town.\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = crate::ok_output(
        storydiff()
            .args(["compare", "--format", "html"])
            .arg(&a)
            .arg(&b),
    );
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(!html.contains('\u{1b}') && !html.contains('\u{7}'));
    assert!(
        html.contains("The fire \u{FFFD}]52;c;ZXZpbA==\u{FFFD} killed 12 people in the town."),
        "the text is shown, its controls replaced"
    );
}

#[test]
fn diff_marks_in_article_text_are_escaped_in_every_row_and_layout() {
    let dir = tempdir::Dir::new("marks");
    let (a, b) = (dir.path.join("f1.txt"), dir.path.join("f2.txt"));
    std::fs::write(
        &a,
        "Police said [-nobody-]{+three people+} died in the fire.\nOnly here: the toll is [-7-]{+9+} now.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &b,
        "Police said [-nobody-]{+three people+} died in the fire.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = |layout: &str| {
        let out = crate::ok_output(
            storydiff()
                .args([
                    "compare", "--color", "never", "--width", "100", "--layout", layout,
                ])
                .arg(&a)
                .arg(&b),
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let inline = run("inline");
    let rows: Vec<&str> = inline
        .lines()
        .filter(|l| (l.starts_with("= ") || l.starts_with("- ")) && !l.starts_with("= identical"))
        .collect();
    assert_eq!(
        rows,
        vec![
            "= Police said [\\-nobody-\\]{\\+three people+\\} died in the fire.",
            "- Only here: the toll is [\\-7-\\]{\\+9+\\} now.",
        ]
    );
    let side = run("side-by-side");
    assert!(
        side.contains("= Police said [\\-nobody-\\]{\\+three people+\\}"),
        "{side}"
    );
    assert!(
        side.contains("- Only here: the toll is [\\-7-\\]{\\+9+\\} now."),
        "{side}"
    );
    for out in [&inline, &side] {
        for mark in ["[-", "-]", "{+", "+}"] {
            assert!(!out.contains(mark), "{mark} forged in:\n{out}");
        }
    }
}

#[test]
fn an_age_above_a_dateline_is_not_a_date() {
    let dir = tempdir::Dir::new("dateline");
    let (a, b) = (dir.path.join("d1.txt"), dir.path.join("d2.txt"));
    std::fs::write(
        &a,
        "Legendary Aquatic Musical Star Esther Williams Dies At 91\nJune 6th, 2013 7: 38pm EDT\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&b, "Esther Williams Dies At 91\nJune 7, 2013\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = crate::ok_output(
        storydiff()
            .args(["compare", "--format", "json"])
            .arg(&a)
            .arg(&b),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let sentences: Vec<&str> = v["articles"][0]["sentences"]
        .as_array()
        .map(|s| s.iter().filter_map(|x| x["text"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        sentences,
        vec![
            "Legendary Aquatic Musical Star Esther Williams Dies At 91",
            "June 6th, 2013 7: 38pm EDT"
        ]
    );
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    assert!(!kinds.contains(&"date-time"), "{kinds:?}");
}

/// Run `batch` on `input` (given as a file) and return its exit code and stderr.
fn batch_on(tag: &str, input: &[u8]) -> (Option<i32>, String, Vec<u8>) {
    let dir = tempdir::Dir::new(tag);
    let f = dir.path.join("pile.jsonl");
    std::fs::write(&f, input).unwrap_or_else(|e| panic!("{e}"));
    let out = storydiff()
        .arg("batch")
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr).replace(&f.display().to_string(), "PILE");
    (out.status.code(), err, out.stdout)
}

#[test]
fn batch_reads_as_strictly_as_compare() {
    let good = r#"{"id":"a","outlet":"x","text":"Lavrov met Blinken in Geneva on Friday."}"#;
    let cases: [(&str, String, &str); 4] = [
        (
            "array",
            format!("{good}\n[\"b\",\"y\",\"Lavrov met Blinken in Geneva.\"]\n"),
            "storydiff: error: PILE:2: not an article: expected a JSON object with \"id\", \"outlet\" and \"text\"\n",
        ),
        (
            "date",
            format!("{good}\n{{\"id\":\"b\",\"outlet\":\"y\",\"text\":\"Lavrov met Blinken.\",\"date\":\"2020-13-45\"}}\n"),
            "storydiff: error: PILE:2: \"date\" \"2020-13-45\" does not start with a valid ISO 8601 date (YYYY-MM-DD)\n",
        ),
        (
            "nul",
            format!("{good}\n{{\"id\":\"b\",\"outlet\":\"y\",\"text\":\"Lavrov\\u0000 met Blinken.\"}}\n"),
            "storydiff: error: PILE:2: \"text\": binary data (NUL byte at offset 6), expected UTF-8 text\n",
        ),
        (
            "leap",
            format!("{good}\n{{\"id\":\"b\",\"outlet\":\"y\",\"text\":\"Lavrov met Blinken.\",\"date\":\"2021-02-29\"}}\n"),
            "storydiff: error: PILE:2: \"date\" \"2021-02-29\" does not start with a valid ISO 8601 date (YYYY-MM-DD)\n",
        ),
    ];
    for (tag, input, expected) in cases {
        let (code, err, _) = batch_on(tag, input.as_bytes());
        assert_eq!(code, Some(2), "{tag}: {err}");
        assert_eq!(err, expected, "{tag}");
    }
    // Over the limit compare has for a file: refused with its line.
    let big = format!(
        "{good}\n{{\"id\":\"b\",\"outlet\":\"y\",\"text\":\"{}\"}}\n",
        "Lavrov met Blinken. ".repeat(1_000_000)
    );
    let (code, err, _) = batch_on("big", big.as_bytes());
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "storydiff: error: PILE:2: \"text\": too large (20000000 bytes, limit 16777216 bytes)\n"
    );
    // A byte-order mark opening the input is dropped, as compare drops one.
    let plain = format!("{good}\n{}\n", good.replace("\"a\"", "\"b\""));
    let (code, err, with_bom) = batch_on("bom", format!("\u{feff}{plain}").as_bytes());
    assert_eq!(code, Some(0), "{err}");
    let (_, _, without) = batch_on("nobom", plain.as_bytes());
    assert_eq!(with_bom, without);
}

#[test]
fn a_width_outside_the_range_is_refused() {
    let t = crate::trio();
    for w in ["5", "19", "1001", "wide"] {
        let out = storydiff()
            .args(["compare", "--width", w, &t[0], &t[1]])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(2), "{w}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!("error: invalid value '{w}' for '--width <N>': ")),
            "{err}"
        );
    }
}

/// The JSON report of the trio.
fn trio_report() -> String {
    let out = crate::ok_output(
        storydiff()
            .args(["compare", "--format", "json"])
            .args(crate::trio()),
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Run `storydiff render` on `report` in `format`; its exit code, stdout and stderr.
fn render(tag: &str, report: &str, format: &str) -> (Option<i32>, Vec<u8>, String) {
    let dir = tempdir::Dir::new(tag);
    let f = dir.path.join("report.json");
    std::fs::write(&f, report).unwrap_or_else(|e| panic!("{e}"));
    let out = storydiff()
        .args(["render", "--format", format])
        .arg(&f)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&out.stderr).replace(&f.display().to_string(), "REPORT");
    (out.status.code(), out.stdout, err)
}

#[test]
fn a_report_read_back_renders_as_compare_did() {
    let t = crate::trio();
    let json = trio_report();
    for format in ["terminal", "checklist", "html", "json"] {
        let direct = crate::ok_output(storydiff().args(["compare", "--format", format]).args(&t));
        let (code, again, err) = render(&format!("again-{format}"), &json, format);
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(again, direct.stdout, "{format}");
    }
}

#[test]
fn a_broken_report_is_refused_with_its_json_path() {
    let json = trio_report();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "truncated",
            json[..json.len() / 2].to_string(),
            "storydiff: error: REPORT: not a storydiff report: at ",
        ),
        ("version", {
            v["version"] = 4.into();
            serde_json::to_string(&v).unwrap_or_default()
        }, "storydiff: error: REPORT: not a storydiff report: at version: schema version 4 is not the version this build reads (5)\n"),
        ("link", {
            v["version"] = 5.into();
            v["comparisons"][0]["links"][0]["base"][0] = 999.into();
            serde_json::to_string(&v).unwrap_or_default()
        }, "storydiff: error: REPORT: not a storydiff report: at comparisons[0].links[0].base[0]: sentence 999 of \"kuna\" does not exist (it has 14)\n"),
    ];
    for (tag, report, expected) in cases {
        let (code, out, err) = render(tag, &report, "html");
        assert_eq!(code, Some(2), "{tag}: {err}");
        assert!(out.is_empty());
        assert!(err.starts_with(expected), "{tag}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// The paths of every number in `v` (indices, offsets, counts, the version).
fn number_paths(v: &serde_json::Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Number(_) => out.push(at.clone()),
        serde_json::Value::Array(a) => {
            for (k, x) in a.iter().enumerate() {
                at.push(k.to_string());
                number_paths(x, at, out);
                at.pop();
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                at.push(k.clone());
                number_paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// The trio's report as JSON, and the paths of its numbers.
fn trio_json() -> &'static (serde_json::Value, Vec<Vec<String>>) {
    static CELL: std::sync::OnceLock<(serde_json::Value, Vec<Vec<String>>)> =
        std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let articles = crate::trio().iter().map(|p| crate::load(p)).collect();
        let report = storydiff::Engine::default()
            .compare(articles)
            .unwrap_or_else(|e| panic!("{e}"));
        let json =
            storydiff::wire::to_safe_string(&storydiff::wire::ReportJson::from(&report), false)
                .unwrap_or_else(|e| panic!("{e}"));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        let mut paths = Vec::new();
        number_paths(&v, &mut Vec::new(), &mut paths);
        (v, paths)
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// A report whose numbers (indices, spans, the version) were changed is refused or
    /// renders in every format; it never panics.
    #[test]
    fn a_mutated_report_is_refused_or_rendered_never_a_panic(
        picks in proptest::collection::vec((0usize..100_000, 0u64..200), 1..4),
    ) {
        let (v, paths) = trio_json();
        let mut v = v.clone();
        for (k, value) in picks {
            let path = &paths[k % paths.len()];
            let mut at = &mut v;
            for p in path {
                at = match at {
                    serde_json::Value::Array(a) => &mut a[p.parse::<usize>().unwrap_or(0)],
                    other => &mut other[p.as_str()],
                };
            }
            *at = value.into();
        }
        let json = serde_json::to_string(&v).unwrap_or_default();
        if let Ok(report) = storydiff::wire::read(&json) {
            for format in [
                storydiff_render::Format::Terminal,
                storydiff_render::Format::Stat,
                storydiff_render::Format::Json,
                storydiff_render::Format::Checklist,
                storydiff_render::Format::Html,
            ] {
                for layout in [storydiff_render::Layout::Inline, storydiff_render::Layout::SideBySide] {
                    let opts = storydiff_render::RenderOptions { layout, ..Default::default() };
                    let mut out = Vec::new();
                    storydiff_render::render(&report, format, &opts, &mut out)
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
    }
}

#[test]
fn the_input_limit_is_said_where_a_user_looks() {
    assert_eq!(storydiff::ingest::MAX_INPUT_BYTES, 16 * 1024 * 1024);
    for args in [&["compare", "--help"][..], &["batch", "--help"], &["man"]] {
        let out = crate::ok_output(storydiff().args(args));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("16 MiB"), "{args:?}");
    }
}

#[test]
fn batch_writes_no_raw_control_character() {
    let esc: String = controls()
        .chars()
        .map(|c| format!("\\u{:04x}", u32::from(c)))
        .collect();
    let line = |id: &str, outlet: &str, n: u32| {
        format!(
            "{{\"id\":\"{id}{esc}\",\"outlet\":\"{outlet}{esc}\",\"text\":\"Fire kills {n} in port town{esc}\\n\\nThe fire {esc} killed {n} people in the port town of Constanta on Tuesday, police said.\\nRescuers worked through the night.\"}}\n"
        )
    };
    let pile = format!("{}{}", line("a", "wire", 12), line("b", "regional", 13));
    let (code, err, out) = batch_on("batch-controls", pile.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    assert!(String::from_utf8_lossy(&out).contains("\"type\":\"summary\""));
    assert_eq!(raw_controls(&out), Vec::<u32>::new());
    assert_eq!(raw_controls(err.as_bytes()), Vec::<u32>::new());
}

#[test]
fn ids_read_back_from_a_report_are_escaped_too() {
    let mut v: serde_json::Value = serde_json::from_str(&trio_report()).unwrap_or_default();
    let id = "f\u{1b}]52;c;eA==\u{7}[-x-]";
    v["findings"][0]["id"] = id.into();
    v["claims"][0]["id"] = id.into();
    let report = serde_json::to_string(&v).unwrap_or_default();
    for format in ["terminal", "checklist", "html", "json"] {
        let (code, out, err) = render(&format!("ids-{format}"), &report, format);
        assert_eq!(code, Some(0), "{format}: {err}");
        assert_eq!(raw_controls(&out), Vec::<u32>::new(), "{format}");
    }
}
