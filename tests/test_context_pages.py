"""Official figures on the pages as a member sees them (AppTest). The synthetic authorities in
``tests/fake_data/compare`` have no official figures, so these run on the real returns with the real
extract, as ``tests/test_context_views.py`` does without Streamlit."""

from __future__ import annotations

import pytest

import ui.data
from official.register import OGL_ATTRIBUTION
from store.loading import load_survey_data
from tests.test_compare_pages import all_text, frame_by_columns, open_page, text_of


@pytest.fixture(autouse=True)
def real_data(monkeypatch):
    ds = load_survey_data()
    monkeypatch.setattr(ui.data, "current_dataset", lambda **_: ds)
    return ds


def test_overview_lists_the_flags_and_the_licence():
    at = open_page("overview")
    text = all_text(at)
    assert "Plausibility flags" in [h.value for h in at.header]
    assert "Southampton: The role is reported as combined, but the IRO caseload (65)" in text
    assert OGL_ATTRIBUTION in text


def test_kents_profile_shows_its_official_figures_beside_region_and_england():
    at = open_page("authority_profile", authority="kent")
    metrics = {m.label: m for m in at.metric}
    assert metrics["Children looked after"].value == "1,896"
    text = all_text(at)
    assert "at 31 March 2025. South East: 11,050; England: 81,770." in text
    assert (
        "Implied full-time IROs: about 29.2 (1,896 children looked after at 31 March 2025 ÷ caseload 65)."
        in text
    )
    assert OGL_ATTRIBUTION in text
    card = frame_by_columns(at, "Measure", "Kent", "South East", "England").set_index("Measure")
    assert card.loc["Number of Children with CPP", "Kent"] == "1,150"


def test_caseloads_toggle_sets_each_caseload_beside_the_rate():
    at = open_page("caseloads")
    assert "IRO caseload beside the official rate" not in [s.value for s in at.subheader]
    at.toggle(key="caseloads_context").set_value(True).run()
    assert not at.exception
    assert "IRO caseload beside the official rate" in [s.value for s in at.subheader]
    table = frame_by_columns(at, "Caseload compared", "Rate per 10,000").set_index("Authority")
    assert table.loc["Medway", "Rate per 10,000"] == 72
    assert "Medway: caseload 68 (children or cases), 72 per 10,000 in 2025" in all_text(at)
    assert OGL_ATTRIBUTION in all_text(at)


def test_medway_and_its_neighbours_from_the_link():
    at = open_page("caseloads", neighbours="medway")
    assert at.selectbox(key="flt_neighbours").value == "Medway"
    table = frame_by_columns(at, "Answer (as reported)", "Figure compared")
    assert sorted(table["Authority"]) == ["Kent", "Medway"]
    note = next(text_of(i.value) for i in at.info if "statistical neighbours" in i.value)
    assert "Neighbours with a return in the round: Kent (Good)." in note
    assert "Dudley" in note.split("Without one:")[1]
    assert OGL_ATTRIBUTION in all_text(at)


def test_choosing_neighbours_in_the_sidebar_puts_them_in_the_link():
    at = open_page("overview")
    at.selectbox(key="flt_neighbours").set_value("Kent").run()
    assert not at.exception
    assert at.query_params["neighbours"] in ("kent", ["kent"])
    table = frame_by_columns(at, "Authority", "Model", "IRO caseload")
    assert sorted(table["Authority"]) == ["Kent", "West Sussex"]


def test_neighbours_with_no_return_say_what_to_do():
    at = open_page("overview", neighbours="cumberland")
    text = all_text(at)
    assert "Neither Cumberland nor any of its statistical neighbours has a return in this round." in text
