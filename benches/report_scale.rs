//! Report size and cost of `storydiff compare` with one base and many other articles
//! (issue #16, item 5): for each N given (default 250 and 1000), two piles of one base (the
//! KUNA fixture) plus N other articles, each run through the release binary in every format
//! (`--format html`, `json`, `checklist` and the terminal view with `--color never`), with the
//! lexical scorer. Prints the output's size, the peak resident memory and the wall time of
//! each run (from the child's `wait4` resource usage), and the growth from one N to the next.
//!
//! - **copies**: EPA and Brasov, then lightly edited copies of the three Jan-14 fixtures in
//!   turn (a paragraph dropped or moved, a new first line, a site footer: the generator in
//!   tests/it/pile.rs), as churnalism looks;
//! - **versions**: independent versions of the three fixtures (paragraphs dropped and
//!   swapped, words reworded, names transliterated: `pile::make_version`), none a copy;
//! - **independent**: every article its own selection of about a third of the trio's
//!   paragraphs, in its own order, then made a version: independent write-ups of one event,
//!   which share claims but are too different to fold as copies (every one an original).
//!
//! Run with `cargo bench --bench report_scale -- 250 1000`; `--pile copies|versions|independent` and
//! `--format html,json,…` keep some of the runs. `STORYDIFF_BIN=PATH` measures another build
//! of the binary (e.g. an earlier commit's, for a before/after table). Inputs are generated
//! with fixed seeds into a temporary folder and removed afterwards; `--write copies N DIR`
//! writes one pile (base first) and stops.

#[path = "../tests/it/pile.rs"]
mod pile;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn fail(msg: String) -> ! {
    eprintln!("report_scale: {msg}");
    std::process::exit(1)
}

/// One base and `n` other articles of the pile `kind`, written to `dir`; their paths, base
/// first.
fn generate(kind: &str, n: usize, dir: &Path) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let trio: Vec<(String, String)> = pile::fixtures(root).into_iter().take(3).collect();
    let mut rng = pile::Rng(0x5ca1_e000 ^ n as u64);
    let mut texts: Vec<(String, String)> = vec![trio[0].clone()];
    match kind {
        "copies" => {
            texts.extend(trio[1..].iter().cloned());
            for k in 1..=n.saturating_sub(2) {
                let (name, text) = &trio[k % 3];
                texts.push((format!("{name}-copy{k:04}"), pile::copy(text, k, &mut rng)));
            }
        }
        "independent" => {
            // Every line of the fixtures is a paragraph.
            let paras: Vec<&str> = trio
                .iter()
                .flat_map(|(_, t)| t.lines())
                .filter(|p| !p.trim().is_empty())
                .collect();
            for k in 1..=n {
                let mut mine: Vec<&str> =
                    paras.iter().copied().filter(|_| rng.chance(0.35)).collect();
                if mine.is_empty() {
                    mine.push(paras[k % paras.len()]);
                }
                for i in (1..mine.len()).rev() {
                    mine.swap(i, rng.below(i + 1));
                }
                let text = mine.join("\n\n");
                texts.push((format!("outlet{k:04}"), pile::make_version(&text, &mut rng)));
            }
        }
        _ => {
            for k in 1..=n {
                let (name, text) = &trio[k % 3];
                let text = text.replace('\n', "\n\n");
                texts.push((
                    format!("{name}-v{k:04}"),
                    pile::make_version(&text, &mut rng),
                ));
            }
        }
    }
    texts.truncate(n + 1);
    texts
        .iter()
        .map(|(name, text)| {
            let path = dir.join(format!("{name}.txt"));
            std::fs::write(&path, text).unwrap_or_else(|e| fail(format!("{e}")));
            path.display().to_string()
        })
        .collect()
}

/// Output bytes, peak RSS (KiB) and wall seconds of one run.
struct Run {
    bytes: u64,
    rss_kib: i64,
    secs: f64,
}

