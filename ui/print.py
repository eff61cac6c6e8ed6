"""Printing a page from the browser (Ctrl+P) on A4: what prints and what does not.

Call ``print_styles()`` once near the top of every page (``ui/render.py`` can do it for each
View), then ``print_header(view.filters, when)`` so the paper says what was chosen and when.
For each table drawn with ``st.dataframe`` (a canvas grid that the browser cuts when printing),
call ``print_table(frame, caption)``: a static HTML copy, hidden on screen and printed instead.

What prints: the page's title, text, figures, charts (scaled to the page's width), the static
tables (whole: every row and column, long text wrapped) and the contents of expanders (open or
not). What does not: the sidebar, Streamlit's header and toolbar, buttons and download buttons,
the expanders' toggles, widgets' inputs, and the interactive data grids.

Everything written here is cleaned and escaped (``exports.text.for_html``): an answer is shown as
typed, never as markup, and no character in it can break the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from exports.text import for_html

#: Marks an element printed only (hidden on screen), and one shown only on screen.
PRINT_ONLY = "print-only"
SCREEN_ONLY = "screen-only"

# Streamlit's own test ids (stable across 1.4x–1.6x) of what a printed page leaves out.
_HIDDEN_IN_PRINT = (
    '[data-testid="stSidebar"]',
    '[data-testid="stSidebarCollapsedControl"]',
    '[data-testid="stSidebarNav"]',
    '[data-testid="stHeader"]',
    '[data-testid="stToolbar"]',
    '[data-testid="stDecoration"]',
    '[data-testid="stStatusWidget"]',
    '[data-testid="stBottom"]',
    '[data-testid="stButton"]',
    '[data-testid="stDownloadButton"]',
    '[data-testid="stLinkButton"]',
    '[data-testid="stFormSubmitButton"]',
    '[data-testid="stPageLink"]',
    '[data-testid="stTextInput"]',
    '[data-testid="stTextArea"]',
    '[data-testid="stNumberInput"]',
    '[data-testid="stSelectbox"]',
    '[data-testid="stMultiSelect"]',
    '[data-testid="stRadio"]',
    '[data-testid="stCheckbox"]',
    '[data-testid="stToggle"]',
    '[data-testid="stSlider"]',
    '[data-testid="stSegmentedControl"]',
    '[data-testid="stPills"]',
    '[data-testid="stFileUploader"]',
    '[data-testid="stDataFrame"]',
    '[data-testid="stElementToolbar"]',
    '[data-testid="stExpander"] summary',
    '[data-testid="stTabs"] [role="tablist"]',
    "iframe",
    f".{SCREEN_ONLY}",
)

PRINT_CSS = f"""
<style>
.{PRINT_ONLY}, [data-testid="stElementContainer"]:has(.{PRINT_ONLY}) {{ display: none; }}
@media print {{
  @page {{ size: A4; margin: 12mm; }}
  {", ".join(_HIDDEN_IN_PRINT)},
  [data-testid="stElementContainer"]:has(.{SCREEN_ONLY}) {{ display: none !important; }}
  .{PRINT_ONLY}, [data-testid="stElementContainer"]:has(.{PRINT_ONLY}) {{ display: block !important; }}
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
    background: white !important; overflow: visible !important; height: auto !important;
    position: static !important;
  }}
  [data-testid="stMain"] {{ margin-left: 0 !important; width: 100% !important; }}
  [data-testid="stMainBlockContainer"], .block-container {{
    max-width: none !important; width: 100% !important; padding: 0 !important;
  }}
  /* Expanders print open, without their toggle. */
  [data-testid="stExpander"] details {{ border: none !important; }}
  [data-testid="stExpander"] details::details-content {{
    content-visibility: visible !important; display: block !important; height: auto !important;
  }}
  [data-testid="stExpanderDetails"] {{ display: block !important; padding: 0 !important; }}
  /* Charts fit the page's width. */
  [data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"], .vega-embed,
  [data-testid="stFullScreenFrame"] {{ width: 100% !important; max-width: 100% !important; }}
  .vega-embed canvas, .vega-embed svg, [data-testid="stImage"] img {{
    max-width: 100% !important; height: auto !important;
  }}
  [data-testid="stVegaLiteChart"], [data-testid="stMetric"], [data-testid="stImage"] {{
    break-inside: avoid;
  }}
  /* Tables whole: every row and column, long text wrapped, the header repeated on each page. */
  table.print-table {{
    width: 100%; border-collapse: collapse; font-size: 8.5pt; table-layout: auto;
  }}
  table.print-table caption {{ text-align: left; font-weight: 600; margin: 4pt 0; }}
  table.print-table thead {{ display: table-header-group; }}
  table.print-table th, table.print-table td {{
    border: 0.5pt solid #777; padding: 2pt 3pt; vertical-align: top; text-align: left; line-height: 1.25;
    white-space: pre-wrap; overflow-wrap: break-word; word-break: normal;
  }}
  table.print-table tr {{ break-inside: avoid; }}
  .print-header {{
    font-size: 9pt; border-bottom: 0.5pt solid #777; padding-bottom: 3pt; margin-bottom: 6pt;
  }}
  a[href]::after {{ content: none !important; }}
}}
</style>
"""


class Html:
    """HTML made once and kept (a print copy, the print styles). ``st.html`` takes an object with
    ``_repr_html_`` as it is; given a string, it dedents and strips the whole of it on every rerun
    (most of the cost of a print copy)."""

    __slots__ = ("body",)

    def __init__(self, body: str) -> None:
        self.body = body

    def _repr_html_(self) -> str:
        return self.body


_PRINT_CSS_HTML = Html(PRINT_CSS.strip())


def print_styles() -> None:
    """Inject the print stylesheet (A4, no sidebar or controls, whole tables). Once per page."""
    st.html(_PRINT_CSS_HTML)


def _when_text(when: dt.datetime | dt.date | str) -> str:
    if isinstance(when, dt.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC)
        return when.strftime("%d %B %Y at %H:%M").lstrip("0") + (" UTC" if when.tzinfo else "")
    if isinstance(when, dt.date):
        return when.strftime("%d %B %Y").lstrip("0")
    return str(when)


def print_header_html(filters: Iterable[str], when: dt.datetime | dt.date | str) -> str:
    """The print-only header line: the filters in force and the date, escaped."""
    items = [f for f in filters if f]
    chosen = "; ".join(for_html(f) for f in items) if items else "No filters: everything is included"
    return (
        f'<div class="{PRINT_ONLY} print-header">'
        f"<strong>Printed {for_html(_when_text(when))}.</strong> Filters in force: {chosen.rstrip('.')}.</div>"
    )


def print_header(filters: Iterable[str], when: dt.datetime | dt.date | str) -> None:
    """A line printed at the top of the page (hidden on screen): the filters in force and the date."""
    st.html(print_header_html(filters, when))


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def print_table_html(
    frame: pd.DataFrame, caption: str | None = None, *, columns: Sequence[str] | None = None
) -> str:
    """A static HTML table of ``frame`` (every row and column), printed only; text escaped."""
    if frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    if columns is not None:
        frame = frame[list(columns)]
    head = "".join(f"<th>{for_html(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{for_html(_cell(v))}</td>" for v in values) + "</tr>"
        for values in frame.itertuples(index=False, name=None)
    )
    cap = f"<caption>{for_html(caption)}</caption>" if caption else ""
    return (
        f'<div class="{PRINT_ONLY}"><table class="print-table">{cap}'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def print_table(
    frame: pd.DataFrame, caption: str | None = None, *, columns: Sequence[str] | None = None
) -> None:
    """Print ``frame`` whole (the interactive grid above it is left out of print)."""
    st.html(print_table_html(frame, caption, columns=columns))
