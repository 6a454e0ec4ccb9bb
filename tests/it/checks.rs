//! The properties every run must keep, checked on any input through the library API and the
//! binary, plus proptest shrinking to a minimal input of the same failure. Shared by the
//! test suite (`tests/it/fuzz.rs`, `tests/it/properties.rs`) and the long campaign
//! (`benches/fuzz.rs` includes this file and `gen.rs` by path).
//!
//! A failure is a [`Violation`]: a kind (`panic`, `coverage`, `diff`, `evidence`, …), a key
//! that tells two failures of one kind apart (the panic's location, the finding kind and what
//! was wrong) and a readable detail.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;
use std::time::{Duration, Instant};

use proptest::strategy::ValueTree;
use storydiff::model::{Article, Report};
use storydiff::{build_article, diff, ingest, Engine, Error};
use storydiff_render::{self as render, Format, RenderOptions};

use crate::gen::Case;

/// One broken property.
#[derive(Debug, Clone)]
pub struct Violation {
    /// Which property: `panic`, `error`, `coverage`, `span`, `partition`, `diff`, `evidence`,
    /// `determinism`, `output-control`, `json`, `binary-exit`, `binary-panic`,
    /// `binary-timeout`.
    pub kind: &'static str,
    /// What tells two failures of one kind apart (panic location, finding kind, …).
    pub key: String,
    /// For a person.
    pub detail: String,
}

impl Violation {
    fn new(kind: &'static str, key: impl Into<String>, detail: impl Into<String>) -> Self {
        Violation {
            kind,
            key: key.into(),
            detail: detail.into(),
        }
    }

    /// Kind and key: failures with one signature are taken to be one bug.
    pub fn signature(&self) -> String {
        format!("{} [{}]", self.kind, self.key)
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.signature(), self.detail)
    }
}

// ------------------------------------------------------------------- panics

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}
static HOOK: Once = Once::new();

fn payload_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".to_string())
}

/// A panic hook that, on a thread inside [`guarded`], records the location and message
/// instead of printing them (shrinking would print hundreds); elsewhere it is the old hook.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let loc = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let msg = payload_text(info.payload());
                LAST_PANIC.with(|p| *p.borrow_mut() = Some((loc, msg)));
            } else {
                previous(info);
            }
        }));
    });
}

/// Run `f`, turning a panic into a `panic` violation keyed by its location.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Violation> {
    install_panic_hook();
    QUIET.with(|q| q.set(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    r.map_err(|payload| {
        let (loc, msg) = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| (String::new(), payload_text(&*payload)));
        let key = if loc.is_empty() {
            msg.chars().take(60).collect()
        } else {
            loc.clone()
        };
        Violation::new("panic", key, format!("panicked at {loc}: {msg}"))
    })
}

// ------------------------------------------------------------- properties

/// Every non-white-space byte is in exactly one sentence or boilerplate span, spans lie on
/// character boundaries and each span's text is the text it points at; sentence indices
/// count from 0 and paragraphs never go back.
pub fn covers(text: &str, a: &Article) -> Result<(), Violation> {
    let mut owner = vec![0u8; text.len()];
    let spans = a
        .sentences
        .iter()
        .map(|s| (s.start, s.end, s.text.as_str(), "sentence"))
        .chain(
            a.boilerplate
                .iter()
                .map(|b| (b.start, b.end, b.text.as_str(), "boilerplate")),
        );
    for (s, e, t, what) in spans {
        if s > e || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            return Err(Violation::new(
                "span",
                format!("{what}-range"),
                format!("{what} span {s}..{e} of a {}-byte text", text.len()),
            ));
        }
        if &text[s..e] != t {
            return Err(Violation::new(
                "span",
                format!("{what}-text"),
                format!(
                    "{what} {s}..{e} says {t:?}, the text there is {:?}",
                    &text[s..e]
                ),
            ));
        }
        for o in &mut owner[s..e] {
            *o = o.saturating_add(1);
        }
    }
    for (k, s) in a.sentences.iter().enumerate() {
        if s.index != k {
            return Err(Violation::new(
                "span",
                "sentence-index",
                format!("sentence {k} has index {}", s.index),
            ));
        }
        if k > 0 && s.paragraph < a.sentences[k - 1].paragraph {
            return Err(Violation::new(
                "span",
                "paragraph-order",
                format!(
                    "sentence {k} is in paragraph {} after {}",
                    s.paragraph,
                    a.sentences[k - 1].paragraph
                ),
            ));
        }
    }
    for (ch_start, ch) in text.char_indices() {
        let n = ch.len_utf8();
        for (b, &count) in owner.iter().enumerate().skip(ch_start).take(n) {
            let bad = if ch.is_whitespace() {
                count > 1
            } else {
                count != 1
            };
            if bad {
                let from = text.floor_char_boundary_compat(ch_start.saturating_sub(30));
                let to = text.floor_char_boundary_compat((ch_start + 30).min(text.len()));
                return Err(Violation::new(
                    "coverage",
                    if count == 0 {
                        "uncovered"
                    } else {
                        "covered-twice"
                    },
                    format!(
                        "byte {b} ({ch:?}, U+{:04X}) covered {count} times, near {:?}",
                        u32::from(ch),
                        &text[from..to]
                    ),
                ));
            }
        }
    }
    Ok(())
}

