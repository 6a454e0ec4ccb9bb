//! Ingest: read an input, check that it is text, and set site chrome (boilerplate) aside.
//!
//! Boilerplate is recognised line by line with general rules (page controls, "Read also:"
//! links, newsletter prompts, photo captions and credits, agency end codes, bylines, editor
//! and source lines), never by listing known lines. Every piece set aside is returned as a
//! [`Boilerplate`] with its byte span, so nothing is silently lost.

use std::io::Read;
use std::path::Path;

pub mod web;

use crate::error::{Error, Result};
use crate::model::{Boilerplate, BoilerplateKind};

/// Inputs larger than this are refused rather than held in memory.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// An input that has been read and checked, before segmentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawArticle {
    /// Label of the outlet.
    pub label: String,
    /// The path as given (`-` for standard input).
    pub path: String,
    /// The text, BOM removed.
    pub text: String,
}

/// How to read input that is not UTF-8.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Decoding {
    /// Refuse it, naming the encoding it most likely is in.
    #[default]
    Utf8Only,
    /// Decode it from the encoding detected (chardetng; for HTML, a `<meta charset>` first).
    Auto,
    /// Decode it from this encoding.
    From(&'static encoding_rs::Encoding),
}

impl Decoding {
    /// Parse an `--encoding` value: `auto`, `utf-8`, or a WHATWG encoding label
    /// (`latin1`, `windows-1250`, `shift_jis`, …).
    pub fn parse(name: &str) -> Result<Decoding> {
        if name.eq_ignore_ascii_case("auto") {
            return Ok(Decoding::Auto);
        }
        match encoding_rs::Encoding::for_label(name.trim().as_bytes()) {
            Some(e) if e == encoding_rs::UTF_8 => Ok(Decoding::Utf8Only),
            Some(e) => Ok(Decoding::From(e)),
            None => Err(Error::UnknownEncoding {
                name: name.to_string(),
            }),
        }
    }
}

/// Read one input (`-` is standard input) and check that it is non-empty UTF-8 text.
pub fn read_input(path: &str, label: Option<&str>) -> Result<RawArticle> {
    read_input_decoding(path, label, Decoding::Utf8Only).map(|(raw, _)| raw)
}

/// [`read_input`], decoding text that is not UTF-8 as `decoding` says; the second value is a
/// note for the article when the text was decoded (offsets are then of the decoded text).
pub fn read_input_decoding(
    path: &str,
    label: Option<&str>,
    decoding: Decoding,
) -> Result<(RawArticle, Option<String>)> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|source| Error::Io {
                path: path.to_string(),
                source,
            })?;
        if buf.len() as u64 > MAX_INPUT_BYTES {
            return Err(Error::TooLarge {
                path: path.to_string(),
                size: buf.len() as u64,
                limit: MAX_INPUT_BYTES,
            });
        }
        buf
    } else {
        read_file(path)?
    };
    let (text, note) = match decode(path, bytes.clone()) {
        Err(Error::NotUtf8 { .. }) if decoding != Decoding::Utf8Only => {
            decode_legacy(path, &bytes, decoding)?
        }
        other => (other?, None),
    };
    let label = label
        .map(str::to_string)
        .unwrap_or_else(|| default_label(path));
    Ok((
        RawArticle {
            label,
            path: path.to_string(),
            text,
        },
        note,
    ))
}

/// The encoding non-UTF-8 `bytes` are most likely in: an HTML page's `<meta charset>` (or
/// `http-equiv` content type) when it names one, else chardetng's guess.
pub fn guess_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    if let Some(e) = meta_charset(bytes).filter(|e| *e != encoding_rs::UTF_8) {
        return e;
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(None, chardetng::Utf8Detection::Deny)
}

/// The charset an HTML page declares in its first 2 kB.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let name: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "-_:.".contains(*c))
        .collect();
    encoding_rs::Encoding::for_label(name.as_bytes())
}

