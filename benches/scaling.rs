//! Growth benchmark: `storydiff compare` on hostile and large inputs at two sizes, n and 4n.
//! A stage that is linear takes about 4 times as long at 4n; a quadratic one about 16 times.
//! Shapes that made a stage quadratic until they were fixed: a reporting verb after every name,
//! a two-word name repeated, two long unclosed quotes (8.8, 15.4 and 12.5 times then);
//! repeated sentences one per line (every copy related to every copy); one word and a full
//! stop repeated (the terminal row builder scanned back for each added sentence); a different
//! name per sentence (name clustering was pairwise per first letter). A long capitalised run
//! before the verbs guards the bound on name runs, many short quotes against one long quote the
//! quote matcher's piece index; ordinary sentences one per line, CJK without spaces and many
//! short paragraphs are everyday large inputs. Prints the best of three runs per size and the
//! ratio; with `--assert`, exits
//! non-zero when a ratio exceeds [`MAX_RATIO`].
//! Run with `cargo bench --bench scaling -- --assert` (release profile).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Above this growth for 4 times the input, a stage is taken to be worse than linear (a
/// linear one gives about 4, a quadratic one about 16; the margin absorbs a noisy machine).
const MAX_RATIO: f64 = 8.0;

/// One hostile input shape: a name, a generator of its text at size `n`, and the output
/// format it is timed in.
type Case = (&'static str, fn(usize) -> String, &'static str);

/// An ordinary news sentence, different for every `i` (names, numbers and word order vary),
/// so a long article of them is like real text rather than one sentence repeated.
fn ordinary(i: usize) -> String {
    const WHO: &[&str] = &[
        "Lavrov",
        "Blinken",
        "Peskov",
        "Stoltenberg",
        "Ryabkov",
        "Sherman",
    ];
    const WHAT: &[&str] = &[
        "security guarantees",
        "troop movements",
        "the missile treaty",
        "sanctions",
        "gas supplies",
        "the border talks",
    ];
    const WHERE: &[&str] = &["Geneva", "Brussels", "Moscow", "Vienna", "Kyiv", "Warsaw"];
    format!(
        "{} said on day {} in {} that {} would be discussed again after {} rounds.",
        WHO[i % WHO.len()],
        i % 31 + 1,
        WHERE[(i / 6) % WHERE.len()],
        WHAT[(i / 36) % WHAT.len()],
        i % 7 + 2
    )
}

/// A made-up surname for every `i` (base-20 digits as syllables), all different.
fn surname(mut i: usize) -> String {
    const SYL: &[&str] = &[
        "ka", "lo", "mi", "nu", "pe", "ra", "so", "ti", "vu", "ze", "bar", "dan", "fel", "gor",
        "han", "jul", "kov", "lin", "mar", "nik",
    ];
    let mut s = String::from("Z");
    for _ in 0..4 {
        s.push_str(SYL[i % SYL.len()]);
        i /= SYL.len();
    }
    s
}

