//! Names spelled more than one way: across outlets (house style, transliteration) or inside
//! one article (an error). Names are capitalised words that are not the first word of their
//! sentence; spellings are grouped by transliteration-folded keys and a small edit distance
//! in the middle of the word, never by a list of known names.

use std::collections::BTreeMap;

use crate::analyse::names::Occurrence;
use crate::model::ArticleId;
use crate::normalize;

/// A name written in two or more ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variants {
    /// Spelling (folded: case, quotes, diacritics, possessive) → its occurrences, each with
    /// its article.
    pub spellings: BTreeMap<String, Vec<(ArticleId, Occurrence)>>,
}

/// Groups of name spellings across articles (each article's [`Occurrence`]s, from its
/// analysis, in report order), each with two or more spellings.
pub fn variants<'a>(occurrences: impl IntoIterator<Item = &'a [Occurrence]>) -> Vec<Variants> {
    let mut all: BTreeMap<String, Vec<(ArticleId, Occurrence)>> = BTreeMap::new();
    for (k, occs) in occurrences.into_iter().enumerate() {
        for occ in occs {
            all.entry(occ.norm.clone())
                .or_default()
                .push((ArticleId(k), occ.clone()));
        }
    }
    // Spellings whose name keys cluster together are one name.
    let keys: Vec<String> = all.keys().map(|sp| normalize::name_key(sp)).collect();
    let reps = normalize::cluster_names(&keys);
    let mut groups: BTreeMap<&str, Variants> = BTreeMap::new();
    for ((spelling, occs), key) in all.into_iter().zip(&keys) {
        let rep = reps.get(key).map_or(key.as_str(), String::as_str);
        groups
            .entry(rep)
            .or_insert_with(|| Variants {
                spellings: BTreeMap::new(),
            })
            .spellings
            .insert(spelling, occs);
    }
    groups
        .into_values()
        .filter(|g| g.spellings.len() > 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Article;

    /// The name occurrences of each article, as its analysis finds them.
    fn names_of(articles: &[Article]) -> Vec<Vec<Occurrence>> {
        articles
            .iter()
            .map(|a| crate::analyse::analyse(a).names)
            .collect()
    }

    /// An article that names `n` different made-up people whose names start like Stoltenberg's,
    /// then Stoltenberg and Stoltenburg.
    fn crowd(n: usize) -> Article {
        const SYL: &[&str] = &["ka", "lo", "mi", "nu", "pe", "ra", "so", "ti", "vu", "ze"];
        let mut text = String::new();
        for mut i in 0..n {
            // All in the first letter's bucket of Stoltenberg, which the old clustering
            // switched off above 2,000 names.
            let mut name = String::from("Sz");
            for _ in 0..5 {
                name.push_str(SYL[i % SYL.len()]);
                i /= SYL.len();
            }
            text.push_str(&format!("Minister {name} spoke.\n"));
        }
        text.push_str("Then Stoltenberg spoke.\nLater Stoltenburg left.\n");
        crate::build_article(
            crate::ingest::RawArticle {
                label: "a".into(),
                path: "a".into(),
                text,
            },
            true,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_slip_is_found_however_many_names_there_are() {
        // The clustering switched itself off above 2,000 names of one first letter.
        for n in [1_990, 20_000] {
            let groups = variants(names_of(&[crowd(n)]).iter().map(Vec::as_slice));
            assert!(
                groups
                    .iter()
                    .any(|g| g.spellings.contains_key("stoltenberg")
                        && g.spellings.contains_key("stoltenburg")),
                "{n} names"
            );
        }
    }

    #[test]
    fn spellings_of_one_name_group_and_other_words_do_not() {
        let r = crate::Engine::default().compare_texts(&[
                ("a", "Minister Sergey Lavrov met deputy Ryabkov in Russia."),
                ("b", "Minister Sergei Lavrov met deputy Riabkov and Ryakov in Russian Austria and Australia."),
            ])
        .unwrap_or_else(|e| panic!("{e}"));
        let mut groups: Vec<Vec<String>> =
            variants(names_of(&r.articles).iter().map(Vec::as_slice))
                .into_iter()
                .map(|g| g.spellings.into_keys().collect())
                .collect();
        groups.sort();
        assert_eq!(
            groups,
            vec![
                vec!["riabkov".to_string(), "ryabkov".into(), "ryakov".into()],
                vec!["sergei".to_string(), "sergey".into()],
            ]
        );
    }
}