/// Decode `bytes` from a legacy encoding: the one asked for, or the one guessed.
fn decode_legacy(path: &str, bytes: &[u8], decoding: Decoding) -> Result<(String, Option<String>)> {
    let (enc, how) = match decoding {
        Decoding::From(e) => (e, "as asked"),
        _ => (guess_encoding(bytes), "detected"),
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let text = text.into_owned();
    if text.trim().is_empty() {
        return Err(Error::Empty {
            path: path.to_string(),
        });
    }
    let lossy = if had_errors {
        " (some bytes were not valid in it and read as U+FFFD)"
    } else {
        ""
    };
    let note = format!(
        "decoded from {} ({how}){lossy}: offsets are of the decoded UTF-8 text, not the file's bytes",
        enc.name()
    );
    Ok((text, Some(note)))
}

fn read_file(path: &str) -> Result<Vec<u8>> {
    let p = Path::new(path);
    let meta = std::fs::metadata(p).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound {
            path: path.to_string(),
        },
        _ => Error::Io {
            path: path.to_string(),
            source,
        },
    })?;
    if meta.is_dir() {
        return Err(Error::IsDirectory {
            path: path.to_string(),
        });
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            path: path.to_string(),
            size: meta.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    // Devices and pipes report no size: read at most one byte past the limit.
    let io_err = |source| Error::Io {
        path: path.to_string(),
        source,
    };
    let mut buf = Vec::new();
    std::fs::File::open(p)
        .map_err(io_err)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(io_err)?;
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            path: path.to_string(),
            size: buf.len() as u64,
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(buf)
}

/// The checks every article's text passes, whether it comes from a file (`compare`,
/// `group`) or a JSON Lines feed (`batch`): at most [`MAX_INPUT_BYTES`], and no NUL byte.
pub fn check_bytes(path: &str, bytes: &[u8]) -> Result<()> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            path: path.to_string(),
            size: bytes.len() as u64,
            limit: MAX_INPUT_BYTES,
        });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::Binary {
            path: path.to_string(),
            offset,
        });
    }
    Ok(())
}

/// The calendar date an ISO 8601 stamp starts with (`2022-01-14`, `2022-01-14T10:05…`):
/// year, month and day, the day valid for its month (29 February only in a leap year).
/// One rule for every date storydiff reads: a feed line's `"date"` and a page's publication
/// time.
pub fn iso_date(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    let shaped = b.len() >= 10
        && b[..10].iter().enumerate().all(|(k, c)| {
            if k == 4 || k == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b.get(10).is_none_or(|c| !c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let y: i64 = s[..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let last = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=last).contains(&d).then_some((y, m, d))
}

/// Days from 1970-01-01 to the civil date `y-m-d` (proleptic Gregorian).
pub fn day_number(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day an ISO 8601 stamp names, as `YYYY-MM-DD` ([`iso_date`]'s rule).
pub fn day_of(s: &str) -> Option<String> {
    iso_date(s.trim()).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

/// The last ISO date (`2022-01-14`) a path names, in a file or folder name, as archives of
/// saved articles often do (`lavrov-2022-01-14/kuna.txt`, `2022-01-14-lavrov.md`): the day an
/// article without a stated publication date is taken to be from. A date run into other
/// digits is not one.
pub fn path_date(path: &str) -> Option<String> {
    let b = path.as_bytes();
    (0..b.len().saturating_sub(9))
        .rev()
        .filter(|&i| i == 0 || !b[i - 1].is_ascii_digit())
        .find_map(|i| {
            day_of(path.get(i..i + 10)?)
                .filter(|_| b.get(i + 10).is_none_or(|c| !c.is_ascii_digit()))
        })
}

/// Check the bytes are text and turn them into a `String`, dropping a UTF-8 BOM.
pub fn decode(path: &str, mut bytes: Vec<u8>) -> Result<String> {
    if looks_utf16(&bytes) {
        return Err(Error::Utf16 {
            path: path.to_string(),
        });
    }
    check_bytes(path, &bytes)?;
    let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        3
    } else {
        0
    };
    // Offsets in errors count from the start of the file, BOM included.
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = bom + e.utf8_error().valid_up_to();
        Error::NotUtf8 {
            path: path.to_string(),
            offset,
            guess: guess_encoding(e.as_bytes()).name().to_ascii_lowercase(),
        }
    })?;
    if text.trim().is_empty() {
        return Err(Error::Empty {
            path: path.to_string(),
        });
    }
    Ok(text)
}

/// UTF-16: a byte-order mark (FF FE or FE FF), or text whose first bytes have a NUL in
/// every other position (ASCII written as UTF-16 without a mark).
fn looks_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(256) & !1];
    if head.len() < 8 {
        return false;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let half = head.len() / 2;
    (even * 10 >= half * 9 && odd == 0) || (odd * 10 >= half * 9 && even == 0)
}

/// The label of an input with no `--label`: its file stem, or `stdin`.
pub fn default_label(path: &str) -> String {
    if path == "-" {
        return "stdin".to_string();
    }
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| path.to_string())
}

/// One line of the text with its byte range (without the line break).
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    start: usize,
    text: &'a str,
}

