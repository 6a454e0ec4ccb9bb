//! `compare`, `check`, `render` and `compare --by-event`: read articles, run the engine, render
//! the report, gate on `--fail-on`, write it where `-o` says (paged on a terminal).

use super::*;

pub(crate) fn run_compare(args: &CompareArgs) -> Result<i32, RunError> {
    if !args.labels.is_empty() && args.labels.len() != args.inputs.len() {
        return Err(RunError::Fail(format!(
            "--label given {} time(s) for {} input(s); give it once per input or not at all",
            args.labels.len(),
            args.inputs.len()
        )));
    }
    if args.inputs.iter().filter(|p| *p == "-").count() > 1 {
        return Err(Error::StdinTwice.into());
    }
    if args.by_event {
        return run_compare_by_event(args);
    }
    let bar = std::sync::Arc::new(StageBar::new());
    {
        use storydiff::progress::Progress;
        bar.stage("reading", args.inputs.len() as u64);
    }
    let mut articles = Vec::with_capacity(args.inputs.len());
    for (k, path) in args.inputs.iter().enumerate() {
        if path == "-" && io::stdin().is_terminal() {
            let _ = writeln!(
                io::stderr(),
                "storydiff: reading the article for '-' from standard input (end it with Ctrl-D)"
            );
        }
        let (raw, note) = ingest::read_input_decoding(
            path,
            args.labels.get(k).map(String::as_str),
            args.encoding.unwrap_or_default(),
        )?;
        articles.push(storydiff::build_article_noted(
            raw,
            args.keep_boilerplate,
            note.into_iter().collect(),
        )?);
        storydiff::progress::Progress::inc(bar.as_ref(), 1);
    }
    let engine = Engine::builder()
        .scoring(args.scorer.load()?)
        .base(args.base.clone())
        .all_pairs(args.all_pairs)
        .keep_boilerplate(args.keep_boilerplate)
        .progress(bar.clone())
        .build();
    let report = engine.compare(articles)?;
    drop(engine);
    drop(bar);
    show(report, args.format(), &args.out)
}

