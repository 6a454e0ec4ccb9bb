//! Word diff inside a link, rendered from the original text.
//!
//! Both sides are cut into Unicode word-boundary segments (words and punctuation, each with
//! the spaces after it) and
//! compared by a case- and quote-folded key with `similar`'s Patience diff, which anchors on
//! words that occur once on each side rather than on frequent function words. A cleanup pass then
//! makes it read like an editor's markup: short equal runs of stop words, spaces or
//! punctuation trapped between two edits are folded into the edit, and each changed region is
//! shown as one deletion followed by one insertion. Tokens whose key matched but whose bytes
//! differ (curly vs straight quotes, "The" vs "the") are shown as changes, so that the
//! `equal`+`delete` chunks always give back the base text and `equal`+`insert` the other,
//! byte for byte.

use similar::{capture_diff_slices, Algorithm, DiffOp as SimilarOp};
use unicode_segmentation::UnicodeSegmentation;

use crate::model::{DiffChunk, DiffOp};
use crate::normalize;

/// Above this many segments on a side, the diff is not computed word by word (its cost grows
/// with the product of the sides): the link is shown as one deletion and one insertion.
pub const MAX_DIFF_SEGMENTS: usize = 6_000;

struct Segment<'a> {
    text: &'a str,
    key: String,
    significant: bool,
}