// wait4 is the one way to read a child's peak memory (the lint policy allows unsafe here).
#[allow(unsafe_code)]
fn run(exe: &str, format: &str, files: &[String], out: &Path) -> Run {
    let mut cmd = Command::new(exe);
    cmd.env("STORYDIFF_SCORER", "lexical")
        .arg("compare")
        .args(["--format", format, "-o"])
        .arg(out);
    if format == "terminal" {
        cmd.args(["--color", "never", "--width", "100"]);
    }
    let err_path = out.with_extension("stderr");
    let err_file = std::fs::File::create(&err_path).unwrap_or_else(|e| fail(format!("{e}")));
    let start = Instant::now();
    // Reaped by wait4 below, which also gives its resource usage.
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .args(files)
        .stdout(Stdio::null())
        .stderr(err_file)
        .spawn()
        .unwrap_or_else(|e| fail(format!("{exe}: {e}")));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data, and wait4 writes it for the child we spawned.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = start.elapsed().as_secs_f64();
    // 0 (no findings gate) or 1 (findings found) are both a run; anything else is not.
    let code = libc::WEXITSTATUS(status);
    if got != pid || !libc::WIFEXITED(status) || code > 1 {
        let err = std::fs::read_to_string(&err_path).unwrap_or_default();
        fail(format!("storydiff compare --format {format} failed: {err}"));
    }
    Run {
        bytes: std::fs::metadata(out).map(|m| m.len()).unwrap_or(0),
        rss_kib: usage.ru_maxrss,
        secs,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|k| args.get(k + 1))
            .cloned()
    };
    if let Some(k) = args.iter().position(|a| a == "--write") {
        // `--write copies|versions N DIR`: write the pile and stop (to look at it).
        let (Some(kind), Some(n), Some(dir)) = (
            args.get(k + 1),
            args.get(k + 2).and_then(|n| n.parse().ok()),
            args.get(k + 3),
        ) else {
            fail("usage: --write copies|versions N DIR".into())
        };
        let _ = std::fs::create_dir_all(dir);
        for f in generate(kind, n, Path::new(dir)) {
            println!("{f}");
        }
        return;
    }
    let mut sizes: Vec<usize> = args
        .iter()
        .filter(|a| !a.contains(|c: char| !c.is_ascii_digit()))
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = vec![250, 1000];
    }
    let piles: Vec<String> = value("--pile")
        .map_or(vec!["copies".into(), "versions".into()], |p| {
            p.split(',').map(String::from).collect()
        });
    let formats: Vec<String> = value("--format").map_or(
        ["html", "json", "checklist", "terminal"]
            .map(String::from)
            .to_vec(),
        |f| f.split(',').map(String::from).collect(),
    );
    let exe = std::env::var("STORYDIFF_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_storydiff").to_string());
    println!("binary: {exe}");
    for kind in &piles {
        let mut previous: Vec<Option<Run>> = (0..formats.len()).map(|_| None).collect();
        let mut previous_n = 0;
        for &n in &sizes {
            let dir: PathBuf =
                std::env::temp_dir().join(format!("storydiff-report-scale-{}", std::process::id()));
            let _ = std::fs::create_dir_all(&dir);
            let files = generate(kind, n, &dir);
            let input: u64 = files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok())
                .map(|m| m.len())
                .sum();
            println!(
                "{kind} pile, base + {n} others ({:.1} MB of input):",
                input as f64 / 1e6
            );
            for (k, format) in formats.iter().enumerate() {
                let out = dir.join(format!("report.{format}"));
                let r = run(&exe, format, &files, &out);
                let mut line = format!(
                    "  {format:<9} {:10.1} MB  peak RSS {:8.1} MiB  {:7.2} s",
                    r.bytes as f64 / 1e6,
                    r.rss_kib as f64 / 1024.0,
                    r.secs
                );
                if let Some(p) = &previous[k] {
                    line.push_str(&format!(
                        "   ×{:.1} size, ×{:.1} memory, ×{:.1} time for ×{:.1} outlets",
                        r.bytes as f64 / p.bytes.max(1) as f64,
                        r.rss_kib as f64 / p.rss_kib.max(1) as f64,
                        r.secs / p.secs.max(1e-9),
                        n as f64 / previous_n.max(1) as f64
                    ));
                }
                println!("{line}");
                previous[k] = Some(r);
            }
            previous_n = n;
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
