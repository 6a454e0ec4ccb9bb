//! JSON renderer: the [`Report`] as a pretty-printed, versioned document (docs/json.md),
//! written through the wire views of [`storydiff::wire`]; and the documents of `group`
//! (docs/group.md) and `compare --by-event`, through the typed views below.
//! Field order is fixed by the structs and every list is in a defined order, so the output
//! is byte-identical across runs.

use std::io::{self, Write};

use serde::Serialize;
use storydiff::group::{Event, Grouping};
use storydiff::model::Report;
use storydiff::wire::{to_safe_string, ReportJson};

/// Write `report` as JSON followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let text = to_safe_string(&ReportJson::from(report), true).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

/// Why an event's base was chosen, as `compare --by-event` writes it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct EventBase<'a> {
    /// The base's label.
    pub label: &'a str,
    /// One line saying why, with the numbers.
    pub reason: &'a str,
    /// `asked`, `earliest-date` or `derived-from`.
    pub rule: &'a str,
}

/// One copy in an event's copy cluster (fields in the order the document has always had:
/// alphabetical).
#[derive(Serialize)]
struct CopyJson<'a> {
    added: f64,
    dropped: f64,
    label: &'a str,
    member: usize,
    similarity: f64,
}

#[derive(Serialize)]
struct CopyClusterJson<'a> {
    copies: Vec<CopyJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    label: &'a str,
    original: usize,
}

/// One event of `group` (docs/group.md).
#[derive(Serialize)]
struct EventJson<'a> {
    cohesion: f64,
    copies: Vec<CopyClusterJson<'a>>,
    dates: &'a [String],
    key_terms: &'a [String],
    labels: &'a [String],
    members: &'a [usize],
    names: &'a [String],
    paths: &'a [String],
    title: &'a str,
}

impl<'a> From<&'a Event> for EventJson<'a> {
    fn from(e: &'a Event) -> Self {
        EventJson {
            cohesion: e.cohesion,
            copies: e
                .copies
                .iter()
                .map(|c| CopyClusterJson {
                    copies: c
                        .copies
                        .iter()
                        .map(|x| CopyJson {
                            added: x.added,
                            dropped: x.dropped,
                            label: &x.label,
                            member: x.member,
                            similarity: x.similarity,
                        })
                        .collect(),
                    date: c.date.as_deref(),
                    label: &c.label,
                    original: c.original,
                })
                .collect(),
            dates: &e.dates,
            key_terms: &e.key_terms,
            labels: &e.labels,
            members: &e.members,
            names: &e.names,
            paths: &e.paths,
            title: &e.title,
        }
    }
}

/// The document of `storydiff group --format json` (docs/group.md).
#[derive(Serialize)]
struct GroupJson<'a> {
    articles: usize,
    budgets: &'a [String],
    copies: usize,
    events: Vec<EventJson<'a>>,
    grouped: usize,
    min_similarity: f64,
    version: u32,
}

/// Version of the `group --format json` document.
pub const GROUP_VERSION: u32 = 2;

/// Write the events `storydiff group` found among `articles` articles as JSON (docs/group.md).
pub fn group(
    grouping: &Grouping,
    articles: usize,
    min_similarity: f64,
    out: &mut dyn Write,
) -> io::Result<()> {
    let doc = GroupJson {
        articles,
        budgets: &grouping.budgets,
        copies: grouping.copies,
        events: grouping.events.iter().map(EventJson::from).collect(),
        grouped: grouping.grouped,
        min_similarity,
        version: GROUP_VERSION,
    };
    let text = to_safe_string(&doc, true).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

/// One compared event of `compare --by-event --format json`.
#[derive(Serialize)]
struct EventReportJson<'a> {
    base: Option<EventBase<'a>>,
    event: EventJson<'a>,
    report: ReportJson<'a>,
}

#[derive(Serialize)]
struct EventsJson<'a> {
    events: Vec<EventReportJson<'a>>,
    single_articles: Vec<&'a [String]>,
    version: u32,
}

/// Write `compare --by-event --format json`: each compared event with its base (none with
/// `--all-pairs`) and its report, then the paths of the events of one article.
pub fn events(
    compared: &[(&Event, &Report, Option<EventBase>)],
    singles: &[&Event],
    out: &mut dyn Write,
) -> io::Result<()> {
    let doc = EventsJson {
        events: compared
            .iter()
            .map(|&(e, r, base)| EventReportJson {
                base,
                event: EventJson::from(e),
                report: ReportJson::from(r),
            })
            .collect(),
        single_articles: singles.iter().map(|e| e.paths.as_slice()).collect(),
        version: storydiff::model::SCHEMA_VERSION,
    };
    let text = to_safe_string(&doc, true).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}
