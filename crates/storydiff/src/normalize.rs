//! Normalise: the matching form of text. Output always shows the original; this is only
//! what sentences are compared by.
//!
//! [`fold`] applies Unicode NFKC, folds curly quotes, dashes and the ellipsis to ASCII,
//! removes diacritics and lower-cases. [`tokens`] cuts a sentence into word tokens with byte
//! spans into the original, splits words glued by lost spaces ("negotiationsLavrov"), makes
//! numbers canonical ("100,000" = "100000"), drops the possessive "'s" and stems with the
//! Snowball English stemmer. [`name_key`] folds transliteration variants of names
//! (Sergei/Sergey, Ryabkov/Riabkov) to one spelling.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Fold one character of punctuation to its ASCII stand-in, if it has one.
fn fold_punct(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{2039}' | '\u{203A}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{00A0}' | '\u{2007}' | '\u{202F}' => " ",
        _ => return None,
    })
}

/// Fold text for comparison: NFKC, ASCII quotes/dashes/ellipsis, no diacritics, lower case.
pub fn fold(s: &str) -> String {
    // ASCII is its own NFKC and NFD and has no combining marks; of its characters only the
    // backtick folds (to an apostrophe).
    if s.is_ascii() && !s.contains('`') {
        return s.to_ascii_lowercase();
    }
    let mut punct = String::with_capacity(s.len());
    for c in s.nfkc() {
        match fold_punct(c) {
            Some(r) => punct.push_str(r),
            None => punct.push(c),
        }
    }
    punct
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What kind of word a token is; drives its weight in alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenClass {
    /// A function word ("the", "of", "said"): down-weighted.
    Stop,
    /// A number, in canonical digits.
    Number,
    /// Any other word.
    Word,
}

/// A word of a sentence, with its span and matching forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range into the text the token was cut from.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Folded form (see [`fold`]), possessive removed, numbers canonical; both words, with
    /// one space, for a joined two-word name ("united states").
    pub norm: String,
    /// Stem of `norm` (numbers and stop words unchanged; the short form, "us", for a joined
    /// two-word name).
    pub stem: String,
    /// Starts with a capital letter in the original.
    pub capitalised: bool,
    /// First word of its sentence.
    pub initial: bool,
    /// Stop word, number or other word.
    pub class: TokenClass,
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// English function words, plus the most common reporting verbs and auxiliaries.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "said",
    "says",
    "say",
    "told",
    "tell",
    "added",
    "noted",
    "according",
    "may",
    "might",
    "must",
    "shall",
    "us",
    "ms",
    "mr",
    "mrs",
    "s",
    "t",
    "one",
    "per",
    "via",
    "yet",
    "however",
    "also",
    "there",
    "would",
    "whether",
    "within",
    "without",
    "among",
    "upon",
    "across",
    "already",
];

/// True for English function words and common reporting verbs.
pub fn is_stop_word(norm: &str) -> bool {
    static SET: OnceLock<rustc_hash::FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(norm)
}

/// True for "US" (also "US's") written in capitals: the country, not the pronoun "us".
fn is_country_acronym(part: &str, norm: &str) -> bool {
    norm == "us" && part.starts_with("US")
}

/// Nationality adjectives folded to their country ("Russian" → "russia"), so "Russian
/// troops" and "Russia's troops" share a name. Keys are folded lower-case words.
const DEMONYMS: &[(&str, &str)] = &[
    ("russian", "russia"),
    ("russians", "russia"),
    ("ukrainian", "ukraine"),
    ("ukrainians", "ukraine"),
    ("american", "us"),
    ("americans", "us"),
    ("u.s", "us"),
    ("america", "us"),
    ("british", "uk"),
    ("britain", "uk"),
    ("german", "germany"),
    ("germans", "germany"),
    ("french", "france"),
    ("chinese", "china"),
    ("japanese", "japan"),
    ("indian", "india"),
    ("israeli", "israel"),
    ("israelis", "israel"),
    ("palestinian", "palestine"),
    ("palestinians", "palestine"),
    ("iranian", "iran"),
    ("iraqi", "iraq"),
    ("syrian", "syria"),
    ("turkish", "turkey"),
    ("italian", "italy"),
    ("spanish", "spain"),
    ("polish", "poland"),
    ("belarusian", "belarus"),
    ("georgian", "georgia"),
    ("european", "europe"),
    ("afghan", "afghanistan"),
    ("pakistani", "pakistan"),
    ("egyptian", "egypt"),
    ("saudi", "saudi arabia"),
    ("mexican", "mexico"),
    ("canadian", "canada"),
    ("australian", "australia"),
    ("korean", "korea"),
    ("kuwaiti", "kuwait"),
];

