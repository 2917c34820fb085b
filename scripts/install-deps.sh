#!/usr/bin/env bash
# Installs every Debian 12 package Joet Ledger needs to build, test and run.
# Idempotent: installs only what is missing; runs `apt-get update` only when it must install.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config ninja-build
  libboost-dev libboost-system-dev
  libleveldb-dev libsnappy-dev
  libssl-dev
  libsecp256k1-dev
  libprotobuf-dev protobuf-compiler
  nlohmann-json3-dev
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  libsodium-dev libcli11-dev
  libjs-chart.js
  openssl
  python3
  chromium chromium-driver python3-selenium
)
# clang gives the libFuzzer targets; optional, but installed so the fuzz smoke tests run everywhere.
OPTIONAL=(clang)

missing=()
for p in "${PACKAGES[@]}" "${OPTIONAL[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} required packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
