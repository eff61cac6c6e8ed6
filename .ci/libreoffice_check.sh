#!/usr/bin/env bash
# Open exported workbooks in a real spreadsheet application: LibreOffice (headless) from Debian.
# Exports the real returns with `cli.py export` and a workbook of hostile answers, converts every
# sheet to CSV with `soffice --headless --convert-to csv`, and checks that Kent's Summary row shows
# 65 and 64 and that no hostile answer was computed as a formula. Exit 1 with a plain message if not.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v soffice >/dev/null 2>&1; then
  echo "== Installing LibreOffice Calc (libreoffice-calc-nogui) from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi
if ! command -v soffice >/dev/null 2>&1; then
  echo "LibreOffice check failed: soffice is still missing after installing libreoffice-calc-nogui." >&2
  exit 1
fi

PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
exec "$PY" tests/libreoffice_check.py
