"""Guidance and timescales: the reference points the comparisons use, each with its source."""

from __future__ import annotations

import streamlit as st

from ui.cache import static_view
from ui.render import render_view
from views import guidance

st.title(guidance.TITLE)
st.caption(guidance.INTRO)
render_view(static_view(guidance.build))  # the guidance's own figures: the same for everyone
