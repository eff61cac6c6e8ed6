"""The one owner of every memo the app keeps between reruns and sessions.

* **Per data set** (``per_dataset``, ``cached_view``, ``cached``): a value worked out from the
  returns, kept for the data set it came from. ``ui.data`` makes a new ``Dataset`` whenever the
  database's data version changes, and each data set has its own ``token``, so a save makes new
  keys and nothing stale is served. The memos of the four most recent data sets are kept; each
  holds at most ``PER_DATASET`` values.
* **Views** (``cached_view(build, state, **choices)``): keyed on the data set, the filters, the
  builder and every choice passed to it, so a page cannot forget a choice. Renderers keep what
  they derive from a View (a chart's spec, a table's Arrow copy, its print copy) on the View's
  own ``cache`` dictionaries, never in a table of their own.
* **Static views** (``static_view(build)``): a view built from the product's own figures (the
  Guidance page), once per process.
* **Resources** (``store_for``, ``dataset_for``, ``authorities_for``, ``export_files_for``): the
  database connection, the data set, and the Export page's files, in Streamlit's caches.

Reference data (the register, groups, official context, inspections) is read once per process by
its own loader in ``official/`` (keyed on the file and its modification time).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import streamlit as st

from store import Store, open_store
from store.loading import Dataset
from views.base import View

if TYPE_CHECKING:
    from models.returns import AuthorityReturn, SurveyRound
    from views.base import Selection


class FilterState(Protocol):
    """What a view is built from: ``ui.filters.FilterState`` (named here without importing it)."""

    dataset: Dataset
    filters: Any

    @property
    def selection(self) -> Selection: ...


#: Data sets whose memos are kept (the current one and a few a session may still be drawing).
DATASETS_KEPT = 4
#: Values kept per data set before its memo starts afresh (many filter combinations seen).
PER_DATASET = 256

_BY_DATASET: OrderedDict[str, dict[tuple, Any]] = OrderedDict()
_STATIC: dict[tuple, Any] = {}


# ---------------------------------------------------------------------------
# Per data set


def dataset_token(ds: Dataset) -> str:
    """A short string naming this data set in cache keys, in place of hashing every return."""
    return ds.token


def _memo(ds: Dataset) -> dict[tuple, Any]:
    memo = _BY_DATASET.get(ds.token)
    if memo is None:
        memo = _BY_DATASET[ds.token] = {}
        while len(_BY_DATASET) > DATASETS_KEPT:
            _BY_DATASET.popitem(last=False)
    else:
        _BY_DATASET.move_to_end(ds.token)
    return memo


def per_dataset(ds: Dataset, key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per data set and ``key``. Shared between reruns and sessions: read-only."""
    memo = _memo(ds)
    if key not in memo:
        if len(memo) >= PER_DATASET:
            memo.clear()
        memo[key] = compute()
    return memo[key]


def already_worked_out(ds: Dataset, key: tuple) -> Any:
    """What ``per_dataset`` keeps for ``key``, or None if it has not been worked out yet."""
    memo = _BY_DATASET.get(ds.token)
    return memo.get(key) if memo is not None else None


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return value


def view_key(build: Callable[..., View], state: FilterState, choices: dict[str, Any]) -> tuple:
    """What a cached view is keyed on: the builder, the data set and filters, and every choice."""
    return ("view", build.__module__, build.__qualname__, state.filters, _freeze(choices))


def cached_view(build: Callable[..., View], state: FilterState, **choices: Any) -> View:
    """``build(selection, **choices)`` once per data set, filters and choices."""
    return per_dataset(
        state.dataset, view_key(build, state, choices), lambda: build(state.selection, **choices)
    )


def cached(key: tuple, state: FilterState, compute: Callable[[], Any]) -> Any:
    """Any other value worked out from the selection, once per data set, filters and ``key``."""
    return per_dataset(state.dataset, ("value", state.filters, *key), compute)


def static_view(build: Callable[[], View]) -> View:
    """A view of the product's own figures (the same for everyone), built once per process."""
    key = ("static", build.__module__, build.__qualname__)
    if key not in _STATIC:
        _STATIC[key] = build()
    return _STATIC[key]


# ---------------------------------------------------------------------------
# Resources, in Streamlit's caches


@st.cache_resource(show_spinner="Opening the database…")
def store_for(url: str | None, data_dir: str) -> Store:
    """The shared store for a database, created and seeded once per server process."""
    return open_store(url, Path(data_dir))


@st.cache_resource(show_spinner=False, max_entries=DATASETS_KEPT)
def dataset_for(url: str | None, data_dir: str, data_version: str) -> Dataset:
    """Every round and current return at one data version, shared between reruns and sessions
    (not unpickled on every rerun). Pages treat it as read-only."""
    return store_for(url, data_dir).dataset()


@st.cache_data(show_spinner=False, max_entries=16)
def authorities_for(url: str | None, data_dir: str, data_version: str, round_id: str) -> list[str]:
    return store_for(url, data_dir).authorities(round_id)


@st.cache_resource(show_spinner="Building the workbook…", max_entries=16)  # bytes only: shared
def export_files_for(
    *,
    digest: str,
    filters: tuple[str, ...],
    with_history: bool,
    _build: Callable[..., Any],
    _returns: tuple[AuthorityReturn, ...],
    _rounds: Mapping[str, SurveyRound],
    _history: Callable[[Sequence[AuthorityReturn]], list] | None,
) -> Any:
    """The Export page's files for a selection (``ui.download`` says how they are built)."""
    return _build(list(_returns), dict(_rounds), list(filters), _history if with_history else None)


def clear_store() -> None:
    """Forget the store (after the database could not be reached), so the next page tries again."""
    store_for.clear()
