"""A page's own choices in the link, so that a shared address restores the view.

``linked(key, param, parse)`` runs before the widget is drawn: when the link carries ``param``
(a link opened afresh, or edited by hand) and ``parse`` accepts it, the widget starts from it.
``link(param, value)`` runs after: the link then holds the widget's value (or loses ``param`` at
the default). Values from the address bar are untrusted: ``parse`` keeps only what the page
offers (a known sort, taxonomy, code or authority) and a search is cut to its longest length; what
is shown from them is escaped like any other text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

SEEN = "_link_seen_"


def linked(key: str, param: str, parse: Callable[[str], Any]) -> None:
    """Start the widget ``key`` from the link's ``param`` when the link says something new."""
    raw = st.query_params.get(param)
    if raw is None or raw == st.session_state.get(SEEN + param):
        return
    st.session_state[SEEN + param] = raw
    value = parse(raw)
    if value is not None:
        st.session_state[key] = value


def link(param: str, value: str | None) -> None:
    """Write the widget's value to the link (``None`` or "" removes it)."""
    if value:
        if st.query_params.get(param) != value:
            st.query_params[param] = value
        st.session_state[SEEN + param] = value
    elif param in st.query_params:
        del st.query_params[param]
        st.session_state.pop(SEEN + param, None)


def one_of(choices) -> Callable[[str], Any]:
    """A parser that keeps a value only if the page offers it."""
    allowed = list(choices)
    return lambda raw: raw if raw in allowed else None
