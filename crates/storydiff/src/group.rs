//! Event grouping: which articles of a pile report the same event.
//!
//! Each article becomes an L2-normalised TF-IDF vector over event evidence: stems of content
//! words, canonical numbers, names (transliteration-folded) and stated dates, with names,
//! numbers and dates weighted up, since they separate one event from another where the common
//! vocabulary of a long-running story ("Russia", "NATO", "security") does not. IDF comes from
//! the pile set in a fixed background ([`GroupParams::background`]), so that adding unrelated
//! articles to a pile, or grouping one story's folder alone, does not change the weights.
//!
//! Near-linear by construction: candidate pairs come from an inverted index over each article's
//! most specific terms (terms in more than [`GroupParams::max_postings`] articles are never
//! keys), each article keeps its [`GroupParams::candidates`] best candidates, and only those
//! pairs are scored exactly. Groups are then formed by average-link agglomeration over that
//! sparse graph (a missing pair counts as similarity 0), merging while the average similarity
//! between two groups reaches [`GroupParams::min_similarity`], the one decision threshold.
//! Dates are evidence, as hard rules on top: wire takes whose headers (`Slug` lines set aside
//! at ingest) stamp different filing dates are never merged — a running story's next day is a
//! new event, and the articles that carry no header join whichever day they resemble most; and
//! groups whose publication days (a page's stated date, a feed line's `date`, else a date in
//! the path) lie more than a week apart, or differ and put their events on different weekdays,
//! are never merged.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::analyse::facts::{self, DateKind};
use crate::copies::{self, CopyCluster, ShingleSets};
use crate::model::Article;
use crate::normalize::fnv1a;
use crate::normalize::{self, TokenClass};
use crate::progress::Progress;

/// The numbers grouping decides by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupParams {
    /// Two groups merge while the average cosine similarity between their members reaches
    /// this (`--min-similarity`). The default 0.05 is the middle of the thresholds that score
    /// best on news_ecb DEV topics 1–22 (`cargo bench --bench group_quality`).
    pub min_similarity: f64,
    /// Weight factor for names.
    pub name_boost: f64,
    /// Weight factor for numbers.
    pub number_boost: f64,
    /// Weight factor for stated dates ("january 14").
    pub date_boost: f64,
    /// Similarity factor for two articles whose first-named weekdays differ. (Two articles
    /// whose wire headers stamp different filing dates are never grouped at all.)
    pub weekday_conflict: f64,
    /// How many times a word of the headline and lead (first sentences) counts.
    pub lead_weight: u32,
    /// How many of an article's most specific terms are used to find candidates.
    pub keys: usize,
    /// Terms in more articles than this are not used to find candidates. A fixed cap keeps
    /// the candidate work per article constant, so grouping time grows linearly once the
    /// pile is large (150: 50,000 articles in 33 s, against 45 s and a faster-than-n·log n
    /// rise at 400; news_ecb and METER scores unchanged).
    pub max_postings: usize,
    /// How many candidates each article keeps for exact scoring.
    pub candidates: usize,
    /// IDF counts this many articles besides the pile, holding none of its terms, so that a
    /// term's weight rests on how many articles of the pile use it, not on how many the pile
    /// has: with IDF from the pile alone, a folder of one story weighs the story's own words
    /// down (and split 38 of the 43 news_ecb topics, each one event, when grouped alone), and
    /// adding unrelated articles weighs them up again (and merged the seeds' three events when
    /// the web fixtures joined them). With 300, every news_ecb topic grouped alone is one event,
    /// and news_ecb TEST and METER score as before (`cargo bench --bench group_quality`).
    pub background: f64,
}

impl Default for GroupParams {
    fn default() -> Self {
        GroupParams {
            min_similarity: 0.05,
            name_boost: 1.5,
            number_boost: 1.2,
            date_boost: 1.5,
            weekday_conflict: 0.4,
            lead_weight: 10,
            keys: 40,
            max_postings: 150,
            candidates: 40,
            background: 300.0,
        }
    }
}

/// One event: the articles that report it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Indices of the member articles (input order), ascending.
    pub members: Vec<usize>,
    /// Labels of the members.
    pub labels: Vec<String>,
    /// Paths of the members.
    pub paths: Vec<String>,
    /// The most representative member's first sentence (its headline or lead).
    pub title: String,
    /// Terms most members share, most weighty first (as written in the first member using them).
    pub key_terms: Vec<String>,
    /// Names most members share.
    pub names: Vec<String>,
    /// Dates the members state ("january 14"), most frequent first.
    pub dates: Vec<String>,
    /// Average pairwise cosine similarity of the members (1 for a single article).
    pub cohesion: f64,
    /// The copy clusters among the members: which are copies of which original.
    #[serde(default)]
    pub copies: Vec<CopyCluster>,
}

