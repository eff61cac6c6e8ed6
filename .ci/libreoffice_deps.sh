#!/usr/bin/env bash
# Install what the LibreOffice checks need from Debian's packages, only what is missing:
set -euo pipefail
# Calc opens the workbooks, Writer the meeting pack (.docx); poppler-utils reads the PDFs.
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# The metric twins of Calibri (the workbooks' font) and Arial (the Word documents'): LibreOffice installs
# bundle them, Debian recommends them; without them pages are printed with DejaVu Sans, a third wider,
# and the page counts checked are not the pages Excel and Word print.
fc-list :family=Carlito 2>/dev/null | grep -q . || need+=(fonts-crosextra-carlito)
fc-list ":family=Liberation Sans" 2>/dev/null | grep -q . || need+=(fonts-liberation2)
if [ "${#need[@]}" -gt 0 ]; then
  echo "== Installing ${need[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! command -v soffice >/dev/null 2>&1; then
  echo "LibreOffice check failed: soffice is still missing after installing libreoffice-calc-nogui." >&2
  exit 1
fi
