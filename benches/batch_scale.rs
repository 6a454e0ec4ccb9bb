//! Scale benchmark for `storydiff batch`, and the generator of its piles.
//!
//! The pile (JSON Lines, fixed seed): stories made from the five fixtures with their names,
//! numbers and weekdays replaced and most of their longer words made up, one vocabulary per
//! story (unrelated events that share only common words), each reported independently by 1–3
//! outlets (sentences dropped, swapped, reworded, transliterated), and each report copied by a
//! flood of sites, lightly edited (a paragraph dropped or moved, a new first line, a footer):
//! no copies for most, 1–10 for many, 10–100 for some, 100–1,000 for a few.
//!
//! `cargo bench --bench batch_scale -- 10000 100000 1000000` generates each size, runs
//! `/usr/bin/time -v storydiff batch` on it and prints time, peak memory and B-cubed F1 of
//! the events against the generated stories. `cargo bench --bench batch_scale -- --write N
//! FILE` only writes a pile (scripts/test-spark uses it).

#[path = "../tests/it/pile.rs"]
mod pile;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use pile::Rng;

/// How many copies one report gets.
fn flood(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=54 => 0,
        55..=89 => 1 + rng.below(10),
        90..=98 => 10 + rng.below(91),
        _ => 100 + rng.below(901),
    }
}

/// `event` with most of its longer lower-case words replaced by made-up words, one mapping
/// per event: unrelated stories made from the same fixture then share names of countries
/// and function words, as real unrelated stories do, but not their wording (`make_event`
/// alone keeps the fixture's text, so every story of one fixture would read as a copy of
/// the others). The reports and copies of one story share its words.
fn distinct_wording(event: &str, rng: &mut Rng) -> String {
    let mut map: HashMap<String, String> = HashMap::new();
    let mut out = String::with_capacity(event.len());
    let mut word = String::new();
    let mut flush = |word: &mut String, out: &mut String, rng: &mut Rng| {
        if word.len() >= 5 && word.chars().all(|c| c.is_ascii_lowercase()) {
            let len = word.len();
            let new = map
                .entry(word.clone())
                .or_insert_with(|| {
                    if rng.chance(0.3) {
                        return word.clone();
                    }
                    const LETTERS: &[u8] = b"abcdefghiklmnoprstuvz";
                    (0..len)
                        .map(|_| LETTERS[rng.below(LETTERS.len())] as char)
                        .collect()
                })
                .clone();
            out.push_str(&new);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in event.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, rng);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, rng);
    out
}

/// Write `n` articles to `path`; returns the story of each id.
fn generate(n: usize, path: &Path) -> std::io::Result<HashMap<String, usize>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let templates: Vec<String> = pile::fixtures(root)
        .into_iter()
        .map(|(_, t)| t.replace('\n', "\n\n"))
        .collect();
    let mut rng = Rng(0x5ca1_e000 + n as u64);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut gold = HashMap::with_capacity(n);
    let (mut story, mut written) = (0usize, 0usize);
    while written < n {
        let event = distinct_wording(
            &pile::make_event(&templates[rng.below(templates.len())], &mut rng),
            &mut rng,
        );
        let day = 1 + rng.below(28);
        for v in 0..1 + rng.below(3) {
            // The report comes first; its copies follow, a minute apart.
            let start = rng.below(6 * 60);
            if written >= n {
                break;
            }
            let report = pile::make_version(&event, &mut rng);
            let copies = flood(&mut rng).min(n - written - 1);
            for c in 0..=copies {
                let text = if c == 0 {
                    report.clone()
                } else {
                    pile::copy(&report, c + v * 1000, &mut rng)
                };
                let id = format!("s{story:07}-v{v}-c{c:04}");
                let line = serde_json::json!({
                    "id": id,
                    "outlet": pile::site(c + v * 1000),
                    "text": text,
                    "date": format!("2022-03-{day:02}T{:02}:{:02}:00Z", (start + c) / 60, (start + c) % 60),
                });
                writeln!(out, "{line}")?;
                gold.insert(id, story);
                written += 1;
            }
        }
        story += 1;
    }
    out.flush()?;
    Ok(gold)
}

