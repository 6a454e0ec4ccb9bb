//! Analyse each document once, before alignment: the word tokens of every sentence
//! (normalised, stemmed, names and numbers classified), each sentence's facts (quantities,
//! dates, hedges, reporting verbs, sources, pronouns resolved), the article's quotations and
//! the names it writes, and (for the semantic scorer) the encoder's word vectors and claim
//! units. Alignment, the claim graph and findings read this; nothing after it tokenises a
//! sentence again, so an article compared with many others is read once, not once per
//! comparison.

pub mod facts;
pub mod names;
pub mod quotes;
pub mod vectors;

use crate::model::Article;
use crate::normalize::{self, Token};

/// What one article's analysis holds.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The tokens of each sentence, in sentence order; spans are relative to the sentence.
    pub tokens: Vec<Vec<Token>>,
    /// Which tokens of each sentence are its attribution ([`facts::attribution_mask`]).
    pub attribution: Vec<Vec<bool>>,
    /// The facts of each sentence, in sentence order; a pronoun source ("he said") is resolved
    /// to the last named source before it.
    pub facts: Vec<facts::Facts>,
    /// The article's direct quotations, in reading order.
    pub quotes: Vec<quotes::Quote>,
    /// Every name the article writes (a capitalised word inside a sentence), in text order.
    pub names: Vec<names::Occurrence>,
    /// The encoder's word vectors of each sentence, when the semantic scorer runs.
    pub encoded: Option<vectors::Encoded>,
}

/// Analyse `article`.
pub fn analyse(article: &Article) -> Analysis {
    let tokens: Vec<Vec<Token>> = article
        .sentences
        .iter()
        .map(|s| normalize::tokens(&s.text))
        .collect();
    let mut last: Option<facts::Source> = None;
    let facts = article
        .sentences
        .iter()
        .zip(&tokens)
        .map(|(s, toks)| {
            let f = facts::of_sentence(&s.text, toks, last.as_ref());
            let named = |x: &&facts::Source| !x.keys.is_empty() && x.resolved.is_none();
            if let Some(src) = f.sources.iter().rev().find(named) {
                last = Some(src.clone());
            }
            f
        })
        .collect();
    let attribution = article
        .sentences
        .iter()
        .zip(&tokens)
        .map(|(s, toks)| facts::attribution_mask(&s.text, toks))
        .collect();
    Analysis {
        attribution,
        names: names::occurrences(article, &tokens),
        quotes: quotes::find(article),
        facts,
        tokens,
        encoded: None,
    }
}

/// Analyse `article` and, with an encoder, read every sentence with it (one pass each).
#[cfg(feature = "semantic")]
pub fn analyse_with(
    article: &Article,
    encoder: Option<&crate::encoder::Encoder>,
) -> crate::error::Result<Analysis> {
    let mut a = analyse(article);
    if let Some(enc) = encoder {
        a.encoded = Some(vectors::encode(enc, article, &a)?);
    }
    Ok(a)
}

/// An article with its analysis: what a scorer prepares from.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its analysis ([`analyse`]).
    pub analysis: &'a Analysis,
}

impl<'a> Document<'a> {
    /// `article` with its `analysis`.
    pub fn new(article: &'a Article, analysis: &'a Analysis) -> Self {
        Document { article, analysis }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_token_list_per_sentence() {
        let r = crate::Engine::default()
            .compare_texts(&[
                ("a", "Lavrov met Blinken. Talks ended."),
                ("b", "Talks ended."),
            ])
            .unwrap_or_else(|e| panic!("{e}"));
        let an = analyse(&r.articles[0]);
        let norms: Vec<Vec<&str>> = an
            .tokens
            .iter()
            .map(|t| t.iter().map(|k| k.norm.as_str()).collect())
            .collect();
        assert_eq!(
            norms,
            vec![vec!["lavrov", "met", "blinken"], vec!["talks", "ended"]]
        );
    }
}
