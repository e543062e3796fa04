#!/usr/bin/env bash
# Installs the Debian 12 packages azdetect needs, only when some are missing.
# Build: cmake g++ libcli11-dev libsimdjson-dev libfmt-dev zlib1g-dev; tests: catch2, jq,
# python3-jsonschema (schema validation of json/jsonl output).
set -euo pipefail
packages=(cmake g++ make libcli11-dev libsimdjson-dev libfmt-dev zlib1g-dev catch2 jq python3-jsonschema)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
