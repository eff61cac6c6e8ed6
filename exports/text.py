"""Text as a file can hold it, and the names and sizes of files people download."""

from __future__ import annotations

import re

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


CSV_MIME = "text/csv"


#: Characters XML 1.0 cannot hold (the same set openpyxl refuses).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def clean_text(value: str) -> str:
    """Text as a spreadsheet can hold it.

    Characters XML forbids are dropped, line endings become ``\\n`` (as a reader sees
    them anyway) and the text is cut at 32,767 characters.
    """
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]


def file_stem(title: str) -> str:
    """A file name from a title: 'Caseloads by authority' -> 'caseloads-by-authority'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "export"


def human_size(n: int) -> str:
    """'12 KB', '1.4 MB' (1 KB = 1,024 bytes)."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"
