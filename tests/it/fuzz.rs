//! Fuzzing with a structured generator of hostile but realistic news text (`gen.rs`): every
//! property of `checks.rs` on a short run, through the library and through the binary. The
//! long campaign is `scripts/fuzz` (`benches/fuzz.rs`, the same generator and checks).
//!
//! Runs are deterministic: `FUZZ_SEED` (default 1) picks the cases, `FUZZ_CASES` (default
//! 64) and `FUZZ_BIN_CASES` (default 8) how many. A failure is shrunk to a minimal input of
//! the same failure (proptest shrinking, then deleting text; `FUZZ_SHRINK_SECS`, default 30,
//! for each), which the panic message shows.

use std::path::Path;
use std::time::Duration;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::checks::{self, Stats, Violation};
use crate::gen::{self, Case};

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(seed: u64) -> TestRunner {
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &checks::seed_bytes(seed)),
    )
}

/// Check `cases` generated cases; on the first failure shrink it and fail with the minimal
/// input. Returns the summed stats.
fn fuzz(cases: u64, check: impl Fn(&Case) -> Result<Stats, Violation>) -> Stats {
    let seed = env_num("FUZZ_SEED", 1);
    let strategy = gen::case();
    let mut runner = runner(seed);
    let mut total = Stats::default();
    for n in 0..cases {
        let mut tree = strategy
            .new_tree(&mut runner)
            .unwrap_or_else(|e| panic!("{e}"));
        match check(&tree.current()) {
            Ok(s) => {
                total.bodies += s.bodies;
                total.links += s.links;
                total.findings += s.findings;
            }
            Err(v) => {
                let secs = env_num("FUZZ_SHRINK_SECS", 30);
                let (min, v, tried) = checks::minimize(
                    &mut tree,
                    v,
                    |c| check(c).err(),
                    5000,
                    Duration::from_secs(secs),
                );
                let (min, v, cut) =
                    checks::reduce_text(min, v, |c| check(c).err(), Duration::from_secs(secs));
                panic!(
                    "case {n} of FUZZ_SEED={seed} broke {}\n{}\n\nminimal input ({tried} shrink steps, {cut} text cuts):\n{min:?}",
                    v.signature(),
                    v.detail
                );
            }
        }
    }
    total
}

#[test]
fn generated_articles_keep_every_library_property() {
    let total = fuzz(env_num("FUZZ_CASES", 64), checks::check_library);
    // The generator is only worth something if the cases link and produce findings.
    assert!(total.links > 0 && total.findings > 0, "{total:?}");
}

#[test]
fn generated_articles_through_the_binary_in_every_format() {
    let exe = Path::new(env!("CARGO_BIN_EXE_storydiff"));
    let dir = std::env::temp_dir().join(format!("storydiff-fuzz-test-{}", std::process::id()));
    fuzz(env_num("FUZZ_BIN_CASES", 8), |case| {
        checks::check_binary(exe, case, &dir, None).map(|_| Stats::default())
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// The generator makes what it promises: in a sample, pronoun sentences after a named
/// source, curly quotes, zero-width and bidi controls, odd line breaks, non-Latin scripts,
/// boilerplate, datelines and shared sentences between articles.
#[test]
fn generator_covers_the_hostile_shapes() {
    let strategy = gen::case();
    let mut runner = runner(7);
    let cases: Vec<Case> = (0..200)
        .map(|_| {
            strategy
                .new_tree(&mut runner)
                .unwrap_or_else(|e| panic!("{e}"))
                .current()
        })
        .collect();
    let texts: Vec<&str> = cases
        .iter()
        .flat_map(|c| c.articles.iter().map(String::as_str))
        .collect();
    for needle in [
        " said. He said ",
        "\u{201c}",
        "\u{2019}",
        "U.S.",
        "Jan.",
        "%",
        "(KUNA) --",
        "Photo: ",
        "Read also: ",
        "\u{200b}",
        "\u{202e}",
        "\u{2066}",
        "\u{301}",
        "\r\n",
        "\u{2028}",
        "Лавров",
        "لافروف",
        "拉夫罗夫",
        "\u{1b}",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(needle)),
            "no generated article contains {needle:?}"
        );
    }
    assert!(texts.iter().any(|t| t.len() > 3000), "no long article");
    assert!(
        texts
            .iter()
            .any(|t| t.split_whitespace().any(|w| w.len() > 300)),
        "no long word"
    );
    // Later articles share sentences with the first.
    let shared = cases
        .iter()
        .filter(|c| {
            let first: std::collections::HashSet<&str> = c.articles[0]
                .split(['.', '\n'])
                .filter(|s| s.len() > 20)
                .collect();
            c.articles[1..]
                .iter()
                .any(|a| a.split(['.', '\n']).any(|s| first.contains(s)))
        })
        .count();
    assert!(
        shared > cases.len() / 2,
        "{shared} of {} cases share a sentence",
        cases.len()
    );
}
