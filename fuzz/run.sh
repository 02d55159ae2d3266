#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 30), from the committed seeds, with a 1 s
# timeout per input and a 2 GiB memory limit (a larger allocation is a finding: absurd headers must be
# refused before they allocate). Needs `cargo install cargo-fuzz` and the nightly toolchain.
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(idx idx_file image mask_png); fi
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1
done
