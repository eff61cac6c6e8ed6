"""How a table is laid out on an A4 page of a Word document: column widths from the text they hold.

A printed table must be read whole: no word broken inside a cell ("Ha mps hire"), no figure
split over two lines ("1,8 / 96"), nothing cut off at the page's edge. So each column is at
least as wide as its longest word (a figure is one word), and the rest of the page's width goes
to the columns whose text is longest, so they wrap least. Where the longest words of every
column do not fit an upright page the table is turned to landscape; where they do not fit that
either, the text is made smaller (never under ``SMALLEST_POINTS``), and only a word longer than
a column may hold (an address, say) is allowed to break.

Widths are measured with the advance widths of DejaVu Sans, the font LibreOffice falls back to
on a machine without Microsoft's fonts: it is wider than Arial or Calibri, so a table that fits
here fits in Word too. Pure: no python-docx here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

#: A4 with 2 cm margins, in twentieths of a point (Word's unit for widths).
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0
TWIPS_PER_CM = 1440 / 2.54
PORTRAIT_TWIPS = round((PAGE_WIDTH_CM - 2 * MARGIN_CM) * TWIPS_PER_CM)
LANDSCAPE_TWIPS = round((PAGE_HEIGHT_CM - 2 * MARGIN_CM) * TWIPS_PER_CM)
#: Word's default cell margins (0.19 cm left and right) and a little slack for rounding.
CELL_PADDING_TWIPS = 2 * 108 + 40
#: Text sizes tried, largest first (points).
TABLE_POINTS = (9.0, 8.0, 7.5)
SMALLEST_POINTS = TABLE_POINTS[-1]
#: A column of long text never needs to be wider than this many characters' worth to read well.
COMFORTABLE_CHARS = 45
#: Bold text is about a tenth wider than regular (DejaVu Sans).
BOLD_FACTOR = 1.11

# Advance widths of DejaVu Sans, in ems (measured from the font).
_WIDTHS = {
    **dict.fromkeys("abdghnopqu", 0.635),
    **dict(
        zip(
            "cefijklmrstvwxyz",
            (
                0.55,
                0.615,
                0.352,
                0.278,
                0.278,
                0.579,
                0.278,
                0.974,
                0.411,
                0.521,
                0.392,
                0.592,
                0.818,
                0.592,
                0.592,
                0.525,
            ),
            strict=True,
        )
    ),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (
                0.684,
                0.686,
                0.698,
                0.77,
                0.632,
                0.575,
                0.775,
                0.752,
                0.295,
                0.295,
                0.656,
                0.557,
                0.863,
                0.748,
                0.787,
                0.603,
                0.787,
                0.695,
                0.635,
                0.611,
                0.732,
                0.684,
                0.989,
                0.685,
                0.611,
                0.685,
            ),
            strict=True,
        )
    ),
    **dict.fromkeys("0123456789$#", 0.636),
    **dict.fromkeys(" ,.'’‘", 0.318),
    **dict.fromkeys("-", 0.361),
    **dict.fromkeys("/:;|()[]", 0.37),
    **dict.fromkeys("%", 0.95),
    **dict.fromkeys("–", 0.5),
    **dict.fromkeys("—…", 1.0),
    **dict.fromkeys("+=<>~^✓", 0.838),
}
_DEFAULT_EM = 0.7
_WORD = re.compile(r"\S+")


def text_points(text: str, points: float, *, bold: bool = False) -> float:
    """The width of ``text`` on one line, in points, at ``points`` size."""
    em = sum(_WIDTHS.get(ch, _DEFAULT_EM) for ch in text)
    return em * points * (BOLD_FACTOR if bold else 1.0)


def longest_word_points(text: str, points: float, *, bold: bool = False) -> float:
    return max((text_points(w, points, bold=bold) for w in _WORD.findall(text)), default=0.0)


def longest_line_points(text: str, points: float, *, bold: bool = False) -> float:
    return max((text_points(line, points, bold=bold) for line in text.splitlines()), default=0.0)


@dataclass(frozen=True)
class TableLayout:
    """How one table prints: its columns' widths (twips), upright or landscape, and the text size."""

    widths: tuple[int, ...]
    landscape: bool
    points: float
    breaks_words: bool = False  # True only where a word is longer than any page could hold

    @property
    def total(self) -> int:
        return sum(self.widths)


