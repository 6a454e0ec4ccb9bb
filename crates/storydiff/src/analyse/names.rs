//! The names an article writes: capitalised words that are not the first word of their
//! sentence, of four letters or more. Findings group their spellings across outlets
//! ([`crate::findings`]).

use crate::model::Article;
use crate::normalize::{Token, TokenClass};

/// One occurrence of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Sentence index.
    pub sentence: usize,
    /// Byte span in the article text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The name as written.
    pub text: String,
    /// The name normalised (folded: case, quotes, diacritics, possessive): one spelling.
    pub norm: String,
}

/// The names of `article`, whose sentences' tokens are `tokens`, in text order.
pub fn occurrences(article: &Article, tokens: &[Vec<Token>]) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (s, toks) in article.sentences.iter().zip(tokens) {
        for t in toks {
            if !t.capitalised || t.initial || t.class != TokenClass::Word {
                continue;
            }
            if t.norm.chars().count() < 4 || !t.norm.chars().all(char::is_alphabetic) {
                continue;
            }
            out.push(Occurrence {
                sentence: s.index,
                start: s.start + t.start,
                end: s.start + t.end,
                text: s.text[t.start..t.end].to_string(),
                norm: t.norm.clone(),
            });
        }
    }
    out
}