/// Sparse L2-normalised vector: sorted (term id, weight).
type Vector = Vec<(u32, f32)>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    Word,
    Name,
    Number,
    Date,
}

struct Vocabulary {
    kinds: Vec<Kind>,
    surface: Vec<String>,
}

/// Sentences at the top of an article (headline and lead) name the event: their terms count
/// [`GroupParams::lead_weight`] times (the inverted pyramid).
const LEAD_SENTENCES: usize = 3;

/// What grouping needs of one article, computed in one pass over its tokens.
struct Profile {
    /// (kind, key) → (surface as first written, weighted count).
    terms: BTreeMap<(Kind, String), (String, u32)>,
    /// Dates the article states: month-day dates in the lead (datelines) and the weekdays it
    /// names anywhere ("on Friday"), which place the event in its week.
    dates: Vec<String>,
    /// The day the article puts its event on: the first weekday it names (news leads say when
    /// the main event happened). Two articles naming different days report different events.
    lead_weekday: Option<String>,
    /// The filing date a wire header (a `Slug` line set aside at ingest, "12:28 16/07/99:
    /// Page 1 …") stamps on the article: takes filed on different days report different days
    /// of a running story.
    filed: Option<String>,
}

/// The date of the first wire header among an article's boilerplate.
fn filing_date(a: &Article) -> Option<String> {
    a.boilerplate
        .iter()
        .filter(|b| b.kind == crate::model::BoilerplateKind::Slug)
        .find_map(|b| crate::ingest::slug_date(&b.text))
        .map(str::to_string)
}

fn profile(a: &Article, lead_weight: u32) -> Profile {
    let mut terms: BTreeMap<(Kind, String), (String, u32)> = BTreeMap::new();
    let mut dates = Vec::new();
    let mut lead_weekday = None;
    let mut add = |key: (Kind, String), surface: &str, w: u32| {
        terms
            .entry(key)
            .or_insert_with(|| (surface.to_string(), 0))
            .1 += w;
    };
    let tokens: Vec<Vec<normalize::Token>> = a
        .sentences
        .iter()
        .map(|s| normalize::tokens(&s.text))
        .collect();
    // A word written as a name anywhere in the article is a name everywhere in it (also as
    // the first word of a sentence).
    let is_name_form = |t: &normalize::Token, surface: &str| {
        t.capitalised
            && t.class == TokenClass::Word
            && !(surface.chars().count() > 4 && surface.chars().all(|c| !c.is_lowercase()))
    };
    let mut names: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (s, toks) in a.sentences.iter().zip(&tokens) {
        for t in toks {
            if !t.initial && is_name_form(t, &s.text[t.start..t.end]) {
                names.insert(t.norm.as_str());
            }
        }
    }
    for (k, (s, toks)) in a.sentences.iter().zip(&tokens).enumerate() {
        let lead = k < LEAD_SENTENCES;
        let w = if lead { lead_weight } else { 1 };
        let mut calendar = false;
        for t in toks {
            let surface = &s.text[t.start..t.end];
            let key = match t.class {
                TokenClass::Stop => continue,
                TokenClass::Number => (Kind::Number, t.stem.clone()),
                // Weekdays and months are dates (below), not names.
                TokenClass::Word if facts::is_calendar_word(&t.norm) => {
                    calendar = true;
                    continue;
                }
                // A capitalised word inside a sentence is a name, unless the whole word is in
                // capitals and long (a headline in capitals, not an acronym like NATO).
                TokenClass::Word if names.contains(t.norm.as_str()) => {
                    (Kind::Name, normalize::name_term(&t.norm))
                }
                TokenClass::Word => (Kind::Word, t.stem.clone()),
            };
            add(key, surface, w);
        }
        // Only sentences naming a day or month need the date analysis.
        if calendar {
            for d in facts::of_sentence(&s.text, toks, None).dates {
                match d.kind {
                    DateKind::MonthDay if k <= LEAD_SENTENCES => dates.push(d.value),
                    DateKind::Weekday => {
                        if lead_weekday.is_none() {
                            lead_weekday = Some(d.value.clone());
                        }
                        dates.push(d.value);
                    }
                    _ => {}
                }
            }
        }
    }
    for d in &dates {
        add((Kind::Date, d.clone()), d, lead_weight);
    }
    Profile {
        terms,
        dates,
        lead_weekday,
        filed: filing_date(a),
    }
}

/// Articles are profiled in parallel in chunks of this many, then their terms are interned,
/// so that only compact (id, count) lists are kept for the whole pile.
const CHUNK: usize = 2048;

/// A profile reduced to interned term ids.
struct Compact {
    terms: Vec<(u32, u32)>,
    dates: Vec<String>,
    lead_weekday: Option<String>,
    filed: Option<String>,
}