/// Dismiss the accepted findings of `report`, render it in `format` and write it where `out`
/// says: compare's and render's last step. The exit code says whether `--fail-on` tripped.
pub(crate) fn show(
    mut report: storydiff::Report,
    format: FormatArg,
    out: &OutputArgs,
) -> Result<i32, RunError> {
    let shown = Shown::resolve(format, out)?;
    if let Some(label) = &out.outlet {
        if report.find(label).is_none() {
            let labels: Vec<&str> = report.articles.iter().map(|a| a.label.as_str()).collect();
            return Err(RunError::Fail(format!(
                "--outlet {label}: no article has this label (labels: {})",
                labels.join(", ")
            )));
        }
    }
    dismiss(&mut report, &shown.accepted);
    let gate_failed = gate(out.fail_on, [&report]);
    let mut buf = Vec::new();
    render::render(&report, shown.format, &shown.options, &mut buf)
        .map_err(|e| io_error(e, "rendering"))?;
    emit(out, &buf)?;
    Ok(if gate_failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// The largest report `render` reads: a report holds its articles' text several times over.
pub(crate) const MAX_REPORT_BYTES: u64 = 16 * ingest::MAX_INPUT_BYTES;

/// `storydiff render REPORT`: read a saved JSON report back, check it, and show it.
pub(crate) fn run_render(args: &RenderArgs) -> Result<i32, RunError> {
    use std::io::Read as _;
    let path = args.report.as_str();
    let mut bytes = Vec::new();
    let read = if path == "-" {
        io::stdin()
            .lock()
            .take(MAX_REPORT_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_REPORT_BYTES + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| RunError::Fail(format!("{path}: cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(RunError::Fail(format!(
            "{path}: too large for a report (over {MAX_REPORT_BYTES} bytes)"
        )));
    }
    let report = storydiff::wire::read_slice(&bytes)
        .map_err(|e| RunError::Fail(format!("{path}: not a storydiff report: {e}")))?;
    show(report, args.format(), &args.out)
}

/// Leave out the findings an editor dismissed, and count them.
pub(crate) fn dismiss(
    report: &mut storydiff::Report,
    accepted: &std::collections::BTreeSet<String>,
) {
    let before = report.findings.len();
    report.findings.retain(|f| !accepted.contains(&f.id));
    report.dismissed += before - report.findings.len();
}

/// Whether a finding at or above `--fail-on` remains in any report.
pub(crate) fn gate<'a>(
    level: Option<SeverityArg>,
    reports: impl IntoIterator<Item = &'a storydiff::Report>,
) -> bool {
    let Some(level) = level else {
        return false;
    };
    let worst = match level {
        SeverityArg::High => Severity::High,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::Low => Severity::Low,
    };
    reports
        .into_iter()
        .any(|r| r.findings.iter().any(|f| f.severity <= worst))
}

/// Write the rendered bytes of compare or check: to `-o FILE`, else to standard output,
/// through the pager when `--paging` says so ([`crate::pager`]).
pub(crate) fn emit(out: &OutputArgs, buf: &[u8]) -> Result<(), RunError> {
    use crate::pager::{self, Paging};
    if out.output.is_some() {
        return write_output(out.output.as_deref(), buf);
    }
    let paging = match out.paging {
        PagingArg::Auto => Paging::Auto,
        PagingArg::Always => Paging::Always,
        PagingArg::Never => Paging::Never,
    };
    let env = |k: &str| std::env::var(k).ok();
    let to_terminal = io::stdout().is_terminal();
    // Auto counts the output's rows only when there is a terminal to compare them with.
    let (rows, height) = if paging == Paging::Auto && to_terminal {
        let height = pager::terminal_height(&env);
        let columns = terminal_size::terminal_size()
            .map(|(terminal_size::Width(w), _)| w as usize)
            .unwrap_or_else(|| resolve_width(None, true));
        (
            pager::screen_rows(buf, columns, height.unwrap_or(0)),
            height,
        )
    } else {
        (0, None)
    };
    let page = pager::decide(paging, to_terminal, rows, height);
    let Some(command) = page.then(|| pager::pager_command(&env)).flatten() else {
        return write_output(None, buf);
    };
    match pager::page(buf, &command) {
        Ok(pager::Paged::Shown) => Ok(()),
        Ok(pager::Paged::NotStarted(e)) => {
            if !command.is_default {
                let _ = writeln!(
                    io::stderr(),
                    "storydiff: warning: cannot run the pager {:?} ({e}); writing directly",
                    storydiff_render::sanitize_for_terminal(&command.command)
                );
            }
            write_output(None, buf)
        }
        Err(e) => Err(RunError::Fail(format!("pager {:?}: {e}", command.command))),
    }
}

pub(crate) fn run_compare_by_event(args: &CompareArgs) -> Result<i32, RunError> {
    if !args.labels.is_empty() {
        return Err(RunError::Fail(
            "--label cannot be used with --by-event (labels come from file names)".into(),
        ));
    }
    let bar = StageBar::new();
    let articles = read_pile(
        &args.inputs,
        args.keep_boilerplate,
        args.encoding.unwrap_or_default(),
        &bar,
    )?;
    let params = storydiff::group::GroupParams {
        min_similarity: args
            .min_similarity
            .unwrap_or(storydiff::group::GroupParams::default().min_similarity),
        ..Default::default()
    };
    let events = storydiff::group::run(&articles, &[], &params, &bar).events;
    drop(bar);
    let builder = Engine::builder()
        .scoring(args.scorer.load()?)
        .all_pairs(args.all_pairs)
        .keep_boilerplate(args.keep_boilerplate);
    let thresholds = storydiff::align::Thresholds::default();
    let shown = Shown::resolve(args.format(), &args.out)?;
    let mut reports = Vec::new();
    for e in events.iter().filter(|e| e.members.len() >= 2) {
        let members: Vec<storydiff::Article> =
            e.members.iter().map(|&m| articles[m].clone()).collect();
        let choice = storydiff::base::choose(&members, args.base.as_deref(), &[], &thresholds);
        // With --all-pairs every pair is compared: there is no base to choose.
        let engine = builder
            .clone()
            .base((!args.all_pairs).then(|| choice.label.clone()))
            .build();
        let mut r = engine.compare(members)?;
        dismiss(&mut r, &shown.accepted);
        reports.push((e.clone(), r, (!args.all_pairs).then_some(choice)));
    }
    let gate_failed = gate(args.out.fail_on, reports.iter().map(|(_, r, _)| r));
    let mut buf = Vec::new();
    let singles = events.iter().filter(|e| e.members.len() < 2).count();
    match args.format() {
        FormatArg::Json => {
            let compared: Vec<_> = reports
                .iter()
                .map(|(e, r, b)| {
                    let base = b.as_ref().map(|b| render::EventBase {
                        label: &b.label,
                        reason: &b.reason,
                        rule: b.rule,
                    });
                    (e, r, base)
                })
                .collect();
            let singles: Vec<_> = events.iter().filter(|e| e.members.len() < 2).collect();
            render::events_json(&compared, &singles, &mut buf)
                .map_err(|e| io_error(e, "rendering"))?;
        }
        FormatArg::Html => {
            let items: Vec<(String, &storydiff::Report)> = reports
                .iter()
                .map(|(e, r, b)| {
                    let title = match b {
                        Some(b) => format!("{} — base: {}, {}", e.title, b.label, b.reason),
                        None => e.title.clone(),
                    };
                    (title, r)
                })
                .collect();
            render::render_events(&items, &shown.options, &mut buf)
                .map_err(|e| io_error(e, "rendering"))?;
        }
        FormatArg::Annotations => {
            let all: Vec<&storydiff::Report> = reports.iter().map(|(_, r, _)| r).collect();
            render::annotations_events(&all, &mut buf).map_err(|e| io_error(e, "rendering"))?;
        }
        FormatArg::Terminal | FormatArg::Checklist => {
            let format = shown.format;
            for (k, (e, r, b)) in reports.iter().enumerate() {
                if k > 0 {
                    let _ = writeln!(buf);
                }
                let title = storydiff_render::sanitize_for_terminal(&e.title);
                let why = b.as_ref().map(|b| {
                    storydiff_render::sanitize_for_terminal(&format!(
                        "base: {} ({}): {}",
                        b.label, b.rule, b.reason
                    ))
                });
                if format == Format::Checklist {
                    let why = why
                        .map(|w| format!("; {}", w.replace("--", "- -")))
                        .unwrap_or_default();
                    let _ = writeln!(
                        buf,
                        "<!-- event {} of {}: {} articles{why} -->",
                        k + 1,
                        reports.len(),
                        e.members.len()
                    );
                } else {
                    let _ = writeln!(buf, "#### event {} of {}: {}", k + 1, reports.len(), title);
                    if let Some(w) = why {
                        let _ = writeln!(buf, "{w}");
                    }
                }
                render::render(r, format, &shown.options, &mut buf)
                    .map_err(|e| io_error(e, "rendering"))?;
            }
            if format != Format::Checklist && singles > 0 {
                let _ = writeln!(buf, "\n{singles} article(s) report an event no other input reports (see storydiff group).");
            }
        }
    }
    emit(&args.out, &buf)?;
    Ok(if gate_failed { EXIT_FINDINGS } else { EXIT_OK })
}
