//! Reading a pile: the files and directories named, walked and read in order, with a
//! progress bar on stderr.

use super::*;

/// File names (without extension, any case) that document a folder rather than report news:
/// a directory walk leaves them out, so `storydiff group fixtures/` does not group the README.
pub(crate) const DOCUMENT_NAMES: &[&str] =
    &["readme", "license", "licence", "changelog", "contributing"];

/// Article paths found by [`collect_inputs`], and the documentation files it left out.
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    /// Paths to read, in order.
    pub articles: Vec<String>,
    /// Files a directory walk skipped because their name says they document the folder.
    pub skipped: Vec<String>,
    /// Files a directory walk skipped because their name is not valid UTF-8 (shown lossily).
    pub unnamed: Vec<String>,
}

/// Expand files and directories into article paths: a directory is walked for `.txt`, `.md`,
/// `.html` and `.htm` files in name order, skipping hidden entries and folder documentation (README,
/// LICENSE, CHANGELOG, CONTRIBUTING); a file named directly is always taken.
pub(crate) fn collect_inputs(paths: &[String]) -> Result<Inputs, RunError> {
    fn walk(dir: &std::path::Path, out: &mut Inputs) -> Result<(), RunError> {
        let rd = std::fs::read_dir(dir).map_err(|e| {
            RunError::Fail(format!("{}: cannot read directory: {e}", dir.display()))
        })?;
        let mut entries: Vec<std::fs::DirEntry> = rd.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = e.path();
            let ft = e
                .file_type()
                .map_err(|err| RunError::Fail(format!("{}: {err}", path.display())))?;
            if ft.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|x| {
                ["txt", "md", "html", "htm"]
                    .iter()
                    .any(|e| x.eq_ignore_ascii_case(e))
            }) {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                let Some(shown) = path.to_str().map(str::to_string) else {
                    out.unnamed.push(path.to_string_lossy().into_owned());
                    continue;
                };
                if DOCUMENT_NAMES.contains(&stem.as_str()) {
                    out.skipped.push(shown);
                } else {
                    out.articles.push(shown);
                }
            }
        }
        Ok(())
    }
    let mut out = Inputs::default();
    for p in paths {
        let path = std::path::Path::new(p);
        if path.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.articles.push(p.clone());
        }
    }
    Ok(out)
}

/// Read many articles with a progress bar on a terminal; files found by walking a directory
/// that cannot be read are skipped with a warning, files named directly are errors.
pub(crate) fn read_pile(
    named: &[String],
    keep_boilerplate: bool,
    decoding: ingest::Decoding,
    bar: &StageBar,
) -> Result<Vec<storydiff::Article>, RunError> {
    let inputs = collect_inputs(named)?;
    for doc in &inputs.skipped {
        let doc = storydiff_render::sanitize_for_terminal(doc);
        let _ = writeln!(
            io::stderr(),
            "storydiff: note: {doc} is folder documentation, not an article (skipped; name the file to include it)"
        );
    }
    for name in &inputs.unnamed {
        let name = storydiff_render::sanitize_for_terminal(name);
        let _ = writeln!(
            io::stderr(),
            "storydiff: warning: {name}: file name is not valid UTF-8 (skipped; rename the file to include it)"
        );
    }
    let files = inputs.articles;
    use storydiff::progress::Progress;
    bar.stage("reading", files.len() as u64);
    // Read and segment in parallel; results keep input order.
    use rayon::prelude::*;
    let results: Vec<storydiff::Result<storydiff::Article>> = files
        .par_iter()
        .map(|f| {
            bar.inc(1);
            ingest::read_input_decoding(f, None, decoding).and_then(|(raw, note)| {
                storydiff::build_article_noted(raw, keep_boilerplate, note.into_iter().collect())
            })
        })
        .collect();
    let mut articles = Vec::with_capacity(files.len());
    for (f, read) in files.iter().zip(results) {
        match read {
            Ok(a) => articles.push(a),
            Err(e) if !named.contains(f) => {
                bar.suspend(|| {
                    let msg = storydiff_render::sanitize_for_terminal(&e.to_string());
                    let _ = writeln!(io::stderr(), "storydiff: warning: {msg} (skipped)");
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    if articles.is_empty() {
        return Err(RunError::Fail(
            "no articles found in the given paths".into(),
        ));
    }
    // Labels must be unique within a pile; repeated file stems get their parent folder.
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for a in &articles {
        *seen.entry(a.label.clone()).or_default() += 1;
    }
    for a in &mut articles {
        if seen.get(&a.label).copied().unwrap_or(0) > 1 {
            if let Some(parent) = std::path::Path::new(&a.path)
                .parent()
                .and_then(|p| p.file_name())
            {
                a.label = format!("{}/{}", parent.to_string_lossy(), a.label);
            }
        }
    }
    // Same stem in same-named folders (a/x/k.txt, b/x/k.txt): number the repeats.
    ingest::dedupe_labels(&mut articles);
    Ok(articles)
}

/// Progress of the long stages on standard error: a bar on a terminal, nothing otherwise.
pub(crate) struct StageBar(indicatif::ProgressBar);

impl StageBar {
    /// A bar on stderr when it is a terminal (hidden otherwise).
    pub(crate) fn new() -> StageBar {
        let bar = if io::stderr().is_terminal() {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        };
        let bar = StageBar(bar);
        bar.restyle(1);
        bar
    }

    /// A bar with the count out of `total`, or, when the total is not known (0: a pile
    /// being read), a spinner with the count so far.
    fn restyle(&self, total: u64) {
        if let Ok(style) = indicatif::ProgressStyle::with_template(stage_template(total)) {
            self.0.set_style(style.progress_chars("=> "));
        }
    }

    /// Print a line above the bar (or plainly when hidden).
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.0.suspend(f)
    }
}

impl storydiff::progress::Progress for StageBar {
    fn stage(&self, name: &str, total: u64) {
        self.restyle(total);
        self.0.set_message(name.to_string());
        self.0.set_length(total);
        self.0.set_position(0);
    }
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }
}

/// The progress line of a stage of `total` steps; 0 means the total is not known.
pub(crate) fn stage_template(total: u64) -> &'static str {
    if total == 0 {
        "{spinner} {msg:>10} {pos} so far {elapsed}"
    } else {
        "{msg:>12} [{bar:30}] {pos}/{len} {elapsed}"
    }
}

impl Drop for StageBar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