impl Line<'_> {
    /// Span of the line without leading and trailing white space.
    fn trimmed_span(&self) -> (usize, usize) {
        let lead = self.text.len() - self.text.trim_start().len();
        let trail = self.text.len() - self.text.trim_end().len();
        (self.start + lead, self.start + self.text.len() - trail)
    }

    fn trimmed(&self) -> &str {
        self.text.trim()
    }
}

/// Lines as `(start, end of text, end with terminator)`; `\n`, `\r\n` and a lone `\r` all
/// end a line. Shared with the segmenter so both stages see the same lines.
pub fn line_spans(text: &str) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((start, i, i + 1));
                start = i + 1;
            }
            b'\r' => {
                let next = if bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                out.push((start, i, next));
                start = next;
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push((start, bytes.len(), bytes.len()));
    }
    out
}

fn lines(text: &str) -> Vec<Line<'_>> {
    line_spans(text)
        .into_iter()
        .map(|(s, e, _)| Line {
            start: s,
            text: &text[s..e],
        })
        .collect()
}

/// Find the site chrome in `text`, in reading order. Spans never overlap and never include
/// surrounding white space.
pub fn detect_boilerplate(text: &str) -> Vec<Boilerplate> {
    let lines = lines(text);
    let mut marks: Vec<Option<(BoilerplateKind, usize)>> = vec![None; lines.len()];
    for (i, line) in lines.iter().enumerate() {
        let t = line.trimmed();
        if t.is_empty() {
            continue;
        }
        if let Some(kind) = classify_line(t) {
            marks[i] = Some((kind, line.trimmed_span().0));
        } else if let Some(pos) = end_code_start(t) {
            let offset = line.trimmed_span().0 + pos;
            marks[i] = Some((BoilerplateKind::EndCode, offset));
        }
    }
    // A short name-only line directly above a caption is the caption's title.
    for i in 0..lines.len().saturating_sub(1) {
        if marks[i].is_none()
            && matches!(marks[i + 1], Some((BoilerplateKind::Caption, _)))
            && is_caption_title(lines[i].trimmed())
        {
            marks[i] = Some((BoilerplateKind::Caption, lines[i].trimmed_span().0));
        }
    }
    // At the end of a page, a Title-Case slogan next to other chrome is a promotion.
    let mut seen_chrome = false;
    for i in (0..lines.len()).rev() {
        let t = lines[i].trimmed();
        if t.is_empty() {
            continue;
        }
        match marks[i] {
            Some((kind, _)) if kind != BoilerplateKind::EndCode => seen_chrome = true,
            Some(_) => break,
            None if seen_chrome && is_title_case_slogan(t) => {
                marks[i] = Some((BoilerplateKind::Newsletter, lines[i].trimmed_span().0));
            }
            None => break,
        }
    }
    lines
        .iter()
        .zip(marks)
        .filter_map(|(line, mark)| {
            let (kind, start) = mark?;
            let (_, end) = line.trimmed_span();
            Some(Boilerplate {
                start,
                end,
                kind,
                text: text[start..end].to_string(),
            })
        })
        .collect()
}

fn words(t: &str) -> Vec<&str> {
    t.split_whitespace().collect()
}

fn lower_starts_with_any(t: &str, prefixes: &[&str]) -> bool {
    let lower = t.to_lowercase();
    prefixes.iter().any(|p| lower.starts_with(p))
}

