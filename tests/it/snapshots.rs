//! The one end-to-end snapshot: two saved web pages on one harbour fire (a wire report and a
//! regional site's own write-up, `tests/fixtures/web/`), compared in the terminal view with
//! the lexical scorer. Every line of it was read against the two pages and is right: what
//! each outlet set aside, the links and their kinds, the sentences only one has, and the one
//! finding (the regional site quotes only the first half of the spokeswoman's remark). The
//! renderers' own tests (crates/render) check each format on hand-built reports with the
//! expected output inline; the three Jan-14 fixtures are checked by property and finding
//! tests, not pinned, because their output still holds heuristic mistakes.

use crate::storydiff;

#[test]
fn two_web_pages_in_the_terminal_view() {
    // Relative paths from the crate root, so that wrapping and the output do not depend on
    // where the checkout lives.
    let out = storydiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "compare",
            "--scorer",
            "lexical",
            "--color",
            "never",
            "--width",
            "100",
            "--label",
            "wire",
            "--label",
            "regional",
            "tests/fixtures/web/harbour-wire.html",
            "tests/fixtures/web/harbour-regional.html",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}
