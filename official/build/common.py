"""What both yearly builds need: where the shared inputs are, the error they raise, and writing files safely."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
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


#: What a column may hold (``check_types``): the Python types of its values, in words.
TEXT = ((str,), "text")
TEXT_OR_WHOLE = ((str, int), "text or whole numbers")
TEXT_OR_NUMBER = ((str, int, float), "text or numbers")


def shorten(text: object, limit: int = 80) -> str:
    """``text`` on one line, at most ``limit`` characters (with '…'), for quoting in a message."""
    one = " ".join(str(text).split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def _missing(value: object) -> bool:
    """An empty cell: None, NaN or pandas's NA."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def check_types(df, types: dict, what: str) -> None:
    """Refuse a file whose column holds a value of the wrong type (bytes, dates, true/false, a list…),
    naming the column, the first row and what was expected, before anything is built or written."""
    import numpy as np

    for column, (allowed, words) in types.items():
        if column not in df.columns:
            continue
        for i, value in enumerate(df[column].tolist()):
            if _missing(value):
                continue
            if isinstance(value, np.generic):
                value = value.item()
            if isinstance(value, bool) or not isinstance(value, allowed):
                raise ReferenceBuildError(
                    f"{what}: column '{column}' holds {type(value).__name__} values (row {i + 1} of the data: "
                    f"'{shorten(value)}'), where {words} are expected. Nothing was written."
                )


def dfe_code(value: object, where: str) -> str:
    """A DfE authority code ('886') from a cell: a whole number, as text or a number; '' for an empty
    cell. Anything else (a word, 'nan', a fraction, infinity) is refused, naming file, row and column."""
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return ""
    text = str(value).strip()
    try:
        number = float(text) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number != int(number) or number < 0 or isinstance(value, bool):
        raise ReferenceBuildError(
            f"{where}: '{shorten(text)}' is not a DfE authority code (a whole number such as 886). "
            "Nothing was written."
        )
    return str(int(number))


def year_text(year: object) -> str:
    """A year cell as text ('2025'; a whole number read as 2025.0 becomes '2025')."""
    if isinstance(year, float) and year.is_integer():
        return str(int(year))
    return str(year)


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
