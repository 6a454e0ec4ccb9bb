//! What one sentence states, as far as the editorial checks need it: numbers with their unit
//! and modifier, dates and times, hedges and loaded reporting verbs, and who it is attributed
//! to. Computed once per sentence, then compared across linked sentences.

use crate::model::SentenceSpan;
use crate::normalize::{self, Token, TokenClass};

/// A quantity in a sentence: "more than 100,000 troops" → modifier ">", value "100000",
/// unit "troop".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    /// Canonical value: digits ("100000") or a vague amount ("tens of thousands").
    pub value: String,
    /// "", ">", "~", "<~", ">=", "<=", "<" for none, more than, about, nearly, at least, up to,
    /// fewer than.
    pub modifier: &'static str,
    /// Stem of the counted noun ("troop", "round"); empty when none follows.
    pub unit: String,
    /// Byte span in the sentence text, modifier included.
    pub span: SentenceSpan,
}

/// A day, date or time reference: "on Friday", "January 12", "this week".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateRef {
    /// Canonical form: "friday", "january 12", "this week", "2014".
    pub value: String,
    /// What sort of reference it is, so only like is compared with like.
    pub kind: DateKind,
    /// Byte span in the sentence text.
    pub span: SentenceSpan,
    /// It dates the outlet's writing, not an event: it follows "Published", "Posted" or
    /// "Updated" ("Published: July 29, 2004"), or its sentence is only a time stamp.
    pub stamped: bool,
}

/// Sorts of date references.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DateKind {
    /// Monday … Sunday.
    Weekday,
    /// Month and day.
    MonthDay,
    /// A year.
    Year,
    /// this week, last week, yesterday, …
    Relative,
}

/// A word that changes certainty or colours a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Folded word or phrase ("reportedly", "claimed").
    pub word: String,
    /// Byte span in the sentence text.
    pub span: SentenceSpan,
}

/// Who a sentence is attributed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Name keys of the source's name words ("sergei", "lavrov"); empty when only a role or a
    /// pronoun that could not be resolved was found.
    pub keys: Vec<String>,
    /// The source as written in this sentence ("Kremlin spokesman Dmitry Peskov", "TASS",
    /// or the pronoun "He").
    pub text: String,
    /// Byte span in this sentence's text: always words of this sentence, the pronoun itself
    /// when the source was resolved from an earlier one.
    pub span: SentenceSpan,
    /// For a pronoun: the earlier named source it was resolved to, as written there.
    pub resolved: Option<String>,
}

impl Source {
    /// How to name the source to a reader: "Lavrov", or "he (Lavrov)" for a resolved pronoun.
    pub fn display(&self) -> String {
        match &self.resolved {
            Some(name) => format!("{} ({name})", self.text),
            None => self.text.clone(),
        }
    }
}

/// Everything the checks need from one sentence.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Quantities.
    pub quantities: Vec<Quantity>,
    /// Dates and times.
    pub dates: Vec<DateRef>,
    /// Hedges: reportedly, allegedly, could, may, …
    pub hedges: Vec<Marker>,
    /// Reporting verbs, neutral or loaded.
    pub verbs: Vec<Marker>,
    /// Sources the sentence is attributed to.
    pub sources: Vec<Source>,
    /// The sentence is only a time stamp: a dateline or publication line ("Published: July 29,
    /// 2004", "Sunday, July 21, 2013", "10 June 2013 Last updated at 14: 00 GMT"). Its date
    /// says when the outlet wrote, not when anything happened, so no date finding rests on it.
    pub stamp: bool,
}

/// Words a time stamp holds besides dates, numbers and function words.
const STAMP_WORDS: &[&str] = &[
    "published",
    "posted",
    "updated",
    "last",
    "modified",
    "date",
    "time",
    "am",
    "pm",
    "a",
    "p",
    "m",
    "hrs",
    "gmt",
    "utc",
    "bst",
    "cet",
    "cest",
    "est",
    "edt",
    "cst",
    "cdt",
    "mst",
    "mdt",
    "pst",
    "pdt",
    "ist",
];

/// Whether tokens `toks` are a time stamp ([`Facts::stamp`]): at least one date word or
/// number, and no word that is not a calendar word or one of [`STAMP_WORDS`].
fn is_stamp(toks: &[Token]) -> bool {
    toks.iter()
        .any(|t| t.class == TokenClass::Number || month(&t.norm).is_some())
        && toks.iter().all(|t| match t.class {
            TokenClass::Number => true,
            // The function words of a stamp ("Posted on", "updated at"); "It was on July
            // 4." is a sentence.
            TokenClass::Stop => {
                STAMP_FUNCTION_WORDS.contains(&t.norm.as_str()) || month(&t.norm).is_some()
            }
            TokenClass::Word => {
                month(&t.norm).is_some()
                    || is_ordinal(&t.norm)
                    || WEEKDAYS.contains(&t.norm.as_str())
                    || WEEKDAY_ABBREVIATIONS.contains(&t.norm.as_str())
                    || STAMP_WORDS.contains(&t.norm.as_str())
            }
        })
}

