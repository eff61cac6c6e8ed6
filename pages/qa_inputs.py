"""Quality assurance inputs: who reports each activity, and the sentences behind each mark."""

from __future__ import annotations

import streamlit as st

from models.vocabulary import ROLE_LABELS, TAXONOMIES
from ui.cache import cached_view
from ui.filters import page_filters, require_returns
from ui.link import link, linked, one_of
from ui.render import download_view, print_frame, render_section
from views import coded

st.title(coded.TITLE)
st.caption(coded.INTRO)
state = page_filters()
require_returns(state)


@st.fragment
def body() -> None:
    """The page's own controls and its view: a change reruns only this part, not the sidebar."""
    linked("qa_taxonomy", "taxonomy", one_of(TAXONOMIES))
    taxonomy = st.radio(
        "Show",
        list(TAXONOMIES),
        format_func=lambda t: TAXONOMIES[t].title,
        key="qa_taxonomy",
        horizontal=True,
    )
    link("taxonomy", taxonomy if taxonomy != "qa" else None)
    tax = TAXONOMIES[taxonomy]
    view = cached_view(coded.build, state, taxonomy=taxonomy)
    intro, *sections = view.sections
    print_frame(view)
    render_section(intro)

    for role, section in zip(state.filters.roles, sections, strict=True):
        matrix_key = f"matrix_{taxonomy}_{role}"
        events = render_section(section, select=frozenset({matrix_key}))
        if section.empty:
            continue
        matrix = next(t.frame for t in section.tables if t.key == matrix_key)
        event = events.get(matrix_key)
        cells = (event.selection.get("cells") if event is not None else None) or []
        authority, clicked = coded.picked_cell(matrix, taxonomy, cells[0] if cells else None)
        key = f"qa_pick_{taxonomy}_{role}"
        if clicked is not None and st.session_state.get(f"{key}_cell") != (authority, clicked):
            st.session_state[key] = clicked  # a click on a cell chooses its activity below
            st.session_state[f"{key}_cell"] = (authority, clicked)
        linked(key, f"{role}_activity", lambda raw: tax.labels.get(raw))  # the link names the code
        label = st.selectbox(
            f"Read the sentences behind an {tax.one} ({ROLE_LABELS[role]})",
            list(tax.labels.values()),
            index=None,
            placeholder="Choose one…",
            key=key,
        )
        link(f"{role}_activity", {v: k for k, v in tax.labels.items()}.get(label))
        if label is None:
            st.caption("Choose one above, or click a cell of the table.")
            continue
        picked = st.session_state.get(f"{key}_cell", (None, None))[0]
        detail = coded.detail(
            state.selection, taxonomy=taxonomy, role=role, label=label, picked_authority=picked
        )
        render_section(detail)

    download_view(view)


body()
