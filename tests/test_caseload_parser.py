"""The free-text caseload parser: (answer, expected low, high, unit) rows."""

from __future__ import annotations

import pytest

from models.caseload_parser import parse_caseload

CASES = [
    # A bare figure.
    ("65", 65, 65, "cases"),
    # A figure with words around it; the unit is not stated.
    ("Current average is 65 cases", 65, 65, "cases"),
    # "FTE" after the figure is not a unit of children or families.
    ("Average 75 FTE", 75, 75, "cases"),
    # A range in families.
    ("20-25 families", 20, 25, "families"),
    # A range written with an en dash and spaces.
    ("45 – 60 children", 45, 60, "children"),
    # A range written with "to".
    ("between 45 to 60", 45, 60, "cases"),
    # A range followed by a full stop.
    ("45-60.  This is a mixed workload of children", 45, 60, "children"),
    # "Up to N" has no lower figure; the later cap stays in the text.
    ("Up to 50 CiC in total, no more than 70 children in total.", None, 50, "children"),
    # A date is not a caseload.
    ("IRO average case load 65 (since 01/04/20)", 65, 65, "cases"),
    # A year is not a caseload.
    ("In 2020 it was 40", 40, 40, "cases"),
    # A label before the figure.
    ("IRO – 70", 70, 70, "cases"),
    # No figure at all.
    ("We do not hold cases", None, None, "cases"),
    # Empty answer.
    ("", None, None, "cases"),
    # A percentage is not a caseload.
    ("95% participate; caseload 60", 60, 60, "cases"),
]


@pytest.mark.parametrize(("text", "low", "high", "unit"), CASES)
def test_parser_proposes_numbers(text, low, high, unit):
    p = parse_caseload(text)
    assert (p.low, p.high, p.unit) == (low, high, unit)


def test_split_caseload_keeps_parts_and_sums_them():
    p = parse_caseload("Dual Role:\n30-40 – children on CP plans\n38-45 – children in care")
    assert [(x.label, x.low, x.high, x.population) for x in p.parts] == [
        ("children on CP plans", 30, 40, "child_protection"),
        ("children in care", 38, 45, "looked_after"),
    ]
    assert (p.low, p.high, p.unit, p.population) == (68, 85, "children", "mixed")


def test_ignored_figures_are_explained():
    p = parse_caseload("IRO average case load 65 (since 01/04/20)")
    assert any("date" in note for note in p.ignored)