/// Word and punctuation segments, each carrying the white space that follows it, so that the
/// diff aligns words only (spaces never anchor a match).
fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (start, w) in text.split_word_bound_indices() {
        let end = start + w.len();
        match spans.last_mut() {
            Some(last) if w.chars().all(char::is_whitespace) => last.1 = end,
            _ => spans.push((start, end)),
        }
    }
    spans
        .into_iter()
        .map(|(s, e)| {
            let piece = &text[s..e];
            let word = piece.trim_end();
            let key = if word.is_empty() {
                " ".to_string()
            } else {
                normalize::fold(word)
            };
            let significant =
                word.chars().any(char::is_alphanumeric) && !normalize::is_stop_word(&key);
            Segment {
                text: piece,
                key,
                significant,
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Run {
    Equal(usize, usize, usize),
    Change(usize, usize, usize, usize),
}

/// Word diff of `old` against `new`; see the module docs for the guarantees.
pub fn word_diff(old: &str, new: &str) -> Vec<DiffChunk> {
    word_diff_with_fallback(old, new).0
}

/// [`word_diff`], and why it fell back to one deletion and one insertion when a side has more
/// than [`MAX_DIFF_SEGMENTS`] segments (`None` when it is word by word).
pub fn word_diff_with_fallback(old: &str, new: &str) -> (Vec<DiffChunk>, Option<String>) {
    let a = segments(old);
    let b = segments(new);
    if a.len() > MAX_DIFF_SEGMENTS || b.len() > MAX_DIFF_SEGMENTS {
        let why = format!(
            "word diff not computed: {} and {} words and marks, over the budget of {MAX_DIFF_SEGMENTS}; shown as one deletion and one insertion",
            a.len(),
            b.len()
        );
        let c = chunks(vec![
            (DiffOp::Delete, old.to_string()),
            (DiffOp::Insert, new.to_string()),
        ]);
        return (c, Some(why));
    }
    (diff_segments(&a, &b), None)
}

fn diff_segments(a: &[Segment<'_>], b: &[Segment<'_>]) -> Vec<DiffChunk> {
    let ka: Vec<&str> = a.iter().map(|s| s.key.as_str()).collect();
    let kb: Vec<&str> = b.iter().map(|s| s.key.as_str()).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &ka, &kb);

    // Runs of equal and changed segments, as index ranges [start, end) on each side.
    let mut runs: Vec<Run> = Vec::new();
    let push_change = |runs: &mut Vec<Run>, a0: usize, a1: usize, b0: usize, b1: usize| {
        if let Some(Run::Change(_, ea, _, eb)) = runs.last_mut() {
            *ea = a1;
            *eb = b1;
        } else {
            runs.push(Run::Change(a0, a1, b0, b1));
        }
    };
    for op in ops {
        match op {
            SimilarOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                // Split the equal run where the original words differ in bytes.
                let same_word =
                    |k: usize| a[old_index + k].text.trim_end() == b[new_index + k].text.trim_end();
                let mut k = 0;
                while k < len {
                    let same = same_word(k);
                    let mut e = k + 1;
                    while e < len && same_word(e) == same {
                        e += 1;
                    }
                    if same {
                        runs.push(Run::Equal(old_index + k, new_index + k, e - k));
                    } else {
                        push_change(
                            &mut runs,
                            old_index + k,
                            old_index + e,
                            new_index + k,
                            new_index + e,
                        );
                    }
                    k = e;
                }
            }
            SimilarOp::Delete {
                old_index,
                old_len,
                new_index,
            } => push_change(
                &mut runs,
                old_index,
                old_index + old_len,
                new_index,
                new_index,
            ),
            SimilarOp::Insert {
                old_index,
                new_index,
                new_len,
            } => push_change(
                &mut runs,
                old_index,
                old_index,
                new_index,
                new_index + new_len,
            ),
            SimilarOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => push_change(
                &mut runs,
                old_index,
                old_index + old_len,
                new_index,
                new_index + new_len,
            ),
        }
    }

    // Cleanup: fold trapped equal runs with no significant word into the edits around them.
    let mut cleaned: Vec<Run> = Vec::with_capacity(runs.len());
    for (idx, run) in runs.iter().enumerate() {
        let trapped = match *run {
            Run::Equal(oa, _, len) => {
                let between = idx > 0
                    && idx + 1 < runs.len()
                    && matches!(runs[idx - 1], Run::Change(..))
                    && matches!(runs[idx + 1], Run::Change(..));
                let words = a[oa..oa + len]
                    .iter()
                    .filter(|s| s.text.chars().any(char::is_alphanumeric))
                    .count();
                let significant = a[oa..oa + len].iter().any(|s| s.significant);
                between && !significant && words <= 3
            }
            Run::Change(..) => false,
        };
        let as_change = match *run {
            Run::Equal(oa, ob, len) if trapped => Run::Change(oa, oa + len, ob, ob + len),
            r => r,
        };
        match (cleaned.last_mut(), as_change) {
            (Some(Run::Change(_, ea, _, eb)), Run::Change(_, a1, _, b1)) => {
                *ea = a1;
                *eb = b1;
            }
            (_, r) => cleaned.push(r),
        }
    }

    let join = |segs: &[Segment], s: usize, e: usize| -> String {
        segs[s..e].iter().map(|x| x.text).collect()
    };
    let mut out: Vec<(DiffOp, String)> = Vec::new();
    for run in cleaned {
        match run {
            Run::Equal(oa, ob, len) => {
                // Same words; the spaces after them may differ (a line break, two spaces).
                for k in 0..len {
                    let (ta, tb) = (a[oa + k].text, b[ob + k].text);
                    let word = ta.trim_end();
                    let (wa, wb) = (&ta[word.len()..], &tb[tb.trim_end().len()..]);
                    out.push((DiffOp::Equal, word.to_string()));
                    if wa == wb {
                        out.push((DiffOp::Equal, wa.to_string()));
                    } else {
                        out.push((DiffOp::Delete, wa.to_string()));
                        out.push((DiffOp::Insert, wb.to_string()));
                    }
                }
            }
            Run::Change(a0, a1, b0, b1) => {
                let (mut old_text, mut new_text) = (join(a, a0, a1), join(b, b0, b1));
                // White space both sides end with is shown as unchanged, outside the marks.
                let mut tail = String::new();
                if !old_text.is_empty() && !new_text.is_empty() {
                    let common = common_ws_suffix(&old_text, &new_text);
                    tail = old_text[old_text.len() - common..].to_string();
                    old_text.truncate(old_text.len() - common);
                    new_text.truncate(new_text.len() - common);
                }
                out.push((DiffOp::Delete, old_text));
                out.push((DiffOp::Insert, new_text));
                out.push((DiffOp::Equal, tail));
            }
        }
    }
    chunks(out)
}

/// Length in bytes of the white space both strings end with.
fn common_ws_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y && x.is_whitespace())
        .map(|(x, _)| x.len_utf8())
        .sum()
}

/// Drop empty chunks and merge neighbours with the same operation.
fn chunks(ops: Vec<(DiffOp, String)>) -> Vec<DiffChunk> {
    let mut out: Vec<DiffChunk> = Vec::with_capacity(ops.len());
    for (op, text) in ops {
        if text.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&text),
            _ => out.push(DiffChunk { op, text }),
        }
    }
    out
}

