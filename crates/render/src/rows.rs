//! The rows of a pair view and the notes under them, shared by the terminal (both layouts)
//! and the HTML report: each renderer only styles what this module decides, so the views say
//! the same thing about every sentence.

use storydiff::model::{Article, ArticleId, Comparison, Report};

use crate::Claims;

/// One row of a pair view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Row {
    /// A link: an index into the comparison's links.
    Link(usize),
    /// A base sentence whose claim the other outlet does not carry.
    Dropped(usize),
    /// A sentence of the other outlet whose claim the base does not carry.
    Added(usize),
    /// A base sentence with no link in this pair whose claim the other outlet carries (the
    /// claim graph joined them through another outlet).
    SharedBase(usize),
    /// A sentence of the other outlet with no link in this pair whose claim the base carries.
    SharedOther(usize),
}

impl Row {
    /// The side and sentence of a row of one sentence: `(true, i)` for the base.
    pub(crate) fn sentence(self) -> Option<(bool, usize)> {
        match self {
            Row::Link(_) => None,
            Row::Dropped(i) | Row::SharedBase(i) => Some((true, i)),
            Row::Added(j) | Row::SharedOther(j) => Some((false, j)),
        }
    }
}

/// Rows in base order, with each sentence of the other outlet that has no link after the row
/// of its nearest earlier linked sentence (or first, when there is none).
pub(crate) fn rows(c: &Comparison, other: &Article) -> Vec<Row> {
    // Key: (base position, sub-order) so links and base sentences sort by base index and the
    // other outlet's sentences follow their anchor.
    let mut keyed: Vec<((usize, usize, usize), Row)> = Vec::new();
    let mut anchor_of_other: Vec<Option<usize>> = vec![None; other.sentences.len()];
    for (k, l) in c.links.iter().enumerate() {
        let pos = l.base[0] + 1;
        keyed.push(((pos, 0, 0), Row::Link(k)));
        for &j in &l.other {
            if let Some(slot) = anchor_of_other.get_mut(j) {
                *slot = Some(pos);
            }
        }
    }
    for &i in &c.dropped {
        keyed.push(((i + 1, 0, 0), Row::Dropped(i)));
    }
    for &i in &c.shared_base {
        keyed.push(((i + 1, 0, 0), Row::SharedBase(i)));
    }
    // The anchor of the nearest earlier linked sentence, for every position, in one pass.
    let mut nearest_before = Vec::with_capacity(anchor_of_other.len());
    let mut last = 0;
    for a in &anchor_of_other {
        nearest_before.push(last);
        if let Some(pos) = a {
            last = *pos;
        }
    }
    let anchored = |j: usize| nearest_before.get(j).copied().unwrap_or(last);
    for &j in &c.added {
        keyed.push(((anchored(j), 1, j), Row::Added(j)));
    }
    for &j in &c.shared_other {
        keyed.push(((anchored(j), 1, j), Row::SharedOther(j)));
    }
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, r)| r).collect()
}

/// Partners of every sentence among a comparison's related pairs, best first, at most
/// [`MAX_RELATED`] each: the sentences of the other side it shares a claim with. Built once
/// per comparison, so rendering the rows costs their number, not rows × related pairs.
pub(crate) struct RelatedPartners {
    base: std::collections::BTreeMap<usize, Vec<usize>>,
    other: std::collections::BTreeMap<usize, Vec<usize>>,
    possible_base: std::collections::BTreeMap<usize, usize>,
    possible_other: std::collections::BTreeMap<usize, usize>,
}

impl RelatedPartners {
    /// Index the related pairs of `c` by sentence on both sides.
    pub(crate) fn new(c: &Comparison) -> RelatedPartners {
        type Side = std::collections::BTreeMap<usize, Vec<(f64, usize)>>;
        let (mut base, mut other) = (Side::new(), Side::new());
        for r in &c.related {
            base.entry(r.base).or_default().push((r.score, r.other));
            other.entry(r.other).or_default().push((r.score, r.base));
        }
        let best = |side: Side| {
            side.into_iter()
                .map(|(k, mut v)| {
                    v.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                    (k, v.into_iter().take(MAX_RELATED).map(|x| x.1).collect())
                })
                .collect()
        };
        // A possibly-covered pair was kept for a sentence with no partner on one side or
        // both: each such sentence shows its best one.
        type Best = std::collections::BTreeMap<usize, (f64, usize)>;
        let (mut pb, mut po) = (Best::new(), Best::new());
        let keep = |m: &mut Best, k: usize, score: f64, partner: usize| {
            let e = m.entry(k).or_insert((score, partner));
            if score > e.0 {
                *e = (score, partner);
            }
        };
        for r in &c.possible {
            if !base.contains_key(&r.base) {
                keep(&mut pb, r.base, r.score, r.other);
            }
            if !other.contains_key(&r.other) {
                keep(&mut po, r.other, r.score, r.base);
            }
        }
        RelatedPartners {
            base: best(base),
            other: best(other),
            possible_base: pb.into_iter().map(|(k, v)| (k, v.1)).collect(),
            possible_other: po.into_iter().map(|(k, v)| (k, v.1)).collect(),
        }
    }

