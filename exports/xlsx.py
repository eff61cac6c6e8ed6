"""Excel and CSV exports, built as bytes (no Streamlit here).

* ``view_workbook`` – what one comparison page shows: an About sheet and one
  sheet per table.
* ``full_workbook`` – the whole data set or a selection: About, Summary,
  QA matrix, Impact evidence matrix, Responses, Context (official figures,
  implied workforce and flags per return) and (where history is given) Versions.
* ``summary_csv`` and ``matrix_csv`` – the same tables as CSV (UTF-8 with a
  byte-order mark so Excel reads the accents and dashes).

Made for people: every data sheet is an Excel table (header row with filter
buttons), with the header row frozen and repeated on every printed page,
column widths fitted to the content, long text wrapped, and numbers stored as
numbers. Printed, every sheet is A4 (``page_setup``): landscape where wide, fitted to one page
wide only while the text stays at 8 point or more (otherwise at 73% with the columns flowing
over pages), gridlines printed on data sheets, rows tall enough for their wrapped text, and a
header and footer with the title, the sheet, the date and "Page N of M". Matrices say "Yes"
in words (a light fill is added, so colour is never the only signal).

Safe: every text cell is written with the string data type, so text such as
``=HYPERLINK(...)`` is shown as typed and never evaluated; the workbook holds
no formulas, macros or external links. CSV text that could be read as a
formula is prefixed with ``'`` (see ``analysis.tables.neutralise``).

Fast: workbooks are written with XlsxWriter, which streams cells to XML (openpyxl
builds an object per cell and took three times as long). Text is written with
``write_string`` and the workbook is opened with ``strings_to_formulas``,
``strings_to_urls`` and ``strings_to_numbers`` off, so nothing is guessed from text.
The Excel libraries are imported inside the functions that build workbooks, so a
page that never exports does not pay for them at start-up. ``set_value`` and the
openpyxl styles (``HEADER_FONT``...) remain for the upload template, which openpyxl
writes and reads (``exports.template``).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from exports.print_setup import (
    CHAR_PIXELS,
    LINE_POINTS,
    MAX_ROW_POINTS,
    page_setup,
    row_heights,
    text_lines,
)
from exports.text import clean_text

if TYPE_CHECKING:  # the Excel libraries are imported only when a workbook is built
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet


YES = "Yes"
NO = ""

#: Widest a column is made (characters); longer text wraps.
MAX_WIDTH = 60
MIN_WIDTH = 8
#: Width of a Yes/blank column in a matrix (its heading wraps).
CODE_WIDTH = 14
#: Text longer than this is wrapped even if the column is wide enough.
WRAP_OVER = 40
#: Light blue behind "Yes": colour-blind safe, and the text says "Yes" (colour is never the only signal).
YES_COLOUR = "#DDEBF7"
TABLE_STYLE = "Table Style Light 9"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


# ---------------------------------------------------------------------------
# Printing


# ---------------------------------------------------------------------------
# Cells


def set_value(cell: Any, value: Any) -> None:
    """Write one value into an openpyxl cell (the upload template).

    Text always as text (never a formula), numbers as numbers, empties empty.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        cell.value = None
        return
    if isinstance(value, bool):
        cell.value = YES if value else NO
        cell.data_type = "s"
        return
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        cell.value = value
        cell.number_format = DATETIME_FORMAT
        return
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    if isinstance(value, int | float):
        cell.value = value
        return
    cell.value = clean_text(str(value))
    # openpyxl marks text starting with "=" as a formula; this makes it plain text.
    cell.data_type = "s"


def _plain(value: Any) -> Any:
    """A value as one cell holds it: lists joined with '; ' (pages may show lists of labels)."""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    return value


def _width(value: Any) -> int:
    if value is None or value is pd.NA:
        return 0
    if isinstance(value, bool):
        return 3
    text = value if isinstance(value, str) else str(value)
    if "\n" not in text and "\r" not in text:
        return len(text)
    return max((len(line) for line in text.splitlines()), default=0)


