//! Snapshots of the renderers on the three Jan-14 fixtures (colour off and on, JSON).

use crate::storydiff;

fn run(extra: &[&str]) -> String {
    // Relative paths from the crate root, so that wrapping and the output do not depend
    // on where the checkout lives.
    let t = ["kuna", "epa", "brasov"].map(|o| format!("fixtures/lavrov-2022-01-14/{o}.txt"));
    let mut args = vec!["compare"];
    args.extend_from_slice(extra);
    args.extend(t.iter().map(String::as_str));
    let out = storydiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(&args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn terminal_plain() {
    insta::assert_snapshot!(run(&["--color", "never", "--width", "100"]));
}

#[test]
fn terminal_colour() {
    insta::assert_snapshot!(run(&["--color", "always", "--width", "80"]).replace('\u{1b}', "<ESC>"));
}

#[test]
fn json() {
    insta::assert_snapshot!(run(&["--format", "json"]));
}

#[test]
fn checklist() {
    insta::assert_snapshot!(run(&["--format", "checklist"]));
}

#[test]
fn html() {
    let page = run(&["--format", "html"]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    insta::assert_snapshot!(page);
}
