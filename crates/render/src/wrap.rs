//! Text for a terminal: the palette (colours, or plain text with diff marks escaped) and the
//! wrapper that lays styled pieces out in lines by display width. The terminal view and the
//! `--stat` summary both write through it.

use std::io::{self, Write};

use owo_colors::Style;
use unicode_width::UnicodeWidthStr;

use super::sanitize_for_terminal;

/// Colours, all plain when colour is off.
pub(crate) struct Palette {
    pub(crate) header: Style,
    pub(crate) dim: Style,
    pub(crate) delete: Style,
    pub(crate) insert: Style,
    pub(crate) reworded: Style,
    pub(crate) partial: Style,
    pub(crate) marks: bool,
}

impl Palette {
    /// Untrusted text (article text, labels, file names, explanations) as this palette
    /// prints it: controls neutralised ([`sanitize_for_terminal`]) and, with colour off,
    /// anything that would read as a diff mark escaped ([`escape_marks`]). Every piece of
    /// text the terminal view prints goes through here.
    pub(crate) fn text(&self, s: &str) -> String {
        let t = sanitize_for_terminal(s);
        if self.marks {
            escape_marks(&t)
        } else {
            t
        }
    }

    pub(crate) fn new(color: bool) -> Self {
        if color {
            Palette {
                header: Style::new().bold(),
                dim: Style::new().dimmed(),
                delete: Style::new().red(),
                insert: Style::new().green(),
                reworded: Style::new().yellow(),
                partial: Style::new().cyan(),
                marks: false,
            }
        } else {
            let p = Style::new();
            Palette {
                header: p,
                dim: p,
                delete: p,
                insert: p,
                reworded: p,
                partial: p,
                marks: true,
            }
        }
    }
}

/// A run of text in one style; the unit the wrapper lays out.
pub(crate) type Piece = (String, Style);

/// Article text that would read as a diff mark (`[-`, `-]`, `{+`, `+}`) gets a backslash
/// inside it (`[\-`), and a backslash is doubled, so text can never forge a mark when colour
/// is off.
pub(crate) fn escape_marks(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut prev: Option<char> = None;
    for c in t.chars() {
        match (prev, c) {
            (_, '\\') => out.push_str("\\\\"),
            (Some('['), '-') | (Some('{'), '+') | (Some('-'), ']') | (Some('+'), '}') => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// Lay out styled pieces in lines of at most `width` columns: `first` prefixes the first
/// line, `rest` the others. Words are never split unless one is wider than a line.
pub(crate) fn write_wrapped(
    out: &mut dyn Write,
    first: &str,
    rest: &str,
    pieces: &[Piece],
    width: usize,
) -> io::Result<()> {
    let prefix_w = visible_width(first).max(visible_width(rest));
    let avail = width.saturating_sub(prefix_w).max(10);
    for (k, (line, _)) in layout_lines(pieces, avail).into_iter().enumerate() {
        let p = if k == 0 { first } else { rest };
        writeln!(out, "{p}{line}")?;
    }
    Ok(())
}

/// Break styled pieces into lines of at most `avail` display columns (wide characters count
/// two, combining marks none), with each line's display width. Words are separated by
/// spaces and never split unless one is wider than a line; then it is cut between
/// characters, a combining mark staying with the character it marks. Always at least one
/// line (empty for no text).
/// Append `text` in `style` to `line` (no intermediate string).
fn push_styled(line: &mut String, style: Style, text: &str) {
    let _ = std::fmt::Write::write_fmt(line, format_args!("{}", style.style(text)));
}

pub(crate) fn layout_lines(pieces: &[Piece], avail: usize) -> Vec<(String, usize)> {
    let avail = avail.max(2);
    // Fragments: (text, style, glued to previous fragment).
    let mut frags: Vec<(&str, Style, bool)> = Vec::new();
    let mut pending_space = true;
    for (text, style) in pieces {
        let mut pos = 0;
        for (i, ch) in text.char_indices() {
            if ch == ' ' {
                if pos < i {
                    frags.push((&text[pos..i], *style, !pending_space));
                }
                pending_space = true;
                pos = i + 1;
            }
        }
        if pos < text.len() {
            frags.push((&text[pos..], *style, !pending_space));
            pending_space = false;
        }
    }
    // Group glued fragments into words.
    let mut words: Vec<Vec<(&str, Style)>> = Vec::new();
    for (t, s, glued) in frags {
        match words.last_mut() {
            Some(w) if glued => w.push((t, s)),
            _ => words.push(vec![(t, s)]),
        }
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0usize;
    let flush = |lines: &mut Vec<(String, usize)>, line: &mut String, line_w: &mut usize| {
        lines.push((std::mem::take(line), *line_w));
        *line_w = 0;
    };
    for word in words {
        let w: usize = word.iter().map(|(t, _)| t.width()).sum();
        if line_w > 0 && line_w + 1 + w > avail {
            flush(&mut lines, &mut line, &mut line_w);
        }
        if line_w > 0 {
            line.push(' ');
            line_w += 1;
        }
        for (t, s) in word {
            // A word wider than the line is cut at character boundaries.
            let mut chunk = String::new();
            for ch in t.chars() {
                // The width of the one-character string, without allocating it.
                let cw = ch.encode_utf8(&mut [0u8; 4]).width();
                if line_w + cw > avail && line_w > 0 {
                    push_styled(&mut line, s, &chunk);
                    chunk.clear();
                    flush(&mut lines, &mut line, &mut line_w);
                }
                chunk.push(ch);
                line_w += cw;
            }
            push_styled(&mut line, s, &chunk);
        }
    }
    if line_w > 0 || !line.is_empty() || lines.is_empty() {
        flush(&mut lines, &mut line, &mut line_w);
    }
    lines
}

/// Width of a prefix that may hold ANSI colour codes.
fn visible_width(s: &str) -> usize {
    let mut w = 0;
    let mut in_esc = false;
    for ch in s.chars() {
        if in_esc {
            if ch.is_ascii_alphabetic() {
                in_esc = false;
            }
        } else if ch == '\u{1b}' {
            in_esc = true;
        } else {
            w += ch.encode_utf8(&mut [0u8; 4]).width();
        }
    }
    w
}
