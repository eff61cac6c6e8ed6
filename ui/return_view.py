"""One return as members read it, and the changes between two versions.

Used by the Authorities side by side page, the Submit page's preview and the
Coordinator page, so a lead sees their return exactly as members will. Authorities' text always goes
through ``ui.components.plain`` (escaped, inert).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import analysis
from dashboard.diff import Change
from dashboard.safe_text import escape_markdown
from models.returns import AuthorityReturn
from ui.components import plain


def provenance_text(ret: AuthorityReturn) -> str:
    p = ret.provenance
    bits = [f"Source: {p.source}", f"arrived by {p.channel}", f"version {p.version}"]
    if p.submitted_at:
        bits.append(f"submitted {p.submitted_at:%d %B %Y}")
    return "; ".join(bits) + "."


def render_return(ret: AuthorityReturn, *, show_provenance: bool = True) -> list[dict[str, str]]:
    """The whole return, section by section, question by question, as members read it.

    Returns the rows shown (section, question, answer) so a page can offer them as a download.
    """
    section = None
    rows = []
    for answer in analysis.profile(ret):
        if answer.section != section:
            section = answer.section
            st.subheader(section)
        st.markdown(f"**{escape_markdown(answer.question)}**")
        plain(answer.answer)
        rows.append({"Section": answer.section, "Question": answer.question, "Answer": answer.answer})
    if ret.notes:
        st.subheader("Data-quality notes")
        st.caption("How an ambiguous answer was read, and why.")
        for note in ret.notes:
            plain(note)
    if show_provenance:
        st.subheader("Provenance")
        plain(provenance_text(ret))
    return rows


def changes_table(changes: list[Change]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Question": c.question, "Before": c.before_text, "After": c.after_text} for c in changes],
        columns=["Question", "Before", "After"],
    )


def render_changes(changes: list[Change], *, none: str = "No answers differ.") -> None:
    if not changes:
        st.caption(none)
        return
    st.dataframe(changes_table(changes), hide_index=True, width="stretch")
