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

import contextlib
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis import tables as tbl
from models.returns import AuthorityReturn, Caseload, SurveyRound
from models.taxonomy import CODING_RULE
from models.vocabulary import IRO_BAND, ROLE_LABELS
from official.context_table import context_rows
from official.register import OGL_ATTRIBUTION

if TYPE_CHECKING:  # the Excel libraries are imported only when a workbook is built
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"

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
#: Width of one character in pixels (Calibri 11, Excel's default), to set widths exactly.
CHAR_PIXELS = 7

#: Printing: A4 (XlsxWriter/Excel paper size 9), margins in inches, and the smallest print scale that
#: keeps Calibri 11 at 8 point or more (11 × 0.73 = 8.03).
PAPER_A4 = 9
MARGIN_SIDE = 0.4
MARGIN_TOP = 0.6
MIN_PRINT_SCALE = 73
#: Width printable on A4 within the side margins, in screen pixels at 96 per inch (a column of
#: ``w`` characters is ``w × CHAR_PIXELS`` pixels and prints at 0.75 point per pixel at 100%).
A4_PORTRAIT_PIXELS = round((210 / 25.4 - 2 * MARGIN_SIDE) * 96)
A4_LANDSCAPE_PIXELS = round((297 / 25.4 - 2 * MARGIN_SIDE) * 96)
#: Characters of ordinary text per character of column width (widths are counted in digits,
#: which are wider than the average letter of Calibri).
TEXT_CHARS_PER_WIDTH = 1.15
#: Points per line of wrapped Calibri 11, and the tallest row Excel allows.
LINE_POINTS = 15
MAX_ROW_POINTS = 409

#: Characters XML 1.0 cannot hold (the same set openpyxl refuses).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

# ---------------------------------------------------------------------------
# Printing


@dataclass(frozen=True)
class PrintLayout:
    """How a sheet prints on A4: orientation, and fitted to one page wide or at a fixed scale.

    ``fit_width`` is True only where fitting keeps the text at 8 point or more; otherwise the
    sheet prints at ``scale`` per cent and its columns flow over more pages.
    """

    landscape: bool
    fit_width: bool
    scale: int  # per cent, used when not fitted


def print_layout(widths_pixels: Sequence[float], *, prefer_portrait: bool = False) -> PrintLayout:
    """The A4 layout for columns of these widths (pixels): see ``PrintLayout``.

    Portrait when the columns fit at full size (or, with ``prefer_portrait``, at 8 point or
    more); otherwise landscape, fitted to the width if that keeps 8 point, else at the
    smallest readable scale with the columns flowing over pages.
    """
    total = max(float(sum(widths_pixels)), 1.0)
    portrait_ok = total <= A4_PORTRAIT_PIXELS or (
        prefer_portrait and total * MIN_PRINT_SCALE / 100 <= A4_PORTRAIT_PIXELS
    )
    if portrait_ok:
        return PrintLayout(landscape=False, fit_width=True, scale=100)
    if total * MIN_PRINT_SCALE / 100 <= A4_LANDSCAPE_PIXELS:
        return PrintLayout(landscape=True, fit_width=True, scale=100)
    return PrintLayout(landscape=True, fit_width=False, scale=MIN_PRINT_SCALE)


def header_text(text: str) -> str:
    """Text for an Excel page header or footer: '&' doubled (it starts a code), kept short."""
    return clean_text(text).replace("\n", " ").replace("&", "&&")[:80]


def print_header_footer(title: str, when: dt.datetime) -> tuple[str, str]:
    """Excel header and footer codes: the title and the sheet's name above; the date and
    'Page N of M' below (``&A`` is the sheet name, ``&P`` the page, ``&N`` the number of pages)."""
    header = f"&L{header_text(title)}&R&A"
    footer = f"&LGenerated {header_text(when.strftime('%d %B %Y').lstrip('0'))}&RPage &P of &N"
    return header, footer


