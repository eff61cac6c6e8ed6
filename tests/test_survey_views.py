"""The real returns in ``survey_data/`` through the views members read (no Streamlit): the
figures a reader relies on. Page behaviour is tested on synthetic data in test_compare_pages."""

from __future__ import annotations

import pytest

from analysis import filters as flt
from models import caseload
from models.vocabulary import IRO_BAND
from store.loading import load_survey_data
from views import caseloads, coded, overview
from views.base import Selection


@pytest.fixture(scope="module")
def sel():
    ds = load_survey_data()
    returns = flt.Filters(round_id="seslip-qa-june").apply(ds)
    return Selection(returns=tuple(returns), rounds=ds.rounds)


def test_nine_authorities_five_combined(sel):
    figures = {f.label: f.value for f in overview.build(sel).figures()}
    assert (figures["Authorities"], figures["Combined role"], figures["Separate roles"]) == ("9", "5", "4")
    assert figures["Median CP chair caseload (children or cases)"] == "80"


def test_kents_iro_caseload_is_65_and_within_the_band(sel):
    frame = caseloads.caseload_frame(sel.returns, "iro").set_index("Authority")
    assert frame.loc["Kent", "Answer (as reported)"] == "IRO average case load 65 (since 01/04/20)"
    assert (frame.loc["Kent", "Figure"], frame.loc["Kent", "Against the band"]) == (65, "within")


def test_west_berkshire_compares_only_its_looked_after_part(sel):
    """'Dual Role: 30-40 – children on CP plans / 38-45 – children in care': only 38–45 meets the band."""
    frame = caseloads.caseload_frame(sel.returns, "iro").set_index("Authority")
    wb = frame.loc["West Berkshire"]
    assert (wb["Low"], wb["High"], wb["Group"]) == (38, 45, caseload.CHILDREN)
    assert wb["Against the band"] == "below"
    assert "only the part for" in wb["Compared"]


def test_surreys_mixed_caseload_is_never_judged_against_the_band(sel):
    frame = caseloads.caseload_frame(sel.returns, "iro").set_index("Authority")
    assert frame.loc["Surrey", "Group"] == caseload.MIXED
    assert frame.loc["Surrey", "Against the band"] == "not comparable (mixed)"
    medians = {m.group: m for m in caseload.caseload_medians(sel.returns, "iro")}
    assert "Surrey" not in medians[caseload.CHILDREN].authorities
    assert medians[caseload.MIXED].authorities == ("Surrey",)


def test_iro_median_and_band_counts_in_words(sel):
    view = caseloads.build(sel)
    iro = next(s for s in view.sections if s.heading == "IRO caseloads")
    assert f"against the IRO Handbook band of {IRO_BAND.text}" in iro.text
    assert "West Berkshire splits its caseload" in iro.text
    assert "Reported as a maximum: Windsor and Maidenhead (up to 50)" in iro.text


def test_qa_marks_kent_and_not_west_sussex(sel):
    matrix = coded.marked_matrix(sel.returns, "qa", "iro").set_index("Authority")
    assert matrix.loc["Kent", "QA form after each meeting"] == "✓ Yes"
    # West Sussex: "The IRO’s and CP chairs do not currently undertake auditing routinely".
    assert matrix.loc["West Sussex", "Case-file audits"] == "— No"
