//! `storydiff batch`: JSON Lines in, JSON Lines out, over piles too large to hold in memory
//! (documented in docs/batch.md).
//!
//! Two passes. The first streams the input once: every line is parsed, checked and segmented,
//! its *block keys* are computed from the article alone ([`block_keys`]: the LSH bands of its
//! shingles, which copies share, and pairs of the names its lead puts first, which independent
//! reports of one event share), the line is spilled to a temporary file and its shingle set to
//! another, and only its [`Digest`] stays in memory. Articles sharing a key are joined in one
//! block (union-find): blocks are the connected components of the key graph and depend on
//! nothing but the articles in them. The second pass takes one block at a time, in order of its
//! first article: it finds copies inside it ([`storydiff::group::find_copies`], reading back the
//! shingle sets of candidate pairs), groups events over its originals
//! ([`storydiff::group::events`], reading back and segmenting the originals a chunk at a time),
//! compares each event's originals and writes one line per event. Memory holds the digests of
//! the pile and the originals' terms of one block, never the pile's text: one topic's stories
//! chain into one block, which may be most of the pile.
//!
//! Because a block depends only on its own articles and their relative order, any split of the
//! input that keeps blocks whole and their articles in input order gives the same events:
//! that is what the Spark job (scripts/spark/) relies on (`--keys` prints the keys).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, Write};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use storydiff::group::{Digest, GroupParams};
use storydiff::model::Article;
use storydiff::normalize::{self, TokenClass};
use storydiff::progress::Progress;

/// Version of the output lines' schema.
pub const BATCH_VERSION: u32 = 1;

/// At most this many originals of one event are compared (the earliest); the event's line
/// says when the budget applied.
pub const MAX_COMPARED: usize = 50;

/// Lines are parsed and segmented in parallel in chunks of this many.
const CHUNK: usize = 1024;

/// How many lead names make the event keys: the ones whose name keys hash lowest, so two
/// articles sharing their lead names choose the same ones.
const LEAD_NAMES: usize = 4;

/// One input line.
#[derive(Debug, Clone, Deserialize)]
struct Line {
    id: String,
    outlet: String,
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// A line parsed with its block keys, digest and shingle set, or its line number and problem.
type Parsed = Result<(Line, Vec<u64>, Digest, Vec<storydiff::copies::Shingle>), (usize, String)>;

/// Where an article's line lies (in its input file, or in the lines' spill file), and its
/// shingle set in the sets' spill file.
#[derive(Clone, Copy)]
struct Spilled {
    /// Which of the [`Reader`]'s line files holds the line.
    source: u32,
    offset: u64,
    len: u32,
    set_offset: u64,
    set_len: u32,
}

/// Reads articles back by their index in the pile, from their input file or the spill files.
/// A read that fails (every line was checked in the first pass, so that is an input file
/// changed during the run or a broken disk) hands back an empty value and is kept, and the run
/// stops with it at the end of the stage ([`Reader::check`]).
struct Reader<'a> {
    /// The input files read back by position (by input), and the lines' spill file (last).
    lines: Vec<&'a std::fs::File>,
    sets: &'a std::fs::File,
    spilled: &'a [Spilled],
    keep_boilerplate: bool,
    failed: Mutex<Option<String>>,
}

impl Reader<'_> {
    /// `len` bytes of `file` from `offset`, by a positioned read (no shared cursor, so
    /// threads read at once).
    fn read(file: &std::fs::File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; len];
        #[cfg(unix)]
        std::os::unix::fs::FileExt::read_exact_at(file, &mut buf, offset)?;
        #[cfg(windows)]
        {
            let mut done = 0;
            while done < len {
                let n = std::os::windows::fs::FileExt::seek_read(
                    file,
                    &mut buf[done..],
                    offset + done as u64,
                )?;
                if n == 0 {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
                done += n;
            }
        }
        #[cfg(not(any(unix, windows)))]
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "reading back needs positioned reads (Unix or Windows)",
        ));
        Ok(buf)
    }

    fn fail(&self, what: String) {
        if let Ok(mut f) = self.failed.lock() {
            f.get_or_insert(what);
        }
    }

    /// The line of article `g`, as checked in the first pass.
    fn line(&self, g: usize) -> Option<Line> {
        let s = self.spilled[g];
        let read = Self::read(self.lines[s.source as usize], s.offset, s.len as usize)
            .map_err(|e| e.to_string())
            .and_then(|buf| parse_line(&String::from_utf8_lossy(&buf)));
        read.map_err(|e| self.fail(e)).ok()
    }

    /// Article `g`, segmented again.
    fn article(&self, g: usize) -> Cow<'static, Article> {
        let built = self.line(g).and_then(|l| {
            build(&l, self.keep_boilerplate)
                .map_err(|e| self.fail(e))
                .ok()
        });
        Cow::Owned(built.unwrap_or_default())
    }

    /// The shingle set of article `g`.
    fn shingles(&self, g: usize) -> Cow<'static, [storydiff::copies::Shingle]> {
        const SIZE: usize = std::mem::size_of::<storydiff::copies::Shingle>();
        let s = self.spilled[g];
        match Self::read(self.sets, s.set_offset, s.set_len as usize * SIZE) {
            // `read` fills the whole buffer or fails, so every chunk is a whole shingle.
            Ok(buf) => Cow::Owned(
                buf.chunks_exact(SIZE)
                    .map(|b| {
                        let mut bytes = [0; SIZE];
                        bytes.copy_from_slice(b);
                        storydiff::copies::Shingle::from_le_bytes(bytes)
                    })
                    .collect(),
            ),
            Err(e) => {
                self.fail(e.to_string());
                Cow::Owned(Vec::new())
            }
        }
    }

    /// The first failed read, as the run's error.
    fn check(&self) -> Result<(), BatchError> {
        match self.failed.lock().ok().and_then(|mut f| f.take()) {
            Some(e) => Err(BatchError::Io(
                "reading an article back (was an input file changed during the run?)".into(),
                io::Error::other(e),
            )),
            None => Ok(()),
        }
    }
}

