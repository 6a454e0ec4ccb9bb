#!/usr/bin/env bash
# Alignment quality on every benchmark (fixtures/gold and ../shared/benchmarks, read where
# they lie): prints one Markdown table, writes it to target/quality.md, and exits non-zero
# when a number falls below its guard (see benches/quality.rs). CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
cargo bench --locked --bench quality -- --assert | tee target/quality.md