/// Profile every article of `reps` (read through `article`, a chunk at a time, so that the
/// texts are never all held at once) and intern its terms. Term ids are then renumbered in
/// sorted (kind, key) order, so that ids, and every tie broken by them, do not depend on the
/// order of the input.
fn profiles(
    reps: &[usize],
    article: &Articles,
    p: &GroupParams,
    progress: &dyn Progress,
) -> (Vec<Compact>, Vocabulary) {
    let mut ids: FxHashMap<(Kind, String), u32> = FxHashMap::default();
    let mut surface: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(reps.len());
    // While one chunk is profiled in parallel, the one before it is interned on this thread.
    let mut pending: Vec<Profile> = Vec::new();
    let mut chunks = reps.chunks(CHUNK);
    loop {
        let next = chunks.next();
        let mut profs: Vec<Profile> = Vec::new();
        rayon::in_place_scope(|scope| {
            if let Some(chunk) = next {
                let profs = &mut profs;
                scope.spawn(move |_| {
                    *profs = chunk
                        .par_iter()
                        .map(|&g| profile(&article(g), p.lead_weight))
                        .collect();
                    progress.inc(chunk.len() as u64);
                });
            }
            for pr in pending.drain(..) {
                let terms = pr
                    .terms
                    .into_iter()
                    .map(|(key, (surf, tf))| {
                        let next = ids.len() as u32;
                        let id = *ids.entry(key).or_insert_with(|| {
                            surface.push(surf);
                            next
                        });
                        (id, tf)
                    })
                    .collect();
                out.push(Compact {
                    terms,
                    dates: pr.dates,
                    lead_weekday: pr.lead_weekday,
                    filed: pr.filed,
                });
            }
        });
        if next.is_none() {
            break;
        }
        pending = profs;
    }
    let mut order: Vec<(&(Kind, String), u32)> = ids.iter().map(|(k, &v)| (k, v)).collect();
    order.par_sort_unstable();
    let mut remap = vec![0u32; order.len()];
    let mut kinds = Vec::with_capacity(order.len());
    let mut surfaces = Vec::with_capacity(order.len());
    for (new, (key, old)) in order.iter().enumerate() {
        remap[*old as usize] = new as u32;
        kinds.push(key.0);
        surfaces.push(std::mem::take(&mut surface[*old as usize]));
    }
    for c in &mut out {
        for t in &mut c.terms {
            t.0 = remap[t.0 as usize];
        }
    }
    (
        out,
        Vocabulary {
            kinds,
            surface: surfaces,
        },
    )
}

/// The weighted, L2-normalised vectors and document frequencies.
fn vectors(compact: &[Compact], kinds: &[Kind], p: &GroupParams) -> (Vec<Vector>, Vec<u32>) {
    let mut df = vec![0u32; kinds.len()];
    for c in compact {
        for &(id, _) in &c.terms {
            df[id as usize] += 1;
        }
    }
    let n = compact.len().max(1) as f64 + p.background;
    let vecs = compact
        .par_iter()
        .map(|c| {
            let mut v: Vector = c
                .terms
                .iter()
                .map(|&(id, tf)| {
                    let idf = ((n + 1.0) / f64::from(df[id as usize])).ln();
                    let boost = match kinds[id as usize] {
                        Kind::Word => 1.0,
                        Kind::Name => p.name_boost,
                        Kind::Number => p.number_boost,
                        Kind::Date => p.date_boost,
                    };
                    (id, ((1.0 + f64::from(tf).ln()) * idf * boost) as f32)
                })
                .collect();
            let norm = v.iter().map(|x| f64::from(x.1).powi(2)).sum::<f64>().sqrt();
            if norm > 0.0 {
                for x in &mut v {
                    x.1 = (f64::from(x.1) / norm) as f32;
                }
            }
            v.sort_by_key(|x| x.0);
            v
        })
        .collect();
    (vecs, df)
}

