//! Whole-process benchmark of `storydiff compare` (lexical scorer), the three speed targets of
//! the engine: the three Jan-14 fixtures once per output format (40 runs each), twelve
//! outlets of one event with `--all-pairs` (the three fixtures and three generated versions
//! of each fixture, 10 runs), and two articles of about 600,000 words each (3 runs). Prints
//! the median, the 90th percentile and the fastest run of each.
//!
//! Run with `cargo bench --bench compare_process` (release profile); `-- trio`, `-- outlets`
//! or `-- large` runs one group only. The generated inputs come from the pile generator the
//! tests use (fixed seeds), written to a temporary folder (or to `$STORYDIFF_BENCH_DIR`, kept
//! there, to profile a run by hand); `STORYDIFF_BIN=PATH` times that binary instead of this
//! build's, for an A/B on one machine.

#[path = "../tests/it/pile.rs"]
mod pile;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Time `runs` runs (after 2 warm-up runs) of `storydiff compare ARGS`; print one line.
fn time(name: &str, args: &[String], runs: usize) {
    // STORYDIFF_BIN times another build (an A/B against an older commit on this machine).
    let exe = std::env::var("STORYDIFF_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_storydiff").to_string());
    let exe = exe.as_str();
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs + 2 {
        let start = Instant::now();
        let status = Command::new(exe)
            .env("STORYDIFF_SCORER", "lexical")
            .arg("compare")
            .args(args)
            .stdout(Stdio::null())
            .status();
        let elapsed = start.elapsed();
        match status {
            Ok(s) if s.success() => times.push(elapsed),
            other => {
                eprintln!("storydiff failed on {name}: {other:?}");
                std::process::exit(1);
            }
        }
    }
    times.drain(..2);
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<62} median {:9.2} ms  p90 {:9.2} ms  min {:9.2} ms  ({runs} runs)",
        ms(times[runs / 2]),
        ms(times[(runs * 9 / 10).min(runs - 1)]),
        ms(times[0])
    );
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path.display().to_string()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wants = |g: &str| only.as_deref().is_none_or(|o| o == g);
    let fixtures = pile::fixtures(root);
    let trio: Vec<String> = fixtures[..3]
        .iter()
        .map(|(n, _)| format!("{}/fixtures/lavrov-2022-01-14/{n}.txt", root.display()))
        .collect();
    if wants("trio") {
        let formats: &[&[&str]] = &[
            &["--format", "terminal", "--color", "always"],
            &["--format", "json"],
            &["--format", "terminal", "--color", "never", "--all-pairs"],
            &["--format", "checklist"],
            &["--format", "html"],
        ];
        for f in formats {
            let args: Vec<String> = f
                .iter()
                .map(|s| s.to_string())
                .chain(trio.clone())
                .collect();
            time(&format!("trio {}", f.join(" ")), &args, 40);
        }
    }
    // STORYDIFF_BENCH_DIR keeps the generated inputs there (to profile one run by hand).
    let keep = std::env::var_os("STORYDIFF_BENCH_DIR").map(PathBuf::from);
    let dir: PathBuf = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("storydiff-speed-{}", std::process::id()))
    });
    let _ = std::fs::create_dir_all(&dir);
    if wants("outlets") {
        // Twelve outlets of one event: the fixtures and three versions of each (paragraphs
        // dropped and swapped, words reworded, names transliterated).
        let mut rng = pile::Rng(0x0012_0070);
        let mut files = trio.clone();
        for (name, text) in &fixtures[..3] {
            let text = text.replace('\n', "\n\n");
            for k in 0..3 {
                files.push(write(
                    &dir,
                    &format!("{name}-v{k}.txt"),
                    &pile::make_version(&text, &mut rng),
                ));
            }
        }
        let mut args = vec!["--all-pairs".to_string(), "--format".into(), "json".into()];
        args.extend(files);
        time("12 outlets --all-pairs --format json", &args, 10);
    }
    if wants("large") {
        // About 600,000 words: synthetic events made from the fixtures one after another,
        // and an outlet's version of the whole.
        let mut rng = pile::Rng(0x0060_0000);
        let mut big = String::new();
        while big.split_whitespace().count() < 600_000 {
            let (_, t) = &fixtures[rng.below(fixtures.len())];
            big.push_str(&pile::make_event(&t.replace('\n', "\n\n"), &mut rng));
            big.push_str("\n\n");
        }
        let version = pile::make_version(&big, &mut rng);
        let args = vec![
            "--format".to_string(),
            "json".into(),
            write(&dir, "large-a.txt", &big),
            write(&dir, "large-b.txt", &version),
        ];
        let words = big.split_whitespace().count();
        time(
            &format!("two articles of {words} words --format json"),
            &args,
            3,
        );
    }
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
