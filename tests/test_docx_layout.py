"""Tables laid out for A4: each column as wide as its longest word, landscape only where needed."""

from __future__ import annotations

import pytest

from exports.docx_layout import (
    CELL_PADDING_TWIPS,
    LANDSCAPE_TWIPS,
    PORTRAIT_TWIPS,
    layout_table,
    longest_word_points,
    text_points,
)


def _fits(layout, headers, columns):
    """Every word of every cell (and heading) fits its column at the layout's size."""
    for width, header, cells in zip(layout.widths, headers, columns, strict=True):
        room = (width - CELL_PADDING_TWIPS) / 20
        assert longest_word_points(header, layout.points, bold=True) <= room, (header, width)
        for cell in cells:
            assert longest_word_points(cell, layout.points) <= room, (cell, width)


CASES = [
    # (headers, columns, landscape expected)
    (["Authority", "Children looked after"], [["Kent", "Hampshire"], ["1,896", "1,714"]], False),
    (
        ["Authority", "What to look at"],
        [["Windsor and Maidenhead"], ["The role is reported as combined, but the caseloads differ. " * 3]],
        False,
    ),
    ([f"Measure number {i}" for i in range(12)], [["12,345 ▲ highest fifth"] * 9 for _ in range(12)], True),
]


@pytest.mark.parametrize(("headers", "columns", "landscape"), CASES)
def test_no_word_or_figure_is_broken_and_the_table_fits_the_page(headers, columns, landscape):
    layout = layout_table(headers, columns)
    assert layout.landscape is landscape
    assert layout.total <= (LANDSCAPE_TWIPS if layout.landscape else PORTRAIT_TWIPS)
    assert not layout.breaks_words
    _fits(layout, headers, columns)


def test_a_figure_is_never_narrower_than_its_digits():
    layout = layout_table(["Authority", "Number"], [["Kent"], ["1,896"]])
    assert (layout.widths[1] - CELL_PADDING_TWIPS) / 20 >= text_points("1,896", layout.points)


def test_a_table_too_wide_for_any_page_gets_smaller_text_then_breaks_only_long_words():
    headers = [f"Column {i}" for i in range(30)]
    columns = [["https://example.org/a-very-long-address-that-no-column-can-hold"] for _ in headers]
    layout = layout_table(headers, columns)
    assert layout.landscape and layout.breaks_words
    assert layout.total <= LANDSCAPE_TWIPS
