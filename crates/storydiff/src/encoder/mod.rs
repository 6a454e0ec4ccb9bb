//! The local sentence encoder behind the semantic scorer: all-MiniLM-L6-v2 (a 6-layer BERT),
//! run on the CPU with candle, from weights on disk. Nothing is ever downloaded: the model
//! loads from `--model DIR`, else `$STORYDIFF_MODEL`, else the data directory
//! (`$XDG_DATA_HOME/storydiff/models/all-MiniLM-L6-v2`, `~/.local/share/…` when unset), where
//! `scripts/install-model` puts it.
//!
//! One forward pass per sentence gives a contextual vector per WordPiece token, with the
//! bytes of the sentence it came from; the scorer reads word vectors from those.

pub mod cache;
mod wordpiece;

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};

pub use cache::{CacheUse, VectorCache};
pub use wordpiece::{Piece, WordPiece};

pub use crate::model::MODEL_NAME;
pub use crate::vector::{dot, normalise};

/// The longest sequence the encoder reads at once, `[CLS]` and `[SEP]` included (the model's
/// `max_seq_length`); a longer sentence is read in consecutive windows of this size.
pub const MAX_TOKENS: usize = 256;

/// Sentences per forward pass (padded to the longest of the batch; batches are formed from
/// sentences of similar length).
const BATCH: usize = 8;

/// Where a model was looked for, and why there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelLocation {
    /// The directory.
    pub dir: PathBuf,
    /// What chose it: `--model`, `STORYDIFF_MODEL` or the data directory.
    pub source: &'static str,
}

/// The directory to load the model from: `flag`, else `$STORYDIFF_MODEL`, else the data
/// directory. `None` when no home or data directory is known.
pub fn locate(flag: Option<&Path>) -> Option<ModelLocation> {
    if let Some(dir) = flag {
        return Some(ModelLocation {
            dir: dir.to_path_buf(),
            source: "--model",
        });
    }
    if let Some(dir) = std::env::var_os("STORYDIFF_MODEL").filter(|v| !v.is_empty()) {
        return Some(ModelLocation {
            dir: PathBuf::from(dir),
            source: "STORYDIFF_MODEL",
        });
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local/share"))
        })?;
    Some(ModelLocation {
        dir: data.join("storydiff/models").join(MODEL_NAME),
        source: "the data directory",
    })
}

/// The files a model directory must hold.
pub const MODEL_FILES: [&str; 3] = ["config.json", "model.safetensors", "tokenizer.json"];

/// Whether `dir` holds every file of [`MODEL_FILES`].
pub fn is_installed(dir: &Path) -> bool {
    MODEL_FILES.iter().all(|f| dir.join(f).is_file())
}

/// The contextual vectors of one text: one per WordPiece token, `[CLS]` and `[SEP]` left
/// out, and the mean-pooled sentence vector.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenVectors {
    /// The tokens, with the bytes of the text each came from.
    pub pieces: Vec<Piece>,
    /// `pieces.len() × dim` values, row by row (not normalised).
    pub vectors: Vec<f32>,
    /// The mean of every token's vector, `[CLS]` and `[SEP]` included, L2-normalised: the
    /// sentence-transformers embedding of the text.
    pub pooled: Vec<f32>,
}

impl TokenVectors {
    /// The vector of token `k`.
    pub fn vector(&self, k: usize, dim: usize) -> &[f32] {
        &self.vectors[k * dim..(k + 1) * dim]
    }
}

/// A loaded encoder.
pub struct Encoder {
    /// The weights, read at the first sentence that is not in the cache (a run whose every
    /// sentence is cached never reads them).
    model: std::sync::OnceLock<BertModel>,
    loading: std::sync::Mutex<()>,
    config: Config,
    tokenizer: WordPiece,
    dim: usize,
    /// Where it was loaded from.
    pub dir: PathBuf,
    cache: Option<VectorCache>,
    used: std::sync::Mutex<CacheUse>,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("dir", &self.dir)
            .field("dim", &self.dim)
            .finish()
    }
}

impl Encoder {
    /// Load the model in `dir`; the error says which file is missing or bad.
    pub fn load(dir: &Path) -> crate::error::Result<Encoder> {
        Self::load_files(dir).map_err(|message| crate::error::Error::Model { message })
    }

