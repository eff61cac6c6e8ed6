#!/usr/bin/env bash
# Open exported workbooks (and the meeting pack) in LibreOffice (headless) from Debian.
# Exports the real returns with `cli.py export` and a workbook of hostile answers, converts every
# sheet to CSV with `soffice --headless --convert-to csv`, and checks that Kent's Summary row shows
# 65 and 64 and that no hostile answer was computed as a formula; prints the workbook and a meeting
# pack to PDF and checks A4 pages and readable text. Exit 1 with a plain message if not.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/libreoffice_deps.sh

PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
exec "$PY" tests/libreoffice_check.py
