#!/usr/bin/env bash
# The Orchard demo in one command: builds the server and the demo driver, then starts three
# instances (fig, grape, walnut) on loopback and plays a narrated, checked scenario across them.
# See demo/README.md.
#
#   bash demo/run.sh              # debug build (what CI and `cargo test` already built)
#   bash demo/run.sh --release    # optimised build
#   bash demo/run.sh --keep       # leave the instances running at the end
#
# Exits 0 only when every step's effect was verified.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

profile=debug
demo_args=()
for arg in "$@"; do
  case "$arg" in
    --release) profile=release ;;
    --keep) demo_args+=(--keep) ;;
    -h | --help)
      sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "demo/run.sh: unknown argument '$arg' (known: --release, --keep)" >&2
      exit 2
      ;;
  esac
done

missing=()
for tool in git ssh ssh-keygen cargo; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "demo/run.sh: missing ${missing[*]}: the demo pushes with the real git and OpenSSH" \
    "clients (Debian: apt-get install git openssh-client) and builds with cargo." >&2
  exit 1
fi

echo "== Building orchard and orchard-demo ($profile)"
build=(cargo build --quiet -p orchard -p orchard-demo)
[ "$profile" = release ] && build+=(--release)
(cd "$root" && "${build[@]}")

target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
bin="$target_dir/$profile"

run_dir="$(mktemp -d "${TMPDIR:-/tmp}/orchard-demo.XXXXXX")"
echo "== Run directory (data, logs, keys, work trees): $run_dir"

status=0
"$bin/orchard-demo" --orchard "$bin/orchard" --settings-dir "$here" --run-dir "$run_dir" \
  ${demo_args[@]+"${demo_args[@]}"} || status=$?

if [ -d "$run_dir/logs" ]; then
  echo "== Logs of the instances: $run_dir/logs/{fig,grape,walnut}.log"
fi
if [ "$status" -eq 0 ]; then
  echo "== Demo passed"
else
  echo "== Demo FAILED (exit status $status)" >&2
fi
exit "$status"
