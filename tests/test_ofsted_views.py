"""Ofsted's inspections on the pages and in the views, as a member reads them (real returns, real extract)."""

from __future__ import annotations

import html

import pytest

import ui.data
from models.safe_text import JOINER
from official import ofsted as o
from store.loading import load_survey_data
from tests.test_compare_pages import all_text, frame_by_columns, open_page, text_of
from views import inspection, profile
from views.base import Link, Passage, Selection


@pytest.fixture(scope="module")
def dataset():
    return load_survey_data()


@pytest.fixture
def real_data(monkeypatch, dataset):
    monkeypatch.setattr(ui.data, "current_dataset", lambda **_: dataset)
    return dataset


def june(ds) -> Selection:
    return Selection(returns=tuple(r for r in ds.returns if r.round == "seslip-qa-june"), rounds=ds.rounds)


# -- the views ----------------------------------------------------------------------------------------


def test_kents_inspection_card_has_its_grades_dates_link_and_the_iro_passages(dataset):
    view = profile.build(june(dataset), chosen=("Kent",))
    by_heading = {s.heading: s for s in view.sections}
    card = by_heading["Inspection: Kent"]
    assert card.intro == (
        "Ofsted's latest inspection of Kent's children's services: Short inspection, 3 to 7 November 2025, "
        "published 2 February 2026."
    )
    assert card.figures[0].label == "Overall effectiveness" and card.figures[0].value == "Good"
    grades = card.tables[0].frame.set_index("Judgement")["Grade"]
    assert grades["The experiences and progress of care leavers"] == "Requires improvement to be good"
    assert o.NOT_A_VERDICT in card.bullets
    (link,) = card.blocks
    assert isinstance(link, Link) and link.url == "https://files.ofsted.gov.uk/v1/file/50294428"
    iro = by_heading["What inspectors wrote about IROs and reviews of children in care: Kent"]
    assert iro.intro.startswith(
        "The passages are from the report of the earlier inspection, published 5 July 2022"
    )
    assert [b.heading for b in iro.blocks][1] == (
        "Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022), published 5 July 2022"
    )
    assert all(isinstance(b, Passage) and b.quote for b in iro.blocks)
    cp = by_heading["What inspectors wrote about child protection conferences and their chairs: Kent"]
    assert cp.bullets == (
        "No numbered paragraph of the report held speaks of child protection conferences or their chairs.",
    )
    assert o.OFSTED_ATTRIBUTION in cp.notes and o.OFSTED_ATTRIBUTION in view.notes
    assert "Inspection" in view.sheets() and "Inspection passages" in view.sheets()


def test_an_unnamed_or_unknown_authority_says_why_it_has_no_inspection():
    (unnamed,) = inspection.inspection_sections("Unnamed authority (Briefing 6)")
    assert unnamed.empty == o.NOT_NAMED
    (unknown,) = inspection.inspection_sections("Alphaton")
    assert unknown.empty == "'Alphaton' is not an English local authority in the register."


def test_side_by_side_shows_the_grades_in_a_row(dataset):
    view = profile.build(june(dataset), chosen=("Kent", "Medway"))
    section = next(s for s in view.sections if s.heading == "Ofsted's latest judgements")
    frame = section.tables[0].frame.set_index("Judgement")
    assert list(frame.columns) == ["Kent", "Medway"]
    assert frame.loc["Overall effectiveness"].tolist() == ["Good", "Good"]
    assert frame.loc["Help and protection", "Medway"] == "Requires improvement to be good"
    assert (
        frame.loc["Latest inspection", "Medway"]
        == "Standard inspection, 17 to 28 July 2023, published 11 September 2023"
    )
    assert section.intro == o.NOT_A_VERDICT and o.OFSTED_ATTRIBUTION in section.notes


# -- the page --------------------------------------------------------------------------------------------


def test_kents_profile_page_shows_the_inspection_card(real_data):
    at = open_page("authority_profile", authority="kent")
    text = all_text(at)
    assert "Inspection: Kent" in [text_of(s.value) for s in at.subheader]
    assert "Short inspection, 3 to 7 November 2025, published 2 February 2026." in text
    assert {m.label: m.value for m in at.metric}["Overall effectiveness"] == "Good"
    grades = frame_by_columns(at, "Judgement", "Grade").set_index("Judgement")["Grade"]
    assert grades["Overall effectiveness"] == "Good"
    assert "never a verdict on the authority's IRO or child protection chair service" in text
    assert (
        "IROs lead high-quality reviews which, with their robust oversight and scrutiny of children’s plans"
        in text
    )
    assert (
        "Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022), published 5 July 2022"
        in text
    )
    (link,) = [m.value for m in at.markdown if "](https://files.ofsted.gov.uk/v1/file/50294428)" in m.value]
    assert text_of(link).startswith(
        "Ofsted's report of this inspection (published 2 February 2026): [https://"
    )
    assert o.OFSTED_ATTRIBUTION in text