/// Cosine similarity of two normalised sparse vectors.
pub fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                s += f64::from(a[i].1) * f64::from(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Scored candidate pairs `(i, j, similarity)` with `i < j`, from the inverted index.
fn candidate_edges(
    vecs: &[Vector],
    df: &[u32],
    tiebreak: &[u64],
    p: &GroupParams,
) -> Vec<(usize, usize, f64)> {
    // Keys: each article's heaviest terms that are shared but not too common.
    let keys: Vec<Vec<u32>> = vecs
        .par_iter()
        .map(|v| {
            let mut k: Vec<(u32, f32)> = v
                .iter()
                .copied()
                .filter(|(id, _)| {
                    let d = df[*id as usize] as usize;
                    d >= 2 && d <= p.max_postings
                })
                .collect();
            k.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            k.truncate(p.keys);
            k.into_iter().map(|x| x.0).collect()
        })
        .collect();
    let mut postings: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (a, k) in keys.iter().enumerate() {
        for &id in k {
            postings.entry(id).or_default().push(a);
        }
    }
    // Each article's best candidates are found on their own, in parallel.
    let mut edges: Vec<(usize, usize)> = keys
        .par_iter()
        .enumerate()
        .map_init(FxHashMap::<usize, f64>::default, |acc, (a, k)| {
            acc.clear();
            for &id in k {
                let w = vecs[a]
                    .binary_search_by_key(&id, |x| x.0)
                    .map(|pos| f64::from(vecs[a][pos].1))
                    .unwrap_or(0.0);
                for &b in postings.get(&id).map(Vec::as_slice).unwrap_or(&[]) {
                    if b != a {
                        *acc.entry(b).or_default() += w;
                    }
                }
            }
            let mut best: Vec<(usize, f64)> = acc.iter().map(|(&b, &s)| (b, s)).collect();
            best.sort_by(|x, y| {
                y.1.total_cmp(&x.1)
                    .then(tiebreak[x.0].cmp(&tiebreak[y.0]))
                    .then(x.0.cmp(&y.0))
            });
            best.truncate(p.candidates);
            best.into_iter()
                .map(|(b, _)| if a < b { (a, b) } else { (b, a) })
                .collect::<Vec<_>>()
        })
        .flat_map_iter(|v| v)
        .collect();
    edges.par_sort_unstable();
    edges.dedup();
    edges
        .into_par_iter()
        .map(|(i, j)| (i, j, cosine(&vecs[i], &vecs[j])))
        .filter(|e| e.2 > 0.0)
        .collect()
}

#[derive(PartialEq)]
struct Merge {
    avg: f64,
    a: usize,
    b: usize,
    version: (u32, u32),
}

impl Eq for Merge {}

impl PartialOrd for Merge {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Merge {
    fn cmp(&self, o: &Self) -> Ordering {
        self.avg
            .total_cmp(&o.avg)
            .then_with(|| o.a.cmp(&self.a))
            .then_with(|| o.b.cmp(&self.b))
    }
}

/// Average-link clustering over a sparse similarity graph; returns member lists.
pub fn average_link(n: usize, edges: &[(usize, usize, f64)], threshold: f64) -> Vec<Vec<usize>> {
    average_link_apart(n, edges, threshold, &[])
}

/// [`average_link`] where two groups never merge when they hold items with different
/// `apart` values (`apart[i]` is `None` for an item without one; an empty slice means none
/// has one): a cannot-link constraint.
pub fn average_link_apart(
    n: usize,
    edges: &[(usize, usize, f64)],
    threshold: f64,
    apart: &[Option<u32>],
) -> Vec<Vec<usize>> {
    let label: Vec<Option<u32>> = (0..n).map(|i| apart.get(i).copied().flatten()).collect();
    agglomerate(
        (0..n).map(|i| vec![i]).collect(),
        edges,
        threshold,
        label,
        |a, b| !matches!((a, b), (Some(x), Some(y)) if x != y),
        |a, b| *a = a.or(b),
    )
}

/// Average-link agglomeration starting from `groups` (disjoint lists of item indices; `edges`
/// name items, a missing pair counts as 0). Each group carries a `state`; two groups merge
/// only while `compatible` says so of their states, and `join` folds the state of the group
/// merged away into the one kept. Returns member lists, sorted, in order of their first item.
fn agglomerate<S>(
    groups: Vec<Vec<usize>>,
    edges: &[(usize, usize, f64)],
    threshold: f64,
    mut state: Vec<S>,
    compatible: impl Fn(&S, &S) -> bool,
    join: impl Fn(&mut S, S),
) -> Vec<Vec<usize>>
where
    S: Default,
{
    let n = groups.len();
    let items = groups.iter().flatten().max().map_or(0, |&i| i + 1);
    let mut group_of: Vec<Option<usize>> = vec![None; items];
    for (g, m) in groups.iter().enumerate() {
        for &i in m {
            group_of[i] = Some(g);
        }
    }
    let mut members = groups;
    let mut sums: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); n];
    for &(i, j, s) in edges {
        let (Some(a), Some(b)) = (
            group_of.get(i).copied().flatten(),
            group_of.get(j).copied().flatten(),
        ) else {
            continue;
        };
        if a != b {
            *sums[a].entry(b).or_default() += s;
            *sums[b].entry(a).or_default() += s;
        }
    }
    let mut alive = vec![true; n];
    let mut version = vec![0u32; n];
    let mut heap = BinaryHeap::new();
    for (a, m) in sums.iter().enumerate() {
        for (&b, &s) in m {
            let avg = s / (members[a].len() * members[b].len()) as f64;
            if a < b && avg >= threshold {
                heap.push(Merge {
                    avg,
                    a,
                    b,
                    version: (0, 0),
                });
            }
        }
    }
    while let Some(m) = heap.pop() {
        if m.avg < threshold {
            break;
        }
        if !alive[m.a] || !alive[m.b] || (version[m.a], version[m.b]) != m.version {
            continue;
        }
        if !compatible(&state[m.a], &state[m.b]) {
            continue;
        }
        // Merge the smaller cluster into the larger one.
        let (keep, gone) = if members[m.a].len() >= members[m.b].len() {
            (m.a, m.b)
        } else {
            (m.b, m.a)
        };
        alive[gone] = false;
        let gone_state = std::mem::take(&mut state[gone]);
        join(&mut state[keep], gone_state);
        let moved = std::mem::take(&mut members[gone]);
        members[keep].extend(moved);
        let gone_sums = std::mem::take(&mut sums[gone]);
        sums[keep].remove(&gone);
        for (c, s) in gone_sums {
            if c == keep {
                continue;
            }
            *sums[keep].entry(c).or_default() += s;
            let sc = sums[c].remove(&gone).unwrap_or(0.0);
            *sums[c].entry(keep).or_default() += sc;
        }
        version[keep] += 1;
        let size_keep = members[keep].len() as f64;
        for (&c, &s) in &sums[keep] {
            let avg = s / (size_keep * members[c].len() as f64);
            if avg >= threshold {
                let (a, b) = if keep < c { (keep, c) } else { (c, keep) };
                heap.push(Merge {
                    avg,
                    a,
                    b,
                    version: (version[a], version[b]),
                });
            }
        }
    }
    let mut out: Vec<Vec<usize>> = members
        .into_iter()
        .zip(alive)
        .filter(|(_, a)| *a)
        .map(|(mut m, _)| {
            m.sort_unstable();
            m
        })
        .collect();
    out.sort_by_key(|m| m[0]);
    out
}

