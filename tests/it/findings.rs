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
    storydiff::wire::read_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
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

/// Every finding's evidence is exactly the bytes its span names in the article text, inside
/// the sentence it names.
pub fn assert_evidence_exact(r: &Report) {
    for f in &r.findings {
        assert!(!f.evidence.is_empty(), "{}: no evidence", f.id);
        for e in &f.evidence {
            let a = r
                .articles
                .get(e.article.index())
                .unwrap_or_else(|| panic!("{}: no article {}", f.id, e.article.index()));
            let s = a
                .sentences
                .get(e.sentence)
                .unwrap_or_else(|| panic!("{}: no sentence {}", f.id, e.sentence));
            assert!(
                s.start <= e.start && e.start <= e.end && e.end <= s.end,
                "{}: evidence {}..{} outside sentence {} ({}..{}): {:?}",
                f.id,
                e.start,
                e.end,
                e.sentence,
                s.start,
                s.end,
                e.text
            );
            assert_eq!(
                a.text.get(e.start..e.end),
                Some(e.text.as_str()),
                "{}",
                f.id
            );
        }
    }
}

const PRONOUN_AFTER_SOURCE: &str = "The ministers met for a long time on Monday in Geneva and then talked, Lavrov said.\nHe said the talks on the missile treaty would resume in March.\n";