trait FloorBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

/// Links point at real sentences, every sentence is linked, added or dropped exactly once
/// on its side, and every link's diff gives back both sides (`equal`+`delete` the base
/// sentences joined by one space, `equal`+`insert` the other's).
fn check_comparisons(r: &Report) -> Result<(), Violation> {
    for c in &r.comparisons {
        if c.base.index() >= r.articles.len() || c.other.index() >= r.articles.len() {
            return Err(Violation::new(
                "partition",
                "article",
                format!("{} / {}", c.base.index(), c.other.index()),
            ));
        }
        let (base, other) = (r.article(c.base), r.article(c.other));
        let pair = format!("{}-{}", base.label, other.label);
        let mut seen_base = vec![0u32; base.sentences.len()];
        let mut seen_other = vec![0u32; other.sentences.len()];
        let mark = |seen: &mut Vec<u32>, i: usize, what: &str| match seen.get_mut(i) {
            Some(n) => {
                *n += 1;
                Ok(())
            }
            None => Err(Violation::new(
                "partition",
                "index-out-of-range",
                format!("{pair}: {what} sentence {i} of {}", seen.len()),
            )),
        };
        for l in &c.links {
            for &i in &l.base {
                mark(&mut seen_base, i, "linked base")?;
            }
            for &j in &l.other {
                mark(&mut seen_other, j, "linked other")?;
            }
            if !l.base.windows(2).all(|w| w[0] < w[1]) || !l.other.windows(2).all(|w| w[0] < w[1]) {
                return Err(Violation::new(
                    "partition",
                    "link-order",
                    format!("{pair}: link {:?} / {:?} not ascending", l.base, l.other),
                ));
            }
            let (old, new) = (base.join(&l.base), other.join(&l.other));
            let (got_old, got_new) = (diff::old_side(&l.diff), diff::new_side(&l.diff));
            if got_old != old || got_new != new {
                let side = if got_old != old { "old" } else { "new" };
                return Err(Violation::new(
                    "diff",
                    format!("{side}-side"),
                    format!(
                        "{pair}: link {:?}/{:?}: {side} side {:?} != {:?}",
                        l.base,
                        l.other,
                        if side == "old" { &got_old } else { &got_new },
                        if side == "old" { &old } else { &new }
                    ),
                ));
            }
        }
        for &i in &c.dropped {
            mark(&mut seen_base, i, "dropped")?;
        }
        for &j in &c.added {
            mark(&mut seen_other, j, "added")?;
        }
        for &i in &c.shared_base {
            mark(&mut seen_base, i, "shared")?;
        }
        for &j in &c.shared_other {
            mark(&mut seen_other, j, "shared")?;
        }
        // A view is a projection of the claim graph: never "only in" one outlet of a
        // sentence whose claim the other outlet carries, never "shared" otherwise.
        for (list, side, partner, what) in [
            (&c.dropped, c.base, c.other, false),
            (&c.added, c.other, c.base, false),
            (&c.shared_base, c.base, c.other, true),
            (&c.shared_other, c.other, c.base, true),
        ] {
            if let Some(&i) = list
                .iter()
                .find(|&&i| r.claims.carries(partner, side, i) != what)
            {
                return Err(Violation::new(
                    "graph",
                    if what {
                        "shared-not-in-claim"
                    } else {
                        "only-in-but-carried"
                    },
                    format!("{pair}: {} sentence {i}", r.label(side)),
                ));
            }
        }
        if let Some(k) = seen_base.iter().position(|&n| n != 1) {
            return Err(Violation::new(
                "partition",
                "base",
                format!("{pair}: base sentence {k} counted {} times", seen_base[k]),
            ));
        }
        if let Some(k) = seen_other.iter().position(|&n| n != 1) {
            return Err(Violation::new(
                "partition",
                "other",
                format!("{pair}: other sentence {k} counted {} times", seen_other[k]),
            ));
        }
        for rel in &c.related {
            if rel.base >= base.sentences.len() || rel.other >= other.sentences.len() {
                return Err(Violation::new(
                    "partition",
                    "related-out-of-range",
                    format!("{pair}: related {} / {}", rel.base, rel.other),
                ));
            }
        }
    }
    Ok(())
}