/// Classify a whole (trimmed, non-empty) line as chrome, if it is.
fn classify_line(t: &str) -> Option<BoilerplateKind> {
    let w = words(t);
    let lower = t.to_lowercase();
    if is_control_line(&w) {
        return Some(BoilerplateKind::Control);
    }
    const RELATED: &[&str] = &[
        "read also",
        "read more",
        "also read",
        "see also",
        "related:",
        "related |",
        "related stories",
        "related articles",
        "more on this",
        "recommended:",
        "watch:",
        "listen:",
    ];
    if lower_starts_with_any(t, RELATED) {
        return Some(BoilerplateKind::RelatedLink);
    }
    // Prompts open with the call to action, or name the newsletter, inbox or policy.
    const NEWSLETTER_START: &[&str] = &[
        "subscribe",
        "sign up",
        "get notified",
        "notify me",
        "unsubscribe",
        "follow us",
        "join our",
        "download our app",
    ];
    const NEWSLETTER_ANYWHERE: &[&str] = &[
        "newsletter",
        "to your inbox",
        "privacy policy",
        "cookie policy",
        "we use cookies",
    ];
    if w.len() <= 15
        && (lower_starts_with_any(t, NEWSLETTER_START)
            || NEWSLETTER_ANYWHERE.iter().any(|k| lower.contains(k)))
    {
        return Some(BoilerplateKind::Newsletter);
    }
    if w.len() <= 40 && is_caption(t, &lower) {
        return Some(BoilerplateKind::Caption);
    }
    const CREDIT: &[&str] = &[
        "editor:",
        "edited by",
        "editing by",
        "reporting by",
        "source link",
        "source:",
        "sources:",
        "copyright ©",
        "copyright (c)",
        "©",
        "all rights reserved",
        "advertisement",
    ];
    if w.len() <= 12 && lower_starts_with_any(t, CREDIT) {
        return Some(BoilerplateKind::Credit);
    }
    if is_byline(&w) {
        return Some(BoilerplateKind::Byline);
    }
    if slug_date(t).is_some() {
        return Some(BoilerplateKind::Slug);
    }
    None
}