def text_lines(value: Any, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (an estimate on the
    generous side: words do not break, so lines are not filled to the edge)."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(width * TEXT_CHARS_PER_WIDTH - 2, 1)
    lines = 0
    for part in value.split("\n"):
        lines += max(1, math.ceil(len(part) / per_line))
    return lines


def row_heights(
    columns: Sequence[Sequence[Any]], widths: Sequence[float], wrapped: Sequence[bool]
) -> list[int]:
    """Each row's height in points so that its wrapped cells show whole (XlsxWriter does not
    fit rows to their text, and LibreOffice then prints wrapped rows over each other)."""
    n = max((len(c) for c in columns), default=0)
    lines = [1] * n
    for values, width, wrap in zip(columns, widths, wrapped, strict=True):
        if not wrap:
            continue
        for i, value in enumerate(values):
            if type(value) is str and (len(value) > width - 1 or "\n" in value):
                k = text_lines(value, width)
                if k > lines[i]:
                    lines[i] = k
    return [min(LINE_POINTS * k + 2, MAX_ROW_POINTS) if k > 1 else 0 for k in lines]


def page_setup(
    ws: Worksheet,
    *,
    title: str,
    when: dt.datetime,
    widths_pixels: Sequence[float],
    data: bool = True,
    prefer_portrait: bool = False,
) -> PrintLayout:
    """Set a sheet to print on A4 (XlsxWriter): orientation and scale from its column widths
    (``print_layout``), the header row repeated on every page and gridlines printed on data
    sheets, narrow margins, and a header and footer (title, sheet, date, page N of M)."""
    layout = print_layout(widths_pixels, prefer_portrait=prefer_portrait)
    ws.set_paper(PAPER_A4)
    if layout.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if layout.fit_width:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(layout.scale)
    ws.set_margins(left=MARGIN_SIDE, right=MARGIN_SIDE, top=MARGIN_TOP, bottom=MARGIN_TOP)
    if data:
        ws.repeat_rows(0)
        ws.hide_gridlines(0)  # gridlines on screen and on paper: "6" next to "80" never reads "680"
    header, footer = print_header_footer(title, when)
    ws.set_header(header)
    ws.set_footer(footer)
    return layout


# ---------------------------------------------------------------------------
# Cells


def clean_text(value: str) -> str:
    """Text as a spreadsheet can hold it.

    Characters XML forbids are dropped, line endings become ``\\n`` (as a reader sees
    them anyway) and the text is cut at 32,767 characters.
    """
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]


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
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'").strip() or "Sheet"
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


def _now(generated_at: dt.datetime | None) -> dt.datetime:
    when = generated_at or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def _when_text(when: dt.datetime) -> str:
    return when.strftime("%d %B %Y at %H:%M UTC").lstrip("0")


def _filters_text(filters_description: Iterable[str]) -> str:
    items = [f for f in filters_description if f]
    return "\n".join(items) if items else "None: everything is included."


# ---------------------------------------------------------------------------
# A page's view


def view_workbook(
    title: str,
    filters_description: Iterable[str],
    tables: Mapping[str, pd.DataFrame],
    generated_at: dt.datetime | None = None,
    notes: Iterable[str] = (),
) -> bytes:
    """What one page shows: an About sheet, then one sheet per table (named by its key). ``notes`` are the
    view's own notes (its sources and licence lines), listed on the About sheet."""
    frames = tables
    notes = [n for n in notes if n]
    when = _now(generated_at)
    items = [
        (
            "What this is",
            f"The table(s) shown on the page '{title}' of the IRO and CP chair benchmarking "
            "dashboard, under the filters below.",
        ),
        ("Filters applied", _filters_text(filters_description)),
        ("Generated", _when_text(when)),
        ("Sheets", "\n".join(f"{name}: {len(df)} row(s)" for name, df in frames.items()) or "None"),
        ("Safety", SAFETY_TEXT),
    ]
    if notes:
        items.insert(3, ("Notes", "\n".join(notes)))
    book = _Book(when, title)
    _about_sheet(book, book.sheet("About"), title, items)
    for name, df in frames.items():
        bool_cols = [str(c) for c in df.columns if pd.api.types.is_bool_dtype(df[c])]
        write_table(book, book.sheet(name), df, yes_fill_columns=bool_cols)
    return book.to_bytes()