/// Every finding's evidence is `article.text[start..end]` and lies within the sentence it
/// names (a quote over several sentences gives one piece per sentence).
fn check_evidence(r: &Report) -> Result<(), Violation> {
    for f in &r.findings {
        let kind = render::kind_name(f.kind);
        for sref in &f.sentences {
            let ok = r
                .articles
                .get(sref.article.index())
                .is_some_and(|a| sref.index < a.sentences.len());
            if !ok {
                return Err(Violation::new(
                    "evidence",
                    format!("{kind}/bad-sentence-ref"),
                    format!(
                        "finding {} names {}#{}",
                        f.id,
                        sref.article.index(),
                        sref.index
                    ),
                ));
            }
        }
        for e in &f.evidence {
            let bad = |what: &str, detail: String| {
                Err(Violation::new(
                    "evidence",
                    format!("{kind}/{what}"),
                    format!("finding {} ({}): {detail}", f.id, f.explanation),
                ))
            };
            let Some(a) = r.articles.get(e.article.index()) else {
                return bad("unknown-article", e.article.index().to_string());
            };
            if e.start > e.end || e.end > a.text.len() {
                return bad(
                    "out-of-range",
                    format!(
                        "{}..{} of a {}-byte text ({:?})",
                        e.start,
                        e.end,
                        a.text.len(),
                        e.text
                    ),
                );
            }
            if !a.text.is_char_boundary(e.start) || !a.text.is_char_boundary(e.end) {
                return bad(
                    "not-char-boundary",
                    format!("{}..{} ({:?})", e.start, e.end, e.text),
                );
            }
            if a.text[e.start..e.end] != e.text {
                return bad(
                    "text-mismatch",
                    format!(
                        "{}..{} says {:?}, the text there is {:?}",
                        e.start,
                        e.end,
                        e.text,
                        &a.text[e.start..e.end]
                    ),
                );
            }
            let Some(s) = a.sentences.get(e.sentence) else {
                return bad("bad-sentence", format!("sentence {}", e.sentence));
            };
            if e.start < s.start || e.start > s.end || e.end > s.end {
                return bad(
                    "outside-sentence",
                    format!(
                        "evidence {}..{} {:?} is not inside sentence {} ({}..{} {:?})",
                        e.start, e.end, e.text, e.sentence, s.start, s.end, s.text
                    ),
                );
            }
        }
    }
    Ok(())
}

/// Characters that must not reach a terminal raw from article text: C0 controls but the
/// line feed (and, with colour, the ESC of an SGR sequence), DEL, C1 controls, bidi controls
/// and the line and paragraph separators.
fn check_controls(what: &str, out: &[u8], sgr_allowed: bool) -> Result<(), Violation> {
    let text = String::from_utf8_lossy(out);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let bad = match c {
            '\n' => false,
            // A page keeps the tabs of article text (white space there).
            '\t' if what == "html" => false,
            '\u{1b}' if sgr_allowed => {
                // ESC [ digits/semicolons m
                let rest = &text[i + 1..];
                let params = rest.strip_prefix('[').map(|r| {
                    r.find(|ch: char| !(ch.is_ascii_digit() || ch == ';'))
                        .map(|n| &r[n..])
                });
                !matches!(params, Some(Some(r)) if r.starts_with('m'))
            }
            c if c.is_control() => true,
            c => storydiff::wire::is_format_control(c),
        };
        if bad {
            let from = chars[k.saturating_sub(20)].0;
            let to = chars.get(k + 20).map_or(text.len(), |x| x.0);
            return Err(Violation::new(
                "output-control",
                format!("{what}/U+{:04X}", u32::from(c)),
                format!(
                    "{what}: raw U+{:04X} at byte {i}, near {:?}",
                    u32::from(c),
                    &text[from..to]
                ),
            ));
        }
    }
    Ok(())
}

