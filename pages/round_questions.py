"""This round's own questions: each figure beside its counting rule, the group median, the neighbours."""

from __future__ import annotations

import streamlit as st

from ui.cache import per_dataset
from ui.render import render_view
from ui.shown import shown_dataset
from views import round_questions as rq
from views.base import Selection

st.title(rq.TITLE)
st.caption(rq.INTRO)
dataset = shown_dataset()
rounds = rq.rounds_with_questions(dataset.rounds.values())
if not rounds:
    st.info(rq.NONE_YET, icon=":material/quiz:")
    st.stop()
titles = {r.id: r.title for r in reversed(rounds)}  # the newest first
round_id = st.selectbox("Survey round", list(titles), format_func=titles.get, key="rq_round")
names = sorted({r.authority for r in dataset.for_round(round_id)}, key=str.casefold)
focus = st.selectbox(
    "Show the statistical neighbours of",
    names,
    index=None,
    placeholder="No authority (the group only)",
    key="rq_focus",
    help="Its ten closest statistical neighbours (LAIT) that answered: their median is drawn too.",
)
sel = per_dataset(
    dataset, ("rq_selection",), lambda: Selection(returns=tuple(dataset.returns), rounds=dataset.rounds)
)
view = per_dataset(
    dataset, ("rq_view", round_id, focus), lambda: rq.build(sel, round_id=round_id, authority=focus)
)
render_view(view)
