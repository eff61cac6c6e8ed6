"""Download buttons for workbooks and CSVs: the label states the file size.

``download_view_button`` is what every comparison page calls for exactly the
tables it shows. Workbooks are built inside a spinner and cached, so a rerun
of the page (any widget change) does not rebuild the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.export import (
    XLSX_MIME,
    file_stem,
    full_workbook,
    human_size,
    matrix_csv,
    summary_csv,
    view_workbook,
)
from models.returns import AuthorityReturn, SurveyRound

BUILDING = "Building the workbook…"


@st.cache_data(show_spinner=BUILDING, max_entries=32)
def _view_bytes(title: str, filters: tuple[str, ...], tables: dict[str, pd.DataFrame]) -> bytes:
    return view_workbook(title, list(filters), tables, generated_at=dt.datetime.now(dt.UTC))


@st.cache_resource(show_spinner=BUILDING, max_entries=64)  # bytes: shared, never copied
def _view_bytes_keyed(
    *,
    title: str,
    filters: tuple[str, ...],
    view: str,
    _tables: Mapping[str, pd.DataFrame] | Callable[[], Mapping[str, pd.DataFrame]],
) -> bytes:
    # Keyed on ``view`` (a short string naming the data and every choice the tables depend
    # on) instead of hashing every cell of the tables on each rerun.
    tables = dict(_tables() if callable(_tables) else _tables)
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
    title: str,
    filters_description: list[str],
    tables: Mapping[str, pd.DataFrame] | Callable[[], Mapping[str, pd.DataFrame]],
    key: str,
    *,
    view: str | None = None,
) -> None:
    """'Download this view (.xlsx) – 12 KB' for the tables a page shows under its current filters.

    ``view``, where given, names everything the tables depend on (the data set and filters,
    ``FilterState.key``, plus any choice on the page): the workbook is cached on it and the
    tables are not hashed, and ``tables`` may be a function giving them, called only when the
    workbook is built. Without ``view`` the tables themselves are the cache key.
    """
    # The caches show "Building the workbook…" while they build (not on a rerun that finds the
    # bytes: an st.spinner here would start a thread on every rerun).
    if view is None:
        data = _view_bytes(title, tuple(filters_description), dict(tables() if callable(tables) else tables))
    else:
        data = _view_bytes_keyed(title=title, filters=tuple(filters_description), view=view, _tables=tables)
    download_bytes_button(
        "Download this view (.xlsx)",
        data,
        f"{file_stem(title)}.xlsx",
        XLSX_MIME,
        key,
        help="An Excel workbook of the table(s) on this page, with the filters applied listed on its "
        "About sheet.",
    )


@dataclass(frozen=True)
class ExportFiles:
    """The Export page's files, built together."""

    stem: str
    workbook: bytes
    summary_csv: bytes
    qa_csv: bytes
    impact_csv: bytes


def _digest(returns: Sequence[AuthorityReturn]) -> str:
    h = hashlib.sha256()
    for r in returns:
        h.update(r.model_dump_json().encode("utf-8"))
    return h.hexdigest()


@st.cache_resource(show_spinner=BUILDING, max_entries=16)  # bytes only: shared, never copied
def _export_files(
    *,
    digest: str,
    filters: tuple[str, ...],
    with_history: bool,
    _returns: tuple[AuthorityReturn, ...],
    _rounds: dict[str, SurveyRound],
    _history: Callable[[Sequence[AuthorityReturn]], list] | None,
) -> ExportFiles:
    returns = list(_returns)
    history = _history(returns) if with_history and _history is not None else None
    return ExportFiles(
        stem="iro-cp-chair-returns",
        workbook=full_workbook(returns, _rounds, filters_description=list(filters), history=history),
        summary_csv=summary_csv(returns, _rounds),
        qa_csv=matrix_csv(returns, "qa"),
        impact_csv=matrix_csv(returns, "impact"),
    )


def build_export_files(
    returns: Sequence[AuthorityReturn],
    rounds: Mapping[str, SurveyRound],
    filters: Sequence[str],
    history: Callable[[Sequence[AuthorityReturn]], list] | None = None,
    *,
    selection: str | None = None,
) -> ExportFiles:
    """The full workbook and CSVs for a selection, cached on the returns' content and the filters.

    ``history(returns)`` gives the version history for the Versions sheet; it is called only
    when the files are built (a new version changes the returns, so the cache key too).
    ``selection``, where given, names the data set and the selection (a new version makes a
    new data set, so a new name): the files are cached on it instead of on a digest of every
    return, which would be worked out again on each rerun.
    """
    if selection is not None:
        digest = "selection:" + selection
    else:
        rounds_key = "".join(sorted(r.model_dump_json() for r in rounds.values()))
        digest = hashlib.sha256((_digest(returns) + rounds_key).encode()).hexdigest()
    return _export_files(
        digest=digest,
        filters=tuple(filters),
        with_history=history is not None,
        _returns=tuple(returns),
        _rounds=dict(rounds),
        _history=history,
    )
