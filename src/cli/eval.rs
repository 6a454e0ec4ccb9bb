//! `eval`: the aligner scored against gold (hand gold, news_ecb, news_he, MRPC, METER).

use super::*;

pub(crate) fn resolve_gold_article(
    gold: &str,
    label: &str,
    listed: Option<&String>,
    overrides: &[String],
) -> Result<String, RunError> {
    for o in overrides {
        if let Some((l, p)) = o.split_once('=') {
            if l == label {
                return Ok(p.to_string());
            }
        } else {
            return Err(RunError::Fail(format!(
                "--article {o}: expected LABEL=PATH"
            )));
        }
    }
    let listed =
        listed.ok_or_else(|| RunError::Fail(format!("{gold}: no article labelled {label}")))?;
    let dir = std::path::Path::new(gold)
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let candidates = [dir.join(listed), dir.join("..").join(listed)];
    candidates
        .iter()
        .find(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned())
        .ok_or_else(|| {
            RunError::Fail(format!(
                "{gold}: article {label} ({listed}) not found; give --article {label}=PATH"
            ))
        })
}

/// What every benchmark of one `eval` run shares: the thresholds (with `--set`), the scoring
/// decided once, the engine built from them, and the output format.
pub(crate) struct EvalRun {
    thresholds: storydiff::align::Thresholds,
    scoring: Scoring,
    engine: Engine,
    format: EvalFormat,
}

impl EvalRun {
    fn scorer_name(&self) -> String {
        self.scoring.used().name()
    }

    fn encoder(&self) -> Option<&storydiff::encoder::Encoder> {
        self.scoring.encoder()
    }
}

pub(crate) fn run_eval(args: EvalArgs) -> Result<(), RunError> {
    let mut thresholds = storydiff::align::Thresholds::default();
    for kv in &args.set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| RunError::Fail(format!("--set {kv}: expected NAME=VALUE")))?;
        let v: f64 = v
            .trim()
            .parse()
            .map_err(|_| RunError::Fail(format!("--set {kv}: {v:?} is not a number")))?;
        thresholds
            .set(k.trim(), v)
            .map_err(|e| RunError::Fail(format!("--set: {e}")))?;
    }
    let scoring = args.scorer.load()?;
    let run = EvalRun {
        thresholds,
        engine: Engine::builder()
            .scoring(scoring.clone())
            .thresholds(thresholds)
            .build(),
        scoring,
        format: args.format,
    };
    match &args.benchmark {
        Benchmark::Gold { gold, articles } => eval_gold(&run, gold, articles),
        Benchmark::Findings { gold, articles } => eval_findings(&run, gold, articles),
        Benchmark::NewsEcb {
            dir,
            topics,
            per_pair,
        } => eval_news_ecb(&run, dir, *topics, *per_pair),
        Benchmark::NewsHe { dir } => eval_news_he(&run, dir),
        Benchmark::Mrpc { dir } => eval_mrpc(&run, dir),
        Benchmark::Meter { dir } => eval_meter(&run, dir),
    }
}

/// `eval news-he DIR`.
fn eval_news_he(run: &EvalRun, dir: &str) -> Result<(), RunError> {
    let (thresholds, encoder, scorer_name) = (&run.thresholds, run.encoder(), run.scorer_name());
    let r = storydiff_eval::news_he::news_he(std::path::Path::new(dir), thresholds, encoder)
        .map_err(RunError::Fail)?;
    let text = match run.format {
        EvalFormat::Json => json_text(
            &serde_json::json!({"benchmark": "news_he", "scorer": scorer_name, "result": r}),
            false,
        )?,
        EvalFormat::Text => format!(
            "news_he ({} pairs, {} linked, {} article pairs; {scorer_name} scorer): AUC {:.3} AP {:.3}; F1 {:.3} cross-validated by article pair (thresholds {:.3}–{:.3}); compare's decision: P {:.3} R {:.3} F1 {:.3}",
            r.pairs, r.positives, r.article_pairs, r.auc, r.ap, r.cv_f1, r.cv_thresholds.0, r.cv_thresholds.1,
            r.decided.precision, r.decided.recall, r.decided.f1
        ),
    };
    writeln!(io::stdout().lock(), "{text}").map_err(|e| io_error(e, "standard output"))?;
    Ok(())
}

/// `eval meter DIR`.
fn eval_meter(run: &EvalRun, dir: &str) -> Result<(), RunError> {
    let thresholds = &run.thresholds;
    let m = storydiff_eval::meter::meter(std::path::Path::new(dir), thresholds)
        .map_err(RunError::Fail)?;
    let text = match run.format {
        EvalFormat::Json => json_text(
            &serde_json::json!({"benchmark": "meter", "result": m}),
            false,
        )?,
        EvalFormat::Text => {
            let s = &m.sentences;
            let d = &m.documents;
            format!(
                "meter sentences ({} articles, {} sentences): derived-vs-added F1 {:.3} (P {:.3} R {:.3}), added F1 {:.3}; identical F1 {:.3}, reworded F1 {:.3}, added F1 {:.3}\n\
                 meter documents ({} articles, 5 folds by story): macro-F1 {:.3}; wholly F1 {:.3}, partially F1 {:.3}, non F1 {:.3}",
                s.articles, s.sentences, s.derived.f1, s.derived.precision, s.derived.recall, s.added.f1,
                s.identical3.f1, s.reworded3.f1, s.added3.f1,
                d.articles, d.macro_f1, d.wholly.f1, d.partially.f1, d.non.f1
            )
        }
    };
    write_output(None, format!("{text}\n").as_bytes())
}

