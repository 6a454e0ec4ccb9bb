//! Long fuzz campaign: the generator of `tests/it/gen.rs` and the properties of
//! `tests/it/checks.rs` (the fuzz tests' own), run until a time budget runs out.
//!
//! Rounds of cases come from proptest's `TestRunner`, each round with a fresh seed derived
//! from `FUZZ_SEED` (default 0) and the round number, so a campaign is reproducible. Every
//! case goes through the library in-process (all properties, every format rendered twice);
//! every `FUZZ_BIN_EVERY`th case (default 20) also through the release binary in every
//! format. Each new failure signature is shrunk (proptest shrinking, then deleting text) and
//! the minimal input written to `fuzz-failures/<n>-<kind>/` (`FUZZ_OUT` to change), with the
//! command line that replays it; the campaign goes on. At the end it prints the totals and
//! the violations by kind, and exits 1 if there was any.
//!
//! Run with `scripts/fuzz [SECONDS]` or `cargo bench --bench fuzz -- [SECONDS]` (default
//! 3600).

#[path = "../tests/it/checks.rs"]
mod checks;
#[path = "../tests/it/gen.rs"]
mod gen;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use checks::Violation;
use gen::Case;

/// Cases per proptest round (one seed each).
const ROUND: u64 = 256;
/// Distinct failure signatures shrunk and written out; later ones are only counted.
const MAX_SAVED: usize = 20;
/// A binary run that takes longer is a failure (a hang or worse than linear).
const BIN_TIMEOUT: Duration = Duration::from_secs(60);

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Saved {
    signature: String,
    count: u64,
    first_case: u64,
    dir: Option<PathBuf>,
    detail: String,
    minimal_bytes: Vec<usize>,
}

fn write_failure(dir: &Path, case: &Case, v: &Violation, note: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    for (k, text) in case.articles.iter().enumerate() {
        let p = dir.join(format!("{}.txt", Case::label(k)));
        std::fs::write(&p, text)?;
        files.push(p.display().to_string());
    }
    let mut replay = format!("storydiff compare --width {}", case.width.clamp(20, 1000));
    if case.all_pairs {
        replay.push_str(" --all-pairs");
    }
    if let Some(b) = case.base {
        replay.push_str(&format!(" --base {}", Case::label(b)));
    }
    replay.push_str(" --format json ");
    replay.push_str(&files.join(" "));
    let report = format!(
        "{}\n\n{}\n\n{note}\n\nreplay: {replay}\n\n{case:?}",
        v.signature(),
        v.detail
    );
    std::fs::write(dir.join("violation.txt"), report)
}

