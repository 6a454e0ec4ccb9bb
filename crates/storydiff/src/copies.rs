//! Near-duplicate detection: which articles of a pile are copies of one another (one wire
//! story republished, lightly edited, by many sites).
//!
//! Each article's body (site chrome set aside at ingest is not part of it) becomes a set of
//! word shingles: every run of [`SHINGLE`] consecutive lower-cased words, hashed to 64 bits
//! for the signature and cut to 32 for the exact comparison ([`set`]: two different shingles
//! match there about once in four billion, at half the memory and spill; on a pile of a million
//! generated articles that moved 109 reported similarities of copies, by at most 0.003).
//! A MinHash signature of [`HASHES`] values (fixed seeds, so the same on every machine and run)
//! is cut into [`BANDS`] bands of [`ROWS`] values; two articles that agree on a whole band
//! become candidates (locality-sensitive hashing: a pair with Jaccard similarity J is a
//! candidate with probability 1 − (1 − J⁴)³², 0.99 at J = 0.6, 0.03 at J = 0.2). Candidates are
//! confirmed by the exact Jaccard similarity of their shingle sets, at least
//! [`COPY_JACCARD`] (0.6): independently written reports of one event share well under 0.05 of their
//! shingles, a copy with a paragraph dropped or moved, a line added on top and a footer keeps
//! far more than half.
//!
//! Work stays linear in the pile: inside each band bucket every member is compared with one
//! leader (the member whose text hashes lowest), so an article costs at most [`BANDS`] exact
//! comparisons however many sites carry its story. Copy clusters are the connected components
//! of the confirmed pairs; each cluster's original is its earliest member (by stated date,
//! else input order), and every other member is reported with how much of it changed.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::model::Article;

/// Where copy detection reads the shingle set of an article by index (sorted, without
/// repeats: [`shingles`]): held in memory, or read back from a spill file by `storydiff batch`,
/// whose blocks can outgrow memory. Only candidate pairs and cluster members are read.
pub type ShingleSets<'s> = dyn Fn(usize) -> Cow<'s, [Shingle]> + Sync + 's;

/// A shingle as exact Jaccard compares it: the high 32 bits of its 64-bit hash.
pub type Shingle = u32;

/// Words per shingle.
pub const SHINGLE: usize = 4;
/// MinHash values per signature.
pub const HASHES: usize = BANDS * ROWS;
/// LSH bands.
pub const BANDS: usize = 32;
/// Values per band.
pub const ROWS: usize = 4;
/// Two articles whose shingle sets have at least this Jaccard similarity are copies.
///
/// 0.6: on METER (where newspapers reuse Press Association copy) 0.5 folded a few takes of
/// neighbouring stories and the grouping B-cubed F1 fell to 0.942; at 0.6 and 0.8 it is
/// 0.9435, against 0.9429 without copy detection.
pub const COPY_JACCARD: f64 = 0.6;

