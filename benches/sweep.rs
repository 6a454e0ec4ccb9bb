//! Corpus sweep: runs the `storydiff compare` binary (release profile) on every article pair
//! of the public corpora in ../shared/benchmarks, read where they lie (never copied; each job's
//! two inputs are written to a folder under the system temp dir), and checks what the output
//! promises rather than how good the alignment is:
//!
//! - **exit**: every run exits 0, or 2 with a one-line error for input storydiff refuses
//!   (counted and listed as *refused*, not a violation). A panic (exit 101, or "panicked" on
//!   stderr) is always a violation, and so is any other status or one format refusing what
//!   another accepts.
//! - **coverage**: in the JSON, every non-white-space byte of each input lies in exactly one
//!   sentence or boilerplate span, and each span's `text` is the file's bytes `[start, end)`
//!   (after a UTF-8 BOM, as docs/json.md says). A file read as HTML or Markdown is checked
//!   against its article `text`, the file with markup blanked in place (as long as the file).
//! - **diff**: for every link, the `equal` and `delete` chunks give back the base side and
//!   the `equal` and `insert` chunks the other side, a side being its sentences' texts joined
//!   by one space (`Article::join`, as the engine diffs them).
//! - **evidence**: each finding's evidence `text` is the file's bytes `[start, end)` and lies
//!   inside the sentence it names (a quote over several sentences has one piece per sentence).
//! - **determinism**: the JSON of every job twice, and terminal, checklist and HTML twice for
//!   every 10th job of a corpus: byte-identical output and the same exit status.
//! - **controls**: no output of any format, stdout or stderr, holds a raw control character
//!   (C0 but tab and line feed, DEL, C1) or a bidirectional override; the terminal view runs
//!   with colour off, so it holds no escape at all.
//! - **marks**: with colour off, a diff mark an input's text holds (`[-`, `-]`, `{+`, `+}`,
//!   as the whole white-space-free word it sits in) never appears in the terminal view as it
//!   is: it is escaped, so only storydiff's own marks read as marks.
//! - Each corpus's line ends with its findings by kind (a tally, not a check), so a change to
//!   the findings can be read off it.
//! - Every 150th job of a corpus runs with the semantic scorer (the installed model), the rest
//!   with the lexical one.
//!
//! Jobs, by corpus: `news_ecb` every ABCD-LINK document pair, written once one sentence per
//! line and once as paragraphs of three sentences; `meter` every newspaper article (raw text)
//! against the PA copy of its story folder, built as `eval::meter` builds it; `news_he` every
//! ABCD-LINK news_he article pair, rebuilt from the sentence texts in annotations.csv placed
//! by sentence_boundaries.json; `mrpc` the first 500 pairs of the MRPC test split, each
//! sentence an article of its own. METER is Latin-1 and is written out as UTF-8.
//!
//! Run: `cargo bench --bench sweep [-- [--quick] [CORPUS...]]`, CORPUS one of `news_ecb`,
//! `meter`, `news_he`, `mrpc` (default: all). `--quick` keeps every 20th job of each corpus.
//! Two worker threads. Prints per-corpus counts and up to 20 example violations; the inputs
//! of jobs with a violation are kept in the temp folder to reproduce them. Exits 1 on any
//! violation, 2 when a corpus cannot be read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

/// The output formats every job goes through, JSON first.
const FORMATS: [&str; 4] = ["json", "terminal", "checklist", "html"];
/// Worker threads (the machine this was written for has two cores).
const WORKERS: usize = 2;
/// `--quick` keeps every this-many-th job of a corpus.
const QUICK_STEP: usize = 20;
/// Every this-many-th job of a corpus runs the non-JSON formats twice as well.
const DETERMINISM_STEP: usize = 10;
/// Every this-many-th job of a corpus runs with the semantic scorer (the installed model);
/// the others with the lexical one (a semantic run costs about a second of encoding).
const SEMANTIC_STEP: usize = 150;
/// How many MRPC test pairs to run.
const MRPC_PAIRS: usize = 500;
/// Example violations printed at the end.
const MAX_EXAMPLES: usize = 20;
/// Refused inputs listed at the end.
const MAX_REFUSED_LISTED: usize = 20;
/// The exit code storydiff documents for bad input (README, "Exit codes").
const EXIT_REFUSED: i32 = 2;
/// The exit code of a Rust panic.
const EXIT_PANIC: i32 = 101;

/// The corpora, in the order they run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Corpus {
    NewsEcb,
    Meter,
    NewsHe,
    Mrpc,
}

impl Corpus {
    const ALL: [Corpus; 4] = [Corpus::NewsEcb, Corpus::Meter, Corpus::NewsHe, Corpus::Mrpc];

    fn name(self) -> &'static str {
        match self {
            Corpus::NewsEcb => "news_ecb",
            Corpus::Meter => "meter",
            Corpus::NewsHe => "news_he",
            Corpus::Mrpc => "mrpc",
        }
    }

    /// The jobs of this corpus, read from the benchmarks folder `root`.
    fn load(self, root: &Path) -> Result<Loaded, String> {
        match self {
            Corpus::NewsEcb => news_ecb(root),
            Corpus::Meter => meter(root),
            Corpus::NewsHe => news_he(root),
            Corpus::Mrpc => mrpc(root),
        }
    }
}

