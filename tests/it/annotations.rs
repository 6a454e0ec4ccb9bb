//! `--format annotations`: a W3C Web Annotation collection whose selectors name exactly the
//! bytes of the findings' evidence and of the sentences one outlet alone carries.

use std::collections::BTreeSet;

use crate::{ok_output, storydiff, trio};

fn annotations(args: &[&str]) -> serde_json::Value {
    let out = ok_output(
        storydiff()
            .args(["compare", "--format", "annotations"])
            .args(args),
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

fn report(args: &[&str]) -> serde_json::Value {
    let out = ok_output(storydiff().args(["compare", "--format", "json"]).args(args));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

fn str_of<'a>(v: &'a serde_json::Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what}: not a string: {v}"))
}

/// The fields the Web Annotation data model requires (and the ones this writer promises),
/// and selectors that name the article text exactly.
#[test]
fn the_trio_as_web_annotations_validates_and_every_selector_names_its_text() {
    let t = trio();
    let args: Vec<&str> = t.iter().map(String::as_str).collect();
    let doc = annotations(&args);
    assert_eq!(doc["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(doc["type"], "AnnotationCollection");
    assert!(str_of(&doc["id"], "id").starts_with("urn:storydiff:"));
    assert_eq!(doc["first"]["type"], "AnnotationPage");
    let items = doc["first"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items"));
    assert_eq!(doc["total"], items.len());
    let texts: Vec<String> = t
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}")))
        .collect();
    let mut ids = BTreeSet::new();
    let (mut findings, mut only) = (0, 0);
    for a in items {
        let id = str_of(&a["id"], "id");
        assert!(ids.insert(id.to_string()), "{id} twice");
        assert!(id.starts_with("urn:storydiff:"), "{id}");
        assert_eq!(a["type"], "Annotation", "{a}");
        let motivation = str_of(&a["motivation"], "motivation");
        assert!(["commenting", "highlighting"].contains(&motivation), "{a}");
        let bodies = a["body"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: no body"));
        assert!(!bodies.is_empty());
        for b in bodies {
            assert_eq!(b["type"], "TextualBody");
            assert_eq!(b["format"], "text/plain");
            assert!(!str_of(&b["value"], "value").is_empty());
            assert!(["commenting", "tagging"].contains(&str_of(&b["purpose"], "purpose")));
        }
        let source = str_of(&a["target"]["source"], "source");
        let k = t
            .iter()
            .position(|p| p == source)
            .unwrap_or_else(|| panic!("{id}: {source} is no input"));
        let chars: Vec<char> = texts[k].chars().collect();
        let selectors = a["target"]["selector"]
            .as_array()
            .unwrap_or_else(|| panic!("{id}: no selector"));
        let find = |kind: &str| {
            selectors
                .iter()
                .find(|s| s["type"] == kind)
                .unwrap_or_else(|| panic!("{id}: no {kind}"))
        };
        let (quote, position) = (find("TextQuoteSelector"), find("TextPositionSelector"));
        let start = position["start"].as_u64().unwrap_or(u64::MAX) as usize;
        let end = position["end"].as_u64().unwrap_or(0) as usize;
        assert!(start < end && end <= chars.len(), "{id}: {start}..{end}");
        let exact: String = chars[start..end].iter().collect();
        assert_eq!(str_of(&quote["exact"], "exact"), exact, "{id}");
        let prefix = str_of(&quote["prefix"], "prefix");
        let before: String = chars[start - prefix.chars().count()..start]
            .iter()
            .collect();
        assert_eq!(prefix, before, "{id}");
        let suffix = str_of(&quote["suffix"], "suffix");
        let after: String = chars[end..end + suffix.chars().count()].iter().collect();
        assert_eq!(suffix, after, "{id}");
        assert!(prefix.chars().count() == 32 || start == prefix.chars().count());
        if id.contains(":finding:") {
            findings += 1;
        } else {
            assert!(id.contains(":only-in:"), "{id}");
            assert_eq!(motivation, "highlighting");
            only += 1;
        }
    }
    // One annotation per piece of evidence of every finding.
    let json = report(&args);
    let evidence: usize = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["evidence"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(findings, evidence);
    assert!(only > 0, "no only-in annotation");
    // The same bytes on a second run.
    assert_eq!(annotations(&args), doc);
}

/// Labels are untrusted: a label with a terminal escape does not pass through raw.
#[test]
fn labels_in_annotations_carry_no_control_characters() {
    let t = trio();
    let out = ok_output(
        storydiff()
            .args(["compare", "--format", "annotations"])
            .args(["--label", "ku\u{1b}[31mna", "--label", "epa"])
            .args([&t[0], &t[1]]),
    );
    assert!(!out.stdout.contains(&0x1b), "raw escape in the output");
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert!(str_of(&v["label"], "label").contains("ku"));
}

/// A saved web page that states its canonical address is targeted by it; a text file by its
/// path.
#[test]
fn a_page_is_targeted_by_its_canonical_url() {
    let t = trio();
    let dir = std::env::temp_dir().join(format!("storydiff-annot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(&t[0]).unwrap_or_else(|e| panic!("{e}"));
    let body: String = text
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", p.replace('&', "&amp;").replace('<', "&lt;")))
        .collect();
    let page = dir.join("kuna.html");
    std::fs::write(
        &page,
        format!("<html><head><link rel=\"canonical\" href=\"https://kuna.example/lavrov\"></head><body><article>{body}</article></body></html>"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let doc = annotations(&[&page.to_string_lossy(), &t[1]]);
    let sources: BTreeSet<&str> = doc["first"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["target"]["source"].as_str())
        .collect();
    assert_eq!(
        sources,
        BTreeSet::from(["https://kuna.example/lavrov", t[1].as_str()])
    );
    let _ = std::fs::remove_dir_all(&dir);
}
