#!/usr/bin/env bash
# Builds the emulator binary as it was before the web console (commit 23af320 by default, or the
# revision given) into target/console-baseline, and prints its path: the baseline of
# `benches/console.rs`.
#
#   BASELINE_EMULATOR="$(bash extensions-emulator/benches/console-baseline.sh)" \
#       cargo bench -p extensions-emulator --bench console
set -euo pipefail
rev="${1:-23af320}"
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
out="$root/target/console-baseline"
src="$out/src-$rev"
rm -rf "$src"
mkdir -p "$src"
git -C "$root" archive "$rev" | tar -x -C "$src"
CARGO_TARGET_DIR="$out/target" cargo build --release --quiet \
    --manifest-path "$src/Cargo.toml" -p extensions-emulator >&2
echo "$out/target/release/extensions-emulator"