fn fail(msg: String) -> ! {
    eprintln!("batch_scale: {msg}");
    std::process::exit(1)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(k) = args.iter().position(|a| a == "--write") {
        let (Some(n), Some(file)) = (
            args.get(k + 1).and_then(|n| n.parse().ok()),
            args.get(k + 2),
        ) else {
            fail("usage: --write N FILE".into())
        };
        if let Err(e) = generate(n, Path::new(file)) {
            fail(format!("{file}: {e}"));
        }
        return;
    }
    let exe = env!("CARGO_BIN_EXE_storydiff");
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![10_000];
    }
    let mut previous: Option<(usize, f64)> = None;
    for n in sizes {
        let dir: PathBuf = std::env::temp_dir().join(format!("storydiff-batch-scale-{n}"));
        let _ = std::fs::create_dir_all(&dir);
        let input = dir.join("pile.jsonl");
        let output = dir.join("events.jsonl");
        let gold = generate(n, &input).unwrap_or_else(|e| fail(format!("{e}")));
        let run = Command::new("/usr/bin/time")
            .arg("-v")
            .arg(exe)
            .arg("batch")
            .arg(&input)
            .arg("-o")
            .arg(&output)
            .output()
            .unwrap_or_else(|e| fail(format!("cannot run /usr/bin/time: {e}")));
        if !run.status.success() {
            fail(format!(
                "storydiff batch failed: {}",
                String::from_utf8_lossy(&run.stderr)
            ));
        }
        let report = String::from_utf8_lossy(&run.stderr);
        let field = |name: &str| -> String {
            report
                .lines()
                .find_map(|l| l.trim().strip_prefix(name).map(str::trim).map(String::from))
                .unwrap_or_default()
        };
        let rss_kib: f64 = field("Maximum resident set size (kbytes):")
            .parse()
            .unwrap_or(0.0);
        let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):");
        let secs: f64 = wall
            .split(':')
            .filter_map(|p| p.parse::<f64>().ok())
            .fold(0.0, |acc, p| acc * 60.0 + p);
        // B-cubed of the events against the generated stories.
        let f = std::fs::File::open(&output).unwrap_or_else(|e| fail(format!("{e}")));
        let mut clusters: Vec<Vec<usize>> = Vec::new();
        let mut summary = String::new();
        for line in std::io::BufReader::new(f).lines() {
            let line = line.unwrap_or_else(|e| fail(format!("{e}")));
            let v: serde_json::Value =
                serde_json::from_str(&line).unwrap_or_else(|e| fail(format!("{e}")));
            if v["type"] == "summary" {
                summary = line;
                continue;
            }
            clusters.push(
                v["articles"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| {
                        gold.get(a["id"].as_str().unwrap_or(""))
                            .copied()
                            .unwrap_or(usize::MAX)
                    })
                    .collect(),
            );
        }
        let (p, r, f1) = pile::bcubed(&clusters);
        let stories = gold
            .values()
            .collect::<std::collections::HashSet<_>>()
            .len();
        println!(
            "batch {n:>8} articles: {secs:8.1} s wall, peak RSS {:8.1} MiB; {} events for {stories} stories; B3 P {p:.4} R {r:.4} F1 {f1:.4}",
            rss_kib / 1024.0,
            clusters.len()
        );
        println!("  {summary}");
        if let Some((pn, ps)) = previous {
            let nlogn = (n as f64 * (n as f64).ln()) / (pn as f64 * (pn as f64).ln());
            println!(
                "  time ratio {:.2} for size ratio {:.1} (n log n ratio {nlogn:.2})",
                secs / ps,
                n as f64 / pn as f64
            );
        }
        previous = Some((n, secs));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
