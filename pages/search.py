"""Search answers: free text across every answer, grouped by authority and question."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import search
from dashboard.filters import MODEL_LABELS
from models.returns import ROLE_LABELS
from ui import components as c
from ui.download import download_view_button
from ui.filters import require_returns, sidebar_filters

st.title("Search answers")
st.caption(
    "Search every answer (expectations, quality inputs, impact, and caseloads in words). Not case "
    'sensitive; with several words, an answer must contain them all; put a phrase in "quotes" to keep '
    "its words together. The role, model and authority filters in the sidebar apply."
)
state = sidebar_filters()
require_returns(state)

query = st.text_input(
    "Search for",
    key="search_query",
    placeholder='For example: midway review, "dispute resolution", Plymouth University',
)
words = search.terms(query)
if not words:
    st.info(
        "Type a word or a few words above, for example 'midway', 'audit' or 'Plymouth University'. "
        "Every answer containing all of them is listed, grouped by authority."
    )
    st.stop()

hits = search.search(
    state.returns,
    query,
    roles=state.filters.roles,
    models=state.filters.models,
    published_rounds=state.published_rounds,
)
if not hits:
    loosen = "Try fewer words, or another spelling"
    if state.filters.models or state.filters.authorities or state.filters.role != "both":
        loosen += "; or loosen the filters in the sidebar (model, authorities, role)"
    if not state.filters.include_published:
        loosen += "; or include the published service descriptions"
    st.info(f"No answer contains {' and '.join(repr(w) for w in words)}. {loosen}.")
    st.stop()

grouped = search.group_hits(hits)
roles = " and ".join(ROLE_LABELS[r] for r in state.filters.roles)
st.markdown(
    f"**{len(hits)} answer{'s' if len(hits) != 1 else ''}** from "
    f"**{len(grouped)} authorit{'y' if len(grouped) == 1 else 'ies'}** ({c.escape_markdown(roles)} answers"
    + (
        f"; models: {c.escape_markdown(', '.join(MODEL_LABELS[m] for m in state.filters.models))}"
        if state.filters.models
        else ""
    )
    + ")."
)
st.header("Results")
for authority, items in grouped.items():
    st.subheader(c.escape_markdown(authority))
    st.caption(items[0].model)
    for hit in items:
        with st.container(border=True):
            st.markdown(f"**{c.escape_markdown(hit.question)}**")
            lines = search.matching_lines(hit.text, words)
            c.plain_highlighted("\n".join(lines), words)
            if len(lines) < len(hit.text.splitlines()):
                with st.expander("The whole answer"):
                    c.plain_highlighted(hit.text, words)

table = pd.DataFrame(
    [{"Authority": h.authority, "Model": h.model, "Question": h.question, "Answer": h.text} for h in hits]
)
download_view_button(
    "Search answers",
    [state.description, f"Search: {query}"],
    {"Results": table},
    key="dl_search",
    view=f"{state.key}|{query}",
)
