"""Text as each kind of file can hold it, and the names and sizes of files people download.

Text is stored exactly as a lead typed it; each writer cleans it at its own edge, with one
function per kind of output:

* ``for_word`` (the meeting pack and reports), ``for_excel`` (workbooks and the template),
  ``for_csv`` (CSV cells, formulas neutralised too), ``for_image`` (chart pictures drawn by
  vl-convert), ``for_html`` (the printed copies of tables, escaped too) and ``for_terminal``
  (what the command line prints for a person).

In all but the terminal, noncharacters (U+FFFE, U+FFFF and the rest), control characters other
than tab and newline, bidirectional overrides and lone surrogates become a visible mark
(U+FFFD, ``models.safe_text.MARK``); in the terminal each is shown as its escape (``\\x1b``,
``\\u202e``), so nothing typed is ever obeyed as a terminal command. Machine formats (JSON,
YAML) carry the exact text, escaped by the format itself, and are not cleaned here.
"""

from __future__ import annotations

import html
import re
from typing import Any

from models.safe_text import MARK, escape_visible, without_hostile

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
#: The most characters an Excel cell holds.
EXCEL_CELL_LIMIT = 32767
#: Characters that make a spreadsheet treat a text cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

__all__ = [
    "CSV_MIME",
    "MARK",
    "XLSX_MIME",
    "clean_text",
    "file_stem",
    "for_csv",
    "for_excel",
    "for_html",
    "for_image",
    "for_terminal",
    "for_word",
    "human_size",
]


def for_word(text: str) -> str:
    """Text as a Word document holds it: line breaks as ``\\n``, hostile characters marked."""
    return without_hostile(text)


def for_excel(text: str) -> str:
    """Text as an Excel cell holds it: hostile characters marked, cut at 32,767 characters."""
    return without_hostile(text)[:EXCEL_CELL_LIMIT]


#: The name the workbooks and the template have always used.
clean_text = for_excel


def for_csv(value: Any) -> Any:
    """A CSV cell: text with hostile characters marked and a formula made plain (a leading ``'``);
    anything that is not text is returned as it is."""
    if not isinstance(value, str):
        return value
    text = without_hostile(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def for_image(text: str) -> str:
    """Text drawn in a chart picture (vl-convert cannot draw a noncharacter: it stops the process)."""
    return without_hostile(text)


def for_html(text: str) -> str:
    """Text in HTML (the printed copies of tables and the print header): marked, then escaped."""
    return html.escape(without_hostile(text))


def for_terminal(text: str, *, cell: bool = False) -> str:
    """Text safe to print: every control, format or hostile character shown as its escape
    (``\\x1b``, ``\\u202e``), never obeyed.

    ``cell``: a table cell, kept on one line, so a line break or tab shows as ``\\n`` or ``\\t``
    too; otherwise they are kept.
    """
    return escape_visible(str(text), "" if cell else "\n\t")


def file_stem(title: str) -> str:
    """A file name from a title: 'Caseloads by authority' -> 'caseloads-by-authority'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "export"


def human_size(n: int) -> str:
    """'12 KB', '1.4 MB' (1 KB = 1,024 bytes)."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"
