//! The claim graph: every sentence of every outlet in exactly one claim, built from the links
//! of every pair of articles (not only the pairs a view compares).
//!
//! The links of the compared pairs (the view a reader sees) are taken first, then those of the
//! other pairs; within each, strongest first (identical, reworded, partial; then by score).
//! In a view of each article against the base every link of the view is kept, so the claims
//! never contradict what the reader sees. Any other link joins the claims of its sentences
//! unless that would put two sentences of one outlet in one claim that link sides do not hold
//! together (the sides of links, joined transitively: the pieces of a split sentence): a link
//! the reader does not see never joins two unrelated sentences of one outlet. A sentence no
//! accepted link touches is a claim of its outlet alone.
//!
//! The related and possibly-covered pairs of every aligned pair (view or not) give the
//! sentences of one-outlet claims their [`Standing`], so "only X has this" means the same in
//! every view and finding.

use std::collections::BTreeMap;

use crate::model::{
    Article, ArticleId, Claim as GraphClaim, ClaimGraph, ClaimMember, Comparison, LinkKind,
    Standing,
};

/// Build the claim graph of `articles` from the `view`'s comparisons and the `extra` ones of
/// the pairs the view leaves out (any pairs, either orientation), ordered by the sentences of
/// article `base`, then by first appearance (article order, sentence index). Ids are `c1`,
/// `c2`, … in that order. With `keep_view` (a view of each article against the base) every
/// link of the view is kept: a claim is then never split across a link the reader sees.
pub fn graph(
    articles: &[Article],
    view: &[Comparison],
    extra: &[Comparison],
    base: ArticleId,
    keep_view: bool,
) -> ClaimGraph {
    let claims = claims(articles, view, extra, base.0, keep_view);
    let mut tiers = Vec::new();
    for c in view.iter().chain(extra) {
        for (pairs, t) in [
            (&c.related, Standing::Related),
            (&c.possible, Standing::Possible),
        ] {
            for r in pairs {
                tiers.push((c.base, r.base, t));
                tiers.push((c.other, r.other, t));
            }
        }
    }
    let sentences: Vec<usize> = articles.iter().map(|a| a.sentences.len()).collect();
    ClaimGraph::new(claims, &sentences, &tiers)
        .expect("the aligner names sentences of its articles, and each is in one claim")
}

