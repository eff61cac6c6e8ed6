"""One cache for every view: ``cached_view(build, state, **choices)``.

A view is keyed on the data set (a new version saved makes a new data set, see
``ui.data``), the filters, the builder, and every choice passed to it. A page
cannot forget a choice: whatever it passes to the builder is in the key. The
View is shared between reruns and sessions (read-only), and so are its charts'
converted specs and its workbook, which renderers keep on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui.filters import FilterState, per_dataset
from views.base import Selection, View


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


def selection_of(state: FilterState) -> Selection:
    return state.selection
