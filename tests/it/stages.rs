//! The pipeline's stage order, checked on the source: no module of the engine
//! (`crates/storydiff`) refers to a module of a later stage (outside its `#[cfg(test)]` items,
//! which may build whole reports), and the renderers (`crates/render`) read only the report's
//! data. The renderers, the evaluation harness and the CLI are crates of their own that depend
//! on the engine, so cargo itself keeps the engine from reaching them. A new top-level module
//! of the engine has to be placed in [`STAGES`] to pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The engine's top-level modules in pipeline order; a module may use itself and earlier
/// stages, never the crate root's API.
const STAGES: &[&str] = &[
    "model",
    "error",
    "progress",
    "normalize",
    "ingest",
    "segment",
    "vector",
    "encoder",
    "analyse",
    "align",
    "claims",
    "diff",
    "findings",
    "copies",
    "fold",
    "group",
    "engine",
    "base",
    "wire",
];

/// What the renderers may use of the engine: the report's data, its JSON views and the
/// grouping `group` prints.
const RENDER_READS: &[&str] = &["model", "wire", "group"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for e in entries {
        let p = e.unwrap_or_else(|e| panic!("{e}")).path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module names `code` refers to as `crate::NAME` or inside `crate::{…}`,
/// skipping comments and `#[cfg(test)]` items.
fn references(code: &str) -> BTreeSet<String> {
    references_of(code, "crate::")
}

/// The names `code` refers to as `PREFIX NAME` or inside `PREFIX{…}`, skipping comments and
/// `#[cfg(test)]` items.
fn references_of(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    // The indentation of a `#[cfg(test)]` item being skipped: it ends at the first line that
    // is a `}` at that indentation (rustfmt's layout).
    let mut skipping: Option<String> = None;
    for raw in code.lines() {
        let line = raw.trim_start();
        let indent = &raw[..raw.len() - line.len()];
        if let Some(at) = &skipping {
            if indent == at && line == "}" {
                skipping = None;
            }
            continue;
        }
        if line.starts_with("#[cfg(test)]") {
            skipping = Some(indent.to_string());
            continue;
        }
        if line.starts_with("//") {
            continue;
        }
        let line = line.split(" //").next().unwrap_or("");
        for (at, _) in line.match_indices(prefix) {
            if prefix != "crate::"
                && line[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            {
                continue;
            }
            let rest = &line[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let name = ident(item.trim());
                    if !name.is_empty() {
                        found.insert(name);
                    }
                }
            } else {
                let name = ident(rest);
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        }
    }
    found
}

#[test]
fn the_reference_scanner_reads_paths_groups_and_skips_comments_and_tests() {
    let code = "use crate::model::Article;\n\
                use crate::{normalize, ingest::RawArticle};\n\
                // see crate::render\n\
                let x = crate::align::align(a, b); // crate::cli\n\
                #[cfg(test)]\n\
                mod tests {\n\
                    use crate::render;\n\
                }\n\
                fn after() { crate::segment::segment(t, &[]); }\n";
    let got: Vec<String> = references(code).into_iter().collect();
    assert_eq!(got, ["align", "ingest", "model", "normalize", "segment"]);
    let code = "use storydiff::{model::Report, wire};\n\
                let a = storydiff_render::x(); my_storydiff::y();\n\
                storydiff::group::run();\n";
    let got: Vec<String> = references_of(code, "storydiff::").into_iter().collect();
    assert_eq!(got, ["group", "model", "wire"]);
}

#[test]
fn no_module_uses_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/storydiff/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap_or(f);
        let top = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        if top == "lib" {
            continue;
        }
        let Some(stage) = STAGES.iter().position(|s| *s == top) else {
            problems.push(format!(
                "{}: module `{top}` has no place in STAGES",
                rel.display()
            ));
            continue;
        };
        let code = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for name in references(&code) {
            match STAGES.iter().position(|s| *s == name) {
                Some(used) if used > stage => problems.push(format!(
                    "{}: `{top}` uses the later stage `{name}`",
                    rel.display()
                )),
                Some(_) => {}
                // Not a module: an item of the crate root (Engine, build_article, …).
                None => problems.push(format!(
                    "{}: `{top}` calls the crate root's `{name}`, which runs later stages",
                    rel.display()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn renderers_read_only_the_report() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/render/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(!files.is_empty(), "{}: no sources", src.display());
    let mut problems = Vec::new();
    for f in &files {
        let code = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for name in references_of(&code, "storydiff::") {
            if !RENDER_READS.contains(&name.as_str()) {
                problems.push(format!(
                    "{}: a renderer uses `storydiff::{name}`",
                    f.strip_prefix(&src).unwrap_or(f).display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
