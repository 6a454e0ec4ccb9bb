//! Every view is a projection of the one claim graph: on the trio (both scorers, through the
//! binary) and on every news_ecb TEST topic compared as one pile, no comparison in the JSON
//! lists a sentence as added or dropped while the graph puts the comparison's other outlet in
//! its claim, and the HTML matrix, the terminal's notes and the JSON name the same outlets
//! for every claim.

use std::collections::{BTreeMap, BTreeSet};

use storydiff::model::{ArticleId, Report};
use storydiff_render as render;

/// Outlets of every claim, by id, as the JSON's claims name them.
fn json_outlets(r: &Report) -> BTreeMap<String, BTreeSet<String>> {
    r.claims
        .claims()
        .iter()
        .map(|c| {
            let outlets = c
                .members
                .iter()
                .map(|m| r.label(m.article).to_string())
                .collect();
            (c.id.clone(), outlets)
        })
        .collect()
}

/// The views agree with the graph, and with one another, on `r` (read back from its JSON)
/// rendered as `terminal` (inline, colour off) and `html`.
fn assert_views_agree(r: &Report, terminal: &str, html: &str, what: &str) {
    // 1. The JSON's comparisons: "only in" never contradicts the graph.
    for c in &r.comparisons {
        let (b, o) = (r.label(c.base), r.label(c.other));
        for &i in &c.dropped {
            assert!(
                !r.claims.carries(c.other, c.base, i),
                "{what}: {o} against {b}: dropped {b} sentence {i}, but {o} carries its claim"
            );
        }
        for &j in &c.added {
            assert!(
                !r.claims.carries(c.base, c.other, j),
                "{what}: {o} against {b}: added {o} sentence {j}, but {b} carries its claim"
            );
        }
        for (&i, side, partner) in c
            .shared_base
            .iter()
            .map(|i| (i, c.base, c.other))
            .chain(c.shared_other.iter().map(|j| (j, c.other, c.base)))
        {
            assert!(
                r.claims.carries(partner, side, i),
                "{what}: shared sentence {i} of {} not in a claim of {}",
                r.label(side),
                r.label(partner)
            );
        }
    }
    let want = json_outlets(r);
    // 2. The HTML matrix: one row per claim, in the graph's order; a cell that is not absent
    // for exactly the claim's outlets.
    let ids: Vec<&String> = want.keys().collect();
    let by_index: Vec<&str> = r.claims.claims().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), by_index.len());
    let mut rows = 0;
    for line in html
        .lines()
        .filter(|l| l.starts_with("<tr class=\"claim\""))
    {
        let k: usize = line
            .split("data-claim=\"c")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{what}: no claim number in {line}"));
        let got: BTreeSet<String> = line
            .split("<td class=\"cell ")
            .skip(1)
            .filter(|cell| !cell.starts_with("absent"))
            .filter_map(|cell| cell.split("data-outlet=\"").nth(1))
            .filter_map(|s| s.split('"').next())
            .map(|s| s.to_string())
            .collect();
        let id = by_index[k];
        assert_eq!(got, want[id], "{what}: matrix row of claim {id}");
        rows += 1;
    }
    assert_eq!(rows, want.len(), "{what}: matrix rows");
    // 3. The terminal: every "also in … (claim cN)" note names the claim's outlets but the
    // row's own outlet (and, under a shared row, the pair's other outlet, named above it).
    let mut pair: Option<(String, String)> = None;
    let mut own: Option<String> = None;
    let mut shared_with: Option<String> = None;
    let mut notes = 0;
    for line in terminal.lines() {
        if let Some(rest) = line.strip_prefix("== ") {
            pair = rest
                .split_once(" against ")
                .and_then(|(o, b)| Some((o.to_string(), b.split_once(" (base)")?.0.to_string())));
            continue;
        }
        let Some((other, base)) = &pair else { continue };
        match line.chars().next() {
            Some('-') => (own, shared_with) = (Some(base.clone()), None),
            Some('+') => (own, shared_with) = (Some(other.clone()), None),
            Some('^') => (own, shared_with) = (None, None),
            Some(c) if c != ' ' => (own, shared_with) = (None, None),
            _ => {}
        }
        let note = line.trim_start();
        if let Some(p) = note.strip_prefix("same claim in ") {
            let partner = p.split(':').next().unwrap_or_default().to_string();
            own = Some(if &partner == base {
                other.clone()
            } else {
                base.clone()
            });
            shared_with = Some(partner);
        }
        let Some(rest) = note.strip_prefix("also in ") else {
            continue;
        };
        let (names, id) = rest
            .rsplit_once(" (claim ")
            .unwrap_or_else(|| panic!("{what}: note {note}"));
        let id = id.trim_end_matches(')');
        let mut got: BTreeSet<String> = names.split(", ").map(str::to_string).collect();
        got.extend(own.clone());
        got.extend(shared_with.clone());
        assert_eq!(got, want[id], "{what}: terminal note {note:?}");
        notes += 1;
    }
    assert!(
        notes > 0 || want.values().all(|o| o.len() < 3),
        "{what}: no notes"
    );
}