/// splitmix64 finaliser: a well-mixed 64-bit hash of a 64-bit value.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The shingle hashes of a text, sorted and without repeats. A text of fewer than
/// [`SHINGLE`] words has one shingle, of all its words (none for a text without words).
pub fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_lowercase();
            crate::normalize::fnv1a(lower.as_bytes())
        })
        .collect();
    let mut out: Vec<u64> = if words.is_empty() {
        Vec::new()
    } else if words.len() < SHINGLE {
        vec![words.iter().fold(0u64, |h, &w| mix(h ^ w))]
    } else {
        words
            .windows(SHINGLE)
            .map(|w| w.iter().fold(0u64, |h, &x| mix(h ^ x)))
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The body text of an article that shingles are taken from: its sentences.
pub fn body(a: &Article) -> String {
    let mut s = String::new();
    for sent in &a.sentences {
        s.push_str(&sent.text);
        s.push('\n');
    }
    s
}

/// The fixed multipliers and offsets of the MinHash functions (odd multipliers: each
/// function is a permutation of 64-bit values).
fn seeds() -> [(u64, u64); HASHES] {
    let mut out = [(0u64, 0u64); HASHES];
    let mut state = 0x5354_4f52_5944_4946u64; // "STORYDIF"
    for s in &mut out {
        state = mix(state);
        let a = state | 1;
        state = mix(state);
        *s = (a, state);
    }
    out
}

/// The LSH band keys of a shingle set: one 64-bit key per band (the band's index is part of
/// the key, so equal keys mean the same band agrees). An empty set has no keys.
pub fn band_keys(shingles: &[u64]) -> Vec<u64> {
    if shingles.is_empty() {
        return Vec::new();
    }
    let seeds = seeds();
    let mut mins = [u64::MAX; HASHES];
    for &x in shingles {
        for (m, &(a, b)) in mins.iter_mut().zip(seeds.iter()) {
            let h = a.wrapping_mul(x).wrapping_add(b);
            if h < *m {
                *m = h;
            }
        }
    }
    (0..BANDS)
        .map(|band| {
            mins[band * ROWS..(band + 1) * ROWS]
                .iter()
                .fold(mix(band as u64), |h, &v| mix(h ^ v))
        })
        .collect()
}

/// The set that exact Jaccard similarity is taken over: the high halves of sorted 64-bit
/// shingle hashes ([`shingles`]), still sorted, without repeats.
pub fn set(shingles: &[u64]) -> Vec<Shingle> {
    let mut out: Vec<Shingle> = shingles.iter().map(|&h| (h >> 32) as Shingle).collect();
    out.dedup();
    out
}

/// Exact Jaccard similarity and intersection size of two sorted shingle sets.
pub fn jaccard(a: &[Shingle], b: &[Shingle]) -> (f64, usize) {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        (1.0, 0)
    } else {
        (common as f64 / union as f64, common)
    }
}

pub use crate::model::{Copy, CopyCluster};

/// What copy detection keeps of each article for the whole pile (its shingles are read on
/// demand through [`ShingleSets`]).
pub struct Item<'a> {
    /// Band keys ([`band_keys`]).
    pub bands: &'a [u64],
    /// Stated date (ISO 8601 text compares in time order), if any.
    pub date: Option<&'a str>,
    /// The filing date of a wire header, if any: takes filed on different days are never
    /// copies of one another (a running story's next day is news of its own), even through
    /// an undated copy of both.
    pub filed: Option<&'a str>,
    /// A hash of the text: the leader of a bucket is the member with the lowest, so the
    /// clusters do not depend on input order.
    pub tiebreak: u64,
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// A bucket with at least this many pairs to compare compares them in parallel.
const PARALLEL_BUCKET: usize = 16;

/// About how many band entries [`clusters`] sorts at once (1M articles hold 32M).
const PART_ENTRIES: usize = 1 << 22;

/// Clusters of copies among `items`, as member lists (ascending, at least two members each),
/// in order of their first member. Every item not listed is an original with no copies.
pub fn clusters(items: &[Item], sets: &ShingleSets) -> Vec<Vec<usize>> {
    clusters_in_parts(items, sets, PART_ENTRIES)
}

/// The copy components found so far: union-find over articles, with the filing date of each
/// component at its root, and the pairs already compared.
struct Components<'a> {
    parent: Vec<usize>,
    filed: Vec<Option<&'a str>>,
    checked: rustc_hash::FxHashSet<(usize, usize)>,
}