/// `eval mrpc DIR`.
fn eval_mrpc(run: &EvalRun, dir: &str) -> Result<(), RunError> {
    let (thresholds, encoder, scorer_name) = (&run.thresholds, run.encoder(), run.scorer_name());
    let dir = std::path::Path::new(dir);
    let m = storydiff_eval::mrpc(dir, thresholds).map_err(RunError::Fail)?;
    let compare = |split| {
        storydiff_eval::mrpc_compare(dir, split, thresholds, encoder).map_err(RunError::Fail)
    };
    let (ctrain, ctest) = (compare("train")?, compare("test")?);
    let line = match run.format {
        EvalFormat::Json => json_text(
            &serde_json::json!({"benchmark": "mrpc", "result": m, "compare": {"scorer": scorer_name, "train": ctrain, "test": ctest}}),
            false,
        )?,
        EvalFormat::Text => format!(
            "mrpc: threshold {:.4} (best train accuracy); train accuracy {:.1} F1 {:.1} ({} pairs); test accuracy {:.1} F1 {:.1} ({} pairs)\n\
             mrpc through compare's decision, identical or reworded ({scorer_name} scorer): train accuracy {:.1} F1 {:.1}; test accuracy {:.1} F1 {:.1}",
            m.threshold,
            m.train.accuracy * 100.0,
            m.train.f1 * 100.0,
            m.train.pairs,
            m.test.accuracy * 100.0,
            m.test.f1 * 100.0,
            m.test.pairs,
            ctrain.accuracy * 100.0,
            ctrain.f1 * 100.0,
            ctest.accuracy * 100.0,
            ctest.f1 * 100.0,
        ),
    };
    write_output(None, format!("{line}\n").as_bytes())
}

/// `eval news-ecb DIR`.
fn eval_news_ecb(
    run: &EvalRun,
    dir: &str,
    topics_arg: TopicsArg,
    per_pair: bool,
) -> Result<(), RunError> {
    let (thresholds, encoder) = (&run.thresholds, run.encoder());
    let topics = match topics_arg {
        TopicsArg::Dev => storydiff_eval::Topics::Dev,
        TopicsArg::Test => storydiff_eval::Topics::Test,
        TopicsArg::All => storydiff_eval::Topics::All,
    };
    let r = storydiff_eval::news_ecb(std::path::Path::new(dir), topics, thresholds, encoder)
        .map_err(RunError::Fail)?;
    let (s, pairs) = (&r.overall, r.pairs.len());
    let line = match run.format {
        EvalFormat::Json => json_text(
            &serde_json::json!({"benchmark": "news_ecb", "topics": format!("{:?}", topics_arg).to_lowercase(), "document_pairs": pairs, "scores": s, "annotated": r.annotated, "pairs": r.pairs}),
            false,
        )?,
        EvalFormat::Text => {
            let mut text = String::new();
            if per_pair {
                for p in &r.pairs {
                    let q = &p.scores;
                    text.push_str(&format!(
                        "{}-{}: precision {:.3} ({}/{}) recall {:.3} ({}/{}) F1 {:.3}\n",
                        storydiff_render::sanitize_for_terminal(&p.doc1),
                        storydiff_render::sanitize_for_terminal(&p.doc2),
                        q.precision,
                        q.correct,
                        q.predicted,
                        q.recall,
                        q.found,
                        q.gold,
                        q.f1
                    ));
                }
            }
            text.push_str(&format!(
                "news_ecb {:?} ({pairs} document pairs): precision {:.3} ({}/{} predicted pairs) recall {:.3} ({}/{} gold links) F1 {:.3}",
                topics_arg, s.precision, s.correct, s.predicted, s.recall, s.found, s.gold, s.f1
            ));
            let w = &r.annotated;
            text.push_str(&format!(
                "\nwithin annotated sentences: precision {:.3} ({}/{} predicted pairs) recall {:.3} F1 {:.3}",
                w.precision, w.correct, w.predicted, w.recall, w.f1
            ));
            text
        }
    };
    write_output(None, format!("{line}\n").as_bytes())
}