/// Group `articles` by event. Groups come in order of their first member. Which articles
/// are grouped together does not depend on input order (ties are broken by content); the
/// member indices, and where several spellings of a key term occur the one shown, follow it.
/// Copies are found first and folded into their original ([`run`]).
pub fn group(articles: &[Article], p: &GroupParams) -> Vec<Event> {
    run(articles, &[], p, &()).events
}

/// The events of a pile, and what was measured on a budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grouping {
    /// The events, in order of their first member.
    pub events: Vec<Event>,
    /// How many articles were folded into an original as copies.
    pub copies: usize,
    /// How many articles events were grouped over (originals and articles without copies).
    pub grouped: usize,
    /// Where a budget applied, what it left out (empty when none did).
    pub budgets: Vec<String>,
}

/// What grouping keeps of every article for the whole run. The text itself is read again
/// only where a stage needs it: shingle sets of candidate copies, the originals' terms and
/// the events' titles (so that `storydiff batch` can group more text than fits in memory).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Digest {
    /// The outlet's label.
    pub label: String,
    /// Where the article was read from.
    pub path: String,
    /// A hash of the whole text: ties are broken by it, so that which articles are grouped
    /// together does not depend on input order.
    pub tiebreak: u64,
    /// The LSH band keys of its shingles ([`copies::band_keys`]).
    pub bands: Vec<u64>,
    /// The filing date its wire header stamps, if any.
    pub filed: Option<String>,
    /// Its stated date (ISO 8601), if any.
    pub date: Option<String>,
}

impl Digest {
    /// The digest of `a`, whose sorted shingle set is `shingles`.
    pub fn of(a: &Article, shingles: &[u64], date: Option<String>) -> Digest {
        Digest {
            label: a.label.clone(),
            path: a.path.clone(),
            tiebreak: fnv1a(a.text.as_bytes()),
            bands: copies::band_keys(shingles),
            filed: filing_date(a),
            date,
        }
    }
}

/// Where the event stage reads an article back by index (its originals' terms and titles).
pub type Articles<'s> = dyn Fn(usize) -> Cow<'s, Article> + Sync + 's;

/// Copies first, then events. Near-duplicates are found by MinHash/LSH over word shingles and
/// confirmed by exact Jaccard similarity (the copies stage); each copy cluster is folded into
/// its original (earliest stated date in `dates`, by index, else input order; `dates` may be
/// empty); events are grouped over the originals and the articles without copies; every event
/// lists all its members, copies included, and its copy clusters.
pub fn run(
    articles: &[Article],
    dates: &[Option<String>],
    p: &GroupParams,
    progress: &dyn Progress,
) -> Grouping {
    progress.stage("shingles", articles.len() as u64);
    let (sets, digests): (Vec<Vec<copies::Shingle>>, Vec<Digest>) = articles
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            let sh = copies::shingles(&copies::body(a));
            let date = dates.get(i).cloned().flatten().or_else(|| a.date.clone());
            let digest = Digest::of(a, &sh, date);
            progress.inc(1);
            (copies::set(&sh), digest)
        })
        .unzip();
    let found = find_copies(&digests, &|i| Cow::Borrowed(&sets[i][..]), progress);
    // The shingles have served (clusters found, copies described): free them before the
    // profiles and vectors of the event stage are built, so the two never peak together.
    drop(sets);
    events(
        &digests,
        found,
        &|i| Cow::Borrowed(&articles[i]),
        p,
        progress,
    )
}

