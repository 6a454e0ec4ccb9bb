//! Ingest and segmentation on the real seed articles.

use storydiff::model::BoilerplateKind;

use crate::{all_five, fixture, load};

fn sentence_texts(rel: &str) -> Vec<String> {
    load(&fixture(rel))
        .sentences
        .into_iter()
        .map(|s| s.text)
        .collect()
}

fn chrome(rel: &str) -> Vec<(BoilerplateKind, String)> {
    load(&fixture(rel))
        .boilerplate
        .into_iter()
        .map(|b| (b.kind, b.text))
        .collect()
}

#[test]
fn kuna_chrome_is_font_controls_and_end_code() {
    let c = chrome("lavrov-2022-01-14/kuna.txt");
    assert_eq!(
        c,
        vec![
            (BoilerplateKind::Control, "A+ A-".to_string()),
            (BoilerplateKind::EndCode, "(end) as.hm".to_string()),
        ]
    );
    let s = sentence_texts("lavrov-2022-01-14/kuna.txt");
    assert!(
        s.last()
            .is_some_and(|t| t.ends_with("at NATO headquarters.")),
        "{s:?}"
    );
}

#[test]
fn epa_chrome_is_the_photo_caption_and_its_title() {
    let c = chrome("lavrov-2022-01-14/epa.txt");
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(
        c[0],
        (BoilerplateKind::Caption, "Christine Lambrecht".to_string())
    );
    assert!(c[1].1.ends_with("-EPA"));
    let s = sentence_texts("lavrov-2022-01-14/epa.txt");
    assert_eq!(s[0], "Put guarantees in writing, Russia urges US");
    assert!(s.contains(&"There was still room for negotiations, she said.".to_string()));
}

#[test]
fn brasov_chrome_is_read_also_caption_editor_and_source() {
    let c = chrome("lavrov-2022-01-14/brasov.txt");
    let kinds: Vec<BoilerplateKind> = c.iter().map(|x| x.0).collect();
    assert_eq!(
        kinds,
        vec![
            BoilerplateKind::RelatedLink,
            BoilerplateKind::Caption,
            BoilerplateKind::RelatedLink,
            BoilerplateKind::RelatedLink,
            BoilerplateKind::Credit,
            BoilerplateKind::Credit,
            BoilerplateKind::Newsletter,
            BoilerplateKind::Newsletter,
        ]
    );
    assert_eq!(c[6].1, "Brasov-Romania News To Your Inbox!");
    assert!(c[1].1.ends_with("Photo: Profimedia Images"));
    let s = sentence_texts("lavrov-2022-01-14/brasov.txt");
    assert_eq!(
        s.last().map(String::as_str),
        Some("Russia has said it is free to decide where to move its troops and that there are no external threats.")
    );
}

#[test]
fn nato_council_newsletter_block_is_chrome() {
    let c = chrome("other-events/nato-russia-council-2022-01-12.txt");
    let texts: Vec<&str> = c.iter().map(|x| x.1.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "We\u{2019}ve Already Come Too Far To End This Now.",
            "Subscribe To Our Weekly Newsletter",
            "Get notified about new articles"
        ]
    );
    assert!(c.iter().all(|x| x.0 == BoilerplateKind::Newsletter));
}

#[test]
fn aa_byline_and_credit_are_set_aside_bullets_are_body() {
    let c = chrome("other-events/aa-lavrov-reports-to-putin-2022-02-14.txt");
    assert_eq!(
        c,
        vec![
            (
                BoilerplateKind::Byline,
                "By Elena Teslova and Agnes Szucs".to_string()
            ),
            (BoilerplateKind::Caption, "Credit | AA".to_string()),
        ]
    );
    let s = sentence_texts("other-events/aa-lavrov-reports-to-putin-2022-02-14.txt");
    assert!(s[0].starts_with("\u{2022}Russian foreign minister proposes"));
    assert!(s.contains(&"Some military exercises coming to an end".to_string()));
}

