//! JSON renderer: the [`Report`] as a pretty-printed, versioned document (docs/json.md).
//! Field order is fixed by the structs and every list is in a defined order, so the output
//! is byte-identical across runs.

use std::io::{self, Write};

use crate::model::Report;

/// Write `report` as JSON followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