def _twips(points: float) -> int:
    return math.ceil(points * 20) + CELL_PADDING_TWIPS


def _measure(
    headers: Sequence[str], columns: Sequence[Sequence[str]], points: float
) -> tuple[list[int], list[int]]:
    """(the least width, the comfortable width) of each column in twips at ``points``."""
    least, want = [], []
    for header, cells in zip(headers, columns, strict=True):
        word = longest_word_points(header, points, bold=True)
        line = longest_line_points(header, points, bold=True) if len(header) <= 16 else word
        for cell in cells:
            word = max(word, longest_word_points(cell, points))
            line = max(line, longest_line_points(cell, points))
        cap = text_points("n" * COMFORTABLE_CHARS, points)
        least.append(_twips(word))
        want.append(max(_twips(min(line, cap)), _twips(word)))
    return least, want


def _share(least: list[int], want: list[int], width: int) -> list[int]:
    """The page's width shared out: every column its least; then towards what it wants; then the rest."""
    widths = list(least)
    spare = width - sum(widths)
    need = [w - lo for w, lo in zip(want, least, strict=True)]
    if spare > 0 and sum(need) > 0:
        if sum(need) <= spare:
            widths = list(want)
        else:
            widths = [lo + math.floor(spare * n / sum(need)) for lo, n in zip(least, need, strict=True)]
    return widths


def lines_needed(columns: Sequence[Sequence[str]], widths: Sequence[int], points: float) -> int:
    """About how many lines of text the table's rows take at these widths (the tallest cell of each row)."""
    n = len(columns[0]) if columns else 0
    total = 0
    for i in range(n):
        tallest = 1
        for cells, width in zip(columns, widths, strict=True):
            room = max(width - CELL_PADDING_TWIPS, 1) / 20
            lines = sum(
                max(1, math.ceil(text_points(line, points) / room)) for line in cells[i].splitlines() or [""]
            )
            tallest = max(tallest, lines)
        total += tallest
    return total


#: An upright table is turned to landscape when its rows would be this many times taller upright.
TALLER_UPRIGHT = 1.7


def layout_table(
    headers: Sequence[str], columns: Sequence[Sequence[str]], *, landscape: bool = False
) -> TableLayout:
    """Widths for a table of ``headers`` and ``columns`` (each a list of cell texts): upright at
    9 point if every column's longest word fits (unless its rows would be far taller than on a
    landscape page), else landscape, else smaller text; see the module. ``landscape``: the table is
    on a landscape page already."""
    if landscape:  # a wide table on a page of its own: the smaller sizes first, so it fits the page
        for points in TABLE_POINTS[1:]:
            least, want = _measure(headers, columns, points)
            if sum(least) <= LANDSCAPE_TWIPS:
                return TableLayout(tuple(_share(least, want, LANDSCAPE_TWIPS)), True, points)
    for points in TABLE_POINTS:
        least, want = _measure(headers, columns, points)
        if sum(least) <= PORTRAIT_TWIPS:
            upright = _share(least, want, PORTRAIT_TWIPS)
            if sum(want) <= PORTRAIT_TWIPS:
                return TableLayout(tuple(upright), False, points)
            wide = _share(least, want, LANDSCAPE_TWIPS)
            if lines_needed(columns, upright, points) > TALLER_UPRIGHT * lines_needed(columns, wide, points):
                return TableLayout(tuple(wide), True, points)
            return TableLayout(tuple(upright), False, points)
        if sum(least) <= LANDSCAPE_TWIPS:
            return TableLayout(tuple(_share(least, want, LANDSCAPE_TWIPS)), True, points)
    # Even the smallest text does not fit: only over-long words (addresses) may break.
    least, want = _measure(headers, columns, SMALLEST_POINTS)
    cap = _twips(text_points("n" * 24, SMALLEST_POINTS))
    least = [min(w, cap) for w in least]
    widths = _share(least, want, LANDSCAPE_TWIPS)
    scale = min(1.0, LANDSCAPE_TWIPS / max(sum(widths), 1))
    return TableLayout(tuple(int(w * scale) for w in widths), True, SMALLEST_POINTS, breaks_words=True)