/// The base side of a diff: `equal` and `delete` chunks in order.
pub fn old_side(diff: &[DiffChunk]) -> String {
    diff.iter()
        .filter(|c| c.op != DiffOp::Insert)
        .map(|c| c.text.as_str())
        .collect()
}

/// The other side of a diff: `equal` and `insert` chunks in order.
pub fn new_side(diff: &[DiffChunk]) -> String {
    diff.iter()
        .filter(|c| c.op != DiffOp::Delete)
        .map(|c| c.text.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn marked(old: &str, new: &str) -> String {
        word_diff(old, new)
            .iter()
            .map(|c| match c.op {
                DiffOp::Equal => c.text.clone(),
                DiffOp::Delete => format!("[-{}-]", c.text),
                DiffOp::Insert => format!("{{+{}+}}", c.text),
            })
            .collect()
    }

    #[test]
    fn simple_substitution() {
        assert_eq!(
            marked(
                "Sergey Lavrov said on Friday.",
                "Sergei Lavrov said on Thursday."
            ),
            "[-Sergey-]{+Sergei+} Lavrov said on [-Friday-]{+Thursday+}."
        );
    }

    #[test]
    fn trapped_stop_words_fold_into_one_edit() {
        let m = marked(
            "Russia is waiting for the written answers about proposals.",
            "Moscow wants a detailed written response to every proposal.",
        );
        assert!(!m.contains("] the ["), "{m}");
        assert!(m.contains("written"), "{m}");
    }

    #[test]
    fn curly_quotes_are_a_change_but_still_aligned() {
        let d = word_diff(
            "\u{201c}absolutely perfect\u{201d}",
            "\"absolutely perfect\"",
        );
        assert_eq!(old_side(&d), "\u{201c}absolutely perfect\u{201d}");
        assert_eq!(new_side(&d), "\"absolutely perfect\"");
        assert!(d
            .iter()
            .any(|c| c.op == DiffOp::Equal && c.text.contains("absolutely")));
    }

    #[test]
    fn words_followed_by_other_spacing_stay_equal() {
        let d = word_diff("a news conference about it", "a news conference.");
        assert!(
            d.iter()
                .any(|c| c.op == DiffOp::Equal && c.text.contains("conference")),
            "{d:?}"
        );
        let d = word_diff("Lavrov  said", "Lavrov\nsaid");
        assert_eq!(old_side(&d), "Lavrov  said");
        assert_eq!(new_side(&d), "Lavrov\nsaid");
    }

    #[test]
    fn huge_sides_fall_back_to_delete_insert() {
        // One word over the limit, and a word in common that a word diff would keep equal.
        let old = "word ".repeat(MAX_DIFF_SEGMENTS + 1);
        let d = word_diff(&old, "word other");
        assert!(d.iter().all(|c| c.op != DiffOp::Equal), "{:?}", &d[..1]);
        assert_eq!(d.len(), 2);
        assert_eq!(old_side(&d), old);
        let (_, why) = word_diff_with_fallback(&old, "word other");
        assert_eq!(
            why.as_deref(),
            Some("word diff not computed: 6001 and 2 words and marks, over the budget of 6000; shown as one deletion and one insertion")
        );
        // At the limit the diff is still word by word.
        let at = "word ".repeat(MAX_DIFF_SEGMENTS);
        assert!(word_diff(&at, "word other")
            .iter()
            .any(|c| c.op == DiffOp::Equal));
    }

    proptest! {
        #[test]
        fn diff_reconstructs_both_sides(
            old in "([A-Za-z’“”\"., -]|Lavrov|said|the){0,40}",
            new in "([A-Za-z’“”\"., -]|Lavrov|said|the){0,40}",
        ) {
            let d = word_diff(&old, &new);
            prop_assert_eq!(old_side(&d), old);
            prop_assert_eq!(new_side(&d), new);
            prop_assert!(d.iter().all(|c| !c.text.is_empty()));
        }

        #[test]
        fn diff_of_equal_texts_is_one_equal_chunk(s in "[a-zA-Z ,.]{1,60}") {
            let d = word_diff(&s, &s);
            prop_assert_eq!(d.len(), 1);
            prop_assert_eq!(d[0].op, DiffOp::Equal);
        }
    }
}
