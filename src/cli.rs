//! Command-line interface: clap definitions (their doc comments are the help text) and the
//! resolution of flags into settings. `main.rs` only calls [`run`].

use std::io::{self, IsTerminal, Write};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

mod base;

use storydiff::model::Severity;
use storydiff::{build_article, ingest, Engine, Error, Scoring};
use storydiff_render::{self as render, Format, RenderOptions};

/// Exit code: the command ran.
pub const EXIT_OK: i32 = 0;
/// Exit code: bad input or another error; one line on stderr says why.
pub const EXIT_ERROR: i32 = 2;

/// Line up several outlets' articles on the same event and show what each added, dropped
/// or reworded.
#[derive(Debug, Parser)]
#[command(name = "storydiff", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare two or more articles: each is aligned with the base (the first, or --base).
    Compare(CompareArgs),
    /// Compare and write the editorial review checklist (same as compare --format checklist).
    Check(CompareArgs),
    /// Render a report saved with `--format json` again, in any format. The report is
    /// checked first: a hand-edited or truncated one is refused with the JSON path at fault.
    Render(RenderArgs),
    /// Score the aligner against gold sentence pairs.
    Eval(EvalArgs),
    /// Group a pile of articles (files and directories) by the event they report.
    Group(GroupArgs),
    /// JSON Lines in (one article a line: id, outlet, text, date?, url?), JSON Lines out: one
    /// line per event with its copies, comparison and findings, then a summary (docs/batch.md).
    Batch(BatchArgs),
    /// Print a shell completion script, e.g. `storydiff completions bash >
    /// ~/.local/share/bash-completion/completions/storydiff`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `storydiff man > storydiff.1; man -l storydiff.1`.
    Man,
    /// Say where the semantic scorer's model is looked for and whether it is installed.
    Model(ModelArgs),
}

/// Arguments of `storydiff model`.
#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// Load the model and encode a test sentence (exit 1 when it is missing or broken).
    #[arg(long)]
    pub check: bool,
    /// Which scorer aligns, and the model it loads.
    #[command(flatten)]
    pub scorer: ScorerArgs,
}

/// Which scorer aligns sentences, and where its model is.
#[derive(Debug, Clone, clap::Args)]
pub struct ScorerArgs {
    /// How sentences are scored: semantic (contextual word vectors of a local model), lexical
    /// (shared terms), or auto: semantic when the model is installed, else lexical with a
    /// line on stderr saying how to install it.
    #[arg(long, value_enum, default_value_t = ScorerArg::Auto, value_name = "SCORER", env = "STORYDIFF_SCORER")]
    pub scorer: ScorerArg,
    /// The model directory (config.json, model.safetensors, tokenizer.json) [default:
    /// $STORYDIFF_MODEL, else $XDG_DATA_HOME/storydiff/models/all-MiniLM-L6-v2]. Nothing is
    /// ever downloaded: scripts/install-model puts it there.
    #[arg(long, value_name = "DIR")]
    pub model: Option<std::path::PathBuf>,
}

/// `--scorer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScorerArg {
    /// Semantic when the model is installed, else lexical (said on stderr).
    Auto,
    /// Shared terms, IDF-weighted.
    Lexical,
    /// Soft matching of contextual word vectors (needs the model).
    Semantic,
}

impl ScorerArgs {
    /// The scoring to align with, decided once: the semantic scorer with its model loaded, or
    /// the lexical one.
    pub fn load(&self) -> Result<Scoring, RunError> {
        use storydiff::encoder::{is_installed, locate, Encoder};
        if self.scorer == ScorerArg::Lexical {
            return Ok(Scoring::Lexical);
        }
        let Some(at) = locate(self.model.as_deref()) else {
            return match self.scorer {
                ScorerArg::Semantic => Err(RunError::Fail(
                    "model: no --model, STORYDIFF_MODEL or home directory to find it in".into(),
                )),
                _ => Ok(Scoring::Lexical),
            };
        };
        if self.scorer == ScorerArg::Auto && !is_installed(&at.dir) {
            let _ = writeln!(
                io::stderr(),
                "storydiff: no model in {} ({}); using the lexical scorer (scripts/install-model installs the semantic one)",
                storydiff_render::sanitize_for_terminal(&at.dir.display().to_string()),
                at.source
            );
            return Ok(Scoring::Lexical);
        }
        Encoder::load(&at.dir)
            .map(|e| Scoring::Semantic(std::sync::Arc::new(e)))
            .map_err(|e| RunError::Fail(format!("model: {e}")))
    }
}

/// Arguments of `storydiff completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Arguments of `storydiff group`.
#[derive(Debug, clap::Args)]
pub struct GroupArgs {
    /// Article files, or directories walked for .txt, .md, .html and .htm files (sorted,
    /// hidden skipped).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GroupFormat::Text)]
    pub format: GroupFormat,
    /// Articles join an event while their average similarity to its members reaches this
    /// (0 to 1).
    #[arg(long, value_name = "X", value_parser = unit_interval, default_value_t = storydiff::group::GroupParams::default().min_similarity)]
    pub min_similarity: f64,
    /// Keep site chrome in the body.
    #[arg(long)]
    pub keep_boilerplate: bool,
    /// How to read a file that is not UTF-8: by default it is refused with a hint naming the
    /// encoding it looks like; `auto` decodes it from that encoding, a name (windows-1252,
    /// iso-8859-2, shift_jis, …) from the one named. Offsets are then of the decoded text, and
    /// a note says so.
    #[arg(long, value_name = "auto|NAME", value_parser = encoding_arg)]
    pub encoding: Option<ingest::Decoding>,
}

/// Arguments of `storydiff batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// JSON Lines files, read in order; none or `-` reads standard input. Each line is a
    /// JSON object; its text is checked as compare checks a file (at most 16 MiB, no NUL).
    #[arg(value_name = "FILE")]
    pub inputs: Vec<String>,
    /// Print each article's block keys (`{"id", "keys"}`) instead of events: the first round
    /// of a distributed run (scripts/spark/).
    #[arg(long)]
    pub keys: bool,
    /// Articles join an event while their average similarity to its members reaches this
    /// (0 to 1).
    #[arg(long, value_name = "X", value_parser = unit_interval, default_value_t = storydiff::group::GroupParams::default().min_similarity)]
    pub min_similarity: f64,
    /// Keep site chrome in the body.
    #[arg(long)]
    pub keep_boilerplate: bool,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
}

/// Output format of `group`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupFormat {
    /// A readable list of events.
    Text,
    /// JSON (docs/group.md).
    Json,
}