/// The outputs of one in-process run.
struct Run {
    report: Option<Report>,
    outputs: Vec<(&'static str, Vec<u8>)>,
    bodies: usize,
}

/// What a case produced, for the campaign's counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    /// Articles with a body.
    pub bodies: usize,
    /// Links over all comparisons.
    pub links: usize,
    /// Findings.
    pub findings: usize,
}

const FORMATS: &[(&str, Format, bool)] = &[
    ("json", Format::Json, false),
    ("terminal-never", Format::Terminal, false),
    ("terminal-always", Format::Terminal, true),
    ("side-by-side-never", Format::Terminal, false),
    ("side-by-side-always", Format::Terminal, true),
    ("checklist", Format::Checklist, false),
    ("html", Format::Html, false),
];

fn engine(case: &Case, built: &[Article]) -> Engine {
    let base = case
        .base
        .map(Case::label)
        .filter(|l| built.iter().any(|a| &a.label == l));
    Engine::builder()
        .base(base)
        .all_pairs(case.all_pairs)
        .build()
}

/// Read, segment (also with boilerplate kept), compare and render every format.
fn pipeline(case: &Case) -> Result<Run, Violation> {
    let mut built = Vec::new();
    for (k, text) in case.articles.iter().enumerate() {
        let label = Case::label(k);
        let text = match ingest::decode(&label, text.as_bytes().to_vec()) {
            Ok(t) => t,
            Err(Error::Empty { .. }) => continue,
            Err(e) => return Err(Violation::new("error", "decode", e.to_string())),
        };
        let raw = ingest::RawArticle {
            label: label.clone(),
            path: label.clone(),
            text: text.clone(),
        };
        match build_article(raw.clone(), true) {
            Ok(a) => covers(&text, &a)?,
            Err(Error::NoBody { .. }) => {}
            Err(e) => return Err(Violation::new("error", "build-keep", e.to_string())),
        }
        match build_article(raw, false) {
            Ok(a) => built.push(a),
            Err(Error::NoBody { .. }) => {
                // All of it set aside: the boilerplate alone must cover it.
                let a = Article {
                    label,
                    path: String::new(),
                    text: text.clone(),
                    sentences: Vec::new(),
                    boilerplate: ingest::detect_boilerplate(&text),
                    notes: Vec::new(),
                    date: None,
                    url: None,
                };
                covers(&text, &a)?;
            }
            Err(e) => return Err(Violation::new("error", "build", e.to_string())),
        }
    }
    let bodies = built.len();
    if bodies < 2 {
        return Ok(Run {
            report: None,
            outputs: Vec::new(),
            bodies,
        });
    }
    let engine = engine(case, &built);
    let report = engine
        .compare(built)
        .map_err(|e| Violation::new("error", "compare", e.to_string()))?;
    let mut outputs = Vec::new();
    for &(name, format, color) in FORMATS {
        let ro = RenderOptions {
            color,
            width: case.width.clamp(20, 1000),
            timestamp: None,
            layout: if name.starts_with("side-by-side") {
                storydiff_render::Layout::SideBySide
            } else {
                storydiff_render::Layout::Inline
            },
            only: None,
            outlet: None,
        };
        let mut buf = Vec::new();
        render::render(&report, format, &ro, &mut buf)
            .map_err(|e| Violation::new("error", format!("render-{name}"), e.to_string()))?;
        outputs.push((name, buf));
    }
    Ok(Run {
        report: Some(report),
        outputs,
        bodies,
    })
}

fn check_outputs(outputs: &[(&str, Vec<u8>)]) -> Result<(), Violation> {
    for (name, out) in outputs {
        match *name {
            "json" => {
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(out) {
                    return Err(Violation::new("json", "parse", e.to_string()));
                }
                check_controls(name, out, false)?;
            }
            "terminal-never" | "side-by-side-never" | "checklist" | "html" => {
                check_controls(name, out, false)?
            }
            "terminal-always" | "side-by-side-always" => check_controls(name, out, true)?,
            _ => {}
        }
    }
    Ok(())
}

