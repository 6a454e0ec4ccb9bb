//! `storydiff batch`: JSON Lines in, JSON Lines out, over piles too large to hold in memory
//! (documented in docs/batch.md).
//!
//! Two passes. The first streams the input once: every line is parsed, checked and segmented,
//! its *block keys* are computed from the article alone ([`block_keys`]: the LSH bands of its
//! shingles, which copies share, and pairs of the names its lead puts first, which independent
//! reports of one event share), and the line is spilled to a temporary file. Articles sharing
//! a key are joined in one block (union-find): blocks are the connected components of the key
//! graph and depend on nothing but the articles in them. The second pass takes one block at a
//! time, in order of its first article: it reads the block's lines back, finds copies and
//! groups events inside it ([`crate::group::run`]), compares each event's originals and writes
//! one line per event. Memory holds the keys of the pile and one block, never the pile's text.
//!
//! Because a block depends only on its own articles and their relative order, any split of the
//! input that keeps blocks whole and their articles in input order gives the same events:
//! that is what the Spark job (scripts/spark/) relies on (`--keys` prints the keys).

use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, Read, Seek, Write};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::group::{GroupParams, Progress};
use crate::model::Article;
use crate::normalize::{self, TokenClass};

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

/// A line parsed with its block keys, or its line number and problem.
type Parsed = Result<(Line, Vec<u64>), (usize, String)>;

/// Where an article's line lies in the spill file, and what the output says of it.
struct Spilled {
    offset: u64,
    len: u32,
}

