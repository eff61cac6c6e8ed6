"""Propose caseload numbers from a free-text answer.

The form uses this to fill the number boxes as a lead types; the person always
has the last word. The rules mirror ``models.returns.Caseload``:

* "65", "IRO – 70", "Average 75 FTE"   -> low = high = the figure
* "up to 50"                          -> low None, high 50
* "20-25 families", "45 to 60"         -> low 20, high 25
* one figure per line, each labelled ("30-40 – children on CP plans" and
  "38-45 – children in care")          -> parts, and the whole is their sum
* dates ("since 01/04/20") and figures after the first that are a cap or a
  total ("no more than 70 children in total") are left in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d{2}\b")
_RANGE = re.compile(r"(?<![\d.])(\d{1,4})\s*(?:-|–|—|to)\s*(\d{1,4})(?!\d|\.\d|\s*%)", re.I)
_UPTO = re.compile(r"\b(?:up\s+to|no\s+more\s+than|maximum\s+of|max\.?)\s+(\d{1,4})\b", re.I)
_SINGLE = re.compile(r"(?<![\d./])(\d{1,4})(?!\d|/|\.\d|\s*%)")
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*%")

_FAMILIES = re.compile(r"\bfamil", re.I)
_CHILDREN = re.compile(r"\b(child|children|CiC|CLA|LAC|young people)\b", re.I)
_CP = re.compile(r"\b(CP|child protection|CPP)\b", re.I)
_LAC = re.compile(r"\b(in care|looked after|CiC|CLA|LAC)\b", re.I)


@dataclass
class PartProposal:
    label: str
    low: int | None
    high: int | None
    population: str | None


@dataclass
class CaseloadProposal:
    low: int | None = None
    high: int | None = None
    unit: str = "cases"
    population: str | None = None
    parts: list[PartProposal] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.low is not None or self.high is not None


def _first_figure(text: str) -> tuple[int | None, int | None, tuple[int, int] | None]:
    """The first caseload figure in ``text``: (low, high, span) or (None, None, None)."""
    candidates = []
    for rx, kind in ((_UPTO, "upto"), (_RANGE, "range"), (_SINGLE, "single")):
        for m in rx.finditer(text):
            candidates.append((m.start(), kind, m))
    if not candidates:
        return None, None, None
    # Earliest match wins; at the same place a longer pattern (up to, range) wins.
    order = {"upto": 0, "range": 1, "single": 2}
    candidates.sort(key=lambda c: (c[0], order[c[1]]))
    _, kind, m = candidates[0]
    if kind == "upto":
        return None, int(m.group(1)), m.span()
    if kind == "range":
        return int(m.group(1)), int(m.group(2)), m.span()
    n = int(m.group(1))
    return n, n, m.span()


def _population(text: str) -> str | None:
    cp, lac = bool(_CP.search(text)), bool(_LAC.search(text))
    if re.search(r"\bmixed\b", text, re.I) or (cp and lac):
        return "mixed"
    if cp:
        return "child_protection"
    if lac:
        return "looked_after"
    return None


def _unit(text: str) -> str:
    if _FAMILIES.search(text):
        return "families"
    if _CHILDREN.search(text):
        return "children"
    return "cases"


def _clean(text: str) -> str:
    text = _DATE.sub(" ", text)
    return _PERCENT.sub(" ", text)


def parse_caseload(text: str | None) -> CaseloadProposal:
    """Propose numbers for a caseload answer; ``found`` is False where there is no figure."""
    proposal = CaseloadProposal()
    if not text or not text.strip():
        return proposal
    proposal.unit = _unit(text)
    proposal.population = _population(text)
    for m in _DATE.finditer(text):
        proposal.ignored.append(f"{m.group(0)} looks like a date")

    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    labelled = []
    for ln in lines:
        low, high, span = _first_figure(_clean(ln))
        if span is None:
            continue
        label = _clean(ln)[span[1] :].strip(" -–—:")
        labelled.append((ln, low, high, label))
    if len(labelled) >= 2 and all(label for *_, label in labelled):
        for _line, low, high, label in labelled:
            proposal.parts.append(PartProposal(label, low, high, _population(label)))
        lows = [p.low for p in proposal.parts]
        highs = [p.high for p in proposal.parts]
        proposal.low = sum(lows) if None not in lows else None
        proposal.high = sum(highs) if None not in highs else None
        return proposal

    cleaned = _clean(text)
    low, high, span = _first_figure(cleaned)
    proposal.low, proposal.high = low, high
    if span is not None:
        rest = cleaned[span[1] :]
        for m in _SINGLE.finditer(rest):
            proposal.ignored.append(f"{m.group(1)} comes after the first figure (a cap or total)")
    return proposal
