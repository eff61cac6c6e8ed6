"""One return as members read it, and the changes between two versions.

Used by the Submit page's preview and the Coordinator page, so a lead sees their return exactly as
members will on the Authorities side by side page (all three draw ``views.profile.return_sections``).
"""

from __future__ import annotations

import streamlit as st

from dashboard.diff import Change, changes_table
from models.returns import AuthorityReturn
from ui.render import render_section
from views.profile import return_sections


def render_return(ret: AuthorityReturn, *, show_provenance: bool = True) -> None:
    """The whole return, section by section, question by question, as members read it."""
    for section in return_sections(ret, show_provenance=show_provenance):
        render_section(section)


def render_changes(changes: list[Change], *, none: str = "No answers differ.") -> None:
    if not changes:
        st.caption(none)
        return
    st.dataframe(changes_table(changes), hide_index=True, width="stretch")
