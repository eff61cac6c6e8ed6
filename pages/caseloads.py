"""Caseloads: one chart per role, authorities down the side, each reported figure or range."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import analysis, guidance
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

TABLE_COLUMNS = [
    "Authority",
    "Model",
    "Answer (as reported)",
    "As numbers",
    "Unit",
    "Which children",
    "Parts",
    "Figure",
]

downloads = {}
for role in state.filters.roles:
    who = ROLE_LABELS[role]
    st.header(f"{who} caseloads")
    frame = c.caseload_frame(state.returns, role, state.published_rounds)
    if frame.empty:
        c.empty_state(
            f"None of the returns shown answered the {who} questions. Combined-role authorities often "
            "answered once, in the IRO section: choose 'Both roles' or the IRO role in the sidebar."
        )
        continue
    if role == "iro":
        st.caption(
            f"Shaded: {guidance.IRO_BAND_LABEL} ({guidance.IRO_HANDBOOK}). See Guidance and timescales."
        )
    if frame["Figure"].notna().any():
        order = analysis.sort_caseloads(frame, sort or "caseload")
        chart = c.caseload_charts(frame, role, order)
        table = frame[TABLE_COLUMNS + (["Within IRO Handbook band"] if role == "iro" else [])].rename(
            columns={"Figure": "Figure compared"}
        )
        if role == "iro":
            table = table.assign(
                **{
                    "Within IRO Handbook band": table["Within IRO Handbook band"].map(
                        lambda v: "Not comparable (families)" if pd.isna(v) else c.yes_no(bool(v))
                    )
                }
            )
        c.chart_block(
            chart,
            analysis.caseload_text(frame, role),
            table,
            table_label=f"Table of {who} caseloads (the chart's data)",
            key=f"chart_{role}",
        )
        downloads[f"{who} caseloads"] = table
    else:
        c.empty_state(f"No {who} caseload figure is stated in the returns shown.")
    missing = frame[frame["Figure"].isna()]
    if not missing.empty:
        st.markdown(f"**No {who} figure given:** " + c.escape_markdown(", ".join(missing["Label"])))

if downloads:
    download_view_button("Caseloads", [state.description], downloads, key="dl_caseloads")
