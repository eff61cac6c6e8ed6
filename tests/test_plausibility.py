"""Plausibility rules: each rule's own cases, then the flags of real and amended returns."""

from __future__ import annotations

import pytest

from models.returns import Caseload
from official.context import load_context
from official.plausibility import RULES, flags
from store.loading import load_survey_data

CASES = [(code, inputs, expected) for code, r in RULES.items() for inputs, expected in r.cases]


@pytest.mark.parametrize(
    ("code", "inputs", "expected"), CASES, ids=[f"{c}-{i}" for i, (c, *_) in enumerate(CASES)]
)
def test_each_rule_on_its_own_cases(code, inputs, expected):
    assert RULES[code].check(**inputs) is expected


def test_every_rule_has_a_case_that_flags_and_one_that_does_not():
    assert set(RULES) == {
        "implied_caseload_far_from_reported",
        "cp_caseload_implies_under_one_chair",
        "combined_role_different_figures",
    }
    for r in RULES.values():
        assert {expected for _, expected in r.cases} == {True, False}, r.code
        assert r.message and r.fields


@pytest.fixture(scope="module")
def data():
    return load_survey_data()


def test_kent_raises_no_flag(data):
    assert flags(data.get("seslip-qa-june", "Kent"), load_context()) == []


def test_a_combined_role_with_different_figures_is_flagged(data):
    found = flags(data.get("seslip-qa-june", "Windsor and Maidenhead"), load_context())
    assert [f.code for f in found] == ["combined_role_different_figures"]
    assert "IRO caseload (up to 50) and the CP chair caseload (17) differ" in found[0].message
    assert found[0].fields == ("combined_role", "iro.caseload", "cp_chair.caseload")


def test_a_stated_fte_far_from_the_reported_caseload_is_flagged(data):
    ret = data.get("seslip-qa-june", "Kent").model_copy(deep=True)
    ret.workforce.iro_fte = 10  # 1,896 children ÷ 10 = 189.6 a head, against 65 reported
    found = flags(ret, load_context())
    assert [f.code for f in found] == ["implied_caseload_far_from_reported"]
    assert found[0].fields == ("iro.caseload", "workforce.iro_fte")
    assert "(65)" in found[0].message and "(189.6)" in found[0].message


def test_a_cp_caseload_above_the_authoritys_plan_count_is_flagged(data):
    ret = data.get("seslip-qa-june", "Kent").model_copy(deep=True)
    ret.authority = "Rutland"  # 28 children on child protection plans at 31 March 2025
    ret.cp_chair.caseload = Caseload(text="40", low=40, high=40, unit="cases", population="child_protection")
    found = flags(ret, load_context())
    assert "cp_caseload_implies_under_one_chair" in [f.code for f in found]
    flag = next(f for f in found if f.code == "cp_caseload_implies_under_one_chair")
    assert "more than the authority's 28 children on child protection plans" in flag.message


def test_the_unnamed_briefing_raises_no_flag_from_official_figures(data):
    ret = data.get("published-service-descriptions", "Unnamed authority (Briefing 6)")
    assert flags(ret, load_context()) == []
