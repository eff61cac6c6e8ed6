"""Authorities side by side: one authority's whole return, or two to four in columns."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import analysis
from models.returns import ROLE_LABELS, AuthorityReturn
from ui import components as c
from ui.download import download_view_button
from ui.filters import require_returns, sidebar_filters
from ui.return_view import render_return

st.title("Authorities side by side")
st.caption(
    "Pick one authority to read its whole return, or two to four to read them in columns, question by "
    "question. Differences in model, caseloads and activities are listed first."
)
state = sidebar_filters()
require_returns(state)

by_name: dict[str, AuthorityReturn] = {}
for ret in state.returns:
    name = analysis.display_name(ret, state.published_rounds)
    if name in by_name:  # the same authority in two rounds
        name = f"{name} – {ret.round}"
    by_name[name] = ret

KEY = "profile_pick"
if KEY not in st.session_state:
    st.session_state[KEY] = [n for n in by_name if by_name[n].authority in state.filters.authorities][:4]
st.session_state[KEY] = [n for n in st.session_state[KEY] if n in by_name]
picked = st.multiselect(
    "Authorities (up to four)",
    list(by_name),
    key=KEY,
    max_selections=4,
    placeholder="Choose one to read its return, or several to compare",
)
if not picked:
    st.info("Choose an authority above to read its return, or two to four to compare them side by side.")
    st.stop()

chosen = [by_name[n] for n in picked]
roles = state.filters.roles


if len(chosen) == 1:
    ret = chosen[0]
    st.header(c.escape_markdown(picked[0]))
    if state.is_published(ret):
        c.published_badge()
    rows = render_return(ret)
    download_view_button(
        f"Return of {ret.authority}",
        [state.description],
        {"Return": pd.DataFrame(rows)},
        key="dl_profile_one",
        view=f"{state.key}|{picked}",
    )
    st.stop()

st.header("What differs")
for sentence in analysis.differences(chosen, roles):
    st.markdown(f"- {c.escape_markdown(sentence)}")

downloads = {}
for role in roles:
    for taxonomy, title in (("qa", "QA activities"), ("impact", "Impact evidence")):
        table = analysis.has_lacks(chosen, taxonomy, role, state.published_rounds)
        st.subheader(f"{ROLE_LABELS[role]}: {title} one has and another lacks")
        if table.empty:
            st.caption("No differences: they report the same (or none).")
            continue
        st.dataframe(table, hide_index=True, width="stretch")
        downloads[f"{ROLE_LABELS[role]} {title}"] = table

st.header("Question by question")
frame = analysis.side_by_side(chosen, roles, state.published_rounds)
for _, row in frame.iterrows():
    st.subheader(row["Question"])
    cols = st.columns(len(chosen))
    for col, name in zip(cols, frame.columns[1:], strict=True):
        with col:
            st.markdown(f"**{c.escape_markdown(name)}**")
            c.plain(row[name])
downloads["Side by side"] = frame
download_view_button(
    "Authorities side by side",
    [state.description],
    downloads,
    key="dl_profile",
    view=f"{state.key}|{picked}",
)
