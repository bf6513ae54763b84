#!/usr/bin/env bash
# Installs what mcu-aot needs on a Debian machine (only what is missing), then builds it.
set -euo pipefail
cd "$(dirname "$0")"

packages=(qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi clang-14 lld-14 wasi-libc
          libclang-rt-14-dev-wasm32 wabt binaryen)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]} > 0)); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