/// Every property through the library, in-process: no panic, coverage and spans, link
/// partition and diff reconstruction, evidence integrity, safe output, and the same bytes
/// from a second run.
pub fn check_library(case: &Case) -> Result<Stats, Violation> {
    let run = guarded(|| pipeline(case))??;
    let mut stats = Stats {
        bodies: run.bodies,
        ..Stats::default()
    };
    let Some(report) = &run.report else {
        return Ok(stats);
    };
    for a in &report.articles {
        covers(&a.text, a)?;
    }
    check_comparisons(report)?;
    check_evidence(report)?;
    check_outputs(&run.outputs)?;
    let again = guarded(|| pipeline(case))??;
    for ((name, a), (_, b)) in run.outputs.iter().zip(&again.outputs) {
        if a != b {
            let at = a
                .iter()
                .zip(b)
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            return Err(Violation::new(
                "determinism",
                *name,
                format!("{name} output differs between two runs from byte {at}"),
            ));
        }
    }
    stats.links = report.comparisons.iter().map(|c| c.links.len()).sum();
    stats.findings = report.findings.len();
    Ok(stats)
}

/// The finding kinds of a report, for the campaign's counts (empty when no report).
pub fn finding_kinds(case: &Case) -> Vec<String> {
    guarded(|| pipeline(case))
        .ok()
        .and_then(Result::ok)
        .and_then(|r| r.report)
        .map(|r| {
            r.findings
                .iter()
                .map(|f| render::kind_name(f.kind))
                .collect()
        })
        .unwrap_or_default()
}

/// Run the binary at `exe` on the case in every format (json, terminal with --color never
/// and always, checklist, html): exit 0 (2 with a one-line error when an article has no
/// body), no panic, valid JSON, no raw control characters where they must not be. Files go
/// to `dir`. Returns the number of runs. `timeout` (the long campaign only; tests judge
/// behaviour, not speed) reports a run that does not exit in time as a hang.
pub fn check_binary(
    exe: &Path,
    case: &Case,
    dir: &Path,
    timeout: Option<Duration>,
) -> Result<usize, Violation> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Violation::new("error", "io", format!("{}: {e}", dir.display())))?;
    let mut files = Vec::new();
    for (k, text) in case.articles.iter().enumerate() {
        let p = dir.join(format!("{}.txt", Case::label(k)));
        std::fs::write(&p, text)
            .map_err(|e| Violation::new("error", "io", format!("{}: {e}", p.display())))?;
        files.push(p);
    }
    // Exit 0 expected unless some article has no body (or is empty): then 2.
    let all_bodies = guarded(|| {
        case.articles.iter().enumerate().all(|(k, t)| {
            let raw = ingest::RawArticle {
                label: Case::label(k),
                path: Case::label(k),
                text: t.clone(),
            };
            !t.trim().is_empty() && build_article(raw, false).is_ok()
        })
    })?;
    let expected = if all_bodies { 0 } else { 2 };
    let mut runs = 0;
    for (name, fmt, color) in [
        ("json", "json", None),
        ("terminal-never", "terminal", Some("never")),
        ("terminal-always", "terminal", Some("always")),
        ("checklist", "checklist", None),
        ("html", "html", None),
    ] {
        let mut cmd = assert_cmd::Command::new(exe);
        cmd.env("STORYDIFF_SCORER", "lexical")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("COLUMNS")
            .arg("compare")
            .args(["--format", fmt]);
        if let Some(t) = timeout {
            cmd.timeout(t);
        }
        if let Some(c) = color {
            // Colour and width are the terminal view's flags.
            cmd.args(["--color", c, "--width", &case.width.to_string()]);
        }
        if case.all_pairs {
            cmd.arg("--all-pairs");
        }
        if let Some(b) = case.base {
            // --base with --all-pairs is refused: every pair is compared, there is no base.
            if all_bodies && !case.all_pairs {
                cmd.args(["--base", &Case::label(b)]);
            }
        }
        cmd.args(&files);
        let started = Instant::now();
        let out = cmd
            .output()
            .map_err(|e| Violation::new("error", "spawn", format!("{}: {e}", exe.display())))?;
        runs += 1;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code().is_none() && timeout.is_some_and(|t| started.elapsed() >= t) {
            return Err(Violation::new(
                "binary-timeout",
                name,
                format!("{name}: no exit after {timeout:?}"),
            ));
        }
        // The binary's panic hook prints "storydiff: internal error (...) at FILE:LINE: ...";
        // exit 101 is a panic whatever it printed.
        if stderr.contains("panicked")
            || stderr.contains("internal error")
            || out.status.code() == Some(101)
        {
            let loc = ["panicked at ", ") at "]
                .iter()
                .find_map(|m| stderr.split(m).nth(1))
                .map(|r| r.split(':').take(2).collect::<Vec<_>>().join(":"))
                .unwrap_or_default();
            return Err(Violation::new(
                "binary-panic",
                loc,
                format!("{name}: {}", stderr.trim()),
            ));
        }
        if out.status.code() != Some(expected) {
            return Err(Violation::new(
                "binary-exit",
                format!("{name}/{:?}", out.status.code()),
                format!(
                    "{name}: exit {:?}, expected {expected}: {}",
                    out.status.code(),
                    stderr.trim()
                ),
            ));
        }
        if expected == 2 {
            if !stderr.starts_with("storydiff: error:") || stderr.trim().lines().count() != 1 {
                return Err(Violation::new(
                    "binary-exit",
                    "error-message",
                    format!("{name}: exit 2 with stderr {stderr:?}"),
                ));
            }
            continue;
        }
        check_outputs(&[(name, out.stdout)])?;
    }
    Ok(runs)
}

