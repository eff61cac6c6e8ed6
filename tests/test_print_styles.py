"""The print stylesheet's pieces, as HTML (the browser test prints them: tests/browser/test_browser_print.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ui.print import PRINT_CSS, PRINT_ONLY, print_header_html, print_table_html


def test_the_page_is_a4_and_the_sidebar_and_buttons_are_left_out():
    assert "@page { size: A4; margin: 12mm; }" in PRINT_CSS
    for part in ("stSidebar", "stHeader", "stDownloadButton", "stButton", "stDataFrame"):
        assert f'[data-testid="{part}"]' in PRINT_CSS, part


def test_header_says_the_filters_and_the_date_escaped():
    out = print_header_html(
        ["Authorities: <script>x</script> & Kent"], dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)
    )
    assert PRINT_ONLY in out
    assert "Printed 4 March 2026 at 09:30 UTC." in out
    assert "&lt;script&gt;x&lt;/script&gt; &amp; Kent" in out and "<script>" not in out


def test_header_without_filters_says_so():
    assert "No filters: everything is included" in print_header_html([], dt.date(2026, 3, 4))


def test_print_table_has_every_row_and_escapes_text():
    frame = pd.DataFrame({"Authority": ["North <i>shire</i>", "South"], "IRO caseload": [65.0, None]})
    out = print_table_html(frame, "Caseloads & more")
    assert "<caption>Caseloads &amp; more</caption>" in out
    assert "<td>North &lt;i&gt;shire&lt;/i&gt;</td><td>65</td>" in out  # 65, not 65.0
    assert "<td>South</td><td></td>" in out  # no figure is empty, never 0 or nan
    assert out.count("<tr>") == 3
