"""Plausibility rules: each rule's own cases, then the flags of real and amended returns."""

from __future__ import annotations

import pytest

from models.returns import Caseload
from official.context import load_context
from official.plausibility import PRESSURE_CASES, RULES, flags, pressure_sentence
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
        "inspectors_say_iro_caseloads_high",
        "iro_fte_implies_caseload_far_from_reported",
        "percentage_over_100",
        "more_notices_resolved_than_raised",
        "fte_zero_with_caseload",
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


# -- what inspectors wrote beside the return ----------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), PRESSURE_CASES, ids=[t[:40] for t, _ in PRESSURE_CASES])
def test_which_sentences_say_iro_caseloads_are_high(text, expected):
    assert bool(pressure_sentence(text)) is expected


def test_inspectors_saying_iro_caseloads_are_high_beside_a_caseload_within_the_band_is_a_question(data):
    ret = data.get("seslip-qa-june", "Kent").model_copy(deep=True)
    ret.authority = "Stoke-on-Trent"  # paragraph 26 of its 2022 report: IROs' caseloads are too high
    found = [f for f in flags(ret, load_context()) if f.code == "inspectors_say_iro_caseloads_high"]
    assert len(found) == 1
    message = found[0].message
    assert (
        "(paragraph 26 of the report of the earlier inspection (3 to 14 October 2022), published 25 November 2022)"
        in message
    )
    assert (
        "“IROs’ caseloads are too high for them to consistently monitor children’s circumstances" in message
    )
    assert "The return's IRO caseload (65) is within the IRO Handbook's band of 50–70." in message
    assert "A question to look at, not a finding" in message
    assert found[0].fields == ("iro.caseload",)


def test_a_caseload_above_the_band_agrees_with_the_inspectors_and_is_not_flagged(data):
    ret = data.get("seslip-qa-june", "Kent").model_copy(deep=True)
    ret.authority = "Stoke-on-Trent"
    ret.iro.caseload = Caseload(text="85", low=85, high=85, unit="cases")
    assert "inspectors_say_iro_caseloads_high" not in [f.code for f in flags(ret, load_context())]


def test_no_south_east_return_is_flagged_by_what_inspectors_wrote(data):
    for ret in data.returns:
        assert "inspectors_say_iro_caseloads_high" not in [f.code for f in flags(ret, load_context())], (
            ret.authority
        )


def test_a_flag_quoting_the_inspectors_carries_ofsteds_licence_line(data):
    from official.ofsted import OFSTED_ATTRIBUTION
    from views.context import flags_section

    ret = data.get("seslip-qa-june", "Kent").model_copy(deep=True)
    ret.authority = "Stoke-on-Trent"
    section = flags_section([ret])
    assert any("IROs’ caseloads are too high" in b for b in section.bullets)
    assert OFSTED_ATTRIBUTION in section.notes
    assert OFSTED_ATTRIBUTION not in flags_section([data.get("seslip-qa-june", "Kent")]).notes
