"""Combined or separate: the two models side by side."""

from __future__ import annotations

import streamlit as st

from ui.cache import cached_view
from ui.filters import require_returns, sidebar_filters
from ui.render import render_view
from views import combined

st.title(combined.TITLE)
st.caption(combined.INTRO)
state = sidebar_filters()
require_returns(state)
render_view(cached_view(combined.build, state))
