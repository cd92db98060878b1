#!/usr/bin/env bash
# Makes a relocatable copy of a built llmcost for a machine that lacks the build's libraries
# (a GPU box without the Debian packages, say): scripts/bundle.sh [BUILD_DIR] [DEST]
# (default build/ and .bundle/). DEST gets the installed tree (bin/, lib/llmcost/ with the CUDA
# plugin, share/llmcost/data/), the shared libraries the binary needs beyond the C and C++
# runtimes in DEST/lib, and DEST/llmcost, a launcher that finds them. The CUDA libraries are
# not copied (hundreds of MB): the target's driver and toolkit provide them, found through the
# usual loader paths or /usr/local/cuda. Example, calibrating a GPU on another x86-64 machine:
#   scripts/bundle.sh && scp -r .bundle gpu-box: && ssh gpu-box .bundle/llmcost calibrate --out h100.toml
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
dest=${2:-.bundle}
[ -x "$build/llmcost" ] || { echo "bundle.sh: no $build/llmcost; build first (see README)" >&2; exit 2; }
rm -rf "$dest"
cmake --install "$build" --prefix "$dest" >/dev/null
mkdir -p "$dest/lib"
# Everything ldd resolves except glibc's own libraries and the GCC runtimes every Linux has.
ldd "$build/llmcost" | awk '$3 ~ /^\// {print $3}' |
  grep -Ev '/(libc|libm|libdl|libpthread|librt|ld-linux[^/]*|libstdc\+\+|libgcc_s)\.so' |
  while read -r lib; do cp -L "$lib" "$dest/lib/"; done
cat >"$dest/llmcost" <<'LAUNCHER'
#!/bin/sh
here=$(cd "$(dirname "$0")" && pwd)
LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}:/usr/local/cuda/lib64:/usr/local/cuda/lib" \
  exec "$here/bin/llmcost" "$@"
LAUNCHER
chmod +x "$dest/llmcost"
echo "bundle.sh: $dest/llmcost ($(du -sh "$dest" | cut -f1)); libraries: $(ls "$dest/lib" | grep -v '^llmcost$' | tr '\n' ' ')"
