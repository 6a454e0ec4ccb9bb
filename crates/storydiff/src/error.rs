//! Errors the library reports; each names the input and the problem in one line.

use thiserror::Error;

/// Everything that can go wrong while reading and comparing articles. New kinds may be
/// added, so a `match` needs a catch-all arm.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// An aligner threshold cannot be set as asked (an unknown name, a negative value).
    #[error("{message}")]
    Threshold {
        /// What is wrong, naming the threshold.
        message: String,
    },
    /// The semantic scorer's model could not be loaded or run.
    #[error("model: {message}")]
    Model {
        /// What went wrong, naming the file.
        message: String,
    },
    /// The path does not exist.
    #[error("{path}: no such file")]
    NotFound {
        /// The input as given.
        path: String,
    },
    /// The path is a directory, not a file.
    #[error("{path}: is a directory, expected a text file")]
    IsDirectory {
        /// The input as given.
        path: String,
    },
    /// Reading failed for another reason (permissions, I/O).
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The input as given.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is empty or holds only white space.
    #[error("{path}: empty file, no text to compare")]
    Empty {
        /// The input as given.
        path: String,
    },
    /// The file holds no body sentences once boilerplate is set aside.
    #[error("{path}: no body text left after setting aside {boilerplate} boilerplate line(s)")]
    NoBody {
        /// The input as given.
        path: String,
        /// How many boilerplate pieces were found.
        boilerplate: usize,
    },
    /// A NUL byte: this is binary data, not an article.
    #[error("{path}: binary data (NUL byte at offset {offset}), expected UTF-8 text")]
    Binary {
        /// The input as given.
        path: String,
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// UTF-16 text (a byte-order mark, or NUL bytes in every other position).
    #[error("{path}: UTF-16 text, expected UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)")]
    Utf16 {
        /// The input as given.
        path: String,
    },
    /// The bytes are not valid UTF-8.
    #[error("{path}: not valid UTF-8 (invalid byte at offset {offset}); it looks like {guess}")]
    NotUtf8 {
        /// The input as given.
        path: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// The encoding the bytes most likely are in (chardetng's guess).
        guess: String,
    },
    /// The encoding asked for is no encoding storydiff knows.
    #[error("encoding {name}: not an encoding name (try auto, windows-1252, iso-8859-2, shift_jis, gbk, koi8-r)")]
    UnknownEncoding {
        /// The name given.
        name: String,
    },
    /// The input is larger than storydiff will hold in memory.
    #[error("{path}: too large ({size} bytes, limit {limit} bytes)")]
    TooLarge {
        /// The input as given.
        path: String,
        /// Size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Fewer than two articles were given.
    #[error("need at least two articles to compare, got {given}")]
    TooFewArticles {
        /// How many were given.
        given: usize,
    },
    /// The base asked for names no article.
    #[error("base {label}: no article has this label (labels: {labels})")]
    UnknownBase {
        /// The label asked for.
        label: String,
        /// The articles' labels, comma-separated.
        labels: String,
    },
    /// Standard input was named more than once.
    #[error("-: standard input can be read only once")]
    StdinTwice,
}

/// Shorthand for results in this crate.
pub type Result<T> = std::result::Result<T, Error>;
