//! A cache of the encoder's output, keyed by the model and the sentence's text: re-running an
//! edited article encodes only the sentences that changed.
//!
//! One file per sentence under `DIR/<model key>/<2 hex>/<key>`, written through a temporary
//! name. An entry holds the tokens (id and byte range) and their vectors exactly as the
//! encoder gave them, so a run from the cache writes the same bytes as a run without it, and a
//! checksum: an entry that does not read back whole is a miss and is written again. The
//! cache is bounded ([`VectorCache::open`]'s `limit`): past it, the entries written longest
//! ago go first. Deleting the directory at any time is safe.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::{Piece, TokenVectors};

/// Bytes a cache holds by default: about 20,000 sentences of news.
pub const DEFAULT_LIMIT: u64 = 512 << 20;

const MAGIC: &[u8; 4] = b"SDV1";

/// A vector cache for one model.
#[derive(Debug, Clone)]
pub struct VectorCache {
    dir: PathBuf,
    limit: u64,
    /// Bytes this process wrote, and the count at which it next trims: at its first write
    /// (earlier runs may have filled it), then after every quarter of the limit, so that a
    /// run encoding many small batches does not walk the directory for each.
    written: Arc<AtomicU64>,
    next_trim: Arc<AtomicU64>,
}

/// What a run did with the cache: sentences read from it and sentences encoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheUse {
    /// Sentences whose vectors came from the cache.
    pub hits: usize,
    /// Sentences encoded (and written to the cache).
    pub misses: usize,
}

