//! The BERT WordPiece tokenizer of the encoder's `tokenizer.json` (BertNormalizer with
//! lower-casing and accent stripping, BertPreTokenizer, greedy longest-match WordPiece), with
//! the byte range of every piece in the original text, so token vectors map back to words.

use std::collections::HashMap;

use unicode_general_category::{get_general_category, GeneralCategory as G};
use unicode_normalization::UnicodeNormalization;

/// One WordPiece token: its vocabulary id and the bytes of the original text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Vocabulary id.
    pub id: u32,
    /// First byte in the original text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A WordPiece vocabulary and its special tokens.
#[derive(Debug, Clone)]
pub struct WordPiece {
    vocab: HashMap<String, u32>,
    unk: u32,
    /// `[CLS]`, put before every sequence.
    pub cls: u32,
    /// `[SEP]`, put after every sequence.
    pub sep: u32,
    max_chars_per_word: usize,
    prefix: String,
}

impl WordPiece {
    /// Read the WordPiece model of a Hugging Face `tokenizer.json`.
    pub fn from_tokenizer_json(json: &str) -> Result<WordPiece, String> {
        let v: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
        let model = &v["model"];
        if model["type"].as_str() != Some("WordPiece") {
            return Err(format!(
                "the tokenizer is {}, not WordPiece",
                model["type"].as_str().unwrap_or("of no type")
            ));
        }
        let vocab: HashMap<String, u32> = model["vocab"]
            .as_object()
            .ok_or("the tokenizer has no vocabulary")?
            .iter()
            .filter_map(|(k, id)| Some((k.clone(), u32::try_from(id.as_u64()?).ok()?)))
            .collect();
        let get = |t: &str| {
            vocab
                .get(t)
                .copied()
                .ok_or(format!("the vocabulary has no {t}"))
        };
        let unk_token = model["unk_token"].as_str().unwrap_or("[UNK]");
        Ok(WordPiece {
            unk: get(unk_token)?,
            cls: get("[CLS]")?,
            sep: get("[SEP]")?,
            max_chars_per_word: model["max_input_chars_per_word"].as_u64().unwrap_or(100) as usize,
            prefix: model["continuing_subword_prefix"]
                .as_str()
                .unwrap_or("##")
                .to_string(),
            vocab,
        })
    }

    /// The pieces of `text` (no `[CLS]`/`[SEP]`), in order.
    pub fn tokenize(&self, text: &str) -> Vec<Piece> {
        let mut out = Vec::new();
        for word in words(text) {
            self.word_pieces(&word, &mut out);
        }
        out
    }

    fn word_pieces(&self, word: &[(char, usize, usize)], out: &mut Vec<Piece>) {
        let (start, end) = (word[0].1, word[word.len() - 1].2);
        if word.len() > self.max_chars_per_word {
            out.push(Piece {
                id: self.unk,
                start,
                end,
            });
            return;
        }
        let mark = out.len();
        let mut at = 0;
        let mut candidate = String::new();
        while at < word.len() {
            let mut found = None;
            let mut stop = word.len();
            while stop > at {
                candidate.clear();
                if at > 0 {
                    candidate.push_str(&self.prefix);
                }
                candidate.extend(word[at..stop].iter().map(|c| c.0));
                if let Some(&id) = self.vocab.get(&candidate) {
                    found = Some(id);
                    break;
                }
                stop -= 1;
            }
            let Some(id) = found else {
                out.truncate(mark);
                out.push(Piece {
                    id: self.unk,
                    start,
                    end,
                });
                return;
            };
            out.push(Piece {
                id,
                start: word[at].1,
                end: word[stop - 1].2,
            });
            at = stop;
        }
    }
}

/// The normalised characters of `text` split into words as BertPreTokenizer splits them
/// (whitespace separates, every punctuation character is a word), each character with the
/// byte range of the original character it came from.
fn words(text: &str) -> Vec<Vec<(char, usize, usize)>> {
    let mut words = Vec::new();
    let mut word: Vec<(char, usize, usize)> = Vec::new();
    let mut flush = |word: &mut Vec<(char, usize, usize)>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        let cat = get_general_category(c);
        if c == '\0' || c == '\u{fffd}' || (is_control(c, cat)) {
            continue;
        }
        if c.is_whitespace() {
            flush(&mut word);
            continue;
        }
        if is_cjk(c) {
            flush(&mut word);
            word.push((c, start, end));
            flush(&mut word);
            continue;
        }
        // Lower-case, then strip accents (NFD without the combining marks).
        for l in c.to_lowercase() {
            for d in std::iter::once(l).nfd() {
                if get_general_category(d) == G::NonspacingMark {
                    continue;
                }
                if is_punctuation(d) {
                    flush(&mut word);
                    word.push((d, start, end));
                    flush(&mut word);
                } else {
                    word.push((d, start, end));
                }
            }
        }
    }
    flush(&mut word);
    words
}

fn is_control(c: char, cat: G) -> bool {
    if matches!(c, '\t' | '\n' | '\r') {
        return false;
    }
    matches!(cat, G::Control | G::Format)
}

fn is_punctuation(c: char) -> bool {
    let u = c as u32;
    if (33..=47).contains(&u)
        || (58..=64).contains(&u)
        || (91..=96).contains(&u)
        || (123..=126).contains(&u)
    {
        return true;
    }
    matches!(
        get_general_category(c),
        G::ConnectorPunctuation
            | G::DashPunctuation
            | G::OpenPunctuation
            | G::ClosePunctuation
            | G::InitialPunctuation
            | G::FinalPunctuation
            | G::OtherPunctuation
    )
}

/// The CJK ideograph blocks BERT puts spaces around.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> WordPiece {
        let vocab = [
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "un", "##aff", "##able", "cafe", ",", "!",
            "x",
        ];
        let json = serde_json::json!({
            "model": {
                "type": "WordPiece",
                "unk_token": "[UNK]",
                "continuing_subword_prefix": "##",
                "max_input_chars_per_word": 100,
                "vocab": vocab.iter().enumerate().map(|(i, t)| (t.to_string(), i)).collect::<HashMap<_, _>>(),
            }
        });
        WordPiece::from_tokenizer_json(&json.to_string()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn greedy_longest_match_with_byte_ranges() {
        let wp = tiny();
        let text = "The Unaffable, CAFÉ! qq";
        let got: Vec<(u32, &str)> = wp
            .tokenize(text)
            .iter()
            .map(|p| (p.id, &text[p.start..p.end]))
            .collect();
        assert_eq!(
            got,
            vec![
                (4, "The"),
                (5, "Un"),
                (6, "aff"),
                (7, "able"),
                (9, ","),
                (8, "CAFÉ"),
                (10, "!"),
                (1, "qq"),
            ]
        );
    }

    #[test]
    fn controls_are_dropped_and_cjk_split() {
        let wp = tiny();
        let pieces = wp.tokenize("x\u{200b}\u{7}x 中文");
        // A format character inside a word is dropped, not a break; each ideograph is a word.
        assert_eq!(pieces.len(), 3, "{pieces:?}");
        assert_eq!(pieces[0].id, 1); // "xx" is not in the vocabulary
        assert_eq!((pieces[1].start, pieces[1].end), (7, 10));
    }
}