/// `eval gold GOLD`: precision and recall per article pair, and the confusion of gold tags
/// against link kinds.
/// `eval findings GOLD`: the gold's articles compared (the first named is the base), their
/// findings judged against its pairs' tags.
fn eval_findings(run: &EvalRun, gold_path: &str, overrides: &[String]) -> Result<(), RunError> {
    let text = std::fs::read_to_string(gold_path)
        .map_err(|e| RunError::Fail(format!("{gold_path}: cannot read: {e}")))?;
    let gold: storydiff_eval::Gold = serde_json::from_str(&text)
        .map_err(|e| RunError::Fail(format!("{gold_path}: not a gold file: {e}")))?;
    let mut labels: Vec<&str> = Vec::new();
    for p in &gold.pairs {
        for l in [p.a.as_str(), p.b.as_str()] {
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
    }
    let mut articles = Vec::with_capacity(labels.len());
    for l in &labels {
        let path = resolve_gold_article(gold_path, l, gold.articles.get(*l), overrides)?;
        articles.push(build_article(ingest::read_input(&path, Some(l))?, false)?);
    }
    let report = run.engine.compare(articles)?;
    let s = storydiff_eval::findings::score(&report, &gold.pairs).map_err(RunError::Fail)?;
    let text = match run.format {
        EvalFormat::Json => json_text(
            &serde_json::json!({"benchmark": "findings", "scorer": run.scorer_name(), "result": s}),
            false,
        )?,
        EvalFormat::Text => {
            let mut t = format!(
                "findings ({} scorer): precision {:.3} ({}/{} findings right); recall {:.3} ({}/{} tagged gold pairs)",
                run.scorer_name(),
                s.precision,
                s.right,
                s.judged,
                s.recall,
                s.found_pairs,
                s.tagged_pairs
            );
            for (kind, k) in &s.kinds {
                t.push_str(&format!("\n  {kind}: {}/{} right", k.right, k.judged));
            }
            for (tag, r) in &s.tags {
                let tag = storydiff_render::sanitize_for_terminal(tag);
                t.push_str(&format!(
                    "\n  gold {tag}: {}/{} pairs found",
                    r.found, r.pairs
                ));
            }
            t
        }
    };
    writeln!(io::stdout().lock(), "{text}").map_err(|e| io_error(e, "standard output"))?;
    Ok(())
}

fn eval_gold(run: &EvalRun, gold_path: &str, overrides: &[String]) -> Result<(), RunError> {
    let engine = &run.engine;
    let text = std::fs::read_to_string(gold_path)
        .map_err(|e| RunError::Fail(format!("{gold_path}: cannot read: {e}")))?;
    let gold: storydiff_eval::Gold = serde_json::from_str(&text)
        .map_err(|e| RunError::Fail(format!("{gold_path}: not a gold file: {e}")))?;
    let mut groups: std::collections::BTreeMap<(String, String), Vec<storydiff_eval::GoldPair>> =
        Default::default();
    for p in &gold.pairs {
        groups
            .entry((p.a.clone(), p.b.clone()))
            .or_default()
            .push(p.clone());
    }
    let mut results = Vec::new();
    for ((a, b), pairs) in groups {
        let pa = resolve_gold_article(gold_path, &a, gold.articles.get(&a), overrides)?;
        let pb = resolve_gold_article(gold_path, &b, gold.articles.get(&b), overrides)?;
        let base = build_article(ingest::read_input(&pa, Some(&a))?, false)?;
        let other = build_article(ingest::read_input(&pb, Some(&b))?, false)?;
        let cmp = engine.pair(&base, &other)?;
        let s = storydiff_eval::score(&base, &other, &cmp, &pairs).map_err(RunError::Fail)?;
        let c = storydiff_eval::confusion(&base, &other, &cmp, &pairs).map_err(RunError::Fail)?;
        results.push((a, b, s, c));
    }
    let mut out = io::stdout().lock();
    let written = match run.format {
    EvalFormat::Json => {
        let v: Vec<serde_json::Value> = results
            .iter()
            .map(|(a, b, s, c)| serde_json::json!({"a": a, "b": b, "scores": s, "confusion": c}))
            .collect();
        writeln!(out, "{}", json_text(&v, true)?)
    }
    EvalFormat::Text => results.iter().try_for_each(|(a, b, s, c)| {
        let (a, b) = (
            storydiff_render::sanitize_for_terminal(a),
            storydiff_render::sanitize_for_terminal(b),
        );
        writeln!(
            out,
            "{a}-{b}: precision {:.3} ({}/{} predicted pairs) recall {:.3} ({}/{} gold pairs) F1 {:.3}",
            s.precision, s.correct, s.predicted, s.recall, s.found, s.gold, s.f1
        )?;
        for (label, row) in c {
            let cells: Vec<String> = [
                ("identical", row.identical),
                ("reworded", row.reworded),
                ("partial", row.partial),
                ("related", row.related),
                ("missed", row.missed),
            ]
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
            writeln!(
                out,
                "  gold {}: {}",
                storydiff_render::sanitize_for_terminal(label),
                cells.join(", ")
            )?;
        }
        Ok(())
    }),
};
    written.map_err(|e| io_error(e, "standard output"))
}