impl VectorCache {
    /// The cache for the model identified by `model_key` under `root`, holding at most
    /// `limit` bytes; the directory is created. The error says why it cannot be.
    pub fn open(root: &Path, model_key: &str, limit: u64) -> Result<VectorCache, String> {
        let dir = root.join(model_key);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(VectorCache {
            dir,
            limit,
            written: Arc::new(AtomicU64::new(0)),
            next_trim: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Where it is.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, text: &str) -> PathBuf {
        let h = hex(&Sha256::digest(text.as_bytes()));
        self.dir.join(&h[..2]).join(&h)
    }

    /// The cached vectors of `text`, if a whole entry is there.
    pub fn get(&self, text: &str, dim: usize) -> Option<TokenVectors> {
        let bytes = std::fs::read(self.path(text)).ok()?;
        decode(&bytes, text.len(), dim)
    }

    /// Keep `tv` as the vectors of `text`. A cache that cannot be written is skipped (the
    /// run's result does not depend on it).
    pub fn put(&self, text: &str, tv: &TokenVectors) {
        let path = self.path(text);
        let Some(parent) = path.parent() else {
            return;
        };
        if std::fs::create_dir_all(parent).is_err() {
            return;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let bytes = encode(tv);
        if std::fs::write(&tmp, &bytes).is_ok() {
            if std::fs::rename(&tmp, &path).is_ok() {
                self.written
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            } else {
                let _ = std::fs::remove_file(&tmp);
            }
        }
    }

    /// [`VectorCache::trim`] when it is due: at this process's first write, then after every
    /// quarter of the limit written.
    pub fn trim_if_due(&self) {
        let written = self.written.load(Ordering::Relaxed);
        if written > 0 && written >= self.next_trim.load(Ordering::Relaxed) {
            self.next_trim
                .store(written + self.limit / 4, Ordering::Relaxed);
            self.trim();
        }
    }

    /// Remove the entries written longest ago until the cache holds at most three quarters of
    /// its limit, when it holds more than the limit.
    pub fn trim(&self) {
        let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
        let Ok(shards) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for shard in shards.flatten() {
            let Ok(files) = std::fs::read_dir(shard.path()) else {
                continue;
            };
            for f in files.flatten() {
                if let Ok(m) = f.metadata() {
                    let t = m.modified().unwrap_or(std::time::UNIX_EPOCH);
                    entries.push((t, m.len(), f.path()));
                }
            }
        }
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        if total <= self.limit {
            return;
        }
        entries.sort();
        for (_, len, path) in entries {
            if total <= self.limit / 4 * 3 {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(len);
            }
        }
    }
}

/// The cache directory: `$XDG_CACHE_HOME/storydiff/vectors`, else `~/.cache/storydiff/vectors`.
pub fn default_root() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("storydiff").join("vectors"))
}

/// A key for a model directory: a hash of its configuration, its tokenizer and the size, the
/// first and the last mebibyte of its weights (another model, or the weights replaced, is
/// another cache).
pub fn model_key(dir: &Path) -> Result<String, String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut h = Sha256::new();
    for f in ["config.json", "tokenizer.json"] {
        let p = dir.join(f);
        h.update(std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?);
    }
    let p = dir.join("model.safetensors");
    let mut file = std::fs::File::open(&p).map_err(|e| format!("{}: {e}", p.display()))?;
    let len = file
        .metadata()
        .map_err(|e| format!("{}: {e}", p.display()))?
        .len();
    h.update(len.to_le_bytes());
    let mut buf = vec![0u8; (1 << 20).min(len as usize)];
    file.read_exact(&mut buf)
        .and_then(|()| file.seek(SeekFrom::End(-(buf.len() as i64))))
        .map_err(|e| format!("{}: {e}", p.display()))?;
    h.update(&buf);
    file.read_exact(&mut buf)
        .map_err(|e| format!("{}: {e}", p.display()))?;
    h.update(&buf);
    Ok(hex(&h.finalize())[..24].to_string())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn encode(tv: &TokenVectors) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        16 + tv.pieces.len() * 12 + (tv.vectors.len() + tv.pooled.len()) * 4 + 32,
    );
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(tv.pieces.len() as u32).to_le_bytes());
    out.extend_from_slice(&(tv.pooled.len() as u32).to_le_bytes());
    for p in &tv.pieces {
        for x in [p.id, p.start as u32, p.end as u32] {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    for x in tv.vectors.iter().chain(&tv.pooled) {
        out.extend_from_slice(&x.to_le_bytes());
    }
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

fn decode(bytes: &[u8], text_len: usize, dim: usize) -> Option<TokenVectors> {
    let (body, sum) = bytes.split_at(bytes.len().checked_sub(32)?);
    if Sha256::digest(body).as_slice() != sum || body.get(..4)? != MAGIC {
        return None;
    }
    let word = |k: usize| -> Option<u32> {
        Some(u32::from_le_bytes(body.get(k..k + 4)?.try_into().ok()?))
    };
    let n = word(4)? as usize;
    if word(8)? as usize != dim {
        return None;
    }
    let floats_at = 12 + n * 12;
    if body.len() != floats_at + (n + 1) * dim * 4 {
        return None;
    }
    let mut pieces = Vec::with_capacity(n);
    for k in 0..n {
        let at = 12 + k * 12;
        let (id, start, end) = (word(at)?, word(at + 4)? as usize, word(at + 8)? as usize);
        if start > end || end > text_len {
            return None;
        }
        pieces.push(Piece { id, start, end });
    }
    let floats: Vec<f32> = body[floats_at..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let (vectors, pooled) = floats.split_at(n * dim);
    Some(TokenVectors {
        pieces,
        vectors: vectors.to_vec(),
        pooled: pooled.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TokenVectors {
        TokenVectors {
            pieces: vec![
                Piece {
                    id: 7,
                    start: 0,
                    end: 2,
                },
                Piece {
                    id: 9,
                    start: 3,
                    end: 5,
                },
            ],
            vectors: vec![0.5, -1.0, 2.25, 1e-7],
            pooled: vec![0.6, 0.8],
        }
    }

    fn temp(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("storydiff-cache-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn an_entry_reads_back_exactly_and_a_damaged_one_is_a_miss() {
        let root = temp("roundtrip");
        let c = VectorCache::open(&root, "m", DEFAULT_LIMIT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.get("ab cd", 2), None);
        c.put("ab cd", &sample());
        assert_eq!(c.get("ab cd", 2), Some(sample()));
        // Another dimension, or a text too short for the byte ranges, is a miss.
        assert_eq!(c.get("ab cd", 3), None);
        let path = c.path("ab cd");
        let mut bytes = std::fs::read(&path).unwrap_or_default();
        bytes[20] ^= 1;
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.get("ab cd", 2), None);
        std::fs::write(&path, b"SDV1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.get("ab cd", 2), None);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn past_its_limit_the_oldest_entries_go() {
        let root = temp("trim");
        let one = encode(&sample()).len() as u64;
        let c = VectorCache::open(&root, "m", one * 4).unwrap_or_else(|e| panic!("{e}"));
        for k in 0..8 {
            c.put(&format!("ab cd {k}"), &sample());
            // Distinct modification times, oldest first.
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000 + k);
            let f = std::fs::File::options()
                .write(true)
                .open(c.path(&format!("ab cd {k}")))
                .unwrap_or_else(|e| panic!("{e}"));
            f.set_modified(t).unwrap_or_else(|e| panic!("{e}"));
        }
        // Due at this process's first write.
        c.trim_if_due();
        let kept: Vec<u64> = (0..8)
            .filter(|k| c.get(&format!("ab cd {k}"), 2).is_some())
            .collect();
        assert_eq!(kept, vec![5, 6, 7]);
        // Not due again until a quarter of the limit more is written: another process's
        // entries stay until then.
        let other = VectorCache::open(&root, "m", one * 4).unwrap_or_else(|e| panic!("{e}"));
        for k in 8..12 {
            other.put(&format!("ab cd {k}"), &sample());
        }
        c.trim_if_due();
        assert!(
            (0..12)
                .filter(|k| c.get(&format!("ab cd {k}"), 2).is_some())
                .count()
                == 7
        );
        c.put("ab cd 12", &sample());
        c.trim_if_due();
        assert!(
            (0..13)
                .filter(|k| c.get(&format!("ab cd {k}"), 2).is_some())
                .count()
                <= 3
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