/// What a check found wrong.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    /// The corpus itself is malformed where a job was to be built.
    Data,
    /// The sweep could not write an input or start storydiff.
    SweepIo,
    Panic,
    Exit,
    /// The JSON output does not parse or lacks a documented field.
    Json,
    Coverage,
    Diff,
    Evidence,
    Nondeterministic,
    /// A raw control character in an output.
    Control,
    /// A diff mark from article text printed unescaped with colour off.
    Mark,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Data => "data",
            Kind::SweepIo => "sweep-io",
            Kind::Panic => "panic",
            Kind::Exit => "exit-status",
            Kind::Json => "json",
            Kind::Coverage => "coverage",
            Kind::Diff => "diff",
            Kind::Evidence => "evidence",
            Kind::Nondeterministic => "nondeterministic",
            Kind::Control => "control-character",
            Kind::Mark => "forgeable-mark",
        }
    }
}

/// One input file of a job.
struct Input {
    /// File name (its stem is the article's label).
    file: String,
    text: String,
}

/// One `storydiff compare` of two inputs, in every format.
struct Job {
    /// Where the pair comes from, for reports.
    name: String,
    inputs: [Input; 2],
    /// Run the non-JSON formats twice too (set for every [`DETERMINISM_STEP`]-th job).
    all_twice: bool,
    /// Run with the semantic scorer (every [`SEMANTIC_STEP`]-th job).
    semantic: bool,
}

impl Job {
    fn new(name: String, a: (String, String), b: (String, String)) -> Job {
        let input = |(file, text)| Input { file, text };
        Job {
            name,
            inputs: [input(a), input(b)],
            all_twice: false,
            semantic: false,
        }
    }
}

/// A corpus read into jobs, with what could not become a job.
#[derive(Default)]
struct Loaded {
    jobs: Vec<Job>,
    /// Malformed records, each a [`Kind::Data`] violation: (where, what).
    problems: Vec<(String, String)>,
    /// Records left out for a reason that is not a fault (e.g. no text to rebuild).
    skipped: Vec<String>,
}

/// The violations of one job: per kind, how many and the first one's detail.
#[derive(Default)]
struct Found(BTreeMap<Kind, (usize, String)>);

impl Found {
    fn add(&mut self, kind: Kind, detail: String) {
        self.0.entry(kind).or_insert((0, detail)).0 += 1;
    }
}

/// What running one job gave.
#[derive(Default)]
struct Outcome {
    runs: usize,
    /// storydiff's error line when it refused the input (exit 2).
    refused: Option<String>,
    found: Found,
    /// The JSON report's findings by kind (not violations: read them to judge the
    /// findings, e.g. how many date-time findings a change leaves).
    findings: BTreeMap<String, usize>,
}

// ---------------------------------------------------------------------------------------------
// Corpora

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

fn read_json(path: &Path) -> Result<Value, String> {
    serde_json::from_str(&read_text(path)?)
        .map_err(|e| format!("{}: not JSON: {e}", path.display()))
}

/// A Latin-1 file as a `String` (every byte is the code point of the same number).
fn read_latin1(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    Ok(bytes.into_iter().map(char::from).collect())
}

/// The entries of a folder, sorted by path.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: cannot list: {e}", dir.display()))?;
    let mut out = Vec::new();
    for e in rd {
        out.push(
            e.map_err(|e| format!("{}: cannot list: {e}", dir.display()))?
                .path(),
        );
    }
    out.sort();
    Ok(out)
}

/// The `.txt` files directly in a folder, sorted.
fn txt_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    Ok(sorted_entries(dir)?
        .into_iter()
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "txt"))
        .collect())
}

/// The sub-folders of a folder, sorted.
fn sub_dirs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    Ok(sorted_entries(dir)?
        .into_iter()
        .filter(|p| p.is_dir())
        .collect())
}

/// A way to lay out a list of sentences as an article's text.
type Layout = fn(&[String]) -> String;

/// Sentences one per line.
fn as_lines(sentences: &[String]) -> String {
    sentences.iter().map(|s| format!("{s}\n")).collect()
}

/// Sentences joined by spaces into paragraphs of three, separated by blank lines.
fn as_paragraphs(sentences: &[String]) -> String {
    let paragraphs: Vec<String> = sentences.chunks(3).map(|p| p.join(" ")).collect();
    paragraphs.join("\n\n") + "\n"
}

/// The sentences of news_ecb document `id` in index order.
fn ecb_sentences(docs: &Value, id: &str) -> Result<Vec<String>, String> {
    let sents = docs
        .get(id)
        .and_then(Value::as_object)
        .ok_or_else(|| format!("docs.json has no document {id}"))?;
    let mut ordered = Vec::new();
    for (k, v) in sents {
        let index: usize = k
            .parse()
            .map_err(|_| format!("docs.json: {id}: sentence key {k:?} is not a number"))?;
        let text = v
            .as_str()
            .ok_or_else(|| format!("docs.json: {id}/{k}: not a string"))?;
        ordered.push((index, text.to_string()));
    }
    ordered.sort();
    Ok(ordered.into_iter().map(|(_, t)| t).collect())
}

/// Every news_ecb document pair (sorted by pair id), each written two ways.
fn news_ecb(root: &Path) -> Result<Loaded, String> {
    let dir = root.join("abcd-link-news/news_ecb");
    let docs = read_json(&dir.join("docs.json"))?;
    let links = read_json(&dir.join("news_ecb_links.json"))?;
    let pairs = links
        .as_object()
        .ok_or("news_ecb_links.json: expected an object of pairs")?;
    let mut ids: Vec<&String> = pairs.keys().collect();
    ids.sort();
    let mut out = Loaded::default();
    for id in ids {
        let pair = &pairs[id.as_str()];
        let where_ = format!("news_ecb pair {id}");
        let (Some(d1), Some(d2)) = (pair["doc1"].as_str(), pair["doc2"].as_str()) else {
            out.problems.push((where_, "no doc1/doc2 strings".into()));
            continue;
        };
        let (s1, s2) = match (ecb_sentences(&docs, d1), ecb_sentences(&docs, d2)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                out.problems.push((where_, e));
                continue;
            }
        };
        let forms: [(&str, Layout); 2] = [("lines", as_lines), ("paragraphs", as_paragraphs)];
        for (form, write) in forms {
            out.jobs.push(Job::new(
                format!("news_ecb {id} ({form})"),
                (format!("{d1}.txt"), write(&s1)),
                (format!("{d2}.txt"), write(&s2)),
            ));
        }
    }
    Ok(out)
}

