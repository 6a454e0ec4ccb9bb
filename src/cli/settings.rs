//! Flags resolved into settings: colour, width, the `--accept` file.

use super::*;

/// Read an `--accept` file: the first word of each line that is not blank or a comment.
pub fn read_accept_file(path: &str) -> Result<std::collections::BTreeSet<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => format!("{path}: no such file"),
        io::ErrorKind::InvalidData => format!("{path}: not valid UTF-8"),
        _ => format!("{path}: cannot read: {e}"),
    })?;
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect())
}

/// Decide colour: --color, then NO_COLOR (non-empty), then CLICOLOR_FORCE, then whether the
/// output is a terminal whose TERM is not `dumb`.
pub fn resolve_color(
    arg: ColorArg,
    to_terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                return false;
            }
            if env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                return true;
            }
            to_terminal && env("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// Narrowest and widest layout the terminal view accepts: `--width` outside it is refused,
/// a terminal's or COLUMNS' width is brought into it.
pub const WIDTH_RANGE: (usize, usize) = (20, 1000);

/// `--width N`: a number of columns within [`WIDTH_RANGE`].
pub(crate) fn parse_width(s: &str) -> Result<usize, String> {
    let w: usize = s.parse().map_err(|_| {
        format!(
            "not a number of columns ({}–{})",
            WIDTH_RANGE.0, WIDTH_RANGE.1
        )
    })?;
    if (WIDTH_RANGE.0..=WIDTH_RANGE.1).contains(&w) {
        Ok(w)
    } else {
        Err(format!(
            "{w} columns is outside {}–{}",
            WIDTH_RANGE.0, WIDTH_RANGE.1
        ))
    }
}

/// Decide the width: --width, then the terminal's width, then COLUMNS, then 80; clamped to
/// [`WIDTH_RANGE`].
pub(crate) fn resolve_width(arg: Option<usize>, to_terminal: bool) -> usize {
    let w = arg
        .or_else(|| {
            to_terminal
                .then(terminal_size::terminal_size)
                .flatten()
                .map(|(terminal_size::Width(w), _)| w as usize)
        })
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|&w: &usize| w > 0)
        })
        .unwrap_or(80);
    w.clamp(WIDTH_RANGE.0, WIDTH_RANGE.1)
}
