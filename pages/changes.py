"""Change between rounds: two rounds of one group (by default its two latest), authority by authority."""

from __future__ import annotations

import streamlit as st

from survey.rounds import rounds_of_group
from ui.cache import per_dataset
from ui.data import get_store
from ui.link import link, linked, one_of
from ui.render import render_view
from ui.shown import shown_dataset
from views import changes
from views.base import Selection

st.title(changes.TITLE)
st.caption(changes.INTRO)
dataset = shown_dataset()
store = get_store()
groups = sorted({r.group for r in changes.comparable(dataset.rounds.values())})
ordered = per_dataset(  # the group's rounds this person may see, as titled for them
    dataset,
    ("changes_rounds",),
    lambda: {
        g: [dataset.rounds[r.id] for r in rounds_of_group(store, g) if r.id in dataset.rounds] for g in groups
    },
)
with_two = [g for g in groups if len(ordered.get(g, [])) >= 2]
if not with_two:
    st.info(changes.NOTHING_YET, icon=":material/history:")
    st.stop()
group = st.selectbox("Group", with_two, key="changes_group") if len(with_two) > 1 else with_two[0]
rounds = ordered[group]
titles = {r.id: r.title for r in rounds}
ids = list(titles)
for key, param, default in (("changes_from", "from", ids[-2]), ("changes_to", "to", ids[-1])):
    st.session_state.setdefault(key, default)  # by default the group's two latest rounds
    linked(key, param, one_of(ids))
    if st.session_state[key] not in ids:
        st.session_state[key] = default
c1, c2 = st.columns(2)
from_round = c1.selectbox("From round", ids, format_func=titles.get, key="changes_from")
to_round = c2.selectbox("To round", ids, format_func=titles.get, key="changes_to")
link("from", from_round if from_round != ids[-2] else None)
link("to", to_round if to_round != ids[-1] else None)
sel = per_dataset(
    dataset, ("changes_selection",), lambda: Selection(returns=tuple(dataset.returns), rounds=dataset.rounds)
)
view = per_dataset(
    dataset,
    ("changes_view", from_round, to_round),
    lambda: changes.build(sel, from_round=from_round, to_round=to_round),
)
render_view(view)
