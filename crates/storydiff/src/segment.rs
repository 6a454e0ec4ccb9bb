//! Segment: cut body text into paragraphs and sentences, each with its byte span.
//!
//! Paragraphs are blocks of lines between blank lines. A line break ends a sentence unless the
//! next line starts in lower case (hard-wrapped text), so headlines and captions without final
//! punctuation stand alone; a date line under a heading (a dateline, a time stamp) always
//! stands alone. Inside a line, a sentence ends at `.`, `!`, `?` or `…` (plus any
//! closing quotes or brackets) when the next word starts a new sentence. Rules, in order:
//! - a lower-case continuation (". writes Washington Post.") never starts a sentence;
//! - titles, months and initials ("Mr.", "Jan.", "J.", "U.S.") do not end one, except an
//!   initialism followed by a typical sentence opener ("… the U.S. The talks …");
//! - an ellipsis inside an open quotation does not end one;
//! - a full stop glued to a capitalised word ("intentions.Lavrov") does, when the word before
//!   is lower case; decimals ("1.5") never do.
//!
//! Every non-white-space byte outside boilerplate lands in exactly one sentence.

use crate::model::{Article, Boilerplate, Sentence};

/// Titles whose full stop never ends a sentence ("Mr. Grushko", "Gen. Smith").
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cpt", "maj", "adm", "gov",
    "sen", "rep", "rev", "st", "jr", "sr", "vs", "dept", "mt", "ft", "pres", "amb",
];

/// Abbreviations that stand before a number ("Jan. 27", "No. 5", "Fig. 3"): their full stop
/// ends a sentence unless a digit follows ("Russia said no. The talks …").
const NUMERIC_ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
    "nos", "fig", "approx", "est", "sec", "min",
];

/// Words that typically open a sentence; after "U.S." they mean the initialism ended it.
const OPENERS: &[&str] = &[
    "The", "He", "She", "It", "They", "We", "I", "But", "And", "In", "On", "This", "That", "A",
    "An", "His", "Her", "Their", "There", "Its",
];

/// Split `text` into sentences, skipping the byte ranges of `boilerplate` (sorted, disjoint).
pub fn segment(text: &str, boilerplate: &[Boilerplate]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut paragraph = 0usize;
    let mut in_paragraph = false;
    let mut pending: Option<(usize, usize)> = None;
    let mut bp = boilerplate.iter().peekable();
    // Start of the latest boilerplate span consumed: text never continues across one.
    let mut last_chrome: Option<usize> = None;

    for (line_start, line_end, _) in crate::ingest::line_spans(text) {
        let line = &text[line_start..line_end];
        if line.trim().is_empty() {
            if let Some((s, e)) = pending.take() {
                split_region(text, s, e, paragraph, &mut sentences);
            }
            if in_paragraph {
                paragraph += 1;
                in_paragraph = false;
            }
            continue;
        }
        // Body pieces of this line: the line minus boilerplate spans.
        let mut cursor = line_start;
        let mut pieces = Vec::new();
        while let Some(b) = bp.peek() {
            if b.start >= line_end {
                break;
            }
            if b.start > cursor {
                pieces.push((cursor, b.start));
            }
            cursor = cursor.max(b.end);
            last_chrome = Some(b.start);
            bp.next();
        }
        if cursor < line_end {
            pieces.push((cursor, line_end));
        }
        let pieces: Vec<(usize, usize)> = pieces
            .into_iter()
            .filter_map(|(s, e)| trim_span(text, s, e))
            .collect();
        if pieces.is_empty() {
            continue;
        }
        in_paragraph = true;
        for (k, &(s, e)) in pieces.iter().enumerate() {
            let chrome_between =
                matches!((pending, last_chrome), (Some((_, pe)), Some(c)) if c >= pe);
            let continues = k == 0
                && !chrome_between
                && pending.is_some_and(|(ps, pe)| is_wrapped(&text[ps..pe], &text[s..e]));
            match pending.take() {
                Some((ps, _)) if continues => pending = Some((ps, e)),
                Some((ps, pe)) => {
                    split_region(text, ps, pe, paragraph, &mut sentences);
                    pending = Some((s, e));
                }
                None => pending = Some((s, e)),
            }
        }
    }
    if let Some((s, e)) = pending.take() {
        split_region(text, s, e, paragraph, &mut sentences);
    }
    for (i, s) in sentences.iter_mut().enumerate() {
        s.index = i;
    }
    sentences
}

