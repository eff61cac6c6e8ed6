"""The figures and frames behind the comparison pages, on synthetic returns (no Streamlit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import analysis, guidance
from dashboard import filters as flt
from dashboard.loading import load_survey_data

FAKE = Path(__file__).parent / "fake_data" / "compare"


@pytest.fixture(scope="module")
def ds():
    return load_survey_data(FAKE)


@pytest.fixture(scope="module")
def june(ds):
    return flt.Filters(round_id="fake-june").apply(ds)


@pytest.fixture(scope="module")
def with_published(ds):
    return flt.Filters(round_id="fake-june", include_published=True).apply(ds)


def row(frame, authority):
    hit = frame[frame["Authority"] == authority]
    assert len(hit) == 1, authority
    return hit.iloc[0]


def test_caseload_frame_keeps_answer_and_numbers(june):
    f = analysis.caseload_frame(june, "iro")
    assert list(f["Authority"]) == ["Alphaton", "Beta Borough", "Gamma City"]
    a = row(f, "Alphaton")
    assert (a["Answer (as reported)"], a["Low"], a["High"], a["Figure"]) == ("55 children", 55, 55, 55)
    assert a["Reported as"] == "One figure"
    assert a["Unit"] == "children"
    assert a["Within IRO Handbook band"] == True  # noqa: E712 (a numpy bool)


def test_up_to_is_drawn_from_zero(june):
    b = row(analysis.caseload_frame(june, "iro"), "Beta Borough")
    assert b["Reported as"] == "Up to a figure"
    assert (b["Start"], b["End"], b["Figure"]) == (0, 60, 60)
    assert b["As numbers"] == "up to 60"
    assert b["Unit"] == "cases (unit not stated)"


def test_families_are_their_own_group(june):
    f = analysis.caseload_frame(june, "cp_chair")
    # Alphaton answered only the IRO section: no CP chair row.
    assert list(f["Authority"]) == ["Beta Borough", "Gamma City"]
    b = row(f, "Beta Borough")
    assert (b["Unit group"], b["Figure"], b["Reported as"]) == ("families", 25, "A range")
    assert b["Label"] == "Beta Borough – families"
    assert pd_isna(b["Within IRO Handbook band"])


def pd_isna(x):
    import pandas as pd

    return pd.isna(x)


def test_published_descriptions_are_marked(with_published):
    f = analysis.caseload_frame(with_published, "iro", ["fake-published"])
    d = row(f, "Delta")
    assert d["Label"] == "Delta (published description)"
    assert d["Published description"]
    assert pd_isna(d["Figure"])  # no caseload stated


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("caseload", ["Gamma City", "Beta Borough", "Alphaton – children"]),
        ("authority", ["Alphaton – children", "Beta Borough", "Gamma City"]),
    ],
)
def test_sort(june, by, expected):
    assert analysis.sort_caseloads(analysis.caseload_frame(june, "iro"), by) == expected


def test_medians_never_mix_families_with_children(june):
    cp = analysis.caseload_medians(june, "cp_chair")
    assert [(m.unit_group, m.median, m.n) for m in cp] == [("children or cases", 70, 1), ("families", 25, 1)]
    iro = analysis.caseload_medians(june, "iro")
    assert [(m.unit_group, m.median, m.n) for m in iro] == [("children or cases", 60, 3)]


def test_headline_counts(with_published):
    h = analysis.headline(with_published, ["fake-published"])
    assert (h.authorities, h.combined, h.separate, h.not_stated, h.published) == (4, 2, 1, 1, 1)


def test_caseload_text_alternative(june):
    text = analysis.caseload_text(analysis.caseload_frame(june, "iro"), "iro")
    assert "range from 55 to 80 across 3 authorities" in text
    assert "the median is 60" in text
    assert (
        f"2 of 3 are within the IRO Handbook band of {guidance.IRO_BAND_LOW}–{guidance.IRO_BAND_HIGH}" in text
    )
    assert "Reported as a maximum: Beta Borough (up to 60)" in text
    cp = analysis.caseload_text(analysis.caseload_frame(june, "cp_chair"), "cp_chair")
    assert "counted in families range from 20 to 30" in cp
    assert analysis.caseload_text(analysis.caseload_frame([], "iro"), "iro").startswith("No IRO caseloads")


@pytest.mark.parametrize(
    ("figure", "inside"),
    [(50, True), (70, True), (49.5, False), (70.5, False), (None, None)],
)
def test_in_band(figure, inside):
    assert guidance.in_band(figure) is inside


def test_code_shares_with_n(with_published):
    shares = analysis.code_shares(with_published, "qa", "iro")
    combined = shares[(shares["Model"] == "Combined") & (shares["Code"] == "midway_review")].iloc[0]
    # Alphaton and Delta (published) are combined; both report midway reviews.
    assert (combined["Reporting"], combined["Answered"], combined["Share"]) == (2, 2, 1.0)
    table = analysis.shares_table(shares)
    first = table.iloc[0]
    assert first["Activity"] == "Midway or progress reviews"
    assert first["Combined: authorities"] == "2 of 2 (100%)"
    assert "Separate: authorities" in table.columns
    text = analysis.shares_text(shares, "qa")
    assert "Combined (2 authorities): most often Midway or progress reviews (2 of 2)" in text


def test_code_detail_gives_sentences_or_full_answer(june):
    details = {d.authority: d for d in analysis.code_detail(june, "qa", "iro", "midway_review")}
    assert details["Alphaton"].reports
    assert details["Alphaton"].sentences == ("Officers hold a midway review for every child.",)
    assert not details["Beta Borough"].reports
    qa_form = {d.authority: d for d in analysis.code_detail(june, "qa", "iro", "post_meeting_qa_form")}
    # Coded, but no supporting sentence recorded: the page points to the full answer.
    assert qa_form["Alphaton"].sentences == ()
    assert "QA form is completed" in qa_form["Alphaton"].full_answer


def test_authorities_by_model(with_published):
    groups = analysis.authorities_by_model(with_published, ["fake-published"])
    assert groups == {
        "Combined": ["Alphaton", "Delta (published description)"],
        "Separate": ["Beta Borough"],
        "Not stated": ["Gamma City"],
    }


def test_caseload_by_model(june):
    table = analysis.caseload_by_model(june, "iro")
    assert list(table["Model"]) == ["Combined", "Separate", "Not stated"]
    assert list(table["Median"]) == [55, 60, 80]
    assert (
        "Separate (1 authority, counted in children or cases): median 60"
        in analysis.caseload_by_model_text(table, "iro")
    )


def test_profile_lists_every_answer_with_its_question(june):
    alphaton = june[0]
    answers = analysis.profile(alphaton)
    questions = [(a.section, a.question) for a in answers]
    assert ("About the return", "Combined role (IRO & CP Chair)") in questions
    assert ("IRO role", "Expectations of role") in questions
    assert ("CP chairs", "(section)") in questions
    codes = next(a for a in answers if a.question.startswith("Formal QA inputs"))
    assert codes.answer == "Midway or progress reviews\nQA form after each meeting"


def test_side_by_side_and_has_lacks(june):
    alphaton, beta, _ = june
    frame = analysis.side_by_side([alphaton, beta])
    assert list(frame.columns) == ["Question", "Alphaton", "Beta Borough"]
    model = frame.iloc[0]
    assert (model["Alphaton"], model["Beta Borough"]) == ("Combined", "Separate")
    numbers = frame[frame["Question"] == "IRO: caseload as numbers"].iloc[0]
    assert (numbers["Alphaton"], numbers["Beta Borough"]) == (
        "55 children",
        "up to 60 cases (unit not stated)",
    )
    table = analysis.has_lacks([alphaton, beta], "qa", "iro")
    marks = table.set_index("Activity")
    assert marks.loc["Midway or progress reviews", "Alphaton"] == analysis.HAS
    assert marks.loc["Midway or progress reviews", "Beta Borough"] == analysis.LACKS
    assert marks.loc["Case-file audits", "Beta Borough"] == analysis.HAS
    # CP chair: Alphaton did not answer the section.
    cp = analysis.has_lacks([alphaton, beta], "qa", "cp_chair").set_index("Activity")
    assert cp.loc["Dispute resolution or escalation", "Alphaton"] == analysis.NOT_ANSWERED


def test_differences_in_words(june):
    alphaton, beta, _ = june
    lines = analysis.differences([alphaton, beta], ["iro"])
    assert lines[0] == "Models differ: Alphaton: combined; Beta Borough: separate."
    assert "IRO caseloads – Alphaton: 55 children; Beta Borough: up to 60 cases (unit not stated)." in lines
    assert "IRO QA activities: only Beta Borough reports Case-file audits." in lines