/// Shrink a failing case with proptest's value tree to a minimal input that fails with the
/// same signature. Returns it, its violation and how many candidates were tried.
pub fn minimize<T: ValueTree<Value = Case>>(
    tree: &mut T,
    first: Violation,
    check: impl Fn(&Case) -> Option<Violation>,
    max_iters: usize,
    budget: Duration,
) -> (Case, Violation, usize) {
    let sig = first.signature();
    let started = Instant::now();
    let mut best = (tree.current(), first);
    let mut tried = 0;
    if !tree.simplify() {
        return (best.0, best.1, tried);
    }
    while tried < max_iters && started.elapsed() < budget {
        tried += 1;
        let cur = tree.current();
        match check(&cur) {
            Some(v) if v.signature() == sig => {
                best = (cur, v);
                if !tree.simplify() {
                    break;
                }
            }
            _ => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    (best.0, best.1, tried)
}

/// Cut a failing case down further by deleting text while it fails with the same
/// signature: other articles first, then runs of lines, of words and (in short texts) of
/// characters of each article, halving the run length (delta debugging). Returns the case,
/// its violation and how many candidates were tried.
pub fn reduce_text(
    case: Case,
    first: Violation,
    check: impl Fn(&Case) -> Option<Violation>,
    budget: Duration,
) -> (Case, Violation, usize) {
    let sig = first.signature();
    let started = Instant::now();
    let mut best = (case, first);
    let mut tried = 0;
    let fails = |c: &Case, tried: &mut usize| {
        *tried += 1;
        check(c).filter(|v| v.signature() == sig)
    };
    // Whole articles (keeping at least two).
    let mut k = 0;
    while k < best.0.articles.len() && best.0.articles.len() > 2 {
        let mut c = best.0.clone();
        c.articles.remove(k);
        c.base = c.base.filter(|&b| b < c.articles.len());
        match fails(&c, &mut tried) {
            Some(v) => best = (c, v),
            None => k += 1,
        }
    }
    for level in 0..3 {
        for k in 0..best.0.articles.len() {
            let text = best.0.articles[k].clone();
            if level == 2 && text.chars().count() > 3000 {
                continue;
            }
            let mut pieces: Vec<String> = match level {
                0 => text.split_inclusive('\n').map(str::to_string).collect(),
                1 => text
                    .split_inclusive(char::is_whitespace)
                    .map(str::to_string)
                    .collect(),
                _ => text.chars().map(String::from).collect(),
            };
            let mut chunk = pieces.len().div_ceil(2).max(1);
            loop {
                let mut i = 0;
                let mut progressed = false;
                while i < pieces.len() {
                    if started.elapsed() > budget {
                        return (best.0, best.1, tried);
                    }
                    let end = (i + chunk).min(pieces.len());
                    let kept: String = pieces[..i].concat() + &pieces[end..].concat();
                    if kept.trim().is_empty() {
                        i = end;
                        continue;
                    }
                    let mut c = best.0.clone();
                    c.articles[k] = kept;
                    match fails(&c, &mut tried) {
                        Some(v) => {
                            pieces.drain(i..end);
                            best = (c, v);
                            progressed = true;
                        }
                        None => i = end,
                    }
                }
                if chunk == 1 {
                    if !progressed {
                        break;
                    }
                } else {
                    chunk = chunk.div_ceil(2);
                }
            }
        }
    }
    (best.0, best.1, tried)
}

/// A seed for proptest's ChaCha generator from a number.
pub fn seed_bytes(n: u64) -> [u8; 32] {
    let mut s = [0u8; 32];
    let mut x = n ^ 0x9e37_79b9_7f4a_7c15;
    for chunk in s.chunks_mut(8) {
        // splitmix64
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    s
}