/// Whether `next` continues the text before it on a new line (hard-wrapped text), rather
/// than starting a new sentence or heading: it starts in lower case, or the text before ends
/// a long line without final punctuation and `next` starts with a letter, digit or quote.
fn is_wrapped(before: &str, next: &str) -> bool {
    let Some(first) = next.chars().next() else {
        return false;
    };
    if first.is_lowercase() {
        return true;
    }
    let last_line = before
        .rsplit(['\n', '\r'])
        .next()
        .unwrap_or(before)
        .trim_end();
    // A headline or other heading line (its last word not lower case) above a dateline.
    let heading_end = last_line
        .split_whitespace()
        .next_back()
        .and_then(|w| w.chars().next())
        .is_some_and(|c| !c.is_lowercase());
    // A line ending in a comma goes on ("… on Friday," / "June 6, …").
    if heading_end && !last_line.ends_with(',') && starts_with_dateline(next) {
        return false;
    }
    let open_end =
        !last_line.ends_with(['.', '!', '?', ':', '"', '\u{201d}', '\u{2019}', ')', ']']);
    open_end
        && last_line.chars().count() >= WRAP_MIN_LINE
        && (first.is_alphanumeric() || matches!(first, '"' | '\u{201c}' | '\''))
}

/// Month names and their abbreviations, capitalised as a dateline writes them.
const MONTH_WORDS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
];

