"""One return as members read it, and the changes between two versions.

Used by the Submit page's preview and the Coordinator page, so a lead sees their return exactly as
members will on the Authorities side by side page (all three draw ``views.profile.return_sections``).
"""

from __future__ import annotations

import streamlit as st

from models.diff import Change, changes_table
from models.names import PlainError
from models.returns import AuthorityReturn
from models.safe_text import escape_markdown
from ui.render import render_section
from views.profile import return_sections


def render_return(ret: AuthorityReturn, *, show_provenance: bool = True) -> None:
    """The whole return, section by section, question by question, as members read it."""
    for section in return_sections(ret, show_provenance=show_provenance):
        render_section(section)


def _pieces_html(pieces, tag: str) -> str:
    """Escaped text, the changed words in ``<tag>`` (the only HTML is ours, added after escaping)."""
    from models.safe_text import escape_inline

    out = []
    for p in pieces:
        text = escape_inline(" ".join(p.text.split()))
        out.append(f"<{tag}>{text}</{tag}>" if p.changed and text else text)
    return " ".join(x for x in out if x)


def render_changes(changes: list[Change], *, none: str = "No answers differ.") -> None:
    """Each answer changed: its question, then before and after as short excerpts around the change
    (removed words struck through, added ones marked), so two identical openings are never all that is
    shown, and the lines wrap to any width."""
    if not changes:
        st.caption(none)
        return
    st.caption(
        "Removed words are struck through; added words are marked. Only the words near a change are shown."
    )
    for c in changes:
        old, new = c.excerpts()
        st.markdown(
            f"**{escape_markdown(c.question)}**  \nBefore: {_pieces_html(old, 'del')}  \n"
            f"After: {_pieces_html(new, 'ins')}",
            unsafe_allow_html=True,
        )
    with st.expander("What changed, as a table"):
        st.dataframe(changes_table(changes), hide_index=True, width="stretch")


def version_history_section(store, round_id: str, authorities: list[str]) -> None:
    """The Coordinator's version history: every version of one authority's return, and what changed
    between any two of them."""
    from models.diff import diff_returns
    from views.coordinator import history_table

    st.subheader("Version history")
    if not authorities:
        st.caption("No returns yet.")
        return
    authority = st.selectbox("Versions of the return of", authorities, key="coord_authority")
    try:
        history = store.history(round_id, authority)
    except PlainError as exc:  # a version stored by a newer release: named, the page goes on
        st.warning(escape_markdown(str(exc)), icon=":material/update:")
        return
    st.dataframe(history_table(history), hide_index=True, width="stretch")
    numbers = [v.version for v in history]
    if len(numbers) < 2:
        st.caption("Only one version so far.")
        return
    c1, c2 = st.columns(2)
    a = c1.selectbox("Compare version", numbers, index=len(numbers) - 2, key="coord_from")
    b = c2.selectbox("with version", numbers, index=len(numbers) - 1, key="coord_to")
    by = {v.version: v.ret for v in history}
    st.markdown(f"**What changed from version {a} to version {b}**")
    render_changes(diff_returns(by[a], by[b]), none="The two versions have the same answers.")