/// Arguments of `storydiff eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Gold file: `{"articles": {label: path}, "pairs": [...]}`.
    #[arg(value_name = "GOLD", required_unless_present_any = ["news_ecb", "news_he", "mrpc", "meter"])]
    pub gold: Option<String>,
    /// Score on ABCD-LINK news_ecb instead: the folder with docs.json and news_ecb_links.json.
    #[arg(long, value_name = "DIR", conflicts_with = "gold")]
    pub news_ecb: Option<String>,
    /// Score the reworded-versus-different decision on MRPC instead: the folder with
    /// msr_paraphrase_train.txt and msr_paraphrase_test.txt (one similarity with a threshold
    /// from train, and compare's own decision with the scorer asked for: a paraphrase is an
    /// identical or reworded link).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["gold", "news_ecb"])]
    pub mrpc: Option<String>,
    /// Score what newspapers took from the Press Association on the METER corpus instead
    /// (sentences: identical / reworded / added; articles: wholly / partially / non-derived).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["gold", "news_ecb", "mrpc"])]
    pub meter: Option<String>,
    /// Score on ABCD-LINK news_he instead: the folder with annotations.csv (AUC, average
    /// precision, F1 cross-validated by article pair, and compare's own decision).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["gold", "news_ecb", "mrpc", "meter"])]
    pub news_he: Option<String>,
    /// With --news-ecb: which ECB+ topics (dev = 1–22, test = 23 and up).
    #[arg(long, value_enum, default_value_t = TopicsArg::Dev)]
    pub topics: TopicsArg,
    /// With --news-ecb: also print one line per document pair (JSON always has them).
    #[arg(long)]
    pub per_pair: bool,
    /// Where an article of the gold is, as LABEL=PATH (default: its path in the gold,
    /// relative to the gold file's folder or that folder's parent).
    #[arg(long = "article", value_name = "LABEL=PATH")]
    pub articles: Vec<String>,
    /// Override one aligner threshold for this run, as NAME=VALUE (repeatable; names as
    /// in `align::Thresholds`, e.g. `related=0.7`). For experiments on DEV data.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    pub format: EvalFormat,
    /// Which scorer aligns, and the model it loads.
    #[command(flatten)]
    pub scorer: ScorerArgs,
}

/// news_ecb topic split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TopicsArg {
    /// Topics 1–22.
    Dev,
    /// Topics 23 and up.
    Test,
    /// Every topic.
    All,
}

/// Output format of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// One line of scores per article pair.
    Text,
    /// JSON for tooling.
    Json,
}

/// Output format of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Coloured sentence diff for reading at a terminal.
    Terminal,
    /// Versioned JSON (docs/json.md).
    Json,
    /// Markdown review checklist of the findings.
    Checklist,
    /// One self-contained HTML report (no network access; use -o report.html).
    Html,
}

/// A finding severity, for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Only high.
    High,
    /// High or medium.
    Medium,
    /// Any finding.
    Low,
}

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    /// Always colour.
    Always,
    /// Never colour; changes are marked [-deleted-]{+inserted+}.
    Never,
}

/// How the terminal view lays out a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// One column: reworded sentences as an inline word diff.
    Inline,
    /// Two columns, base left and the other outlet right; linked sentences share a row.
    SideBySide,
}

/// A part of the terminal view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnlyArg {
    /// Every sentence row but the identical ones.
    Changes,
    /// Only the sentences the other outlet added.
    Added,
    /// Only the base sentences the other outlet dropped.
    Dropped,
    /// Only the summary and the findings.
    Findings,
}

/// When to page the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PagingArg {
    /// Page when standard output is a terminal and the output is taller than it.
    Auto,
    /// Page whenever writing to standard output, terminal or not.
    Always,
    /// Never page.
    Never,
}

/// Arguments of `storydiff compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Article files, at most 16 MiB each: plain text, an HTML page (recognised by its
    /// content) or Markdown (.md), whose markup is set aside; `-` reads standard input (a
    /// FIFO or `-` is read until its writer closes it).
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<String>,
    /// Name of an outlet, once per input in order (default: the file stem).
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// Label of the article the others are compared with (default: the first input).
    #[arg(long, value_name = "LABEL")]
    pub base: Option<String>,
    /// Compare every pair of articles, not only each with the base.
    #[arg(long)]
    pub all_pairs: bool,
    /// Group the inputs (files or directories) by event first, then compare within each
    /// event of two or more articles.
    #[arg(long)]
    pub by_event: bool,
    /// With --by-event: the grouping threshold, 0 to 1 (see `storydiff group`).
    #[arg(long, value_name = "X", value_parser = unit_interval)]
    pub min_similarity: Option<f64>,
    /// Output format [default: terminal; checklist for `check`].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// How the result is shown and where it goes.
    #[command(flatten)]
    pub out: OutputArgs,
    /// Keep site chrome (captions, "Read also", end codes…) in the body.
    #[arg(long)]
    pub keep_boilerplate: bool,
    /// How to read a file that is not UTF-8: by default it is refused with a hint naming the
    /// encoding it looks like; `auto` decodes it from that encoding, a name (windows-1252,
    /// iso-8859-2, shift_jis, …) from the one named. Offsets are then of the decoded text, and
    /// a note says so.
    #[arg(long, value_name = "auto|NAME", value_parser = encoding_arg)]
    pub encoding: Option<ingest::Decoding>,
    /// Which scorer aligns, and the model it loads.
    #[command(flatten)]
    pub scorer: ScorerArgs,
}

/// Arguments of `storydiff render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// A report written by `storydiff compare --format json` (`-` reads standard input).
    #[arg(value_name = "REPORT")]
    pub report: String,
    /// Output format [default: terminal].
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// How the report is shown and where it goes.
    #[command(flatten)]
    pub out: OutputArgs,
}

impl RenderArgs {
    /// The output format: `--format`, else the terminal view.
    pub fn format(&self) -> FormatArg {
        self.format.unwrap_or(FormatArg::Terminal)
    }
}

