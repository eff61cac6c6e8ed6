"""Search answers: free text across every answer, grouped by authority and question."""

from __future__ import annotations

import streamlit as st

from ui.cache import cached_view
from ui.filters import page_filters, require_returns
from ui.link import link, linked
from ui.render import render_view
from views import search

st.title(search.TITLE)
st.caption(search.INTRO)
state = page_filters()
require_returns(state)


@st.fragment
def body() -> None:
    """The search and its results: a change reruns only this part, not the sidebar."""
    linked("search_query", "q", lambda raw: raw[: search.MAX_QUERY])
    query = st.text_input(
        "Search for",
        key="search_query",
        max_chars=search.MAX_QUERY,
        placeholder='For example: midway review, "dispute resolution", Plymouth University',
    )
    link("q", query.strip() or None)
    f = state.filters
    render_view(
        cached_view(
            search.build,
            state,
            query=query,
            include_published=f.include_published,
            narrowed=bool(f.models or f.authorities or f.role != "both"),
        )
    )


body()
