"""Guidance and timescales: the reference points the comparisons use, each with its source."""

from __future__ import annotations

import streamlit as st

from ui.render import render_view
from views import guidance


@st.cache_resource(show_spinner=False)
def _view():
    return guidance.build()  # the guidance's own figures: the same for everyone


st.title(guidance.TITLE)
st.caption(guidance.INTRO)
render_view(_view())