/// The flags of how a report is shown and where it goes: `compare`, `check` and `render`.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
    /// Wrap terminal output to N columns, 20 to 1000; other values are refused (default:
    /// the terminal's width, COLUMNS, or 80, brought into that range).
    #[arg(long, value_name = "N", value_parser = parse_width)]
    pub width: Option<usize>,
    /// Terminal view only: one column with inline word diffs, or the base and the other
    /// outlet side by side, each wrapped to half the width.
    #[arg(long, value_enum, default_value_t = LayoutArg::Inline, value_name = "LAYOUT")]
    pub layout: LayoutArg,
    /// Terminal view only: show only the changed rows (not identical), the added or the
    /// dropped sentences, or only the findings.
    #[arg(long, value_enum, value_name = "PART")]
    pub only: Option<OnlyArg>,
    /// Print only the summary the terminal view starts with: per compared pair the counts of
    /// identical, reworded, partial, added and dropped sentences and the share of the base
    /// covered, then the findings counts (terminal view only).
    #[arg(long)]
    pub stat: bool,
    /// When to page standard output through $STORYDIFF_PAGER, else $PAGER, else `less -R -F
    /// -X` (an empty variable means no pager); auto pages a terminal shorter than the
    /// output. A file (-o) is never paged.
    #[arg(long, value_enum, default_value_t = PagingArg::Auto, value_name = "WHEN")]
    pub paging: PagingArg,
    /// Print the generation time in the HTML report (otherwise reports are byte-identical
    /// across runs).
    #[arg(long)]
    pub timestamp: bool,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
    /// Exit with code 1 when a finding at or above this severity remains (after --accept).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,
    /// File of finding ids an editor has dismissed (one per line, `#` starts a comment);
    /// they are left out of every output.
    #[arg(long, value_name = "FILE")]
    pub accept: Option<String>,
}

impl OutputArgs {
    /// Output flags that do not apply to `format`, or contradict each other, are errors.
    fn check(&self, format: FormatArg) -> Result<(), RunError> {
        let fail = |m: String| Err(RunError::Fail(m));
        let name = |f: FormatArg| {
            f.to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        };
        if self.timestamp && format != FormatArg::Html {
            return fail(format!(
                "--timestamp applies only to --format html, not {}",
                name(format)
            ));
        }
        if self.color != ColorArg::Auto && format != FormatArg::Terminal {
            return fail(format!(
                "--color applies only to the terminal view, not --format {}",
                name(format)
            ));
        }
        if self.width.is_some() && format != FormatArg::Terminal {
            return fail(format!(
                "--width applies only to the terminal view, not --format {}",
                name(format)
            ));
        }
        if self.stat && format != FormatArg::Terminal {
            return fail(format!(
                "--stat applies only to the terminal view, not --format {}",
                name(format)
            ));
        }
        if self.layout != LayoutArg::Inline && format != FormatArg::Terminal {
            return fail(format!(
                "--layout applies only to the terminal view, not --format {}",
                name(format)
            ));
        }
        if let Some(only) = self.only {
            if format != FormatArg::Terminal {
                return fail(format!(
                    "--only applies only to the terminal view, not --format {}",
                    name(format)
                ));
            }
            if self.stat {
                let part = only
                    .to_possible_value()
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default();
                return fail(format!(
                    "--only {part} and --stat: --stat prints only the summary"
                ));
            }
        }
        if self.stat && self.layout != LayoutArg::Inline {
            return fail("--layout and --stat: --stat prints only the summary".into());
        }
        if self.paging != PagingArg::Auto && self.output.is_some() {
            return fail("--paging applies only to standard output; -o FILE is never paged".into());
        }
        Ok(())
    }
}

impl CompareArgs {
    /// The output format: `--format`, else the terminal view.
    pub fn format(&self) -> FormatArg {
        self.format.unwrap_or(FormatArg::Terminal)
    }

    /// Flags that contradict each other or would be silently ignored are errors.
    fn check_flags(&self, command: &str) -> Result<(), RunError> {
        let fail = |m: String| Err(RunError::Fail(m));
        let format = self.format();
        let name = |f: FormatArg| {
            f.to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        };
        if command == "check" && format != FormatArg::Checklist {
            return fail(format!(
                "check writes the checklist; for --format {} use storydiff compare",
                name(format)
            ));
        }
        if self.base.is_some() && self.all_pairs {
            return fail("--base and --all-pairs: every pair is compared, there is no base".into());
        }
        if self.min_similarity.is_some() && !self.by_event {
            return fail("--min-similarity applies only with --by-event".into());
        }
        self.out.check(format)
    }
}

/// An `--encoding` value ([`ingest::Decoding::parse`]).
fn encoding_arg(s: &str) -> Result<ingest::Decoding, String> {
    ingest::Decoding::parse(s).map_err(|e| e.to_string())
}

/// A number from 0 to 1 (NaN and infinities are refused).
fn unit_interval(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{s} is not between 0 and 1"))
    }
}

/// Exit code: a finding at or above `--fail-on` remains.
pub const EXIT_FINDINGS: i32 = 1;

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
fn parse_width(s: &str) -> Result<usize, String> {
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
fn resolve_width(arg: Option<usize>, to_terminal: bool) -> usize {
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
    fn from(e: Error) -> Self {
        RunError::Fail(e.to_string())
    }
}

fn io_error(e: io::Error, what: &str) -> RunError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        RunError::Pipe
    } else {
        RunError::Fail(format!("{what}: {e}"))
    }
}

fn run_compare(args: &CompareArgs) -> Result<i32, RunError> {
    if !args.labels.is_empty() && args.labels.len() != args.inputs.len() {
        return Err(Error::LabelCount {
            labels: args.labels.len(),
            inputs: args.inputs.len(),
        }
        .into());
    }
    if args.inputs.iter().filter(|p| *p == "-").count() > 1 {
        return Err(Error::StdinTwice.into());
    }
    if args.by_event {
        return run_compare_by_event(args);
    }
    let bar = std::sync::Arc::new(StageBar::new());
    {
        use storydiff::group::Progress;
        bar.stage("reading", args.inputs.len() as u64);
    }
    let mut articles = Vec::with_capacity(args.inputs.len());
    for (k, path) in args.inputs.iter().enumerate() {
        if path == "-" && io::stdin().is_terminal() {
            let _ = writeln!(
                io::stderr(),
                "storydiff: reading the article for '-' from standard input (end it with Ctrl-D)"
            );
        }
        let (raw, note) = ingest::read_input_decoding(
            path,
            args.labels.get(k).map(String::as_str),
            args.encoding.unwrap_or_default(),
        )?;
        articles.push(storydiff::build_article_noted(
            raw,
            args.keep_boilerplate,
            note.into_iter().collect(),
        )?);
        storydiff::group::Progress::inc(bar.as_ref(), 1);
    }
    let engine = Engine::builder()
        .scoring(args.scorer.load()?)
        .base(args.base.clone())
        .all_pairs(args.all_pairs)
        .keep_boilerplate(args.keep_boilerplate)
        .progress(bar.clone())
        .build();
    let report = engine.compare(articles)?;
    drop(engine);
    drop(bar);
    show(report, args.format(), &args.out)
}