/// Two-word names of countries and blocs, joined into one token (see [`tokens`]) and folded
/// by [`country_of`]: "United States" is "US", "Russian Federation" is "Russia".
const TWO_WORD_NAMES: &[(&str, &str, &str)] = &[
    ("united", "states", "us"),
    ("united", "kingdom", "uk"),
    ("united", "nations", "un"),
    ("russian", "federation", "russia"),
    ("european", "union", "eu"),
    // Other Americas, joined so that "America" in them is not the US.
    ("latin", "america", "latin america"),
    ("latin", "american", "latin america"),
    ("south", "america", "south america"),
    ("south", "american", "south america"),
    ("north", "america", "north america"),
    ("north", "american", "north america"),
    ("central", "america", "central america"),
    ("central", "american", "central america"),
];

/// The country a nationality word names, or the word itself.
pub fn country_of(norm: &str) -> &str {
    DEMONYMS
        .iter()
        .find(|(d, _)| *d == norm)
        .map(|(_, c)| *c)
        .or_else(|| {
            let (a, b) = norm.split_once(' ')?;
            TWO_WORD_NAMES
                .iter()
                .find(|(x, y, _)| *x == a && *y == b)
                .map(|(_, _, c)| *c)
        })
        .unwrap_or(norm)
}

/// Whether two tokens of `text` stand side by side with only spaces between them (no comma,
/// quote mark or other punctuation): names and titles never run across punctuation.
pub fn side_by_side(text: &str, a: &Token, b: &Token) -> bool {
    text.get(a.end..b.start)
        .is_some_and(|gap| gap.trim().is_empty())
}

/// Join the two-word names of [`TWO_WORD_NAMES`] into one token whose `norm` is both words
/// ("united states") and whose `stem` is the short form ("us"), when only spaces separate
/// them. Case does not matter, so the same words make the same tokens however they are written.
fn join_two_word_names(text: &str, toks: &mut Vec<Token>) {
    merge_pairs(toks, |a, b| {
        let short = TWO_WORD_NAMES
            .iter()
            .find(|(x, y, _)| *x == a.norm && *y == b.norm)
            .map(|(_, _, c)| *c)?;
        side_by_side(text, a, b).then(|| Token {
            end: b.end,
            norm: format!("{} {}", a.norm, b.norm),
            stem: short.to_string(),
            class: TokenClass::Word,
            ..a.clone()
        })
    });
}

/// Replace each pair of neighbouring tokens that `join` merges by the merged token, left to
/// right, a merged token never merging again. One pass that builds a new list, so a sentence
/// with many joins stays linear (splicing in place made it quadratic).
fn merge_pairs(toks: &mut Vec<Token>, mut join: impl FnMut(&Token, &Token) -> Option<Token>) {
    let mut out = Vec::with_capacity(toks.len());
    let mut it = std::mem::take(toks).into_iter().peekable();
    while let Some(a) = it.next() {
        match it.peek().and_then(|b| join(&a, b)) {
            Some(merged) => {
                it.next();
                out.push(merged);
            }
            None => out.push(a),
        }
    }
    *toks = out;
}

/// Number words up to twelve, folded to digits so "two rounds" = "2 rounds".
fn number_word(norm: &str) -> Option<&'static str> {
    Some(match norm {
        "zero" => "0",
        "one" => "1",
        "two" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        "six" => "6",
        "seven" => "7",
        "eight" => "8",
        "nine" => "9",
        "ten" => "10",
        "eleven" => "11",
        "twelve" => "12",
        _ => return None,
    })
}