/// "2nd", "21st", "10th": a day written as an ordinal.
fn is_ordinal(norm: &str) -> bool {
    let digits = norm.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits) && matches!(&norm[digits..], "st" | "nd" | "rd" | "th")
}

/// Function words a time stamp may hold.
const STAMP_FUNCTION_WORDS: &[&str] = &[
    "on",
    "at",
    "of",
    "the",
    "by",
    "in",
    "and",
    "a",
    "p",
    "m",
    "am",
    "pm",
    "last",
    "updated",
    "posted",
    "published",
];

/// Weekday abbreviations a stamp writes ("Sun., Aug. 4").
const WEEKDAY_ABBREVIATIONS: &[&str] = &[
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
];

/// The days of the week, Monday first.
pub(crate) const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const MONTHS: &[(&str, &str)] = &[
    ("january", "january"),
    ("jan", "january"),
    ("february", "february"),
    ("feb", "february"),
    ("march", "march"),
    ("mar", "march"),
    ("april", "april"),
    ("apr", "april"),
    ("may", "may"),
    ("june", "june"),
    ("jun", "june"),
    ("july", "july"),
    ("jul", "july"),
    ("august", "august"),
    ("aug", "august"),
    ("september", "september"),
    ("sep", "september"),
    ("sept", "september"),
    ("october", "october"),
    ("oct", "october"),
    ("november", "november"),
    ("nov", "november"),
    ("december", "december"),
    ("dec", "december"),
];
const RELATIVE: &[&str] = &["yesterday", "today", "tomorrow", "tonight"];
const HEDGES: &[&str] = &[
    "reportedly",
    "allegedly",
    "apparently",
    "purportedly",
    "supposedly",
    "likely",
    "unlikely",
    "possibly",
    "probably",
    "perhaps",
    "could",
    "may",
    "might",
    "unconfirmed",
    "alleged",
];
const HEDGE_PHRASES: &[&[&str]] = &[
    &["is", "said", "to"],
    &["are", "said", "to"],
    &["is", "believed", "to"],
    &["are", "believed", "to"],
    &["appears", "to"],
    &["appear", "to"],
    &["sources", "say"],
];
/// Reporting verbs that only report.
pub const NEUTRAL_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "noted",
    "notes",
    "stated",
    "states",
    "explained",
    "announced",
    "reported",
    "reports",
    "writes",
    "wrote",
    "according",
    "cited",
    "citing",
    "pointed",
    "continued",
    "reiterated",
    "declared",
    "called",
    "urged",
    "expressed",
    "described",
    "blamed",
    "asked",
    "replied",
    "responded",
    "commented",
    "indicated",
    "suggested",
    "proposed",
    "recalled",
    "mentioned",
    "declined",
    "spoke",
];
/// Reporting verbs that colour the claim or shift its certainty.
pub const LOADED_VERBS: &[&str] = &[
    "claimed",
    "claims",
    "claim",
    "insisted",
    "insists",
    "admitted",
    "admits",
    "conceded",
    "concedes",
    "alleged",
    "alleges",
    "warned",
    "warns",
    "stressed",
    "stresses",
    "denied",
    "denies",
    "acknowledged",
    "acknowledges",
    "threatened",
    "threatens",
    "boasted",
    "argued",
    "argues",
    "assured",
    "asserted",
];
/// Words that name a role, not a person: a source made only of these is unresolved.
pub(crate) const ROLE_WORDS: &[&str] = &[
    "minister",
    "foreign",
    "deputy",
    "prime",
    "president",
    "secretary",
    "general",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "head",
    "chief",
    "ambassador",
    "envoy",
    "official",
    "officials",
    "russian",
    "american",
    "us",
    "u.s",
    "state",
    "defence",
    "defense",
    "kremlin",
    "white",
    "house",
    "ministry",
    "undersecretary",
    "representative",
    "high",
    "affairs",
    "the",
    "of",
    "for",
    "and",
    "media",
    "agency",
    "news",
    "diplomacy",
    "leader",
    "government",
];
const PRONOUNS: &[&str] = &["he", "she", "they", "it"];

/// A weekday or month name, full or abbreviated (folded, lower case).
pub fn is_calendar_word(norm: &str) -> bool {
    WEEKDAYS.contains(&norm) || (norm != "may" && month(norm).is_some())
}

fn month(norm: &str) -> Option<&'static str> {
    MONTHS.iter().find(|(k, _)| *k == norm).map(|(_, v)| *v)
}