impl<'a> Components<'a> {
    /// Compare the members of one band bucket (a run of equal keys, members in input order)
    /// with its leader, the member whose text hashes lowest, and join the copies.
    fn take_bucket(&mut self, bucket: &[(u64, u32)], items: &[Item<'a>], sets: &ShingleSets) {
        if bucket.len() < 2 {
            return;
        }
        let leader = bucket
            .iter()
            .map(|&(_, m)| m as usize)
            .min_by_key(|&m| (items[m].tiebreak, m))
            .unwrap_or(bucket[0].1 as usize);
        let (parent, filed) = (&mut self.parent, &mut self.filed);
        // The pairs this bucket may test, found before any of them joins a cluster (joining
        // only ever rules pairs out), have their sets compared in parallel; then they are
        // taken in order, as if each were compared when reached.
        let mut want: Vec<usize> = Vec::new();
        for &(_, m) in bucket {
            let m = m as usize;
            if m == leader {
                continue;
            }
            let (a, b) = (m.min(leader), m.max(leader));
            let (ra, rb) = (find(parent, a), find(parent, b));
            if ra == rb || self.checked.contains(&(a, b)) {
                continue;
            }
            if let (Some(x), Some(y)) = (filed[ra], filed[rb]) {
                if x != y {
                    continue;
                }
            }
            want.push(m);
        }
        if want.is_empty() {
            return;
        }
        want.dedup();
        let l = sets(leader);
        let is_copy = |&m: &usize| jaccard(&l, &sets(m)).0 >= COPY_JACCARD;
        let copy: Vec<bool> = if want.len() >= PARALLEL_BUCKET {
            want.par_iter().map(is_copy).collect()
        } else {
            want.iter().map(is_copy).collect()
        };
        for &(_, m) in bucket {
            let m = m as usize;
            if m == leader {
                continue;
            }
            let (a, b) = (m.min(leader), m.max(leader));
            if find(parent, a) == find(parent, b) || !self.checked.insert((a, b)) {
                continue;
            }
            let (ra, rb) = (find(parent, a), find(parent, b));
            if let (Some(x), Some(y)) = (filed[ra], filed[rb]) {
                if x != y {
                    continue;
                }
            }
            if want.binary_search(&m).is_ok_and(|k| copy[k]) {
                let (root, child) = (ra.min(rb), ra.max(rb));
                parent[child] = root;
                filed[root] = filed[root].or(filed[child]);
            }
        }
    }
}

/// [`clusters`], sorting about `part_entries` band entries at once.
fn clusters_in_parts(items: &[Item], sets: &ShingleSets, part_entries: usize) -> Vec<Vec<usize>> {
    let n = items.len();
    let mut found = Components {
        parent: (0..n).collect(),
        filed: items.iter().map(|it| it.filed).collect(),
        checked: Default::default(),
    };
    // Band buckets as sorted lists of (key, member): a bucket is a run of equal keys, its
    // members in input order. (A map of vectors costs several times more per entry, and a
    // flood of a million copies holds tens of millions of band entries.) A big pile's entries
    // are taken a range of keys at a time (by their top `bits`), in key order, into one reused
    // buffer: the buckets come in the same order as from one sorted list, without holding it
    // all at once.
    let total: usize = items.iter().map(|it| it.bands.len()).sum();
    let bits = (total / part_entries.max(1))
        .max(1)
        .next_power_of_two()
        .trailing_zeros();
    let part_of = |k: u64| k.checked_shr(64 - bits).unwrap_or(0) as usize;
    let mut entries: Vec<(u64, u32)> =
        Vec::with_capacity(total.min(part_entries.saturating_mul(2)));
    for part in 0..1usize << bits {
        entries.clear();
        entries.par_extend(items.par_iter().enumerate().flat_map_iter(|(i, it)| {
            it.bands
                .iter()
                .filter(move |&&k| part_of(k) == part)
                .map(move |&k| (k, i as u32))
        }));
        entries.par_sort_unstable();
        for bucket in entries.chunk_by(|x, y| x.0 == y.0) {
            found.take_bucket(bucket, items, sets);
        }
    }
    drop(entries);
    let mut parent = found.parent;
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut out {
        g.sort_unstable();
    }
    out.sort_by_key(|g| g[0]);
    out
}

/// The original of a cluster: the earliest stated date, then the first in input order (an
/// article with a date comes before one without).
pub fn original(members: &[usize], items: &[Item]) -> usize {
    members
        .iter()
        .copied()
        .min_by(|&x, &y| {
            let key = |i: usize| (items[i].date.is_none(), items[i].date, i);
            key(x).cmp(&key(y))
        })
        .unwrap_or(0)
}

/// Describe one cluster: its original and how much every copy changed against it.
pub fn describe(
    members: &[usize],
    items: &[Item],
    sets: &ShingleSets,
    labels: &[String],
) -> CopyCluster {
    describe_with_original(members, original(members, items), items, sets, labels)
}

/// [`describe`] with the original chosen by the caller (`orig`, one of `members`): `compare`
/// folds the base's copies into the base, whatever their order.
pub fn describe_with_original(
    members: &[usize],
    orig: usize,
    items: &[Item],
    sets: &ShingleSets,
    labels: &[String],
) -> CopyCluster {
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let o = sets(orig);
    let copies = members
        .iter()
        .copied()
        .filter(|&m| m != orig)
        .map(|m| {
            let c = sets(m);
            let (sim, common) = jaccard(&o, &c);
            let share = |part: usize, whole: usize| {
                if whole == 0 {
                    0.0
                } else {
                    part as f64 / whole as f64
                }
            };
            Copy {
                member: m,
                label: labels[m].clone(),
                similarity: round(sim),
                dropped: round(share(o.len() - common, o.len())),
                added: round(share(c.len() - common, c.len())),
            }
        })
        .collect();
    CopyCluster {
        original: orig,
        label: labels[orig].clone(),
        date: items[orig].date.map(str::to_string),
        copies,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const STORY: &str =
        "Russia's foreign minister said on Friday that Moscow was ready for \
        any turn of events while it waits for written answers from Washington and NATO. \
        He told reporters the talks in Geneva had shown the two sides far apart on every \
        point of substance. The ministry will publish its proposals in full next week, \
        a spokeswoman added, and the envoys will meet again in Vienna on Thursday.";

    fn item<'a>(bands: &'a [u64], date: Option<&'a str>, t: u64) -> Item<'a> {
        Item {
            bands,
            date,
            filed: None,
            tiebreak: t,
        }
    }

    #[test]
    fn shingles_are_word_runs_case_and_punctuation_blind() {
        assert_eq!(shingles("A b, C d!"), shingles("a B c D"));
        assert_eq!(shingles("one two three four five").len(), 2);
        assert_eq!(shingles("just two").len(), 1);
        assert!(shingles(" ,. ").is_empty());
        assert!(band_keys(&[]).is_empty());
    }

    #[test]
    fn the_compared_set_is_the_high_halves_sorted_without_repeats() {
        let sh = [
            0x0000_0001_0000_0005,
            0x0000_0001_ffff_ffff,
            0x0000_0002_0000_0000,
        ];
        assert_eq!(set(&sh), vec![1, 2]);
        let words = shingles("the quick brown fox jumps over the lazy dog");
        let halves = set(&words);
        assert!(halves.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(halves.len(), words.len());
    }

    #[test]
    fn jaccard_counts_shared_shingles() {
        assert_eq!(jaccard(&[1, 2, 3, 4], &[3, 4, 5]), (0.4, 2));
        assert_eq!(jaccard(&[], &[]), (1.0, 0));
    }

    #[test]
    fn a_lightly_edited_copy_is_found_and_an_unrelated_text_is_not() {
        let edited = format!(
            "Updated at noon.\n{} Follow us on every network.",
            STORY.replace("a spokeswoman added, ", "")
        );
        let other = "Heavy rain flooded the lower town overnight and the river rose two \
            metres above its usual level, the mayor said, closing schools and the bridge.";
        let texts = [STORY.to_string(), other.to_string(), edited];
        let sh: Vec<Vec<u64>> = texts.iter().map(|t| shingles(t)).collect();
        let bands: Vec<Vec<u64>> = sh.iter().map(|s| band_keys(s)).collect();
        let sh: Vec<Vec<Shingle>> = sh.iter().map(|s| set(s)).collect();
        let (j, _) = jaccard(&sh[0], &sh[2]);
        assert!(j > 0.6 && j < 1.0, "{j}");
        // The copy carries a date earlier than the first article: it is the original.
        let items: Vec<Item> = (0..3)
            .map(|i| {
                let date = (i == 2).then_some("2022-01-14T08:00:00Z");
                item(&bands[i], date, i as u64)
            })
            .collect();
        let sets = |i: usize| Cow::Borrowed(&sh[i][..]);
        let found = clusters(&items, &sets);
        assert_eq!(found, vec![vec![0, 2]]);
        let labels: Vec<String> = ["wire", "flood", "site"].map(String::from).to_vec();
        let c = describe(&found[0], &items, &sets, &labels);
        assert_eq!((c.original, c.label.as_str()), (2, "site"));
        assert_eq!(c.date.as_deref(), Some("2022-01-14T08:00:00Z"));
        assert_eq!(c.copies.len(), 1);
        assert_eq!(c.copies[0].member, 0);
        assert!(c.copies[0].dropped > 0.0 && c.copies[0].added > 0.0);
        // Without dates the first in input order is the original.
        let undated: Vec<Item> = (0..3)
            .map(|i| item(&bands[i], None, 10 - i as u64))
            .collect();
        assert_eq!(describe(&found[0], &undated, &sets, &labels).original, 0);
        // Same clusters whatever the tie-breaking hashes.
        assert_eq!(clusters(&undated, &sets), found);
    }

    #[test]
    fn a_thousand_copies_form_one_cluster() {
        let texts: Vec<String> = (0..1000)
            .map(|k| format!("Site number {k} reports. {STORY}"))
            .collect();
        let sh: Vec<Vec<u64>> = texts.iter().map(|t| shingles(t)).collect();
        let bands: Vec<Vec<u64>> = sh.iter().map(|s| band_keys(s)).collect();
        let sh: Vec<Vec<Shingle>> = sh.iter().map(|s| set(s)).collect();
        let items: Vec<Item> = (0..1000)
            .map(|i| item(&bands[i], None, mix(i as u64)))
            .collect();
        let found = clusters(&items, &|i| Cow::Borrowed(&sh[i][..]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), 1000);
    }

    #[test]
    fn band_entries_taken_a_range_of_keys_at_a_time_give_the_same_clusters() {
        let texts: Vec<String> = (0..60)
            .map(|k| match k % 3 {
                0 => format!("Site {k} reports. {STORY}"),
                1 => format!("{STORY} Copyright site {k}."),
                _ => format!(
                    "Story {k}: the river rose {k} metres and the bridge at mile {k} closed."
                ),
            })
            .collect();
        let sh: Vec<Vec<u64>> = texts.iter().map(|t| shingles(t)).collect();
        let bands: Vec<Vec<u64>> = sh.iter().map(|s| band_keys(s)).collect();
        let sh: Vec<Vec<Shingle>> = sh.iter().map(|s| set(s)).collect();
        let filed =
            |i: usize| (i % 7 == 0).then_some(if i % 2 == 0 { "16/07/99" } else { "17/07/99" });
        let items: Vec<Item> = (0..60)
            .map(|i| Item {
                filed: filed(i),
                ..item(&bands[i], None, mix(i as u64))
            })
            .collect();
        let sets = |i: usize| Cow::Borrowed(&sh[i][..]);
        let whole = clusters_in_parts(&items, &sets, usize::MAX);
        assert!(!whole.is_empty());
        for part in [1, 7, 100] {
            assert_eq!(clusters_in_parts(&items, &sets, part), whole, "{part}");
        }
    }

    #[test]
    fn takes_filed_on_different_days_are_not_copies_even_through_an_undated_one() {
        let sh = shingles(STORY);
        let bands = band_keys(&sh);
        let sh = set(&sh);
        let filed = [Some("16/07/99"), None, Some("19/07/99"), Some("16/07/99")];
        let items: Vec<Item> = (0..4)
            .map(|i| Item {
                filed: filed[i],
                ..item(&bands, None, i as u64)
            })
            .collect();
        assert_eq!(
            clusters(&items, &|_| Cow::Borrowed(&sh[..])),
            vec![vec![0, 1, 3]]
        );
    }
}