/// Canonical digits: thousands separators removed ("100,000" → "100000"); a comma that does
/// not separate groups of three digits is a decimal comma ("1,5" → "1.5").
pub fn canonical_number(norm: &str) -> Option<String> {
    let first = norm.chars().next()?;
    if !first.is_ascii_digit() {
        return None;
    }
    if !norm
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let int_part = norm.split('.').next().unwrap_or(norm);
    let groups: Vec<&str> = int_part.split(',').collect();
    let thousands = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3);
    if thousands {
        Some(norm.replace(',', ""))
    } else if groups.len() == 2 && !norm.contains('.') {
        Some(norm.replace(',', "."))
    } else {
        Some(norm.to_string())
    }
}

/// Cut a word at lost spaces: "negotiationsLavrov" → "negotiations", "Lavrov". The lower-case
/// run before the capital must be three letters or more, so "McDonald" and "iPhone" stay whole.
fn split_glued(word: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::with_capacity(1);
    let mut start = 0;
    let mut lower_run = 0;
    let mut chars = word.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_uppercase() && lower_run >= 3 && chars.peek().is_some_and(|n| n.1.is_lowercase()) {
            out.push((start, &word[start..i]));
            start = i;
        }
        lower_run = if c.is_lowercase() { lower_run + 1 } else { 0 };
    }
    out.push((start, &word[start..]));
    out
}

/// Groups of news words that report the same thing, each folded to its first member's stem:
/// irregular forms the stemmer misses ("wrote", "written") and the common paraphrases of
/// wire copy ("response" for "answer", "negotiations" for "talks").
const LEXICON: &[&[&str]] = &[
    &["write", "wrote", "written", "writing"],
    &["answer", "respons", "repli", "respond", "reaction"],
    &[
        "talk",
        "negoti",
        "negotiation",
        "discuss",
        "discussion",
        "dialogu",
        "consult",
        "consultation",
    ],
    &["guarante", "assur", "assurance"],
    &["demand", "request", "call", "urg", "ask", "insist"],
    &[
        "expand",
        "expans",
        "enlarg",
        "enlarge",
        "enlargement",
        "expansion",
    ],
    &[
        "attack",
        "aggress",
        "aggression",
        "offens",
        "invad",
        "invas",
        "invasion",
        "assault",
    ],
    &["troop", "forc", "soldier", "armi", "militari"],
    &["border", "frontier"],
    &["confer", "conference", "briefing", "brief"],
    &["warn", "threaten", "caution"],
    &["meet", "meeting", "met", "summit"],
    &["agreement", "accord", "deal", "treati", "pact", "agre"],
    &["sanction", "penalti", "restrict"],
    &["kill", "dead", "death", "die", "fatal"],
    &["injur", "wound", "hurt"],
    &["arrest", "detain", "detent", "custodi"],
    &["elect", "vote", "ballot", "poll"],
    &["declin", "refus", "reject", "deni", "dismiss"],
    &["hope", "expect", "wait", "await"],
    &["year", "annual"],
    &["wish", "want", "seek", "desir"],
    &[
        "fail",
        "failur",
        "unsuccess",
        "collaps",
        "stall",
        "deadlock",
    ],
];

/// A per-thread memo of a string function: at most `cap` entries, emptied when full (so a
/// stream of many articles does not grow it without end).
type Memo = std::cell::RefCell<rustc_hash::FxHashMap<String, String>>;

/// `f(key)`, remembered in `memo`.
fn memoised(
    memo: &'static std::thread::LocalKey<Memo>,
    cap: usize,
    key: &str,
    f: impl FnOnce(&str) -> String,
) -> String {
    memo.with(|m| {
        if let Some(v) = m.borrow().get(key) {
            return v.clone();
        }
        let v = f(key);
        let mut m = m.borrow_mut();
        if m.len() >= cap {
            m.clear();
        }
        m.insert(key.to_string(), v.clone());
        v
    })
}

/// The stem of a content word, mapped to its lexicon group's canonical stem when it has one.
fn word_stem(norm: &str) -> String {
    // News repeats its words: each thread remembers the stems it made.
    thread_local! {
        static STEMS: Memo = Default::default();
    }
    memoised(&STEMS, 1 << 16, norm, |norm| {
        let stem = stemmer().stem(norm);
        lexicon(&stem)
            .or_else(|| lexicon(norm))
            .map_or(stem.into_owned(), str::to_string)
    })
}

