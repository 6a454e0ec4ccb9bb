//! `group` and `batch`: a pile grouped into events, as text or JSON, or JSON Lines in and out.

use super::*;

pub(crate) fn run_batch(args: BatchArgs) -> Result<(), RunError> {
    use storydiff_batch::{self as batch, Input};
    let names: Vec<String> = if args.inputs.is_empty() {
        vec!["-".into()]
    } else {
        args.inputs.clone()
    };
    if names.iter().filter(|p| *p == "-").count() > 1 {
        return Err(Error::StdinTwice.into());
    }
    let mut inputs = Vec::with_capacity(names.len());
    for n in &names {
        if n == "-" {
            inputs.push(Input {
                name: "standard input".into(),
                reader: Box::new(io::BufReader::new(io::stdin())),
                file: None,
            });
            continue;
        }
        let path = std::path::Path::new(n);
        if path.is_dir() {
            return Err(RunError::Fail(format!(
                "{n}: is a directory (batch reads JSON Lines files)"
            )));
        }
        let f = std::fs::File::open(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => RunError::Fail(format!("{n}: no such file")),
            _ => RunError::Fail(format!("{n}: cannot read: {e}")),
        })?;
        // A regular file is read back by position in the second pass (a pipe or a FIFO cannot
        // be, so its lines are copied to a temporary file).
        let file = f
            .metadata()
            .is_ok_and(|m| m.is_file())
            .then(|| std::fs::File::open(path).ok())
            .flatten();
        inputs.push(Input {
            name: n.clone(),
            reader: Box::new(io::BufReader::with_capacity(1 << 16, f)),
            file,
        });
    }
    let opts = batch::BatchOptions {
        params: storydiff::group::GroupParams {
            min_similarity: args.min_similarity,
            ..Default::default()
        },
        keep_boilerplate: args.keep_boilerplate,
        keys: args.keys,
        scoring: crate::cli::args::ScorerArgs {
            scorer: args.scorer,
            model: args.model.clone(),
            no_cache: args.no_cache,
        }
        .load()?,
    };
    let bar = StageBar::new();
    let result = match &args.output {
        Some(path) => {
            let f = std::fs::File::create(path)
                .map_err(|e| RunError::Fail(format!("{path}: cannot write: {e}")))?;
            let mut w = io::BufWriter::new(f);
            batch::run(inputs, &opts, &mut w, &bar).and_then(|s| {
                w.flush()
                    .map_err(|e| batch::BatchError::Io(path.clone(), e))
                    .map(|()| s)
            })
        }
        None => {
            let mut w = io::BufWriter::new(io::stdout().lock());
            batch::run(inputs, &opts, &mut w, &bar).and_then(|s| {
                w.flush()
                    .map_err(|e| batch::BatchError::Io("standard output".into(), e))
                    .map(|()| s)
            })
        }
    };
    drop(bar);
    match result {
        Ok(_) => Ok(()),
        Err(batch::BatchError::Io(_, e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            Err(RunError::Pipe)
        }
        Err(e) => Err(RunError::Fail(e.to_string())),
    }
}

pub(crate) fn run_group(args: GroupArgs) -> Result<(), RunError> {
    let bar = StageBar::new();
    let articles = read_pile(
        &args.paths,
        args.keep_boilerplate,
        args.encoding.unwrap_or_default(),
        &bar,
    )?;
    let params = storydiff::group::GroupParams {
        min_similarity: args.min_similarity,
        ..Default::default()
    };
    let grouping = storydiff::group::run(&articles, &[], &params, &bar);
    drop(bar);
    let mut buf = Vec::new();
    match args.format {
        GroupFormat::Json => {
            render::group_json(&grouping, articles.len(), args.min_similarity, &mut buf)
                .map_err(|e| io_error(e, "rendering"))?;
        }
        GroupFormat::Text => {
            let _ = storydiff_render::group_text(
                &grouping,
                articles.len(),
                args.min_similarity,
                &mut buf,
            );
        }
    }
    write_output(None, &buf)
}
