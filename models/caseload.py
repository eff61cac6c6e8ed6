"""One caseload figure: what number of a return's caseload is compared, and how it reads.

The same rule for the charts, the Overview's band column, the medians, the tables, the workbook,
the pack and the plausibility flags:

* Each authority counts once: its single figure, or the midpoint of its range, or N for "up to N".
* Figures in families are never pooled with figures in children: they are drawn and summarised
  apart. "Cases" (the answer does not say children or families) are summarised with children.
* A caseload split by population (children in care plus children on CP plans) shows its parts;
  only the part for the role's own children (looked after for IROs, child protection for CP
  chairs) is compared, and only that part is judged against the IRO Handbook band.
* A mixed caseload that is not split is in its own "mixed" group and is never judged against the
  looked-after band.
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


def reported_as(low: int | None, high: int | None) -> str:
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
        return "no figure"
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low}–{high}"


def midpoint(low: int | None, high: int | None) -> float | None:
    if low is not None and high is not None:
        return (low + high) / 2
    return high if high is not None else low


@dataclass(frozen=True)
class Compared:
    """The figure of a caseload that is compared, and in which group."""

    low: int | None
    high: int | None
    group: str
    what: str  # in words: 'the whole caseload', 'only the part for children in care'
    part: str | None = None  # the words of the part compared, where a split caseload is

    @property
    def figure(self) -> float | None:
        return midpoint(self.low, self.high)


def compared_figure(cl: Any, role: str) -> Compared:
    """Which figure of a caseload is compared for ``role``, and in which group (see the module)."""
    if cl is None:
        return Compared(None, None, CHILDREN, "no figure")
    if cl.unit == "families":
        return Compared(cl.low, cl.high, FAMILIES, "the whole caseload, in families")
    own = [p for p in cl.parts if p.population == OWN_POPULATION[role]]
    if cl.parts and own:
        part = own[0]
        return Compared(part.low, part.high, CHILDREN, f"only the part for {part.label}", part.label)
    if cl.population == "mixed" or cl.parts:
        return Compared(cl.low, cl.high, MIXED, "the whole mixed caseload")
    return Compared(cl.low, cl.high, CHILDREN, "the whole caseload")


def band_position(compared: Compared, role: str) -> str:
    """'below', 'within' or 'above' the IRO Handbook band, or why it is not compared."""
    if role != "iro":
        return "no national band"
    if compared.figure is None:
        return "no figure"
    if compared.group == FAMILIES:
        return "not comparable (families)"
    if compared.group == MIXED:
        return "not comparable (mixed)"
    return IRO_BAND.position(compared.figure) or "no figure"


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
    """The median of the figures compared, per group (children or cases, mixed, families)."""
    groups: dict[str, list[tuple[str, float]]] = {}
    for ret in returns:
        section = getattr(ret, role)
        comp = compared_figure(section.caseload if section else None, role)
        if comp.figure is None:
            continue
        groups.setdefault(comp.group, []).append((ret.authority, comp.figure))
    out = []
    for group in GROUPS:
        items = groups.get(group)
        if items:
            out.append(
                Median(group, statistics.median(v for _, v in items), len(items), tuple(a for a, _ in items))
            )
    return out