/// The lexicon's canonical stem for `stem`, if it belongs to a group.
fn lexicon(stem: &str) -> Option<&'static str> {
    static MAP: OnceLock<rustc_hash::FxHashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        LEXICON
            .iter()
            .flat_map(|g| g.iter().map(move |w| (*w, g[0])))
            .collect()
    })
    .get(stem)
    .copied()
}

/// The word tokens of `text`, with byte spans relative to `text`. A two-word country or bloc
/// name ("United States", "European Union") is one token spanning both words.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for (offset, word) in text.split_word_bound_indices() {
        if !word.chars().any(char::is_alphanumeric) {
            continue;
        }
        for (rel, part) in split_glued(word) {
            let start = offset + rel;
            let mut norm = fold(part);
            for suffix in ["'s", "'"] {
                if norm.len() > suffix.len() + 1 && norm.ends_with(suffix) {
                    norm.truncate(norm.len() - suffix.len());
                    break;
                }
            }
            let (class, stem) = if let Some(n) = canonical_number(&norm) {
                (TokenClass::Number, n)
            } else if let Some(n) = number_word(&norm) {
                (TokenClass::Number, n.to_string())
            } else if is_stop_word(&norm) && !is_country_acronym(part, &norm) {
                (TokenClass::Stop, norm.clone())
            } else {
                (TokenClass::Word, word_stem(&norm))
            };
            out.push(Token {
                start,
                end: start + part.len(),
                norm,
                stem,
                capitalised: part.chars().next().is_some_and(char::is_uppercase),
                initial: out.is_empty(),
                class,
            });
        }
    }
    join_two_word_names(text, &mut out);
    out
}

/// Join open compounds that are written closed elsewhere in the same texts: when `cyber` and
/// `attack` stand side by side in one sentence while `cyberattack` is a word of some sentence,
/// the two tokens become one (its span covers both). Outlets differ in how they write
/// compounds ("web site", "cease-fire", "cyber attack"), and without this a shared word is
/// lost on both sides. Only a compound the texts themselves contain is made, so nothing is
/// joined by guesswork.
#[cfg(test)]
fn join_compounds(sentences: &mut [Vec<Token>]) {
    let joined: Vec<Option<Vec<Token>>> = {
        let closed = closed_compounds(sentences.iter().map(Vec::as_slice));
        sentences
            .iter()
            .map(|toks| join_compounds_in(toks, &closed))
            .collect()
    };
    for (toks, j) in sentences.iter_mut().zip(joined) {
        if let Some(j) = j {
            *toks = j;
        }
    }
}

/// The words of `sentences` a compound may be joined to (`join_compounds`): every content
/// word's folded form.
pub fn closed_compounds<'a>(
    sentences: impl IntoIterator<Item = &'a [Token]>,
) -> rustc_hash::FxHashSet<&'a str> {
    sentences
        .into_iter()
        .flatten()
        .filter(|t| t.class == TokenClass::Word)
        .map(|t| t.norm.as_str())
        .collect()
}

/// `toks` with the open compounds joined that `closed` ([`closed_compounds`]) writes closed,
/// or `None` when there is none (the common case, which copies nothing).
pub fn join_compounds_in(
    toks: &[Token],
    closed: &rustc_hash::FxHashSet<&str>,
) -> Option<Vec<Token>> {
    // One buffer for the candidate compound: most word pairs are not one.
    let mut joined = String::new();
    let mut compound = |a: &Token, b: &Token| -> bool {
        if a.class != TokenClass::Word || b.class != TokenClass::Word {
            return false;
        }
        joined.clear();
        joined.push_str(&a.norm);
        joined.push_str(&b.norm);
        closed.contains(joined.as_str())
    };
    // Left to right, the first pair that is a compound is the first merge_pairs makes.
    if !toks.windows(2).any(|w| compound(&w[0], &w[1])) {
        return None;
    }
    let mut out = toks.to_vec();
    merge_pairs(&mut out, |a, b| {
        compound(a, b).then(|| {
            let norm = format!("{}{}", a.norm, b.norm);
            Token {
                end: b.end,
                stem: word_stem(&norm),
                norm,
                ..a.clone()
            }
        })
    });
    Some(out)
}

