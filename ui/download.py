"""Download buttons for workbooks and CSVs: the label states the file size.

``download_view_button`` is what every comparison page calls for exactly the
tables it shows. Workbooks are built inside a spinner and cached, so a rerun
of the page (any widget change) does not rebuild the same bytes.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.export import XLSX_MIME, file_stem, human_size, view_workbook


@st.cache_data(show_spinner=False, max_entries=32)
def _view_bytes(title: str, filters: tuple[str, ...], tables: dict[str, pd.DataFrame]) -> bytes:
    return view_workbook(title, list(filters), tables, generated_at=dt.datetime.now(dt.UTC))


def size_label(text: str, data: bytes) -> str:
    """'Download this view (.xlsx) – 12 KB'."""
    return f"{text} – {human_size(len(data))}"


def download_bytes_button(
    text: str, data: bytes, file_name: str, mime: str, key: str, *, help: str | None = None
) -> None:
    """A download button whose label ends with the file's size."""
    st.download_button(
        size_label(text, data),
        data=data,
        file_name=file_name,
        mime=mime,
        key=key,
        help=help,
        icon=":material/download:",
        on_click="ignore",
    )


def download_view_button(
    title: str, filters_description: list[str], tables: dict[str, pd.DataFrame], key: str
) -> None:
    """'Download this view (.xlsx) – 12 KB' for the tables a page shows under its current filters."""
    with st.spinner("Building the workbook…"):
        data = _view_bytes(title, tuple(filters_description), dict(tables))
    download_bytes_button(
        "Download this view (.xlsx)",
        data,
        f"{file_stem(title)}.xlsx",
        XLSX_MIME,
        key,
        help="An Excel workbook of the table(s) on this page, with the filters applied listed on its "
        "About sheet.",
    )
