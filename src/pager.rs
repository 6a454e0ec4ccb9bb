//! Paging, as git, bat and delta do it: the rendered output is piped to a pager when it is
//! taller than the terminal (`--paging auto`), always (`always`) or never (`never`).
//!
//! The pager is `$STORYDIFF_PAGER`, else `$PAGER`, else `less -R -F -X`; a set but empty (or
//! blank) variable means no pager. A command with shell syntax (quotes, redirections, `$`…)
//! runs through `sh -c`, a plain one (`less -R`) directly. `LESS=FRX` and `LV=-c` are set
//! for the pager when unset, as git does, so a bare `PAGER=less` shows colour and quits on
//! a short page. When the default `less` is not installed the output is written directly.
//! A pager that quits before reading everything (`q` in less) is a clean exit.
//!
//! The decisions are pure functions of the environment and the terminal ([`decide`],
//! [`pager_command`], [`screen_rows`]) so they are tested without a terminal; [`page`] runs
//! the pager.

use std::io::{self, Write};
use std::process::{Command, Stdio};

use unicode_width::UnicodeWidthChar;

/// When to page (`--paging`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// When standard output is a terminal and the output is taller than it.
    Auto,
    /// Whenever the output goes to standard output, terminal or not.
    Always,
    /// Never.
    Never,
}

/// The pager used when neither `STORYDIFF_PAGER` nor `PAGER` is set.
pub const DEFAULT_PAGER: &str = "less -R -F -X";

/// The pager to run, from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// The command line, as the user wrote it.
    pub command: String,
    /// Whether it is [`DEFAULT_PAGER`]: when it cannot be started the output is written
    /// directly, without a warning.
    pub is_default: bool,
}

/// `$STORYDIFF_PAGER`, else `$PAGER`, else [`DEFAULT_PAGER`]; none when the first that is set
/// is empty or blank.
pub fn pager_command(env: &dyn Fn(&str) -> Option<String>) -> Option<Pager> {
    let (command, is_default) = match env("STORYDIFF_PAGER").or_else(|| env("PAGER")) {
        Some(c) => (c, false),
        None => (DEFAULT_PAGER.to_string(), true),
    };
    (!command.trim().is_empty()).then_some(Pager {
        command,
        is_default,
    })
}

/// Whether to page: never and always as they say; auto when standard output is a terminal
/// and the output takes more rows than it has (`rows`: the output's screen rows, counted up
/// to one more than the height; `height`: none when unknown, and then auto does not page).
pub fn decide(paging: Paging, to_terminal: bool, rows: usize, height: Option<usize>) -> bool {
    match paging {
        Paging::Never => false,
        Paging::Always => true,
        Paging::Auto => to_terminal && height.is_some_and(|h| rows > h),
    }
}

/// How many rows of a `columns`-wide screen `text` takes (a line wider than the screen wraps),
/// counting no further than `limit`: the cost stays bounded on a huge output. ANSI colour
/// sequences take no room.
pub fn screen_rows(text: &[u8], columns: usize, limit: usize) -> usize {
    let columns = columns.max(1);
    if text.is_empty() {
        return 0;
    }
    // A final newline ends the last line; it does not start another.
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    let mut rows = 0;
    for line in body.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let mut width = 0;
        let mut in_escape = false;
        for c in line.chars() {
            if in_escape {
                in_escape = !c.is_ascii_alphabetic();
            } else if c == '\u{1b}' {
                in_escape = true;
            } else {
                width += c.width().unwrap_or(0);
            }
        }
        rows += width.div_ceil(columns).max(1);
        if rows > limit {
            return limit + 1;
        }
    }
    rows
}

/// The terminal's height on standard output, else `LINES`; none when neither is known.
pub fn terminal_height(env: &dyn Fn(&str) -> Option<String>) -> Option<usize> {
    terminal_size::terminal_size()
        .map(|(_, terminal_size::Height(h))| h as usize)
        .filter(|&h| h > 0)
        .or_else(|| {
            env("LINES")
                .and_then(|v| v.trim().parse().ok())
                .filter(|&h: &usize| h > 0)
        })
}

/// Characters that make a pager command need a shell.
const SHELL_SYNTAX: &[char] = &[
    '|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '"', '\'', '*', '?', '[', '#', '~', '=',
    '%', '{', '}', '\n',
];

/// The process to start for `command`: through `sh -c` when it has shell syntax, else its
/// words as program and arguments.
fn build_command(command: &str) -> Command {
    let mut cmd = if command.contains(SHELL_SYNTAX) {
        let mut c = Command::new("sh");
        c.arg("-c").arg(command);
        c
    } else {
        let mut words = command.split_whitespace();
        let mut c = Command::new(words.next().unwrap_or_default());
        c.args(words);
        c
    };
    for (key, value) in [("LESS", "FRX"), ("LV", "-c")] {
        if std::env::var_os(key).is_none() {
            cmd.env(key, value);
        }
    }
    cmd
}

/// How paging went.
#[derive(Debug)]
pub enum Paged {
    /// The pager ran (and may have quit before reading everything, which is fine).
    Shown,
    /// The pager could not be started (not installed): the caller writes directly.
    NotStarted(io::Error),
}

