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


WB_READ_AS = (
    "68–85 children (the sum of the stated parts: 30–40 children on CP plans; 38–45 children in care)"
)


def test_west_berkshire_is_a_mixed_caseload_the_sum_of_its_stated_parts(sel):
    """'Dual Role: 30-40 – children on CP plans / 38-45 – children in care': a dual role whose parts are
    stated is a mixed caseload, like Surrey's: both parts shown, their sum marked as such, never judged."""
    frame = caseloads.caseload_frame(sel.returns, "iro").set_index("Authority")
    wb = frame.loc["West Berkshire"]
    assert (wb["Low"], wb["High"], wb["Figure"], wb["Group"]) == (68, 85, 76.5, caseload.MIXED)
    assert wb["Against the band"] == "not comparable (mixed)"
    assert wb["Read as"] == WB_READ_AS
    assert wb["Label"] == "West Berkshire – sum of stated parts"


def test_west_berkshire_reads_the_same_everywhere(sel):
    """Chart, Overview, flags and implied workforce, workbook and the command line: 68–85, 76.5, mixed."""
    from analysis.tables import BAND_COLUMN, summary_table
    from official.context import implied_role, load_context

    ret = next(r for r in sel.returns if r.authority == "West Berkshire")
    essentials = overview.essentials(sel.returns).set_index("Authority")
    assert essentials.loc["West Berkshire", "IRO caseload"] == WB_READ_AS
    assert (
        essentials.loc["West Berkshire", f"IRO against the {IRO_BAND.range_text} band"]
        == "not comparable (mixed)"
    )
    assert implied_role(ret, "iro", load_context()).midpoint == 76.5  # the figure the flags check
    summary = summary_table([ret]).iloc[0]
    assert summary["IRO caseload read as"] == WB_READ_AS and summary[BAND_COLUMN] == "not comparable (mixed)"
    iro = next(s for s in caseloads.build(sel).sections if s.heading == "IRO caseloads")
    assert (
        "West Berkshire states its caseload in parts (30–40 children on CP plans; 38–45 children in care); its "
        "figure is the sum of the stated parts, 68–85, a mixed caseload, not judged against the band."
    ) in iro.text


def test_windsor_and_maidenheads_caps_are_caps_never_judged_or_counted(sel):
    """'Up to 50 CiC in total an IRO/CP chair is expected to hold no more than 70 children in total':
    two caps, not an average."""
    from analysis.tables import BAND_COLUMN, summary_table

    frame = caseloads.caseload_frame(sel.returns, "iro").set_index("Authority")
    wm = frame.loc["Windsor and Maidenhead"]
    assert wm["Against the band"] == "a cap, not judged"
    assert wm["Read as"] == "up to 50 children (a cap)"
    medians = {m.group: m for m in caseload.caseload_medians(sel.returns, "iro")}
    assert "Windsor and Maidenhead" not in medians[caseload.CHILDREN].authorities
    essentials = overview.essentials(sel.returns).set_index("Authority")
    assert essentials.loc["Windsor and Maidenhead", f"IRO against the {IRO_BAND.range_text} band"] == (
        "a cap, not judged"
    )
    ret = next(r for r in sel.returns if r.authority == "Windsor and Maidenhead")
    assert summary_table([ret]).iloc[0][BAND_COLUMN] == "a cap, not judged"


def test_surreys_mixed_caseload_is_never_judged_against_the_band(sel):
    frame = caseloads.caseload_frame(sel.returns, "iro").set_index("Authority")
    assert frame.loc["Surrey", "Group"] == caseload.MIXED
    assert frame.loc["Surrey", "Against the band"] == "not comparable (mixed)"
    medians = {m.group: m for m in caseload.caseload_medians(sel.returns, "iro")}
    assert "Surrey" not in medians[caseload.CHILDREN].authorities
    assert medians[caseload.MIXED].authorities == ("Surrey", "West Berkshire")


def test_iro_median_and_band_counts_in_words(sel):
    view = caseloads.build(sel)
    iro = next(s for s in view.sections if s.heading == "IRO caseloads")
    assert f"against the IRO Handbook band of {IRO_BAND.text}" in iro.text
    assert "5 of 6 are within, 1 above and 0 below" in iro.text
    assert (
        "A cap, not an average (never judged against the band or counted in a median): Windsor and Maidenhead (up to 50)"
        in iro.text
    )


def test_qa_marks_kent_and_not_west_sussex(sel):
    matrix = coded.marked_matrix(sel.returns, "qa", "iro").set_index("Authority")
    assert matrix.loc["Kent", "QA form after each meeting"] == "✓ Yes"
    # West Sussex: "The IRO’s and CP chairs do not currently undertake auditing routinely".
    assert matrix.loc["West Sussex", "Case-file audits"] == "— No"


def test_the_overview_names_the_june_round_once_without_repeating_its_meeting():
    import datetime as dt

    june = load_survey_data().rounds["seslip-qa-june"]
    assert overview.round_line(june) == "SESLIP QA Sub Group – June Meeting: The role of IROs and CP chairs"
    later = june.model_copy(update={"title": "SESLIP survey 2027", "held_on": dt.date(2027, 6, 30)})
    assert overview.round_line(later) == "SESLIP survey 2027 – 30 June 2027"