fn modifier(prev2: Option<&str>, prev1: Option<&str>) -> (&'static str, usize) {
    match (prev2, prev1) {
        (Some("more"), Some("than")) => (">", 2),
        (Some("at"), Some("least")) => (">=", 2),
        (Some("up"), Some("to")) => ("<=", 2),
        (Some("fewer" | "less"), Some("than")) => ("<", 2),
        (_, Some("over")) => (">", 1),
        (_, Some("about" | "around" | "approximately" | "roughly" | "some")) => ("~", 1),
        (_, Some("nearly" | "almost")) => ("<~", 1),
        _ => ("", 0),
    }
}

fn is_year(t: &Token) -> bool {
    t.class == TokenClass::Number
        && t.stem.len() == 4
        && t.stem
            .parse::<u32>()
            .is_ok_and(|y| (1800..=2100).contains(&y))
}

/// The facts of one sentence `text`, whose tokens are `toks` (its analysis's). `previous_source`
/// resolves a pronoun ("he said") to the last named source of the article.
pub fn of_sentence(text: &str, toks: &[Token], previous_source: Option<&Source>) -> Facts {
    let mut f = Facts {
        stamp: is_stamp(toks),
        ..Facts::default()
    };
    let mut source_spans = std::collections::HashSet::new();
    let norm = |k: usize| toks.get(k).map(|t| t.norm.as_str());
    let mut k = 0;
    while k < toks.len() {
        let t = &toks[k];
        // Dates.
        if WEEKDAYS.contains(&t.norm.as_str()) && t.capitalised {
            f.dates.push(DateRef {
                value: t.norm.clone(),
                kind: DateKind::Weekday,
                span: SentenceSpan::new(t.start, t.end),
                stamped: false,
            });
        } else if let Some(m) = month(&t.norm).filter(|_| t.capitalised) {
            let day = toks
                .get(k + 1)
                .filter(|n| is_day_of(text, t, n, m))
                .map(|n| (n.stem.clone(), n.end));
            let before = k
                .checked_sub(1)
                .and_then(|p| toks.get(p))
                .filter(|n| is_day_of(text, n, t, m))
                .map(|n| (n.stem.clone(), n.start));
            if let Some((d, end)) = day {
                f.dates.push(DateRef {
                    value: format!("{m} {}", d.trim_start_matches('0')),
                    kind: DateKind::MonthDay,
                    span: SentenceSpan::new(t.start, end),
                    stamped: false,
                });
                // "December 14, 15, 21 and 24": the other days of the list.
                let (more, next) = days_after(text, toks, k + 1, m);
                for (d, span) in more {
                    f.dates.push(month_day(m, &d, span));
                }
                k = next;
                continue;
            } else if let Some((d, start)) = before {
                // "14, 15, 21 and 24 December": the other days of the list first.
                for (d, span) in days_before(text, toks, k - 1, m) {
                    f.dates.push(month_day(m, &d, span));
                }
                f.dates.push(DateRef {
                    value: format!("{m} {}", d.trim_start_matches('0')),
                    kind: DateKind::MonthDay,
                    span: SentenceSpan::new(start, t.end),
                    stamped: false,
                });
            }
        } else if is_year(t) {
            f.dates.push(DateRef {
                value: t.stem.clone(),
                kind: DateKind::Year,
                span: SentenceSpan::new(t.start, t.end),
                stamped: false,
            });
        } else if RELATIVE.contains(&t.norm.as_str()) {
            f.dates.push(DateRef {
                value: t.norm.clone(),
                kind: DateKind::Relative,
                span: SentenceSpan::new(t.start, t.end),
                stamped: false,
            });
        } else if matches!(t.norm.as_str(), "this" | "last" | "next")
            && matches!(norm(k + 1), Some("week" | "month" | "year" | "weekend"))
        {
            let n = &toks[k + 1];
            f.dates.push(DateRef {
                value: format!("{} {}", t.norm, n.norm),
                kind: DateKind::Relative,
                span: SentenceSpan::new(t.start, n.end),
                stamped: false,
            });
            k += 2;
            continue;
        }
        // Quantities (numbers that are not part of a date).
        let vague = matches!(
            t.norm.as_str(),
            "tens" | "hundreds" | "thousands" | "dozens"
        ) && norm(k + 1) == Some("of");
        if vague || (t.class == TokenClass::Number && !is_year(t) && !is_date_number(text, toks, k))
        {
            let (value, mut last) = if vague {
                let mut v = t.norm.clone();
                let mut j = k + 1;
                while norm(j) == Some("of")
                    && matches!(norm(j + 1), Some("thousands" | "millions" | "hundreds"))
                {
                    v = format!("{v} of {}", toks[j + 1].norm);
                    j += 2;
                }
                (v, j.saturating_sub(1).max(k))
            } else {
                (t.stem.clone(), k)
            };
            let (m, back) = modifier(
                k.checked_sub(2).and_then(norm),
                k.checked_sub(1).and_then(norm),
            );
            let start = toks[k - back].start;
            // The counted noun: the next content word within two tokens, skipping "of", on
            // the same line and not a month name (which starts a date of its own).
            let mut unit = String::new();
            let window = (last + 3).min(toks.len());
            for (j, n) in toks.iter().enumerate().take(window).skip(last + 1) {
                let crosses_line = text
                    .get(toks[last].end..n.start)
                    .is_none_or(|gap| gap.contains(['\n', '\r']));
                if crosses_line || (n.capitalised && month(&n.norm).is_some()) {
                    break;
                }
                if n.class == TokenClass::Word {
                    unit = n.stem.clone();
                    last = j;
                    break;
                }
                if n.norm != "of" && n.class != TokenClass::Stop {
                    break;
                }
            }
            f.quantities.push(Quantity {
                value,
                modifier: m,
                unit,
                span: SentenceSpan::new(start, toks[last].end),
            });
            k = last + 1;
            continue;
        }
        // Hedges and reporting verbs.
        if HEDGES.contains(&t.norm.as_str())
            && !(t.norm == "may" && t.capitalised && month(&t.norm).is_some() && !t.initial)
        {
            f.hedges.push(Marker {
                word: t.norm.clone(),
                span: SentenceSpan::new(t.start, t.end),
            });
        }
        for phrase in HEDGE_PHRASES {
            if phrase
                .iter()
                .enumerate()
                .all(|(o, w)| norm(k + o) == Some(*w))
            {
                let end = toks[k + phrase.len() - 1].end;
                f.hedges.push(Marker {
                    word: phrase.join(" "),
                    span: SentenceSpan::new(t.start, end),
                });
            }
        }
        if is_reporting_verb(t) {
            f.verbs.push(Marker {
                word: t.norm.clone(),
                span: SentenceSpan::new(t.start, t.end),
            });
            if let Some(s) = source_near(text, toks, k, previous_source) {
                if source_spans.insert(s.span) {
                    f.sources.push(s);
                }
            }
        }
        k += 1;
    }
    // A day of a list read before its month ("14, 15 and 24 December") was first taken
    // for a count.
    // The day spans merged into disjoint ranges in order, so each quantity finds the one
    // range it could overlap by a binary search (no days × quantities scan on a sentence of
    // thousands of both).
    let mut spans: Vec<(usize, usize)> = f
        .dates
        .iter()
        .filter(|d| d.kind == DateKind::MonthDay)
        .map(|d| (d.span.start, d.span.end))
        .collect();
    spans.sort_unstable();
    let mut days: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match days.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => days.push((start, end)),
        }
    }
    f.quantities.retain(|q| {
        let k = days.partition_point(|&(_, end)| end <= q.span.start);
        days.get(k).is_none_or(|&(start, _)| start >= q.span.end)
    });
    for d in &mut f.dates {
        d.stamped =
            f.stamp || after_stamp_verb(toks, d.span.start) || before_clock_time(text, d.span.end);
    }
    f
}

