//! The `storydiff` binary: parse arguments, run, exit with the code `cli::run` gives.

use clap::Parser;

fn main() {
    let cli = storydiff::cli::Cli::parse();
    std::process::exit(storydiff::cli::run(cli));
}