/// An input of the batch: a name for messages (the file, or "standard input") and a reader.
pub struct Input {
    /// The name used in messages.
    pub name: String,
    /// The lines.
    pub reader: Box<dyn BufRead + Send>,
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
        let b = d.as_bytes();
        let iso = b.len() >= 10
            && b[..10].iter().enumerate().all(|(k, c)| {
                if k == 4 || k == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !iso {
            return Err(format!(
                "\"date\" {:?} does not start with an ISO 8601 date (YYYY-MM-DD)",
                d.chars().take(40).collect::<String>()
            ));
        }
    }
    Ok(line)
}

fn build(line: &Line, keep_boilerplate: bool) -> Result<Article, String> {
    let raw = crate::ingest::RawArticle {
        label: line.outlet.clone(),
        path: line.id.clone(),
        text: line.text.trim_start_matches('\u{feff}').to_string(),
    };
    crate::build_article(raw, keep_boilerplate).map_err(|e| match e {
        crate::Error::NoBody { .. } => "\"text\" has no sentences".to_string(),
        other => other.to_string(),
    })
}

/// The block keys of an article, from the article alone: the LSH bands of its shingles
/// (copies share one) and every pair of its `LEAD_NAMES` (4) lead names whose keys hash lowest
/// (names written capitalised inside the first three sentences, weekdays and months aside),
/// which independent reports of one event share. Sorted, without repeats.
pub fn block_keys(a: &Article) -> Vec<u64> {
    let sh = crate::copies::shingles(&crate::copies::body(a));
    let mut keys = crate::copies::band_keys(&sh);
    let mut names: Vec<u64> = Vec::new();
    for s in a.sentences.iter().take(3) {
        for t in normalize::tokens(&s.text) {
            if t.class == TokenClass::Word
                && t.capitalised
                && !t.initial
                && !crate::analyse::facts::is_calendar_word(&t.norm)
            {
                let key = normalize::name_term(&t.norm);
                names.push(crate::copies::mix(crate::normalize::fnv1a(key.as_bytes())));
            }
        }
    }
    names.sort_unstable();
    names.dedup();
    names.truncate(LEAD_NAMES);
    for i in 0..names.len() {
        for j in i + 1..names.len() {
            keys.push(crate::copies::mix(
                names[i] ^ crate::copies::mix(names[j] ^ 0x6e61_6d65),
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

fn spill_file() -> Result<Spill, BatchError> {
    let dir = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    for attempt in 0..100u32 {
        let path = dir.join(format!(
            "storydiff-batch-{}-{nanos}-{attempt}.jsonl",
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
    let text = crate::wire::to_safe_string(v, false)
        .map_err(|e| BatchError::Io("JSON".into(), io::Error::other(e.to_string())))?;
    writeln!(out, "{text}").map_err(|e| BatchError::Io("standard output".into(), e))
}

/// Run a batch: read every input, write the event lines and the summary to `out`.
pub fn run(
    inputs: Vec<Input>,
    opts: &BatchOptions,
    out: &mut dyn Write,
    progress: &dyn Progress,
) -> Result<Summary, BatchError> {
    let mut spill = spill_file()?;
    let mut spilled: Vec<Spilled> = Vec::new();
    let mut dates: Vec<Option<String>> = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    // Union-find over articles; the first article seen with each key.
    let mut parent: Vec<u32> = Vec::new();
    let mut first_with: HashMap<u64, u32> = HashMap::new();
    let mut offset = 0u64;
    progress.stage("reading", 0);
    {
        let mut writer = io::BufWriter::new(&mut spill.file);
        for input in inputs {
            let name = input.name.clone();
            let mut lines = input.reader.lines().enumerate();
            loop {
                let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHUNK);
                for (k, line) in lines.by_ref() {
                    let line = line.map_err(|e| {
                        if e.kind() == io::ErrorKind::InvalidData {
                            BatchError::Line {
                                name: name.clone(),
                                line: k + 1,
                                problem: "not valid UTF-8".into(),
                            }
                        } else {
                            BatchError::Io(name.clone(), e)
                        }
                    })?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    chunk.push((k + 1, line));
                    if chunk.len() == CHUNK {
                        break;
                    }
                }
                if chunk.is_empty() {
                    break;
                }
                let parsed: Vec<Parsed> = chunk
                    .par_iter()
                    .map(|(n, text)| {
                        let line = parse_line(text).map_err(|p| (*n, p))?;
                        let keys = build(&line, opts.keep_boilerplate)
                            .map(|a| block_keys(&a))
                            .map_err(|p| (*n, p))?;
                        Ok((line, keys))
                    })
                    .collect();
                for ((n, text), r) in chunk.iter().zip(parsed) {
                    let (line, keys) = r.map_err(|(line, problem)| BatchError::Line {
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
                        let hex: Vec<String> = keys.iter().map(|k| format!("{k:016x}")).collect();
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
                    writer
                        .write_all(text.as_bytes())
                        .map_err(|e| BatchError::Io("temporary file".into(), e))?;
                    spilled.push(Spilled {
                        offset,
                        len: text.len() as u32,
                    });
                    offset += text.len() as u64;
                    dates.push(line.date);
                }
                progress.inc(chunk.len() as u64);
            }
        }
        writer
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
    let mut event_no = 0usize;
    let mut buf = Vec::new();
    for (b, members) in blocks.iter().enumerate() {
        let mut lines = Vec::with_capacity(members.len());
        for &m in members {
            let s = &spilled[m as usize];
            buf.resize(s.len as usize, 0);
            spill
                .file
                .seek(io::SeekFrom::Start(s.offset))
                .and_then(|_| spill.file.read_exact(&mut buf))
                .map_err(|e| BatchError::Io("temporary file".into(), e))?;
            let text = String::from_utf8_lossy(&buf);
            // Checked in the first pass: a line that fails now is a bug, said as such.
            let line = parse_line(&text)
                .map_err(|p| BatchError::Io("temporary file".into(), io::Error::other(p)))?;
            lines.push(line);
        }
        let articles: Vec<Article> = lines
            .par_iter()
            .map(|l| build(l, opts.keep_boilerplate))
            .collect::<Result<_, _>>()
            .map_err(|p| BatchError::Io("temporary file".into(), io::Error::other(p)))?;
        let block_dates: Vec<Option<String>> =
            members.iter().map(|&m| dates[m as usize].clone()).collect();
        let grouping = crate::group::run(&articles, &block_dates, &opts.params, &());
        summary.copies += grouping.copies;
        for mut ev in grouping.events {
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
                let key = |i: usize| (block_dates[i].is_none(), block_dates[i].clone(), i);
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
            let report = if originals.len() >= 2 {
                let docs: Vec<Article> = originals.iter().map(|&i| articles[i].clone()).collect();
                let opts = crate::CompareOptions {
                    keep_boilerplate: opts.keep_boilerplate,
                    ..Default::default()
                };
                match crate::compare(docs, &opts) {
                    Ok(r) => {
                        summary.compared += 1;
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
            let global = |i: usize| members[i] as usize;
            for m in &mut ev.members {
                *m = global(*m);
            }
            for c in &mut ev.copies {
                c.original = global(c.original);
                for x in &mut c.copies {
                    x.member = global(x.member);
                }
            }
            let articles_out: Vec<serde_json::Value> = ev
                .members
                .iter()
                .map(|&m| {
                    let k = members.binary_search(&(m as u32)).unwrap_or(0);
                    let l = &lines[k];
                    let mut o = serde_json::json!({"id": l.id, "outlet": l.outlet});
                    if let Some(d) = &l.date {
                        o["date"] = d.clone().into();
                    }
                    if let Some(u) = &l.url {
                        o["url"] = u.clone().into();
                    }
                    o
                })
                .collect();
            if !budgets.is_empty() {
                summary.budgeted_events += 1;
            }
            summary.events += 1;
            if ev.members.len() > 1 {
                summary.multi_article_events += 1;
            }
            write_line(
                out,
                &serde_json::json!({
                    "type": "event",
                    "version": BATCH_VERSION,
                    "event": event_no,
                    "block": b,
                    "articles": articles_out,
                    "group": ev,
                    "report": report.as_ref().map(crate::wire::ReportJson::from),
                    "budgets": budgets,
                    "grouping_budgets": grouping.budgets,
                }),
            )?;
            event_no += 1;
        }
        progress.inc(members.len() as u64);
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
        }];
        let mut out = Vec::new();
        let s = run(inputs, &BatchOptions::default(), &mut out, &()).map_err(|e| e.to_string())?;
        let lines = String::from_utf8_lossy(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        Ok((lines, s))
    }

    #[test]
    fn malformed_lines_name_the_input_and_line() {
        let ok = r#"{"id":"a","outlet":"x","text":"Lavrov met Blinken in Geneva."}"#;
        let cases = [
            (format!("{ok}\n\n{{\"id\":\"b\"}}"), "pile.jsonl:3: not an article: missing field `outlet` (column 10)"),
            (format!("{ok}\nnot json"), "pile.jsonl:2: not an article: expected ident (column 2)"),
            (format!("{ok}\n{ok}"), "pile.jsonl:2: id \"a\" appears twice"),
            (
                r#"{"id":"a","outlet":"x","text":"Hi there.","date":"14 Jan"}"#.to_string(),
                "pile.jsonl:1: \"date\" \"14 Jan\" does not start with an ISO 8601 date (YYYY-MM-DD)",
            ),
            (r#"{"id":"a","outlet":"x","text":"  "}"#.to_string(), "pile.jsonl:1: \"text\" has no sentences"),
            (r#"{"id":"","outlet":"x","text":"A b."}"#.to_string(), "pile.jsonl:1: \"id\" is empty"),
        ];
        for (input, want) in cases {
            assert_eq!(run_str(&input).err().as_deref(), Some(want), "{input}");
        }
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
}
