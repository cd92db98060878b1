#!/usr/bin/env bash
# Builds and runs the whole test suite: the format check, a Release build with warnings as errors,
# its tests and scenarios, clang-tidy's curated checks, then an AddressSanitizer +
# UndefinedBehaviorSanitizer build of the tests; the Python module is built and tested after the
# Release build. Installs missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

echo "== Format (clang-format 14, .clang-format)"
scripts/format.sh --check

echo "== Release build, warnings as errors"
cmake -S . -B build-ci -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLMCOST_WERROR=ON -DLLMCOST_BENCH=ON \
  -DLLMCOST_PYTHON=ON -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build-ci -j "$jobs"
ctest --test-dir build-ci -j "$jobs" --output-on-failure
build-ci/llmcost run scenarios/

echo "== Python module (python3-pytest)"
PYTHONPATH=build-ci/python LLMCOST_BIN=build-ci/llmcost /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/python

echo "== Package (.deb): the binary, the catalog, the man page and bash completion; runs from it"
(cd build-ci && cpack -G DEB >/dev/null)
rm -rf build-ci/deb-root && dpkg-deb -x build-ci/llmcost_*_amd64.deb build-ci/deb-root
test -s build-ci/deb-root/usr/share/man/man1/llmcost.1
test -s build-ci/deb-root/usr/share/bash-completion/completions/llmcost
build-ci/deb-root/usr/bin/llmcost train --model gpt3 --quiet | grep -qx 'cost_usd \$1.32M'
echo "llmcost_*_amd64.deb: llmcost train --model gpt3 runs from the package's own catalog"

echo "== clang-tidy (.clang-tidy, zero warnings)"
scripts/tidy.sh build-ci

echo "== ASan + UBSan build"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLLMCOST_WERROR=ON -DLLMCOST_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
# The slow module (bootstraps of scaling-law fits) runs in the Release pass only.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan -j "$jobs" --output-on-failure -E '^slow$'
