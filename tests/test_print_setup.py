"""Workbooks that print: every sheet on A4, readable (8 point or more), headed and numbered.

The exported workbooks and the return template are reopened with openpyxl and their page
set-up read as Excel and LibreOffice will: paper size, orientation, fitting, repeated header
rows, printed gridlines, row heights and the header and footer.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from excel_helpers import ROUNDS, open_both, returns
from openpyxl import load_workbook

from exports.print_setup import (
    A4_LANDSCAPE_PIXELS,
    A4_PORTRAIT_PIXELS,
    CHAR_PIXELS,
    MIN_PRINT_SCALE,
    PRINT_WIDENING,
    print_layout,
)
from exports.template_writer import template_workbook
from exports.workbooks import full_workbook, view_workbook

WHEN = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)
A4 = 9  # Excel's paper size code for A4


@pytest.fixture(scope="module")
def full():
    return open_both(full_workbook(returns(), ROUNDS, generated_at=WHEN))


def _widths_pixels(ws) -> float:
    """The printed width of a sheet's columns, in pixels (as XlsxWriter set them)."""
    total = 0.0
    for dim in ws.column_dimensions.values():
        if dim.width:
            span = (dim.max or dim.min or 1) - (dim.min or 1) + 1
            total += span * (dim.width * 7 + 5)
    return total


def _scale(ws) -> float:
    """The scale the sheet prints at: fitted to one page wide, or its print scale."""
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        page = A4_LANDSCAPE_PIXELS if ws.page_setup.orientation == "landscape" else A4_PORTRAIT_PIXELS
        return min(100.0, 100 * page / _widths_pixels(ws))
    return float(ws.page_setup.scale or 100)


def test_every_sheet_of_the_full_workbook_prints_on_a4_at_8_point_or_more(full):
    for ws in full.worksheets:
        assert int(ws.page_setup.paperSize) == A4, ws.title
        # Calibri 11 at this scale stays at 8 point or more (a 1-point allowance for padding).
        assert _scale(ws) >= MIN_PRINT_SCALE - 1, (ws.title, _scale(ws))


def test_data_sheets_repeat_their_header_and_print_gridlines(full):
    for name in ["Summary", "QA matrix", "Impact evidence matrix", "Responses"]:
        ws = full[name]
        assert ws.print_title_rows == "$1:$1", name
        assert ws.print_options.gridLines, name
    assert not full["About"].print_options.gridLines  # a page of prose, not a grid


def test_header_and_footer_name_the_workbook_the_sheet_the_date_and_the_page(full):
    for ws in full.worksheets:
        assert ws.oddHeader.left.text == "IRO and CP chair benchmarking: returns", ws.title
        assert ws.oddHeader.right.text == "&A", ws.title  # the sheet's name
        assert ws.oddFooter.left.text == "Generated 4 March 2026", ws.title
        assert ws.oddFooter.right.text == "Page &P of &N", ws.title


def test_wide_sheets_print_landscape_and_the_about_sheet_portrait(full):
    assert full["About"].page_setup.orientation == "portrait"
    for name in ["Summary", "QA matrix"]:  # too wide for an upright page at 8 point
        assert full[name].page_setup.orientation == "landscape", name
    # A sheet of long text takes whichever way round prints it in fewer pages, never under 8 point.
    assert full["Responses"].page_setup.scale == MIN_PRINT_SCALE


def test_a_sheet_too_wide_for_8_point_flows_over_pages_instead_of_shrinking():
    wide = pd.DataFrame({f"A long column heading number {i}": ["x" * 30] for i in range(20)})
    narrow = pd.DataFrame({"Authority": ["Northshire"], "IRO caseload": [65]})
    wb = open_both(view_workbook("Wide", [], {"Wide": wide, "Narrow": narrow}, generated_at=WHEN))
    assert not wb["Wide"].sheet_properties.pageSetUpPr.fitToPage
    assert wb["Wide"].page_setup.scale == MIN_PRINT_SCALE
    assert wb["Narrow"].sheet_properties.pageSetUpPr.fitToPage
    assert wb["Narrow"].page_setup.fitToWidth in (1, None)  # 1 is the default Excel writes as absent
    assert wb["Narrow"].page_setup.fitToHeight == 0  # as many pages down as it needs
    assert wb["Narrow"].page_setup.orientation == "portrait"


def test_print_layout_fits_only_while_the_text_stays_readable():
    # Widths are planned for the wider font a printer may use (PRINT_WIDENING): what fits there fits in Excel.
    assert print_layout([A4_PORTRAIT_PIXELS / PRINT_WIDENING]).landscape is False
    just = A4_LANDSCAPE_PIXELS * 100 / MIN_PRINT_SCALE / PRINT_WIDENING
    assert print_layout([just - 1]) == print_layout(
        [A4_PORTRAIT_PIXELS / PRINT_WIDENING + 1]
    )  # landscape, fitted
    assert print_layout([just - 1]).fit_width
    over = print_layout([just + CHAR_PIXELS])
    assert over.landscape and not over.fit_width and over.scale == MIN_PRINT_SCALE


def test_wrapped_rows_are_tall_enough_for_their_text(full):
    ws = full["Responses"]
    header = [c.value for c in ws[1]]
    col = header.index("Answer") + 1
    for row in range(2, ws.max_row + 1):
        text = ws.cell(row=row, column=col).value or ""
        lines = text.count("\n") + 1
        if lines > 2:
            assert (ws.row_dimensions[row].height or 15) >= 15 * lines, (row, text[:40])


def test_a_title_with_an_ampersand_prints_as_typed():
    wb = open_both(view_workbook("Quality & impact", [], {"T": pd.DataFrame({"a": [1]})}, generated_at=WHEN))
    assert wb["T"].oddHeader.left.text == "Quality && impact"  # '&&' is how a header shows one '&'


def test_the_template_prints_on_a4_with_its_header_row_and_gridlines():
    wb = load_workbook(io.BytesIO(template_workbook("fake-round", "Northshire")))
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == A4, ws.title
        assert ws.oddHeader.left.text == "Return template: Northshire (fake-round)", ws.title
        assert ws.oddFooter.right.text == "Page &P of &N", ws.title
    ret = wb["Return"]
    assert ret.print_title_rows == "$1:$1"
    assert ret.print_options.gridLines
    assert ret.page_setup.orientation == "landscape"
    # Field, question, answer and help fit one landscape page across at 8 point or more.
    assert ret.sheet_properties.pageSetUpPr.fitToPage and ret.page_setup.fitToWidth == 1
    heights = [ret.row_dimensions[r].height for r in range(2, ret.max_row + 1)]
    assert any(h and h >= 30 for h in heights)  # long help texts get rows of two lines or more
