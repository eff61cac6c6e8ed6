"""Printing a worksheet on A4: orientation, scale, margins, row heights, header and footer."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exports.text import clean_text

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet


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