/// Fold a (folded, lower-case) name so transliteration variants meet: Sergei = Sergey,
/// Ryabkov = Riabkov, Yuriy = Yuri, Kharkov = Harkov, and doubled letters count once.
pub fn name_key(norm: &str) -> String {
    let mut s = norm.to_string();
    for (from, to) in [
        ("shch", "sch"),
        ("kh", "h"),
        ("zh", "j"),
        ("iy", "i"),
        ("yi", "i"),
        ("ey", "ei"),
        ("y", "i"),
        ("ii", "i"),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if out.ends_with(c) && c.is_alphabetic() {
            continue;
        }
        out.push(c);
    }
    out
}

/// The key a capitalised word is matched by as a name: the country it names, if any ("Russian"
/// → "russia"), folded across transliterations by [`name_key`].
pub fn name_term(norm: &str) -> String {
    // Every pair and the findings ask for the same names again: each thread remembers them.
    thread_local! {
        static NAMES: Memo = Default::default();
    }
    memoised(&NAMES, 1 << 14, norm, |norm| name_key(country_of(norm)))
}

/// Whether two name keys (see [`name_key`]) are spellings of one name: equal, or at least
/// five letters, one edit apart, with the same first two and last two letters. That catches
/// slips such as "Ryakov" for "Ryabkov" and keeps Russia/Russian, Ukraine/Ukrainian and
/// Austria/Australia apart.
pub fn names_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let ca: Vec<char> = a.chars().collect();
    let cb: Vec<char> = b.chars().collect();
    if ca.len() < 5 || cb.len() < 5 || ca.iter().chain(&cb).any(|c| !c.is_alphabetic()) {
        return false;
    }
    ca[..2] == cb[..2] && ca[ca.len() - 2..] == cb[cb.len() - 2..] && strsim::levenshtein(a, b) <= 1
}

/// Name keys longer than this are never clustered (the longest real surnames are under 30
/// letters).
pub const MAX_NAME_CHARS: usize = 40;

