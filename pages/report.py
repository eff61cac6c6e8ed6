"""How we compare: one authority's return beside the group's, for its board; downloadable as a Word report."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from store.loading import slugify
from survey.rounds import previous_round
from ui.cache import cached
from ui.data import get_store
from ui.filters import page_filters, require_returns
from ui.link import link, linked
from ui.render import download_bytes_button, render_view
from views import profile, report
from views.word import DOCX_MIME, report_file_name

st.title(report.TITLE)
st.caption(report.INTRO)
state = page_filters()
require_returns(state)
by_name = cached(("profile_choices",), state, lambda: profile.choices(state.selection))
names = [n for n, r in by_name.items() if not state.selection.is_published(r)]
by_slug = {slugify(n): n for n in names}
KEY = "report_authority"
linked(KEY, "report", lambda raw: by_slug.get(raw))
authority = st.selectbox("Authority", names, index=None, placeholder="Choose an authority…", key=KEY)
link("report", slugify(authority) if authority else None)
ret = by_name.get(authority) if authority else None
before = previous_round(get_store(), ret.round) if ret is not None else None
previous = tuple(r for r in state.dataset.returns if before is not None and r.round == before.id)
view = cached(
    ("report", authority, before.id if before else None),
    state,
    lambda: report.build(state.selection, authority=authority, previous=previous),
)
if not view.empty:
    st.header(view.title)
render_view(view, download=False)
if ret is not None:
    when = dt.datetime.now(dt.UTC)
    if st.button("Make the Word report", key="report_make", icon=":material/description:"):
        with st.spinner("Writing the report…"):
            st.session_state["report_docx"] = (
                authority,
                report.build_report(
                    state.selection.returns, state.selection.rounds, authority, previous=previous
                ),
            )
    made = st.session_state.get("report_docx")
    if made and made[0] == authority:
        download_bytes_button(
            "Download the report (Word)",
            made[1],
            report_file_name(authority, ret.round, when),
            DOCX_MIME,
            key="report_docx_dl",
        )
    st.caption(
        f'Or from the shell: `.venv/bin/python cli.py report "{authority}" --round {ret.round} --out report.docx`'
    )
