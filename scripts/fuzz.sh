#!/usr/bin/env bash
# Runs the libFuzzer targets for a given time each: scripts/fuzz.sh [SECONDS] [TARGET...]
# (default 600 s, all targets). Builds them with clang + ASan/UBSan in build-fuzz/ first. New
# interesting inputs go to a scratch copy of tests/fuzz/corpus/TARGET; crashes are written as
# crash-* files in the current folder; the exit code is non-zero if any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(units catalog scenario hf_config fit_csv calibration)
command -v clang++ >/dev/null || { echo "fuzz.sh needs clang (apt-get install clang libclang-rt-14-dev)" >&2; exit 3; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMCOST_FUZZ=ON -DLLMCOST_CUDA=OFF \
  -DLLMCOST_TESTS=OFF >/dev/null
cmake --build build-fuzz
status=0
for t in "${targets[@]}"; do
  [ -x "build-fuzz/tests/fuzz/fuzz_$t" ] || { echo "no fuzz target fuzz_$t" >&2; status=2; continue; }
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$t/." "$work/"
  echo "== fuzz_$t for ${seconds}s"
  if ! "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=4096 -print_final_stats=1 "$work"; then
    status=1
  fi
  rm -rf "$work"
done
exit $status
