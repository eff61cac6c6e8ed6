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
page that never exports does not pay for them at start-up. The upload template is
written and read with openpyxl (``exports.template_writer``, ``exports.template_reader``), which
use ``set_value`` below.
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
    MIN_PRINT_SCALE,
    ROTATED_WIDTH,
    TEXT_FLOOR,
    TEXT_FLOOR_MOST,
    PrintLayout,
    heading_points,
    page_setup,
    plan_print,
    rotate_headings,
    row_heights,
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
#: A heading longer than this wraps over lines rather than widening its column.
HEADING_WRAPS = 8
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
        upright: bool = False,
    ) -> Format:
        """A cell format (made once per kind; every cell is aligned to the top; ``upright``: text turned
        to read bottom to top)."""
        key = (bold, size, wrap, centre, fill, number, upright)
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
            if upright:
                props["rotation"] = 90
                props["valign"] = "bottom"
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


def _write_column(book: _Book, ws: Worksheet, col: int, values: list, width: int) -> tuple[int, bool, Any]:
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
    return width, wrap, fmt


def _longest_word(values: Sequence[Any]) -> int:
    return max((len(w) for v in values if isinstance(v, str) for w in v.split()), default=0)


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
    is written "Yes" on a light fill and False left blank. The first ``freeze_columns`` (the
    identifying columns, such as Authority and Round) stay in view and print on every page across.
    For print, long text columns are narrowed (never below their longest word) where that fits
    the sheet one page wide in fewer pages (``print_setup.plan_print``).
    """
    if df.index.name is not None or not isinstance(df.index, pd.RangeIndex):
        df = df.reset_index()
    headers = _unique_headers(list(df.columns))
    fill_set = set(yes_fill_columns)
    n_rows = len(df)
    widths: list[int] = []
    wrapped: list[bool] = []
    columns: list[list] = []
    formats: list[Any] = []
    for j, h in enumerate(headers):
        values = df.iloc[:, j].tolist()
        columns.append(values)
        if h in fill_set:
            # Yes/blank code columns stay narrow (their headings wrap).
            widths.append(min(max(len(h), MIN_WIDTH), CODE_WIDTH))
            wrapped.append(False)
            formats.append(None)
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
            # A heading wraps at its spaces: the column is as wide as its longest word or its content.
            heading = max((len(w) for w in h.split()), default=0) if len(h) > HEADING_WRAPS else len(h)
            width, wrap, fmt = _write_column(book, ws, j, values, min(max(heading, MIN_WIDTH), 30))
            widths.append(width)
            wrapped.append(wrap)
            formats.append(fmt)
    if n_rows == 0:  # An Excel table needs a data row; an empty one says so.
        ws.write_string(1, 0, "(no rows)", book.fmt())
        n_rows = 1
    # Short figures and marks under long headings: the heading upright, the column as narrow as its content.
    content = [max((_width(v) if type(v) is not bool else 3 for v in c), default=0) for c in columns]
    upright = rotate_headings(headers, content, wrapping=wrapped)
    for j, turn in enumerate(upright):
        if turn:
            widths[j] = max(content[j], ROTATED_WIDTH)
    header_points = heading_points(headers, widths, upright)
    # For print: long text columns narrowed where that takes fewer pages (never below their longest word).
    shrinkable = [
        f is not None and (wr or (w > TEXT_FLOOR and _longest_word(c) < w))
        for j, (f, wr, w, c) in enumerate(zip(formats, wrapped, widths, columns, strict=True))
    ]
    floors = [
        min(max(_longest_word(c), len(max(h.split(), key=len, default="")), TEXT_FLOOR), TEXT_FLOOR_MOST)
        for c, h in zip(columns, headers, strict=True)
    ]
    plan = plan_print(
        widths,
        wrapped,
        shrinkable,
        floors,
        columns,
        header_points=header_points,
        repeat_columns=freeze_columns,
        longest=content,
    )
    for j, (old, new) in enumerate(zip(widths, plan.widths, strict=True)):
        if new < old or (shrinkable[j] and not wrapped[j] and new < content[j]):
            wrapped[j] = True
            formats[j].set_text_wrap()
    widths = [math.ceil(w) for w in plan.widths]
    for j, width in enumerate(widths):
        _set_width(ws, j, width + 2)
    ws.set_row(0, heading_points(headers, widths, upright))
    # Rows tall enough for their wrapped text (XlsxWriter does not fit them).
    for i, height in enumerate(row_heights(columns, [w + 2 for w in widths], wrapped), start=1):
        if height:
            ws.set_row(i, height)
    header, turned = book.fmt(bold=True, wrap=True), book.fmt(bold=True, upright=True)
    ws.add_table(
        0,
        0,
        n_rows,
        len(headers) - 1,
        {
            "name": _table_name(ws.get_name(), book.table_names),
            "style": TABLE_STYLE,
            "columns": [
                {"header": h, "header_format": turned if turn else header}
                for h, turn in zip(headers, upright, strict=True)
            ],
        },
    )
    ws.freeze_panes(1, freeze_columns)
    page_setup(
        ws,
        title=book.title,
        when=book.when,
        widths_pixels=[(w + 2) * CHAR_PIXELS for w in widths],
        layout=plan.layout,
        repeat_columns=freeze_columns,
    )


#: The About sheet's two columns (characters): together one upright page wide at 8 point.
ABOUT_WIDTHS = (24, 100)


def _about_sheet(book: _Book, ws: Worksheet, title: str, items: Sequence[tuple[str, str]]) -> None:
    """A readable two-column sheet: a heading, then 'item: detail' rows (not a table)."""
    ws.write_string(0, 0, clean_text(title), book.fmt(bold=True, size=14))
    label, detail = book.fmt(bold=True, wrap=True), book.fmt(wrap=True)
    for row, (name, text) in enumerate(items, start=2):
        ws.write_string(row, 0, clean_text(name), label)
        ws.write_string(row, 1, clean_text(text), detail)
    # Upright at 8 point: the labels' column and the details' column fill the page's width.
    _set_width(ws, 0, ABOUT_WIDTHS[0])
    _set_width(ws, 1, ABOUT_WIDTHS[1])
    names = [clean_text(n) for n, _ in items]
    texts = [clean_text(t) for _, t in items]
    heights = row_heights([names, texts], [w + 2 for w in ABOUT_WIDTHS], [True, True])
    for row, height in enumerate(heights, start=2):
        if height:
            ws.set_row(row, height)
    page_setup(
        ws,
        title=book.title,
        when=book.when,
        widths_pixels=[w * CHAR_PIXELS for w in ABOUT_WIDTHS],
        data=False,
        layout=PrintLayout(landscape=False, fit_width=False, scale=MIN_PRINT_SCALE),
    )


# ---------------------------------------------------------------------------
# A page's view


# ---------------------------------------------------------------------------
# The whole data set


# ---------------------------------------------------------------------------
# CSV