def _sheet_title(name: str, taken: Iterable[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = (
        re.sub(r"[\[\]:*?/\\]", " ", clean_text(name).replace("\n", " ")).strip().strip("'").strip()
        or "Sheet"
    )
    if base.lower() == "history":  # a name Excel reserves
        base = "History (sheet)"
    base = base[:31]
    title, n = base, 2
    lowered = {t.lower() for t in taken}
    while title.lower() in lowered:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    return title


def _table_name(title: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", title).strip("_") or "Table"
    # Not starting with a digit, and never like a cell reference ("QA1", "R1C1"), which Excel refuses.
    if not base[0].isalpha() or re.fullmatch(r"[A-Za-z]{1,3}\d*|[Rr]\d*[Cc]\d*", base):
        base = "T_" + base
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base}_{n}"
        n += 1
    taken.add(name.lower())
    return name


def _unique_headers(columns: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for col in columns:
        h = clean_text(str(col)).replace("\n", " ").strip() or "Column"
        name, n = h, 2
        while name.lower() in {o.lower() for o in out}:
            name = f"{h} ({n})"
            n += 1
        out.append(name)
    return out


# ---------------------------------------------------------------------------
# Workbooks (XlsxWriter: it streams cells to XML much faster than openpyxl builds them)


class _Book:
    """One workbook being written: the XlsxWriter workbook, its cell formats and the names used."""

    def __init__(self, when: dt.datetime, title: str = "IRO and CP chair benchmarking") -> None:
        import xlsxwriter

        self.when = when
        self.title = title
        self.buffer = io.BytesIO()
        self.wb: Workbook = xlsxwriter.Workbook(
            self.buffer,
            {
                "in_memory": True,
                # Text is text: never turned into a formula, a link or a number.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        naive = when.astimezone(dt.UTC).replace(tzinfo=None)
        self.wb.set_properties({"author": "IRO and CP chair benchmarking", "created": naive})
        self.sheet_names: list[str] = []
        self.table_names: set[str] = set()
        self._formats: dict[tuple, Format] = {}

    def fmt(
        self,
        *,
        bold: bool = False,
        size: int | None = None,
        wrap: bool = False,
        centre: bool = False,
        fill: bool = False,
        number: str | None = None,
    ) -> Format:
        """A cell format (made once per kind; every cell is aligned to the top)."""
        key = (bold, size, wrap, centre, fill, number)
        if key not in self._formats:
            props: dict[str, Any] = {"valign": "top"}
            if bold:
                props["bold"] = True
            if size:
                props["font_size"] = size
            if wrap:
                props["text_wrap"] = True
            if centre:
                props["align"] = "center"
            if fill:
                props["pattern"] = 1
                props["bg_color"] = YES_COLOUR
            if number:
                props["num_format"] = number
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def sheet(self, name: str) -> Worksheet:
        title = _sheet_title(name, self.sheet_names)
        self.sheet_names.append(title)
        return self.wb.add_worksheet(title)

    def to_bytes(self) -> bytes:
        self.wb.close()
        return self.buffer.getvalue()


def _set_width(ws: Worksheet, col: int, width: float) -> None:
    """A column ``width`` characters wide, exactly (XlsxWriter's own conversion adds padding)."""
    ws.set_column_pixels(col, col, round(width * CHAR_PIXELS))


_SEQUENCES = (list, tuple, set, frozenset)


def _write_cell(book: _Book, ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None) -> None:
    """One value: text always as text (never a formula), numbers as numbers, empties left empty."""
    if value is None:
        return
    kind = type(value)
    if kind is str:
        if value:
            ws.write_string(row, col, clean_text(value), fmt)
    elif kind is bool:
        if value:
            ws.write_string(row, col, YES, fmt)
    elif kind is int or kind is float:
        if math.isfinite(value):
            ws.write_number(row, col, value, fmt)
        elif value == value:  # infinity: no spreadsheet number holds it
            ws.write_string(row, col, str(value), fmt)
    elif isinstance(value, dt.datetime):  # includes pandas Timestamp
        if value is pd.NaT:
            return
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        ws.write_datetime(row, col, value, book.fmt(number=DATETIME_FORMAT))
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, book.fmt(number=DATE_FORMAT))
    elif value is pd.NA:
        return
    elif isinstance(value, _SEQUENCES):
        _write_cell(book, ws, row, col, _plain(value), fmt)
    elif hasattr(value, "item"):  # numpy scalars
        _write_cell(book, ws, row, col, value.item(), fmt)
    else:
        ws.write_string(row, col, clean_text(str(value)), fmt)


def _write_column(book: _Book, ws: Worksheet, col: int, values: list, width: int) -> tuple[int, bool]:
    """Write one column's cells (row 2 down) in one pass; returns the width its content needs
    and whether it wraps.

    Every cell of the column shares one format object, made for this column: it is
    set to wrap once a long or multi-line text is met (XlsxWriter reads a format's
    properties only when the file is closed, and merges identical formats).
    """
    fmt = book.wb.add_format({"valign": "top"})
    wrap = False
    write_string, write_number = ws.write_string, ws.write_number
    for row, value in enumerate(values, start=1):
        kind = type(value)
        if kind is str:  # most cells: answers, names
            if not value:
                continue
            if "\n" in value or "\r" in value:
                wrap = True
                w = _width(value)
            else:
                w = len(value)
                if w > WRAP_OVER:
                    wrap = True
            if w > width:
                width = min(w, MAX_WIDTH)
            write_string(row, col, clean_text(value), fmt)
        elif kind is int or (kind is float and math.isfinite(value)):
            w = len(str(value))
            if w > width:
                width = min(w, MAX_WIDTH)
            write_number(row, col, value, fmt)
        elif value is None or (kind is float and value != value):
            continue
        else:
            value = _plain(value)
            w = _width(value)
            if w > width:
                width = min(w, MAX_WIDTH)
            if w > MAX_WIDTH or (type(value) is str and ("\n" in value or len(value) > WRAP_OVER)):
                wrap = True
            _write_cell(book, ws, row, col, value, fmt)
    if wrap:
        fmt.set_text_wrap()
    return width, wrap


def write_table(
    book: _Book,
    ws: Worksheet,
    df: pd.DataFrame,
    *,
    freeze_columns: int = 1,
    yes_fill_columns: Iterable[str] = (),
) -> None:
    """Write ``df`` as an Excel table starting at A1, laid out for reading and printing.

    A meaningful index (named, or not 0..n-1) becomes the first column(s). Numbers are
    stored as numbers, text as text; in Yes/blank columns (``yes_fill_columns``) True
    is written "Yes" on a light fill and False left blank.
    """
    if df.index.name is not None or not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index()
    headers = _unique_headers(list(df.columns))
    fill_set = set(yes_fill_columns)
    n_rows = len(df)
    widths: list[int] = []
    wrapped: list[bool] = []
    columns: list[list] = []
    for j, h in enumerate(headers):
        values = df.iloc[:, j].tolist()
        columns.append(values)
        if h in fill_set:
            # Yes/blank code columns stay narrow (their headings wrap).
            widths.append(min(max(len(h), MIN_WIDTH), CODE_WIDTH))
            wrapped.append(False)
            plain, filled = book.fmt(centre=True), book.fmt(centre=True, fill=True)
            for i, value in enumerate(values, start=1):
                if type(value) is not bool and hasattr(value, "item"):  # numpy's True and False
                    value = value.item()
                if value is True:
                    ws.write_string(i, j, YES, filled)
                elif value is not False:
                    _write_cell(book, ws, i, j, value, plain)
        else:
            # Other columns fit their heading (up to 30) and their content (up to MAX_WIDTH).
            width, wrap = _write_column(book, ws, j, values, min(max(len(h), MIN_WIDTH), 30))
            widths.append(width)
            wrapped.append(wrap)
    if n_rows == 0:  # An Excel table needs a data row; an empty one says so.
        ws.write_string(1, 0, "(no rows)", book.fmt())
        n_rows = 1
    for j, width in enumerate(widths):
        _set_width(ws, j, width + 2)
    # A header row tall enough for its longest wrapped heading (15 points a line).
    lines = max((math.ceil(len(h) / max(widths[j], 1)) for j, h in enumerate(headers)), default=1)
    ws.set_row(0, LINE_POINTS * max(lines, 1))
    # Rows tall enough for their wrapped text (XlsxWriter does not fit them).
    for i, height in enumerate(row_heights(columns, [w + 2 for w in widths], wrapped), start=1):
        if height:
            ws.set_row(i, height)
    header = book.fmt(bold=True, wrap=True)
    ws.add_table(
        0,
        0,
        n_rows,
        len(headers) - 1,
        {
            "name": _table_name(ws.get_name(), book.table_names),
            "style": TABLE_STYLE,
            "columns": [{"header": h, "header_format": header} for h in headers],
        },
    )
    ws.freeze_panes(1, freeze_columns)
    page_setup(ws, title=book.title, when=book.when, widths_pixels=[(w + 2) * CHAR_PIXELS for w in widths])


def _about_sheet(book: _Book, ws: Worksheet, title: str, items: Sequence[tuple[str, str]]) -> None:
    """A readable two-column sheet: a heading, then 'item: detail' rows (not a table)."""
    ws.write_string(0, 0, clean_text(title), book.fmt(bold=True, size=14))
    label, detail = book.fmt(bold=True, wrap=True), book.fmt(wrap=True)
    for row, (name, text) in enumerate(items, start=2):
        ws.write_string(row, 0, clean_text(name), label)
        ws.write_string(row, 1, clean_text(text), detail)
    _set_width(ws, 0, 28)
    _set_width(ws, 1, 100)
    for row, (name, text) in enumerate(items, start=2):
        lines = max(text_lines(clean_text(name), 28), text_lines(clean_text(text), 100))
        if lines > 1:
            ws.set_row(row, min(LINE_POINTS * lines + 2, MAX_ROW_POINTS))
    page_setup(
        ws,
        title=book.title,
        when=book.when,
        widths_pixels=[28 * CHAR_PIXELS, 100 * CHAR_PIXELS],
        data=False,
        prefer_portrait=True,
    )


# ---------------------------------------------------------------------------
# A page's view


# ---------------------------------------------------------------------------
# The whole data set


# ---------------------------------------------------------------------------
# CSV
