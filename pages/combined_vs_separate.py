"""Combined or separate: the two models side by side."""

from __future__ import annotations

import streamlit as st

from dashboard import analysis, guidance
from models.returns import ROLE_LABELS
from ui import components as c
from ui.download import download_view_button
from ui.filters import require_returns, sidebar_filters

st.title("Combined or separate roles")
st.caption(
    "Authorities where the same officers both review the care plans of children looked after and chair "
    "child protection conferences (combined), next to those with separate IROs and CP chairs. Shares are "
    "of the authorities in each group that answered that role's questions."
)
state = sidebar_filters()
require_returns(state)

groups = c.model_groups(state)
st.header("Authorities in each group")
cols = st.columns(len(groups.names))
for col, (model, names) in zip(cols, groups.names.items(), strict=True):
    with col:
        st.subheader(f"{model} ({analysis.plural(len(names), 'authority')})")
        st.markdown(groups.lists[model])
if len(groups.names) < 2:
    st.info(
        "Only one model is shown under these filters, so there is nothing to set side by side. "
        "Clear the model filter in the sidebar to compare."
    )

downloads = {"Authorities by model": groups.table}
for role in state.filters.roles:
    who = ROLE_LABELS[role]
    st.header(f"{who}s")
    view = c.model_caseload_view(state, role)
    if not view.answered:
        c.empty_state(
            f"None of the returns shown answered the {who} questions. Combined-role authorities often "
            "answered once, in the IRO section."
        )
        continue
    st.subheader(f"{who} caseloads by model")
    if role == "iro":
        st.caption(f"Shaded: {guidance.IRO_BAND_LABEL} ({guidance.IRO_HANDBOOK}).")
    if view.spec is None:
        c.empty_state(f"No {who} caseload figure is stated in the returns shown.")
    else:
        c.chart_block(
            view.spec,
            view.text,
            view.summary,
            table_label=f"Table of {who} caseloads by model",
            key=f"cvs_chart_{role}",
        )
        if view.families:
            st.caption(
                "Not in the chart (counted in families, not comparable with children): "
                + c.escape_markdown(view.families)
                + "."
            )
        downloads[f"{who} caseloads by model"] = view.summary
    for taxonomy, title in (("qa", "Quality assurance activities"), ("impact", "How impact is evidenced")):
        st.subheader(f"{who}: {title.lower()}")
        table, text = c.shares(state, taxonomy, role)
        st.markdown(f"**In words:** {c.escape_markdown(text)}")
        config = {
            col: st.column_config.ProgressColumn(col, min_value=0, max_value=1, format="percent")
            for col in table.columns
            if col.endswith(": share")
        }
        st.dataframe(
            table, hide_index=True, width="stretch", column_config=config, height=c.table_height(len(table))
        )
        downloads[f"{who} {taxonomy} by model"] = table
st.caption(
    "Activities and kinds of evidence are coded from each authority's answers; see Quality assurance "
    "inputs for the sentences behind each code."
)
download_view_button("Combined or separate", [state.description], downloads, key="dl_cvs", view=state.key)