/// Whether a clock time follows the date ending at byte `end`, with at most a year and
/// separators between: "May 2, 2013 | 5: 03pm", "17 September 2013 - 21: 29" stamp a page.
fn before_clock_time(text: &str, end: usize) -> bool {
    let Some(rest) = text.get(end..) else {
        return false;
    };
    let rest = rest.trim_start_matches([' ', ',', '|', '-', '\u{2013}', '\u{2014}']);
    let rest = match rest.get(..4) {
        Some(y) if y.bytes().all(|b| b.is_ascii_digit()) => &rest[4..],
        _ => rest,
    };
    let rest = rest.trim_start_matches([' ', ',', '|', '-', '\u{2013}', '\u{2014}']);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return false;
    }
    let after = rest[digits..].trim_start();
    after
        .strip_prefix(':')
        .map(str::trim_start)
        .is_some_and(|m| m.bytes().take_while(u8::is_ascii_digit).count() == 2)
}

/// Whether the date starting at byte `start` follows "Published", "Posted" or "Updated",
/// with at most function words, weekdays and other date parts between ("Posted on Friday,
/// June 12", "Last updated at 11: 24, Tuesday, 18 June 2013").
fn after_stamp_verb(toks: &[Token], start: usize) -> bool {
    // Tokens are in text order: a binary search, not a scan per date.
    let first = toks.partition_point(|t| t.start < start);
    for t in toks[..first].iter().rev().take(6) {
        if matches!(t.norm.as_str(), "published" | "posted" | "updated") {
            return true;
        }
        let filler = t.class != TokenClass::Word
            || month(&t.norm).is_some()
            || WEEKDAYS.contains(&t.norm.as_str())
            || WEEKDAY_ABBREVIATIONS.contains(&t.norm.as_str())
            || STAMP_WORDS.contains(&t.norm.as_str());
        if !filler {
            return false;
        }
    }
    false
}

/// Whether a token is a reporting verb ("said", "claimed"). Capitalised inside a sentence it
/// is a name, not a verb ("United States").
fn is_reporting_verb(t: &Token) -> bool {
    (NEUTRAL_VERBS.contains(&t.norm.as_str()) || LOADED_VERBS.contains(&t.norm.as_str()))
        && (!t.capitalised || t.initial)
}

