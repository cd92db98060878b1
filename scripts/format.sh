#!/usr/bin/env bash
# Formats every C++ and CUDA file of the repository with clang-format 14, the version Debian 12
# ships (pinned: another version lays code out differently), or with --check only reports the
# files that differ (exit 1), as CI does. Style: .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
cf=clang-format-14
command -v "$cf" >/dev/null || { echo "format.sh needs $cf: apt-get install clang-format-14" >&2; exit 3; }
mapfile -t files < <(find src include tests bench python \( -name '*.cpp' -o -name '*.hpp' -o -name '*.cu' \) | sort)
if [ "${1:-}" = "--check" ]; then
  "$cf" --dry-run -Werror "${files[@]}" || { echo "format.sh: files above differ from .clang-format; run scripts/format.sh" >&2; exit 1; }
else
  "$cf" -i "${files[@]}"
fi
