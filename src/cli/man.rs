//! `completions` and `man`: shell completions and the manual page, generated from the clap
//! definitions.

use super::*;

/// `storydiff completions SHELL`: the completion script for the whole command line.
pub(crate) fn run_completions(args: &CompletionsArgs) -> Result<(), RunError> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "storydiff", &mut buf);
    write_output(None, &buf)
}

/// `storydiff man`: one page, storydiff(1), with every command's synopsis and options.
pub(crate) fn run_man() -> Result<(), RunError> {
    let mut buf = Vec::new();
    man_page(&mut buf).map_err(|e| io_error(e, "rendering"))?;
    write_output(None, &buf)
}

/// Write the storydiff(1) manual page: clap_mangen's title, name, synopsis, description and
/// global options, then a section per command (its synopsis and options, which clap_mangen
/// would otherwise put on pages of their own), exit status and environment.
pub fn man_page(out: &mut dyn Write) -> io::Result<()> {
    let mut page = Vec::new();
    man_sections(&mut page)?;
    // Every piece clap_mangen renders repeats roff's preamble (the definition of the
    // apostrophe string); the page says it once, after the title line it starts with.
    const PREAMBLE: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];
    let page = String::from_utf8_lossy(&page);
    let mut lines = page.lines().filter(|l| !PREAMBLE.contains(l));
    if let Some(title) = lines.next() {
        writeln!(out, "{}", roff_ascii(title))?;
    }
    for line in PREAMBLE.into_iter().chain(lines) {
        writeln!(out, "{}", roff_ascii(line))?;
    }
    Ok(())
}

/// `line` with every character outside ASCII written as a `\[uXXXX]` escape, which groff and
/// mandoc read whatever the locale (raw UTF-8 needs preconv).
pub(crate) fn roff_ascii(line: &str) -> std::borrow::Cow<'_, str> {
    if line.is_ascii() {
        return line.into();
    }
    let mut out = String::with_capacity(line.len() + 16);
    for c in line.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out.into()
}

/// The sections of [`man_page`], each rendered with its own preamble.
pub(crate) fn man_sections(out: &mut dyn Write) -> io::Result<()> {
    use clap_mangen::roff::{bold, roman, Roff};
    let mut cmd = Cli::command();
    // Subcommands learn their full name (`storydiff compare`) for their synopsis.
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone()).manual("User Commands");
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    Roff::new().control("SH", ["COMMANDS"]).to_writer(out)?;
    for sub in cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
    {
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_string();
        let mut head = Roff::new();
        head.control("SS", [name.as_str()]);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            for line in about.to_string().lines() {
                if line.trim().is_empty() {
                    head.control("PP", []);
                } else {
                    head.text([roman(line)]);
                }
            }
        }
        head.control("PP", []);
        head.to_writer(out)?;
        let sub_man = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        sub_man.render_synopsis_section(&mut section)?;
        sub_man.render_options_section(&mut section)?;
        // Under this command's own heading: drop the sections' .SH lines.
        let section = String::from_utf8_lossy(&section);
        for line in section.lines().filter(|l| !l.starts_with(".SH ")) {
            writeln!(out, "{line}")?;
        }
    }
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        ("0", "The command ran."),
        (
            "1",
            "A finding at or above --fail-on remains (compare and check).",
        ),
        (
            "2",
            "Bad input or another error; one line on standard error says which file and why. \
             A mistyped command line also exits 2.",
        ),
        ("101", "A bug: one line names where it happened."),
    ] {
        roff.control("TP", [])
            .text([bold(code)])
            .text([roman(meaning)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (var, meaning) in [
        (
            "STORYDIFF_PAGER, PAGER",
            "The pager for --paging (the first set wins; empty means none). Default: less -R -F -X. \
             LESS=FRX and LV=-c are set for it when unset.",
        ),
        (
            "NO_COLOR, CLICOLOR_FORCE, TERM",
            "With --color auto: a non-empty NO_COLOR turns colour off, CLICOLOR_FORCE (not 0) on; \
             TERM=dumb turns it off.",
        ),
        (
            "COLUMNS",
            "The width of the terminal view when the terminal's is unknown.",
        ),
    ] {
        roff.control("TP", []).text([bold(var)]).text([roman(meaning)]);
    }
    roff.to_writer(out)?;
    man.render_version_section(out)
}
