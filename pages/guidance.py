"""Guidance and timescales: the reference points the comparisons use, each with its source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import guidance
from ui import components as c
from ui.download import download_view_button

st.title("Guidance and timescales")
st.caption(
    "The national reference points behind the comparisons, each with its source, and one authority's "
    "published standards as an example of what a service commits to. These are the guidance's figures, "
    "not a judgement of any authority."
)

st.header("Caseloads")
st.markdown(
    f"**{guidance.IRO_BAND_LOW} to {guidance.IRO_BAND_HIGH} {guidance.IRO_BAND_UNIT}.**  \n"
    f"Source: {c.escape_markdown(guidance.IRO_HANDBOOK)}. This is the band shaded on the IRO caseload "
    "chart. It counts children looked after: a caseload in families, or one that mixes children looked "
    "after with children on child protection plans, is not directly comparable with it."
)
st.caption("There is no equivalent national figure for CP chairs' caseloads.")

st.header("Statutory review timescales")
timescales = [
    {"Meeting": r.topic, "Role": r.applies_to, "Timescale": r.standard, "Source": r.source, "Note": r.note}
    for r in guidance.REFERENCES
    if r.topic != "IRO caseload"
]
for role, title in (
    ("IRO", "Children looked after (IRO reviews)"),
    ("CP chair", "Child protection conferences"),
):
    st.subheader(title)
    rows = [r for r in timescales if r["Role"] == role]
    for r in rows:
        st.markdown(f"- **{c.escape_markdown(r['Meeting'])}**: {c.escape_markdown(r['Timescale'])}")
    sources = sorted({r["Source"] for r in rows})
    st.caption("Source: " + c.escape_markdown("; ".join(sources)) + ".")
    for r in rows:
        if r["Note"] != "":
            st.caption(c.escape_markdown(r["Note"]))

st.header("An example of what a service commits to: Dudley")
st.markdown(
    f"Quoted from *{c.escape_markdown(guidance.DUDLEY_SOURCE)}*. Dudley combines the CP chair and IRO "
    "roles; its document is one of the published service descriptions (include them with the sidebar "
    "filter on the comparison pages)."
)
quotes = [{"Heading": q.heading, "Standard (verbatim)": q.text} for q in guidance.DUDLEY_STANDARDS]
by_heading: dict[str, list[str]] = {}
for q in quotes:
    by_heading.setdefault(q["Heading"], []).append(q["Standard (verbatim)"])
for heading, texts in by_heading.items():
    st.markdown(f"**{c.escape_markdown(heading)}**")
    for text in texts:
        st.markdown(f"> {c.escape_markdown(text)}")


def _tables() -> dict[str, pd.DataFrame]:
    """The page's tables for the workbook (built only when the workbook is)."""
    return {
        "Timescales": pd.DataFrame(timescales),
        "Caseload band": pd.DataFrame(
            [
                {
                    "Standard": f"{guidance.IRO_BAND_LOW}–{guidance.IRO_BAND_HIGH} {guidance.IRO_BAND_UNIT}",
                    "Source": guidance.IRO_HANDBOOK,
                }
            ]
        ),
        "Dudley standards": pd.DataFrame(quotes).assign(Source=guidance.DUDLEY_SOURCE),
    }


download_view_button(
    "Guidance and timescales",
    ["Reference points with their sources"],
    _tables,
    key="dl_guidance",
    view="guidance",  # the guidance's own figures: the same for everyone
)
