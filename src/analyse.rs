//! Analyse each document once: the word tokens of every sentence (normalised, stemmed, names
//! and numbers classified). Alignment reads them for every pair of articles it scores, so an
//! article compared with many others is tokenised once, not once per comparison.

use crate::model::Article;
use crate::normalize::{self, Token};

/// What one article's analysis holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The tokens of each sentence, in sentence order; spans are relative to the sentence.
    pub tokens: Vec<Vec<Token>>,
    /// The encoder's word vectors of each sentence, when the semantic scorer runs.
    pub encoded: Option<crate::semantic::Encoded>,
}

/// Analyse `article`.
pub fn analyse(article: &Article) -> Analysis {
    Analysis {
        tokens: article
            .sentences
            .iter()
            .map(|s| normalize::tokens(&s.text))
            .collect(),
        encoded: None,
    }
}

/// Analyse `article` and, with an encoder, read every sentence with it (one pass each).
pub fn analyse_with(
    article: &Article,
    encoder: Option<&crate::encoder::Encoder>,
) -> Result<Analysis, String> {
    let mut a = analyse(article);
    if let Some(enc) = encoder {
        a.encoded = Some(crate::semantic::encode(enc, article, &a)?);
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
        let r = crate::compare_texts(
            &[
                ("a", "Lavrov met Blinken. Talks ended."),
                ("b", "Talks ended."),
            ],
            &Default::default(),
        )
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
