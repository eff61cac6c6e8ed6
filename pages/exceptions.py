"""The exception table: each authority's figures and fifths of the group; a click reads the commentary."""

from __future__ import annotations

import streamlit as st

from models.safe_text import escape_markdown
from ui.cache import cached_view
from ui.filters import page_filters, require_returns
from ui.render import download_view, empty_state, print_frame, render_section
from views import exceptions

st.title(exceptions.TITLE)
st.caption(exceptions.INTRO)
state = page_filters()
require_returns(state)
view = cached_view(exceptions.build, state)
print_frame(view)
if view.empty:
    empty_state(view.empty)
    st.stop()
table_section, *rest = view.sections
events = render_section(table_section, select=frozenset({exceptions.TABLE_KEY}))
event = events.get(exceptions.TABLE_KEY)
cells = (event.selection.get("cells") if event is not None else None) or []
picked = exceptions.picked_cell(cells[0] if cells else None)
if picked is not None:
    detail = exceptions.cell_commentary(state.selection, *picked)
    if detail is not None:
        render_section(detail)
else:
    st.caption(
        "Click a cell of the table to read the figure's fifth, what it measures and the lead's commentary."
    )
for section in rest:
    render_section(section)
for note in view.notes:
    st.caption(escape_markdown(note))
download_view(view)