/// Which tokens of a sentence are its attribution: the source next to a reporting verb ("Dmitry
/// Peskov said", "according to TASS") and the title words written right before it ("Kremlin
/// spokesman"). The title run stops at punctuation and at function words, so in "Russia will
/// not invade Ukraine, the Kremlin said" only "Kremlin" is attribution.
pub fn attribution_mask(text: &str, toks: &[Token]) -> Vec<bool> {
    let mut framed = vec![false; toks.len()];
    for (a, b) in attribution_spans(text, toks) {
        // Tokens are in text order: the span's tokens are a run from the first starting at
        // or after `a`.
        let first = toks.partition_point(|t| t.start < a);
        for (tok, f) in toks[first..].iter().zip(&mut framed[first..]) {
            if tok.end > b {
                break;
            }
            *f = true;
        }
    }
    for k in (0..toks.len().saturating_sub(1)).rev() {
        let (tok, next) = (&toks[k], &toks[k + 1]);
        let title = tok.class == crate::normalize::TokenClass::Word
            && (ROLE_WORDS.contains(&tok.norm.as_str()) || (tok.capitalised && !tok.initial));
        if framed[k + 1] && !framed[k] && title && crate::normalize::side_by_side(text, tok, next) {
            framed[k] = true;
        }
    }
    framed
}

/// Byte spans of the sources a sentence attributes its words to ("Peskov said", "according
/// to TASS"), from its tokens: the part of [`analyse`] the aligner needs, without the rest.
pub(crate) fn attribution_spans(text: &str, toks: &[Token]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (k, t) in toks.iter().enumerate() {
        if is_reporting_verb(t) {
            if let Some(s) = source_near(text, toks, k, None) {
                if seen.insert(s.span) {
                    spans.push((s.span.start, s.span.end));
                }
            }
        }
    }
    spans
}

fn is_date_number(text: &str, toks: &[Token], k: usize) -> bool {
    let t = &toks[k];
    let month_at = |m: &Token| {
        Some(m)
            .filter(|m| m.capitalised)
            .and_then(|m| month(&m.norm))
    };
    let prev_month = k
        .checked_sub(1)
        .and_then(|p| toks.get(p))
        .and_then(|p| month_at(p).map(|m| is_day_of(text, p, t, m)))
        .unwrap_or(false);
    let next_month = toks
        .get(k + 1)
        .and_then(|n| month_at(n).map(|m| is_day_of(text, t, n, m)))
        .unwrap_or(false);
    prev_month || next_month
}

/// A month-day reference of `month` and day `day` (digits) at `span`.
fn month_day(month: &str, day: &str, span: SentenceSpan) -> DateRef {
    DateRef {
        value: format!("{month} {}", day.trim_start_matches('0')),
        kind: DateKind::MonthDay,
        span,
        stamped: false,
    }
}

/// Whether token `t` is written in digits ("7", "07"; not "seven", whose stem is "7").
fn in_digits(text: &str, t: &Token) -> bool {
    text.get(t.start..t.end).is_some_and(all_digits)
}

