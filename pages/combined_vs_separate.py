"""Combined or separate: the two models side by side."""

from __future__ import annotations

import streamlit as st

from ui.cache import cached_view
from ui.filters import page_filters, require_returns
from ui.render import render_view
from views import combined

st.title(combined.TITLE)
st.caption(combined.INTRO)
state = page_filters()
require_returns(state)
# Opening one of its tables reruns only the view, not the sidebar.
st.fragment(render_view)(cached_view(combined.build, state))
