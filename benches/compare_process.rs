//! Whole-process benchmark: `storydiff compare` on the three Jan-14 fixtures, once per
//! output format, run repeatedly; prints the median and 90th percentile wall time.
//! Run with `cargo bench --bench compare_process` (release profile).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 40;

fn main() {
    let exe = env!("CARGO_BIN_EXE_storydiff");
    let root = env!("CARGO_MANIFEST_DIR");
    let inputs: Vec<String> = ["kuna", "epa", "brasov"]
        .iter()
        .map(|o| format!("{root}/fixtures/lavrov-2022-01-14/{o}.txt"))
        .collect();
    let formats: &[&[&str]] = &[
        &["--format", "terminal", "--color", "always"],
        &["--format", "json"],
        &["--format", "terminal", "--color", "never", "--all-pairs"],
        &["--format", "checklist"],
        &["--format", "html"],
    ];
    for args in formats {
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        for _ in 0..RUNS + 3 {
            let start = Instant::now();
            let status = Command::new(exe)
                .env("STORYDIFF_SCORER", "lexical")
                .arg("compare")
                .args(*args)
                .args(&inputs)
                .stdout(Stdio::null())
                .status();
            let elapsed = start.elapsed();
            match status {
                Ok(s) if s.success() => times.push(elapsed),
                other => {
                    eprintln!("storydiff failed: {other:?}");
                    std::process::exit(1);
                }
            }
        }
        times.drain(..3);
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "compare trio {:<45} median {:6.2} ms  p90 {:6.2} ms  min {:6.2} ms  ({RUNS} runs)",
            args.join(" "),
            ms(times[RUNS / 2]),
            ms(times[RUNS * 9 / 10]),
            ms(times[0])
        );
    }
}