fn main() {
    let secs = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<u64>().ok())
        .unwrap_or(3600);
    let budget = Duration::from_secs(secs);
    let every = env_num("FUZZ_BIN_EVERY", 20).max(1);
    let seed0 = env_num("FUZZ_SEED", 0);
    let out_dir = std::env::var_os("FUZZ_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz-failures"));
    let exe = Path::new(env!("CARGO_BIN_EXE_storydiff"));
    let scratch = std::env::temp_dir().join(format!("storydiff-fuzz-{}", std::process::id()));
    println!(
        "fuzz: {secs} s, FUZZ_SEED={seed0}, binary ({}) every {every}th case, failures to {}",
        exe.display(),
        out_dir.display()
    );

    let started = Instant::now();
    let strategy = gen::case();
    let (mut cases, mut bin_cases, mut bin_runs) = (0u64, 0u64, 0usize);
    let (mut links, mut findings, mut no_compare) = (0usize, 0usize, 0u64);
    let mut finding_kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_kind: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut saved: Vec<Saved> = Vec::new();
    let mut slowest = (Duration::ZERO, 0u64);
    let mut last_report = Instant::now();
    let mut round = 0u64;
    'campaign: loop {
        let seed = seed0.wrapping_mul(1_000_003).wrapping_add(round);
        let config = Config {
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new_with_rng(
            config,
            TestRng::from_seed(RngAlgorithm::ChaCha, &checks::seed_bytes(seed)),
        );
        for _ in 0..ROUND {
            if started.elapsed() >= budget {
                break 'campaign;
            }
            let mut tree = match strategy.new_tree(&mut runner) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("fuzz: cannot generate a case: {e}");
                    std::process::exit(2);
                }
            };
            let case = tree.current();
            cases += 1;
            let t0 = Instant::now();
            let mut result = checks::check_library(&case);
            let dt = t0.elapsed();
            if dt > slowest.0 {
                slowest = (dt, cases);
            }
            let mut binary = false;
            if result.is_ok() && cases % every == 0 {
                binary = true;
                bin_cases += 1;
                let dir = scratch.join("case");
                result = checks::check_binary(exe, &case, &dir, Some(BIN_TIMEOUT)).map(|n| {
                    bin_runs += n;
                    checks::Stats::default()
                });
                if result.is_ok() {
                    // Counted once, from the library run.
                    result = Ok(checks::Stats::default());
                }
            }
            match result {
                Ok(s) => {
                    links += s.links;
                    findings += s.findings;
                    if s.bodies < 2 && !binary {
                        no_compare += 1;
                    }
                    if cases % 16 == 0 {
                        for k in checks::finding_kinds(&case) {
                            *finding_kinds.entry(k).or_default() += 1;
                        }
                    }
                }
                Err(v) => {
                    *by_kind.entry(v.kind).or_default() += 1;
                    let sig = v.signature();
                    if let Some(s) = saved.iter_mut().find(|s| s.signature == sig) {
                        s.count += 1;
                        continue;
                    }
                    println!(
                        "fuzz: case {cases} (round {round}): NEW {sig}\n      {}",
                        v.detail.chars().take(300).collect::<String>()
                    );
                    let mut entry = Saved {
                        signature: sig.clone(),
                        count: 1,
                        first_case: cases,
                        dir: None,
                        detail: v.detail.clone(),
                        minimal_bytes: Vec::new(),
                    };
                    if saved.len() < MAX_SAVED {
                        let dir = scratch.join("shrink");
                        let check = |c: &Case| {
                            if binary {
                                checks::check_binary(exe, c, &dir, Some(BIN_TIMEOUT)).err()
                            } else {
                                checks::check_library(c).err()
                            }
                        };
                        let t = Instant::now();
                        let (min, v2, steps) =
                            checks::minimize(&mut tree, v, check, 20_000, Duration::from_secs(90));
                        let (min, v2, cuts) =
                            checks::reduce_text(min, v2, check, Duration::from_secs(90));
                        let note = format!(
                            "first seen at case {cases} (FUZZ_SEED={seed0}, round {round}); shrunk in {:.1} s ({steps} proptest steps, {cuts} text cuts); {}",
                            t.elapsed().as_secs_f64(),
                            if binary { "found through the binary" } else { "found through the library" }
                        );
                        let d = out_dir.join(format!("{}-{}", saved.len() + 1, v2.kind));
                        match write_failure(&d, &min, &v2, &note) {
                            Ok(()) => entry.dir = Some(d.clone()),
                            Err(e) => eprintln!("fuzz: {}: cannot write: {e}", d.display()),
                        }
                        println!(
                            "      minimal input ({} bytes) in {}: {}",
                            min.articles.iter().map(String::len).sum::<usize>(),
                            d.display(),
                            v2.detail.chars().take(300).collect::<String>()
                        );
                        for (k, a) in min.articles.iter().enumerate() {
                            println!("      {}: {a:?}", Case::label(k));
                        }
                        entry.minimal_bytes = min.articles.iter().map(String::len).collect();
                        entry.detail = v2.detail;
                    }
                    saved.push(entry);
                }
            }
            if last_report.elapsed() >= Duration::from_secs(60) {
                last_report = Instant::now();
                println!(
                    "fuzz: {:>5.0} s  {cases} cases ({:.0}/s), {bin_cases} through the binary, {} violations",
                    started.elapsed().as_secs_f64(),
                    cases as f64 / started.elapsed().as_secs_f64(),
                    by_kind.values().sum::<u64>()
                );
            }
        }
        round += 1;
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let total: u64 = by_kind.values().sum();
    println!("\nfuzz: done in {:.0} s", started.elapsed().as_secs_f64());
    println!("  cases                 {cases} ({round} rounds of up to {ROUND})");
    println!("  binary                {bin_cases} cases, {bin_runs} runs");
    println!("  links                 {links}");
    println!("  findings              {findings}");
    println!("  cases not compared    {no_compare} (fewer than two articles with a body)");
    println!(
        "  slowest library case  {:.1} ms (case {})",
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
    let kinds: Vec<String> = finding_kinds
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    println!("  finding kinds (every 16th case): {}", kinds.join(", "));
    println!("  violations            {total}");
    for (k, n) in &by_kind {
        println!("    {k:<20} {n}");
    }
    for s in &saved {
        println!(
            "  {} ×{} (first at case {}){}",
            s.signature,
            s.count,
            s.first_case,
            s.dir
                .as_ref()
                .map(|d| format!(
                    ", minimal input {:?} bytes in {}",
                    s.minimal_bytes,
                    d.display()
                ))
                .unwrap_or_default()
        );
        println!("      {}", s.detail.chars().take(400).collect::<String>());
    }
    if total > 0 {
        std::process::exit(1);
    }
}
