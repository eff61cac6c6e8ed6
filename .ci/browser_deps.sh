#!/usr/bin/env bash
# Install what the browser tests (tests/browser/) need from Debian's packages:
# Chromium (Playwright drives it through executable_path; no browser download)
# and a font for legible screenshots. Safe to run again: it installs only what is missing.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# Screenshots need at least one scalable font; DejaVu is Debian's default.
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)

if [ "${#need[@]}" -eq 0 ]; then
  echo "browser_deps: chromium and fonts already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "browser_deps: installing ${need[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
/usr/bin/chromium --version
