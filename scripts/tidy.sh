#!/usr/bin/env bash
# Runs the curated clang-tidy checks of .clang-tidy (clang-tidy 14, Debian 12's) on every source
# file of src/ on all cores, warnings as errors: CI accepts zero. Needs a configured build folder
# with compile_commands.json (default build-ci, as scripts/test.sh makes it): scripts/tidy.sh [BUILD].
# The CUDA plugin (src/gpu/) is left out: clang-tidy would need the CUDA headers of nvcc's toolkit.
# The build's own warning flags are GCC's: clang's frontend must neither fail on GCC-only options
# (-Wno-restrict) nor turn its own diagnostics into errors (-Werror); the checks decide.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-ci}
ct=clang-tidy-14
command -v "$ct" >/dev/null || { echo "tidy.sh needs $ct: apt-get install clang-tidy-14" >&2; exit 3; }
[ -f "$build/compile_commands.json" ] || { echo "tidy.sh: no $build/compile_commands.json; configure a build first" >&2; exit 3; }
find src -name '*.cpp' -not -path 'src/gpu/*' | sort |
  xargs -P "$(nproc)" -n 2 "$ct" -p "$build" --quiet --warnings-as-errors='*' \
    --extra-arg=-Wno-error --extra-arg=-Wno-unknown-warning-option 2> >(grep -v ' warnings\? generated\.$' >&2)
echo "clang-tidy: no warnings"
