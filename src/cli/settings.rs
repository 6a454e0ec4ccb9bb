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
pub const WIDTH_RANGE: (usize, usize) = (storydiff_render::MIN_WIDTH, 1000);

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

/// How a report is shown, resolved once from the output flags for `compare`, `check`,
/// `render` and `compare --by-event`: the renderer's format, its options (colour, width,
/// layout, timestamp), and the finding ids `--accept` dismisses.
pub(crate) struct Shown {
    pub(crate) format: Format,
    pub(crate) options: RenderOptions,
    pub(crate) accepted: std::collections::BTreeSet<String>,
}

impl Shown {
    /// Resolve the output flags for `format`.
    pub(crate) fn resolve(format: FormatArg, out: &OutputArgs) -> Result<Shown, RunError> {
        Ok(Shown {
            format: render_format(format, out.stat),
            options: render_options(out),
            accepted: accepted_ids(out)?,
        })
    }
}

/// The renderer of `--format`: the terminal view, or its summary alone with `--stat`.
pub(crate) fn render_format(format: FormatArg, stat: bool) -> Format {
    match format {
        FormatArg::Terminal if stat => Format::Stat,
        FormatArg::Terminal => Format::Terminal,
        FormatArg::Json => Format::Json,
        FormatArg::Checklist => Format::Checklist,
        FormatArg::Html => Format::Html,
        FormatArg::Annotations => Format::Annotations,
    }
}

/// The ids `--accept` names (none without the flag).
pub(crate) fn accepted_ids(
    out: &OutputArgs,
) -> Result<std::collections::BTreeSet<String>, RunError> {
    match &out.accept {
        Some(path) => read_accept_file(path).map_err(RunError::Fail),
        None => Ok(Default::default()),
    }
}

/// Colour, width and timestamp from the flags, the environment and the output.
pub(crate) fn render_options(out: &OutputArgs) -> RenderOptions {
    let to_terminal = out.output.is_none() && io::stdout().is_terminal();
    let env = |k: &str| std::env::var(k).ok();
    RenderOptions {
        color: resolve_color(out.color, to_terminal, &env),
        width: resolve_width(out.width, to_terminal),
        timestamp: out
            .timestamp
            .then(|| humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()),
        layout: match out.layout {
            LayoutArg::Inline => render::Layout::Inline,
            LayoutArg::SideBySide => render::Layout::SideBySide,
        },
        only: out.only.map(|o| match o {
            OnlyArg::Changes => render::Only::Changes,
            OnlyArg::Added => render::Only::Added,
            OnlyArg::Dropped => render::Only::Dropped,
            OnlyArg::Findings => render::Only::Findings,
        }),
        outlet: out.outlet.clone(),
    }
}