/// An input of the batch: a name for messages (the file, or "standard input") and a reader.
pub struct Input {
    /// The name used in messages.
    pub name: String,
    /// The lines.
    pub reader: Box<dyn BufRead + Send>,
    /// A second handle on the same file, when the input is one: its lines are read back from
    /// it by position instead of being copied to a temporary file (standard input is copied).
    pub file: Option<std::fs::File>,
}

/// The lines of a reader, numbered from 1, with the byte offset each starts at; the line
/// break ("\n" or "\r\n") is not part of the line.
struct Numbered {
    reader: Box<dyn BufRead + Send>,
    offset: u64,
    number: usize,
}

impl Iterator for Numbered {
    type Item = (usize, u64, io::Result<String>);

    fn next(&mut self) -> Option<Self::Item> {
        let mut line = String::new();
        let start = self.offset;
        self.number += 1;
        match self.reader.read_line(&mut line) {
            Ok(0) => None,
            Ok(n) => {
                self.offset += n as u64;
                if line.ends_with('\n') {
                    line.pop();
                    if line.ends_with('\r') {
                        line.pop();
                    }
                }
                // A UTF-8 byte-order mark opening the input is not part of its first line
                // (as `compare` drops one from a file).
                let mut start = start;
                if self.number == 1 && line.starts_with('\u{feff}') {
                    line.drain(..3);
                    start += 3;
                }
                Some((self.number, start, Ok(line)))
            }
            Err(e) => Some((self.number, start, Err(e))),
        }
    }
}

/// What went wrong: a malformed line (with its place), or an I/O failure.
#[derive(Debug)]
pub enum BatchError {
    /// A line that is not an article: `name:line: problem`.
    Line {
        /// The input's name.
        name: String,
        /// The line number, from 1.
        line: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// Reading, spilling or writing failed.
    Io(String, io::Error),
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchError::Line {
                name,
                line,
                problem,
            } => write!(f, "{name}:{line}: {problem}"),
            BatchError::Io(what, e) => write!(f, "{what}: {e}"),
        }
    }
}

/// How a batch runs.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Grouping parameters.
    pub params: GroupParams,
    /// Keep site chrome in the body.
    pub keep_boilerplate: bool,
    /// Print each article's block keys instead of events.
    pub keys: bool,
    /// The scorer that aligns the articles of each event (lexical unless asked).
    pub scoring: storydiff::Scoring,
}

/// The final line's counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// `"summary"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// [`BATCH_VERSION`].
    pub version: u32,
    /// Articles read.
    pub articles: usize,
    /// Blocks the pile was cut into.
    pub blocks: usize,
    /// Events written.
    pub events: usize,
    /// Events of two or more articles.
    pub multi_article_events: usize,
    /// Articles folded into an original as copies.
    pub copies: usize,
    /// Events whose originals were compared.
    pub compared: usize,
    /// How many events had a budget apply (each event's line says which).
    pub budgeted_events: usize,
}

/// Check and parse one line.
fn parse_line(text: &str) -> Result<Line, String> {
    // Only a JSON object is an article: serde would also read an array positionally.
    if !text.trim_start().starts_with('{') {
        return Err(
            "not an article: expected a JSON object with \"id\", \"outlet\" and \"text\"".into(),
        );
    }
    let line: Line = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        // serde_json adds "at line 1 column N"; the line is ours to number.
        match msg.rfind(" at line ") {
            Some(k) if e.line() == 1 => {
                format!("not an article: {} (column {})", &msg[..k], e.column())
            }
            _ => format!("not an article: {msg}"),
        }
    })?;
    if line.id.is_empty() {
        return Err("\"id\" is empty".into());
    }
    if line.outlet.trim().is_empty() {
        return Err("\"outlet\" is empty".into());
    }
    if let Some(d) = &line.date {
        if storydiff::ingest::iso_date(d).is_none() {
            return Err(format!(
                "\"date\" {:?} does not start with a valid ISO 8601 date (YYYY-MM-DD)",
                d.chars().take(40).collect::<String>()
            ));
        }
    }
    // The checks `compare` makes of a file's bytes, made of the text.
    storydiff::ingest::check_bytes("\"text\"", line.text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(line)
}