/// The copy clusters of a pile, found by [`find_copies`]: the first stage of [`run`].
#[derive(Debug, Clone, PartialEq)]
pub struct Copies {
    /// Member lists of the clusters.
    found: Vec<Vec<usize>>,
    /// The clusters described (original, and how much each copy changed).
    described: Vec<CopyCluster>,
    /// For every article, its cluster (if any).
    cluster_of: Vec<Option<usize>>,
    /// Whether an article is a copy of another (a cluster's original is not).
    is_copy: Vec<bool>,
}

/// The copies stage of [`run`] over `digests`, reading shingle sets through `sets`.
pub fn find_copies(digests: &[Digest], sets: &ShingleSets, progress: &dyn Progress) -> Copies {
    let n = digests.len();
    let items: Vec<copies::Item> = digests
        .iter()
        .map(|d| copies::Item {
            bands: &d.bands,
            date: d.date.as_deref(),
            filed: d.filed.as_deref(),
            tiebreak: d.tiebreak,
        })
        .collect();
    progress.stage("copies", 1);
    let found = copies::clusters(&items, sets);
    progress.inc(1);
    let labels: Vec<String> = digests.iter().map(|d| d.label.clone()).collect();
    let mut cluster_of: Vec<Option<usize>> = vec![None; n];
    let mut described = Vec::with_capacity(found.len());
    let mut is_copy = vec![false; n];
    let all: Vec<CopyCluster> = found
        .par_iter()
        .map(|members| copies::describe(members, &items, sets, &labels))
        .collect();
    for (k, (members, c)) in found.iter().zip(all).enumerate() {
        for &m in members {
            cluster_of[m] = Some(k);
            is_copy[m] = m != c.original;
        }
        described.push(c);
    }
    Copies {
        found,
        described,
        cluster_of,
        is_copy,
    }
}

/// The event stage of [`run`]: events grouped over the articles that are not copies (read
/// through `article`), each listing all its members and copy clusters.
pub fn events(
    digests: &[Digest],
    copies: Copies,
    article: &Articles,
    p: &GroupParams,
    progress: &dyn Progress,
) -> Grouping {
    let n = digests.len();
    let Copies {
        found,
        described,
        cluster_of,
        is_copy,
    } = copies;
    let reps: Vec<usize> = (0..n).filter(|&i| !is_copy[i]).collect();
    let (clusters, notes, local) = group_refs(&reps, digests, article, p, progress);
    let mut budgets = notes;
    let mut events = Vec::with_capacity(clusters.len());
    for (members, ev) in clusters.into_iter().zip(local) {
        let mut ev = ev;
        let mut all: Vec<usize> = Vec::new();
        let mut event_copies = Vec::new();
        for &m in &members {
            let g = reps[m];
            match cluster_of[g] {
                Some(k) => {
                    all.extend(&found[k]);
                    event_copies.push(described[k].clone());
                }
                None => all.push(g),
            }
        }
        all.sort_unstable();
        event_copies.sort_by_key(|c| c.original);
        if members.len() > DESCRIBE_SAMPLE {
            budgets.push(format!(
                "event of {} originals: its title and cohesion were measured on {DESCRIBE_SAMPLE} of them (chosen by text)",
                members.len()
            ));
        }
        ev.labels = all.iter().map(|&m| digests[m].label.clone()).collect();
        ev.paths = all.iter().map(|&m| digests[m].path.clone()).collect();
        ev.members = all;
        ev.copies = event_copies;
        events.push(ev);
    }
    events.sort_by_key(|e| e.members.first().copied().unwrap_or(0));
    Grouping {
        events,
        copies: n - reps.len(),
        grouped: reps.len(),
        budgets,
    }
}

/// Candidate pairs scored, with the weekday conflict applied. Ties between candidates are
/// broken by content (`tiebreak`), not by position in the input.
fn scored_edges(
    profiles: &[Compact],
    vecs: &[Vector],
    df: &[u32],
    tiebreak: &[u64],
    p: &GroupParams,
) -> Vec<(usize, usize, f64)> {
    candidate_edges(vecs, df, tiebreak, p)
        .into_iter()
        .map(
            |(i, j, s)| match (&profiles[i].lead_weekday, &profiles[j].lead_weekday) {
                (Some(a), Some(b)) if a != b => (i, j, s * p.weekday_conflict),
                _ => (i, j, s),
            },
        )
        .collect()
}

/// What a group of articles says about its days: the weekdays its members put their events
/// on (bit per day) and the span of their stated publication days.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Days {
    weekdays: u8,
    span: Option<(i64, i64)>,
}

/// Two groups whose publication days lie further apart than this report different events.
const DAYS_APART: i64 = 7;

