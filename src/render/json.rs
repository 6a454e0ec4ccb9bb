//! JSON renderer: the [`Report`] as a pretty-printed, versioned document (docs/json.md),
//! written through the wire views of [`super::wire`].
//! Field order is fixed by the structs and every list is in a defined order, so the output
//! is byte-identical across runs.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::Report;

/// Write `report` as JSON followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let text =
        to_safe_string(&super::wire::ReportJson::from(report), true).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

/// Serialise `value` as JSON (pretty or compact) with every character that could act on a
/// terminal or reorder the text around it written as a `\uXXXX` escape. serde_json escapes
/// only U+0000–U+001F, so DEL, the C1 controls (U+009B alone starts an escape sequence on
/// some terminals) and bidirectional overrides from article text would reach a terminal raw.
/// Outside strings JSON is plain ASCII, so the escape lands inside a string, where it means
/// the same character.
pub fn to_safe_string<T: Serialize + ?Sized>(
    value: &T,
    pretty: bool,
) -> serde_json::Result<String> {
    let raw = if pretty {
        serde_json::to_string_pretty(value)?
    } else {
        serde_json::to_string(value)?
    };
    // U+0000–U+001F are escaped by serde_json inside strings, and the line breaks of pretty
    // output stand outside them: only DEL and the C1 block are left. Runs between escapes
    // are copied whole; with none, the text is returned as it is.
    let mut out = String::new();
    let mut copied = 0;
    for (i, c) in raw.char_indices() {
        if (c.is_ascii() && c != '\u{7f}')
            || !(('\u{7f}'..='\u{9f}').contains(&c) || super::is_format_control(c))
        {
            continue;
        }
        if out.is_empty() {
            out.reserve(raw.len() + 64);
        }
        out.push_str(&raw[copied..i]);
        out.push_str(&format!("\\u{:04x}", u32::from(c)));
        copied = i + c.len_utf8();
    }
    if copied == 0 {
        return Ok(raw);
    }
    out.push_str(&raw[copied..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_and_the_value_survives() {
        let text = "a\u{1b}[2J b\u{9b}31m c\u{7f} d\u{202e}e\u{2066} f\u{2028}g \"q\"";
        let out = to_safe_string(&serde_json::json!({ "t": text }), false).unwrap_or_default();
        assert!(out.is_ascii(), "{out}");
        assert!(out.contains("\\u009b") && out.contains("\\u202e") && out.contains("\\u2028"));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(back["t"], text);
    }
}
