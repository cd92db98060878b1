#!/usr/bin/env bash
# Installs llmcost's build dependencies from Debian 12 packages (skips what is there already).
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libcli11-dev libfmt-dev libtomlplusplus-dev libeigen3-dev
          nlohmann-json3-dev catch2 liblbfgspp-dev libmuparser-dev libxml2-utils clang-format-14 clang-tidy-14
          pybind11-dev python3-dev python3-pytest python3-pandas help2man libbenchmark-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
