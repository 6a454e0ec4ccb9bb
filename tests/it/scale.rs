//! Comparisons of many outlets (issue #16, item 5): above `storydiff::FOLD_OUTLETS` outlets
//! copies are folded into their original in every format, and no outlet is lost; at the
//! limit nothing changes. Sizes and timings are in benches/report_scale.rs.

use crate::bad_input::tempdir::Dir;
use crate::{ok_output, storydiff};

/// KUNA (the base), EPA and Brasov, then lightly edited copies of the three in turn, `n`
/// other articles in all; written to `dir`, base first.
fn pile(dir: &Dir, n: usize) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let trio: Vec<(String, String)> = crate::pile::fixtures(root).into_iter().take(3).collect();
    let mut rng = crate::pile::Rng(0x5ca1e);
    let mut texts: Vec<(String, String)> = trio.clone();
    for k in 1..=n - 2 {
        let (name, text) = &trio[k % 3];
        texts.push((
            format!("{name}-copy{k:02}"),
            crate::pile::copy(text, k, &mut rng),
        ));
    }
    texts
        .iter()
        .map(|(name, text)| {
            let p = dir.path.join(format!("{name}.txt"));
            std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
            p.display().to_string()
        })
        .collect()
}

fn labels(files: &[String]) -> Vec<String> {
    files
        .iter()
        .map(|f| {
            std::path::Path::new(f)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect()
}

fn run(files: &[String], args: &[&str]) -> String {
    let out = ok_output(storydiff().arg("compare").args(args).args(files));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(files: &[String]) -> serde_json::Value {
    serde_json::from_str(&run(files, &["--format", "json"])).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn above_the_fold_limit_copies_are_listed_and_compared_with_their_original() {
    let d = Dir::new("fold-json");
    let files = pile(&d, storydiff::FOLD_OUTLETS + 4);
    let names = labels(&files);
    let r = json(&files);
    let copies = r["copies"].as_array().cloned().unwrap_or_default();
    let originals: Vec<&str> = copies.iter().filter_map(|c| c["label"].as_str()).collect();
    assert_eq!(originals, ["kuna", "epa", "brasov"], "{copies:?}");
    // Every copy of the pile is in a cluster, under the fixture it copies.
    let mut folded: Vec<String> = Vec::new();
    for c in &copies {
        let orig = c["label"].as_str().unwrap_or("");
        for x in c["copies"].as_array().into_iter().flatten() {
            let label = x["label"].as_str().unwrap_or("").to_string();
            assert!(
                label.starts_with(&format!("{orig}-copy")),
                "{label} under {orig}"
            );
            folded.push(label);
        }
    }
    folded.sort();
    let mut expected: Vec<String> = names
        .iter()
        .filter(|l| l.contains("-copy"))
        .cloned()
        .collect();
    expected.sort();
    assert_eq!(folded, expected);
    // Originals against the base, each copy against its original.
    let comparisons = r["comparisons"].as_array().cloned().unwrap_or_default();
    assert_eq!(comparisons.len(), names.len() - 1);
    for c in &comparisons {
        let (base, other) = (
            c["base"].as_str().unwrap_or(""),
            c["other"].as_str().unwrap_or(""),
        );
        match other.split_once("-copy") {
            Some((orig, _)) => assert_eq!(base, orig, "{other}"),
            None => assert_eq!(base, "kuna", "{other}"),
        }
    }
    let notes = r["notes"].to_string();
    assert!(notes.contains("copies: 18 of the 21 outlets"), "{notes}");
    assert!(
        notes.contains("quotes are paired within the aligned pairs only"),
        "{notes}"
    );
    // Every sentence of every outlet is still in one claim.
    let members: usize = r["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["members"].as_array().map_or(0, Vec::len))
        .sum();
    let sentences: usize = r["articles"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["sentences"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(members, sentences);
}

#[test]
fn the_html_matrix_has_one_column_per_original_and_copies_in_details() {
    let d = Dir::new("fold-html");
    let files = pile(&d, storydiff::FOLD_OUTLETS + 4);
    let html = run(&files, &["--format", "html"]);
    let matrix = html
        .split("<table class=\"matrix\">")
        .nth(1)
        .and_then(|m| m.split("</thead>").next())
        .unwrap_or_default();
    let columns: Vec<&str> = matrix
        .split("<th scope=\"col\" data-outlet=\"")
        .skip(1)
        .filter_map(|c| c.split('"').next())
        .collect();
    assert_eq!(columns, ["kuna", "epa", "brasov"], "{matrix}");
    // Every row spans the three columns (a run of absent cells is one cell with a colspan).
    let body = html
        .split("<table class=\"matrix\">")
        .nth(1)
        .and_then(|m| m.split("<tbody>").nth(1))
        .and_then(|m| m.split("</tbody>").next())
        .unwrap_or_default();
    let rows: Vec<&str> = body.split("<tr").skip(1).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let spans: usize = row
            .split("<td")
            .skip(1)
            .map(|td| {
                td.split_once("colspan=\"")
                    .filter(|(before, _)| !before.contains('>'))
                    .and_then(|(_, n)| n.split('"').next()?.parse().ok())
                    .unwrap_or(1)
            })
            .sum();
        assert_eq!(spans, 3, "{row}");
    }
    // Six copies of each in the pile.
    assert_eq!(
        matrix.matches("<small>+6 copies</small>").count(),
        3,
        "{matrix}"
    );
    // A folded side-by-side view per original, a folded entry per copy, no view per copy.
    assert_eq!(html.matches("<details class=\"pair-fold\">").count(), 2);
    assert_eq!(html.matches("<details class=\"copy\"").count(), 18);
    assert_eq!(html.matches("<section class=\"pair\"").count(), 2);
    // A dropped base sentence written in full in the first view is named by reference in the
    // second, linked to a sentence written on the page.
    let refs: Vec<&str> = html
        .split("<a class=\"sref\" href=\"#")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .collect();
    assert!(!refs.is_empty());
    for r in refs {
        assert_eq!(html.matches(&format!(" id=\"{r}\"")).count(), 1, "{r}");
    }
}

#[test]
fn no_outlet_is_lost_in_any_format() {
    let d = Dir::new("fold-all");
    let files = pile(&d, storydiff::FOLD_OUTLETS + 4);
    let names = labels(&files);
    for args in [
        &["--format", "html"][..],
        &["--format", "checklist"][..],
        &["--format", "terminal", "--color", "never"][..],
        &["--format", "json"][..],
    ] {
        let out = run(&files, args);
        for n in &names {
            assert!(out.contains(n.as_str()), "{n} missing from {args:?}");
        }
    }
    // The terminal lists each copy under its original, with what it changed.
    let term = run(&files, &["--color", "never", "--width", "100"]);
    assert!(term.contains("== copies of kuna (base): 6 "), "{term}");
    assert!(term.contains("== copies of epa: 6 "), "{term}");
    assert_eq!(term.matches(" against kuna (base) ==").count(), 2, "{term}");
    let section = term
        .split("== copies of epa: 6 ")
        .nth(1)
        .and_then(|s| s.split("== ").next())
        .unwrap_or_default();
    let entry = section
        .split("\nepa-copy01 (")
        .nth(1)
        .and_then(|s| s.split("\nepa-copy").next())
        .unwrap_or_default();
    assert!(entry.contains("similarity 0."), "{section}");
    // Its first line and footer are its own.
    assert!(entry.contains("+ "), "{entry}");
}

#[test]
fn at_the_fold_limit_nothing_is_folded() {
    let d = Dir::new("fold-none");
    let files = pile(&d, storydiff::FOLD_OUTLETS - 1);
    assert_eq!(files.len(), storydiff::FOLD_OUTLETS);
    let r = json(&files);
    assert!(r.get("copies").is_none(), "{}", r["copies"]);
    let comparisons = r["comparisons"].as_array().cloned().unwrap_or_default();
    assert_eq!(comparisons.len(), files.len() - 1);
    assert!(comparisons.iter().all(|c| c["base"] == "kuna"));
    let term = run(&files, &["--color", "never", "--width", "100"]);
    assert_eq!(
        term.matches(" against kuna (base) ==").count(),
        files.len() - 1
    );
    assert!(!term.contains("== copies of"));
    let html = run(&files, &["--format", "html"]);
    assert!(!html.contains("<details class=\"pair-fold\">"));
    assert_eq!(
        html.matches("<section class=\"pair\"").count(),
        files.len() - 1
    );
}

#[test]
fn quotes_of_many_outlets_are_paired_within_the_aligned_pairs_only() {
    use storydiff::Engine;
    let d = Dir::new("fold-quotes");
    let files = pile(&d, storydiff::FOLD_OUTLETS + 4);
    let articles: Vec<storydiff::Article> = files.iter().map(|f| crate::load(f)).collect();
    let r = Engine::default()
        .compare(articles)
        .unwrap_or_else(|e| panic!("{e}"));
    // The trio's quote-wording findings are between originals (aligned with one another);
    // no finding pairs two copies, which were never aligned with each other.
    for f in r
        .findings
        .iter()
        .filter(|f| f.kind == storydiff::model::FindingKind::QuoteWording)
    {
        let labels = r.labels(&f.articles);
        let copies = labels.iter().filter(|a| a.contains("-copy")).count();
        assert!(copies < 2, "{labels:?}");
    }
    assert!(r
        .notes
        .iter()
        .any(|n| n.contains("the originals with one another")));
}

/// Twenty independent outlets (over `FOLD_OUTLETS`, none a copy): two of them, not the base,
/// report the same specific claim. The claim graph still aligns every pair (with the lexical
/// scorer past `MAX_GRAPH_OUTLETS`), so the claim holds both, and neither is said to be the
/// only outlet that has it.
#[test]
fn past_the_fold_limit_a_claim_two_non_base_outlets_share_is_one_claim() {
    let topics = [
        "Wheat", "Barley", "Maize", "Rye", "Oats", "Soy", "Rice", "Millet", "Sorghum", "Canola",
        "Flax", "Hemp", "Cotton", "Coffee", "Cocoa", "Sugar", "Tea", "Rubber", "Palm", "Olive",
    ];
    let texts: Vec<(String, String)> = topics
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let mut text = format!(
                "{t} traders in city number {k} met on Monday to discuss the {t} season. \
                 The {t} association of region {k} chose a new chair for {t} affairs."
            );
            if k == 3 || k == 7 {
                let lead = if k == 3 { "Separately" } else { "Meanwhile" };
                text.push_str(&format!(
                    " {lead}, the Constanta port authority said the terminal handled 4.2 million tonnes of grain in 2025."
                ));
            }
            (t.to_lowercase(), text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(l, t)| (l.as_str(), t.as_str()))
        .collect();
    let r = storydiff::Engine::default()
        .compare_texts(&refs)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        r.copies.iter().all(|c| c.copies.is_empty()),
        "{:?}",
        r.copies
    );
    let port = r
        .claims
        .claims()
        .iter()
        .find(|c| {
            c.members
                .iter()
                .any(|m| r.label(m.article) == "rye" && m.sentence == 2)
        })
        .unwrap_or_else(|| panic!("no claim for rye's sentence"));
    let mut outlets: Vec<&str> = port.members.iter().map(|m| r.label(m.article)).collect();
    outlets.dedup();
    assert_eq!(outlets, ["rye", "millet"], "{port:?}");
    assert!(
        !r.findings
            .iter()
            .any(|f| f.kind == storydiff::model::FindingKind::OnlyIn
                && f.evidence.iter().any(|e| e.text.contains("4.2 million"))),
        "{:?}",
        r.findings
    );
    assert!(
        !r.notes.iter().any(|n| n.contains("compared pairs only")),
        "{:?}",
        r.notes
    );
}