fn build(line: &Line, keep_boilerplate: bool) -> Result<Article, String> {
    let raw = storydiff::ingest::RawArticle {
        label: line.outlet.clone(),
        path: line.id.clone(),
        text: line.text.trim_start_matches('\u{feff}').to_string(),
    };
    storydiff::build_article(raw, keep_boilerplate).map_err(|e| match e {
        storydiff::Error::NoBody { .. } => "\"text\" has no sentences".to_string(),
        other => other.to_string(),
    })
}

/// Lines of one input read together: (line number, text) and each line's byte offset.
struct Chunk {
    lines: Vec<(usize, String)>,
    starts: Vec<u64>,
}

/// The next chunk of non-blank lines of `lines` (at most [`CHUNK`]) with their byte offsets;
/// empty at the end of the input.
fn read_chunk(lines: &mut Numbered, name: &str) -> Result<Chunk, BatchError> {
    let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHUNK);
    let mut starts: Vec<u64> = Vec::with_capacity(CHUNK);
    for (k, start, line) in lines.by_ref() {
        let line = line.map_err(|e| {
            if e.kind() == io::ErrorKind::InvalidData {
                BatchError::Line {
                    name: name.to_string(),
                    line: k,
                    problem: "not valid UTF-8".into(),
                }
            } else {
                BatchError::Io(name.to_string(), e)
            }
        })?;
        if line.trim().is_empty() {
            continue;
        }
        chunk.push((k, line));
        starts.push(start);
        if chunk.len() == CHUNK {
            break;
        }
    }
    Ok(Chunk {
        lines: chunk,
        starts,
    })
}

/// Parse, segment and digest every line of `chunk`, in parallel.
fn parse_chunk(chunk: &[(usize, String)], opts: &BatchOptions) -> Vec<Parsed> {
    chunk
        .par_iter()
        .map(|(n, text)| {
            let line = parse_line(text).map_err(|p| (*n, p))?;
            let a = build(&line, opts.keep_boilerplate).map_err(|p| (*n, p))?;
            let sh = storydiff::copies::shingles(&storydiff::copies::body(&a));
            let digest = Digest::of(&a, &sh, line.date.clone());
            let keys = keys_with_bands(&a, digest.bands.clone());
            Ok((line, keys, digest, storydiff::copies::set(&sh)))
        })
        .collect()
}

/// The block keys of an article, from the article alone: the LSH bands of its shingles
/// (copies share one) and every pair of its `LEAD_NAMES` (4) lead names whose keys hash lowest
/// (names written capitalised inside the first three sentences, weekdays and months aside),
/// which independent reports of one event share. Sorted, without repeats.
pub fn block_keys(a: &Article) -> Vec<u64> {
    let sh = storydiff::copies::shingles(&storydiff::copies::body(a));
    keys_with_bands(a, storydiff::copies::band_keys(&sh))
}

