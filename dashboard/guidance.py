"""The reference points the comparisons use, each with its source.

Kept here, once, so the caseload chart's band, the Guidance page and any
export read the same figures. Quotations from Dudley's practice standards are
verbatim from the source document (``002_10dcdd3c6c3a3665.txt``).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The IRO Handbook's good-practice caseload band, children looked after per full-time IRO.
IRO_BAND_LOW = 50
IRO_BAND_HIGH = 70
IRO_BAND_UNIT = "children looked after per full-time IRO"
IRO_HANDBOOK = "IRO Handbook (Department for Children, Schools and Families, 2010)"
IRO_BAND_LABEL = f"IRO Handbook good practice: {IRO_BAND_LOW}–{IRO_BAND_HIGH} {IRO_BAND_UNIT}"

CARE_PLANNING = (
    "Care Planning, Placement and Case Review (England) Regulations 2010 and "
    "The Children Act 1989 Guidance and Regulations Volume 2: Care Planning, Placement and "
    "Case Review (Department for Education, 2015)"
)
WORKING_TOGETHER = "Working Together to Safeguard Children (HM Government, 2018)"

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
        standard=f"{IRO_BAND_LOW} to {IRO_BAND_HIGH} {IRO_BAND_UNIT}.",
        source=IRO_HANDBOOK,
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


def in_band(figure: float | None) -> bool | None:
    """Whether a caseload figure (one figure, or the midpoint of a range) sits inside the band.

    None where there is no figure.
    """
    if figure is None:
        return None
    return IRO_BAND_LOW <= figure <= IRO_BAND_HIGH