/// A wire header: a time and a numeric date at the start of a line ("15:51 01/03/00: Page 1
/// (HHH) COURTS Diver"), as agencies stamp each take. Returns the date ("01/03/00") when `t`
/// is such a header; grouping reads it as the take's filing date.
pub fn slug_date(t: &str) -> Option<&str> {
    let mut parts = t.split_whitespace();
    let (time, date) = (parts.next()?, parts.next()?);
    let is_time = {
        let mut hm = time.split(':');
        matches!((hm.next(), hm.next()), (Some(h), Some(m))
            if (1..=2).contains(&h.len()) && h.chars().all(|c| c.is_ascii_digit())
                && m.len() == 2 && m.chars().all(|c| c.is_ascii_digit()))
    };
    let date = date.trim_end_matches(':');
    let is_date = date.split('/').count() == 3
        && date
            .split('/')
            .all(|p| (1..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
    (is_time && is_date && t.split_whitespace().count() <= 12).then_some(date)
}

/// Page widgets: a short line with no real word ("A+ A-", "| Print |", a rule of dashes),
/// or a few widget words.
fn is_control_line(w: &[&str]) -> bool {
    const WIDGETS: &[&str] = &[
        "share", "print", "tweet", "email", "e-mail", "comments", "comment", "facebook", "twitter",
        "whatsapp", "telegram", "linkedin", "copy", "link", "save",
    ];
    if w.is_empty() || w.len() > 6 {
        return false;
    }
    // A rule ("-----", "* * *", "====") carries no words at all: layout, not text.
    if w.concat().chars().count() >= 3 && !w.iter().any(|x| x.chars().any(char::is_alphanumeric)) {
        return true;
    }
    let letters_max = w
        .iter()
        .map(|x| x.chars().filter(|c| c.is_alphabetic()).count())
        .max()
        .unwrap_or(0);
    let has_symbol = w
        .iter()
        .any(|x| x.chars().any(|c| "+|/•·×=<>«»".contains(c)))
        || w.iter().any(|x| x.ends_with('-') && x.len() <= 3);
    if letters_max <= 2 && has_symbol {
        return true;
    }
    w.iter().all(|x| {
        let bare: String = x
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_lowercase();
        bare.is_empty() || WIDGETS.contains(&bare.as_str())
    })
}

/// Photo captions and credits: "Photo: …", "Credit | AA", "… -EPA", "(Photo by …)".
fn is_caption(t: &str, lower: &str) -> bool {
    const MARKERS: &[&str] = &[
        "photo:",
        "photo |",
        "photo by",
        "photo credit",
        "photos:",
        "(photo",
        "image:",
        "image credit",
        "picture:",
        "foto:",
        "credit:",
        "credit |",
        "credits:",
        "getty images",
        "file photo",
    ];
    // The marker opens the line or sits in its last few words ("… in Moscow. Photo: X").
    let tail_start = lower
        .char_indices()
        .rev()
        .filter(|(_, c)| c.is_whitespace())
        .nth(5)
        .map_or(0, |(i, _)| i);
    if MARKERS
        .iter()
        .any(|m| lower.starts_with(m) || lower[tail_start..].contains(m))
    {
        return true;
    }
    agency_credit_suffix(t)
}

/// A line ending in a picture agency credit such as " -EPA", " - AFP", " /Reuters".
fn agency_credit_suffix(t: &str) -> bool {
    let Some(last) = t.split_whitespace().last() else {
        return false;
    };
    let code = if let Some(c) = last.strip_prefix('-').or_else(|| last.strip_prefix('/')) {
        c
    } else if t.len() > last.len() {
        let before = t[..t.len() - last.len()].trim_end();
        if before.ends_with(" -") || before.ends_with(" /") {
            last
        } else {
            return false;
        }
    } else {
        return false;
    };
    let code = code.trim_end_matches(['.', ')']);
    (2..=6).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_uppercase() || c == '/')
        && t.split_whitespace().count() > 1
}

/// The start (byte offset in the trimmed line) of a trailing agency end code such as
/// "(end) as.hm" or "(ends)", if the line has one.
fn end_code_start(t: &str) -> Option<usize> {
    let lower = t.to_ascii_lowercase();
    for marker in ["(end)", "(ends)", "(endit)", "(end of story)"] {
        if let Some(pos) = lower.rfind(marker) {
            let rest = &t[pos + marker.len()..];
            let tail_ok = rest.split_whitespace().count() <= 2
                && rest
                    .chars()
                    .all(|c| c.is_alphanumeric() || c.is_whitespace() || "./-_".contains(c));
            if tail_ok {
                return Some(pos);
            }
        }
    }
    None
}

/// "By Elena Teslova and Agnes Szucs": a short line of capitalised names after "By".
fn is_byline(w: &[&str]) -> bool {
    if w.len() < 3 || w.len() > 10 || w[0] != "By" {
        return false;
    }
    w[1..].iter().all(|x| {
        matches!(*x, "and" | "&" | "in" | "of")
            || (x.chars().next().is_some_and(char::is_uppercase) && !x.ends_with(['!', '?', ':']))
    })
}

/// A name-only line above a caption: 1–5 capitalised words and no sentence punctuation.
fn is_caption_title(t: &str) -> bool {
    let w = words(t);
    !w.is_empty()
        && w.len() <= 5
        && !t.ends_with(['.', '!', '?', ':', '"', '”'])
        && w.iter()
            .all(|x| x.chars().next().is_some_and(char::is_uppercase))
}

/// A short line in which (almost) every word is capitalised: a promotional slogan.
fn is_title_case_slogan(t: &str) -> bool {
    let w = words(t);
    if w.len() < 3 || w.len() > 12 {
        return false;
    }
    let caps = w
        .iter()
        .filter(|x| x.chars().next().is_some_and(char::is_uppercase))
        .count();
    caps * 10 >= w.len() * 9
}

/// Make labels unique by suffixing repeats with `-2`, `-3`, … in input order.
pub fn dedupe_labels(articles: &mut [crate::model::Article]) {
    let mut seen = std::collections::HashSet::new();
    for a in articles.iter_mut() {
        if seen.insert(a.label.clone()) {
            continue;
        }
        let mut n = 2;
        while seen.contains(&format!("{}-{n}", a.label)) {
            n += 1;
        }
        a.label = format!("{}-{n}", a.label);
        seen.insert(a.label.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_last_iso_date() {
        assert_eq!(
            path_date("fixtures/lavrov-2022-01-14/kuna.txt").as_deref(),
            Some("2022-01-14")
        );
        assert_eq!(
            path_date("2021-12-31/2022-01-14-lavrov.md").as_deref(),
            Some("2022-01-14")
        );
        assert_eq!(path_date("a/2022-02-30.txt"), None);
        assert_eq!(path_date("a/12022-01-14.txt"), None);
        assert_eq!(path_date("a/2022-01-145.txt"), None);
        assert_eq!(path_date("kuna.txt"), None);
        assert_eq!(path_date("é2022-01-14").as_deref(), Some("2022-01-14"));
        assert_eq!(
            day_of(" 2022-01-14T10:05:00+02:00").as_deref(),
            Some("2022-01-14")
        );
    }

    #[test]
    fn iso_dates_are_calendar_dates() {
        assert_eq!(iso_date("2022-01-14"), Some((2022, 1, 14)));
        assert_eq!(iso_date("2022-01-14T10:05:00+02:00"), Some((2022, 1, 14)));
        assert_eq!(iso_date("2024-02-29"), Some((2024, 2, 29)));
        for bad in [
            "2021-02-29",
            "2020-13-45",
            "2020-04-31",
            "2020-00-10",
            "2020-01-00",
            "14 Jan",
            "2020-01-150",
            "2020/01/15",
        ] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn utf16_is_named_as_such() {
        let le: Vec<u8> = "\u{feff}Lavrov said."
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "Lavrov said so."
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        for bytes in [le, be] {
            let e = decode("a.txt", bytes).map(|_| ()).unwrap_err().to_string();
            assert!(e.starts_with("a.txt: UTF-16 text"), "{e}");
        }
        assert!(matches!(
            decode("b", vec![b'a', 0, b'b']),
            Err(Error::Binary { .. })
        ));
    }

    fn kinds(text: &str) -> Vec<(BoilerplateKind, String)> {
        detect_boilerplate(text)
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    #[test]
    fn rule_lines_are_chrome_and_do_not_join_the_headline() {
        let text = "  -----------------------------\n\n  ---------------------\nJURY TOLD OF BEDFELLOWS\nThe jury heard it today.\n* * *\n";
        let k = kinds(text);
        assert_eq!(k.len(), 3, "{k:?}");
        assert!(k.iter().all(|(kind, _)| *kind == BoilerplateKind::Control));
        assert_eq!(k[2].1, "* * *");
        // Text next to a rule stays text.
        assert!(k
            .iter()
            .all(|(_, t)| !t.contains("JURY") && !t.contains("jury")));
    }

    #[test]
    fn font_controls_and_related_links_are_chrome() {
        let k = kinds("A+ A-\n\nBody text here.\nRead also: Another story\n");
        assert_eq!(k[0], (BoilerplateKind::Control, "A+ A-".into()));
        assert_eq!(
            k[1],
            (
                BoilerplateKind::RelatedLink,
                "Read also: Another story".into()
            )
        );
        assert_eq!(k.len(), 2);
    }

    #[test]
    fn end_code_is_cut_from_the_end_of_a_body_line() {
        let text = "He said it at NATO headquarters. (end) as.hm\n";
        let b = detect_boilerplate(text);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].kind, BoilerplateKind::EndCode);
        assert_eq!(b[0].text, "(end) as.hm");
        assert_eq!(&text[b[0].start..b[0].end], "(end) as.hm");
    }

    #[test]
    fn caption_with_agency_credit_takes_its_title_line() {
        let k = kinds("Headline\n\nJane Doe\nJane Doe says things. -EPA\n\nBody.\n");
        assert_eq!(k.len(), 2);
        assert!(k.iter().all(|(kind, _)| *kind == BoilerplateKind::Caption));
    }

    #[test]
    fn body_sentences_are_not_chrome() {
        for line in [
            "Russia denies it has any such intentions.",
            "Lavrov said the US and NATO are working to water down security guarantees.",
            "By the end of the day, talks had failed.",
            "Share prices fell sharply on Monday after the announcement.",
            "Some military exercises coming to an end",
        ] {
            assert!(kinds(line).is_empty(), "{line}");
        }
    }

    #[test]
    fn slogan_at_the_end_goes_with_the_newsletter_prompt() {
        let k = kinds("Body.\n\nWe Have Come Too Far To Stop.\n\nSubscribe To Our Newsletter\n");
        assert_eq!(k.len(), 2);
        assert!(k
            .iter()
            .all(|(kind, _)| *kind == BoilerplateKind::Newsletter));
    }

    #[test]
    fn byline_and_credit() {
        let k =
            kinds("By Elena Teslova and Agnes Szucs\nBody.\nCredit | AA\nEditor: Marco Badea\n");
        assert_eq!(k[0].0, BoilerplateKind::Byline);
        assert_eq!(k[1].0, BoilerplateKind::Caption);
        assert_eq!(k[2].0, BoilerplateKind::Credit);
    }

    #[test]
    fn keywords_inside_body_sentences_are_not_chrome() {
        for line in [
            "Russia does not subscribe to that view, the ministry said.",
            "Kyiv will sign up to the plan, officials said.",
            "The cookie factory in Kharkiv was shelled overnight.",
            "A photo by a local resident showed smoke rising over the port, and officials later confirmed that two warehouses had burned down near the harbour.",
            "Copyright disputes between the two broadcasters were settled.",
        ] {
            assert!(kinds(line).is_empty(), "{line}");
        }
        assert_eq!(
            kinds("Subscribe to our newsletter")[0].0,
            BoilerplateKind::Newsletter
        );
    }

    #[test]
    fn carriage_return_only_files_have_lines() {
        let k = kinds("A+ A-\rBody text here.\rRead also: more\r");
        assert_eq!(k.len(), 2, "{k:?}");
        assert_eq!(
            line_spans("a\r\nb\rc\n"),
            vec![(0, 1, 3), (3, 4, 5), (5, 6, 7)]
        );
    }

    #[test]
    fn a_page_that_declares_its_charset_is_guessed_by_it() {
        let page = b"<html><head><meta charset=\"iso-8859-2\"></head><body><p>\xa3\xf3d\xbc</p></body></html>";
        assert_eq!(guess_encoding(page), encoding_rs::ISO_8859_2);
        let e = decode("p.html", page.to_vec())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.contains("it looks like iso-8859-2"), "{e}");
        assert_eq!(
            Decoding::parse("latin1").ok(),
            Some(Decoding::From(encoding_rs::WINDOWS_1252))
        );
        assert_eq!(Decoding::parse("UTF-8").ok(), Some(Decoding::Utf8Only));
        assert!(Decoding::parse("nope").is_err());
    }

    #[test]
    fn bom_counts_in_the_utf8_error_offset() {
        assert!(matches!(
            decode("x", b"\xEF\xBB\xBFab\xff".to_vec()),
            Err(Error::NotUtf8 { offset: 5, .. })
        ));
    }

    #[test]
    fn wire_slug_lines_are_chrome() {
        let k =
            kinds("15:51 01/03/00: Page 1 (HHH) COURTS Diver\nA diver was hurt at 15:51 today.\n");
        assert_eq!(
            k,
            vec![(
                BoilerplateKind::Slug,
                "15:51 01/03/00: Page 1 (HHH) COURTS Diver".into()
            )]
        );
    }

    #[test]
    fn decode_rejects_binary_and_bad_utf8_with_offsets() {
        assert!(matches!(
            decode("x", b"ab\0c".to_vec()),
            Err(Error::Binary { offset: 2, .. })
        ));
        assert!(matches!(
            decode("x", b"abc\xff".to_vec()),
            Err(Error::NotUtf8 { offset: 3, .. })
        ));
        assert!(matches!(
            decode("x", b" \n\t".to_vec()),
            Err(Error::Empty { .. })
        ));
        assert_eq!(
            decode("x", b"\xEF\xBB\xBFhi".to_vec()).ok(),
            Some("hi".into())
        );
    }
}
