"""Authorities side by side: one authority's whole return, or two to four in columns."""

from __future__ import annotations

import streamlit as st

from store.loading import slugify
from ui.cache import cached, cached_view
from ui.filters import page_filters, require_returns
from ui.link import link, linked
from ui.render import render_view
from views import profile

st.title(profile.TITLE)
st.caption(profile.INTRO)
state = page_filters()
require_returns(state)


@st.fragment
def body() -> None:
    """The authorities chosen and their returns: a change reruns only this part, not the sidebar."""
    by_name = cached(("profile_choices",), state, lambda: profile.choices(state.selection))
    names = list(by_name)
    KEY = "profile_pick"
    by_slug = {slugify(n): n for n in names}
    linked(
        KEY, "pick", lambda raw: [by_slug[x] for x in raw.split(",") if x in by_slug][: profile.MAX_CHOSEN]
    )
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
    link("pick", ",".join(slugify(n) for n in picked) or None)
    if len(picked) == 1 and not state.selection.is_published(by_name[picked[0]]):
        st.page_link(
            "pages/report.py",
            label=f"How {picked[0]} compares: a report for your board (page and Word)",
            icon=":material/summarize:",
            query_params={"report": slugify(picked[0])},
        )
    render_view(cached_view(profile.build, state, chosen=tuple(picked)))


body()
