//! The semantic scorer through the binary, with the real model (`scripts/test` installs it;
//! a missing model fails these tests).

use crate::{ok_output, storydiff, trio};

fn semantic() -> assert_cmd::Command {
    let mut c = storydiff();
    c.env("STORYDIFF_SCORER", "semantic");
    c
}

fn trio_json() -> serde_json::Value {
    let t = trio();
    let out = ok_output(semantic().args(["compare", "--format", "json", &t[0], &t[1], &t[2]]));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

/// Index of the sentence of article `a` that contains `needle`.
fn sentence(v: &serde_json::Value, a: usize, needle: &str) -> usize {
    v["articles"][a]["sentences"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .position(|x| x["text"].as_str().is_some_and(|t| t.contains(needle)))
        })
        .unwrap_or_else(|| panic!("no sentence with {needle:?}"))
}

#[test]
fn every_output_says_which_scorer_ran() {
    let t = trio();
    let v = trio_json();
    assert_eq!(v["scorer"], "semantic (all-MiniLM-L6-v2)");
    let term = ok_output(semantic().args(["compare", "--color", "never", &t[0], &t[1]]));
    let term = String::from_utf8_lossy(&term.stdout);
    assert!(
        term.starts_with("scorer: semantic (all-MiniLM-L6-v2)\n"),
        "{term}"
    );
    let check = ok_output(semantic().args(["check", &t[0], &t[1]]));
    assert!(String::from_utf8_lossy(&check.stdout).contains("Scorer: semantic (all-MiniLM-L6-v2)."));
    let html = ok_output(semantic().args(["compare", "--format", "html", &t[0], &t[1]]));
    assert!(String::from_utf8_lossy(&html.stdout).contains("semantic (all-MiniLM-L6-v2) scorer"));
    let lexical = ok_output(storydiff().args(["compare", "--format", "json", &t[0], &t[1]]));
    let lexical: serde_json::Value =
        serde_json::from_slice(&lexical.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lexical["scorer"], "lexical");
}

#[test]
fn the_written_answers_claim_has_a_partner_in_epa() {
    // KUNA: "Russia is waiting for receiving written answers"; EPA says it as "Put guarantees
    // in writing" and "a position stated on paper": no shared term but "guarantees".
    let v = trio_json();
    let k = sentence(&v, 0, "waiting for receiving written answers");
    let c = &v["comparisons"][0];
    assert_eq!(c["other"], "epa");
    let in_pairs = |list: &str| {
        c[list]
            .as_array()
            .is_some_and(|x| x.iter().any(|r| r["base"] == k))
    };
    let linked = c["links"].as_array().is_some_and(|l| {
        l.iter().any(|x| {
            x["base"]
                .as_array()
                .is_some_and(|b| b.iter().any(|i| i == k))
        })
    });
    assert!(
        linked || in_pairs("related") || in_pairs("possible"),
        "{}",
        serde_json::to_string_pretty(c).unwrap_or_default()
    );
}

#[test]
fn no_finding_says_the_cyberattack_is_only_in_one_outlet() {
    let v = trio_json();
    for f in v["findings"].as_array().into_iter().flatten() {
        let text = f["explanation"].as_str().unwrap_or("");
        let evidence = f["evidence"].to_string();
        assert!(
            !(text.starts_with("only") && evidence.contains("cyberattack")),
            "{f}"
        );
    }
}

#[test]
fn semantic_output_is_deterministic() {
    let t = trio();
    let run = || {
        ok_output(semantic().args([
            "compare",
            "--format",
            "json",
            "--all-pairs",
            &t[0],
            &t[1],
            &t[2],
        ]))
        .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn a_missing_model_is_an_error_for_semantic_and_a_fallback_for_auto() {
    let t = trio();
    let out = storydiff()
        .env("STORYDIFF_SCORER", "semantic")
        .args(["compare", "--model", "/nonexistent/model", &t[0], &t[1]])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/nonexistent/model: no config.json"), "{err}");

    let out = storydiff()
        .env("STORYDIFF_SCORER", "auto")
        .env("STORYDIFF_MODEL", "/nonexistent/model")
        .args(["compare", "--format", "json", &t[0], &t[1]])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("using the lexical scorer (scripts/install-model"),
        "{err}"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["scorer"], "lexical");
}

#[test]
fn model_check_says_what_is_installed() {
    let out = ok_output(storydiff().args(["model", "--check"]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("all-MiniLM-L6-v2: installed in "),
        "{text}"
    );
    assert!(text.contains("encodes to 384 dimensions"), "{text}");
    let out = storydiff()
        .args(["model", "--model", "/nonexistent/model"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not installed in /nonexistent/model"));
}

#[test]
fn over_the_budget_the_lexical_scorer_aligns_and_says_so() {
    // 20,000 sentences of 14 encoder tokens each (with [CLS] and [SEP]), and kuna's.
    let big = "Lavrov met Blinken in Geneva on a cold day. ".repeat(20_000);
    let dir = tempdir();
    let p = dir.join("big.txt");
    std::fs::write(&p, big).unwrap_or_else(|e| panic!("{e}"));
    let t = trio();
    let out =
        ok_output(semantic().args(["compare", "--format", "json", &t[0], &p.to_string_lossy()]));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["scorer"], "lexical (semantic over budget)");
    assert!(
        v["notes"]
            .to_string()
            .contains("300464 encoder tokens in 20014 sentences is over its budget of 150000"),
        "{}",
        v["notes"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("storydiff-sem-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
    d
}

/// The vector cache changes nothing but the time: a run from an empty cache, a run from a full
/// one, a run after one article was edited, a run from a damaged cache and a run with
/// `--no-cache` write the same bytes; `--no-cache` writes no cache.
#[test]
fn the_vector_cache_gives_the_same_bytes_and_no_cache_writes_none() {
    let dir = tempdir();
    let cache = dir.join("cache");
    let t = trio();
    let run = |args: &[&str], cache: &std::path::Path| {
        ok_output(
            semantic()
                .env("XDG_CACHE_HOME", cache)
                .args(["compare", "--format", "json"])
                .args(args),
        )
        .stdout
    };
    let files = |d: &std::path::Path| -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut todo = vec![d.to_path_buf()];
        while let Some(p) = todo.pop() {
            for e in std::fs::read_dir(&p).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    todo.push(e.path());
                } else {
                    out.push(e.path());
                }
            }
        }
        out
    };
    let cold = run(&[&t[0], &t[1], &t[2]], &cache);
    let kept = files(&cache.join("storydiff").join("vectors"));
    assert!(kept.len() > 50, "{} entries", kept.len());
    assert_eq!(run(&[&t[0], &t[1], &t[2]], &cache), cold);
    // An edited article: its new sentence is encoded, the others read back.
    let edited = dir.join("epa.txt");
    let text = std::fs::read_to_string(&t[1]).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &edited,
        format!("{text}\n\nA sentence added by the editor today.\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let edited_path = edited.to_string_lossy().to_string();
    let fresh = run(&[&t[0], &edited_path, &t[2]], &dir.join("empty"));
    assert_eq!(run(&[&t[0], &edited_path, &t[2]], &cache), fresh);
    assert_eq!(
        files(&cache.join("storydiff").join("vectors")).len(),
        kept.len() + 1
    );
    // Damaged entries are misses, encoded again.
    for f in &kept {
        std::fs::write(f, b"SDV1 damaged").unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(run(&[&t[0], &t[1], &t[2]], &cache), cold);
    let none = dir.join("none");
    let out = run(&["--no-cache", &t[0], &t[1], &t[2]], &none);
    assert_eq!(out, cold);
    assert!(files(&none).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
