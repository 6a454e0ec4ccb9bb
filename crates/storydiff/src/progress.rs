//! Progress of the long stages (reading, grouping, analysing, comparing): the one hook the
//! engine reports through. The engine never draws anything; the CLI draws a bar on stderr,
//! tests record the stages, and `()` shows nothing.

/// Reports the progress of a long stage (a progress bar on a terminal; nothing in tests).
pub trait Progress: Sync {
    /// A stage of `total` steps begins.
    fn stage(&self, name: &str, total: u64);
    /// `n` steps of the current stage are done.
    fn inc(&self, n: u64);
}

/// No progress shown.
impl Progress for () {
    fn stage(&self, _: &str, _: u64) {}
    fn inc(&self, _: u64) {}
}