/// Whether `w` is one or more ASCII digits.
fn all_digits(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `day` (digits) is a day of `month`.
fn valid_day(day: &str, month: &str) -> bool {
    let last = match month {
        "february" => 29,
        "april" | "june" | "september" | "november" => 30,
        _ => 31,
    };
    (1..=2).contains(&day.len()) && day.parse::<u32>().is_ok_and(|d| (1..=last).contains(&d))
}

/// The days of `month` listed after token `from` (itself a day), as in "December 14, 15, 21
/// and 24": numbers joined by commas, "and" or "or" on the same line. Only a list closed by
/// "and" or "or" counts ("January 10, 20 people" is a date and a count). Returns the days
/// with their spans, and the token to go on from.
fn days_after(
    text: &str,
    toks: &[Token],
    from: usize,
    month: &str,
) -> (Vec<(String, SentenceSpan)>, usize) {
    let mut days = Vec::new();
    let mut closed = false;
    // A day came after the "and" or "or": the list is whole.
    let mut ended = false;
    let mut j = from + 1;
    while let Some(t) = toks.get(j) {
        let gap = text.get(toks[j - 1].end..t.start).unwrap_or("\n");
        if gap.contains(['\n', '\r']) || !gap.chars().all(|c| c == ',' || c.is_whitespace()) {
            break;
        }
        if matches!(t.norm.as_str(), "and" | "or") && !closed {
            closed = true;
        } else if t.class == TokenClass::Number && in_digits(text, t) && valid_day(&t.stem, month) {
            days.push((t.stem.clone(), SentenceSpan::new(t.start, t.end)));
            if closed {
                ended = true;
                j += 1;
                break;
            }
        } else {
            break;
        }
        j += 1;
    }
    if ended {
        (days, j)
    } else {
        (Vec::new(), from + 1)
    }
}

/// The days of `month` listed before token `last` (the day next to the month), as in "14,
/// 15, 21 and 24 December" or "14,15,21 and 24 December": only a list whose last day follows
/// "and" or "or". In input order, with their spans.
fn days_before(
    text: &str,
    toks: &[Token],
    last: usize,
    month: &str,
) -> Vec<(String, SentenceSpan)> {
    let mut days: Vec<(String, SentenceSpan)> = Vec::new();
    let mut j = last;
    let conj = j
        .checked_sub(1)
        .and_then(|p| toks.get(p))
        .is_some_and(|t| matches!(t.norm.as_str(), "and" | "or"));
    if !conj {
        return days;
    }
    j -= 1;
    while j > 0 {
        let t = &toks[j - 1];
        let gap = text.get(t.end..toks[j].start).unwrap_or("\n");
        if gap.contains(['\n', '\r']) || !gap.chars().all(|c| c == ',' || c.is_whitespace()) {
            break;
        }
        if t.class != TokenClass::Number {
            break;
        }
        // "14,15,21" is one token: its parts, each with its own bytes.
        let written = text.get(t.start..t.end).unwrap_or("");
        let mut parts = Vec::new();
        let mut at = t.start;
        for part in written.split(',') {
            parts.push((
                part.trim().to_string(),
                SentenceSpan::new(at, at + part.len()),
            ));
            at += part.len() + 1;
        }
        if !parts
            .iter()
            .all(|(d, _)| all_digits(d) && valid_day(d, month))
        {
            break;
        }
        for p in parts.into_iter().rev() {
            days.push(p);
        }
        j -= 1;
    }
    days.reverse();
    days
}

/// Whether the number token of the pair `first`, `second` (a month and a number, in either
/// order) is a day of `month`: one or two digits, 1 to the month's last day, and on the same
/// line as the month ("Dies At 91" above "June 6th" is an age, not a date).
fn is_day_of(text: &str, first: &Token, second: &Token, month: &str) -> bool {
    let day = if first.class == TokenClass::Number {
        first
    } else {
        second
    };
    day.class == TokenClass::Number
        && in_digits(text, day)
        && valid_day(&day.stem, month)
        && text
            .get(first.end..second.start)
            .is_some_and(|gap| !gap.contains(['\n', '\r']))
}

/// A run of capitalised, non-initial-stop tokens `[a, b]` as a source.
fn source_from(text: &str, toks: &[Token], a: usize, b: usize) -> Source {
    let keys: Vec<String> = toks[a..=b]
        .iter()
        .filter(|t| t.capitalised && !ROLE_WORDS.contains(&t.norm.as_str()))
        .map(|t| normalize::name_key(&t.norm))
        .collect();
    Source {
        keys,
        text: text[toks[a].start..toks[b].end].to_string(),
        span: SentenceSpan::new(toks[a].start, toks[b].end),
        resolved: None,
    }
}

fn is_name_like(t: &Token) -> bool {
    t.capitalised && t.class == TokenClass::Word
}

/// The source next to the reporting verb at `v`: a capitalised run just before it ("Peskov
/// said", "Reuters reports"), just after it ("said Lavrov", "writes Washington Post",
/// "according to TASS"), or a pronoun resolved to `previous`.
fn source_near(text: &str, toks: &[Token], v: usize, previous: Option<&Source>) -> Option<Source> {
    let verb = toks[v].norm.as_str();
    let leads = matches!(verb, "according" | "citing" | "cited" | "writes" | "wrote");
    if leads {
        return source_after(text, toks, v).or_else(|| source_before(text, toks, v, previous));
    }
    // "Peskov said …" first; "…, said Lavrov." only when the name ends the clause.
    source_before(text, toks, v, previous).or_else(|| {
        let s = source_after(text, toks, v)?;
        let rest = text.get(s.span.end..).unwrap_or("").trim_start();
        (rest.is_empty() || rest.starts_with([',', '.', ';'])).then_some(s)
    })
}

/// "according to (a report by) X", "citing X", "writes X", "said X".
fn source_after(text: &str, toks: &[Token], v: usize) -> Option<Source> {
    let searching = matches!(toks[v].norm.as_str(), "according" | "citing" | "cited");
    let start = if toks[v].norm == "according" {
        v + 2
    } else {
        v + 1
    };
    let limit = (start + 6).min(toks.len());
    let mut j = start;
    while j < limit && !is_name_like(&toks[j]) && searching {
        j += 1;
    }
    if j >= limit || !is_name_like(&toks[j]) {
        return None;
    }
    let mut e = j;
    while e + 1 < toks.len()
        && e + 1 - j < MAX_NAME_TOKENS
        && is_name_like(&toks[e + 1])
        && adjacent(text, toks, e)
    {
        e += 1;
    }
    Some(source_from(text, toks, j, e))
}

/// "Peskov said", "Reuters reports", "Stoltenberg Monday said", or a pronoun resolved to
/// `previous`.
fn source_before(
    text: &str,
    toks: &[Token],
    v: usize,
    previous: Option<&Source>,
) -> Option<Source> {
    let mut e = v;
    while e > 0 {
        let t = &toks[e - 1];
        if WEEKDAYS.contains(&t.norm.as_str()) || t.norm == "on" || t.norm == "also" {
            e -= 1;
        } else {
            break;
        }
    }
    if e == 0 {
        return None;
    }
    let pronoun = &toks[e - 1];
    if PRONOUNS.contains(&pronoun.norm.as_str()) {
        // The pronoun stands for the earlier source: its name keys, but the span and text of
        // the pronoun in this sentence.
        return previous.map(|p| Source {
            keys: p.keys.clone(),
            text: text[pronoun.start..pronoun.end].to_string(),
            span: SentenceSpan::new(pronoun.start, pronoun.end),
            resolved: Some(p.resolved.clone().unwrap_or_else(|| p.text.clone())),
        });
    }
    if !is_name_like(&toks[e - 1]) {
        return None;
    }
    let end = e - 1;
    let mut s = end;
    while s > 0
        && end - s + 1 < MAX_NAME_TOKENS
        && is_name_like(&toks[s - 1])
        && adjacent(text, toks, s - 1)
    {
        s -= 1;
    }
    Some(source_from(text, toks, s, end))
}

/// The longest name run taken as a source ("Russian Deputy Foreign Minister Sergei Alexandrovich
/// Ryabkov" is seven): a bound, so a line of thousands of capitalised words before a reporting
/// verb costs no more than a real name.
const MAX_NAME_TOKENS: usize = 8;

/// Whether tokens `k` and `k + 1` stand side by side: a name run never crosses a comma or a
/// quote mark ("… the United States," Lavrov said).
fn adjacent(text: &str, toks: &[Token], k: usize) -> bool {
    toks.get(k + 1)
        .is_some_and(|next| normalize::side_by_side(text, &toks[k], next))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The facts of `text` tokenised on its own.
    fn analyse(text: &str, previous_source: Option<&Source>) -> Facts {
        of_sentence(text, &normalize::tokens(text), previous_source)
    }

    #[test]
    fn quantities_with_units_and_modifiers() {
        let f = analyse(
            "Russia has amassed more than 100,000 troops near Ukraine.",
            None,
        );
        assert_eq!(f.quantities.len(), 1);
        let q = &f.quantities[0];
        assert_eq!(
            (q.value.as_str(), q.modifier, q.unit.as_str()),
            ("100000", ">", "troop")
        );
        let f = analyse("The two rounds of negotiations ended.", None);
        assert_eq!(f.quantities[0].value, "2");
        assert_eq!(f.quantities[0].unit, "round");
        let f = analyse(
            "It continues with tens of thousands of combat-ready troops.",
            None,
        );
        assert_eq!(f.quantities[0].value, "tens of thousands");
    }

    #[test]
    fn dates_are_not_quantities() {
        let f = analyse(
            "Russia and the US met on January 10, and NATO on Jan 12 in 2022.",
            None,
        );
        assert!(f.quantities.is_empty(), "{:?}", f.quantities);
        let v: Vec<&str> = f.dates.iter().map(|d| d.value.as_str()).collect();
        assert_eq!(v, vec!["january 10", "january 12", "2022"]);
        let f = analyse("Lavrov said on Thursday evening this week.", None);
        let v: Vec<&str> = f.dates.iter().map(|d| d.value.as_str()).collect();
        assert_eq!(v, vec!["thursday", "this week"]);
    }

    #[test]
    fn time_stamps_are_told_from_sentences_with_dates() {
        for stamp in [
            "Published: July 29, 2004",
            "Sunday, July 21, 2013",
            "10 June 2013 Last updated at 14: 00 GMT",
            "Sun. , Aug. 4, 2013 11: 29 AM PDT",
            "Tue Jul 02 2013, 14: 58 hrs",
            "May 03, 2013",
            "Tuesday, July 2nd, 2013",
        ] {
            assert!(analyse(stamp, None).stamp, "{stamp}");
        }
        for sentence in [
            "Chris Ivory was placed on the list Tuesday.",
            "UNHCR condemns air attack on refugee camp in South Sudan 11 November 2011",
            "Updated",
            "It was on July 4.",
        ] {
            assert!(!analyse(sentence, None).stamp, "{sentence}");
        }
        let stamped = |t: &str| -> Vec<(String, bool)> {
            analyse(t, None)
                .dates
                .into_iter()
                .map(|d| (d.value, d.stamped))
                .collect()
        };
        assert_eq!(
            stamped("Gigante Dies at 77 Published: December 19, 2005"),
            vec![
                ("december 19".to_string(), true),
                ("2005".to_string(), true)
            ]
        );
        assert_eq!(
            stamped("Lohan checks into rehab May 3, 2013 | 8: 20 am"),
            vec![("may 3".to_string(), true), ("2013".to_string(), true)]
        );
        assert_eq!(
            stamped("He was killed on June 24, the police said."),
            vec![("june 24".to_string(), false)]
        );
    }

    #[test]
    fn a_day_is_valid_for_its_month_and_on_its_line() {
        let dates = |t: &str| -> Vec<String> {
            analyse(t, None)
                .dates
                .into_iter()
                .map(|d| d.value)
                .collect()
        };
        // An age at the end of a headline line is not the day of the next line's month.
        assert_eq!(
            dates("Esther Williams Dies At 91\nJune 7, 2013"),
            vec!["june 7", "2013"]
        );
        assert_eq!(dates("It happened 91 June"), Vec::<String>::new());
        assert_eq!(dates("on 31 April or 30 April"), vec!["april 30"]);
        assert_eq!(dates("on 29 Feb and 0 March"), vec!["february 29"]);
        assert_eq!(dates("on 26 September"), vec!["september 26"]);
        assert_eq!(dates("on September 26"), vec!["september 26"]);
        // Lists of days, either way round, are every day of the list.
        let list = vec![
            "december 14",
            "december 15",
            "december 21",
            "december 24",
            "1998",
        ];
        assert_eq!(dates("on December 14, 15, 21 and 24 of 1998"), list);
        assert_eq!(dates("on 14,15,21 and 24 December 1998"), list);
        assert_eq!(dates("on 14, 15, 21 and 24 December 1998"), list);
        assert_eq!(dates("on January 10, 20 people died"), vec!["january 10"]);
        // A number word is a count, and a list needs a day after its "and".
        assert_eq!(
            dates("The strike began on May 5 and one worker died."),
            vec!["may 5"]
        );
        assert_eq!(dates("On March 3, 12 and 40 were wounded"), vec!["march 3"]);
        for t in [
            "on December 14, 15, 21 and 24 of 1998",
            "on 14,15,21 and 24 December 1998",
        ] {
            assert!(analyse(t, None).quantities.is_empty(), "{t}");
        }
        // The age is a quantity again once it is not a day.
        let f = analyse("Esther Williams Dies At 91\nJune 7, 2013", None);
        let q: Vec<&str> = f.quantities.iter().map(|q| q.value.as_str()).collect();
        assert_eq!(q, vec!["91"]);
    }

    #[test]
    fn sources_before_after_and_pronouns() {
        let f = analyse("Kremlin spokesman Dmitry Peskov told reporters.", None);
        assert_eq!(f.sources[0].keys, vec!["dmitri", "peskov"]);
        let f = analyse(
            "Lavrov said Russia expects an answer. writes Washington Post.",
            None,
        );
        let texts: Vec<&str> = f.sources.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec!["Lavrov", "Washington Post"]);
        let f = analyse(
            "According to a report by Russia's TASS news agency, he spoke.",
            None,
        );
        assert_eq!(f.sources[0].text, "Russia's TASS");
        let prev = analyse("Peskov said so.", None).sources[0].clone();
        let f = analyse("He said the alliance cannot dictate.", Some(&prev));
        assert_eq!(f.sources[0].keys, vec!["peskov"]);
        assert_eq!(f.sources[0].span, SentenceSpan::new(0, 2));
        assert_eq!(f.sources[0].display(), "He (Peskov)");
    }

    #[test]
    fn a_resolved_pronoun_points_at_the_pronoun_in_its_own_sentence() {
        let first =
            "The ministers met for a long time on Monday in Geneva and then talked, Lavrov said.";
        let prev = analyse(first, None).sources[0].clone();
        assert_eq!(&first[prev.span.start..prev.span.end], "Lavrov");
        let second = "He said the talks on the missile treaty would resume in March.";
        let f = analyse(second, Some(&prev));
        let s = &f.sources[0];
        assert_eq!(&second[s.span.start..s.span.end], "He");
        assert_eq!(s.text, "He");
        assert_eq!(s.keys, vec!["lavrov"]);
    }

    #[test]
    fn attribution_spans_cover_the_source_and_never_cross_punctuation() {
        let text = "\"Prospects depend on the United States,\" Lavrov said, according to TASS.";
        let toks = normalize::tokens(text);
        let spans: Vec<&str> = attribution_spans(text, &toks)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        assert_eq!(spans, vec!["Lavrov", "TASS"]);
    }

    #[test]
    fn hedges_and_loaded_verbs() {
        let f = analyse("Moscow could reportedly deploy troops, he claimed.", None);
        let h: Vec<&str> = f.hedges.iter().map(|m| m.word.as_str()).collect();
        assert_eq!(h, vec!["could", "reportedly"]);
        assert!(f.verbs.iter().any(|v| v.word == "claimed"));
    }
}
