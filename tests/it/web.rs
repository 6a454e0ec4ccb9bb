//! Web pages and Markdown as input (tests/fixtures/web/): five saved news pages of different
//! layouts, each next to its article as plain text. The page must give the plain text's
//! sentences, set its chrome aside as boilerplate of the right kinds, keep every offset an
//! offset of the file, and account for every byte of the file.

use storydiff::model::{Article, BoilerplateKind as K};

fn web(name: &str) -> String {
    format!("{}/tests/fixtures/web/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Sentence texts without any white space: blanked tags leave spaces where the plain text
/// has none ("ministry</a>." reads "ministry    ."), which matching ignores.
fn squeezed(a: &Article) -> Vec<String> {
    a.sentences
        .iter()
        .map(|s| s.text.split_whitespace().collect())
        .collect()
}

/// Every byte of the file is accounted for: the text has the file's length; outside the
/// markup the page's characters (references decoded) appear in the text in order, and
/// nothing else does; the markup is blank; and every character of the text is in exactly one
/// sentence or boilerplate span (the coverage property of the fuzzer).
fn accounts_for_every_byte(file: &str, a: &Article) {
    assert_eq!(a.text.len(), file.len(), "{}", a.path);
    crate::checks::covers(&a.text, a).unwrap_or_else(|v| panic!("{}: {v:?}", a.path));
    let blanked = storydiff::ingest::web::blank_html(file);
    assert_eq!(blanked.text, a.text, "{}", a.path);
    let mut text_of_file = String::new();
    let mut at = 0;
    for &(s, e) in &blanked.markup {
        assert!(
            s >= at && e > s && e <= file.len(),
            "{}: markup {s}..{e}",
            a.path
        );
        text_of_file.push_str(&file[at..s]);
        at = e;
    }
    text_of_file.push_str(&file[at..]);
    let squeeze = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    let decoded = html_escape::decode_html_entities(&text_of_file).into_owned();
    assert_eq!(squeeze(&a.text), squeeze(&decoded), "{}", a.path);
}

const PAGES: &[(&str, &[K])] = &[
    (
        "harbour-wire",
        &[
            K::Navigation,
            K::Cookie,
            K::Byline,
            K::Metadata,
            K::Control,
            K::Advert,
            K::RelatedLink,
            K::Page,
        ],
    ),
    (
        "harbour-regional",
        &[
            K::Navigation,
            K::Byline,
            K::Metadata,
            K::Advert,
            K::Control,
            K::Page,
            K::Aside,
        ],
    ),
    (
        "harbour-national",
        &[
            K::Navigation,
            K::Caption,
            K::Byline,
            K::Metadata,
            K::RelatedLink,
            K::Newsletter,
            K::Page,
        ],
    ),
    (
        "harbour-agency",
        &[K::Navigation, K::Aside, K::Control, K::Page, K::Metadata],
    ),
    (
        "harbour-business",
        &[
            K::Cookie,
            K::Advert,
            K::Navigation,
            K::Byline,
            K::Control,
            K::RelatedLink,
            K::Page,
        ],
    ),
];

#[test]
fn saved_pages_give_the_plain_articles_sentences_and_set_the_chrome_aside() {
    for &(name, kinds) in PAGES {
        let page = crate::load(&web(&format!("{name}.html")));
        let plain = crate::load(&web(&format!("{name}.txt")));
        assert_eq!(squeezed(&page), squeezed(&plain), "{name}");
        let file =
            std::fs::read_to_string(web(&format!("{name}.html"))).unwrap_or_else(|e| panic!("{e}"));
        accounts_for_every_byte(&file, &page);
        for k in kinds {
            assert!(
                page.boilerplate.iter().any(|b| b.kind == *k),
                "{name}: no {k:?} set aside: {:#?}",
                page.boilerplate
            );
        }
        let note = page.notes.join("\n");
        assert!(note.starts_with("read as HTML: title "), "{name}: {note}");
        assert!(note.contains("offsets are the file's"), "{name}: {note}");
        // A page with a byline names its author, from metadata or the byline itself.
        if kinds.contains(&K::Byline) {
            assert!(note.contains(", by "), "{name}: no byline in {note}");
        }
    }
}

#[test]
fn markdown_gives_the_plain_articles_sentences() {
    let md = crate::load(&web("harbour-wire.md"));
    let plain = crate::load(&web("harbour-wire.txt"));
    assert_eq!(squeezed(&md), squeezed(&plain));
    crate::checks::covers(&md.text, &md).unwrap_or_else(|v| panic!("{v:?}"));
    let file = std::fs::read_to_string(web("harbour-wire.md")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(md.text.len(), file.len());
    let caption: Vec<String> = md
        .boilerplate
        .iter()
        .filter(|b| b.kind == K::Caption)
        .map(|b| b.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(caption, ["Smoke over the grain terminal"]);
    assert!(md.notes.iter().any(|n| n.starts_with("read as Markdown: ")));
}

#[test]
fn evidence_offsets_point_into_the_saved_page() {
    // A finding's evidence is a range of a sentence, and a sentence a range of the file: the
    // file's bytes there hold the same words (markup aside).
    let pages = ["harbour-wire.html", "harbour-regional.html"].map(web);
    let out = crate::ok_output(
        crate::storydiff()
            .args(["compare", "--format", "json"])
            .args(&pages),
    );
    let r: storydiff::model::Report =
        storydiff::wire::read_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert!(!r.findings.is_empty());
    for a in &r.articles {
        let file = std::fs::read_to_string(&a.path).unwrap_or_else(|e| panic!("{e}"));
        for s in &a.sentences {
            let words_in_file =
                html_escape::decode_html_entities(&strip_tags(&file[s.start..s.end]))
                    .split_whitespace()
                    .collect::<String>();
            assert_eq!(words_in_file, s.text.split_whitespace().collect::<String>());
        }
    }
}

/// `html` without its tags (for fixture pages, whose text has no `<`).
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// Any text read as HTML or Markdown keeps its length, never panics, and its chrome spans
    /// lie on character boundaries inside single lines.
    #[test]
    fn blanking_never_breaks_offsets(
        s in "(<[a-zA-Z/!][^>]{0,12}>?|&[a-z#0-9]{0,6};?|[ \\n\\tA-Za-zé東\u{301}.,\"'*_\\[\\]()`#>-]{0,8}){0,40}"
    ) {
        for b in [storydiff::ingest::web::blank_html(&s), storydiff::ingest::web::blank_markdown(&s)] {
            proptest::prop_assert_eq!(b.text.len(), s.len());
            for &(st, en, _) in &b.chrome {
                proptest::prop_assert!(st < en && b.text.is_char_boundary(st) && b.text.is_char_boundary(en));
                proptest::prop_assert!(!b.text[st..en].contains('\n'));
            }
        }
        let raw = storydiff::ingest::RawArticle { label: "x".into(), path: "x.html".into(), text: format!("<p>{s}</p>") };
        if let Ok(a) = storydiff::build_article(raw, false) {
            crate::checks::covers(&a.text, &a).map_err(|v| proptest::test_runner::TestCaseError::fail(format!("{v:?}")))?;
        }
    }
}
