//! Integration tests, one binary: the CLI end to end, invariants over the fixtures, snapshots.

mod annotations;
mod bad_input;
mod batch;
mod checks;
mod cli;
mod encoder;
mod findings;
mod fixtures;
mod fuzz;
mod gen;
mod graph;
mod group;
mod pile;
mod properties;
mod scale;
mod semantic;
mod snapshots;
mod stages;
mod trust;
mod tty;
mod web;

use std::path::PathBuf;

/// Path of a shipped fixture, relative to the crate root.
pub fn fixture(rel: &str) -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "fixtures", rel]
        .iter()
        .collect();
    p.to_string_lossy().into_owned()
}

/// The three Jan-14 articles in the order the README uses: KUNA (base), EPA, Brasov.
pub fn trio() -> Vec<String> {
    ["kuna", "epa", "brasov"]
        .iter()
        .map(|o| fixture(&format!("lavrov-2022-01-14/{o}.txt")))
        .collect()
}

/// All five seed articles.
pub fn all_five() -> Vec<String> {
    let mut v = trio();
    v.push(fixture("other-events/nato-russia-council-2022-01-12.txt"));
    v.push(fixture(
        "other-events/aa-lavrov-reports-to-putin-2022-02-14.txt",
    ));
    v
}

/// Read and build an article from a path, panicking with the error on failure.
pub fn load(path: &str) -> storydiff::Article {
    let raw = storydiff::ingest::read_input(path, None).unwrap_or_else(|e| panic!("{e}"));
    storydiff::build_article(raw, false).unwrap_or_else(|e| panic!("{e}"))
}

/// A cache folder for this run of the tests.
pub fn test_cache() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("storydiff-test-cache-{}", std::process::id()))
}

/// The storydiff binary, with the colour and pager variables cleared, the vector cache in
/// [`test_cache`], and the lexical scorer unless a test asks for another
/// (tests/it/semantic.rs does).
pub fn storydiff() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("storydiff").unwrap_or_else(|e| panic!("{e}"));
    // The model's vector cache goes to a folder of this test run, never the user's.
    c.env("XDG_CACHE_HOME", test_cache())
        .env("STORYDIFF_SCORER", "lexical")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .env_remove("STORYDIFF_PAGER")
        .env_remove("PAGER");
    c
}

/// Run a prepared command and return its output, failing the test (with its stderr) unless it
/// exited 0.
pub fn ok_output(cmd: &mut assert_cmd::Command) -> std::process::Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
