//! Invariants: nothing is lost, diffs reconstruct, output is deterministic.

use proptest::prelude::*;
use storydiff::{build_article, diff, ingest, Engine};

use crate::{all_five, load, storydiff, trio};

/// Every non-white-space byte is in exactly one sentence or boilerplate span, spans lie on
/// character boundaries and each span's text is the text it points at
/// ([`crate::checks::covers`]).
fn assert_covers(text: &str, a: &storydiff::Article) {
    if let Err(v) = crate::checks::covers(text, a) {
        panic!("{v}");
    }
}

#[test]
fn seeds_are_fully_covered() {
    for p in all_five() {
        let a = load(&p);
        assert_covers(&a.text, &a);
    }
}

fn article_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Lavrov said.".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just("Mr. ".to_string()),
        Just("U.S. ".to_string()),
        Just("\u{201c}Quote\u{2026} more.\u{201d} ".to_string()),
        Just("\"x.\" ".to_string()),
        Just("Read also: more".to_string()),
        Just("A+ A-".to_string()),
        Just("(end) as.hm".to_string()),
        Just("Photo: X".to_string()),
        Just(". ".to_string()),
        Just("wordLavrov ".to_string()),
        Just("\u{a0}".to_string()),
        "[a-zA-Z]{1,8}",
        "[0-9,.]{1,6}",
        "[!?;:()\u{2019}\u{2014}-]",
    ];
    proptest::collection::vec(piece, 1..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn spans_and_boilerplate_cover_every_byte_once(text in article_text()) {
        prop_assume!(!text.trim().is_empty());
        let raw = ingest::RawArticle { label: "x".into(), path: "x".into(), text: text.clone() };
        match build_article(raw, false) {
            Ok(a) => assert_covers(&text, &a),
            Err(storydiff::Error::NoBody { .. }) => {
                let b = ingest::detect_boilerplate(&text);
                let covered: usize = b.iter().map(|x| x.end - x.start).sum();
                prop_assert!(covered > 0);
            }
            Err(e) => prop_assert!(false, "{e}"),
        }
    }

    #[test]
    fn link_diffs_reconstruct_both_sides(a in article_text(), b in article_text()) {
        let Ok(r) = Engine::default().compare_texts(&[("a", &a), ("b", &b)]) else {
            return Ok(());
        };
        let (base, other) = (&r.articles[0], &r.articles[1]);
        for l in &r.comparisons[0].links {
            prop_assert_eq!(diff::old_side(&l.diff), base.join(&l.base));
            prop_assert_eq!(diff::new_side(&l.diff), other.join(&l.other));
        }
    }
}

#[test]
fn fixture_link_diffs_reconstruct_both_sides() {
    let paths = all_five();
    let articles: Vec<_> = paths.iter().map(|p| load(p)).collect();
    let r = Engine::builder()
        .all_pairs(true)
        .build()
        .compare(articles)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut n = 0;
    for c in &r.comparisons {
        let (base, other) = (r.article(c.base), r.article(c.other));
        for l in &c.links {
            assert_eq!(diff::old_side(&l.diff), base.join(&l.base));
            assert_eq!(diff::new_side(&l.diff), other.join(&l.other));
            n += 1;
        }
        // Every sentence is linked, added, dropped or shared, exactly once.
        let mut seen_base = vec![0; base.sentences.len()];
        let mut seen_other = vec![0; other.sentences.len()];
        for l in &c.links {
            l.base.iter().for_each(|&i| seen_base[i] += 1);
            l.other.iter().for_each(|&j| seen_other[j] += 1);
        }
        c.dropped.iter().for_each(|&i| seen_base[i] += 1);
        c.added.iter().for_each(|&j| seen_other[j] += 1);
        c.shared_base.iter().for_each(|&i| seen_base[i] += 1);
        c.shared_other.iter().for_each(|&j| seen_other[j] += 1);
        assert!(seen_base.iter().chain(&seen_other).all(|&k| k == 1));
    }
    assert!(n > 0);
}

#[test]
fn reruns_are_byte_identical() {
    for fmt in ["terminal", "json", "checklist", "html"] {
        let terminal: &[&str] = if fmt == "terminal" {
            &["--color", "always", "--width", "90"]
        } else {
            &[]
        };
        let run = || {
            storydiff()
                .args(["compare", "--all-pairs", "--format", fmt])
                .args(terminal)
                .args(trio())
                .output()
                .unwrap_or_else(|e| panic!("{e}"))
                .stdout
        };
        let first = run();
        assert!(!first.is_empty(), "{fmt}");
        assert_eq!(first, run(), "{fmt}");
    }
}
