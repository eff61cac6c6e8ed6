"""Authorities side by side: one authority's whole return, or two to four in columns."""

from __future__ import annotations

import streamlit as st

from ui.cache import cached, cached_view
from ui.filters import require_returns, sidebar_filters
from ui.render import render_view
from views import profile

st.title(profile.TITLE)
st.caption(profile.INTRO)
state = sidebar_filters()
require_returns(state)

by_name = cached(("profile_choices",), state, lambda: profile.choices(state.selection))
names = list(by_name)
KEY = "profile_pick"
if KEY not in st.session_state:  # start from the authorities chosen in the sidebar
    chosen = [n for n, r in by_name.items() if r.authority in state.filters.authorities]
    st.session_state[KEY] = chosen[: profile.MAX_CHOSEN]
st.session_state[KEY] = [n for n in st.session_state[KEY] if n in names]
picked = st.multiselect(
    "Authorities (up to four)",
    names,
    key=KEY,
    max_selections=profile.MAX_CHOSEN,
    placeholder="Choose one to read its return, or several to compare",
)
render_view(cached_view(profile.build, state, chosen=tuple(picked)))
