//! Bad input: one clear line on stderr naming the input, exit code 2, never a panic.

use std::io::Write;

use crate::{storydiff, trio};

fn temp_file(name: &str, bytes: &[u8]) -> (tempdir::Dir, String) {
    let dir = tempdir::Dir::new(name);
    let path = dir.path.join(name);
    let mut f = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    f.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    let p = path.to_string_lossy().into_owned();
    (dir, p)
}

/// A throw-away directory under the target dir, removed on drop.
pub(crate) mod tempdir {
    pub struct Dir {
        pub path: std::path::PathBuf,
    }
    impl Dir {
        pub fn new(tag: &str) -> Self {
            let path =
                std::env::temp_dir().join(format!("storydiff-test-{}-{tag}", std::process::id()));
            std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("{e}"));
            Dir { path }
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Run compare on `bad` plus a good article; expect exit 2 and one stderr line containing
/// every string of `expect`.
fn fails_with(bad: &str, expect: &[&str]) {
    let out = storydiff()
        .args(["compare", &trio()[0], bad])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("storydiff: error: "), "{err}");
    for e in expect {
        assert!(err.contains(e), "{err:?} lacks {e:?}");
    }
    assert!(!err.contains("panicked") && !err.contains("internal error"));
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_file() {
    fails_with(
        "no/such/article.txt",
        &["no/such/article.txt", "no such file"],
    );
}

#[test]
fn directory() {
    let d = tempdir::Dir::new("dir");
    let p = d.path.to_string_lossy().into_owned();
    fails_with(&p, &[&p, "is a directory"]);
}

#[test]
fn empty_and_blank_files() {
    let (_d, p) = temp_file("empty.txt", b"");
    fails_with(&p, &[&p, "empty file"]);
    let (_d2, p2) = temp_file("blank.txt", b"  \n\r\n\t\n");
    fails_with(&p2, &[&p2, "empty file"]);
}

#[test]
fn only_boilerplate_is_compared_as_body_and_said() {
    // A lone photo caption is chrome inside an article, but all the user gave.
    let (_d, p) = temp_file("chrome.txt", b"A+ A-\n\nRead also: something else\n");
    let out = crate::ok_output(storydiff().args(["compare", "--format", "json", &trio()[0], &p]));
    let r: storydiff::Report =
        storydiff::wire::read_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let a = &r.articles[1];
    assert_eq!(a.sentences.len(), 2);
    assert!(a.boilerplate.is_empty());
    assert_eq!(
        a.notes,
        vec!["every line looked like site chrome (2 line(s)); compared as body text"]
    );
    let out = crate::ok_output(storydiff().args(["compare", "--color", "never", &trio()[0], &p]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("note: chrome: every line looked like site chrome"),
        "{text}"
    );
}

#[test]
fn utf16_is_named() {
    let bytes: Vec<u8> = "\u{feff}Lavrov met Blinken."
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let (_d, p) = temp_file("wide.txt", &bytes);
    fails_with(&p, &[&p, "UTF-16 text", "iconv"]);
}

/// Run storydiff with `args`; expect exit 2 and one stderr line containing `expect`.
fn refused(args: &[&str], expect: &str) {
    let out = storydiff()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(expect), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
}

#[test]
fn conflicting_or_ignored_flags_are_errors() {
    let t = trio();
    let (a, b) = (t[0].as_str(), t[1].as_str());
    refused(
        &["check", "--format", "json", a, b],
        "check writes the checklist",
    );
    refused(
        &["compare", "--min-similarity", "0.3", a, b],
        "only with --by-event",
    );
    refused(
        &["compare", "--timestamp", a, b],
        "--timestamp applies only",
    );
    refused(
        &["compare", "--format", "json", "--width", "90", a, b],
        "--width applies only",
    );
    refused(
        &["compare", "--format", "html", "--color", "always", a, b],
        "--color applies only",
    );
    refused(
        &["compare", "--stat", "--format", "json", a, b],
        "--stat applies only to the terminal view, not --format json",
    );
    refused(
        &["check", "--stat", a, b],
        "--stat applies only to the terminal view, not --format checklist",
    );
    refused(
        &[
            "compare",
            "--format",
            "html",
            "--layout",
            "side-by-side",
            a,
            b,
        ],
        "--layout applies only to the terminal view, not --format html",
    );
    refused(
        &["check", "--only", "findings", a, b],
        "--only applies only to the terminal view, not --format checklist",
    );
    refused(
        &["compare", "--format", "json", "--only", "added", a, b],
        "--only applies only to the terminal view, not --format json",
    );
    refused(
        &["compare", "--stat", "--only", "dropped", a, b],
        "--only dropped and --stat",
    );
    refused(
        &["compare", "--stat", "--layout", "side-by-side", a, b],
        "--layout and --stat",
    );
    for when in ["always", "never"] {
        refused(
            &["compare", "--paging", when, "-o", "/dev/null", a, b],
            "--paging applies only to standard output",
        );
    }
    for bad in ["NaN", "inf", "-0.1", "1.5", "x"] {
        let flag = format!("--min-similarity={bad}");
        refused(&["group", &flag, a, b], "--min-similarity");
        refused(&["compare", "--by-event", &flag, a, b], "--min-similarity");
    }
    // The explicit form of the default is fine.
    crate::ok_output(storydiff().args(["check", "--format", "checklist", a, b]));
    crate::ok_output(storydiff().args(["compare", "--paging", "auto", "-o", "/dev/null", a, b]));
    crate::ok_output(storydiff().args(["compare", "--stat", "--format", "terminal", a, b]));
}

#[test]
fn binary_data() {
    let (_d, p) = temp_file("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    fails_with(&p, &[&p, "binary data", "offset 8"]);
}

#[test]
fn non_utf8_names_the_offset() {
    let (_d, p) = temp_file("latin1.txt", b"The pound sign \xa3 is Latin-1.");
    fails_with(
        &p,
        &[
            &p,
            "not valid UTF-8",
            "offset 15",
            // One non-ASCII byte is too little to tell Latin-1 from Latin-2.
            "it looks like windows-125",
            "--encoding auto",
        ],
    );
}

/// A legacy-encoded article: refused with a hint by default; with `--encoding auto` or the
/// encoding named, read as the same article in UTF-8 is, with a note that offsets are of
/// the decoded text.
#[test]
fn legacy_encodings_are_detected_and_decoded_on_request() {
    let utf8 = "Le président a déclaré mardi à Genève que les négociations continueraient.\n\n\
                Les ministres se réuniront à nouveau en février, a-t-il ajouté.\n";
    let cases: [(&str, &str, &'static encoding_rs::Encoding); 3] = [
        ("fr-latin1.txt", "windows-1252", encoding_rs::WINDOWS_1252),
        ("ru-koi8.txt", "koi8-r", encoding_rs::KOI8_R),
        ("ja-sjis.txt", "shift_jis", encoding_rs::SHIFT_JIS),
    ];
    let texts = [
        utf8.to_string(),
        "Министр иностранных дел России Сергей Лавров заявил в пятницу, что Москва ждёт письменного ответа.\n\n\
         Переговоры в Женеве продолжатся на следующей неделе, сообщили дипломаты.\n"
            .to_string(),
        "ロシアのラブロフ外相は金曜日、モスクワで記者会見を開き、米国の回答を待っていると述べた。\n\n\
         交渉は来週ジュネーブで続けられる予定だと外交筋は語った。\n"
            .to_string(),
    ];
    for ((name, label, enc), text) in cases.iter().zip(&texts) {
        let (bytes, _, unmappable) = enc.encode(text);
        assert!(!unmappable, "{name}");
        let (_d, legacy) = temp_file(name, &bytes);
        let (_d2, plain) = temp_file(&format!("utf8-{name}"), text.as_bytes());
        // Refused, naming the file and the guess.
        let out = storydiff()
            .args(["compare", &plain, &legacy])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&legacy), "{err}");
        // KOI8-U is a superset of KOI8-R, and reads Russian the same.
        let guess = &label[..label.len().min(4)];
        assert!(
            err.contains(&format!("looks like {guess}")),
            "{name}: {err}"
        );
        // Decoded: the same sentences as the UTF-8 copy, and a note.
        for how in ["auto", label] {
            let out = crate::ok_output(storydiff().args([
                "compare",
                "--format",
                "json",
                "--encoding",
                how,
                &plain,
                &legacy,
            ]));
            let r: storydiff::model::Report =
                storydiff::wire::read_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
            let sentences = |k: usize| -> Vec<String> {
                r.articles[k]
                    .sentences
                    .iter()
                    .map(|s| s.text.clone())
                    .collect()
            };
            assert_eq!(sentences(0), sentences(1), "{name} --encoding {how}");
            let notes = r.articles[1].notes.join("\n");
            let from = if how == "auto" {
                format!("decoded from {}", &enc.name()[..4])
            } else {
                format!("decoded from {} (as asked)", enc.name())
            };
            assert!(
                notes.contains(&from) && notes.contains("offsets are of the decoded UTF-8 text"),
                "{name}: {notes}"
            );
            assert!(r.articles[0].notes.is_empty());
        }
    }
    refused(
        &["compare", "--encoding", "klingon", &trio()[0], &trio()[1]],
        "--encoding klingon: not an encoding name",
    );
}

#[test]
fn a_single_article() {
    let out = storydiff()
        .args(["compare", &trio()[0]])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("need at least two articles"), "{err}");
}

#[test]
fn label_count_and_unknown_base() {
    let t = trio();
    let out = storydiff()
        .args(["compare", "--label", "a", &t[0], &t[1]])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--label given 1 time(s) for 2 input(s)"));
    let out = storydiff()
        .args(["compare", "--base", "reuters", &t[0], &t[1]])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--base reuters: no article has this label (labels: kuna, epa)"));
}

#[test]
fn enormous_lines_are_handled() {
    // 3 MB in one line with no sentence end, and 20,000 short sentences on one line.
    let one = "word ".repeat(600_000);
    let many = "Lavrov met Blinken in Geneva. ".repeat(20_000);
    let (_d, p1) = temp_file("one.txt", one.as_bytes());
    let (_d2, p2) = temp_file("many.txt", many.as_bytes());
    let out =
        crate::ok_output(storydiff().args(["compare", "--format", "json", &p1, &p2, &trio()[0]]));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        v["articles"][1]["sentences"].as_array().map(Vec::len),
        Some(20_000)
    );
}

#[test]
fn huge_widths_are_refused_and_a_huge_columns_is_clamped_not_a_panic() {
    let t = trio();
    for w in [
        "18446744073709551615",
        "100000000000",
        "18446744073709551616",
    ] {
        let out = storydiff()
            .args(["compare", "--color", "never", "--width", w, &t[0], &t[1]])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(2), "{w}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--width <N>"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // The environment's width is brought into range, as a terminal's is.
    let out = storydiff()
        .env("COLUMNS", "99999999999999")
        .args(["compare", "--color", "never", &t[0], &t[1]])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let longest = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.chars().count())
        .max();
    assert!(longest.unwrap_or(0) <= 1000);
}

#[test]
fn devices_without_a_size_hit_the_limit() {
    if !std::path::Path::new("/dev/zero").exists() {
        return;
    }
    // /dev/zero has no size: reading stops one byte past the limit.
    fails_with("/dev/zero", &["/dev/zero", "too large"]);
}

#[test]
fn file_names_cannot_inject_escape_sequences_into_errors() {
    let name = "evil\u{1b}[31mred\u{1b}]0;pwned\u{7}.txt";
    let out = storydiff()
        .args(["compare", &trio()[0], name])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("no such file"));
}

#[test]
fn budgets_are_said_in_the_output() {
    // One very long sentence on both sides, slightly edited: linked, but too long to diff word
    // by word.
    let long: String = (0..7_000).map(|i| format!("w{i} ")).collect();
    let a = format!("{long}end.\n");
    let b = format!("{long}finish.\n");
    let r = storydiff::Engine::default()
        .compare_texts(&[("a", &a), ("b", &b)])
        .unwrap_or_else(|e| panic!("{e}"));
    let link = &r.comparisons[0].links[0];
    assert!(link.fallback.is_some());
    let notes = r.all_notes();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("b against a, a sentence 1: word diff not computed")),
        "{notes:?}"
    );
}
