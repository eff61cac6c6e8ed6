"""One caseload figure: what a return's caseload says as a number, read as a manager would.

``caseload_figure(cl, role)`` is the one reading used by the charts, the Overview's band column,
the medians, the tables, the workbook, the pack, the report, the plausibility flags and the
Submit page's messages:

* Each authority counts once: its single figure, or the midpoint of its range.
* A cap ("up to 50", "no more than 70") is a maximum, not the caseload officers hold: it is shown
  as a cap, and never judged against the IRO Handbook band, counted in a median or ranked.
* Figures in families are never pooled with figures in children: they are drawn and summarised
  apart. "Cases" (the answer does not say children or families) are summarised with children.
* A caseload whose stated parts count different children (a dual role: children on CP plans and
  children in care) is a mixed caseload, like one the answer calls mixed: both parts are shown as
  stated, the whole is their sum, marked as the sum of the stated parts, and a mixed caseload is
  never judged against the band (which is for children looked after).
* Parts that all count the role's own children are one caseload of those children: their sum.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models.vocabulary import IRO_BAND, format_figure, plural

#: The groups a caseload is compared in, in the order they are drawn.
CHILDREN = "children or cases"
FAMILIES = "families"
MIXED = "mixed (looked after and child protection)"
GROUPS = (CHILDREN, MIXED, FAMILIES)
GROUP_TITLES = {
    CHILDREN: "Counted in children, or in cases where the answer does not say",
    MIXED: "Mixed caseloads (children looked after and child protection together) – not judged against the band",
    FAMILIES: "Counted in families – not comparable with figures in children",
}
#: The population a role's own figure counts.
OWN_POPULATION = {"iro": "looked_after", "cp_chair": "child_protection"}
#: What the band column says of a figure it does not judge, and why.
NOT_JUDGED_CAP = "a cap, not judged"
NOT_JUDGED_MIXED = "not comparable (mixed)"
NOT_JUDGED_FAMILIES = "not comparable (families)"
NO_BAND = "no national band"
NO_FIGURE = "no figure"
#: Said wherever the sum of a dual role's parts is shown.
SUM_OF_PARTS = "the sum of the stated parts"
UNIT_WORDS = {"children": "children", "families": "families", "cases": "cases"}


def reported_as(low: int | None, high: int | None) -> str:
    """'single', 'range', 'up_to' (a cap), 'or_more' or 'none'."""
    if low is None and high is None:
        return "none"
    if low is None:
        return "up_to"
    if high is None:
        return "or_more"
    return "single" if low == high else "range"


def numbers_text(low: int | None, high: int | None) -> str:
    """'65', '20–25', 'up to 50', '40 or more', or 'no figure'."""
    if low is None and high is None:
        return NO_FIGURE
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low}–{high}"


def midpoint(low: int | None, high: int | None) -> float | None:
    """The middle of a range, or the one figure given (a cap's N, for drawing and sorting)."""
    if low is not None and high is not None:
        return (low + high) / 2
    return high if high is not None else low


@dataclass(frozen=True)
class StatedPart:
    label: str
    low: int | None
    high: int | None

    @property
    def words(self) -> str:
        return f"{numbers_text(self.low, self.high)} {self.label}".strip()


def figure_words(
    low: int | None, high: int | None, unit: str, parts: Sequence[StatedPart] = (), *, summed: bool = False
) -> str:
    """The figure in words: '65 cases', '20–25 families', 'up to 50 children (a cap)',
    '68–85 children (the sum of the stated parts: 30–40 children on CP plans; 38–45 children in care)'."""
    kind = reported_as(low, high)
    if kind == "none":
        return NO_FIGURE
    text = f"{numbers_text(low, high)} {UNIT_WORDS.get(str(unit), str(unit))}"
    if summed and parts:
        text += f" ({SUM_OF_PARTS}: " + "; ".join(p.words for p in parts) + ")"
    elif kind == "up_to":
        text += " (a cap)"
    return text


@dataclass(frozen=True)
class CaseloadFigure:
    """One role's caseload as a figure: its numbers, unit, group, and how it may be compared."""

    low: int | None
    high: int | None
    group: str
    what: str  # in words: 'the whole caseload', 'the sum of the stated parts', 'a cap'
    unit: str = "cases"
    parts: tuple[StatedPart, ...] = ()
    summed: bool = False  # the numbers are the sum of the stated parts

    @property
    def kind(self) -> str:
        return reported_as(self.low, self.high)

    @property
    def is_cap(self) -> bool:
        return self.kind == "up_to"

    @property
    def figure(self) -> float | None:
        """Where the chart draws it and how it sorts: the midpoint, or a cap's N."""
        return midpoint(self.low, self.high)

    @property
    def value(self) -> float | None:
        """The figure that is summarised, ranked and checked: None for a cap (not what officers hold)."""
        return None if self.is_cap else self.figure

    @property
    def numbers(self) -> str:
        return numbers_text(self.low, self.high)

    @property
    def words(self) -> str:
        return figure_words(self.low, self.high, self.unit, self.parts, summed=self.summed)

    @property
    def part(self) -> None:
        """No part of a caseload is compared on its own (kept for older callers)."""
        return None

    def label(self, name: str) -> str:
        """A chart's label that says what is drawn: 'Hampshire – families', 'West Berkshire – sum of
        stated parts' (a cap says so beside its bar)."""
        if self.group == FAMILIES:
            return f"{name} – families"
        if self.summed and self.group == MIXED:
            return f"{name} – sum of stated parts"
        return name

    def band(self, role: str) -> str:
        """'below', 'within' or 'above' the IRO Handbook band, or why it is not judged."""
        if role != "iro":
            return NO_BAND
        if self.figure is None:
            return NO_FIGURE
        if self.group == FAMILIES:
            return NOT_JUDGED_FAMILIES
        if self.group == MIXED:
            return NOT_JUDGED_MIXED
        if self.is_cap:
            return NOT_JUDGED_CAP
        return IRO_BAND.position(self.figure) or NO_FIGURE


#: The older name of the figure (``compared_figure`` returns one).
Compared = CaseloadFigure


def _parts(cl: Any) -> tuple[StatedPart, ...]:
    return tuple(StatedPart(p.label, p.low, p.high) for p in getattr(cl, "parts", None) or ())


def caseload_figure(cl: Any, role: str) -> CaseloadFigure:
    """The one reading of a caseload for ``role`` (see the module): ``cl`` is a ``Caseload`` or None."""
    if cl is None:
        return CaseloadFigure(None, None, CHILDREN, NO_FIGURE)
    unit = str(getattr(cl.unit, "value", cl.unit))
    parts = _parts(cl)
    populations = {str(getattr(p.population, "value", p.population)) for p in cl.parts}
    summed = bool(parts)
    if unit == "families":
        return CaseloadFigure(
            cl.low, cl.high, FAMILIES, "the whole caseload, in families", unit, parts, summed
        )
    if parts and populations == {OWN_POPULATION[role]}:
        return CaseloadFigure(cl.low, cl.high, CHILDREN, SUM_OF_PARTS, unit, parts, summed)
    if parts:
        return CaseloadFigure(
            cl.low, cl.high, MIXED, f"{SUM_OF_PARTS} (a mixed caseload)", unit, parts, summed
        )
    if str(cl.population) == "mixed":
        return CaseloadFigure(cl.low, cl.high, MIXED, "the whole mixed caseload", unit)
    if reported_as(cl.low, cl.high) == "up_to":
        return CaseloadFigure(cl.low, cl.high, CHILDREN, "a cap (a maximum, not an average)", unit)
    return CaseloadFigure(cl.low, cl.high, CHILDREN, "the whole caseload", unit)


def compared_figure(cl: Any, role: str) -> CaseloadFigure:
    """The older name of ``caseload_figure``."""
    return caseload_figure(cl, role)


def role_figure(ret: Any, role: str) -> CaseloadFigure:
    """The figure of a return's role (no section: no figure)."""
    section = getattr(ret, role, None)
    return caseload_figure(section.caseload if section is not None else None, role)


def band_position(compared: CaseloadFigure, role: str) -> str:
    """'below', 'within' or 'above' the IRO Handbook band, or why it is not judged."""
    return compared.band(role)


@dataclass(frozen=True)
class Median:
    group: str  # CHILDREN | MIXED | FAMILIES
    median: float
    n: int
    authorities: tuple[str, ...]

    @property
    def unit_group(self) -> str:
        return self.group

    def sentence(self) -> str:
        return f"{format_figure(self.median)} {self.group} (from {plural(self.n, 'authority')})"


def caseload_medians(returns: Sequence[Any], role: str) -> list[Median]:
    """The median of the figures, per group (children or cases, mixed, families); caps are left out."""
    groups: dict[str, list[tuple[str, float]]] = {}
    for ret in returns:
        fig = role_figure(ret, role)
        if fig.value is None:
            continue
        groups.setdefault(fig.group, []).append((ret.authority, fig.value))
    out = []
    for group in GROUPS:
        items = groups.get(group)
        if items:
            out.append(
                Median(group, statistics.median(v for _, v in items), len(items), tuple(a for a, _ in items))
            )
    return out


def caps(returns: Sequence[Any], role: str) -> list[tuple[str, CaseloadFigure]]:
    """(authority, figure) of each cap for ``role``: shown, never summarised."""
    return [(r.authority, f) for r in returns if (f := role_figure(r, role)).is_cap]