/// Weekday names, capitalised.
const WEEKDAY_WORDS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Whether `line` opens with a date, as a dateline or a time stamp under a headline does:
/// a month name followed by a number ("June 6th, 2013", "Jan. 12"), a weekday and a comma
/// ("Friday, June 7"), or a numeric date ("2013-06-07", "07/06/2013", "7.6.2013"). Such a
/// line never continues the line above it, even one without final punctuation.
fn starts_with_dateline(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let bare = first.trim_end_matches(['.', ',']);
    if MONTH_WORDS.contains(&bare) {
        return words
            .next()
            .and_then(|w| w.chars().next())
            .is_some_and(|c| c.is_ascii_digit());
    }
    if WEEKDAY_WORDS.contains(&bare) {
        return first.ends_with(',');
    }
    let parts: Vec<&str> = bare.split(['-', '/', '.']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A line at least this long that ends without punctuation is taken as hard-wrapped.
const WRAP_MIN_LINE: usize = 50;

fn trim_span(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let piece = &text[s..e];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        None
    } else {
        Some((s + lead, s + lead + trimmed.len()))
    }
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '›')
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Split the trimmed region `text[start..end]` into sentences.
fn split_region(text: &str, start: usize, end: usize, paragraph: usize, out: &mut Vec<Sentence>) {
    let region = &text[start..end];
    let chars: Vec<(usize, char)> = region.char_indices().collect();
    let mut sentence_start = 0usize;
    let mut open_curly = 0i32;
    let mut straight_open = false;
    let mut i = 0usize;
    while i < chars.len() {
        let (_, c) = chars[i];
        match c {
            '“' | '«' | '„' => open_curly += 1,
            '”' | '»' => open_curly = (open_curly - 1).max(0),
            '"' => straight_open = !straight_open,
            _ => {}
        }
        if !is_terminator(c) {
            i += 1;
            continue;
        }
        // The terminator run ("...", "?!") and any closing quotes/brackets after it.
        let run_start = i;
        let mut j = i;
        while j < chars.len() && is_terminator(chars[j].1) {
            j += 1;
        }
        let ellipsis = chars[run_start].1 == '…' || j - run_start >= 3;
        while j < chars.len() && is_closer(chars[j].1) {
            match chars[j].1 {
                '"' => straight_open = !straight_open,
                '”' | '»' => open_curly = (open_curly - 1).max(0),
                _ => {}
            }
            j += 1;
        }
        let break_at = if j < chars.len() {
            chars[j].0
        } else {
            region.len()
        };
        if j >= chars.len() {
            break;
        }
        // What follows: white space then the next word, or a glued word.
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k >= chars.len() {
            break;
        }
        let glued = k == j;
        let next = chars[k].1;
        let prev_word = word_before(region, chars[run_start].0);
        let single_stop = chars[run_start].1 == '.' && j - run_start == 1;
        let is_break = if glued {
            single_stop
                && next.is_uppercase()
                && chars.get(k + 1).is_some_and(|c| c.1.is_lowercase())
                && prev_word.chars().count() >= 2
                && prev_word.chars().all(char::is_lowercase)
        } else if next.is_lowercase() || ",;:.)]".contains(next) {
            false
        } else if ellipsis {
            open_curly == 0 && !straight_open && !next.is_numeric()
        } else if single_stop && is_numeric_abbreviation(prev_word) {
            !next.is_ascii_digit()
        } else if single_stop && is_abbreviation(prev_word) {
            is_initialism(prev_word) && OPENERS.contains(&next_word(region, chars[k].0))
        } else {
            true
        };
        if is_break {
            push(text, start, sentence_start, break_at, paragraph, out);
            sentence_start = chars[k].0;
            open_curly = 0;
            straight_open = false;
        }
        i = j.max(i + 1);
    }
    push(text, start, sentence_start, region.len(), paragraph, out);
}

fn push(text: &str, base: usize, s: usize, e: usize, paragraph: usize, out: &mut Vec<Sentence>) {
    if let Some((s, e)) = trim_span(text, base + s, base + e) {
        out.push(Sentence {
            index: 0,
            paragraph,
            start: s,
            end: e,
            text: text[s..e].to_string(),
        });
    }
}

/// The run of letters and inner dots just before byte `pos` ("U.S" before the last dot).
fn word_before(region: &str, pos: usize) -> &str {
    let head = &region[..pos];
    // At most 32 characters back: enough for any abbreviation, and linear on long runs.
    let start = head
        .char_indices()
        .rev()
        .take(32)
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '.')
        .last()
        .map_or(pos, |(i, _)| i);
    head[start..].trim_start_matches('.')
}

fn next_word(region: &str, pos: usize) -> &str {
    let tail = &region[pos..];
    let end = tail
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(tail.len(), |(i, _)| i);
    &tail[..end]
}

