//! Names spelled more than one way: across outlets (house style, transliteration) or inside
//! one article (an error). Names are capitalised words that are not the first word of their
//! sentence; spellings are grouped by transliteration-folded keys and a small edit distance
//! in the middle of the word, never by a list of known names.

use std::collections::BTreeMap;

use crate::model::Article;
use crate::normalize::{self, TokenClass};

/// One occurrence of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Article label.
    pub article: String,
    /// Sentence index.
    pub sentence: usize,
    /// Byte span in the article text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The name as written.
    pub text: String,
}

/// A name written in two or more ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variants {
    /// Spelling (folded: case, quotes, diacritics, possessive) → its occurrences.
    pub spellings: BTreeMap<String, Vec<Occurrence>>,
}

/// Whether two folded spellings are variants of one name, not two words: equal after
/// transliteration folding (Sergei/Sergey), or one edit apart with the same first two and
/// last two letters (Ryabkov/Ryakov/Ryakhkov), which keeps Russia/Russian and
/// Ukraine/Ukrainian apart.
pub fn are_variants(a: &str, b: &str) -> bool {
    a != b && normalize::names_match(&normalize::name_key(a), &normalize::name_key(b))
}

/// Groups of name spellings across `articles`, each with two or more spellings.
pub fn variants(articles: &[Article]) -> Vec<Variants> {
    let mut all: BTreeMap<String, Vec<Occurrence>> = BTreeMap::new();
    for a in articles {
        for s in &a.sentences {
            for t in normalize::tokens(&s.text) {
                if !t.capitalised || t.initial || t.class != TokenClass::Word {
                    continue;
                }
                if t.norm.chars().count() < 4 || !t.norm.chars().all(char::is_alphabetic) {
                    continue;
                }
                all.entry(t.norm.clone()).or_default().push(Occurrence {
                    article: a.label.clone(),
                    sentence: s.index,
                    start: s.start + t.start,
                    end: s.start + t.end,
                    text: s.text[t.start..t.end].to_string(),
                });
            }
        }
    }
    // Spellings whose name keys cluster together are one name.
    let keys: Vec<String> = all.keys().map(|sp| normalize::name_key(sp)).collect();
    let reps = normalize::cluster_names(&keys);
    let mut groups: BTreeMap<&str, Variants> = BTreeMap::new();
    for (spelling, key) in all.keys().zip(&keys) {
        let rep = reps.get(key).map_or(key.as_str(), String::as_str);
        groups
            .entry(rep)
            .or_insert_with(|| Variants {
                spellings: BTreeMap::new(),
            })
            .spellings
            .insert(spelling.clone(), all[spelling].clone());
    }
    groups
        .into_values()
        .filter(|g| g.spellings.len() > 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_and_non_variants() {
        assert!(are_variants("sergei", "sergey"));
        assert!(are_variants("ryabkov", "riabkov"));
        assert!(are_variants("ryabkov", "ryakov"));
        assert!(are_variants("ryakhkov", "riabkov"));
        assert!(!are_variants("russia", "russian"));
        assert!(!are_variants("ukraine", "ukrainian"));
        assert!(!are_variants("lavrov", "lavrov"));
        assert!(!are_variants("austria", "australia"));
    }
}
