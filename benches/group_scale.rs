//! Scale benchmark for `storydiff group`: builds N articles from the five fixtures by
//! realistic edits, writes them to a temporary folder and times the whole process, with its
//! peak memory (max RSS from wait4). Run: `cargo bench --bench group_scale -- 1000 10000 50000`.
//!
//! The corpus: N/5 synthetic events, each made from one fixture with its names, numbers and
//! weekdays replaced (so events differ in the evidence that separates real events), then 1–9
//! outlets' versions of each event with sentences dropped, neighbouring sentences swapped, words
//! reworded and names transliterated differently. A fixed-seed generator makes it repeatable.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

// The generator (splitmix64 `Rng`, `make_event`, `make_version`) is the one the tests and
// benches/batch_scale.rs use.
#[path = "../tests/it/pile.rs"]
mod pile;
use pile::{make_event, make_version, Rng};

fn fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    [
        "lavrov-2022-01-14/kuna.txt",
        "lavrov-2022-01-14/epa.txt",
        "lavrov-2022-01-14/brasov.txt",
        "other-events/nato-russia-council-2022-01-12.txt",
        "other-events/aa-lavrov-reports-to-putin-2022-02-14.txt",
    ]
    .iter()
    .map(|f| {
        std::fs::read_to_string(root.join(f))
            .unwrap_or_default()
            .replace('\n', "\n\n")
    })
    .collect()
}

/// Write `n` articles under `dir`; returns the event of each file name.
fn generate(n: usize, dir: &Path) -> BTreeMap<String, usize> {
    let templates = fixtures();
    let mut rng = Rng(0x5eed_0000 + n as u64);
    let mut gold = BTreeMap::new();
    let mut event = 0usize;
    let mut written = 0usize;
    while written < n {
        let t = &templates[rng.below(templates.len())];
        let ev = make_event(t, &mut rng);
        let outlets = (1 + rng.below(9)).min(n - written);
        for k in 0..outlets {
            let name = format!("e{event:06}-o{k}.txt");
            let sub = dir.join(format!("{:03}", written / 1000));
            let _ = std::fs::create_dir_all(&sub);
            let mut f = std::fs::File::create(sub.join(&name)).unwrap_or_else(|e| panic!("{e}"));
            let _ = f.write_all(make_version(&ev, &mut rng).as_bytes());
            gold.insert(name, event);
            written += 1;
        }
        event += 1;
    }
    gold
}

#[cfg(unix)]
// wait4 is the one way to read a child's peak memory (the lint policy allows unsafe here).
#[allow(unsafe_code)]
fn run_measured(cmd: &mut Command) -> (f64, u64, Vec<u8>) {
    let start = Instant::now();
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn();
    let Ok(mut child) = child else {
        eprintln!("cannot start storydiff");
        std::process::exit(2);
    };
    let mut out = Vec::new();
    if let Some(mut so) = child.stdout.take() {
        let _ = std::io::Read::read_to_end(&mut so, &mut out);
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data filled in by wait4 for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, status and usage are valid pointers.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = start.elapsed().as_secs_f64();
    // A crash or an error exit is a failed run, never a result of "0 events".
    if waited != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        eprintln!("storydiff group failed (wait status {status})");
        std::process::exit(1);
    }
    (secs, usage.ru_maxrss as u64 * 1024, out)
}

fn main() {
    let exe = env!("CARGO_BIN_EXE_storydiff");
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1000, 10_000]
    } else {
        sizes
    };
    let mut previous: Option<(usize, f64)> = None;
    for n in sizes {
        let dir: PathBuf = std::env::temp_dir().join(format!("storydiff-scale-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        let t0 = Instant::now();
        let gold = generate(n, &dir);
        let gen_secs = t0.elapsed().as_secs_f64();
        let (secs, rss, out) = run_measured(
            Command::new(exe)
                .args(["group", "--format", "json"])
                .arg(&dir),
        );
        let v: serde_json::Value = match serde_json::from_slice(&out) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("storydiff group printed no JSON: {e}");
                std::process::exit(1);
            }
        };
        let events = v["events"].as_array().map_or(0, Vec::len);
        let gold_events = gold
            .values()
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        // Pairwise precision/recall against the generated events.
        let (mut tp, mut pred, mut truth) = (0u64, 0u64, 0u64);
        let mut by_gold: BTreeMap<usize, u64> = BTreeMap::new();
        for e in v["events"].as_array().into_iter().flatten() {
            let mut counts: BTreeMap<usize, u64> = BTreeMap::new();
            let paths = e["paths"].as_array().cloned().unwrap_or_default();
            for p in &paths {
                let name = p.as_str().unwrap_or("").rsplit('/').next().unwrap_or("");
                if let Some(&g) = gold.get(name) {
                    *counts.entry(g).or_default() += 1;
                }
            }
            let k = paths.len() as u64;
            pred += k * k.saturating_sub(1) / 2;
            tp += counts
                .values()
                .map(|c| c * c.saturating_sub(1) / 2)
                .sum::<u64>();
        }
        for g in gold.values() {
            *by_gold.entry(*g).or_default() += 1;
        }
        truth += by_gold
            .values()
            .map(|c| c * c.saturating_sub(1) / 2)
            .sum::<u64>();
        let p = if pred == 0 {
            1.0
        } else {
            tp as f64 / pred as f64
        };
        let r = if truth == 0 {
            1.0
        } else {
            tp as f64 / truth as f64
        };
        println!(
            "group {n:>6} articles: {secs:7.2} s, peak RSS {:7.1} MiB; {events} events found, {gold_events} generated; pairwise P {p:.3} R {r:.3} (corpus generated in {gen_secs:.1} s)",
            rss as f64 / (1024.0 * 1024.0)
        );
        if let Some((pn, ps)) = previous {
            let ratio = secs / ps;
            let nlogn = (n as f64 * (n as f64).ln()) / (pn as f64 * (pn as f64).ln());
            println!(
                "  time ratio {ratio:.2} for size ratio {:.1} (n log n ratio {nlogn:.2})",
                n as f64 / pn as f64
            );
        }
        previous = Some((n, secs));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
