"""Caseloads: one chart per role, authorities down the side, each reported figure or range."""

from __future__ import annotations

import streamlit as st

from dashboard import guidance
from models.returns import ROLE_LABELS
from ui import components as c
from ui.download import download_view_button
from ui.filters import require_returns, sidebar_filters

st.title("Caseloads")
st.caption(
    "How many children, families or cases one officer holds, as each authority reported it. A dot is the "
    "figure used to compare (one figure, or the middle of a range); a solid bar is a range; a faint dashed "
    "bar from 0 is an 'up to' figure (a maximum). Colour and shape both show the model."
)
state = sidebar_filters()
require_returns(state)

sort = st.radio(
    "Sort authorities",
    ["caseload", "authority"],
    format_func={"caseload": "By caseload (highest first)", "authority": "By authority (A to Z)"}.get,
    key="caseloads_sort",
    horizontal=True,
)

st.markdown(
    "**Children, families and cases are different counts.** A family may include several children, so "
    "a caseload in families is not comparable with one in children and is drawn in its own panel. Where "
    "the answer gives a number without saying what it counts, it is shown as *cases*. Some authorities "
    "count children looked after and children on child protection plans together (a mixed caseload); "
    "hover over a mark, or open the table, to read each answer as written."
)

downloads = {}
for role in state.filters.roles:
    who = ROLE_LABELS[role]
    st.header(f"{who} caseloads")
    view = c.caseload_view(state, role, sort or "caseload")
    if not view.answered:
        c.empty_state(
            f"None of the returns shown answered the {who} questions. Combined-role authorities often "
            "answered once, in the IRO section: choose 'Both roles' or the IRO role in the sidebar."
        )
        continue
    if role == "iro":
        st.caption(
            f"Shaded: {guidance.IRO_BAND_LABEL} ({guidance.IRO_HANDBOOK}). See Guidance and timescales."
        )
    if view.specs:
        c.chart_block(
            view.specs,
            view.text,
            view.table,
            table_label=f"Table of {who} caseloads (the chart's data)",
            key=f"chart_{role}",
        )
        downloads[f"{who} caseloads"] = view.table
    else:
        c.empty_state(f"No {who} caseload figure is stated in the returns shown.")
    if view.missing:
        st.markdown(f"**No {who} figure given:** " + c.escape_markdown(", ".join(view.missing)))

if downloads:
    download_view_button("Caseloads", [state.description], downloads, key="dl_caseloads", view=state.key)
