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
#: A column's width is counted in digits of the workbook's font. Where Calibri is missing (LibreOffice on
#: a machine without Microsoft's fonts, as in CI) its stand-in, DejaVu Sans, has digits a third wider:
#: 9.3 pixels at 11 point, not 7, and LibreOffice pads them. Pages are planned for the wider one, so a sheet that fits one page
#: there fits in Excel too (at a larger scale), and fitting never takes the text under 8 point.
PRINT_CHAR_PIXELS = (
    7.6  # measured: LibreOffice with Carlito fits 38 columns of 35 px on a landscape page at 73%
)
PRINT_WIDENING = PRINT_CHAR_PIXELS / CHAR_PIXELS
#: Characters of ordinary text per character of column width (widths are counted in digits,
#: which are wider than the average letter of Calibri).
TEXT_CHARS_PER_WIDTH = 1.22
#: Points per line of wrapped Calibri 11 (14.3 in Excel, 13.4 in LibreOffice's Carlito), and the tallest
#: row Excel allows.
LINE_POINTS = 15
WRAPPED_LINE_POINTS = 14.0
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
    total = max(float(sum(widths_pixels)) * PRINT_WIDENING, 1.0)
    portrait_ok = total <= A4_PORTRAIT_PIXELS or (
        prefer_portrait and total * MIN_PRINT_SCALE / 100 <= A4_PORTRAIT_PIXELS
    )
    if portrait_ok:
        return PrintLayout(landscape=False, fit_width=True, scale=100)
    if total * MIN_PRINT_SCALE / 100 <= A4_LANDSCAPE_PIXELS:
        return PrintLayout(landscape=True, fit_width=True, scale=100)
    return PrintLayout(landscape=True, fit_width=False, scale=MIN_PRINT_SCALE)


#: Printed height of an A4 page within the margins, header and footer, in points (upright, on its side).
PAGE_POINTS = {False: 842 - 2 * MARGIN_TOP * 72 - 30, True: 595 - 2 * MARGIN_TOP * 72 - 30}
#: The narrowest a wrapped text column is made to fit a page (characters), and the widest floor.
TEXT_FLOOR, TEXT_FLOOR_MOST = 12, 28


@dataclass(frozen=True)
class PrintPlan:
    """The column widths (characters, without padding) a sheet is written with, how it prints, and the
    pages it is expected to take."""

    widths: tuple[float, ...]
    layout: PrintLayout
    pages: float


def _capacity(landscape: bool, scale: int) -> float:
    """Characters of column width (padding included) across one printed page at ``scale`` per cent."""
    pixels = A4_LANDSCAPE_PIXELS if landscape else A4_PORTRAIT_PIXELS
    return pixels * 100 / scale / PRINT_CHAR_PIXELS


def _pages(
    widths: Sequence[float], wrapped, columns, layout: PrintLayout, header_points: float, repeat: float
) -> int:
    total = sum(w + 2 for w in widths)
    if layout.fit_width:
        scale = min(100.0, 100.0 * _capacity(layout.landscape, 100) / total)
        across = 1
    else:
        scale = layout.scale
        room = _capacity(layout.landscape, layout.scale)
        across = 1 if total <= room + 0.5 else 1 + math.ceil((total - room) / max(room - repeat, 1))
    heights = row_heights(columns, [w + 2 for w in widths], wrapped)
    points = header_points + sum(h or LINE_POINTS for h in heights)
    down = max(1.0, points * scale / 100 / PAGE_POINTS[layout.landscape])
    return across * down  # in pages, not rounded: the fuller pages win


def _volume(values: Sequence[Any]) -> float:
    return float(sum(len(v) for v in values if isinstance(v, str))) or 1.0


def _narrowed(widths, shrinkable, floors, columns, room: float) -> list[float] | None:
    """The long-text columns given ``room`` (characters, padding included, for them all): each at least
    its floor, the rest shared by how much text each holds, none wider than its longest line (``widths``).
    None: no room."""
    text = [j for j, s in enumerate(shrinkable) if s]
    if not text or room < sum(floors[j] + 2 for j in text):
        return None
    new = list(widths)
    for j in text:
        new[j] = floors[j]
    spare = room - sum(floors[j] + 2 for j in text)
    open_ = [j for j in text if widths[j] > floors[j]]
    while spare > 0.5 and open_:
        volume = sum(_volume(columns[j]) for j in open_)
        share = {j: spare * _volume(columns[j]) / volume for j in open_}
        spare = 0.0
        still = []
        for j in open_:
            want = new[j] + share[j]
            if want >= widths[j]:
                spare += want - widths[j]
                new[j] = widths[j]
            else:
                new[j] = want
                still.append(j)
        open_ = still
    return new


