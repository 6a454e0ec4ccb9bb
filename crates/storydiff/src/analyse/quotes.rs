//! Direct quotations: find them in an article (curly, straight and guillemet marks, quotes
//! that run over several sentences or paragraphs), and tell whether two quotes report the same
//! remark.

use std::collections::BTreeSet;

use crate::model::Article;
use crate::normalize::{self, TokenClass};

/// Quotes shorter than this many words ("unsuccessful") are scare quotes, not remarks.
pub const MIN_QUOTE_WORDS: usize = 4;

/// A direct quotation in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Byte span of the quoted words (marks excluded) in the article text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Sentences the quote touches.
    pub sentences: Vec<usize>,
    /// The quoted words.
    pub text: String,
}

impl Quote {
    /// The quote cut at sentence boundaries (a long quote carries several remarks); each piece
    /// is a quote of its own, marks and edge punctuation trimmed. A one-sentence quote is its
    /// own only piece.
    pub fn pieces(&self, article: &Article) -> Vec<Quote> {
        if self.sentences.len() <= 1 {
            return vec![self.clone()];
        }
        self.sentences
            .iter()
            .filter_map(|&i| article.sentences.get(i))
            .filter_map(|s| {
                let (a, b) = (s.start.max(self.start), s.end.min(self.end));
                let raw = article.text.get(a..b)?;
                let body = raw.trim_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '“' | '”' | '«' | '»' | ',' | '.')
                });
                let off = a + raw.find(body).unwrap_or(0);
                (body.split_whitespace().count() >= 3).then(|| Quote {
                    start: off,
                    end: off + body.len(),
                    sentences: vec![s.index],
                    text: body.to_string(),
                })
            })
            .collect()
    }

    /// Content-word stems: what two quotes are matched by.
    pub fn stems(&self) -> BTreeSet<String> {
        normalize::tokens(&self.text)
            .into_iter()
            .filter(|t| t.class != TokenClass::Stop)
            .map(|t| t.stem)
            .collect()
    }
}

fn opens(c: char) -> bool {
    matches!(c, '“' | '«' | '„')
}

fn closes(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Every quotation in `article` of at least [`MIN_QUOTE_WORDS`] words, in reading order.
/// A quote left open at the end of a paragraph continues when the next paragraph opens with a
/// quotation mark (the newspaper convention), and ends there otherwise. An opening mark met
/// inside an open curly quote closes the first quote just before it (lost closing marks).
pub fn find(article: &Article) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut open: Option<(usize, bool)> = None; // (start byte after the mark, straight?)
    let text = &article.text;
    let sentences = &article.sentences;
    let finish = |s: usize, e: usize, out: &mut Vec<Quote>| {
        // A quote opened at the very end of one sentence starts in the next: the bytes
        // between two sentences (white space, set-aside boilerplate) are never quoted words.
        let first = sentences.partition_point(|x| x.end <= s);
        let s = sentences.get(first).map_or(s, |x| s.max(x.start)).min(e);
        let body = text[s..e].trim_matches(|c: char| c.is_whitespace() || c == ',');
        if body.split_whitespace().count() < MIN_QUOTE_WORDS {
            return;
        }
        let s = s + text[s..e].find(body).unwrap_or(0);
        let e = s + body.len();
        // Sentences are in text order: find the first that ends after `s`, then walk on.
        let first = sentences.partition_point(|x| x.end <= s);
        let touched = sentences[first..]
            .iter()
            .take_while(|x| x.start < e)
            .map(|x| x.index)
            .collect();
        out.push(Quote {
            start: s,
            end: e,
            sentences: touched,
            text: body.to_string(),
        });
    };
    for (k, sen) in sentences.iter().enumerate() {
        // A paragraph break with a quote still open: continue only if the next paragraph
        // opens with a mark.
        if k > 0 && sen.paragraph != sentences[k - 1].paragraph {
            if let Some((s, _)) = open {
                let first = sen.text.chars().next().unwrap_or(' ');
                if !(opens(first) || first == '"') {
                    finish(s, sentences[k - 1].end, &mut out);
                    open = None;
                }
            }
        }
        for (i, c) in sen.text.char_indices() {
            let pos = sen.start + i;
            let after = pos + c.len_utf8();
            match (open, c) {
                (None, c) if opens(c) => open = Some((after, false)),
                (None, '"') => open = Some((after, true)),
                (Some((s, false)), c) if closes(c) => {
                    finish(s, pos, &mut out);
                    open = None;
                }
                // A repeated opening mark at a paragraph start continues the quote.
                (Some((s, false)), c)
                    if opens(c)
                        && !(i == 0 && k > 0 && sen.paragraph != sentences[k - 1].paragraph) =>
                {
                    finish(s, pos, &mut out);
                    open = Some((after, false));
                }
                (Some((s, true)), '"') => {
                    if i == 0 && k > 0 && sen.paragraph != sentences[k - 1].paragraph {
                        continue;
                    }
                    finish(s, pos, &mut out);
                    open = None;
                }
                _ => {}
            }
        }
    }
    if let (Some((s, _)), Some(last)) = (open, sentences.last()) {
        finish(s, last.end, &mut out);
    }
    out
}

/// How strongly two quotes report the same remark: shared content stems over the smaller
/// quote's, when at least three are shared; 0 otherwise.
pub fn match_score(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    if shared < 3 {
        return 0.0;
    }
    shared as f64 / a.len().min(b.len()).max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{build_article, ingest::RawArticle};

    fn article(text: &str) -> Article {
        build_article(
            RawArticle {
                label: "x".into(),
                path: "x".into(),
                text: text.into(),
            },
            true,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn curly_straight_and_multi_paragraph_quotes() {
        let a = article(
            "\u{201c}We want to see Russia pulling back,\u{201d} she said.\n\n\
             \"As for the plans, they certainly exist. Everybody understands the prospects.\n\n\
             \"Whatever some may say, it is a lame excuse,\" Lavrov said.\n\n\
             They called the talks \"unsuccessful.\"",
        );
        let q = find(&a);
        let texts: Vec<&str> = q.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert_eq!(texts[0], "We want to see Russia pulling back");
        assert!(texts[1].starts_with("As for the plans") && texts[1].ends_with("a lame excuse"));
        assert_eq!(q[1].sentences, vec![1, 2, 3]);
    }

    #[test]
    fn lost_closing_mark_ends_at_the_next_opening() {
        let a = article("\u{201c}It came to our notice then, now things move Lavrov told. \u{201c}The West has been ruled by pride.\u{201d}");
        let q = find(&a);
        assert_eq!(q.len(), 2);
        assert!(q[1].text.starts_with("The West"));
    }
}
