#!/usr/bin/env bash
# Runs libFuzzer targets from the committed seeds (fuzz/seeds/TARGET), one at a time, at the lowest
# CPU priority, with a 1 s timeout per input and a 2 GiB memory limit (a larger allocation is a
# finding: absurd headers must be refused before they allocate). Needs `cargo install cargo-fuzz`
# and the nightly toolchain. Wrapped by `cargo xtask fuzz [TARGET] [--seconds N | --runs N]`.
#   fuzz/run.sh [--runs N] [SECONDS] [TARGET...]
# The targets of fuzz/ need no Burn build; those of fuzz/deep/ (experiment_json, run_files,
# checkpoint) link the project's crates, so their first build compiles Burn (long).
set -euo pipefail
cd "$(dirname "$0")"
limit=()
if [ "${1:-}" = "--runs" ]; then limit=(-runs="$2"); shift 2; fi
seconds="${1:-30}"
shift || true
if [ ${#limit[@]} -eq 0 ]; then limit=(-max_total_time="$seconds"); fi
light=(idx idx_file image mask_png cifar)
deep=(experiment_json run_files checkpoint)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("${light[@]}" "${deep[@]}"); fi
for t in "${targets[@]}"; do
  dir=.
  for d in "${deep[@]}"; do if [ "$t" = "$d" ]; then dir=deep; fi; done
  mkdir -p "corpus/$t"
  nice -n 19 cargo +nightly fuzz run --fuzz-dir "$dir" "$t" "corpus/$t" "seeds/$t" -- \
    "${limit[@]}" -timeout=1 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1
done
