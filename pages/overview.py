"""Overview: the headline figures, each authority in brief, and every return in full."""

from __future__ import annotations

import streamlit as st

from ui.cache import cached_view
from ui.filters import require_returns, sidebar_filters
from ui.render import render_view
from views import overview

st.title(overview.TITLE)
st.caption(overview.INTRO)
state = sidebar_filters(show_role=False)
require_returns(state)
render_view(cached_view(overview.build, state))