def plan_print(
    widths: Sequence[float],
    wrapped: Sequence[bool],
    shrinkable: Sequence[bool],
    floors: Sequence[float],
    columns: Sequence[Sequence[Any]],
    *,
    header_points: float = LINE_POINTS,
    repeat_columns: int = 0,
    longest: Sequence[float] | None = None,
) -> PrintPlan:
    """The layout that prints in the fewest pages: the columns as they are, or with the long-text columns
    (``shrinkable``) narrowed towards their ``floors`` (their longest word) so the sheet fits one page
    wide, or two or three pages across (the first ``repeat_columns`` repeated on each), upright or on its
    side, at 8 point or more; a long-text column may also widen up to its ``longest`` line to fill the
    page. Ties go to the natural widths, then to fewer pages across, then upright."""
    repeat = sum(w + 2 for w in widths[:repeat_columns])
    natural_layout = print_layout([(w + 2) * CHAR_PIXELS for w in widths])
    best = PrintPlan(
        tuple(widths), natural_layout, _pages(widths, wrapped, columns, natural_layout, header_points, repeat)
    )
    fixed = sum(w + 2 for w, s in zip(widths, shrinkable, strict=True) if not s)
    for across in (1, 2, 3):
        for landscape in (False, True):
            room = _capacity(landscape, MIN_PRINT_SCALE) - 1  # a character to spare
            # Each further page across repeats the identifying columns, and breaks between whole columns.
            room = room + (across - 1) * (room - repeat - 10) - fixed
            # Across one page, a long-text column may widen to fill it (never wider than a page).
            most = _capacity(landscape, MIN_PRINT_SCALE) - repeat - 2
            wide = [
                min(max(w, lg), most) if s and across == 1 else w
                for w, lg, s in zip(widths, longest or widths, shrinkable, strict=True)
            ]
            new = _narrowed(wide, shrinkable, floors, columns, room)
            if new is None or new == list(widths):
                continue
            # At the smallest readable scale, the columns filling the page: the most on each page.
            layout = PrintLayout(landscape=landscape, fit_width=False, scale=MIN_PRINT_SCALE)
            wraps = [
                wr or (s and nw < w) for wr, s, nw, w in zip(wrapped, shrinkable, new, widths, strict=True)
            ]
            pages = _pages(new, wraps, columns, layout, header_points, repeat)
            if pages < best.pages:
                best = PrintPlan(tuple(new), layout, pages)
    return best


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
    per_line = max(width * TEXT_CHARS_PER_WIDTH - 1, 1)
    lines = 0
    for part in value.split("\n"):
        lines += max(1, math.ceil(len(part) / per_line))
    return lines


#: A heading is turned upright (read bottom to top) over a column of short figures or marks: the column
#: is then as narrow as its content, not its heading.
ROTATE_CONTENT_MOST = 6
ROTATED_WIDTH = 4
#: Points a character of a bold Calibri 11 heading takes, read upright.
HEADING_CHAR_POINTS = 6.2


def rotate_headings(
    headers: Sequence[str], content: Sequence[int], *, wrapping: Sequence[bool]
) -> list[bool]:
    """Which headings to turn upright: over columns whose content is at most ``ROTATE_CONTENT_MOST``
    characters (figures, years, "Yes") and whose heading is longer than that."""
    return [
        not wrap and c <= ROTATE_CONTENT_MOST and len(h) > max(c, ROTATE_CONTENT_MOST)
        for h, c, wrap in zip(headers, content, wrapping, strict=True)
    ]


def heading_points(headers: Sequence[str], widths: Sequence[float], rotated: Sequence[bool]) -> float:
    """The heading row's height: its longest upright heading, or its most-wrapped one (15 points a line)."""
    upright = max(
        (len(h) * HEADING_CHAR_POINTS + 8 for h, r in zip(headers, rotated, strict=True) if r), default=0
    )
    lines = max(
        (heading_lines(h, w + 2) for h, w, r in zip(headers, widths, rotated, strict=True) if not r),
        default=1,
    )
    return min(max(upright, LINE_POINTS * lines), MAX_ROW_POINTS)


def heading_lines(text: str, width: float) -> int:
    """Lines a bold heading takes, wrapped at its spaces, in a column ``width`` characters wide."""
    room = max(width - 1, 1)
    lines, used = 1, 0
    for word in text.split():
        need = len(word) * 1.1 + (1 if used else 0)
        if used and used + need > room:
            lines, used = lines + 1, len(word) * 1.1
        else:
            used += need
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
    return [min(math.ceil(WRAPPED_LINE_POINTS * k + 3), MAX_ROW_POINTS) if k > 1 else 0 for k in lines]


def page_setup(
    ws: Worksheet,
    *,
    title: str,
    when: dt.datetime,
    widths_pixels: Sequence[float],
    data: bool = True,
    prefer_portrait: bool = False,
    layout: PrintLayout | None = None,
    repeat_columns: int = 0,
) -> PrintLayout:
    """Set a sheet to print on A4 (XlsxWriter): orientation and scale from its column widths
    (``print_layout``, or the ``layout`` given), the header row repeated on every page and the first
    ``repeat_columns`` (the identifying columns: Authority, Round) on every page across, gridlines
    printed on data sheets, narrow margins, and a header and footer (title, sheet, date, page N of M)."""
    layout = layout or print_layout(widths_pixels, prefer_portrait=prefer_portrait)
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
        if repeat_columns:
            ws.repeat_columns(0, repeat_columns - 1)
        ws.hide_gridlines(0)  # gridlines on screen and on paper: "6" next to "80" never reads "680"
    header, footer = print_header_footer(title, when)
    ws.set_header(header)
    ws.set_footer(footer)
    return layout