/// Group name keys that are spellings of one another (see [`names_match`]); map each key to its cluster's
/// representative (the smallest key, so the mapping is deterministic).
///
/// Near-linear, with no size cut-off: two keys one edit apart meet under a shared deletion
/// key (the key with one letter removed, as in SymSpell). A substitution at position `p`
/// leaves both keys equal without letter `p`; an insertion leaves the longer key equal to the
/// shorter. Only positions [`names_match`] allows are indexed (not in the first or last two
/// letters), so every pair found under one deletion key is a match and each bucket is joined
/// in one pass: the work is the number of keys times their length.
pub fn cluster_names(keys: &[String]) -> HashMap<String, String> {
    let mut sorted: Vec<&String> = keys.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut parent: Vec<usize> = (0..sorted.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    fn union(p: &mut [usize], a: usize, b: usize) {
        let (ra, rb) = (find(p, a), find(p, b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            p[hi] = lo;
        }
    }
    let id: HashMap<&str, usize> = sorted
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    // (key without letter p, p) → first key seen with it: same-length keys that differ only
    // at p (a substitution).
    let mut first_with: HashMap<(String, usize), usize> = HashMap::new();
    for (i, k) in sorted.iter().enumerate() {
        let chars: Vec<char> = k.chars().collect();
        // Deletion keys cost the square of a key's length: a "name" longer than any real one
        // (a glued run of letters) is left unclustered rather than made costly.
        if chars.len() < 5
            || chars.len() > MAX_NAME_CHARS
            || !chars.iter().all(|c| c.is_alphabetic())
        {
            continue;
        }
        for p in 2..chars.len() - 2 {
            let deleted: String = chars[..p].iter().chain(&chars[p + 1..]).collect();
            // An insertion: this key less one middle letter is another key.
            if let Some(&j) = id.get(deleted.as_str()) {
                if names_match(k, sorted[j]) {
                    union(&mut parent, i, j);
                }
            }
            match first_with.entry((deleted, p)) {
                std::collections::hash_map::Entry::Occupied(e) => union(&mut parent, i, *e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i);
                }
            }
        }
    }
    (0..sorted.len())
        .map(|i| {
            let r = find(&mut parent, i);
            (sorted[i].clone(), sorted[r].clone())
        })
        .collect()
}

/// FNV-1a, 64 bits: small, fixed and the same on every platform and run (finding ids,
/// order-free tie-breaks).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random keys over a small alphabet, so many are one edit apart.
    fn keys(n: usize, alphabet: &[u8], seed: u64) -> Vec<String> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let len = 4 + (x >> 60) as usize % 5;
                (0..len)
                    .map(|k| {
                        let r = x.rotate_left(7 * k as u32 + 3);
                        alphabet[(r % alphabet.len() as u64) as usize] as char
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn name_clusters_equal_the_pairwise_closure() {
        // Base keys and one-edit variants of them, edits anywhere (the first and last two
        // letters too, which must not match).
        let mut ks = Vec::new();
        for (n, base) in keys(150, b"abcde", 7).into_iter().enumerate() {
            let c: Vec<char> = base.chars().collect();
            let p = n % c.len();
            let sub: String = c
                .iter()
                .enumerate()
                .map(|(i, &x)| if i == p { 'z' } else { x })
                .collect();
            let del: String = c
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != (n * 7) % c.len())
                .map(|x| *x.1)
                .collect();
            let mut ins = c.clone();
            ins.insert((n * 3) % (c.len() + 1), 'y');
            ks.extend([base, sub, del, ins.into_iter().collect()]);
        }
        let got = cluster_names(&ks);
        // Brute force: union every matching pair.
        let mut sorted: Vec<&String> = ks.iter().collect();
        sorted.sort();
        sorted.dedup();
        let mut rep: Vec<usize> = (0..sorted.len()).collect();
        loop {
            let mut changed = false;
            for a in 0..sorted.len() {
                for b in a + 1..sorted.len() {
                    if names_match(sorted[a], sorted[b]) && rep[a] != rep[b] {
                        let m = rep[a].min(rep[b]);
                        rep[a] = m;
                        rep[b] = m;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let matching = (0..sorted.len()).filter(|&i| rep[i] != i).count();
        assert!(matching > 20, "the test needs matching keys: {matching}");
        for (i, k) in sorted.iter().enumerate() {
            assert_eq!(&got[*k], sorted[rep[i]], "{k}");
        }
    }

    #[test]
    fn a_very_long_capitalised_word_costs_no_more_than_its_length() {
        let long = "bcdefghij".repeat(20_000);
        let reps = cluster_names(&[long.clone(), "stoltenberg".into(), "stoltenburg".into()]);
        assert_eq!(reps[&long], long);
        assert_eq!(reps["stoltenberg"], reps["stoltenburg"]);
    }

    #[test]
    fn name_clustering_has_no_size_cut_off() {
        for n in [1_990, 20_000] {
            // All in the first letter's bucket the old clustering switched off above 2,000.
            let mut ks: Vec<String> = keys(n, b"sabcdefghijklmnoprtuvwz", 11)
                .into_iter()
                .map(|k| format!("s{k}"))
                .collect();
            ks.push("stoltenberg".into());
            ks.push("stoltenburg".into());
            let reps = cluster_names(&ks);
            assert_eq!(reps["stoltenberg"], reps["stoltenburg"], "{n} names");
        }
    }

    #[test]
    fn open_compounds_join_only_when_the_texts_write_them_closed() {
        let text_a = "Websites were hit by a massive cyber attack.";
        let text_b = "A cyberattack paralysed government web sites.";
        let mut all = vec![tokens(text_a), tokens(text_b)];
        join_compounds(&mut all);
        let norms: Vec<&str> = all[0].iter().map(|t| t.norm.as_str()).collect();
        assert!(norms.contains(&"cyberattack"), "{norms:?}");
        let joined = all[0].iter().find(|t| t.norm == "cyberattack");
        assert_eq!(
            joined.map(|t| &text_a[t.start..t.end]),
            Some("cyber attack")
        );
        assert_eq!(
            joined.map(|t| t.stem.as_str()),
            all[1].get(1).map(|t| t.stem.as_str())
        );
        // "web sites" joins because "websites" is written closed in the other text.
        assert!(all[1].iter().any(|t| t.norm == "websites"));
        // Nothing joins without a closed form to match.
        let mut lone = vec![tokens("a massive cyber attack")];
        join_compounds(&mut lone);
        assert_eq!(lone[0].len(), 4);
    }

    #[test]
    fn country_names_meet_across_spellings() {
        let text = "the United States, the Russian Federation and us";
        let toks = tokens(text);
        let us = toks.iter().find(|t| t.norm == "united states");
        assert_eq!(us.map(|t| &text[t.start..t.end]), Some("United States"));
        assert_eq!(us.map(|t| country_of(&t.norm)), Some("us"));
        let ru = toks.iter().find(|t| t.norm == "russian federation");
        assert_eq!(ru.map(|t| country_of(&t.norm)), Some("russia"));
        // The pronoun stays a stop word; the capitalised acronym is the country.
        assert_eq!(toks.last().map(|t| t.class), Some(TokenClass::Stop));
        let acronym = tokens("Russia urges US");
        assert_eq!(acronym[2].class, TokenClass::Word);
        assert_eq!(country_of(&acronym[2].norm), "us");
        assert_eq!(country_of("russian"), "russia");
        assert_eq!(country_of("ukrainians"), "ukraine");
        assert_eq!(country_of("lavrov"), "lavrov");
        // Possessive acronym; punctuation between the words keeps them apart.
        assert_eq!(tokens("the US's position")[1].class, TokenClass::Word);
        assert_eq!(tokens("the United, States").len(), 3);
        // "America" in Latin America is not the US.
        let latin = tokens("Latin America");
        assert_eq!(latin.len(), 1);
        assert_eq!(country_of(&latin[0].norm), "latin america");
    }

    #[test]
    fn failure_words_share_a_stem() {
        let stems: Vec<String> = tokens("unsuccessful failure failed")
            .into_iter()
            .map(|t| t.stem)
            .collect();
        assert!(stems.iter().all(|s| s == &stems[0]), "{stems:?}");
    }

    #[test]
    fn fold_handles_quotes_dashes_case_and_diacritics() {
        assert_eq!(fold("“Ça” – Alliance’s…"), "\"ca\" - alliance's...");
        assert_eq!(fold("ﬁve"), "five");
    }

    #[test]
    fn tokens_split_glued_words_and_keep_spans() {
        let t = "in the negotiationsLavrov said";
        let toks = tokens(t);
        let words: Vec<&str> = toks.iter().map(|k| &t[k.start..k.end]).collect();
        assert_eq!(words, vec!["in", "the", "negotiations", "Lavrov", "said"]);
        assert!(toks[3].capitalised);
        let toks = tokens("McDonald iPhone");
        assert_eq!(toks.len(), 2);
    }

    #[test]
    fn numbers_are_canonical() {
        let a = tokens("100,000 troops");
        let b = tokens("100000 troops");
        assert_eq!(a[0].stem, b[0].stem);
        assert_eq!(a[0].class, TokenClass::Number);
        assert_eq!(tokens("two rounds")[0].stem, "2");
        assert_eq!(canonical_number("1,5").as_deref(), Some("1.5"));
        assert_eq!(canonical_number("1,500,000").as_deref(), Some("1500000"));
        assert_eq!(canonical_number("2.5").as_deref(), Some("2.5"));
    }

    #[test]
    fn possessive_and_stemming() {
        let a = tokens("Russia’s proposals");
        let b = tokens("Russia proposal");
        assert_eq!(a[0].norm, "russia");
        assert_eq!(a[1].stem, b[1].stem);
    }

    #[test]
    fn transliteration_variants_meet() {
        assert_eq!(name_key("sergei"), name_key("sergey"));
        assert_eq!(name_key("ryabkov"), name_key("riabkov"));
        assert!(names_match(&name_key("ryakov"), &name_key("ryabkov")));
        assert!(names_match(&name_key("ryakhkov"), &name_key("ryabkov")));
        assert!(!names_match(&name_key("lavrov"), &name_key("larsen")));
        assert!(!names_match(&name_key("russia"), &name_key("prussia")));
        assert!(!names_match(&name_key("austria"), &name_key("australia")));
        assert!(!names_match(&name_key("russia"), &name_key("russian")));
    }
}