def test_a_passage_with_markup_is_shown_as_text(real_data, monkeypatch, tmp_path):
    import shutil

    for name in (o.JUDGEMENTS_FILE, o.PASSAGES_FILE):
        shutil.copy(o.REFERENCE_DIR / name, tmp_path / name)
    path = tmp_path / o.PASSAGES_FILE
    odd = "<img src=x onerror=alert(1)> **IROs** [here](javascript:alert(1)) :red[red] $x^2$"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Children’s review meetings explore", odd + " Children’s review meetings explore"
        ),
        encoding="utf-8",
    )
    data = o.load_ofsted(tmp_path)
    monkeypatch.setattr(o, "load_ofsted", lambda directory=None: data)
    fresh = load_survey_data()  # a data set of its own: no view cached from another test
    monkeypatch.setattr(ui.data, "current_dataset", lambda **_: fresh)
    at = open_page("authority_profile", authority="kent")
    quote = next(m.value for m in at.markdown if "review meetings explore" in m.value)
    assert (
        "<img" not in quote
        and "**IROs**" not in quote
        and "](javascript" not in quote
        and ":red[" not in quote
    )
    assert odd in html.unescape(quote).replace(JOINER, "")  # shown exactly, as text


# -- the Overview and the grade filter ---------------------------------------------------------------


def test_the_overview_gives_each_authoritys_overall_grade_in_its_table_and_words(dataset):
    from views import overview

    view = overview.build(june(dataset))
    table = next(t for t in view.tables() if t.key == "overview_essentials").frame.set_index("Authority")
    assert table.loc["Kent", overview.OFSTED_COLUMN] == "Good"
    assert table.loc["West Sussex", overview.OFSTED_COLUMN] == "Requires improvement to be good"
    words = next(s.text for s in view.sections if s.text)
    assert (
        "Latest Ofsted overall effectiveness grades: 2 outstanding, 6 good, 1 requires improvement to be good."
        in words
    )
    assert o.OFSTED_ATTRIBUTION in view.notes


def test_a_grade_in_the_link_keeps_those_authorities_and_goes_back_into_the_link(dataset):
    from analysis import filters as flt

    filters, notes = flt.from_query_params(
        {"round": "seslip-qa-june", "grade": "outstanding,Inadequate"}, dataset
    )
    assert notes == [] and filters.grades == ("outstanding", "inadequate")
    assert [r.authority for r in filters.apply(dataset)] == ["Brighton and Hove", "Hampshire"]
    assert "Ofsted overall grade: Outstanding, Inadequate" in filters.describe(dataset)
    assert flt.to_query_params(filters, dataset)["grade"] == "outstanding,inadequate"
    _, notes = flt.from_query_params({"grade": "<b>excellent</b>"}, dataset)
    assert notes == [
        "The link asks for an Ofsted grade '<b>excellent</b>'; the grades are outstanding, good, "
        "requires_improvement, inadequate, no_grade. Ignored."
    ]


def test_an_unnamed_authority_has_no_grade(dataset):
    from analysis import filters as flt

    filters = flt.Filters(include_published=True, grades=("no_grade",))
    assert [r.authority for r in filters.apply(dataset)] == ["Unnamed authority (Briefing 6)"]


def test_choosing_a_grade_in_the_sidebar_filters_the_overview_and_the_link(real_data):
    at = open_page("overview")
    at.multiselect(key="flt_grades").set_value(["requires_improvement"]).run()
    assert not at.exception
    assert at.query_params["grade"] in ("requires_improvement", ["requires_improvement"])
    table = frame_by_columns(at, "Authority", "Ofsted overall effectiveness")
    assert table["Authority"].tolist() == ["West Sussex"]
    at = open_page("overview", grade="inadequate")
    assert "No authority with a return in this round has the Ofsted grade chosen." in all_text(at)


# -- Search -------------------------------------------------------------------------------------------


def test_search_finds_the_inspectors_words_grouped_under_inspection(dataset):
    from views import search

    view = search.build(june(dataset), query='"prevent drift"')
    headings = [s.heading for s in view.sections]
    assert "Inspection" in headings
    kent = next(s for s in view.sections if s.heading == "Inspection: Kent")
    (block,) = kent.blocks
    assert (
        block.heading
        == "Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022), published 5 July 2022"
    )
    assert block.marks == ("prevent drift",)
    assert "actively prevent drift and delay" in block.text
    assert kent.intro.startswith("The passages are from the report of the earlier inspection")
    assert "Inspection results" in view.sheets()
    assert o.OFSTED_ATTRIBUTION in view.notes


def test_search_of_cp_chairs_answers_only_finds_passages_on_cp_conferences(dataset):
    from views import search

    sel = june(dataset)
    iro_only = Selection(returns=sel.returns, rounds=sel.rounds, roles=("iro",))
    cp_only = Selection(returns=sel.returns, rounds=sel.rounds, roles=("cp_chair",))
    assert "Inspection: Kent" in [s.heading for s in search.build(iro_only, query="IROs").sections]
    cp_view = search.build(cp_only, query="IROs")
    assert "Inspection: Kent" not in [s.heading for s in cp_view.sections]


def test_the_search_page_marks_the_words_in_a_passage(real_data):
    at = open_page("search", q="drift")
    text = all_text(at)
    assert "Inspection: Kent" in [text_of(s.value) for s in at.subheader]
    assert (
        "Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022), published 5 July 2022"
        in text
    )
    marked = [m.value for m in at.markdown if "<mark>drift</mark>" in m.value and "holistic" in m.value]
    assert marked and "<script" not in marked[0]
