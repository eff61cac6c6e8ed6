"""Caseloads: one chart per role and kind of count, authorities down the side."""

from __future__ import annotations

import streamlit as st

from ui.cache import cached_view
from ui.filters import page_filters, require_returns
from ui.link import link, linked, one_of
from ui.render import render_view
from views import caseloads

st.title(caseloads.TITLE)
st.caption(caseloads.INTRO)
state = page_filters()
require_returns(state)


@st.fragment
def body() -> None:
    """The page's own controls and its view: a change reruns only this part, not the sidebar."""
    linked("caseloads_sort", "sort", one_of(caseloads.SORTS))
    sort = st.radio(
        "Sort authorities",
        list(caseloads.SORTS),
        format_func=caseloads.SORTS.get,
        key="caseloads_sort",
        horizontal=True,
    )
    link("sort", sort if sort != "caseload" else None)
    linked("caseloads_context", "context", lambda raw: raw == "1")
    context = st.toggle(
        "Show each caseload beside the official rate per 10,000",
        key="caseloads_context",
        help="Children looked after per 10,000 (IROs) and children on child protection plans per 10,000 "
        "(CP chairs), from the DfE's published figures.",
    )
    link("context", "1" if context else None)
    render_view(cached_view(caseloads.build, state, sort=sort or "caseload", context=bool(context)))


body()
