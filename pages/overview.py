"""Overview: the headline figures, each authority in brief, and every return in full."""

from __future__ import annotations

import streamlit as st

from ui.cache import cached_view
from ui.filters import page_filters, require_returns
from ui.render import render_view
from ui.shown import publication_section
from views import overview

st.title(overview.TITLE)
st.caption(overview.INTRO)
state = page_filters(show_role=False)
require_returns(state)
# Opening one of its tables reruns only the view, not the sidebar.
st.fragment(render_view)(cached_view(overview.build, state))
publication_section()  # what is published, when; Freedom of Information requests (section 22)
