//! Piles of republished copies, generated (never committed): each fixture copied by many
//! sites, lightly edited as republishers do: a paragraph dropped or moved, a new first line,
//! a site footer. Shared by the CLI tests and the scale benchmark (`#[path]` include).

#![allow(dead_code)]

use std::path::Path;

/// The five fixtures: (file name, text).
pub fn fixtures(root: &Path) -> Vec<(String, String)> {
    FIXTURES
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(root.join("fixtures").join(f))
                .unwrap_or_else(|e| panic!("{f}: {e}"));
            (stem(f).to_string(), text)
        })
        .collect()
}

const FIXTURES: [&str; 5] = [
    "lavrov-2022-01-14/kuna.txt",
    "lavrov-2022-01-14/epa.txt",
    "lavrov-2022-01-14/brasov.txt",
    "other-events/nato-russia-council-2022-01-12.txt",
    "other-events/aa-lavrov-reports-to-putin-2022-02-14.txt",
];

fn stem(f: &str) -> &str {
    f.rsplit('/').next().unwrap_or(f).trim_end_matches(".txt")
}

/// The fixture's name with the day its path names (the Jan-14 articles' folder names it):
/// copies keep the date their original's path gave it.
fn dated(name: &str) -> String {
    let day = FIXTURES
        .iter()
        .find(|f| stem(f) == name)
        .and_then(|f| storydiff::ingest::path_date(f));
    match day {
        Some(d) if !name.contains(d.as_str()) => format!("{name}-{d}"),
        _ => name.to_string(),
    }
}

/// The event of each fixture: the three Lavrov write-ups are one.
pub fn fixture_event(name: &str) -> usize {
    match name {
        "kuna" | "epa" | "brasov" => 0,
        n if n.starts_with("nato") => 1,
        _ => 2,
    }
}

/// splitmix64: fixed seed, the same on every machine.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SITES: &[&str] = &[
    "Daily", "Courier", "Herald", "Post", "Gazette", "Observer", "Tribune", "Express", "Monitor",
    "Review",
];
const TOWNS: &[&str] = &[
    "Northfield",
    "Riverton",
    "Lakeside",
    "Hillcrest",
    "Bayview",
    "Westbrook",
    "Ashford",
    "Kingsport",
];

/// One site's name, from its number.
pub fn site(k: usize) -> String {
    format!(
        "{} {} {}",
        TOWNS[k % TOWNS.len()],
        SITES[(k / TOWNS.len()) % SITES.len()],
        k
    )
}

/// A lightly edited copy of `text` by site `k`: one paragraph dropped or moved, a new first
/// line, a site footer.
pub fn copy(text: &str, k: usize, rng: &mut Rng) -> String {
    let mut paras: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if paras.len() > 3 {
        let i = 1 + rng.below(paras.len() - 1);
        let p = paras.remove(i);
        if rng.below(2) == 0 {
            let j = 1 + rng.below(paras.len() - 1);
            paras.insert(j, p);
        }
    }
    let name = site(k);
    let first = match rng.below(3) {
        0 => format!("{name} | World news"),
        1 => format!(
            "Updated {}:{:02} by the {name} desk",
            rng.below(24),
            rng.below(60)
        ),
        _ => format!("Breaking from {name}"),
    };
    let footer = format!(
        "© 2022 {name}. All rights reserved. Follow {name} on social media and subscribe to our newsletter."
    );
    format!("{first}\n\n{}\n\n{footer}\n", paras.join("\n\n"))
}

/// `per` copies of each fixture, as (file name, fixture name, text), in a shuffled but
/// fixed order, with the originals among them.
pub fn copy_pile(root: &Path, per: usize, seed: u64) -> Vec<(String, String, String)> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    for (name, text) in fixtures(root) {
        let file = dated(&name);
        out.push((format!("{file}-original.txt"), name.clone(), text.clone()));
        for k in 1..per {
            out.push((
                format!("{file}-copy{k:04}.txt"),
                name.clone(),
                copy(&text, k, &mut rng),
            ));
        }
    }
    // Fisher-Yates with the fixed generator.
    for i in (1..out.len()).rev() {
        let j = rng.below(i + 1);
        out.swap(i, j);
    }
    out
}