const CASES: &[Case] = &[
    (
        "'Lavrov said, ' repeated, one sentence",
        |n| "Lavrov said, ".repeat(n) + "end.\n",
        "json",
    ),
    (
        "'United States ' repeated, one sentence",
        |n| "United States ".repeat(n) + "said it.\n",
        "json",
    ),
    (
        "capitalised words, then reporting verbs",
        |n| "Lavrov ".repeat(n) + &"said ".repeat(n) + "it.\n",
        "json",
    ),
    (
        "an unclosed quote of n sentences",
        |n| {
            let mut s = String::from("Lavrov said: \"");
            for i in 0..n / 4 {
                s.push_str(&format!(
                    "Russia will not wait for answer number {i} from NATO. "
                ));
            }
            s + "\n"
        },
        "json",
    ),
    (
        "short quotes, then one long unclosed quote",
        |n| {
            let mut s = String::new();
            for i in 0..n / 8 {
                s.push_str(&format!("\"Answer {i} from NATO is late,\" he said. "));
            }
            s.push_str("Lavrov said: \"");
            for i in 0..n / 8 {
                s.push_str(&format!("Russia will not wait for answer {i} from NATO. "));
            }
            s + "\n"
        },
        "json",
    ),
    (
        "ordinary sentences, one per line",
        |n| (0..n / 4).map(|i| ordinary(i) + "\n").collect(),
        "json",
    ),
    (
        "repeated sentences, one per line",
        |n| "Lavrov met Blinken in Geneva on Friday.\n".repeat(n / 4),
        "json",
    ),
    (
        "one word and a full stop repeated, terminal view",
        |n| "Word. ".repeat(n) + "\n",
        "terminal",
    ),
    (
        "a different name in every sentence (name clustering)",
        |n| {
            (0..n / 4)
                .map(|i| {
                    format!(
                        "Minister {} met {} in Geneva.\n",
                        surname(i),
                        surname(i + n)
                    )
                })
                .collect()
        },
        "json",
    ),
    (
        "counts, dates and day lists in one sentence",
        |n| "12 people died on 3, 4 and 5 June, 7 more on June 9, 10 and 11, ".repeat(n / 8) + "\n",
        "json",
    ),
    (
        "CJK text without spaces",
        |n| "俄罗斯外长拉夫罗夫周五表示俄方正在等待书面答复".repeat(n / 5) + "。\n",
        "json",
    ),
    (
        "many short paragraphs",
        |n| {
            (0..n / 4)
                .map(|i| format!("Talks {i} ended.\n\n"))
                .collect()
        },
        "json",
    ),
];

fn best_of_three(exe: &str, format: &str, files: &[&Path]) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let mut cmd = Command::new(exe);
            // The lexical scorer: the semantic one reads big inputs only within its budget.
            cmd.env("STORYDIFF_SCORER", "lexical");
            cmd.args(["compare", "--format", format]);
            if format == "terminal" {
                cmd.args(["--color", "always", "--width", "100"]);
            }
            let status = cmd.args(files).stdout(Stdio::null()).status();
            match status {
                Ok(s) if s.success() => start.elapsed(),
                other => {
                    eprintln!("storydiff failed on {files:?}: {other:?}");
                    std::process::exit(1);
                }
            }
        })
        .min()
        .unwrap_or_default()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Err(e) = std::fs::write(&p, text) {
        eprintln!("{}: cannot write: {e}", p.display());
        std::process::exit(1);
    }
    p
}

fn main() {
    let assert = std::env::args().any(|a| a == "--assert");
    let exe = env!("CARGO_BIN_EXE_storydiff");
    let dir = std::env::temp_dir().join(format!("storydiff-scaling-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: cannot create: {e}", dir.display());
        std::process::exit(1);
    }
    let n = 5_000;
    let mut ok = true;
    for (name, make, format) in CASES {
        let mut times = Vec::new();
        for size in [n, 4 * n] {
            // The same shape on both sides, the second a little different (a sentence more,
            // and "the alliance" for "NATO" where it occurs), so the aligner and the quote
            // matcher have work to do.
            let a = write(&dir, "a.txt", &make(size));
            let b = write(
                &dir,
                "b.txt",
                &(make(size).replace("NATO", "the alliance") + "Talks went on in Geneva.\n"),
            );
            times.push(best_of_three(exe, format, &[&a, &b]));
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let ratio = times[1].as_secs_f64() / times[0].as_secs_f64().max(1e-3);
        let verdict = if ratio <= MAX_RATIO {
            "ok"
        } else {
            ok = false;
            "WORSE THAN LINEAR"
        };
        println!(
            "{name:<55} n {:>8.1} ms  4n {:>8.1} ms  ratio {ratio:>5.1}  {verdict}",
            ms(times[0]),
            ms(times[1])
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    if assert && !ok {
        eprintln!("scaling: a stage grows faster than {MAX_RATIO}x for 4x the input");
        std::process::exit(1);
    }
}
