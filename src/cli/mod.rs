//! Command-line interface: clap definitions (their doc comments are the help text) and the
//! resolution of flags into settings. `main.rs` only calls [`run`].

use std::io::{self, IsTerminal, Write};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

mod args;
mod compare;
mod eval;
mod group;
mod man;
mod model;
mod pile;
mod settings;

pub use args::*;
pub(crate) use compare::*;
pub(crate) use eval::*;
pub(crate) use group::*;
pub(crate) use man::*;
pub(crate) use model::*;
pub(crate) use pile::*;
pub(crate) use settings::*;

use storydiff::model::Severity;
use storydiff::{build_article, ingest, Engine, Error, Scoring};
use storydiff_render::{self as render, Format, RenderOptions};

/// Exit code: the command ran.
pub const EXIT_OK: i32 = 0;
/// Exit code: bad input or another error; one line on stderr says why.
pub const EXIT_ERROR: i32 = 2;

/// Exit code: a finding at or above `--fail-on` remains.
pub const EXIT_FINDINGS: i32 = 1;

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Compare(args) => args
            .check_flags("compare")
            .and_then(|()| run_compare(&args)),
        Command::Check(mut args) => {
            args.format = Some(args.format.unwrap_or(FormatArg::Checklist));
            args.check_flags("check").and_then(|()| run_compare(&args))
        }
        Command::Render(args) => args
            .out
            .check(args.format())
            .and_then(|()| run_render(&args)),
        Command::Eval(args) => run_eval(args).map(|()| EXIT_OK),
        Command::Group(args) => run_group(args).map(|()| EXIT_OK),
        Command::Batch(args) => run_batch(args).map(|()| EXIT_OK),
        Command::Completions(args) => run_completions(&args).map(|()| EXIT_OK),
        Command::Man => run_man().map(|()| EXIT_OK),
        Command::Model(args) => run_model(&args),
    };
    match result {
        Ok(code) => code,
        Err(RunError::Pipe) => EXIT_OK,
        Err(RunError::Fail(msg)) => {
            // Messages carry file names and labels: never let them reach the terminal raw.
            let msg = storydiff_render::sanitize_for_terminal(&msg);
            let _ = writeln!(io::stderr(), "storydiff: error: {msg}");
            EXIT_ERROR
        }
    }
}

/// Why a command stopped: a closed pipe, which is not an error, or a failure with its
/// one-line message for stderr.
pub enum RunError {
    /// The reader went away (`| head`): not an error.
    Pipe,
    /// A failure, with its one-line message.
    Fail(String),
}

/// `value` as JSON for output, pretty or compact, safe on a terminal
/// ([`storydiff::wire::to_safe_string`]); a value that cannot be written as JSON is a
/// one-line failure, never empty output.
fn json_text<T: serde::Serialize + ?Sized>(value: &T, pretty: bool) -> Result<String, RunError> {
    storydiff::wire::to_safe_string(value, pretty)
        .map_err(|e| RunError::Fail(format!("cannot write JSON: {e}")))
}

impl From<Error> for RunError {
    /// The engine's error in one line; where the engine names an option, the line names the
    /// flag that set it.
    fn from(e: Error) -> Self {
        match e {
            Error::UnknownBase { .. } | Error::UnknownEncoding { .. } => {
                RunError::Fail(format!("--{e}"))
            }
            Error::NotUtf8 { ref guess, .. } => RunError::Fail(format!(
                "{e}: decode it with --encoding auto or --encoding {guess}"
            )),
            e => RunError::Fail(e.to_string()),
        }
    }
}

fn io_error(e: io::Error, what: &str) -> RunError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        RunError::Pipe
    } else {
        RunError::Fail(format!("{what}: {e}"))
    }
}

/// Write the rendered bytes to `-o FILE` or standard output.
fn write_output(path: Option<&str>, buf: &[u8]) -> Result<(), RunError> {
    match path {
        Some(path) => std::fs::write(path, buf)
            .map_err(|e| RunError::Fail(format!("{path}: cannot write: {e}"))),
        None => {
            let mut out = io::stdout().lock();
            out.write_all(buf)
                .and_then(|_| out.flush())
                .map_err(|e| io_error(e, "standard output"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn a_stage_of_unknown_length_counts_without_a_total() {
        assert_eq!(
            stage_template(0),
            "{spinner} {msg:>10} {pos} so far {elapsed}"
        );
        assert_eq!(
            stage_template(7),
            "{msg:>12} [{bar:30}] {pos}/{len} {elapsed}"
        );
        for total in [0, 7] {
            assert!(indicatif::ProgressStyle::with_template(stage_template(total)).is_ok());
        }
    }

    #[test]
    fn colour_resolution_order() {
        assert!(resolve_color(
            ColorArg::Always,
            false,
            &env_of(&[("NO_COLOR", "1")])
        ));
        assert!(!resolve_color(ColorArg::Never, true, &env_of(&[])));
        assert!(!resolve_color(
            ColorArg::Auto,
            true,
            &env_of(&[("NO_COLOR", "1")])
        ));
        assert!(resolve_color(
            ColorArg::Auto,
            true,
            &env_of(&[("NO_COLOR", "")])
        ));
        assert!(resolve_color(
            ColorArg::Auto,
            false,
            &env_of(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(!resolve_color(
            ColorArg::Auto,
            true,
            &env_of(&[("TERM", "dumb")])
        ));
        assert!(!resolve_color(ColorArg::Auto, false, &env_of(&[])));
    }
}