/// The claims of [`graph`], in id order.
fn claims(
    articles: &[Article],
    view: &[Comparison],
    extra: &[Comparison],
    base: usize,
    keep_view: bool,
) -> Vec<GraphClaim> {
    let comparisons: Vec<(bool, &Comparison)> = view
        .iter()
        .map(|c| (false, c))
        .chain(extra.iter().map(|c| (true, c)))
        .collect();
    let offsets: Vec<usize> = articles
        .iter()
        .scan(0, |acc, a| {
            let o = *acc;
            *acc += a.sentences.len();
            Some(o)
        })
        .collect();
    let total: usize = articles.iter().map(|a| a.sentences.len()).sum();
    let article_of: Vec<usize> = articles
        .iter()
        .enumerate()
        .flat_map(|(k, a)| std::iter::repeat_n(k, a.sentences.len()))
        .collect();
    // Every link as its sentence nodes, with the split groups (one side of one link).
    struct Edge {
        rank: (bool, LinkKind, std::cmp::Reverse<u64>, usize),
        kind: LinkKind,
        /// A link of the view that is always kept.
        keep: bool,
        /// The link involves the base article.
        with_base: bool,
        nodes: Vec<usize>,
        sides: [Vec<usize>; 2],
    }
    let mut edges = Vec::new();
    for (ci, &(is_extra, c)) in comparisons.iter().enumerate() {
        let (ba, oa) = (c.base.0, c.other.0);
        if ba >= articles.len() || oa >= articles.len() {
            continue;
        }
        for l in &c.links {
            let side = |art: usize, idx: &[usize]| -> Vec<usize> {
                idx.iter()
                    .filter(|&&i| i < articles[art].sentences.len())
                    .map(|&i| offsets[art] + i)
                    .collect()
            };
            let sides = [side(ba, &l.base), side(oa, &l.other)];
            let nodes: Vec<usize> = sides.iter().flatten().copied().collect();
            if nodes.is_empty() {
                continue;
            }
            // Scores are in [0, 1] with 4 decimals: an integer key orders them exactly.
            let score = (l.score * 10_000.0).round().max(0.0) as u64;
            edges.push(Edge {
                rank: (is_extra, l.kind, std::cmp::Reverse(score), ci),
                kind: l.kind,
                keep: keep_view && !is_extra,
                with_base: ba == base || oa == base,
                nodes,
                sides,
            });
        }
    }
    edges.sort_by(|x, y| x.rank.cmp(&y.rank).then(x.nodes.cmp(&y.nodes)));
    // Split groups: sentences of one outlet on one side of one link belong together.
    let mut split = UnionFind::new(total);
    for e in &edges {
        for side in &e.sides {
            for w in side.windows(2) {
                split.union(w[0], w[1]);
            }
        }
    }
    // Claims: per root, its members by article.
    let mut claim = UnionFind::new(total);
    let mut members: Vec<BTreeMap<usize, Vec<usize>>> = (0..total)
        .map(|x| BTreeMap::from([(article_of[x], vec![x])]))
        .collect();
    let mut kind: Vec<Option<LinkKind>> = vec![None; total];
    let mut kind_with_base: Vec<Option<LinkKind>> = vec![None; total];
    for e in &edges {
        // Merge the claims of all the link's sentences, or none of them.
        let mut roots: Vec<usize> = e.nodes.iter().map(|&x| claim.find(x)).collect();
        roots.sort_unstable();
        roots.dedup();
        let mut by_article: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &r in &roots {
            for (&a, xs) in &members[r] {
                by_article.entry(a).or_default().extend(xs);
            }
        }
        let compatible = by_article.values_mut().all(|xs| {
            let first = split.find(xs[0]);
            xs.iter().all(|&x| split.find(x) == first)
        });
        if !compatible && !e.keep {
            continue;
        }
        for &x in &e.nodes {
            kind[x] = Some(kind[x].map_or(e.kind, |k| k.min(e.kind)));
            if e.with_base {
                kind_with_base[x] = Some(kind_with_base[x].map_or(e.kind, |k| k.min(e.kind)));
            }
        }
        let keep = roots[0];
        for &r in &roots[1..] {
            claim.parent[r] = keep;
            let moved = std::mem::take(&mut members[r]);
            for (a, xs) in moved {
                members[keep].entry(a).or_default().extend(xs);
            }
        }
    }
    let mut out: Vec<((usize, usize, usize), Vec<usize>)> = (0..total)
        .filter(|&x| claim.find(x) == x)
        .map(|r| {
            let mut xs: Vec<usize> = members[r].values().flatten().copied().collect();
            xs.sort_unstable();
            let key = match xs.iter().find(|&&x| article_of[x] == base) {
                Some(&x) => (0, x - offsets[base], 0),
                None => (1, xs[0], 0),
            };
            (key, xs)
        })
        .collect();
    out.sort();
    out.into_iter()
        .enumerate()
        .map(|(k, (_, xs))| {
            let alone = xs.iter().all(|&x| article_of[x] == article_of[xs[0]]);
            GraphClaim {
                id: format!("c{}", k + 1),
                members: xs
                    .into_iter()
                    .map(|x| ClaimMember {
                        article: ArticleId(article_of[x]),
                        sentence: x - offsets[article_of[x]],
                        kind: if alone {
                            None
                        } else {
                            kind_with_base[x].or(kind[x])
                        },
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Union-find with path halving; a merge keeps the smaller root.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Link;
    use crate::Engine;

    /// Article `a`, `b` or `c` of the tests' reports.
    fn id(label: &str) -> ArticleId {
        ArticleId(usize::from(label.as_bytes()[0] - b'a'))
    }

    fn comparison(base: &str, other: &str, links: &[(&[usize], &[usize], f64)]) -> Comparison {
        Comparison {
            base: id(base),
            other: id(other),
            links: links
                .iter()
                .map(|(b, o, score)| Link {
                    kind: LinkKind::Partial,
                    base: b.to_vec(),
                    other: o.to_vec(),
                    score: *score,
                    diff: Vec::new(),
                    fallback: None,
                })
                .collect(),
            related: Vec::new(),
            possible: Vec::new(),
            added: Vec::new(),
            dropped: Vec::new(),
            shared_base: Vec::new(),
            shared_other: Vec::new(),
            summary: Default::default(),
            notes: Vec::new(),
        }
    }

    fn members(c: &GraphClaim) -> Vec<(&'static str, usize)> {
        c.members
            .iter()
            .map(|m| (["a", "b", "c"][m.article.0], m.sentence))
            .collect()
    }

    #[test]
    fn a_claim_never_holds_two_unrelated_sentences_of_one_outlet() {
        let r = Engine::default()
            .compare_texts(&[
                ("a", "A one. A two."),
                ("b", "B one. B two."),
                ("c", "C one. C two."),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        // a0-b0 and a0-c0 in the view; the other pair links c0 to b1, which would put b0 and
        // b1 in one claim: refused. A split sentence (b0+b1 on one side of one link) may.
        let view = [
            comparison("a", "b", &[(&[0], &[0], 0.9)]),
            comparison("a", "c", &[(&[0], &[0], 0.8)]),
        ];
        let extra = [comparison("b", "c", &[(&[1], &[0], 0.95)])];
        let g = graph(&r.articles, &view, &extra, ArticleId(0), true);
        let g = g.claims();
        let all: Vec<Vec<(&str, usize)>> = g.iter().map(members).collect();
        assert_eq!(
            all,
            vec![
                vec![("a", 0), ("b", 0), ("c", 0)],
                vec![("a", 1)],
                vec![("b", 1)],
                vec![("c", 1)],
            ]
        );
        assert_eq!(g[0].id, "c1");
        assert_eq!(g[1].members[0].kind, None);
        let split = [comparison("a", "b", &[(&[0], &[0, 1], 0.9)])];
        let g = graph(&r.articles, &split, &extra, ArticleId(0), true);
        let g = g.claims();
        assert_eq!(members(&g[0]), vec![("a", 0), ("b", 0), ("b", 1), ("c", 0)]);
    }

    #[test]
    fn every_link_of_a_base_view_is_kept() {
        let r = Engine::default()
            .compare_texts(&[
                ("a", "A one. A two."),
                ("b", "B one. B two."),
                ("c", "C one."),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        // b writes a's two sentences as two, c as one: c's link to both must be kept, though
        // it puts b0 and b1 in one claim.
        let view = [
            comparison("a", "b", &[(&[0], &[0], 0.9), (&[1], &[1], 0.9)]),
            comparison("a", "c", &[(&[0, 1], &[0], 0.8)]),
        ];
        let g = graph(&r.articles, &view, &[], ArticleId(0), true);
        let g = g.claims();
        assert_eq!(
            members(&g[0]),
            vec![("a", 0), ("a", 1), ("b", 0), ("b", 1), ("c", 0)]
        );
        // Without keep_view (every pair compared), the rule holds for every link.
        let g = graph(&r.articles, &view, &[], ArticleId(0), false);
        let g = g.claims();
        assert_eq!(members(&g[0]), vec![("a", 0), ("b", 0)]);
    }

    #[test]
    fn pairs_outside_the_view_join_outlets_the_base_lacks() {
        let r = Engine::default()
            .compare_texts(&[
                ("a", "Oil rose in Asia on Monday."),
                ("b", "Lavrov met Blinken in Geneva on Friday."),
                (
                    "c",
                    "Lavrov met Blinken in Geneva on Friday, officials said.",
                ),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        let shared: Vec<Vec<(&str, usize)>> = r
            .claims
            .claims()
            .iter()
            .filter(|c| c.members.iter().any(|m| m.article != c.members[0].article))
            .map(members)
            .collect();
        assert_eq!(shared, vec![vec![("b", 0), ("c", 0)]]);
        // "Only b has this" would be wrong: c carries it.
        assert!(
            !r.findings
                .iter()
                .any(|f| f.kind == crate::model::FindingKind::OnlyIn
                    && r.labels(&f.articles) == ["b"])
        );
    }
}