/// Dismiss the accepted findings of `report`, render it in `format` and write it where `out`
/// says: compare's and render's last step. The exit code says whether `--fail-on` tripped.
fn show(
    mut report: storydiff::Report,
    format: FormatArg,
    out: &OutputArgs,
) -> Result<i32, RunError> {
    let accepted = accepted_ids(out)?;
    dismiss(&mut report, &accepted);
    let gate_failed = gate(out.fail_on, [&report]);
    let format = match format {
        FormatArg::Terminal if out.stat => Format::Stat,
        FormatArg::Terminal => Format::Terminal,
        FormatArg::Json => Format::Json,
        FormatArg::Checklist => Format::Checklist,
        FormatArg::Html => Format::Html,
    };
    let ropts = render_options(out);
    let mut buf = Vec::new();
    render::render(&report, format, &ropts, &mut buf).map_err(|e| io_error(e, "rendering"))?;
    emit(out, &buf)?;
    Ok(if gate_failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// The largest report `render` reads: a report holds its articles' text several times over.
const MAX_REPORT_BYTES: u64 = 16 * ingest::MAX_INPUT_BYTES;

/// `storydiff render REPORT`: read a saved JSON report back, check it, and show it.
fn run_render(args: &RenderArgs) -> Result<i32, RunError> {
    use std::io::Read as _;
    let path = args.report.as_str();
    let mut bytes = Vec::new();
    let read = if path == "-" {
        io::stdin()
            .lock()
            .take(MAX_REPORT_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_REPORT_BYTES + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| RunError::Fail(format!("{path}: cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(RunError::Fail(format!(
            "{path}: too large for a report (over {MAX_REPORT_BYTES} bytes)"
        )));
    }
    let report = storydiff::wire::read_slice(&bytes)
        .map_err(|e| RunError::Fail(format!("{path}: not a storydiff report: {e}")))?;
    show(report, args.format(), &args.out)
}

/// The ids `--accept` names (none without the flag).
fn accepted_ids(out: &OutputArgs) -> Result<std::collections::BTreeSet<String>, RunError> {
    match &out.accept {
        Some(path) => read_accept_file(path).map_err(RunError::Fail),
        None => Ok(Default::default()),
    }
}

/// Leave out the findings an editor dismissed, and count them.
fn dismiss(report: &mut storydiff::Report, accepted: &std::collections::BTreeSet<String>) {
    let before = report.findings.len();
    report.findings.retain(|f| !accepted.contains(&f.id));
    report.dismissed += before - report.findings.len();
}

/// Whether a finding at or above `--fail-on` remains in any report.
fn gate<'a>(
    level: Option<SeverityArg>,
    reports: impl IntoIterator<Item = &'a storydiff::Report>,
) -> bool {
    let Some(level) = level else {
        return false;
    };
    let worst = match level {
        SeverityArg::High => Severity::High,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::Low => Severity::Low,
    };
    reports
        .into_iter()
        .any(|r| r.findings.iter().any(|f| f.severity <= worst))
}

/// Colour, width and timestamp from the flags, the environment and the output.
fn render_options(out: &OutputArgs) -> RenderOptions {
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
    }
}

/// Write the rendered bytes of compare or check: to `-o FILE`, else to standard output,
/// through the pager when `--paging` says so ([`crate::pager`]).
fn emit(out: &OutputArgs, buf: &[u8]) -> Result<(), RunError> {
    use crate::pager::{self, Paging};
    if out.output.is_some() {
        return write_output(out.output.as_deref(), buf);
    }
    let paging = match out.paging {
        PagingArg::Auto => Paging::Auto,
        PagingArg::Always => Paging::Always,
        PagingArg::Never => Paging::Never,
    };
    let env = |k: &str| std::env::var(k).ok();
    let to_terminal = io::stdout().is_terminal();
    // Auto counts the output's rows only when there is a terminal to compare them with.
    let (rows, height) = if paging == Paging::Auto && to_terminal {
        let height = pager::terminal_height(&env);
        let columns = terminal_size::terminal_size()
            .map(|(terminal_size::Width(w), _)| w as usize)
            .unwrap_or_else(|| resolve_width(None, true));
        (
            pager::screen_rows(buf, columns, height.unwrap_or(0)),
            height,
        )
    } else {
        (0, None)
    };
    let page = pager::decide(paging, to_terminal, rows, height);
    let Some(command) = page.then(|| pager::pager_command(&env)).flatten() else {
        return write_output(None, buf);
    };
    match pager::page(buf, &command) {
        Ok(pager::Paged::Shown) => Ok(()),
        Ok(pager::Paged::NotStarted(e)) => {
            if !command.is_default {
                let _ = writeln!(
                    io::stderr(),
                    "storydiff: warning: cannot run the pager {:?} ({e}); writing directly",
                    storydiff_render::sanitize_for_terminal(&command.command)
                );
            }
            write_output(None, buf)
        }
        Err(e) => Err(RunError::Fail(format!("pager {:?}: {e}", command.command))),
    }
}

/// `storydiff completions SHELL`: the completion script for the whole command line.
fn run_completions(args: &CompletionsArgs) -> Result<(), RunError> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "storydiff", &mut buf);
    write_output(None, &buf)
}

/// `storydiff man`: one page, storydiff(1), with every command's synopsis and options.
fn run_man() -> Result<(), RunError> {
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
fn roff_ascii(line: &str) -> std::borrow::Cow<'_, str> {
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
fn man_sections(out: &mut dyn Write) -> io::Result<()> {
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

/// File names (without extension, any case) that document a folder rather than report news:
/// a directory walk leaves them out, so `storydiff group fixtures/` does not group the README.
const DOCUMENT_NAMES: &[&str] = &["readme", "license", "licence", "changelog", "contributing"];

/// Article paths found by [`collect_inputs`], and the documentation files it left out.
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    /// Paths to read, in order.
    pub articles: Vec<String>,
    /// Files a directory walk skipped because their name says they document the folder.
    pub skipped: Vec<String>,
    /// Files a directory walk skipped because their name is not valid UTF-8 (shown lossily).
    pub unnamed: Vec<String>,
}

/// Expand files and directories into article paths: a directory is walked for `.txt`, `.md`,
/// `.html` and `.htm` files in name order, skipping hidden entries and folder documentation (README,
/// LICENSE, CHANGELOG, CONTRIBUTING); a file named directly is always taken.
pub(crate) fn collect_inputs(paths: &[String]) -> Result<Inputs, RunError> {
    fn walk(dir: &std::path::Path, out: &mut Inputs) -> Result<(), RunError> {
        let rd = std::fs::read_dir(dir).map_err(|e| {
            RunError::Fail(format!("{}: cannot read directory: {e}", dir.display()))
        })?;
        let mut entries: Vec<std::fs::DirEntry> = rd.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = e.path();
            let ft = e
                .file_type()
                .map_err(|err| RunError::Fail(format!("{}: {err}", path.display())))?;
            if ft.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|x| {
                ["txt", "md", "html", "htm"]
                    .iter()
                    .any(|e| x.eq_ignore_ascii_case(e))
            }) {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                let Some(shown) = path.to_str().map(str::to_string) else {
                    out.unnamed.push(path.to_string_lossy().into_owned());
                    continue;
                };
                if DOCUMENT_NAMES.contains(&stem.as_str()) {
                    out.skipped.push(shown);
                } else {
                    out.articles.push(shown);
                }
            }
        }
        Ok(())
    }
    let mut out = Inputs::default();
    for p in paths {
        let path = std::path::Path::new(p);
        if path.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.articles.push(p.clone());
        }
    }
    Ok(out)
}

