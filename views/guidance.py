"""Guidance and timescales: the reference points the comparisons use, each with its source.

The IRO Handbook band itself is declared once in ``models.vocabulary.IRO_BAND``;
the caseload chart, this page, the workbook and the meeting pack all read it
there. Quotations from Dudley's practice standards are verbatim from the source
document (``002_10dcdd3c6c3a3665.txt``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from models.vocabulary import IRO_BAND
from views.base import Passage, Section, Table, View

TITLE = "Guidance and timescales"
INTRO = (
    "The national reference points behind the comparisons, each with its source, and one authority's "
    "published standards as an example of what a service commits to. These are the guidance's figures, "
    "not a judgement of any authority."
)

CARE_PLANNING = (
    "Care Planning, Placement and Case Review (England) Regulations 2010 and "
    "The Children Act 1989 Guidance and Regulations Volume 2: Care Planning, Placement and "
    "Case Review (Department for Education, 2015)"
)
WORKING_TOGETHER = "Working Together to Safeguard Children 2023 (HM Government, December 2023)"

DUDLEY_SOURCE = (
    "Dudley Safeguarding and Review Service, Independent Reviewing Officer Practice Standards (August 2020)"
)
DUDLEY_FILE = "002_10dcdd3c6c3a3665.txt"


@dataclass(frozen=True)
class Reference:
    topic: str
    applies_to: str  # "IRO" | "CP chair" | "Both"
    standard: str
    source: str
    note: str = ""


REFERENCES: tuple[Reference, ...] = (
    Reference(
        topic="IRO caseload",
        applies_to="IRO",
        standard=f"{IRO_BAND.text}.",
        source=IRO_BAND.source,
        note=(
            "The band is in children looked after. Where an authority counts families, or "
            "mixes children looked after with children on child protection plans, its figure "
            "is not directly comparable with the band."
        ),
    ),
    Reference(
        topic="First review of a child looked after",
        applies_to="IRO",
        standard="Within 20 working days of the child becoming looked after.",
        source=CARE_PLANNING,
        note="Dudley's standards put it as \"CLA reviews are initially held within 20 days of a "
        'child coming into care".',
    ),
    Reference(
        topic="Second review of a child looked after",
        applies_to="IRO",
        standard="Within 3 months of the first review.",
        source=CARE_PLANNING,
    ),
    Reference(
        topic="Later reviews of a child looked after",
        applies_to="IRO",
        standard="At intervals of no more than 6 months.",
        source=CARE_PLANNING,
    ),
    Reference(
        topic="Initial child protection conference (ICPC)",
        applies_to="CP chair",
        standard="Within 15 working days of the strategy discussion (or the last one, where there "
        "were several).",
        source=WORKING_TOGETHER,
    ),
    Reference(
        topic="First review child protection conference",
        applies_to="CP chair",
        standard="Within 3 months of the initial conference.",
        source=WORKING_TOGETHER,
    ),
    Reference(
        topic="Later review conferences",
        applies_to="CP chair",
        standard="At intervals of no more than 6 months.",
        source=WORKING_TOGETHER,
    ),
)


@dataclass(frozen=True)
class Quote:
    heading: str
    text: str


#: A few of Dudley's published standards, verbatim, as an example of what a service commits to.
DUDLEY_STANDARDS: tuple[Quote, ...] = (
    Quote("Planning", "CLA reviews are initially held within 20 days of a child coming into care;"),
    Quote(
        "Planning",
        "Subsequent CLA reviews are at 3 months from the Initial Meeting, then 6 monthly thereafter;",
    ),
    Quote("Planning", "Plans are SMART (Specific, Measurable, Achievable, Realistic and Timely)."),
    Quote("Timeliness", "Any Reviews/Child Protection Conferences have been held within timescales."),
    Quote(
        "Monitoring",
        "Every child will have a Progress Review to monitor progress and prevent drift and delay.",
    ),
    Quote("Minimum standards for Progress Reviews", "Take place at the mid-point."),
    Quote(
        "Child Looked After Review",
        "The IRO will ensure every child has a permanence plan ratified at their second review (DfE, 2015).",
    ),
    Quote(
        "Observations of practice",
        "Each IRO will have their practice chairing a meeting observed by their line manager once in a "
        "24 month period.",
    ),
    Quote(
        "Stakeholder Engagement",
        "Children, families and multi-agency professionals who attend Conferences and Reviews are "
        "invited to comment on the service they have received.",
    ),
)


def timescales() -> pd.DataFrame:
    """The statutory review timescales, one row per meeting."""
    return pd.DataFrame(
        [
            {
                "Meeting": r.topic,
                "Role": r.applies_to,
                "Timescale": r.standard,
                "Source": r.source,
                "Note": r.note,
            }
            for r in REFERENCES
            if r.topic != "IRO caseload"
        ]
    )


def build() -> View:
    """The Guidance page: the band, the timescales and Dudley's standards (the same for everyone)."""
    table = timescales()
    sections = [
        Section(
            heading="Caseloads",
            intro=f"{IRO_BAND.text}.",
            notes=(
                f"Source: {IRO_BAND.source}. This is the band shaded on the IRO caseload chart ({IRO_BAND.label}). "
                "It counts children looked after: a caseload in families, or one that mixes children looked after "
                "with children on child protection plans, is not directly comparable with it.",
                "There is no equivalent national figure for CP chairs' caseloads.",
            ),
            tables=(
                Table(
                    key="guidance_band",
                    caption="The caseload band and its source",
                    frame=pd.DataFrame([{"Standard": IRO_BAND.text, "Source": IRO_BAND.source}]),
                    sheet="Caseload band",
                ),
            ),
        ),
        Section(heading="Statutory review timescales"),
    ]
    for role, title in (
        ("IRO", "Children looked after (IRO reviews)"),
        ("CP chair", "Child protection conferences"),
    ):
        rows = table[table["Role"] == role]
        sections.append(
            Section(
                heading=title,
                level=3,
                bullets=tuple(f"{r['Meeting']}: {r['Timescale']}" for _, r in rows.iterrows()),
                notes=(
                    "Source: " + "; ".join(sorted(set(rows["Source"]))) + ".",
                    *(n for n in rows["Note"] if n),
                ),
            )
        )
    sections.append(
        Section(
            tables=(
                Table(
                    key="guidance_timescales",
                    caption="The timescales as a table",
                    frame=table,
                    sheet="Timescales",
                ),
            )
        )
    )
    quotes = pd.DataFrame([{"Heading": q.heading, "Standard (verbatim)": q.text} for q in DUDLEY_STANDARDS])
    blocks = []
    seen: set[str] = set()
    for q in DUDLEY_STANDARDS:
        blocks.append(Passage(q.text, heading=None if q.heading in seen else q.heading, quote=True))
        seen.add(q.heading)
    sections.append(
        Section(
            heading="An example of what a service commits to: Dudley",
            intro=f"Quoted from {DUDLEY_SOURCE}. Dudley combines the CP chair and IRO roles; its document is one of "
            "the published service descriptions (include them with the sidebar filter on the comparison pages).",
            blocks=tuple(blocks),
            tables=(
                Table(
                    key="guidance_dudley",
                    caption="Dudley's standards as a table",
                    frame=quotes.assign(Source=DUDLEY_SOURCE),
                    sheet="Dudley standards",
                ),
            ),
        )
    )
    return View(
        key="guidance",
        title=TITLE,
        intro=INTRO,
        sections=tuple(sections),
        filters=("Reference points with their sources",),
    )