FULL_TITLE = "IRO and CP chair benchmarking: returns"
CONTEXT_SOURCE = (
    "The Context sheet's figures: Department for Education, Local Authority Interactive Tool (LAIT), "
    "data of July 2026; statistical neighbours of May 2025; authority codes from DfE/ONS. Each figure "
    "is the latest year published, and its year is beside it."
)

SAFETY_TEXT = (
    "Every answer is stored as text exactly as given: nothing in this workbook is a formula, "
    "a macro or a link to another file."
)


# ---------------------------------------------------------------------------
# The whole data set


def caseload_rules() -> list[str]:
    """The caseload rules, as written on ``models.returns.Caseload`` (never re-typed here)."""
    doc = Caseload.__doc__ or ""
    rules: list[str] = []
    for line in doc.splitlines():
        stripped = line.strip()
        if stripped.startswith("* "):
            rules.append(stripped[2:])
        elif rules and stripped and not stripped.startswith("Rules"):
            rules[-1] += " " + stripped
        elif not stripped and rules:
            rules.append("")
    text = [r.replace("``", "") for r in rules if r]
    return text


def matrix_sheet_table(returns: Sequence[AuthorityReturn], taxonomy: tbl.Taxonomy) -> pd.DataFrame:
    """One taxonomy's matrix for both roles: Role, Authority, Round, Model, then one column per code."""
    frames = []
    for role in ROLE_LABELS:
        with_role = [r for r in returns if getattr(r, role) is not None]
        m = tbl.matrix_table(with_role, taxonomy, role)  # type: ignore[arg-type]
        m.insert(0, "Role", ROLE_LABELS[role])
        m.insert(2, "Round", [r.round for r in with_role])
        frames.append(m)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _history_value(item: Any, *names: str) -> Any:
    for name in names:
        if isinstance(item, Mapping) and name in item:
            return item[name]
        if hasattr(item, name):
            return getattr(item, name)
    return None


VERSION_COLUMNS = [
    "Round",
    "Authority",
    "Version",
    "Saved at (UTC)",
    "Channel",
    "Submitted by",
    "What changed",
]


def versions_table(history: Iterable[Any]) -> pd.DataFrame:
    """History rows as the Versions sheet.

    Each item is a ``store.versions.VersionInfo`` (round and authority read
    from its ``ret``), or any mapping/object with round, authority, version,
    saved_at, channel, submitted_by and changes.
    """
    rows = []
    for item in history:
        ret = _history_value(item, "ret")
        changed = _history_value(item, "changes", "changed", "what_changed", "summary")
        if isinstance(changed, list | tuple):
            lines = [c.describe() if hasattr(c, "describe") else str(c) for c in changed]
            version = _history_value(item, "version")
            changed = "\n".join(lines) if lines else ("First version" if version == 1 else "No change")
        saved = _history_value(item, "saved_at", "submitted_at", "created_at")
        if isinstance(saved, str):
            with contextlib.suppress(ValueError):
                saved = dt.datetime.fromisoformat(saved)
        channel = _history_value(item, "channel")
        rows.append(
            {
                "Round": _history_value(item, "round", "round_id") or getattr(ret, "round", None),
                "Authority": _history_value(item, "authority") or getattr(ret, "authority", None),
                "Version": _history_value(item, "version"),
                "Saved at (UTC)": saved,
                "Channel": str(getattr(channel, "value", channel)) if channel is not None else None,
                "Submitted by": _history_value(item, "submitted_by"),
                "What changed": changed,
            }
        )
    df = pd.DataFrame(rows, columns=VERSION_COLUMNS)
    df["Version"] = df["Version"].astype("Int64")
    return df