fn is_numeric_abbreviation(word: &str) -> bool {
    NUMERIC_ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

fn is_abbreviation(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    if is_initialism(word) {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// A single initial ("J"), a dotted initialism ("U.S", "U.N") or a lower-case dotted
/// abbreviation of two letters or more ("a.m", "p.m", "e.g", "i.e").
fn is_initialism(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    let singles = parts.iter().all(|p| p.chars().count() == 1);
    singles
        && (parts.iter().all(|p| p.chars().all(char::is_uppercase))
            || (parts.len() >= 2 && parts.iter().all(|p| p.chars().all(char::is_lowercase))))
}

/// Set boilerplate aside and segment a read input into an [`Article`].
///
/// An HTML page or a Markdown file ([`crate::ingest::web::sniff`]) has its markup blanked first
/// ([`crate::ingest::web`]): the article's text is then the file with markup replaced by spaces, so
/// every offset is still an offset of the file, and a note says what was set aside.
pub fn build_article(
    raw: crate::ingest::RawArticle,
    keep_boilerplate: bool,
) -> crate::error::Result<Article> {
    build_article_noted(raw, keep_boilerplate, Vec::new())
}

/// [`build_article`], with notes from reading it (e.g. the encoding it was decoded from,
/// [`crate::ingest::read_input_decoding`]) put first among the article's notes.
pub fn build_article_noted(
    raw: crate::ingest::RawArticle,
    keep_boilerplate: bool,
    notes: Vec<String>,
) -> crate::error::Result<Article> {
    let mut raw = raw;
    let mut notes = notes;
    let blanked = match crate::ingest::web::sniff(&raw.path, &raw.text) {
        crate::ingest::web::InputKind::Text => None,
        crate::ingest::web::InputKind::Html => {
            Some((crate::ingest::web::blank_html(&raw.text), "HTML"))
        }
        crate::ingest::web::InputKind::Markdown => {
            Some((crate::ingest::web::blank_markdown(&raw.text), "Markdown"))
        }
    };
    let mut chrome = Vec::new();
    let mut date = None;
    let mut url = None;
    if let Some((b, format)) = blanked {
        notes.push(b.note(format));
        url = b.meta.url.clone();
        date = b.meta.date.as_deref().and_then(crate::ingest::day_of);
        raw.text = b.text;
        chrome = b.chrome;
    }
    let mut boilerplate = if keep_boilerplate {
        Vec::new()
    } else {
        let mut found: Vec<crate::model::Boilerplate> = chrome
            .iter()
            .map(|&(start, end, kind)| crate::model::Boilerplate {
                start,
                end,
                kind,
                text: raw.text[start..end].to_string(),
            })
            .collect();
        // The line rules ("Read also:", captions, end codes) over what is left.
        found.extend(
            crate::ingest::detect_boilerplate(&raw.text)
                .into_iter()
                .filter(|b| !chrome.iter().any(|&(s, e, _)| b.start < e && s < b.end)),
        );
        found.sort_by_key(|b| b.start);
        found
    };
    let mut sentences = segment(&raw.text, &boilerplate);
    if sentences.is_empty() && !boilerplate.is_empty() {
        // Chrome in an article, but all the user gave (a lone photo caption): compare it as
        // body text rather than refuse it, and say so.
        notes.push(format!(
            "every line looked like site chrome ({} line(s)); compared as body text",
            boilerplate.len()
        ));
        boilerplate.clear();
        sentences = segment(&raw.text, &boilerplate);
    }
    if sentences.is_empty() {
        return Err(crate::error::Error::NoBody {
            path: raw.path,
            boilerplate: boilerplate.len(),
        });
    }
    Ok(Article {
        label: raw.label,
        text: raw.text,
        sentences,
        boilerplate,
        notes,
        date: date.or_else(|| crate::ingest::path_date(&raw.path)),
        url,
        path: raw.path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<String> {
        segment(t, &[]).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn titles_months_and_initials_do_not_end_sentences() {
        assert_eq!(
            texts("Mr. Grushko met Gen. Smith on Jan. 27 in the U.S. embassy. J. Doe said so."),
            vec![
                "Mr. Grushko met Gen. Smith on Jan. 27 in the U.S. embassy.",
                "J. Doe said so."
            ]
        );
    }

    #[test]
    fn initialism_then_a_sentence_opener_ends_the_sentence() {
        assert_eq!(
            texts("Talks went on in the U.S. The Russians left."),
            vec!["Talks went on in the U.S.", "The Russians left."]
        );
    }

    #[test]
    fn decimals_and_thousands_stay_whole() {
        assert_eq!(
            texts("Growth was 1.5 percent. About 100,000 troops."),
            vec!["Growth was 1.5 percent.", "About 100,000 troops."]
        );
    }

    #[test]
    fn closing_quote_after_full_stop_stays_with_its_sentence() {
        assert_eq!(
            texts("Russia described the talks as \"unsuccessful.\" The two rounds ended."),
            vec![
                "Russia described the talks as \"unsuccessful.\"",
                "The two rounds ended."
            ]
        );
    }

    #[test]
    fn headline_lines_stand_alone_and_wrapped_lines_join() {
        assert_eq!(
            texts("Put guarantees in writing, Russia urges US\n\nThe US and NATO need to\nwrite it down."),
            vec![
                "Put guarantees in writing, Russia urges US",
                "The US and NATO need to\nwrite it down."
            ]
        );
    }

    #[test]
    fn ellipsis_inside_quote_does_not_split() {
        let t = "\u{201c}We want to see \u{2026} Russia pulling back its forces,\u{201d} she said.";
        assert_eq!(texts(t).len(), 1);
        let t = "\"Europe... the Russian deployment is wrong,\" she said.";
        assert_eq!(texts(t).len(), 1);
    }

    #[test]
    fn lowercase_fragment_after_full_stop_continues() {
        assert_eq!(
            texts("Lavrov said Russia expects a response by next week. writes Washington Post."),
            vec!["Lavrov said Russia expects a response by next week. writes Washington Post."]
        );
    }

    #[test]
    fn glued_sentences_split_only_after_lowercase_words() {
        assert_eq!(
            texts("Russia denies any intentions.Lavrov spoke. The U.S.A. said no."),
            vec![
                "Russia denies any intentions.",
                "Lavrov spoke.",
                "The U.S.A. said no."
            ]
        );
    }

    #[test]
    fn text_never_continues_across_boilerplate() {
        let t = "Mr. Smith\nRead also: x\nwent home.";
        let b = crate::ingest::detect_boilerplate(t);
        let s: Vec<String> = segment(t, &b).into_iter().map(|s| s.text).collect();
        assert_eq!(s, vec!["Mr. Smith", "went home."]);
    }

    #[test]
    fn no_before_a_full_stop_and_times_of_day() {
        assert_eq!(
            texts("Russia said no. The talks ended. It was No. 5 on the list."),
            vec![
                "Russia said no.",
                "The talks ended.",
                "It was No. 5 on the list."
            ]
        );
        assert_eq!(texts("They met at 10 a.m. Moscow time.").len(), 1);
    }

    #[test]
    fn a_dateline_under_a_long_headline_stands_alone() {
        assert_eq!(
            texts("Legendary Aquatic Musical Star Esther Williams Dies At 91\nJune 6th, 2013 7: 38pm EDT\n"),
            vec![
                "Legendary Aquatic Musical Star Esther Williams Dies At 91",
                "June 6th, 2013 7: 38pm EDT"
            ]
        );
        assert_eq!(
            texts("Legendary Aquatic Musical Star Esther Williams Dies At 91\nFriday, June 7\n")
                .len(),
            2
        );
        assert_eq!(
            texts("Legendary Aquatic Musical Star Esther Williams Dies At 91\n2013-06-07 08:00\n")
                .len(),
            2
        );
        // A wrapped line that goes on with a date still joins.
        assert_eq!(
            texts("The talks between the two delegations ended without any progress in\nJune 2013 and July\n").len(),
            1
        );
    }

    #[test]
    fn hard_wrapped_lines_join_headings_do_not() {
        let t = "A deep-sea diver who suffered a broken back in an accident under the\nNorth Sea has received compensation, it was revealed today.\nSome military exercises coming to an end\nRussian Defense Minister spoke.";
        assert_eq!(
            texts(t),
            vec![
                "A deep-sea diver who suffered a broken back in an accident under the\nNorth Sea has received compensation, it was revealed today.",
                "Some military exercises coming to an end",
                "Russian Defense Minister spoke."
            ]
        );
    }

    #[test]
    fn long_runs_of_dots_are_linear() {
        let t = "a.".repeat(200_000);
        assert_eq!(texts(&t).len(), 1);
    }

    #[test]
    fn paragraphs_are_counted() {
        let s = segment("One. Two.\n\nThree.\nFour.", &[]);
        let p: Vec<usize> = s.iter().map(|s| s.paragraph).collect();
        assert_eq!(p, vec![0, 0, 1, 1]);
    }
}
