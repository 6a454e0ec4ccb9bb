//! Editorial findings end to end: the checklist on the fixtures, stable ids, --fail-on and
//! --accept through the binary.

use storydiff::model::{FindingKind, Report, Severity};

use crate::{storydiff, trio};

fn report(paths: &[String]) -> Report {
    let out = crate::ok_output(
        storydiff()
            .arg("compare")
            .args(["--format", "json"])
            .args(paths),
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn checklist_catches_name_variants_and_quote_variants_on_the_trio() {
    let out = storydiff()
        .arg("check")
        .args(trio())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.starts_with("# storydiff review checklist"));
    // Ryakov, Ryakhkov and Riabkov for one person inside Brasov: an inconsistency (medium).
    let line = md
        .lines()
        .find(|l| l.contains("name-spelling") && l.contains("Riabkov"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(
        line.contains("Ryakov") && line.contains("Ryakhkov"),
        "{line}"
    );
    assert!(md
        .lines()
        .any(|l| l.contains("name-spelling") && l.contains("Sergei") && l.contains("Sergey")));
    // The same Lavrov remark translated differently by EPA and Brasov.
    assert!(md.contains("quote-wording: epa and brasov quote the same remark"));
    assert!(md.contains("**reaching a consensus**") && md.contains("~~achieving accord~~"));
    // Every item is a task.
    for l in md.lines().filter(|l| l.starts_with("- ")) {
        assert!(l.starts_with("- [ ] "), "{l}");
    }
    let r = report(&trio());
    let names = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::NameSpelling)
        .count();
    assert!(names >= 2);
    let ryabkov = r
        .findings
        .iter()
        .find(|f| f.explanation.contains("Riabkov"))
        .unwrap_or_else(|| panic!("no Riabkov finding"));
    assert_eq!(ryabkov.severity, Severity::Medium);
}

#[test]
fn all_five_seeds_join_ryabkov_with_its_variants() {
    let mut paths = trio();
    paths.push(crate::fixture(
        "other-events/nato-russia-council-2022-01-12.txt",
    ));
    let r = report(&paths);
    let f = r
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::NameSpelling && f.explanation.contains("Ryabkov"))
        .unwrap_or_else(|| panic!("{:?}", r.findings));
    for v in ["Riabkov", "Ryakov", "Ryakhkov"] {
        assert!(f.explanation.contains(v), "{}", f.explanation);
    }
}

#[test]
fn ids_survive_reruns_and_an_unrelated_edit() {
    let first = report(&trio());
    let again = report(&trio());
    assert_eq!(first.findings, again.findings);
    // Append an unrelated paragraph to the KUNA article and compare the ids of the findings
    // that do not involve KUNA's text.
    let dir = std::env::temp_dir().join(format!("storydiff-ids-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let kuna = std::fs::read_to_string(&trio()[0]).unwrap_or_default();
    let edited = dir.join("kuna.txt");
    std::fs::write(
        &edited,
        format!("{kuna}\n\nOil prices rose in Asian trading on Friday.\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let t = trio();
    let second = report(&[
        edited.to_string_lossy().into_owned(),
        t[1].clone(),
        t[2].clone(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    let ids = |r: &Report, kind: FindingKind| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.id.clone())
            .collect()
    };
    for kind in [FindingKind::NameSpelling, FindingKind::QuoteWording] {
        assert!(!ids(&first, kind).is_empty());
        assert_eq!(ids(&first, kind), ids(&second, kind), "{kind:?}");
    }
    let quotes_b: Vec<String> = second.findings.iter().map(|f| f.id.clone()).collect();
    let kept = first
        .findings
        .iter()
        .filter(|f| quotes_b.contains(&f.id))
        .count();
    assert!(
        kept * 10 >= first.findings.len() * 9,
        "{kept} of {}",
        first.findings.len()
    );
}

#[test]
fn fail_on_and_accept_gate_the_exit_code() {
    let t = trio();
    let r = report(&t);
    let high: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::High)
        .map(|f| f.id.as_str())
        .collect();
    assert!(!high.is_empty());
    let run = |extra: &[&str]| {
        storydiff()
            .arg("check")
            .args(extra)
            .args(&t)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(run(&["--fail-on", "high"]).status.code(), Some(1));
    // Dismiss every high finding: the high gate passes, the medium gate still fails.
    let dir = std::env::temp_dir().join(format!("storydiff-accept-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let accept = dir.join("accepted.txt");
    let body = format!(
        "# dismissed by the desk\n\n{}  # checked\n",
        high.join("\n")
    );
    std::fs::write(&accept, body).unwrap_or_else(|e| panic!("{e}"));
    let a = accept.to_string_lossy().into_owned();
    let out = run(&["--fail-on", "high", "--accept", &a]);
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains(&format!("({} dismissed with --accept)", high.len())),
        "{md}"
    );
    assert!(high.iter().all(|id| !md.contains(id)));
    assert_eq!(
        run(&["--fail-on", "medium", "--accept", &a]).status.code(),
        Some(1)
    );
    // Accepting everything passes any gate.
    let all: Vec<&str> = r.findings.iter().map(|f| f.id.as_str()).collect();
    std::fs::write(&accept, all.join("\n")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        run(&["--fail-on", "low", "--accept", &a]).status.code(),
        Some(0)
    );
    let _ = std::fs::remove_dir_all(&dir);
    // A missing accept file is an error (2), not a pass.
    let out = run(&["--fail-on", "low", "--accept", "no/such/accepted.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/accepted.txt: no such file"));
}

#[test]
fn findings_appear_in_the_terminal_view() {
    let out = storydiff()
        .args(["compare", "--color", "never"])
        .args(trio())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("== findings: "));
    assert!(s
        .lines()
        .any(|l| l.starts_with("! ") && l.contains("name-spelling")));
}

#[test]
fn checklist_escapes_markdown_and_html_from_articles() {
    let evil =
        "\"<img src=x onerror=alert(1)> [click](javascript:alert(1)) **now** please\" she said.\n";
    let out = storydiff()
        .args(["check", "-", &trio()[0]])
        .write_stdin(evil)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"), "{md}");
    assert!(!md.contains("<img") && !md.contains("[click]("));
}
