#!/usr/bin/env bash
# Alignment quality on every benchmark (fixtures/gold and ../shared/benchmarks, read where
# they lie): prints one Markdown table, writes it to target/quality.md, and exits non-zero
# when a number falls below its guard (see benches/quality.rs). Then event grouping on news_ecb
# and METER against the TF-IDF average-link baseline (benches/group_quality.rs), which fails
# when a floor of issue #5 is missed. CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
cargo bench --locked --bench quality -- --assert | tee target/quality.md
cargo bench --locked --bench group_quality -- --assert | tee target/group-quality.txt