/// The PA copy of a METER story folder as `eval::meter` builds it: every PA file in it, in
/// file-name order, trimmed and followed by a blank line. `None` when the folder has none.
fn meter_pa_source(pa_story: &Path) -> Result<Option<String>, String> {
    if !pa_story.is_dir() {
        return Ok(None);
    }
    let mut text = String::new();
    for f in txt_files(pa_story)? {
        text.push_str(read_latin1(&f)?.trim());
        text.push_str("\n\n");
    }
    Ok((!text.is_empty()).then_some(text))
}

/// Every METER newspaper article (`newspapers/rawtexts/<domain>/<date>/<story>/*.txt`)
/// against the PA copy of its story folder.
fn meter(root: &Path) -> Result<Loaded, String> {
    let meter = root.join("meter");
    let papers = meter.join("newspapers/rawtexts");
    let mut out = Loaded::default();
    for domain in ["courts", "showbiz"] {
        for date in sub_dirs(&papers.join(domain))? {
            for story in sub_dirs(&date)? {
                let rel = story
                    .strip_prefix(&papers)
                    .expect("a story folder is under the rawtexts folder")
                    .to_path_buf();
                let articles = txt_files(&story)?;
                let Some(pa) = meter_pa_source(&meter.join("PA/rawtexts").join(&rel))? else {
                    out.skipped.push(format!(
                        "meter {}: no PA copy, {} article(s) left out",
                        rel.display(),
                        articles.len()
                    ));
                    continue;
                };
                for f in articles {
                    let file = f
                        .file_name()
                        .expect("a listed file has a name")
                        .to_string_lossy()
                        .into_owned();
                    out.jobs.push(Job::new(
                        format!("meter {}/{file} vs PA", rel.display()),
                        ("pa.txt".to_string(), pa.clone()),
                        (file, read_latin1(&f)?),
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Rows of a CSV text (RFC 4180: a quoted field may hold commas, line breaks and `""`).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, _) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// news_he sentence texts from annotations.csv: (pair, "doc1"/"doc2", sentence) → text.
type HeTexts = BTreeMap<(String, &'static str, usize), String>;

/// The sentence texts annotations.csv quotes (source sentences are doc1's, targets doc2's).
fn news_he_texts(path: &Path, out: &mut Loaded) -> Result<HeTexts, String> {
    let rows = csv_rows(&read_text(path)?);
    let header = rows.first().ok_or("annotations.csv: empty")?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("annotations.csv: no column {name}"))
    };
    let pair = col("document_id")?;
    let sides = [
        ("doc1", col("source_id")?, col("source_sentence")?),
        ("doc2", col("target_id")?, col("target_sentence")?),
    ];
    let mut texts = HeTexts::new();
    for (n, row) in rows.iter().enumerate().skip(1) {
        let where_ = format!("news_he annotations.csv row {}", n + 1);
        for (side, id_col, text_col) in sides {
            let (Some(p), Some(id), Some(text)) =
                (row.get(pair), row.get(id_col), row.get(text_col))
            else {
                out.problems.push((where_.clone(), "too few fields".into()));
                continue;
            };
            let Ok(id) = id.parse::<usize>() else {
                out.problems
                    .push((where_.clone(), format!("sentence id {id:?}")));
                continue;
            };
            let previous = texts.insert((p.clone(), side, id), text.clone());
            if previous.is_some_and(|t| t != *text) {
                out.problems
                    .push((where_.clone(), format!("{side} sentence {id}: two texts")));
            }
        }
    }
    Ok(texts)
}

/// The sentence boundaries of one side of a news_he pair: (sentence, start, end) by sentence.
fn he_bounds(side: &Value) -> Result<Vec<(usize, u64, u64)>, String> {
    let obj = side.as_object().ok_or("expected an object of sentences")?;
    let mut out = Vec::new();
    for (k, v) in obj {
        let id = k.parse().map_err(|_| format!("sentence key {k:?}"))?;
        let (Some(s), Some(e)) = (v[0].as_u64(), v[1].as_u64()) else {
            return Err(format!("sentence {k}: expected [start, end]"));
        };
        out.push((id, s, e));
    }
    out.sort();
    Ok(out)
}

/// One news_he article rebuilt from the sentences annotations.csv quotes, in order, one per
/// line; a blank line where sentences are missing or the original offsets leave more than one
/// character between two sentences (likely a paragraph break). `None` when no text is known.
fn he_article(
    pair: &str,
    side: &'static str,
    bounds: &[(usize, u64, u64)],
    texts: &HeTexts,
) -> Option<String> {
    let mut out = String::new();
    let mut previous: Option<(usize, u64)> = None;
    for &(id, start, end) in bounds {
        let Some(text) = texts.get(&(pair.to_string(), side, id)) else {
            continue;
        };
        if let Some((pid, pend)) = previous {
            let adjacent = pid + 1 == id && start.saturating_sub(pend) <= 1;
            out.push_str(if adjacent { "\n" } else { "\n\n" });
        }
        out.push_str(text);
        previous = Some((id, end));
    }
    (!out.is_empty()).then(|| out + "\n")
}

/// Every news_he article pair of sentence_boundaries.json (in numeric order) with text.
fn news_he(root: &Path) -> Result<Loaded, String> {
    let dir = root.join("abcd-link-news/news_he");
    let mut out = Loaded::default();
    let texts = news_he_texts(&dir.join("annotations.csv"), &mut out)?;
    let bounds = read_json(&dir.join("sentence_boundaries.json"))?;
    let pairs = bounds
        .as_object()
        .ok_or("sentence_boundaries.json: expected an object of pairs")?;
    let mut ids: Vec<&String> = pairs.keys().collect();
    ids.sort_by_key(|id| (id.parse::<u64>().unwrap_or(u64::MAX), id.as_str()));
    for id in ids {
        let where_ = format!("news_he pair {id}");
        let side = |s: &'static str| -> Result<Option<String>, String> {
            let b = he_bounds(&pairs[id.as_str()][s]).map_err(|e| format!("{s}: {e}"))?;
            Ok(he_article(id, s, &b, &texts))
        };
        match (side("doc1"), side("doc2")) {
            (Ok(Some(a)), Ok(Some(b))) => out.jobs.push(Job::new(
                where_,
                (format!("{id}-doc1.txt"), a),
                (format!("{id}-doc2.txt"), b),
            )),
            (Err(e), _) | (_, Err(e)) => out.problems.push((where_, e)),
            _ => out
                .skipped
                .push(format!("{where_}: no sentence text in annotations.csv")),
        }
    }
    Ok(out)
}

/// The first [`MRPC_PAIRS`] pairs of the MRPC test split, each sentence an article.
fn mrpc(root: &Path) -> Result<Loaded, String> {
    let path = root.join("mrpc/msr_paraphrase_test.txt");
    let text = read_text(&path)?;
    let mut out = Loaded::default();
    // No header line in this copy (see its README); the first line starts with a BOM.
    for (n, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        if out.jobs.len() == MRPC_PAIRS {
            break;
        }
        let where_ = format!("mrpc test line {}", n + 1);
        let f: Vec<&str> = line.split('\t').collect();
        let [_, id1, id2, s1, s2] = f[..] else {
            out.problems.push((
                where_,
                format!("{} tab-separated fields, expected 5", f.len()),
            ));
            continue;
        };
        out.jobs.push(Job::new(
            format!("{where_} (#{id1} vs #{id2})"),
            (format!("{id1}.txt"), format!("{s1}\n")),
            (format!("{id2}.txt"), format!("{s2}\n")),
        ));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Running storydiff

/// One `storydiff compare` in `format` on `paths` (the terminal view without colour, 100
/// columns wide: the flags only it takes).
fn invoke(exe: &str, format: &str, paths: &[PathBuf], semantic: bool) -> std::io::Result<Output> {
    let mut cmd = Command::new(exe);
    cmd.env(
        "STORYDIFF_SCORER",
        if semantic { "semantic" } else { "lexical" },
    );
    cmd.args(["compare", "--format", format]);
    if format == "terminal" {
        cmd.args(["--color", "never", "--width", "100"]);
    }
    cmd.args(paths).output()
}

/// How one run ended.
enum Status {
    Ran,
    Refused(String),
    Failed,
}

/// Check one run's exit status and stderr, recording panics and unexpected statuses.
fn classify(format: &str, out: &Output, found: &mut Found) -> Status {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first_line = stderr
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string();
    let panicked = stderr.contains("panicked");
    if panicked || out.status.code() == Some(EXIT_PANIC) {
        // "thread 'main' panicked at FILE:LINE:COL:" and the message on the next line.
        let lines: Vec<&str> = stderr.lines().collect();
        let msg = match lines.iter().position(|l| l.contains("panicked")) {
            Some(k) => format!("{} {}", lines[k], lines.get(k + 1).unwrap_or(&"")),
            None => first_line,
        };
        let msg: String = msg.trim().chars().take(200).collect();
        found.add(Kind::Panic, format!("{format}: {msg}"));
        return Status::Failed;
    }
    match out.status.code() {
        Some(0) => Status::Ran,
        Some(EXIT_REFUSED) => Status::Refused(first_line),
        Some(c) => {
            found.add(Kind::Exit, format!("{format}: exit {c}: {first_line}"));
            Status::Failed
        }
        None => {
            found.add(Kind::Exit, format!("{format}: killed by a signal"));
            Status::Failed
        }
    }
}

/// The first byte at which two outputs differ, for a report.
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

/// Record a violation when two runs of one format differ in status or output.
fn check_same(format: &str, a: &Output, b: &Output, found: &mut Found) {
    if a.status.code() != b.status.code() {
        found.add(
            Kind::Nondeterministic,
            format!(
                "{format}: exit {:?} then {:?}",
                a.status.code(),
                b.status.code()
            ),
        );
    } else if a.stdout != b.stdout {
        found.add(
            Kind::Nondeterministic,
            format!(
                "{format}: outputs differ at byte {} ({} and {} bytes)",
                first_difference(&a.stdout, &b.stdout),
                a.stdout.len(),
                b.stdout.len()
            ),
        );
    }
}

/// Write a job's inputs into `dir`.
fn write_inputs(dir: &Path, job: &Job) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    job.inputs
        .iter()
        .map(|i| {
            let p = dir.join(&i.file);
            std::fs::write(&p, &i.text)?;
            Ok(p)
        })
        .collect()
}

/// Run one job in every format (twice where asked) and check everything; its inputs go to
/// `dir`, removed afterwards unless a violation was found.
fn run_job(exe: &str, dir: &Path, job: &Job) -> Outcome {
    let mut outcome = Outcome::default();
    let paths = match write_inputs(dir, job) {
        Ok(p) => p,
        Err(e) => {
            outcome.found.add(
                Kind::SweepIo,
                format!("{}: cannot write: {e}", dir.display()),
            );
            return outcome;
        }
    };
    let mut statuses = Vec::new();
    for format in FORMATS {
        let times = if format == "json" || job.all_twice {
            2
        } else {
            1
        };
        let mut outputs = Vec::new();
        for _ in 0..times {
            outcome.runs += 1;
            match invoke(exe, format, &paths, job.semantic) {
                Ok(o) => outputs.push(o),
                Err(e) => outcome
                    .found
                    .add(Kind::SweepIo, format!("cannot run {exe}: {e}")),
            }
        }
        let Some(first) = outputs.first() else {
            continue;
        };
        let status = classify(format, first, &mut outcome.found);
        for o in &outputs {
            check_controls(format, o, &mut outcome.found);
        }
        if format == "terminal" {
            check_marks(job, &first.stdout, &mut outcome.found);
        }
        if let Some(second) = outputs.get(1) {
            classify(format, second, &mut outcome.found);
            check_same(format, first, second, &mut outcome.found);
        }
        if format == "json" && matches!(status, Status::Ran) {
            check_json(&first.stdout, job, &mut outcome.found);
            count_findings(&first.stdout, &mut outcome.findings);
        }
        statuses.push((format, status));
    }
    check_refusals(&statuses, &mut outcome);
    if outcome.found.0.is_empty() {
        let _ = std::fs::remove_dir_all(dir);
    }
    outcome
}

/// Record a raw control character (C0 but tab and line feed, DEL, C1, a bidirectional
/// override) in a run's stdout or stderr.
fn check_controls(format: &str, out: &Output, found: &mut Found) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        if let Some((k, c)) = text.char_indices().find(|&(_, c)| {
            (c.is_control() && c != '\n' && c != '\t') || storydiff::wire::is_format_control(c)
        }) {
            found.add(
                Kind::Control,
                format!("{format} {stream}: U+{:04X} at byte {k}", u32::from(c)),
            );
        }
    }
}

/// Record an input word holding a diff mark that the colourless terminal view printed as
/// it is (storydiff escapes such marks, so only its own read as marks).
fn check_marks(job: &Job, stdout: &[u8], found: &mut Found) {
    let shown = String::from_utf8_lossy(stdout);
    for input in &job.inputs {
        for word in input.text.split_whitespace() {
            if ["[-", "-]", "{+", "+}"].iter().any(|m| word.contains(m)) && shown.contains(word) {
                found.add(
                    Kind::Mark,
                    format!("{}: {:?} shown unescaped", input.file, excerpt(word)),
                );
            }
        }
    }
}

/// Refusing an input is fine, but every format must refuse it alike.
fn check_refusals(statuses: &[(&str, Status)], outcome: &mut Outcome) {
    let refused: Vec<&str> = statuses
        .iter()
        .filter(|(_, s)| matches!(s, Status::Refused(_)))
        .map(|(f, _)| *f)
        .collect();
    let ran: Vec<&str> = statuses
        .iter()
        .filter(|(_, s)| matches!(s, Status::Ran))
        .map(|(f, _)| *f)
        .collect();
    if !refused.is_empty() && !ran.is_empty() {
        outcome.found.add(
            Kind::Exit,
            format!(
                "{} refused the input, {} ran",
                refused.join("+"),
                ran.join("+")
            ),
        );
    }
    outcome.refused = statuses.iter().find_map(|(_, s)| match s {
        Status::Refused(msg) => Some(msg.clone()),
        _ => None,
    });
}

// ---------------------------------------------------------------------------------------------
// Checking the JSON

/// A byte span of the output with its text.
struct Span {
    start: usize,
    end: usize,
    text: String,
}

/// One article of the output next to the file it came from.
struct View<'a> {
    label: String,
    /// The input's bytes after a UTF-8 BOM.
    bytes: &'a [u8],
    sentences: Vec<Span>,
}

/// A short, escaped excerpt of `s` for a report.
fn excerpt(s: &str) -> String {
    let cut: String = s.chars().take(60).collect();
    if cut.len() < s.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

/// The file's bytes `[start, end)` as text for a report.
fn file_excerpt(bytes: &[u8], start: usize, end: usize) -> String {
    let end = end.min(bytes.len());
    excerpt(&String::from_utf8_lossy(&bytes[start.min(end)..end]))
}

fn parse_span(v: &Value) -> Option<Span> {
    Some(Span {
        start: usize::try_from(v["start"].as_u64()?).ok()?,
        end: usize::try_from(v["end"].as_u64()?).ok()?,
        text: v["text"].as_str()?.to_string(),
    })
}

/// Whether a span's text is exactly the file's bytes `[start, end)`.
fn matches_file(span: &Span, bytes: &[u8]) -> bool {
    span.start <= span.end
        && span.end <= bytes.len()
        && &bytes[span.start..span.end] == span.text.as_bytes()
}

/// Parse the JSON report of a job and run every check on it.
/// Count the findings of a JSON report by kind.
fn count_findings(stdout: &[u8], counts: &mut BTreeMap<String, usize>) {
    let Ok(report) = serde_json::from_slice::<Value>(stdout) else {
        return;
    };
    for f in report["findings"].as_array().into_iter().flatten() {
        if let Some(kind) = f["kind"].as_str() {
            *counts.entry(kind.to_string()).or_default() += 1;
        }
    }
}

fn check_json(stdout: &[u8], job: &Job, found: &mut Found) {
    let report: Value = match serde_json::from_slice(stdout) {
        Ok(v) => v,
        Err(e) => return found.add(Kind::Json, format!("not JSON: {e}")),
    };
    let Some(views) = check_articles(&report, job, found) else {
        return;
    };
    check_links(&report, &views, found);
    check_evidence(&report, &views, found);
}

/// Check spans and byte coverage of both articles; returns their views for the other checks.
fn check_articles<'a>(report: &'a Value, job: &'a Job, found: &mut Found) -> Option<Vec<View<'a>>> {
    let articles = report["articles"].as_array();
    let Some(articles) = articles.filter(|a| a.len() == job.inputs.len()) else {
        found.add(Kind::Json, "expected one article per input".into());
        return None;
    };
    let mut views = Vec::new();
    for (article, input) in articles.iter().zip(&job.inputs) {
        let bytes = input.text.as_bytes();
        let mut bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        // A file read as HTML or Markdown: the article text is the file with its markup
        // blanked in place (docs/json.md), so offsets stay the file's; spans, coverage and
        // evidence are checked against that text, which must be as long as the file.
        if let Some(text) = article["text"].as_str() {
            if text.as_bytes() != bytes {
                if text.len() != bytes.len() {
                    found.add(
                        Kind::Coverage,
                        format!(
                            "{}: article text is {} bytes, the file {}",
                            input.file,
                            text.len(),
                            bytes.len()
                        ),
                    );
                    return None;
                }
                bytes = text.as_bytes();
            }
        }
        let parse = |key: &str| -> Option<Vec<Span>> {
            article[key].as_array()?.iter().map(parse_span).collect()
        };
        let (Some(label), Some(sentences), Some(boilerplate)) = (
            article["label"].as_str(),
            parse("sentences"),
            parse("boilerplate"),
        ) else {
            found.add(Kind::Json, format!("{}: malformed article", input.file));
            return None;
        };
        check_coverage(&input.file, bytes, &sentences, &boilerplate, found);
        views.push(View {
            label: label.to_string(),
            bytes,
            sentences,
        });
    }
    Some(views)
}

/// Every span's text is the file's bytes, and every non-white-space byte is in exactly one
/// span (sentence or boilerplate). Records the first fault of each sort per file.
fn check_coverage(
    file: &str,
    bytes: &[u8],
    sentences: &[Span],
    boilerplate: &[Span],
    found: &mut Found,
) {
    let mut count = vec![0u32; bytes.len()];
    let mut bad_text = None;
    for (kind, list) in [("sentence", sentences), ("boilerplate", boilerplate)] {
        for (i, s) in list.iter().enumerate() {
            if !matches_file(s, bytes) {
                bad_text.get_or_insert(format!(
                    "{file}: {kind} {i} [{}, {}) text {} but file bytes {}",
                    s.start,
                    s.end,
                    excerpt(&s.text),
                    file_excerpt(bytes, s.start, s.end)
                ));
            }
            let end = s.end.min(bytes.len());
            count[s.start.min(end)..end]
                .iter_mut()
                .for_each(|c| *c += 1);
        }
    }
    if let Some(d) = bad_text {
        found.add(Kind::Coverage, d);
    }
    let text = std::str::from_utf8(bytes).expect("an input is a String");
    let fault = text
        .char_indices()
        .find(|&(i, c)| !c.is_whitespace() && count[i..i + c.len_utf8()].iter().any(|&n| n != 1));
    if let Some((i, c)) = fault {
        found.add(
            Kind::Coverage,
            format!(
                "{file}: byte {i} ({c:?}, in {} spans) near {}",
                count[i],
                file_excerpt(bytes, i.saturating_sub(20), i + 20)
            ),
        );
    }
}

/// The view with `label`.
fn view<'v>(views: &'v [View], label: Option<&str>) -> Option<&'v View<'v>> {
    views.iter().find(|v| Some(v.label.as_str()) == label)
}

/// The sentence indices of a link side.
fn indices(v: &Value) -> Option<Vec<usize>> {
    v.as_array()?
        .iter()
        .map(|i| i.as_u64().and_then(|i| usize::try_from(i).ok()))
        .collect()
}

/// A link side as the engine diffs it: its sentences' texts joined by one space.
fn side_text(view: &View, idx: &[usize]) -> Option<String> {
    let parts: Option<Vec<&str>> = idx
        .iter()
        .map(|&i| view.sentences.get(i).map(|s| s.text.as_str()))
        .collect();
    Some(parts?.join(" "))
}

/// The concatenated texts of the diff chunks whose op is `equal` or `side_op`.
fn diff_side(diff: &[Value], side_op: &str) -> Option<String> {
    let mut out = String::new();
    for c in diff {
        let (op, text) = (c["op"].as_str()?, c["text"].as_str()?);
        if op == "equal" || op == side_op {
            out.push_str(text);
        } else if op != "delete" && op != "insert" {
            return None;
        }
    }
    Some(out)
}

/// Every link's diff gives back both sides exactly.
fn check_links(report: &Value, views: &[View], found: &mut Found) {
    for cmp in report["comparisons"].as_array().into_iter().flatten() {
        let (Some(base), Some(other)) = (
            view(views, cmp["base"].as_str()),
            view(views, cmp["other"].as_str()),
        ) else {
            found.add(Kind::Json, "comparison names an unknown article".into());
            continue;
        };
        for (k, link) in cmp["links"].as_array().into_iter().flatten().enumerate() {
            let sides = (indices(&link["base"]), indices(&link["other"]));
            let (Some(bi), Some(oi)) = sides else {
                found.add(Kind::Json, format!("link {k}: malformed sentence indices"));
                continue;
            };
            let (Some(want_base), Some(want_other)) = (side_text(base, &bi), side_text(other, &oi))
            else {
                found.add(Kind::Diff, format!("link {k}: sentence index out of range"));
                continue;
            };
            let diff = link["diff"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            let sides = [
                (
                    "equal+delete",
                    diff_side(diff, "delete"),
                    want_base,
                    &bi,
                    &base.label,
                ),
                (
                    "equal+insert",
                    diff_side(diff, "insert"),
                    want_other,
                    &oi,
                    &other.label,
                ),
            ];
            for (what, got, want, idx, label) in sides {
                match got {
                    None => found.add(Kind::Json, format!("link {k}: malformed diff chunk")),
                    Some(got) if got != want => found.add(
                        Kind::Diff,
                        format!(
                            "link {k} ({label} {idx:?}): {what} differs at byte {}: {} vs {}",
                            first_difference(got.as_bytes(), want.as_bytes()),
                            excerpt(&got),
                            excerpt(&want)
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
}

/// Every finding's evidence is the file's bytes and lies in the sentence it names.
fn check_evidence(report: &Value, views: &[View], found: &mut Found) {
    for f in report["findings"].as_array().into_iter().flatten() {
        let kind = f["kind"].as_str().unwrap_or("?");
        let id = format!("finding {} ({kind})", f["id"].as_str().unwrap_or("?"));
        for e in f["evidence"].as_array().into_iter().flatten() {
            let (Some(v), Some(span), Some(sentence)) = (
                view(views, e["article"].as_str()),
                parse_span(e),
                e["sentence"].as_u64().and_then(|i| usize::try_from(i).ok()),
            ) else {
                found.add(Kind::Json, format!("{id}: malformed evidence"));
                continue;
            };
            if let Some(problem) = evidence_problem(v, &span, sentence) {
                found.add(Kind::Evidence, format!("{id} in {}: {problem}", v.label));
            }
        }
    }
}

/// What is wrong with one evidence span, if anything.
fn evidence_problem(v: &View, span: &Span, sentence: usize) -> Option<String> {
    if !matches_file(span, v.bytes) {
        return Some(format!(
            "text {} but file bytes [{}, {}) are {}",
            excerpt(&span.text),
            span.start,
            span.end,
            file_excerpt(v.bytes, span.start, span.end)
        ));
    }
    let Some(s) = v.sentences.get(sentence) else {
        return Some(format!("names sentence {sentence}, which does not exist"));
    };
    let inside = s.start <= span.start && span.start <= span.end && span.end <= s.end;
    (!inside).then(|| {
        format!(
            "[{}, {}) {} is not inside sentence {sentence} [{}, {}) {}",
            span.start,
            span.end,
            excerpt(&span.text),
            s.start,
            s.end,
            excerpt(&s.text)
        )
    })
}

// ---------------------------------------------------------------------------------------------
// The sweep and its report

/// Run `jobs` on [`WORKERS`] threads; outcomes come back in job order.
fn sweep(exe: &str, tmp: &Path, corpus: Corpus, jobs: &[Job]) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else {
                    break;
                };
                let outcome = run_job(exe, &tmp.join(corpus.name()).join(i.to_string()), job);
                results.lock().expect("no worker panics holding the lock")[i] = Some(outcome);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n % 500 == 0 {
                    eprintln!("{}: {n}/{} jobs", corpus.name(), jobs.len());
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no worker panics holding the lock")
        .into_iter()
        .map(|o| o.expect("every job ran"))
        .collect()
}

/// One violation for the examples: corpus, job, kind, detail.
struct Example {
    corpus: Corpus,
    job: String,
    dir: Option<PathBuf>,
    kind: Kind,
    detail: String,
}

/// The totals of one corpus.
struct Summary {
    corpus: Corpus,
    jobs: usize,
    runs: usize,
    refused: Vec<(String, String)>,
    skipped: Vec<String>,
    /// Per kind: jobs with such a violation, and violations in all.
    kinds: BTreeMap<Kind, (usize, usize)>,
    /// Findings of the JSON reports by kind.
    findings: BTreeMap<String, usize>,
    time: Duration,
}

/// Load, run and tally one corpus; violations are appended to `examples`.
fn run_corpus(
    exe: &str,
    root: &Path,
    tmp: &Path,
    corpus: Corpus,
    quick: bool,
    examples: &mut Vec<Example>,
) -> Result<Summary, String> {
    let started = Instant::now();
    let loaded = corpus.load(root)?;
    let mut jobs = loaded.jobs;
    for (i, job) in jobs.iter_mut().enumerate() {
        job.all_twice = i % DETERMINISM_STEP == 0;
        job.semantic = i % SEMANTIC_STEP == 0;
    }
    let jobs: Vec<Job> = jobs
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !quick || i % QUICK_STEP == 0)
        .map(|(_, j)| j)
        .collect();
    let mut summary = Summary {
        corpus,
        jobs: jobs.len(),
        runs: 0,
        refused: Vec::new(),
        skipped: loaded.skipped,
        kinds: BTreeMap::new(),
        findings: BTreeMap::new(),
        time: Duration::ZERO,
    };
    for (job, detail) in loaded.problems {
        let e = summary.kinds.entry(Kind::Data).or_default();
        e.0 += 1;
        e.1 += 1;
        examples.push(Example {
            corpus,
            job,
            dir: None,
            kind: Kind::Data,
            detail,
        });
    }
    let outcomes = sweep(exe, tmp, corpus, &jobs);
    for (i, (job, outcome)) in jobs.iter().zip(outcomes).enumerate() {
        summary.runs += outcome.runs;
        for (kind, n) in outcome.findings {
            *summary.findings.entry(kind).or_default() += n;
        }
        if let Some(msg) = outcome.refused {
            summary.refused.push((job.name.clone(), msg));
        }
        for (kind, (n, detail)) in outcome.found.0 {
            let e = summary.kinds.entry(kind).or_default();
            e.0 += 1;
            e.1 += n;
            examples.push(Example {
                corpus,
                job: job.name.clone(),
                dir: Some(tmp.join(corpus.name()).join(i.to_string())),
                kind,
                detail,
            });
        }
    }
    summary.time = started.elapsed();
    Ok(summary)
}

fn print_summary(s: &Summary) {
    println!(
        "{:<9} {:>5} jobs {:>6} runs {:>4} refused {:>3} skipped {:>8.1} s",
        s.corpus.name(),
        s.jobs,
        s.runs,
        s.refused.len(),
        s.skipped.len(),
        s.time.as_secs_f64()
    );
    if s.kinds.is_empty() {
        println!("          no violations");
    }
    for (kind, (jobs, n)) in &s.kinds {
        println!("          {:<17} {jobs:>5} jobs ({n} in all)", kind.name());
    }
    for skipped in &s.skipped {
        println!("          skipped: {skipped}");
    }
    let findings: Vec<String> = s.findings.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!("          findings: {}", findings.join(", "));
}

/// Up to [`MAX_EXAMPLES`] violations: the first of each (corpus, kind), then the rest in order.
fn pick_examples(all: &[Example]) -> Vec<&Example> {
    let mut picked: Vec<usize> = Vec::new();
    let mut seen = Vec::new();
    for (i, e) in all.iter().enumerate() {
        if !seen.contains(&(e.corpus, e.kind)) {
            seen.push((e.corpus, e.kind));
            picked.push(i);
        }
    }
    for i in 0..all.len() {
        if picked.len() >= MAX_EXAMPLES {
            break;
        }
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.truncate(MAX_EXAMPLES);
    picked.sort();
    picked.into_iter().map(|i| &all[i]).collect()
}

/// Command-line options of the sweep.
struct Options {
    quick: bool,
    corpora: Vec<Corpus>,
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        quick: false,
        corpora: Vec::new(),
    };
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => opts.quick = true,
            // cargo bench passes --bench to benches without a harness.
            "--bench" => {}
            name => match Corpus::ALL.iter().find(|c| c.name() == name) {
                Some(&c) if !opts.corpora.contains(&c) => opts.corpora.push(c),
                Some(_) => {}
                None => {
                    return Err(format!(
                        "unknown argument {name:?}; usage: sweep [--quick] [news_ecb|meter|news_he|mrpc ...]"
                    ))
                }
            },
        }
    }
    if opts.corpora.is_empty() {
        opts.corpora = Corpus::ALL.to_vec();
    }
    Ok(opts)
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(e) => {
            eprintln!("sweep: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// The whole sweep; `Ok(true)` when no violation was found.
fn run() -> Result<bool, String> {
    let opts = parse_args()?;
    let exe = env!("CARGO_BIN_EXE_storydiff");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks");
    if !root.is_dir() {
        return Err(format!(
            "{}: not found; the sweep reads the corpora there",
            root.display()
        ));
    }
    let tmp = std::env::temp_dir().join(format!("storydiff-sweep-{}", std::process::id()));
    let started = Instant::now();
    let mut examples = Vec::new();
    let mut summaries = Vec::new();
    for &corpus in &opts.corpora {
        summaries.push(run_corpus(
            exe,
            &root,
            &tmp,
            corpus,
            opts.quick,
            &mut examples,
        )?);
    }
    println!(
        "storydiff sweep{}: compare --format {} (terminal with --color never --width 100)",
        if opts.quick { " (--quick)" } else { "" },
        FORMATS.join("|")
    );
    summaries.iter().for_each(print_summary);
    let (jobs, runs) = summaries
        .iter()
        .fold((0, 0), |(j, r), s| (j + s.jobs, r + s.runs));
    println!(
        "total     {jobs:>5} jobs {runs:>6} runs, {} violations, {:.1} s",
        examples.len(),
        started.elapsed().as_secs_f64()
    );
    print_refused(&summaries);
    print_examples(&examples);
    if examples.is_empty() {
        let _ = std::fs::remove_dir_all(&tmp);
    } else {
        println!(
            "inputs of the jobs with violations are kept under {}",
            tmp.display()
        );
    }
    Ok(examples.is_empty())
}

fn print_refused(summaries: &[Summary]) {
    let refused: Vec<&(String, String)> = summaries.iter().flat_map(|s| &s.refused).collect();
    if refused.is_empty() {
        return;
    }
    println!("\nrefused inputs (exit {EXIT_REFUSED}):");
    for (job, msg) in refused.iter().take(MAX_REFUSED_LISTED) {
        println!("  {job}: {msg}");
    }
    if refused.len() > MAX_REFUSED_LISTED {
        println!("  … and {} more", refused.len() - MAX_REFUSED_LISTED);
    }
}

fn print_examples(examples: &[Example]) {
    if examples.is_empty() {
        return;
    }
    println!(
        "\nexample violations ({} of {}):",
        MAX_EXAMPLES.min(examples.len()),
        examples.len()
    );
    for e in pick_examples(examples) {
        println!("  [{}] {}", e.kind.name(), e.job);
        if let Some(dir) = &e.dir {
            println!("      inputs: {}", dir.display());
        }
        println!("      {}", e.detail);
    }
}
