//! `model`: where the semantic scorer's model is looked for and whether it is installed.

use super::*;

/// `storydiff model`: where the model is looked for, whether it is there, and with
/// `--check` whether it loads and encodes.
pub(crate) fn run_model(args: &ModelArgs) -> Result<i32, RunError> {
    use storydiff::encoder::{is_installed, locate, Encoder, MODEL_FILES, MODEL_NAME};
    let Some(at) = locate(args.scorer.model.as_deref()) else {
        return Err(RunError::Fail(
            "model: no --model, STORYDIFF_MODEL or home directory to find it in".into(),
        ));
    };
    let dir = storydiff_render::sanitize_for_terminal(&at.dir.display().to_string());
    let mut out = io::stdout().lock();
    if !is_installed(&at.dir) {
        let missing: Vec<&str> = MODEL_FILES
            .iter()
            .copied()
            .filter(|f| !at.dir.join(f).is_file())
            .collect();
        writeln!(
            out,
            "{MODEL_NAME}: not installed in {dir} (from {}): missing {}; run scripts/install-model",
            at.source,
            missing.join(", ")
        )
        .map_err(|e| io_error(e, "standard output"))?;
        return Ok(EXIT_FINDINGS);
    }
    writeln!(out, "{MODEL_NAME}: installed in {dir} (from {})", at.source)
        .map_err(|e| io_error(e, "standard output"))?;
    if args.check {
        let t0 = std::time::Instant::now();
        let enc = Encoder::load(&at.dir).map_err(|e| RunError::Fail(e.to_string()))?;
        let loaded = t0.elapsed();
        let v = enc
            .embed("A man is playing a guitar.")
            .map_err(|e| RunError::Fail(e.to_string()))?;
        writeln!(
            out,
            "loaded in {} ms; a test sentence encodes to {} dimensions",
            loaded.as_millis(),
            v.len()
        )
        .map_err(|e| io_error(e, "standard output"))?;
    }
    Ok(EXIT_OK)
}