#[test]
fn a_pronoun_after_a_named_source_is_evidence_in_its_own_sentence() {
    // It panicked (the earlier sentence's span applied to this one) or bolded wrong words.
    for (x, y) in [
        (
            PRONOUN_AFTER_SOURCE,
            "Lavrov said on Monday the talks on the missile treaty would resume in April.\n",
        ),
        (
            "Lavrov said on Monday the talks on the missile treaty would resume in April.\n",
            PRONOUN_AFTER_SOURCE,
        ),
    ] {
        let r = storydiff::Engine::default()
            .compare_texts(&[("a", x), ("b", y)])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_evidence_exact(&r);
    }
    let dir = std::env::temp_dir().join(format!("storydiff-pronoun-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let p = dir.join("two.txt");
    std::fs::write(&p, PRONOUN_AFTER_SOURCE).unwrap_or_else(|e| panic!("{e}"));
    let p = p.to_string_lossy().into_owned();
    for args in [
        vec![trio()[0].clone(), p.clone()],
        vec![p.clone(), trio()[0].clone()],
    ] {
        let r = report(&args);
        assert_evidence_exact(&r);
        for fmt in ["terminal", "checklist", "html"] {
            crate::ok_output(storydiff().args(["compare", "--format", fmt]).args(&args));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn attribution_to_a_resolved_pronoun_names_both() {
    let r = storydiff::Engine::default().compare_texts(&[
            ("a", "On Friday, Peskov told reporters in Moscow that the talks had ended.\nHe said NATO troops must leave the Baltic region by March.\n"),
            ("b", "On Friday, Peskov told reporters in Moscow that the talks had ended.\nStoltenberg said NATO troops must leave the Baltic region by March.\n"),
        ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_evidence_exact(&r);
    let f = r
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Attribution)
        .unwrap_or_else(|| panic!("{:#?}", r.findings));
    assert!(f.explanation.contains("He (Peskov)"), "{}", f.explanation);
    let texts: Vec<&str> = f.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, vec!["He", "Stoltenberg"]);
}

#[test]
fn evidence_is_exact_on_the_fixtures_in_every_pairing() {
    let mut args = crate::all_five();
    args.insert(0, "--all-pairs".into());
    let r = report(&args);
    assert!(r.findings.len() > 10);
    assert_evidence_exact(&r);
}

#[test]
fn a_report_read_back_from_json_gives_the_same_findings_and_renders() {
    let r = report(&trio());
    let again = storydiff::findings::find(&r.articles, &r.comparisons, &r.claims);
    assert_eq!(again, r.findings);
    for format in [
        storydiff_render::Format::Terminal,
        storydiff_render::Format::Html,
        storydiff_render::Format::Checklist,
    ] {
        let mut out = Vec::new();
        let opts = storydiff_render::RenderOptions {
            color: false,
            width: 80,
            timestamp: None,
            ..Default::default()
        };
        storydiff_render::render(&r, format, &opts, &mut out).unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.is_empty());
    }
}

#[test]
fn quote_evidence_never_runs_through_boilerplate() {
    let text = "Lavrov said: \u{201c}We will not wait forever for the answers.\n\nPhoto: Reuters\n\nThe West must put its guarantees in writing,\u{201d} he added.\n";
    let r = storydiff::Engine::default()
        .compare_texts(&[
            ("a", text),
            (
                "b",
                "Talks on security guarantees ended in Geneva on Friday.\n",
            ),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_evidence_exact(&r);
    let quoted: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::QuoteOnlyIn)
        .flat_map(|f| f.evidence.iter().map(|e| e.text.as_str()))
        .collect();
    assert!(!quoted.is_empty(), "{:#?}", r.findings);
    assert!(quoted.iter().all(|q| !q.contains("Photo")), "{quoted:?}");
}

#[test]
fn checklist_links_and_mentions_stay_text() {
    let dir = std::env::temp_dir().join(format!("storydiff-md-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let p = dir.join("evil.txt");
    std::fs::write(
        &p,
        "Fishermen said on Monday at https://evil.example/x and www.evil.example that 3 crates of salmon from @someone sold.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = crate::ok_output(
        storydiff()
            .arg("check")
            .arg(&trio()[0])
            .arg(p.to_string_lossy().as_ref()),
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("evil.example"), "{md}");
    assert!(
        !md.contains("https://") && !md.contains("www.evil") && !md.contains("@someone"),
        "{md}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every sentence of every article is in exactly one claim.
fn assert_claims_partition(r: &Report) {
    let mut seen = std::collections::BTreeMap::new();
    for c in r.claims.claims() {
        for m in &c.members {
            *seen.entry((r.label(m.article), m.sentence)).or_insert(0) += 1;
        }
    }
    for a in &r.articles {
        for s in &a.sentences {
            assert_eq!(
                seen.get(&(a.label.as_str(), s.index)),
                Some(&1),
                "{} {}",
                a.label,
                s.index
            );
        }
    }
    let total: usize = r.articles.iter().map(|a| a.sentences.len()).sum();
    assert_eq!(seen.len(), total);
}

#[test]
fn one_claim_graph_across_all_outlets_on_the_trio() {
    let r = report(&trio());
    assert_claims_partition(&r);
    let claim_of = |article: &str, sentence: usize| {
        r.claims.claims().iter().position(|c| {
            c.members
                .iter()
                .any(|m| r.label(m.article) == article && m.sentence == sentence)
        })
    };
    let text = |article: &str, i: usize| {
        r.find(article)
            .map(|a| r.article(a).sentences[i].text.clone())
            .unwrap_or_default()
    };
    // EPA's and Brasov's translations of the same TASS quote are one claim, though neither is
    // compared with the other in the view (both are compared with KUNA).
    let len = |label: &str| r.find(label).map_or(0, |a| r.article(a).sentences.len());
    let epa = (0..len("epa"))
        .find(|&i| text("epa", i).starts_with("Everybody understands that the prospects"))
        .unwrap_or_else(|| panic!("no EPA sentence"));
    let brasov = (0..len("brasov"))
        .find(|&i| text("brasov", i).contains("We are aware that the prospects"))
        .unwrap_or_else(|| panic!("no Brasov sentence"));
    assert_eq!(claim_of("epa", epa), claim_of("brasov", brasov));
    // The cyberattack is reported by EPA and Brasov: not "only brasov has this".
    assert!(!r.findings.iter().any(|f| f.kind == FindingKind::OnlyIn
        && f.evidence.iter().any(|e| e.text.contains("cyber attack"))));
    // Every link of the view lies inside one claim.
    for c in &r.comparisons {
        for l in &c.links {
            let first = claim_of(r.label(c.base), l.base[0]);
            assert!(l
                .base
                .iter()
                .all(|&i| claim_of(r.label(c.base), i) == first));
            assert!(l
                .other
                .iter()
                .all(|&j| claim_of(r.label(c.other), j) == first));
        }
    }
    let mut args = crate::all_five();
    args.insert(0, "--all-pairs".into());
    assert_claims_partition(&report(&args));
}

/// The HTML matrix and the checklist of one trio run agree on EPA's and Brasov's wordings of
/// the TASS quote: one matrix row carried by both (no outlet alone), and one quote-wording
/// finding naming both.
#[test]
fn matrix_and_checklist_agree_on_the_quote_variant() {
    let run = |format: &str| -> String {
        let out = crate::ok_output(
            storydiff()
                .arg("compare")
                .args(["--format", format])
                .args(trio()),
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let html = run("html");
    let rows: Vec<&str> = html
        .lines()
        .filter(|l| l.starts_with("<tr class=\"claim\""))
        .filter(|l| {
            l.contains("Everybody understands that the prospects")
                || l.contains("We are aware that the prospects")
        })
        .collect();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let row = rows[0];
    assert!(row.contains("data-only=\"[]\""), "{row}");
    for outlet in ["epa", "brasov"] {
        assert!(
            !row.contains(&format!("class=\"cell absent\" data-outlet=\"{outlet}\"")),
            "{outlet} absent: {row}"
        );
    }
    let checklist = run("checklist");
    assert!(
        checklist
            .lines()
            .any(|l| l.contains("quote-wording: epa and brasov quote the same remark")),
        "{checklist}"
    );
}