impl Days {
    fn of(c: &Compact, date: Option<&str>) -> Days {
        let weekdays = c
            .lead_weekday
            .as_deref()
            .and_then(|w| facts::WEEKDAYS.iter().position(|d| *d == w))
            .map_or(0, |k| 1 << k);
        let span = date
            .and_then(crate::ingest::iso_date)
            .map(|(y, m, d)| crate::ingest::day_number(y, i64::from(m), i64::from(d)))
            .map(|d| (d, d));
        Days { weekdays, span }
    }

    /// Whether the two groups' days say they are different events: their publication days lie
    /// more than [`DAYS_APART`] apart, or they were published on different days and put their
    /// events on different weekdays (a follow-up published a day later still names the day of
    /// the event it follows; weekdays alone differ too often within one event's coverage).
    fn conflict(&self, o: &Days) -> bool {
        let (Some(a), Some(b)) = (self.span, o.span) else {
            return false;
        };
        let span = a.1.max(b.1) - a.0.min(b.0);
        let weekdays = self.weekdays != 0 && o.weekdays != 0 && self.weekdays & o.weekdays == 0;
        span > DAYS_APART || (span > 0 && weekdays)
    }

    fn join(&mut self, o: Days) {
        self.weekdays |= o.weekdays;
        self.span = match (self.span, o.span) {
            (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
            (a, b) => a.or(b),
        };
    }
}

/// At most this many members of an event are used to measure its cohesion and pick its title.
const DESCRIBE_SAMPLE: usize = 300;

/// Events over the articles `reps` (no copy detection): member lists (indices into `reps`),
/// budget notes, and the events described (their members still indices into `reps`, labels
/// and paths not yet set).
fn group_refs(
    reps: &[usize],
    digests: &[Digest],
    article: &Articles,
    p: &GroupParams,
    progress: &dyn Progress,
) -> (Vec<Vec<usize>>, Vec<String>, Vec<Event>) {
    progress.stage("profiles", reps.len() as u64);
    let (profiles, vocab) = profiles(reps, article, p, progress);
    let tiebreak: Vec<u64> = reps.iter().map(|&g| digests[g].tiebreak).collect();
    let (vecs, df) = vectors(&profiles, &vocab.kinds, p);
    progress.stage("candidates", 1);
    let edges = scored_edges(&profiles, &vecs, &df, &tiebreak, p);
    progress.inc(1);
    let mut notes = Vec::new();
    let over = df.iter().filter(|&&d| d as usize > p.max_postings).count();
    if over > 0 {
        notes.push(format!(
            "{over} terms occur in more than {} of the {} articles grouped (copies folded) and were not used to find candidates; they still count in every similarity",
            p.max_postings,
            reps.len()
        ));
    }
    // Wire takes stamped with different filing dates are never one event.
    let mut days: Vec<&str> = profiles.iter().filter_map(|c| c.filed.as_deref()).collect();
    days.sort_unstable();
    days.dedup();
    let apart: Vec<Option<u32>> = profiles
        .iter()
        .map(|c| {
            let d = c.filed.as_deref()?;
            days.binary_search(&d).ok().map(|k| k as u32)
        })
        .collect();
    progress.stage("clustering", 1);
    let dates: Vec<Option<&str>> = reps.iter().map(|&g| digests[g].date.as_deref()).collect();
    let days: Vec<Days> = profiles
        .iter()
        .zip(&dates)
        .map(|(c, d)| Days::of(c, *d))
        .collect();
    let clusters = agglomerate(
        (0..reps.len()).map(|i| vec![i]).collect(),
        &edges,
        p.min_similarity,
        days.into_iter().zip(apart).collect(),
        |a, b| !a.0.conflict(&b.0) && !matches!((a.1, b.1), (Some(x), Some(y)) if x != y),
        |a, b| {
            a.0.join(b.0);
            a.1 = a.1.or(b.1);
        },
    );
    progress.inc(1);
    let events = clusters
        .par_iter()
        .map(|m| {
            let ev = describe(&tiebreak, &profiles, &vecs, &vocab, m.clone());
            let title = article(reps[ev.1])
                .sentences
                .first()
                .map(|s| s.text.clone())
                .unwrap_or_default();
            Event { title, ..ev.0 }
        })
        .collect();
    (clusters, notes, events)
}

/// An event of `members` (indices into the profiles), with its most central member (whose
/// first sentence is the title, left empty here).
fn describe(
    tiebreak: &[u64],
    profiles: &[Compact],
    vecs: &[Vector],
    vocab: &Vocabulary,
    members: Vec<usize>,
) -> (Event, usize) {
    let k = members.len();
    // Cohesion and the most central member (highest average similarity to the others).
    // At most 300 members, taken in an order set by their text (not by input position), so
    // a large event is described the same whatever order its articles came in.
    let mut sample = members.clone();
    sample.sort_by_key(|&m| (tiebreak[m], m));
    sample.truncate(DESCRIBE_SAMPLE);
    let mut best = (members[0], f64::MIN);
    let mut total = 0.0;
    let mut pairs = 0usize;
    for &a in &sample {
        let mut s = 0.0;
        for &b in &sample {
            if a != b {
                let c = cosine(&vecs[a], &vecs[b]);
                s += c;
                total += c;
                pairs += 1;
            }
        }
        if s > best.1 {
            best = (a, s);
        }
    }
    let cohesion = if pairs == 0 {
        1.0
    } else {
        total / pairs as f64
    };
    // Terms shared by at least half the members (and by two), weighted by summed weight.
    let mut weight: HashMap<u32, (usize, f64)> = HashMap::new();
    for &m in &members {
        for &(id, w) in &vecs[m] {
            let e = weight.entry(id).or_default();
            e.0 += 1;
            e.1 += f64::from(w);
        }
    }
    let need = if k == 1 { 1 } else { k.div_ceil(2).max(2) };
    let mut shared: Vec<(u32, f64)> = weight
        .into_iter()
        .filter(|(_, (c, _))| *c >= need)
        .map(|(id, (_, w))| (id, w))
        .collect();
    shared.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let pick = |kinds: &[Kind], n: usize| -> Vec<String> {
        shared
            .iter()
            .filter(|(id, _)| kinds.contains(&vocab.kinds[*id as usize]))
            .take(n)
            .map(|(id, _)| vocab.surface[*id as usize].clone())
            .collect()
    };
    let key_terms = pick(&[Kind::Word, Kind::Number, Kind::Name], 10);
    let names = pick(&[Kind::Name], 8);
    let mut date_counts: BTreeMap<String, usize> = BTreeMap::new();
    for &m in &members {
        let mut ds = profiles[m].dates.clone();
        ds.extend(profiles[m].filed.clone());
        ds.sort();
        ds.dedup();
        for d in ds {
            *date_counts.entry(d).or_default() += 1;
        }
    }
    let mut dates: Vec<(String, usize)> = date_counts.into_iter().collect();
    dates.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let event = Event {
        labels: Vec::new(),
        paths: Vec::new(),
        title: String::new(),
        key_terms,
        names,
        dates: dates.into_iter().map(|x| x.0).take(5).collect(),
        cohesion: (cohesion * 10_000.0).round() / 10_000.0,
        members,
        copies: Vec::new(),
    };
    (event, best.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_link_merges_only_cohesive_groups() {
        // 0-1-2 strongly linked; 3 linked to 2 only weakly: 3 stays alone.
        let edges = vec![(0, 1, 0.9), (1, 2, 0.8), (0, 2, 0.85), (2, 3, 0.5)];
        let g = average_link(4, &edges, 0.3);
        assert_eq!(g, vec![vec![0, 1, 2], vec![3]]);
        // Single link would chain 3 in at 0.5; average link: 0.5/3 < 0.3.
        let g = average_link(4, &edges, 0.1);
        assert_eq!(g, vec![vec![0, 1, 2, 3]]);
    }

    #[test]
    fn groups_with_different_apart_labels_never_merge() {
        let edges = vec![(0, 1, 0.9), (1, 2, 0.9), (0, 2, 0.9)];
        // 0 and 2 carry different labels; 1 has none and joins the first it meets.
        let g = average_link_apart(3, &edges, 0.3, &[Some(0), None, Some(1)]);
        assert_eq!(g, vec![vec![0, 1], vec![2]]);
        let g = average_link_apart(3, &edges, 0.3, &[Some(4), None, Some(4)]);
        assert_eq!(g, vec![vec![0, 1, 2]]);
    }

    fn wire(label: &str, header: &str, body: &str) -> Article {
        let raw = crate::ingest::RawArticle {
            label: label.into(),
            path: label.into(),
            text: format!("{header}\n{body}\n"),
        };
        crate::build_article(raw, false).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn wire_takes_filed_on_different_days_are_different_events() {
        let body = "Bruce Grobbelaar told a High Court libel jury in London that he never fixed \
                    a match. The former Liverpool goalkeeper denied taking money from Richard Lim.";
        let a = wire("a", "12:28 16/07/99: Page 1 (HHH) COURTS Grobbelaar", body);
        let b = wire("b", "09:10 16/07/99: Page 2 (HHH) COURTS Grobbelaar", body);
        let c = wire("c", "11:02 19/07/99: Page 1 (HHH) COURTS Grobbelaar", body);
        assert_eq!(filing_date(&a).as_deref(), Some("16/07/99"));
        let events = group(&[a, b, c], &GroupParams::default());
        let members: Vec<Vec<usize>> = events.iter().map(|e| e.members.clone()).collect();
        assert_eq!(members, vec![vec![0, 1], vec![2]]);
        assert!(
            events[0].dates.contains(&"16/07/99".to_string()),
            "{:?}",
            events[0].dates
        );
    }
}