/// Pipe `text` to `pager` (its output is ours) and wait for it to quit.
///
/// A pager that stops reading early is not an error. A pager the shell could not find or
/// run (exit 127 or 126 from `sh -c`) is, since the output was not shown.
pub fn page(text: &[u8], pager: &Pager) -> io::Result<Paged> {
    let mut cmd = build_command(&pager.command);
    cmd.stdin(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => return Ok(Paged::NotStarted(e)),
    };
    // Ctrl-C while paging is for the pager (less stops a search with it); storydiff waits
    // for the pager to quit rather than leave it running on the terminal.
    let _guard = IgnoreInterrupt::new();
    let written = match child.stdin.take() {
        Some(mut stdin) => stdin.write_all(text).and_then(|()| stdin.flush()),
        None => Ok(()),
    };
    // stdin is closed here, so the pager sees the end of the output.
    let status = child.wait()?;
    match written {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
        _ => {}
    }
    if matches!(status.code(), Some(126 | 127)) && pager.command.contains(SHELL_SYNTAX) {
        return Err(io::Error::other(format!(
            "the shell could not run it (exit {})",
            status.code().unwrap_or_default()
        )));
    }
    Ok(Paged::Shown)
}

/// SIGINT ignored while it lives (Unix); the previous disposition comes back on drop.
struct IgnoreInterrupt {
    #[cfg(unix)]
    previous: libc::sighandler_t,
}

impl IgnoreInterrupt {
    // The one place storydiff needs unsafe code (the crate denies it elsewhere).
    #[allow(unsafe_code)]
    fn new() -> Self {
        IgnoreInterrupt {
            // SAFETY: signal(2) with SIG_IGN installs no handler code; the previous
            // disposition is restored on drop.
            #[cfg(unix)]
            previous: unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) },
        }
    }
}

impl Drop for IgnoreInterrupt {
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        #[cfg(unix)]
        if self.previous != libc::SIG_ERR {
            // SAFETY: puts back the disposition signal(2) returned, which was valid.
            unsafe {
                libc::signal(libc::SIGINT, self.previous);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn pager_comes_from_storydiff_pager_then_pager_then_less() {
        let p = |vars: &[(&str, &str)]| pager_command(&env_of(vars));
        assert_eq!(
            p(&[]),
            Some(Pager {
                command: DEFAULT_PAGER.into(),
                is_default: true
            })
        );
        let more = Some(Pager {
            command: "more".into(),
            is_default: false,
        });
        assert_eq!(p(&[("PAGER", "more")]), more);
        assert_eq!(p(&[("PAGER", "less"), ("STORYDIFF_PAGER", "more")]), more);
        // Empty means no pager, and an empty STORYDIFF_PAGER does not fall back to PAGER.
        assert_eq!(p(&[("PAGER", "")]), None);
        assert_eq!(p(&[("PAGER", "less"), ("STORYDIFF_PAGER", " ")]), None);
    }

    #[test]
    fn auto_pages_only_a_terminal_shorter_than_the_output() {
        use Paging::*;
        assert!(decide(Auto, true, 25, Some(24)));
        assert!(!decide(Auto, true, 24, Some(24)));
        assert!(!decide(Auto, false, 1000, Some(24)));
        assert!(!decide(Auto, true, 1000, None));
        assert!(decide(Always, false, 1, None));
        assert!(!decide(Never, true, 1000, Some(24)));
    }

    #[test]
    fn rows_count_wrapped_lines_and_skip_colour_codes() {
        assert_eq!(screen_rows(b"", 80, 100), 0);
        assert_eq!(screen_rows(b"a\nb\n", 80, 100), 2);
        assert_eq!(screen_rows(b"a\nb", 80, 100), 2);
        assert_eq!(screen_rows(b"\n\n", 80, 100), 2);
        assert_eq!(screen_rows("x".repeat(81).as_bytes(), 80, 100), 2);
        assert_eq!(screen_rows(b"\x1b[31mred\x1b[0m\n", 3, 100), 1);
        // Wide characters take two columns.
        assert_eq!(screen_rows("漢字".as_bytes(), 3, 100), 2);
        // Counting stops past the limit.
        assert_eq!(screen_rows("a\n".repeat(1000).as_bytes(), 80, 10), 11);
    }

    #[test]
    fn shell_syntax_runs_through_sh() {
        let c = build_command("sh -c 'cat > out'");
        assert_eq!(c.get_program(), "sh");
        let args: Vec<_> = c.get_args().collect();
        assert_eq!(args, ["-c", "sh -c 'cat > out'"]);
        let c = build_command("less -R -F -X");
        assert_eq!(c.get_program(), "less");
        assert_eq!(c.get_args().collect::<Vec<_>>(), ["-R", "-F", "-X"]);
    }

    #[test]
    fn a_missing_pager_is_not_started() {
        let pager = Pager {
            command: "storydiff-no-such-pager-x9".into(),
            is_default: true,
        };
        assert!(matches!(page(b"text\n", &pager), Ok(Paged::NotStarted(_))));
    }
}