def group_name(group_id: str) -> str:
    """The group's name from the register ('South East'), or its id where it is not known."""
    from official import groups

    try:
        return groups.group(group_id).title
    except Exception:  # an unknown or custom group that cannot be read: its id says enough
        return group_id


def _rounds_text(round_ids: Sequence[str], rounds: Mapping[str, SurveyRound]) -> str:
    lines = []
    for rid in round_ids:
        rnd = rounds.get(rid)
        if rnd is None:
            lines.append(rid)
            continue
        when = rnd.held_on.isoformat() if rnd.held_on else (rnd.held_on_text or "date not stated")
        bits = [f"{rnd.title} (id {rnd.id})", tbl.KIND_LABELS.get(str(rnd.kind), str(rnd.kind)), when]
        if rnd.group:
            bits.append(f"group: {group_name(rnd.group)}")
        lines.append(" – ".join(bits))
    return "\n".join(lines) or "None"


def _sources_text(round_ids: Sequence[str], rounds: Mapping[str, SurveyRound]) -> str:
    lines = []
    for rid in round_ids:
        rnd = rounds.get(rid)
        if rnd is not None:
            lines.append(f"{rid}: " + "; ".join(rnd.sources))
    return "\n".join(lines) or "Not recorded"


def full_workbook(
    returns: Sequence[AuthorityReturn],
    rounds: Mapping[str, SurveyRound],
    *,
    filters_description: Iterable[str] = (),
    history: list | None = None,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The whole data set (or a selection) as one workbook; see the module docstring."""
    when = _now(generated_at)
    returns = list(returns)
    round_ids = list(dict.fromkeys(r.round for r in returns)) or list(rounds)
    summary = tbl.summary_table(returns, rounds)
    qa = matrix_sheet_table(returns, "qa")
    impact = matrix_sheet_table(returns, "impact")
    responses = tbl.responses_table(returns)
    versions = versions_table(history) if history else None
    context = pd.DataFrame(context_rows(returns)) if returns else None

    sheets = [
        (
            "Summary",
            f"One row per return ({len(summary)}): the model, each role's caseload as reported "
            "and as numbers (low and high), what the figure counts, counts of QA activities and evidence "
            "types, full-time equivalents and data-quality notes.",
        ),
        (
            "QA matrix",
            "Formal QA inputs: one row per authority and role (a Role column: IRO or CP chair; "
            "filter it to see one role), one column per activity; 'Yes' where the return describes it. "
            "Returns without a CP chair section have IRO rows only.",
        ),
        ("Impact evidence matrix", "How impact is evidenced: laid out like the QA matrix."),
        ("Responses", f"Every narrative answer in full ({len(responses)} answers), one row each."),
    ]
    if context is not None:
        sheets.append(
            (
                "Context",
                "One row per return: the authority's codes, its latest official figures (DfE, from LAIT) "
                "with their years, the full-time IROs and CP chairs its caseloads imply (with the figures "
                "they come from), plausibility flags and where its series of figures breaks. An empty "
                "figure is not available, never 0.",
            )
        )
    if versions is not None:
        sheets.append(("Versions", "Every saved version of the returns included: when, how and by whom."))
    changes = _changes_sheet(returns, [rounds[i] for i in round_ids if i in rounds])
    if changes is not None:
        sheets.append(("Changes", changes[0]))
    rules = "\n".join(f"• {r}" for r in caseload_rules())
    items = [
        (
            "What this is",
            "Returns from English local authorities about how they organise Independent "
            "Reviewing Officers (IROs) and Child Protection (CP) chairs: combined or separate roles, "
            "caseloads, expectations, formal quality assurance inputs and how impact is evidenced.",
        ),
        ("Round(s)", _rounds_text(round_ids, rounds)),
        (
            "Authorities",
            f"{len(returns)} return(s): " + ", ".join(r.authority for r in returns) if returns else "None",
        ),
        ("Filters applied", _filters_text(filters_description)),
        ("Generated", _when_text(when)),
        ("Sources", _sources_text(round_ids, rounds)),
        ("Official figures", f"{CONTEXT_SOURCE}\n{OGL_ATTRIBUTION}"),
        (
            "How caseloads were normalised",
            "Each caseload is kept as reported (in words) and as numbers:\n" + rules,
        ),
        (
            "Reference band",
            f"{IRO_BAND.sentence} Only IRO caseloads in children (or cases) are compared with it: CP chair "
            "caseloads, caseloads counted in families and mixed caseloads (children looked after and child "
            "protection together) are not; where a caseload is split by population, only its looked-after "
            "part is compared.",
        ),
        ("How activities are coded", CODING_RULE),
        ("Sheets", "\n".join(f"{name}: {text}" for name, text in sheets)),
        ("Safety", SAFETY_TEXT),
    ]
    book = _Book(when, FULL_TITLE)
    _about_sheet(book, book.sheet("About"), FULL_TITLE, items)
    write_table(book, book.sheet("Summary"), summary)
    code_labels = [label for _, label in tbl.code_columns("qa")]
    write_table(book, book.sheet("QA matrix"), qa, freeze_columns=2, yes_fill_columns=code_labels)
    impact_labels = [label for _, label in tbl.code_columns("impact")]
    write_table(
        book, book.sheet("Impact evidence matrix"), impact, freeze_columns=2, yes_fill_columns=impact_labels
    )
    write_table(book, book.sheet("Responses"), responses, freeze_columns=1)
    if context is not None:
        write_table(book, book.sheet("Context"), context, freeze_columns=1)
    if versions is not None:
        write_table(book, book.sheet("Versions"), versions, freeze_columns=2)
    if changes is not None:
        write_table(book, book.sheet("Changes"), changes[1], freeze_columns=2)
    return book.to_bytes()


def _changes_sheet(
    returns: list[AuthorityReturn], rounds: list[SurveyRound]
) -> tuple[str, pd.DataFrame] | None:
    """With two rounds of a group exported: each answer changed between its two latest rounds."""
    from analysis.changes import changes_frame, latest_pairs

    frames, what = [], []
    for a, b in latest_pairs(rounds, returns):
        frame = changes_frame(returns, a.id, b.id)
        frames.append(frame.assign(**{"From round": a.title, "To round": b.title}))
        what.append(f"'{a.title}' to '{b.title}'")
    if not frames:
        return None
    frame = pd.concat(frames, ignore_index=True)
    cols = ["Authority", "Field", "Question", "Before", "After", "From round", "To round"]
    return (
        f"Each answer an authority changed from {'; '.join(what)} ({len(frame)} answers), one row each; "
        "authorities with a return in only one of the two rounds are not listed.",
        frame[cols],
    )


# ---------------------------------------------------------------------------
# CSV


def frame_to_csv(df: pd.DataFrame) -> bytes:
    """A table as CSV bytes for Excel: UTF-8 with BOM, booleans as Yes/blank, formulas neutralised."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map({True: YES, False: NO})
        elif not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(lambda v: tbl.neutralise(v) if isinstance(v, str) else v)
    out.columns = [tbl.neutralise(str(c)) for c in out.columns]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def summary_csv(returns: Sequence[AuthorityReturn], rounds: Mapping[str, SurveyRound] | None = None) -> bytes:
    return frame_to_csv(tbl.summary_table(returns, rounds))


def matrix_csv(
    returns: Sequence[AuthorityReturn], taxonomy: tbl.Taxonomy, role: tbl.Role | None = None
) -> bytes:
    """One taxonomy's matrix as CSV: for one role, or (role None) both roles with a Role column."""
    if role is None:
        return frame_to_csv(matrix_sheet_table(returns, taxonomy))
    return frame_to_csv(tbl.matrix_table(returns, taxonomy, role))


def file_stem(title: str) -> str:
    """A file name from a title: 'Caseloads by authority' -> 'caseloads-by-authority'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "export"


def human_size(n: int) -> str:
    """'12 KB', '1.4 MB' (1 KB = 1,024 bytes)."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"
