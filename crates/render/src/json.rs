//! JSON renderer: the [`Report`] as a pretty-printed, versioned document (docs/json.md),
//! written through the wire views of [`storydiff::wire`].
//! Field order is fixed by the structs and every list is in a defined order, so the output
//! is byte-identical across runs.

use std::io::{self, Write};

use storydiff::model::Report;
use storydiff::wire::{to_safe_string, ReportJson};

/// Write `report` as JSON followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let text = to_safe_string(&ReportJson::from(report), true).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}