#[test]
fn the_trio_views_are_projections_of_the_claim_graph() {
    for scorer in ["lexical", "semantic"] {
        let run = |args: &[&str]| {
            let out = crate::ok_output(
                crate::storydiff()
                    .env("STORYDIFF_SCORER", scorer)
                    .arg("compare")
                    .args(args)
                    .args(crate::trio()),
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let json = run(&["--format", "json"]);
        let r = storydiff::wire::read(&json).unwrap_or_else(|e| panic!("{e}"));
        let terminal = run(&["--color", "never", "--width", "1000"]);
        let html = run(&["--format", "html"]);
        assert_views_agree(&r, &terminal, &html, scorer);
        // The trio has sentences joined through the third outlet: the projection is exercised.
        assert!(
            r.comparisons
                .iter()
                .any(|c| !c.shared_base.is_empty() || !c.shared_other.is_empty()),
            "{scorer}: no shared row"
        );
    }
}

/// Every news_ecb TEST topic (23 and up) as one pile, its documents in id order, the first the
/// base; each document one sentence a paragraph.
pub(crate) fn news_ecb_test_piles() -> Vec<(u32, Vec<(String, String)>)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/benchmarks/abcd-link-news/news_ecb/docs.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let docs: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let docs = docs
        .as_object()
        .unwrap_or_else(|| panic!("{path}: not an object"));
    let mut topics: BTreeMap<u32, Vec<(String, String)>> = BTreeMap::new();
    for (id, sentences) in docs {
        let topic: u32 = id
            .split('_')
            .next()
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("{id}: no topic"));
        if topic < 23 {
            continue;
        }
        let mut ordered: Vec<(usize, &str)> = sentences
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_str()?)))
            .collect();
        ordered.sort();
        let body: Vec<&str> = ordered.into_iter().map(|(_, s)| s).collect();
        topics
            .entry(topic)
            .or_default()
            .push((id.clone(), body.join("\n\n")));
    }
    topics
        .into_iter()
        .map(|(t, mut docs)| {
            docs.sort();
            (t, docs)
        })
        .collect()
}

#[test]
fn every_news_ecb_test_pile_agrees_with_its_claim_graph() {
    let piles = news_ecb_test_piles();
    assert!(piles.len() >= 10, "{} TEST topics", piles.len());
    let mut shared = 0;
    for (topic, docs) in piles {
        let texts: Vec<(&str, &str)> = docs
            .iter()
            .map(|(id, t)| (id.as_str(), t.as_str()))
            .collect();
        let r = storydiff::Engine::default()
            .compare_texts(&texts)
            .unwrap_or_else(|e| panic!("topic {topic}: {e}"));
        let mut json = Vec::new();
        render::render(&r, render::Format::Json, &Default::default(), &mut json)
            .unwrap_or_else(|e| panic!("{e}"));
        let back = storydiff::wire::read_slice(&json).unwrap_or_else(|e| panic!("{e}"));
        let text = |format| {
            let opts = render::RenderOptions {
                width: 1000,
                ..Default::default()
            };
            let mut out = Vec::new();
            render::render(&back, format, &opts, &mut out).unwrap_or_else(|e| panic!("{e}"));
            String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
        };
        let (terminal, html) = (text(render::Format::Terminal), text(render::Format::Html));
        assert_views_agree(&back, &terminal, &html, &format!("news_ecb topic {topic}"));
        shared += back
            .comparisons
            .iter()
            .map(|c| c.shared_base.len() + c.shared_other.len())
            .sum::<usize>();
        assert_eq!(back.base, ArticleId(0));
    }
    assert!(shared > 0, "no pile had a shared row");
}