/// Read many articles with a progress bar on a terminal; files found by walking a directory
/// that cannot be read are skipped with a warning, files named directly are errors.
fn read_pile(
    named: &[String],
    keep_boilerplate: bool,
    decoding: ingest::Decoding,
    bar: &StageBar,
) -> Result<Vec<storydiff::Article>, RunError> {
    let inputs = collect_inputs(named)?;
    for doc in &inputs.skipped {
        let doc = storydiff_render::sanitize_for_terminal(doc);
        let _ = writeln!(
            io::stderr(),
            "storydiff: note: {doc} is folder documentation, not an article (skipped; name the file to include it)"
        );
    }
    for name in &inputs.unnamed {
        let name = storydiff_render::sanitize_for_terminal(name);
        let _ = writeln!(
            io::stderr(),
            "storydiff: warning: {name}: file name is not valid UTF-8 (skipped; rename the file to include it)"
        );
    }
    let files = inputs.articles;
    use storydiff::group::Progress;
    bar.stage("reading", files.len() as u64);
    // Read and segment in parallel; results keep input order.
    use rayon::prelude::*;
    let results: Vec<storydiff::Result<storydiff::Article>> = files
        .par_iter()
        .map(|f| {
            bar.inc(1);
            ingest::read_input_decoding(f, None, decoding).and_then(|(raw, note)| {
                storydiff::build_article_noted(raw, keep_boilerplate, note.into_iter().collect())
            })
        })
        .collect();
    let mut articles = Vec::with_capacity(files.len());
    for (f, read) in files.iter().zip(results) {
        match read {
            Ok(a) => articles.push(a),
            Err(e) if !named.contains(f) => {
                bar.suspend(|| {
                    let msg = storydiff_render::sanitize_for_terminal(&e.to_string());
                    let _ = writeln!(io::stderr(), "storydiff: warning: {msg} (skipped)");
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    if articles.is_empty() {
        return Err(RunError::Fail(
            "no articles found in the given paths".into(),
        ));
    }
    // Labels must be unique within a pile; repeated file stems get their parent folder.
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for a in &articles {
        *seen.entry(a.label.clone()).or_default() += 1;
    }
    for a in &mut articles {
        if seen.get(&a.label).copied().unwrap_or(0) > 1 {
            if let Some(parent) = std::path::Path::new(&a.path)
                .parent()
                .and_then(|p| p.file_name())
            {
                a.label = format!("{}/{}", parent.to_string_lossy(), a.label);
            }
        }
    }
    // Same stem in same-named folders (a/x/k.txt, b/x/k.txt): number the repeats.
    ingest::dedupe_labels(&mut articles);
    Ok(articles)
}

/// Progress of the long stages on standard error: a bar on a terminal, nothing otherwise.
pub(crate) struct StageBar(indicatif::ProgressBar);

impl StageBar {
    /// A bar on stderr when it is a terminal (hidden otherwise).
    pub(crate) fn new() -> StageBar {
        let bar = if io::stderr().is_terminal() {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        };
        let bar = StageBar(bar);
        bar.restyle(1);
        bar
    }

    /// A bar with the count out of `total`, or, when the total is not known (0: a pile
    /// being read), a spinner with the count so far.
    fn restyle(&self, total: u64) {
        if let Ok(style) = indicatif::ProgressStyle::with_template(stage_template(total)) {
            self.0.set_style(style.progress_chars("=> "));
        }
    }

    /// Print a line above the bar (or plainly when hidden).
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.0.suspend(f)
    }
}

impl storydiff::group::Progress for StageBar {
    fn stage(&self, name: &str, total: u64) {
        self.restyle(total);
        self.0.set_message(name.to_string());
        self.0.set_length(total);
        self.0.set_position(0);
    }
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }
}

/// The progress line of a stage of `total` steps; 0 means the total is not known.
fn stage_template(total: u64) -> &'static str {
    if total == 0 {
        "{spinner} {msg:>10} {pos} so far {elapsed}"
    } else {
        "{msg:>12} [{bar:30}] {pos}/{len} {elapsed}"
    }
}

impl Drop for StageBar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

fn run_batch(args: BatchArgs) -> Result<(), RunError> {
    use storydiff::batch::{self, Input};
    let names: Vec<String> = if args.inputs.is_empty() {
        vec!["-".into()]
    } else {
        args.inputs.clone()
    };
    if names.iter().filter(|p| *p == "-").count() > 1 {
        return Err(Error::StdinTwice.into());
    }
    let mut inputs = Vec::with_capacity(names.len());
    for n in &names {
        if n == "-" {
            inputs.push(Input {
                name: "standard input".into(),
                reader: Box::new(io::BufReader::new(io::stdin())),
                file: None,
            });
            continue;
        }
        let path = std::path::Path::new(n);
        if path.is_dir() {
            return Err(RunError::Fail(format!(
                "{n}: is a directory (batch reads JSON Lines files)"
            )));
        }
        let f = std::fs::File::open(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => RunError::Fail(format!("{n}: no such file")),
            _ => RunError::Fail(format!("{n}: cannot read: {e}")),
        })?;
        // A regular file is read back by position in the second pass (a pipe or a FIFO cannot
        // be, so its lines are copied to a temporary file).
        let file = f
            .metadata()
            .is_ok_and(|m| m.is_file())
            .then(|| std::fs::File::open(path).ok())
            .flatten();
        inputs.push(Input {
            name: n.clone(),
            reader: Box::new(io::BufReader::with_capacity(1 << 16, f)),
            file,
        });
    }
    let opts = batch::BatchOptions {
        params: storydiff::group::GroupParams {
            min_similarity: args.min_similarity,
            ..Default::default()
        },
        keep_boilerplate: args.keep_boilerplate,
        keys: args.keys,
    };
    let bar = StageBar::new();
    let result = match &args.output {
        Some(path) => {
            let f = std::fs::File::create(path)
                .map_err(|e| RunError::Fail(format!("{path}: cannot write: {e}")))?;
            let mut w = io::BufWriter::new(f);
            batch::run(inputs, &opts, &mut w, &bar).and_then(|s| {
                w.flush()
                    .map_err(|e| batch::BatchError::Io(path.clone(), e))
                    .map(|()| s)
            })
        }
        None => {
            let mut w = io::BufWriter::new(io::stdout().lock());
            batch::run(inputs, &opts, &mut w, &bar).and_then(|s| {
                w.flush()
                    .map_err(|e| batch::BatchError::Io("standard output".into(), e))
                    .map(|()| s)
            })
        }
    };
    drop(bar);
    match result {
        Ok(_) => Ok(()),
        Err(batch::BatchError::Io(_, e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            Err(RunError::Pipe)
        }
        Err(e) => Err(RunError::Fail(e.to_string())),
    }
}

fn run_group(args: GroupArgs) -> Result<(), RunError> {
    let bar = StageBar::new();
    let articles = read_pile(
        &args.paths,
        args.keep_boilerplate,
        args.encoding.unwrap_or_default(),
        &bar,
    )?;
    let params = storydiff::group::GroupParams {
        min_similarity: args.min_similarity,
        ..Default::default()
    };
    let grouping = storydiff::group::run(&articles, &[], &params, &bar);
    drop(bar);
    let mut buf = Vec::new();
    match args.format {
        GroupFormat::Json => {
            let doc = serde_json::json!({
                "version": 2,
                "min_similarity": args.min_similarity,
                "articles": articles.len(),
                "copies": grouping.copies,
                "grouped": grouping.grouped,
                "budgets": grouping.budgets,
                "events": grouping.events,
            });
            let _ = writeln!(buf, "{}", json_text(&doc, true)?);
        }
        GroupFormat::Text => {
            let _ = storydiff_render::group_text(
                &grouping,
                articles.len(),
                args.min_similarity,
                &mut buf,
            );
        }
    }
    write_output(None, &buf)
}

fn run_compare_by_event(args: &CompareArgs) -> Result<i32, RunError> {
    if !args.labels.is_empty() {
        return Err(RunError::Fail(
            "--label cannot be used with --by-event (labels come from file names)".into(),
        ));
    }
    let bar = StageBar::new();
    let articles = read_pile(
        &args.inputs,
        args.keep_boilerplate,
        args.encoding.unwrap_or_default(),
        &bar,
    )?;
    let params = storydiff::group::GroupParams {
        min_similarity: args
            .min_similarity
            .unwrap_or(storydiff::group::GroupParams::default().min_similarity),
        ..Default::default()
    };
    let events = storydiff::group::run(&articles, &[], &params, &bar).events;
    drop(bar);
    let builder = Engine::builder()
        .scoring(args.scorer.load()?)
        .all_pairs(args.all_pairs)
        .keep_boilerplate(args.keep_boilerplate);
    let thresholds = storydiff::align::Thresholds::default();
    let accepted = accepted_ids(&args.out)?;
    let mut reports = Vec::new();
    for e in events.iter().filter(|e| e.members.len() >= 2) {
        let members: Vec<storydiff::Article> =
            e.members.iter().map(|&m| articles[m].clone()).collect();
        let choice = base::choose(&members, args.base.as_deref(), &thresholds);
        // With --all-pairs every pair is compared: there is no base to choose.
        let engine = builder
            .clone()
            .base((!args.all_pairs).then(|| choice.label.clone()))
            .build();
        let mut r = engine.compare(members)?;
        dismiss(&mut r, &accepted);
        reports.push((e.clone(), r, (!args.all_pairs).then_some(choice)));
    }
    let gate_failed = gate(args.out.fail_on, reports.iter().map(|(_, r, _)| r));
    let ropts = render_options(&args.out);
    let mut buf = Vec::new();
    let singles = events.iter().filter(|e| e.members.len() < 2).count();
    match args.format() {
        FormatArg::Json => {
            let doc = serde_json::json!({
                "version": storydiff::model::SCHEMA_VERSION,
                "events": reports.iter().map(|(e, r, b)| serde_json::json!({"event": e, "base": b, "report": storydiff::wire::ReportJson::from(r)})).collect::<Vec<_>>(),
                "single_articles": events.iter().filter(|e| e.members.len() < 2).map(|e| e.paths.clone()).collect::<Vec<_>>(),
            });
            let _ = writeln!(buf, "{}", json_text(&doc, true)?);
        }
        FormatArg::Html => {
            let items: Vec<(String, &storydiff::Report)> = reports
                .iter()
                .map(|(e, r, b)| {
                    let title = match b {
                        Some(b) => format!("{} — base: {}, {}", e.title, b.label, b.reason),
                        None => e.title.clone(),
                    };
                    (title, r)
                })
                .collect();
            render::html::render_events(&items, &ropts, &mut buf)
                .map_err(|e| io_error(e, "rendering"))?;
        }
        FormatArg::Terminal | FormatArg::Checklist => {
            let format = match args.format() {
                FormatArg::Terminal if args.out.stat => Format::Stat,
                FormatArg::Terminal => Format::Terminal,
                _ => Format::Checklist,
            };
            for (k, (e, r, b)) in reports.iter().enumerate() {
                if k > 0 {
                    let _ = writeln!(buf);
                }
                let title = storydiff_render::sanitize_for_terminal(&e.title);
                let why = b.as_ref().map(|b| {
                    storydiff_render::sanitize_for_terminal(&format!(
                        "base: {} ({}): {}",
                        b.label, b.rule, b.reason
                    ))
                });
                if format == Format::Checklist {
                    let why = why
                        .map(|w| format!("; {}", w.replace("--", "- -")))
                        .unwrap_or_default();
                    let _ = writeln!(
                        buf,
                        "<!-- event {} of {}: {} articles{why} -->",
                        k + 1,
                        reports.len(),
                        e.members.len()
                    );
                } else {
                    let _ = writeln!(buf, "#### event {} of {}: {}", k + 1, reports.len(), title);
                    if let Some(w) = why {
                        let _ = writeln!(buf, "{w}");
                    }
                }
                render::render(r, format, &ropts, &mut buf)
                    .map_err(|e| io_error(e, "rendering"))?;
            }
            if format != Format::Checklist && singles > 0 {
                let _ = writeln!(buf, "\n{singles} article(s) report an event no other input reports (see storydiff group).");
            }
        }
    }
    emit(&args.out, &buf)?;
    Ok(if gate_failed { EXIT_FINDINGS } else { EXIT_OK })
}

fn resolve_gold_article(
    gold: &str,
    label: &str,
    listed: Option<&String>,
    overrides: &[String],
) -> Result<String, RunError> {
    for o in overrides {
        if let Some((l, p)) = o.split_once('=') {
            if l == label {
                return Ok(p.to_string());
            }
        } else {
            return Err(RunError::Fail(format!(
                "--article {o}: expected LABEL=PATH"
            )));
        }
    }
    let listed =
        listed.ok_or_else(|| RunError::Fail(format!("{gold}: no article labelled {label}")))?;
    let dir = std::path::Path::new(gold)
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let candidates = [dir.join(listed), dir.join("..").join(listed)];
    candidates
        .iter()
        .find(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
        .ok_or_else(|| {
            RunError::Fail(format!(
                "{gold}: article {label} ({listed}) not found; give --article {label}=PATH"
            ))
        })
}

/// `storydiff model`: where the model is looked for, whether it is there, and with
/// `--check` whether it loads and encodes.
fn run_model(args: &ModelArgs) -> Result<i32, RunError> {
    use storydiff::encoder::{is_installed, locate, Encoder, MODEL_FILES, MODEL_NAME};
    let Some(at) = locate(args.scorer.model.as_deref()) else {
        return Err(RunError::Fail(
            "model: no --model, STORYDIFF_MODEL or home directory to find it in".into(),
        ));
    };
    let dir = storydiff_render::sanitize_for_terminal(&at.dir.display().to_string());
    let mut out = io::stdout().lock();
    if !is_installed(&at.dir) {
        let missing: Vec<&str> = MODEL_FILES
            .iter()
            .copied()
            .filter(|f| !at.dir.join(f).is_file())
            .collect();
        writeln!(
            out,
            "{MODEL_NAME}: not installed in {dir} (from {}): missing {}; run scripts/install-model",
            at.source,
            missing.join(", ")
        )
        .map_err(|e| io_error(e, "standard output"))?;
        return Ok(EXIT_FINDINGS);
    }
    writeln!(out, "{MODEL_NAME}: installed in {dir} (from {})", at.source)
        .map_err(|e| io_error(e, "standard output"))?;
    if args.check {
        let t0 = std::time::Instant::now();
        let enc = Encoder::load(&at.dir).map_err(|e| RunError::Fail(format!("model: {e}")))?;
        let loaded = t0.elapsed();
        let v = enc
            .embed("A man is playing a guitar.")
            .map_err(|e| RunError::Fail(format!("model: {e}")))?;
        writeln!(
            out,
            "loaded in {} ms; a test sentence encodes to {} dimensions",
            loaded.as_millis(),
            v.len()
        )
        .map_err(|e| io_error(e, "standard output"))?;
    }
    Ok(EXIT_OK)
}

fn run_eval(args: EvalArgs) -> Result<(), RunError> {
    if args.per_pair && args.news_ecb.is_none() {
        return Err(RunError::Fail(
            "--per-pair: only with --news-ecb (gold files always print per pair)".into(),
        ));
    }
    let mut thresholds = storydiff::align::Thresholds::default();
    for kv in &args.set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| RunError::Fail(format!("--set {kv}: expected NAME=VALUE")))?;
        let v: f64 = v
            .trim()
            .parse()
            .map_err(|_| RunError::Fail(format!("--set {kv}: {v:?} is not a number")))?;
        thresholds
            .set(k.trim(), v)
            .map_err(|e| RunError::Fail(format!("--set: {e}")))?;
    }
    let scoring = args.scorer.load()?;
    let scorer_name = scoring.used().name();
    let encoder = scoring.encoder();
    let engine = Engine::builder()
        .scoring(scoring.clone())
        .thresholds(thresholds)
        .build();
    if let Some(dir) = &args.news_he {
        let r = storydiff_eval::news_he::news_he(
            std::path::Path::new(dir),
            &thresholds,
            encoder,
        )
        .map_err(RunError::Fail)?;
        let text = match args.format {
            EvalFormat::Json => json_text(
                &serde_json::json!({"benchmark": "news_he", "scorer": scorer_name, "result": r}),
                false,
            )?,
            EvalFormat::Text => format!(
                "news_he ({} pairs, {} linked, {} article pairs; {scorer_name} scorer): AUC {:.3} AP {:.3}; F1 {:.3} cross-validated by article pair (thresholds {:.3}–{:.3}); compare's decision: P {:.3} R {:.3} F1 {:.3}",
                r.pairs, r.positives, r.article_pairs, r.auc, r.ap, r.cv_f1, r.cv_thresholds.0, r.cv_thresholds.1,
                r.decided.precision, r.decided.recall, r.decided.f1
            ),
        };
        writeln!(io::stdout().lock(), "{text}").map_err(|e| io_error(e, "standard output"))?;
        return Ok(());
    }
    if let Some(dir) = &args.meter {
        let m = storydiff_eval::meter::meter(std::path::Path::new(dir), &thresholds)
            .map_err(RunError::Fail)?;
        let text = match args.format {
            EvalFormat::Json => json_text(
                &serde_json::json!({"benchmark": "meter", "result": m}),
                false,
            )?,
            EvalFormat::Text => {
                let s = &m.sentences;
                let d = &m.documents;
                format!(
                    "meter sentences ({} articles, {} sentences): derived-vs-added F1 {:.3} (P {:.3} R {:.3}), added F1 {:.3}; identical F1 {:.3}, reworded F1 {:.3}, added F1 {:.3}\n\
                     meter documents ({} articles, 5 folds by story): macro-F1 {:.3}; wholly F1 {:.3}, partially F1 {:.3}, non F1 {:.3}",
                    s.articles, s.sentences, s.derived.f1, s.derived.precision, s.derived.recall, s.added.f1,
                    s.identical3.f1, s.reworded3.f1, s.added3.f1,
                    d.articles, d.macro_f1, d.wholly.f1, d.partially.f1, d.non.f1
                )
            }
        };
        return write_output(None, format!("{text}\n").as_bytes());
    }
    if let Some(dir) = &args.mrpc {
        let dir = std::path::Path::new(dir);
        let m = storydiff_eval::mrpc(dir, &thresholds).map_err(RunError::Fail)?;
        let compare = |split| {
            storydiff_eval::mrpc_compare(dir, split, &thresholds, encoder)
                .map_err(RunError::Fail)
        };
        let (ctrain, ctest) = (compare("train")?, compare("test")?);
        let line = match args.format {
            EvalFormat::Json => json_text(
                &serde_json::json!({"benchmark": "mrpc", "result": m, "compare": {"scorer": scorer_name, "train": ctrain, "test": ctest}}),
                false,
            )?,
            EvalFormat::Text => format!(
                "mrpc: threshold {:.4} (best train accuracy); train accuracy {:.1} F1 {:.1} ({} pairs); test accuracy {:.1} F1 {:.1} ({} pairs)\n\
                 mrpc through compare's decision, identical or reworded ({scorer_name} scorer): train accuracy {:.1} F1 {:.1}; test accuracy {:.1} F1 {:.1}",
                m.threshold,
                m.train.accuracy * 100.0,
                m.train.f1 * 100.0,
                m.train.pairs,
                m.test.accuracy * 100.0,
                m.test.f1 * 100.0,
                m.test.pairs,
                ctrain.accuracy * 100.0,
                ctrain.f1 * 100.0,
                ctest.accuracy * 100.0,
                ctest.f1 * 100.0,
            ),
        };
        return write_output(None, format!("{line}\n").as_bytes());
    }
    if let Some(dir) = &args.news_ecb {
        let topics = match args.topics {
            TopicsArg::Dev => storydiff_eval::Topics::Dev,
            TopicsArg::Test => storydiff_eval::Topics::Test,
            TopicsArg::All => storydiff_eval::Topics::All,
        };
        let r = storydiff_eval::news_ecb(
            std::path::Path::new(dir),
            topics,
            &thresholds,
            encoder,
        )
        .map_err(RunError::Fail)?;
        let (s, pairs) = (&r.overall, r.pairs.len());
        let line = match args.format {
            EvalFormat::Json => json_text(
                &serde_json::json!({"benchmark": "news_ecb", "topics": format!("{:?}", args.topics).to_lowercase(), "document_pairs": pairs, "scores": s, "annotated": r.annotated, "pairs": r.pairs}),
                false,
            )?,
            EvalFormat::Text => {
                let mut text = String::new();
                if args.per_pair {
                    for p in &r.pairs {
                        let q = &p.scores;
                        text.push_str(&format!(
                            "{}-{}: precision {:.3} ({}/{}) recall {:.3} ({}/{}) F1 {:.3}\n",
                            storydiff_render::sanitize_for_terminal(&p.doc1),
                            storydiff_render::sanitize_for_terminal(&p.doc2),
                            q.precision,
                            q.correct,
                            q.predicted,
                            q.recall,
                            q.found,
                            q.gold,
                            q.f1
                        ));
                    }
                }
                text.push_str(&format!(
                    "news_ecb {:?} ({pairs} document pairs): precision {:.3} ({}/{} predicted pairs) recall {:.3} ({}/{} gold links) F1 {:.3}",
                    args.topics, s.precision, s.correct, s.predicted, s.recall, s.found, s.gold, s.f1
                ));
                let w = &r.annotated;
                text.push_str(&format!(
                    "\nwithin annotated sentences: precision {:.3} ({}/{} predicted pairs) recall {:.3} F1 {:.3}",
                    w.precision, w.correct, w.predicted, w.recall, w.f1
                ));
                text
            }
        };
        return write_output(None, format!("{line}\n").as_bytes());
    }
    let gold_path = args.gold.clone().unwrap_or_default();
    let text = std::fs::read_to_string(&gold_path)
        .map_err(|e| RunError::Fail(format!("{gold_path}: cannot read: {e}")))?;
    let gold: storydiff_eval::Gold = serde_json::from_str(&text)
        .map_err(|e| RunError::Fail(format!("{gold_path}: not a gold file: {e}")))?;
    let mut groups: std::collections::BTreeMap<(String, String), Vec<storydiff_eval::GoldPair>> =
        Default::default();
    for p in &gold.pairs {
        groups
            .entry((p.a.clone(), p.b.clone()))
            .or_default()
            .push(p.clone());
    }
    let mut results = Vec::new();
    for ((a, b), pairs) in groups {
        let pa = resolve_gold_article(&gold_path, &a, gold.articles.get(&a), &args.articles)?;
        let pb = resolve_gold_article(&gold_path, &b, gold.articles.get(&b), &args.articles)?;
        let base = build_article(ingest::read_input(&pa, Some(&a))?, false)?;
        let other = build_article(ingest::read_input(&pb, Some(&b))?, false)?;
        let cmp = engine.pair(&base, &other)?;
        let s = storydiff_eval::score(&base, &other, &cmp, &pairs).map_err(RunError::Fail)?;
        let c = storydiff_eval::confusion(&base, &other, &cmp, &pairs).map_err(RunError::Fail)?;
        results.push((a, b, s, c));
    }
    let mut out = io::stdout().lock();
    let written = match args.format {
        EvalFormat::Json => {
            let v: Vec<serde_json::Value> = results
                .iter()
                .map(|(a, b, s, c)| serde_json::json!({"a": a, "b": b, "scores": s, "confusion": c}))
                .collect();
            writeln!(out, "{}", json_text(&v, true)?)
        }
        EvalFormat::Text => results.iter().try_for_each(|(a, b, s, c)| {
            let (a, b) = (
                storydiff_render::sanitize_for_terminal(a),
                storydiff_render::sanitize_for_terminal(b),
            );
            writeln!(
                out,
                "{a}-{b}: precision {:.3} ({}/{} predicted pairs) recall {:.3} ({}/{} gold pairs) F1 {:.3}",
                s.precision, s.correct, s.predicted, s.recall, s.found, s.gold, s.f1
            )?;
            for (label, row) in c {
                let cells: Vec<String> = ["identical", "reworded", "partial", "related", "missed"]
                    .iter()
                    .map(|k| format!("{k} {}", row.get(*k).copied().unwrap_or(0)))
                    .collect();
                writeln!(
                    out,
                    "  gold {}: {}",
                    storydiff_render::sanitize_for_terminal(label),
                    cells.join(", ")
                )?;
            }
            Ok(())
        }),
    };
    written.map_err(|e| io_error(e, "standard output"))
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