    fn load_files(dir: &Path) -> Result<Encoder, String> {
        for f in MODEL_FILES {
            if !dir.join(f).is_file() {
                return Err(format!(
                    "{}: no {f} (install the model with scripts/install-model)",
                    dir.display()
                ));
            }
        }
        let read = |f: &str| {
            std::fs::read_to_string(dir.join(f))
                .map_err(|e| format!("{}: {e}", dir.join(f).display()))
        };
        let config: Config = serde_json::from_str(&read("config.json")?)
            .map_err(|e| format!("{}: {e}", dir.join("config.json").display()))?;
        let tokenizer = WordPiece::from_tokenizer_json(&read("tokenizer.json")?)
            .map_err(|e| format!("{}: {e}", dir.join("tokenizer.json").display()))?;
        Ok(Encoder {
            model: std::sync::OnceLock::new(),
            loading: std::sync::Mutex::new(()),
            dim: config.hidden_size,
            config,
            tokenizer,
            dir: dir.to_path_buf(),
            cache: None,
            used: std::sync::Mutex::new(CacheUse::default()),
        })
    }

    /// Read the weights now rather than at the first sentence to encode (`storydiff model
    /// --check` does, to say whether they load).
    pub fn load_weights(&self) -> crate::error::Result<()> {
        self.model()
            .map(|_| ())
            .map_err(|message| crate::error::Error::Model { message })
    }

