//! One escaping function per output kind. Article text, labels, file names, page metadata
//! and reports read back are untrusted: no control character may reach any output raw.
//!
//! | output | function | what happens to a control character |
//! |---|---|---|
//! | terminal, stat, stderr | [`terminal`] | U+FFFD; line breaks and tabs become spaces |
//! | HTML | [`html_visible`], then `html-escape` (`html::text`, `html::attr`) | U+FFFD; a carriage return becomes a space |
//! | Markdown checklist | [`crate::checklist::escape`] | U+FFFD; line breaks become spaces |
//! | JSON | [`storydiff::wire::to_safe_string`] | a `\uXXXX` escape (the value survives) |
//!
//! "Control" is the C0 block, DEL, the C1 block (U+009B alone starts an escape sequence on
//! some terminals), and the bidirectional and line-separator characters of
//! [`storydiff::wire::is_format_control`].

/// Whether `c` must never reach an output as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || storydiff::wire::is_format_control(c)
}

/// Untrusted text for a terminal: every control character becomes U+FFFD (visible, and
/// inert), line breaks and tabs become spaces (the caller wraps).
pub fn terminal(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
            c if is_unsafe(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Untrusted text for an HTML page, before markup escaping: controls become U+FFFD, a
/// carriage return a space (white space in a page, but on a terminal it would return the
/// cursor and let a line overwrite another); tabs and line feeds stay.
pub fn html_visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\t' => c,
                '\r' => ' ',
                c if is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_keeps_no_control() {
        let s = terminal("a\u{1b}[31mred\u{9b}2J\u{202E}x\r\ny\u{7f}\u{19}");
        assert_eq!(s, "a\u{FFFD}[31mred\u{FFFD}2J\u{FFFD}x  y\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn html_text_keeps_line_feeds_and_tabs_only() {
        assert_eq!(
            html_visible("fire \u{1b}]52;c;ZXZpbA==\u{7} a\tb\r\nc\u{85}\u{2066}"),
            "fire \u{FFFD}]52;c;ZXZpbA==\u{FFFD} a\tb \nc\u{FFFD}\u{FFFD}"
        );
        assert!(matches!(
            html_visible("plain «text»\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
