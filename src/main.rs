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
    let cli = cli::Cli::parse();
    std::process::exit(cli::run(cli));
}