/// [`block_keys`] from the article's band keys.
fn keys_with_bands(a: &Article, bands: Vec<u64>) -> Vec<u64> {
    let mut keys = bands;
    let mut names: Vec<u64> = Vec::new();
    for s in a.sentences.iter().take(3) {
        for t in normalize::tokens(&s.text) {
            if t.class == TokenClass::Word
                && t.capitalised
                && !t.initial
                && !storydiff::analyse::facts::is_calendar_word(&t.norm)
            {
                let key = normalize::name_term(&t.norm);
                names.push(storydiff::copies::mix(storydiff::normalize::fnv1a(
                    key.as_bytes(),
                )));
            }
        }
    }
    names.sort_unstable();
    names.dedup();
    names.truncate(LEAD_NAMES);
    for i in 0..names.len() {
        for j in i + 1..names.len() {
            keys.push(storydiff::copies::mix(
                names[i] ^ storydiff::copies::mix(names[j] ^ 0x6e61_6d65),
            ));
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[parent[x as usize] as usize];
        parent[x as usize] = p;
        x = p;
    }
    x
}

/// A temporary file removed when dropped.
struct Spill {
    path: std::path::PathBuf,
    file: std::fs::File,
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn spill_file(kind: &str) -> Result<Spill, BatchError> {
    let dir = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    for attempt in 0..100u32 {
        let path = dir.join(format!(
            "storydiff-batch-{}-{nanos}-{attempt}.{kind}",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok(Spill { path, file }),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(BatchError::Io(format!("{}", path.display()), e)),
        }
    }
    Err(BatchError::Io(
        "temporary file".into(),
        io::Error::other("no free name"),
    ))
}

fn write_line(out: &mut dyn Write, v: &impl Serialize) -> Result<(), BatchError> {
    let text = storydiff::wire::to_safe_string(v, false)
        .map_err(|e| BatchError::Io("JSON".into(), io::Error::other(e.to_string())))?;
    writeln!(out, "{text}").map_err(|e| BatchError::Io("standard output".into(), e))
}

/// Events of one block are compared and written in parallel in chunks of this many.
const EVENT_CHUNK: usize = 64;

/// A block holding at least one in this many of the pile's articles shows its own progress
/// stages (copies, profiles, candidates, clustering, comparing).
const BIG_BLOCK_SHARE: usize = 10;

/// What writing an event's line needs of its block.
struct EventCtx<'a, 'r> {
    /// The block's digests (local indices).
    block: &'a [Digest],
    /// The block's articles' indices in the pile.
    members: &'a [u32],
    urls: &'a [Option<String>],
    reader: &'a Reader<'r>,
    keep_boilerplate: bool,
    scoring: &'a storydiff::Scoring,
    grouping_budgets: &'a [String],
    /// The block's number.
    b: usize,
}

/// What an event's line adds to the summary.
struct EventCounts {
    compared: bool,
    budgeted: bool,
    multi: bool,
}

/// The line of one event (`ev`'s indices local to its block): its originals compared.
fn event_line(
    mut ev: storydiff::group::Event,
    event_no: usize,
    cx: &EventCtx<'_, '_>,
) -> Result<(String, EventCounts), BatchError> {
    let block = cx.block;
    let global = |i: usize| cx.members[i] as usize;
    let copies_of: HashSet<usize> = ev
        .copies
        .iter()
        .flat_map(|c| c.copies.iter().map(|x| x.member))
        .collect();
    // The originals, earliest first (stated date, then input order).
    let mut originals: Vec<usize> = ev
        .members
        .iter()
        .copied()
        .filter(|m| !copies_of.contains(m))
        .collect();
    originals.sort_by(|&x, &y| {
        let key = |i: usize| (block[i].date.is_none(), block[i].date.as_deref(), i);
        key(x).cmp(&key(y))
    });
    let mut budgets = Vec::new();
    if originals.len() > MAX_COMPARED {
        budgets.push(format!(
            "{} originals: the earliest {MAX_COMPARED} are compared, the other {} are listed in the event only",
            originals.len(),
            originals.len() - MAX_COMPARED
        ));
        originals.truncate(MAX_COMPARED);
    }
    let mut compared = false;
    let mut base = None;
    let report = if originals.len() >= 2 {
        let mut docs: Vec<Article> = originals
            .iter()
            .map(|&i| cx.reader.article(global(i)).into_owned())
            .collect();
        cx.reader.check()?;
        // The base by the rule `compare --by-event` follows: the earliest stated date (the
        // line's `date`, else the text's), else the wire-like article the others carry most.
        let dates: Vec<Option<&str>> = originals
            .iter()
            .map(|&i| block[i].date.as_deref())
            .collect();
        let choice = storydiff::base::choose(&docs, None, &dates, &Default::default());
        // The base goes first: labels of a feed may repeat, its place may not.
        let b = docs.remove(choice.index);
        docs.insert(0, b);
        base = Some(choice);
        let engine = storydiff::Engine::builder()
            .scoring(cx.scoring.clone())
            .keep_boilerplate(cx.keep_boilerplate)
            .build();
        match engine.compare(docs) {
            Ok(r) => {
                compared = true;
                Some(r)
            }
            Err(e) => {
                budgets.push(format!("not compared: {e}"));
                None
            }
        }
    } else {
        None
    };
    // Indices become the pile's (input order across all inputs).
    let articles_out: Vec<serde_json::Value> = ev
        .members
        .iter()
        .map(|&i| {
            let d = &block[i];
            let mut o = serde_json::json!({"id": d.path, "outlet": d.label});
            if let Some(date) = &d.date {
                o["date"] = date.clone().into();
            }
            if let Some(u) = &cx.urls[global(i)] {
                o["url"] = u.clone().into();
            }
            o
        })
        .collect();
    for m in &mut ev.members {
        *m = global(*m);
    }
    for c in &mut ev.copies {
        c.original = global(c.original);
        for x in &mut c.copies {
            x.member = global(x.member);
        }
    }
    let counts = EventCounts {
        compared,
        budgeted: !budgets.is_empty(),
        multi: ev.members.len() > 1,
    };
    let line = serde_json::json!({
        "type": "event",
        "version": BATCH_VERSION,
        "event": event_no,
        "block": cx.b,
        "articles": articles_out,
        "group": ev,
        "base": base,
        "report": report.as_ref().map(storydiff::wire::ReportJson::from),
        "budgets": budgets,
        "grouping_budgets": cx.grouping_budgets,
    });
    let text = storydiff::wire::to_safe_string(&line, false)
        .map_err(|e| BatchError::Io("JSON".into(), io::Error::other(e.to_string())))?;
    Ok((text, counts))
}

/// Run a batch: read every input, write the event lines and the summary to `out`.
pub fn run(
    inputs: Vec<Input>,
    opts: &BatchOptions,
    out: &mut dyn Write,
    progress: &dyn Progress,
) -> Result<Summary, BatchError> {
    let mut spill = spill_file("jsonl")?;
    let mut set_spill = spill_file("sets")?;
    let mut spilled: Vec<Spilled> = Vec::new();
    let mut digests: Vec<Digest> = Vec::new();
    let mut urls: Vec<Option<String>> = Vec::new();
    let mut ids: FxHashSet<String> = FxHashSet::default();
    // Union-find over articles; the first article seen with each key.
    let mut parent: Vec<u32> = Vec::new();
    let mut first_with: FxHashMap<u64, u32> = FxHashMap::default();
    let (mut offset, mut set_offset) = (0u64, 0u64);
    let mut inputs = inputs;
    let read_back: Vec<Option<std::fs::File>> = inputs.iter_mut().map(|i| i.file.take()).collect();
    let spill_source = read_back.len() as u32;
    progress.stage("reading", 0);
    {
        let mut writer = io::BufWriter::new(&mut spill.file);
        let mut set_writer = io::BufWriter::new(&mut set_spill.file);
        for (source, input) in inputs.into_iter().enumerate() {
            let name = input.name.clone();
            let from_file = read_back[source].is_some();
            let mut lines = Numbered {
                reader: input.reader,
                offset: 0,
                number: 0,
            };
            // While one chunk is parsed in parallel, the one before it is taken in on this
            // thread (ids checked, keys joined, spills written): the two overlap.
            let mut pending: Option<(Chunk, Vec<Parsed>)> = None;
            loop {
                let next = read_chunk(&mut lines, &name);
                let mut parsed_next: Vec<Parsed> = Vec::new();
                let taken = rayon::in_place_scope(|scope| -> Result<(), BatchError> {
                    if let Ok(chunk) = &next {
                        let parsed_next = &mut parsed_next;
                        scope.spawn(move |_| *parsed_next = parse_chunk(&chunk.lines, opts));
                    }
                    let Some((chunk, parsed)) = pending.take() else {
                        return Ok(());
                    };
                    for (((n, text), r), &start) in
                        chunk.lines.iter().zip(parsed).zip(&chunk.starts)
                    {
                        let (line, keys, digest, sh) =
                            r.map_err(|(line, problem)| BatchError::Line {
                                name: name.clone(),
                                line,
                                problem,
                            })?;
                        if !ids.insert(line.id.clone()) {
                            return Err(BatchError::Line {
                                name: name.clone(),
                                line: *n,
                                problem: format!(
                                    "id {:?} appears twice",
                                    line.id.chars().take(80).collect::<String>()
                                ),
                            });
                        }
                        if opts.keys {
                            let hex: Vec<String> =
                                keys.iter().map(|k| format!("{k:016x}")).collect();
                            write_line(out, &serde_json::json!({"id": line.id, "keys": hex}))?;
                            continue;
                        }
                        let me = parent.len() as u32;
                        parent.push(me);
                        for k in keys {
                            match first_with.get(&k) {
                                Some(&other) => {
                                    let (a, b) = (find(&mut parent, me), find(&mut parent, other));
                                    if a != b {
                                        parent[a.max(b) as usize] = a.min(b);
                                    }
                                }
                                None => {
                                    first_with.insert(k, me);
                                }
                            }
                        }
                        let (source, line_offset) = if from_file {
                            (source as u32, start)
                        } else {
                            writer
                                .write_all(text.as_bytes())
                                .map_err(|e| BatchError::Io("temporary file".into(), e))?;
                            offset += text.len() as u64;
                            (spill_source, offset - text.len() as u64)
                        };
                        let bytes: Vec<u8> = sh.iter().flat_map(|x| x.to_le_bytes()).collect();
                        set_writer
                            .write_all(&bytes)
                            .map_err(|e| BatchError::Io("temporary file".into(), e))?;
                        spilled.push(Spilled {
                            source,
                            offset: line_offset,
                            len: text.len() as u32,
                            set_offset,
                            set_len: sh.len() as u32,
                        });
                        set_offset += bytes.len() as u64;
                        digests.push(digest);
                        urls.push(line.url);
                    }
                    progress.inc(chunk.lines.len() as u64);
                    Ok(())
                });
                taken?;
                // A line that cannot be read is reported after every line before it.
                let chunk = next?;
                if chunk.lines.is_empty() {
                    break;
                }
                pending = Some((chunk, parsed_next));
            }
        }
        writer
            .flush()
            .map_err(|e| BatchError::Io("temporary file".into(), e))?;
        set_writer
            .flush()
            .map_err(|e| BatchError::Io("temporary file".into(), e))?;
    }
    drop(first_with);
    drop(ids);
    let n = parent.len();
    let mut summary = Summary {
        kind: "summary",
        version: BATCH_VERSION,
        articles: n,
        ..Default::default()
    };
    if opts.keys {
        write_line(out, &summary)?;
        return Ok(summary);
    }
    // Blocks in order of their first article, members in input order.
    let mut block_of_root: HashMap<u32, usize> = HashMap::new();
    let mut blocks: Vec<Vec<u32>> = Vec::new();
    for i in 0..n as u32 {
        let r = find(&mut parent, i);
        let b = *block_of_root.entry(r).or_insert_with(|| {
            blocks.push(Vec::new());
            blocks.len() - 1
        });
        blocks[b].push(i);
    }
    drop(parent);
    drop(block_of_root);
    summary.blocks = blocks.len();
    progress.stage("events", n as u64);
    let mut line_files: Vec<&std::fs::File> = Vec::new();
    for f in &read_back {
        // An input not read back holds no line: its place keeps the indices.
        line_files.push(f.as_ref().unwrap_or(&spill.file));
    }
    line_files.push(&spill.file);
    let reader = Reader {
        lines: line_files,
        sets: &set_spill.file,
        spilled: &spilled,
        keep_boilerplate: opts.keep_boilerplate,
        failed: Mutex::new(None),
    };
    let mut event_no = 0usize;
    let mut done = 0u64;
    for (b, members) in blocks.iter().enumerate() {
        // A block holding a big share of the pile (on chained piles, nearly all of it) shows
        // its own stages; a small one counts as one step of the "events" stage.
        let big = members.len() * BIG_BLOCK_SHARE >= n;
        let inner: &dyn Progress = if big { progress } else { &() };
        // Each article is in one block: its digest moves there.
        let block: Vec<Digest> = members
            .iter()
            .map(|&m| std::mem::take(&mut digests[m as usize]))
            .collect();
        let global = |i: usize| members[i] as usize;
        let found = storydiff::group::find_copies(&block, &|i| reader.shingles(global(i)), inner);
        reader.check()?;
        let grouping = storydiff::group::events(
            &block,
            found,
            &|i| reader.article(global(i)),
            &opts.params,
            inner,
        );
        reader.check()?;
        summary.copies += grouping.copies;
        let ctx = EventCtx {
            block: &block,
            members,
            urls: &urls,
            reader: &reader,
            keep_boilerplate: opts.keep_boilerplate,
            scoring: &opts.scoring,
            grouping_budgets: &grouping.budgets,
            b,
        };
        inner.stage("comparing", grouping.events.len() as u64);
        // Events are compared and written out in parallel, a chunk at a time, in order.
        for chunk in grouping.events.chunks(EVENT_CHUNK) {
            let lines: Vec<Result<(String, EventCounts), BatchError>> = chunk
                .par_iter()
                .enumerate()
                .map(|(k, ev)| event_line(ev.clone(), event_no + k, &ctx))
                .collect();
            reader.check()?;
            for line in lines {
                let (text, c) = line?;
                writeln!(out, "{text}").map_err(|e| BatchError::Io("standard output".into(), e))?;
                summary.events += 1;
                summary.compared += usize::from(c.compared);
                summary.budgeted_events += usize::from(c.budgeted);
                summary.multi_article_events += usize::from(c.multi);
                event_no += 1;
            }
            inner.inc(chunk.len() as u64);
        }
        done += members.len() as u64;
        if big {
            progress.stage("events", n as u64);
            progress.inc(done);
        } else {
            progress.inc(members.len() as u64);
        }
    }
    write_line(out, &summary)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_str(input: &str) -> Result<(Vec<serde_json::Value>, Summary), String> {
        let inputs = vec![Input {
            name: "pile.jsonl".into(),
            reader: Box::new(io::Cursor::new(input.as_bytes().to_vec())),
            file: None,
        }];
        let mut out = Vec::new();
        let s = run(inputs, &BatchOptions::default(), &mut out, &()).map_err(|e| e.to_string())?;
        let lines = String::from_utf8_lossy(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        Ok((lines, s))
    }

    /// The error of a batch over `input` (bytes, so they may be invalid UTF-8).
    fn error_of(input: Vec<u8>) -> Option<String> {
        let inputs = vec![Input {
            name: "pile.jsonl".into(),
            reader: Box::new(io::Cursor::new(input)),
            file: None,
        }];
        let mut out = Vec::new();
        run(inputs, &BatchOptions::default(), &mut out, &())
            .err()
            .map(|e| e.to_string())
    }

    #[test]
    fn the_first_bad_line_is_reported_whichever_chunk_it_is_in() {
        // Chunks are read ahead of being checked: an unreadable line in a later chunk must
        // not hide a duplicate id before it, nor the other way round.
        let line = |id: usize| {
            format!("{{\"id\":\"a{id}\",\"outlet\":\"x\",\"text\":\"Talks were held.\"}}\n")
        };
        let mut late_bad: Vec<u8> = (0..CHUNK + 100)
            .flat_map(|k| line(k.max(1)).into_bytes())
            .collect();
        late_bad.extend(b"\xff\xfe\n");
        assert_eq!(
            error_of(late_bad).as_deref(),
            Some("pile.jsonl:2: id \"a1\" appears twice")
        );
        let mut early_bad: Vec<u8> = line(0).into_bytes();
        early_bad.extend(b"\xff\xfe\n");
        early_bad.extend((0..CHUNK + 100).flat_map(|k| line(k.min(5)).into_bytes()));
        assert_eq!(
            error_of(early_bad).as_deref(),
            Some("pile.jsonl:2: not valid UTF-8")
        );
    }

    #[test]
    fn malformed_lines_name_the_input_and_line() {
        let ok = r#"{"id":"a","outlet":"x","text":"Lavrov met Blinken in Geneva."}"#;
        let cases = [
            (format!("{ok}\n\n{{\"id\":\"b\"}}"), "pile.jsonl:3: not an article: missing field `outlet` (column 10)"),
            (format!("{ok}\nnot json"), "pile.jsonl:2: not an article: expected a JSON object with \"id\", \"outlet\" and \"text\""),
            (format!("{ok}\n{ok}"), "pile.jsonl:2: id \"a\" appears twice"),
            (
                r#"{"id":"a","outlet":"x","text":"Hi there.","date":"14 Jan"}"#.to_string(),
                "pile.jsonl:1: \"date\" \"14 Jan\" does not start with a valid ISO 8601 date (YYYY-MM-DD)",
            ),
            (r#"{"id":"a","outlet":"x","text":"  "}"#.to_string(), "pile.jsonl:1: \"text\" has no sentences"),
            (r#"{"id":"","outlet":"x","text":"A b."}"#.to_string(), "pile.jsonl:1: \"id\" is empty"),
        ];
        for (input, want) in cases {
            assert_eq!(run_str(&input).err().as_deref(), Some(want), "{input}");
        }
    }

    /// Stage names and step counts, as a progress bar would see them.
    #[derive(Default)]
    struct Recorded(Mutex<Vec<(String, u64, u64)>>);

    impl Progress for Recorded {
        fn stage(&self, name: &str, total: u64) {
            if let Ok(mut v) = self.0.lock() {
                v.push((name.to_string(), total, 0));
            }
        }
        fn inc(&self, n: u64) {
            if let Ok(mut v) = self.0.lock() {
                if let Some(last) = v.last_mut() {
                    last.2 += n;
                }
            }
        }
    }

    #[test]
    fn an_events_base_follows_the_rule_compare_by_event_follows() {
        // Two independent reports of one meeting (not copies): the agency's, undated and
        // last in the input, is the base the site's text derives from; with dates, the
        // earliest is.
        let wire = "Lavrov met Blinken in Geneva on Friday for talks on security guarantees. \
            The two ministers spoke for ninety minutes and agreed to meet again next week. \
            Both sides called the talks useful but said differences remained.";
        let site = format!(
            "Oil prices rose in Asia on Friday. {wire} Analysts had expected little. \
             Markets in Europe closed higher. Gold fell for a third day."
        );
        let agency = format!("GENEVA, Jan 21 (XNA) - {wire}\n(end) ab.cd");
        let line = |id: &str, text: &str, date: Option<&str>| {
            let mut o = serde_json::json!({"id": id, "outlet": id, "text": text});
            if let Some(d) = date {
                o["date"] = d.into();
            }
            format!("{o}\n")
        };
        let event = |input: String| {
            let (lines, _) = run_str(&input).unwrap_or_else(|e| panic!("{e}"));
            lines
                .into_iter()
                .find(|l| l["type"] == "event" && !l["report"].is_null())
                .unwrap_or_else(|| panic!("no compared event"))
        };
        let ev = event(line("site", &site, None) + &line("agency", &agency, None));
        assert_eq!(ev["base"]["label"], "agency", "{}", ev["base"]);
        assert_eq!(ev["base"]["rule"], "derived-from");
        assert_eq!(ev["report"]["comparisons"][0]["base"], "agency");
        let ev = event(
            line("site", &site, Some("2022-01-21T09:00Z"))
                + &line("agency", &agency, Some("2022-01-21T10:00Z")),
        );
        assert_eq!(ev["base"]["label"], "site", "{}", ev["base"]);
        assert_eq!(ev["base"]["rule"], "earliest-date");
        assert_eq!(ev["report"]["comparisons"][0]["base"], "site");
    }

    #[test]
    fn a_block_holding_most_of_the_pile_shows_its_own_stages() {
        let story = "Lavrov met Blinken in Geneva on Friday for talks on security guarantees. \
            The two ministers spoke for ninety minutes and agreed to keep talking next week.";
        let input: String = (0..4)
            .map(|k| {
                let text = format!("Site {k} reports.\n{story}");
                format!("{}\n", serde_json::json!({"id": format!("c{k}"), "outlet": format!("s{k}"), "text": text}))
            })
            .collect();
        let inputs = vec![Input {
            name: "pile.jsonl".into(),
            reader: Box::new(io::Cursor::new(input.into_bytes())),
            file: None,
        }];
        let rec = Recorded::default();
        let mut out = Vec::new();
        run(inputs, &BatchOptions::default(), &mut out, &rec).unwrap_or_else(|e| panic!("{e}"));
        let stages = rec.0.into_inner().unwrap_or_default();
        let names: Vec<&str> = stages.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "reading",
                "events",
                "copies",
                "profiles",
                "candidates",
                "clustering",
                "comparing",
                "events"
            ]
        );
        assert_eq!(stages[0].2, 4);
        // One event of four copies compared; the pile counted done at the end.
        assert_eq!((stages[6].1, stages[6].2), (1, 1));
        assert_eq!(
            *stages.last().unwrap_or(&Default::default()),
            ("events".to_string(), 4, 4)
        );
    }

    #[test]
    fn copies_and_independent_reports_make_events_with_a_summary() {
        let story = "Lavrov met Blinken in Geneva on Friday for talks on security guarantees. \
            The two ministers spoke for ninety minutes and agreed to keep talking next week. \
            Lavrov said Moscow expected written answers from Washington within days.";
        let other = "Heavy rain flooded the lower town of Riverton overnight. The mayor closed \
            schools and the old bridge as the river rose two metres.";
        let rows = [
            ("w1", "wire", story.to_string(), Some("2022-01-14")),
            ("f1", "town", other.to_string(), None),
            (
                "c1",
                "site",
                format!("Breaking news.\n{story}"),
                Some("2022-01-13"),
            ),
        ];
        let input: String = rows
            .iter()
            .map(|(id, outlet, text, date)| {
                let mut v = serde_json::json!({"id": id, "outlet": outlet, "text": text});
                if let Some(d) = date {
                    v["date"] = (*d).into();
                }
                format!("{v}\n")
            })
            .collect();
        let (lines, s) = run_str(&input).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lines.len(), 3);
        assert_eq!((s.articles, s.events, s.copies, s.compared), (3, 2, 1, 0));
        let ev = &lines[0];
        assert_eq!(ev["type"], "event");
        assert_eq!(ev["group"]["members"], serde_json::json!([0, 2]));
        // The copy dated a day earlier is the original.
        assert_eq!(ev["group"]["copies"][0]["original"], 2);
        assert_eq!(ev["group"]["copies"][0]["copies"][0]["member"], 0);
        assert_eq!(ev["articles"][1]["id"], "c1");
        assert!(ev["report"].is_null());
        assert_eq!(lines[1]["group"]["members"], serde_json::json!([1]));
        assert_eq!(lines[2]["type"], "summary");
        // The same bytes on a second run.
        let again = run_str(&input).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.0, lines);
    }

    #[test]
    fn a_block_read_back_from_the_spill_groups_as_the_pile_held_in_memory() {
        const STORY: &str = "Russia's foreign minister said on Friday that Moscow was ready for \
            any turn of events while it waits for written answers from Washington and NATO. \
            He told reporters the talks in Geneva had shown the two sides far apart on every \
            point of substance. The ministry will publish its proposals in full next week, \
            a spokeswoman added, and the envoys will meet again in Vienna on Thursday.";
        let other = "Heavy rain flooded the lower town of Riverton overnight. The mayor closed \
            schools and the old bridge as the river rose two metres, officials said on Sunday.";
        let rows: Vec<(String, String, Option<&str>)> = vec![
            ("a".into(), STORY.to_string(), Some("2022-01-14")),
            (
                "b".into(),
                format!("Updated at noon.\n{STORY}"),
                Some("2022-01-13"),
            ),
            ("c".into(), other.to_string(), None),
            ("d".into(), format!("{STORY} Follow us."), None),
            ("e".into(), format!("{other} More to follow."), None),
        ];
        let input: String = rows
            .iter()
            .map(|(id, text, date)| {
                let mut v =
                    serde_json::json!({"id": id, "outlet": format!("site-{id}"), "text": text});
                if let Some(d) = date {
                    v["date"] = (*d).into();
                }
                format!("{v}\n")
            })
            .collect();
        let (lines, s) = run_str(&input).unwrap_or_else(|e| panic!("{e}"));
        let articles: Vec<Article> = input
            .lines()
            .map(|l| {
                let line = parse_line(l).unwrap_or_else(|e| panic!("{e}"));
                build(&line, false).unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        let dates: Vec<Option<String>> = rows.iter().map(|r| r.2.map(String::from)).collect();
        // Each block, grouped in memory, gives the events batch wrote for it.
        let events: Vec<&serde_json::Value> =
            lines.iter().filter(|l| l["type"] == "event").collect();
        let mut spilled: Vec<storydiff::group::Event> = Vec::new();
        for b in 0..s.blocks {
            let mut members: Vec<usize> = events
                .iter()
                .filter(|l| l["block"] == b)
                .flat_map(|l| {
                    l["group"]["members"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .filter_map(|m| m.as_u64().map(|m| m as usize))
                .collect();
            members.sort_unstable();
            let arts: Vec<Article> = members.iter().map(|&m| articles[m].clone()).collect();
            let ds: Vec<Option<String>> = members.iter().map(|&m| dates[m].clone()).collect();
            let mut held = storydiff::group::run(&arts, &ds, &GroupParams::default(), &());
            for ev in &mut held.events {
                for m in &mut ev.members {
                    *m = members[*m];
                }
                for c in &mut ev.copies {
                    c.original = members[c.original];
                    for x in &mut c.copies {
                        x.member = members[x.member];
                    }
                }
            }
            let written: Vec<storydiff::group::Event> = events
                .iter()
                .filter(|l| l["block"] == b)
                .map(|l| {
                    serde_json::from_value(l["group"].clone()).unwrap_or_else(|e| panic!("{e}"))
                })
                .collect();
            assert_eq!(written, held.events, "block {b}");
            spilled.extend(written);
        }
        assert_eq!(s.copies, 3);
        assert_eq!(spilled.len(), 2, "{spilled:?}");
    }
}