    /// The sentence of the other side that possibly covers sentence `index`, if any.
    fn possible(&self, base_side: bool, index: usize) -> Option<usize> {
        let side = if base_side {
            &self.possible_base
        } else {
            &self.possible_other
        };
        side.get(&index).copied()
    }

    /// The partners of sentence `index`; `base_side` says whether it is a base sentence.
    fn of(&self, base_side: bool, index: usize) -> &[usize] {
        let side = if base_side { &self.base } else { &self.other };
        side.get(&index).map_or(&[], Vec::as_slice)
    }
}

/// How many related partners the views show under one sentence.
pub const MAX_RELATED: usize = 3;

/// How many words of a partner sentence a note quotes ([`gist`]).
pub const GIST_WORDS: usize = 10;

/// The first [`GIST_WORDS`] words of a sentence (with "…" when there are more): enough to
/// recognise a partner without repeating it.
pub fn gist(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut g = words
        .iter()
        .take(GIST_WORDS)
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if words.len() > GIST_WORDS {
        g.push_str(" …");
    }
    g
}

/// What a note under a sentence with no link in the pair says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoteKind {
    /// Its closest candidate on the other side, for the editor to decide.
    Possible,
    /// A sentence of the other side it shares a claim with (a related pair).
    Related,
    /// The other outlet's sentence in the same claim of the claim graph.
    SameClaim,
    /// The other outlets that carry its claim.
    AlsoIn,
}

/// One note under a row, as words: the renderer escapes and styles `lead`, `names` and
/// `text` and writes them as "{lead} {names}: {text}" (or "{lead} {names} ({text})" for
/// [`NoteKind::AlsoIn`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    pub(crate) kind: NoteKind,
    /// The outlets it names.
    pub(crate) names: Vec<String>,
    /// The partner's first words, or the claim id.
    pub(crate) text: String,
}

impl Note {
    /// The note as one line, each piece of untrusted text passed through `esc`.
    pub(crate) fn line(&self, esc: impl Fn(&str) -> String) -> String {
        let names: Vec<String> = self.names.iter().map(|n| esc(n)).collect();
        let names = names.join(", ");
        let text = esc(&self.text);
        match self.kind {
            NoteKind::Possible => format!("possibly covered by {names}: {text}"),
            NoteKind::Related => format!("shares a claim with {names}: {text}"),
            NoteKind::SameClaim => format!("same claim in {names}: {text}"),
            NoteKind::AlsoIn => format!("also in {names} (claim {text})"),
        }
    }
}

/// The notes under a row of one sentence, the same in every view: for a sentence only one
/// side has, its possibly-covering candidate and its related partners on the other side; for
/// a shared one, the other outlet's sentence in its claim; then the other outlets that carry
/// its claim.
pub(crate) fn notes(
    report: &Report,
    claims: &Claims,
    c: &Comparison,
    related: &RelatedPartners,
    row: Row,
) -> Vec<Note> {
    let Some((base_side, i)) = row.sentence() else {
        return Vec::new();
    };
    let (own, partner) = if base_side {
        (c.base, c.other)
    } else {
        (c.other, c.base)
    };
    let partner_article = report.article(partner);
    let gist_of = |k: usize| partner_article.sentences.get(k).map(|s| gist(&s.text));
    let named = |kind, text| Note {
        kind,
        names: vec![partner_article.label.clone()],
        text,
    };
    let mut out = Vec::new();
    let mut skip: Vec<ArticleId> = vec![own];
    if matches!(row, Row::SharedBase(_) | Row::SharedOther(_)) {
        skip.push(partner);
        let graph = &report.claims;
        let same = graph
            .claim_of(own, i)
            .map(|k| graph.sentences_in(k, partner))
            .unwrap_or_default();
        out.extend(
            same.iter()
                .take(MAX_RELATED)
                .filter_map(|&k| gist_of(k))
                .map(|g| named(NoteKind::SameClaim, g)),
        );
    } else {
        if let Some(g) = related.possible(base_side, i).and_then(gist_of) {
            out.push(named(NoteKind::Possible, g));
        }
        out.extend(
            related
                .of(base_side, i)
                .iter()
                .filter_map(|&k| gist_of(k))
                .map(|g| named(NoteKind::Related, g)),
        );
    }
    if let Some((id, outlets)) = claims.elsewhere(own, i, &skip) {
        out.push(Note {
            kind: NoteKind::AlsoIn,
            names: outlets,
            text: id.to_string(),
        });
    }
    out
}
