"""What both yearly builds need: where the shared inputs are, the error they raise, and writing files safely."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


REFERENCE_DIR = REPO / "reference_data"


def _shared_reference() -> Path:
    """``../shared/reference`` beside the repository (or beside a folder holding it, for a worktree)."""
    for parent in REPO.parents:
        candidate = parent / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "reference"


SHARED_REFERENCE = _shared_reference()


DEFAULT_LAS = SHARED_REFERENCE / "dfe-published-data-qa" / "las.csv"


DEFAULT_CODE_LIST = SHARED_REFERENCE / "lait" / "la_code_list.xlsx"


DEFAULT_LAIT = SHARED_REFERENCE / "lait" / "bds_long_0.parquet"


DEFAULT_DICTIONARY = SHARED_REFERENCE / "lait" / "lait_data_dictionary.csv"


DEFAULT_NEIGHBOURS = SHARED_REFERENCE / "lait" / "sn_may_2025.xlsx"


class ReferenceBuildError(Exception):
    """An input file cannot be used; the message says which file and what was expected."""


def _check_columns(found: Iterable[str], expected: Iterable[str], what: str) -> None:
    found = [str(c) for c in found]
    missing = [c for c in expected if c not in found]
    if missing:
        raise ReferenceBuildError(
            f"{what} does not have the columns expected. Expected: {', '.join(expected)}. "
            f"Missing: {', '.join(missing)}. Found: {', '.join(found) or 'none'}. Nothing was written."
        )


def _date(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date().isoformat()
    except ValueError as exc:
        raise ReferenceBuildError(f"{what}: '{text}' is not a date (DD/MM/YYYY).") from exc


def _csv_text(columns: Iterable[str], rows: Iterable[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buf.getvalue()


def write_files(files: dict[Path, str]) -> None:
    """Write every file via a temporary file and a rename: a failure leaves the old file whole."""
    temps = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            temps.append((tmp, path))
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