    fn model(&self) -> Result<&BertModel, String> {
        if let Some(m) = self.model.get() {
            return Ok(m);
        }
        let _one = self.loading.lock().map_err(|e| format!("encoder: {e}"))?;
        if let Some(m) = self.model.get() {
            return Ok(m);
        }
        let weights = self.dir.join("model.safetensors");
        let bytes = std::fs::read(&weights).map_err(|e| format!("{}: {e}", weights.display()))?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &Device::Cpu)
            .map_err(|e| format!("{}: {e}", weights.display()))?;
        let model =
            BertModel::load(vb, &self.config).map_err(|e| format!("{}: {e}", weights.display()))?;
        Ok(self.model.get_or_init(|| model))
    }

    /// Read and keep vectors in `cache` ([`cache`]): a sentence encoded before, by this
    /// model, is read back instead of encoded again, with the same bytes.
    pub fn with_cache(mut self, cache: VectorCache) -> Encoder {
        self.cache = Some(cache);
        self
    }

    /// The cache, if any.
    pub fn cache(&self) -> Option<&VectorCache> {
        self.cache.as_ref()
    }

    /// What the cache did so far in this process.
    pub fn cache_use(&self) -> CacheUse {
        self.used.lock().map(|u| *u).unwrap_or_default()
    }

    /// Length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The tokenizer.
    pub fn tokenizer(&self) -> &WordPiece {
        &self.tokenizer
    }

    /// Encode `texts`, one forward pass per text (per window of [`MAX_TOKENS`] for a longer
    /// one), in batches of similar length.
    pub fn encode(&self, texts: &[&str]) -> crate::error::Result<Vec<TokenVectors>> {
        self.encode_texts(texts)
            .map_err(|message| crate::error::Error::Model { message })
    }

    fn encode_texts(&self, texts: &[&str]) -> Result<Vec<TokenVectors>, String> {
        let Some(cache) = &self.cache else {
            return self.encode_fresh(texts);
        };
        use rayon::prelude::*;
        let mut out: Vec<Option<TokenVectors>> =
            texts.par_iter().map(|t| cache.get(t, self.dim)).collect();
        let missing: Vec<usize> = (0..texts.len()).filter(|&i| out[i].is_none()).collect();
        if !missing.is_empty() {
            let fresh =
                self.encode_fresh(&missing.iter().map(|&i| texts[i]).collect::<Vec<_>>())?;
            for (&i, tv) in missing.iter().zip(fresh) {
                cache.put(texts[i], &tv);
                out[i] = Some(tv);
            }
            cache.trim_if_due();
        }
        if let Ok(mut u) = self.used.lock() {
            u.hits += texts.len() - missing.len();
            u.misses += missing.len();
        }
        out.into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| "encoder: a sentence was neither cached nor encoded".to_string())
    }

    fn encode_fresh(&self, texts: &[&str]) -> Result<Vec<TokenVectors>, String> {
        let pieces: Vec<Vec<Piece>> = texts.iter().map(|t| self.tokenizer.tokenize(t)).collect();
        // Windows: (text, first piece, end piece).
        let window = MAX_TOKENS - 2;
        let mut windows: Vec<(usize, usize, usize)> = Vec::new();
        for (t, p) in pieces.iter().enumerate() {
            let mut at = 0;
            loop {
                let end = (at + window).min(p.len());
                windows.push((t, at, end));
                if end >= p.len() {
                    break;
                }
                at = end;
            }
        }
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&w| (windows[w].2 - windows[w].1, w));
        // Per window: hidden states of its pieces, and the sum and count over all its
        // positions for pooling.
        let mut hidden: Vec<Vec<f32>> = vec![Vec::new(); windows.len()];
        let mut sums: Vec<(Vec<f32>, usize)> = vec![(Vec::new(), 0); windows.len()];
        // Batches run in parallel (a forward pass of this size uses one core).
        use rayon::prelude::*;
        let batches: Vec<&[usize]> = order.chunks(BATCH).collect();
        // Each batch's padded length and its hidden states.
        let outputs: Vec<Result<(usize, Vec<f32>), String>> = batches
            .par_iter()
            .map(|batch| {
                let len = batch
                    .iter()
                    .map(|&w| windows[w].2 - windows[w].1 + 2)
                    .max()
                    .unwrap_or(2);
                let mut ids = vec![0u32; batch.len() * len];
                let mut mask = vec![0u32; batch.len() * len];
                for (b, &w) in batch.iter().enumerate() {
                    let (t, s, e) = windows[w];
                    let row = &mut ids[b * len..(b + 1) * len];
                    row[0] = self.tokenizer.cls;
                    for (k, p) in pieces[t][s..e].iter().enumerate() {
                        row[k + 1] = p.id;
                    }
                    row[e - s + 1] = self.tokenizer.sep;
                    mask[b * len..b * len + e - s + 2].fill(1);
                }
                self.forward(&ids, &mask, batch.len(), len)
                    .map(|out| (len, out))
                    .map_err(|e| format!("encoder: {e}"))
            })
            .collect();
        for (batch, out) in batches.iter().zip(outputs) {
            let (len, out) = out?;
            let d = self.dim;
            for (b, &w) in batch.iter().enumerate() {
                let (_, s, e) = windows[w];
                let n = e - s + 2;
                let rows = &out[b * len * d..(b * len + n) * d];
                hidden[w] = rows[d..(n - 1) * d].to_vec();
                let mut sum = vec![0f32; d];
                for r in rows.chunks(d) {
                    for (x, y) in sum.iter_mut().zip(r) {
                        *x += y;
                    }
                }
                sums[w] = (sum, n);
            }
        }
        let mut out: Vec<TokenVectors> = pieces
            .into_iter()
            .map(|p| TokenVectors {
                vectors: Vec::with_capacity(p.len() * self.dim),
                pieces: p,
                pooled: vec![0f32; self.dim],
            })
            .collect();
        let mut counts = vec![0usize; texts.len()];
        for (w, (t, _, _)) in windows.iter().enumerate() {
            out[*t].vectors.extend_from_slice(&hidden[w]);
            for (x, y) in out[*t].pooled.iter_mut().zip(&sums[w].0) {
                *x += y;
            }
            counts[*t] += sums[w].1;
        }
        for (tv, n) in out.iter_mut().zip(counts) {
            for x in tv.pooled.iter_mut() {
                *x /= n.max(1) as f32;
            }
            normalise(&mut tv.pooled);
        }
        Ok(out)
    }

    /// The last hidden states of a padded batch, `batch × len × dim` values.
    fn forward(
        &self,
        ids: &[u32],
        mask: &[u32],
        batch: usize,
        len: usize,
    ) -> candle_core::Result<Vec<f32>> {
        let model = self.model().map_err(candle_core::Error::msg)?;
        let dev = &model.device;
        let ids = Tensor::from_slice(ids, (batch, len), dev)?;
        let mask = Tensor::from_slice(mask, (batch, len), dev)?;
        let types = ids.zeros_like()?;
        let out = model.forward(&ids, &types, Some(&mask))?;
        out.flatten_all()?.to_vec1::<f32>()
    }

    /// The sentence-transformers embedding of `text` (mean pooling, L2-normalised).
    pub fn embed(&self, text: &str) -> crate::error::Result<Vec<f32>> {
        Ok(self
            .encode(&[text])?
            .pop()
            .map(|t| t.pooled)
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_the_environment_then_the_data_directory() {
        let flag = locate(Some(Path::new("/m"))).unwrap_or_else(|| panic!("no location"));
        assert_eq!(flag.dir, PathBuf::from("/m"));
        assert_eq!(flag.source, "--model");
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = std::env::temp_dir().join(format!("storydiff-nomodel-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let err = Encoder::load(&dir).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains("no config.json"), "{err}");
        assert!(!is_installed(&dir));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
