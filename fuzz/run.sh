#!/usr/bin/env bash
# Builds the fuzz targets once, replays the saved crash inputs of fuzz/regressions/, then runs
# each target for ORCHARD_FUZZ_SECONDS (default 60) from its seeds (fuzz/seed.sh). Exits 1
# when any target panicked, timed out or ran out of memory; the input is saved under
# fuzz/artifacts/<target>/ and the command to reproduce it is printed.
#
#   bash fuzz/run.sh                       # every target, 60 s each
#   ORCHARD_FUZZ_SECONDS=10 bash fuzz/run.sh signature ssh_command
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
# Built without a sanitizer (`-s none`): Orchard has no unsafe code, we look for panics, and
# AddressSanitizer would make the build slower and the activity target several times slower.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${ORCHARD_FUZZ_SECONDS:-60}
# libFuzzer reads -max_total_time=0 as "no limit": only a positive number of seconds is used.
case $seconds in
  '' | *[!0-9]* | 0 | 0*)
    echo "ORCHARD_FUZZ_SECONDS=$seconds is not a positive number of seconds; using 60" >&2
    seconds=60
    ;;
esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(activity signature ssh_command)
build_flags=(--sanitizer none --codegen-units 16)

bash seed.sh
cargo +nightly fuzz build "${build_flags[@]}"
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
bin_dir=${CARGO_TARGET_DIR:-target}/$triple/release

failed=()
for t in "${targets[@]}"; do
  bin=$bin_dir/$t
  mkdir -p "artifacts/$t"
  # Saved crash inputs must stay fixed: each is run once.
  if compgen -G "regressions/$t/*" >/dev/null; then
    echo "== fuzz $t: replaying regressions/$t"
    if ! "$bin" -artifact_prefix="artifacts/$t/" regressions/"$t"/* >"artifacts/$t/regressions.log" 2>&1; then
      tail -n 40 "artifacts/$t/regressions.log"
      echo "!! fuzz $t: a saved crash input of regressions/$t still fails (log: fuzz/artifacts/$t/regressions.log)"
      failed+=("$t (regressions)")
    fi
  fi
  echo "== fuzz $t: ${seconds} s"
  log=artifacts/$t/fuzz.log
  # Every run starts from the seeds (as in CI); what it finds goes to artifacts/<target>/corpus.
  rm -rf "artifacts/$t/corpus"
  mkdir -p "artifacts/$t/corpus"
  # -timeout: one input running 25 s counts as a failure (a hang); -rss_limit_mb: as libFuzzer's default.
  if "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/" "artifacts/$t/corpus" "corpus/$t" >"$log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true
  else
    tail -n 60 "$log"
    crash=$(grep -o "artifacts/$t/[a-z]*-[0-9a-f]*" "$log" | tail -n 1 || true)
    echo "!! fuzz $t failed (log: fuzz/$log)"
    if [ -n "$crash" ]; then
      echo "!! input: fuzz/$crash; reproduce: cd fuzz && $bin_dir/$t $crash"
    fi
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "!! fuzzing failed: ${failed[*]}"
  exit 1
fi
echo "== fuzz: no panic in ${targets[*]}"