/// B-cubed precision, recall and F1 of `clusters` (lists of gold labels) against the gold.
pub fn bcubed(clusters: &[Vec<usize>]) -> (f64, f64, f64) {
    use std::collections::HashMap;
    let mut gold_size: HashMap<usize, usize> = HashMap::new();
    for c in clusters {
        for &g in c {
            *gold_size.entry(g).or_default() += 1;
        }
    }
    let n: usize = clusters.iter().map(Vec::len).sum();
    let (mut p, mut r) = (0.0, 0.0);
    for c in clusters {
        let mut by: HashMap<usize, usize> = HashMap::new();
        for &g in c {
            *by.entry(g).or_default() += 1;
        }
        for (g, k) in by {
            p += (k * k) as f64 / c.len() as f64;
            r += (k * k) as f64 / gold_size[&g] as f64;
        }
    }
    let (p, r) = (p / n.max(1) as f64, r / n.max(1) as f64);
    (
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    )
}

// Synthetic events (the same edits as benches/group_scale.rs): a fixture with its names,
// numbers and weekdays replaced, then outlets' versions of it.

use std::collections::BTreeMap;

impl Rng {
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() % 10_000) as f64 / 10_000.0 < p
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mir", "sev", "tan", "vor", "dri", "pol", "zen", "ruk", "bel", "gor", "ish", "nov",
    "pet", "sha", "vla", "dim", "ost", "len",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const SYNONYMS: &[(&str, &str)] = &[
    ("said", "stated"),
    ("talks", "negotiations"),
    ("answers", "responses"),
    ("troops", "forces"),
    ("warned", "cautioned"),
    ("meeting", "talks"),
    ("border", "frontier"),
    ("expand", "enlarge"),
];

pub fn name(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s: String = (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect();
    if let Some(f) = s.get_mut(0..1) {
        f.make_ascii_uppercase();
    }
    s + ["ov", "enko", "ski", "in", "ev"][rng.below(5)]
}

/// One synthetic event: the template's capitalised words, numbers and weekdays replaced.
pub fn make_event(template: &str, rng: &mut Rng) -> String {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    let day = WEEKDAYS[rng.below(7)];
    let mut out = String::with_capacity(template.len());
    for (k, word) in template.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let core: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
        let is_day = WEEKDAYS.contains(&core.as_str());
        let replace_name = core.len() > 3
            && core.chars().next().is_some_and(char::is_uppercase)
            && core.chars().skip(1).all(char::is_lowercase)
            && !is_day
            && rng.chance(0.8);
        if is_day {
            out.push_str(&word.replace(&core, day));
        } else if core.chars().all(|c| c.is_ascii_digit()) && !core.is_empty() {
            let n = rng.below(900) + 2;
            out.push_str(&word.replace(&core, &n.to_string()));
        } else if replace_name {
            let new = map.entry(core.clone()).or_insert_with(|| name(rng)).clone();
            out.push_str(&word.replace(&core, &new));
        } else {
            out.push_str(word);
        }
    }
    out
}

/// One outlet's version of an event.
pub fn make_version(event: &str, rng: &mut Rng) -> String {
    let mut paras: Vec<String> = event
        .split("\n\n")
        .map(str::to_string)
        .filter(|p| !p.trim().is_empty())
        .collect();
    // Drop some paragraphs (never the first), swap a neighbouring pair, reword, transliterate.
    let keep_first = paras.first().cloned();
    paras = paras
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || !rng.chance(0.25))
        .map(|x| x.1)
        .collect();
    if paras.is_empty() {
        paras.extend(keep_first);
    }
    if paras.len() > 3 {
        let i = 1 + rng.below(paras.len() - 2);
        paras.swap(i, i + 1);
    }
    let mut text = paras.join("\n\n");
    for (a, b) in SYNONYMS {
        if rng.chance(0.3) {
            text = text.replace(a, b);
        }
    }
    if rng.chance(0.3) {
        text = text.replace("y", "i");
    }
    text
}
