"""Synthetic Views for the meeting pack and chart-image tests (until the real ``views.<page>``
builders exist): three made-up authorities, a small Altair chart, a table, figures and notes."""

from __future__ import annotations

import altair as alt
import pandas as pd

from views.base import Chart, Figure, Section, Table, View

AUTHORITIES = ("Northshire", "Southshire", "Eastshire")
CASELOADS = (65, 72, 48)
BAND_TEXT = "Reference band: 50 to 70 children looked after per full-time IRO"
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."


def caseload_chart(key: str = "iro-caseloads", title: str = "IRO caseloads by authority") -> Chart:
    data = pd.DataFrame({"Authority": AUTHORITIES, "Caseload": CASELOADS})
    band = (
        alt.Chart(pd.DataFrame({"low": [50], "high": [70]}))
        .mark_rect(opacity=0.2)
        .encode(x=alt.X("low:Q", title="Children per IRO"), x2="high:Q")
    )
    bars = alt.Chart(data).mark_bar().encode(x="Caseload:Q", y=alt.Y("Authority:N", sort=None))
    return Chart(
        key=key,
        title=title,
        chart=alt.layer(band, bars).properties(width="container"),
        alt="Bar chart of IRO caseloads: "
        + ", ".join(f"{a} {c}" for a, c in zip(AUTHORITIES, CASELOADS, strict=True)),
        source="Synthetic returns; IRO Handbook (DCSF, 2010)",
    )


def caseload_view() -> View:
    table = pd.DataFrame(
        {
            "Authority": list(AUTHORITIES),
            "Model": ["Separate", "Combined", "Separate"],
            "IRO caseload": list(CASELOADS),
            "Against the band": ["within", "above", "below"],
        }
    )
    return View(
        key="caseloads",
        title="Caseloads",
        intro="How many children each IRO looks after.",
        sections=(
            Section(
                heading="IRO caseloads",
                figures=(Figure("Authorities", "3"), Figure("Median IRO caseload", "65", caption=BAND_TEXT)),
                charts=(caseload_chart(),),
                text="Northshire's IROs look after 65 children each, within the band of 50 to 70.",
                tables=(Table("iro", "IRO caseloads by authority", table, sheet="IRO caseloads"),),
                notes=(BAND_TEXT,),
            ),
        ),
        filters=("Round: A synthetic round for tests",),
        notes=(LICENCE,),
    )


def authority_view(name: str, caseload: int) -> View:
    answers = pd.DataFrame(
        {
            "Question": ["Expectations of role", "Input into quality"],
            "Answer": [
                f"{name} chairs every review. =1+1 stays as typed. <b>not bold</b>",
                "Midway reviews.",
            ],
        }
    )
    return View(
        key=f"authority-{name.lower()}",
        title=name,
        sections=(
            Section(
                figures=(Figure("Model", "Separate"), Figure("IRO caseload", str(caseload))),
                tables=(Table("answers", f"{name}'s answers in full", answers),),
            ),
        ),
    )