#[test]
fn every_seed_keeps_every_body_line() {
    // Every non-blank line of every seed is either boilerplate or covered by sentences.
    for path in all_five() {
        let a = load(&path);
        for (k, line) in a.text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let start = line.as_ptr() as usize - a.text.as_ptr() as usize;
            let in_body = a
                .sentences
                .iter()
                .any(|s| s.start < start + line.len() && start < s.end);
            let in_chrome = a
                .boilerplate
                .iter()
                .any(|b| b.start < start + line.len() && start < b.end);
            assert!(in_body || in_chrome, "{path}:{}: lost line {line:?}", k + 1);
        }
    }
}

#[test]
fn machine_translation_debris_stays_in_its_sentence() {
    let s = sentence_texts("lavrov-2022-01-14/brasov.txt");
    assert!(s
        .iter()
        .any(|t| t.starts_with("The Russian Federation is not ready")
            && t.ends_with("expressed in the negotiationsLavrov said.")));
    assert!(s
        .iter()
        .any(|t| t.starts_with("Lavrov said Russia expects Washington")
            && t.ends_with("by next week. writes Washington Post.")));
    assert!(s.iter().any(|t| t.ends_with(
        "the Russian official said. this dialogue, according to the Russian agency TASS."
    )));
    assert!(s
        .iter()
        .any(|t| t.ends_with("Kiev claims were orchestrated by the Kremlin. .")));
}

#[test]
fn glued_words_are_two_tokens_for_matching() {
    let toks =
        storydiff::normalize::tokens("every proposal expressed in the negotiationsLavrov said.");
    let norms: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
    assert!(
        norms.contains(&"negotiations") && norms.contains(&"lavrov"),
        "{norms:?}"
    );
}

#[test]
fn closing_quote_after_full_stop_and_headlines() {
    let s = sentence_texts("lavrov-2022-01-14/kuna.txt");
    assert_eq!(
        s[0],
        "Russia hopes for negotiations with US over security guarantees"
    );
    assert!(s
        .iter()
        .any(|t| t.ends_with("with the US and NATO as \"unsuccessful.\"")));
    assert!(s
        .iter()
        .any(|t| t.starts_with("The two rounds of negotiations - between Russia")));
    let s = sentence_texts("lavrov-2022-01-14/brasov.txt");
    assert!(s.contains(&"Moscow mobilizes troops in bases in the Far East".to_string()));
}

#[test]
fn abbreviated_months_ellipses_and_thousands() {
    let s = sentence_texts("other-events/aa-lavrov-reports-to-putin-2022-02-14.txt");
    assert!(s
        .iter()
        .any(|t| t.starts_with("On Jan. 27, after a series of talks")));
    assert!(s.iter().any(
        |t| t.starts_with("The US nuclear submarine of Virginia type")
            && t.contains("Feb. 12 near the Urup Island")
    ));
    assert!(s
        .iter()
        .any(|t| t.starts_with("Russia has amassed more than 100,000 troops")));
    let s = sentence_texts("other-events/nato-russia-council-2022-01-12.txt");
    assert!(s.iter().any(
        |t| t.starts_with("\u{201c}We want to see \u{2026} Russia pulling back")
            && t.contains("100,000 troops")
    ));
    let s = sentence_texts("lavrov-2022-01-14/epa.txt");
    assert!(s
        .iter()
        .any(|t| t.starts_with("\"The security of our allies") && t.ends_with("she said.")));
    let s = sentence_texts("lavrov-2022-01-14/kuna.txt");
    assert!(s
        .iter()
        .any(|t| t.contains("Ms Olga Stefanishyna, at NATO headquarters.")));
}

#[test]
fn quotes_split_at_sentence_ends_like_the_gold() {
    let s = sentence_texts("lavrov-2022-01-14/epa.txt");
    assert!(s.contains(&"\"We wish to see a position stated on paper.".to_string()));
    assert!(s
        .iter()
        .any(|t| t.starts_with("We wish to have answers article by article")));
}
