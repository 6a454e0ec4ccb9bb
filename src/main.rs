//! The `storydiff` binary: parse arguments, run, exit with the code `cli::run` gives.

mod cli;
mod pager;

use clap::Parser;

// storydiff allocates many small strings and vectors (tokens, terms, diff chunks); mimalloc
// serves them markedly faster than the system allocator (a 600k-word pair: see
// benches/compare_process.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // The encoder's batches run in parallel, each with candle's worker pool, whose threads
    // spin 25,000 times waiting for the next matrix product before they sleep: on 2 cores
    // they spin on each other's time. 100 spins: the encoder part of `compare --by-event`
    // over three news_ecb topics 5.2 s -> 3.5 s (7.6 s -> 5.7 s CPU). Set here, before any
    // thread starts; a value the user set is kept.
    if std::env::var_os("CANDLE_BARRIER_POOL_SPIN_LIMIT").is_none() {
        std::env::set_var("CANDLE_BARRIER_POOL_SPIN_LIMIT", "100");
    }
    // A panic is a bug: say so in one line, without letting article text in the message
    // reach the terminal raw, and exit 101 as Rust does.
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let short: String = payload.chars().take(200).collect();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "storydiff: internal error (a bug, please report it){at}: {}",
            storydiff_render::sanitize_for_terminal(&short)
        );
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                e.exit();
            }
            // A usage error may quote an argument (a file name, a label): its control
            // characters must not reach the terminal.
            let text = e.render().to_string();
            let safe: Vec<String> = text
                .lines()
                .map(storydiff_render::sanitize_for_terminal)
                .collect();
            eprintln!("{}", safe.join("\n").trim_end());
            std::process::exit(e.exit_code());
        }
    };
    std::process::exit(cli::run(cli));
}
