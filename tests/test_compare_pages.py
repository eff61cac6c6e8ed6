"""What a member reads on each comparison page: figures, marks, sentences and messages.

Every test runs on the synthetic returns in ``tests/fake_data/compare`` (three authorities in a
June round, one in an older March round, one published description); the real survey values are
asserted without Streamlit in ``tests/test_survey_views.py``.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

import ui.data
from models.safe_text import JOINER
from models.taxonomy import CODING_RULE
from models.vocabulary import IRO_BAND
from store.loading import load_survey_data
from tests.support.pages import open_app

FAKE = Path(__file__).parent / "fake_data" / "compare"


@pytest.fixture(autouse=True)
def fake_data(monkeypatch):
    ds = load_survey_data(FAKE)
    monkeypatch.setattr(ui.data, "current_dataset", lambda **_: ds)
    return ds


def open_page(page: str | None = None, **params: str) -> AppTest:
    at = open_app()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text_of(value: str) -> str:
    """Markdown as a person reads it: character references decoded; bold, hard breaks and marks dropped."""
    plain = html.unescape(re.sub(r"</?mark>", "", value.replace("  \n", "\n").replace("**", "")))
    return plain.replace(JOINER, "")


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [s.value for s in at.subheader] + [h.value for h in at.header]
    return "\n".join(text_of(p) for p in parts)


def charts(at: AppTest) -> list:
    return [e for e in at.main if type(e).__name__ == "UnknownElement" and hasattr(e.proto, "spec")]


def chart_data(chart) -> tuple[dict, list[pd.DataFrame]]:
    """A chart's vega-lite spec and every dataset it draws."""
    spec = json.loads(chart.proto.spec)
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
    return spec, frames


def open_tables(at: AppTest) -> AppTest:
    """Open every closed "Table of …", as a person clicking each would: a closed table is filled
    only once it is opened (its key is the last part of the expander's widget id)."""

    def expanders(node):
        for child in getattr(node, "children", {}).values():
            if type(child).__name__ == "Expander" and child.proto.id:
                yield child
            yield from expanders(child)

    keys = [e.proto.id.split("-", 2)[2] for e in expanders(at.main)]
    for key in keys:
        at.session_state[key] = True
    if keys:
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_by_columns(at: AppTest, *columns: str) -> pd.DataFrame:
    for attempt in range(2):
        for df in at.dataframe:
            if all(c in df.value.columns for c in columns):
                return df.value
        if attempt == 0:
            open_tables(at)
    raise AssertionError(f"no table with columns {columns}")


# ---------------------------------------------------------------------------
# Overview


def test_overview_headline_figures():
    at = open_page()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Authorities"] == "3"
    assert (metrics["Combined role"], metrics["Separate roles"], metrics["Model not stated"]) == (
        "1",
        "1",
        "1",
    )
    assert metrics["Median IRO caseload (children or cases)"] == "67.5"  # a cap ("up to 60") is not counted
    assert "A cap, not counted: Beta Borough." in all_text(at)
    assert metrics["Median CP chair caseload (children or cases)"] == "70"
    # Families are summarised apart, named.
    assert "Counted in families, kept apart: median 25 (Beta Borough)." in all_text(at)


def test_overview_essentials_and_full_table():
    at = open_page()
    brief = frame_by_columns(at, "Authority", "IRO caseload", "IRO against the 50–70 band").set_index(
        "Authority"
    )
    assert brief.loc["Alphaton", "IRO caseload"] == "55 children"
    assert brief.loc["Alphaton", "IRO against the 50–70 band"] == "within"
    assert brief.loc["Gamma City", "IRO against the 50–70 band"] == "above"
    assert brief.loc["Beta Borough", "CP chair caseload"] == "20–30 families"
    table = frame_by_columns(at, "Authority", "IRO caseload (as reported)", "IRO low", "CP chair unit")
    beta = table[table["Authority"] == "Beta Borough"].iloc[0]
    assert beta["IRO caseload (as reported)"] == "Up to 60"
    assert pd.isna(beta["IRO low"]) and beta["IRO high"] == 60
    assert beta["CP chair unit"] == "families"


def test_overview_with_published_descriptions_from_the_link():
    at = open_page(published="1")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Authorities"] == "4"
    assert "1 of these are published service descriptions" in all_text(at)
    table = frame_by_columns(at, "Authority", "Kind")
    assert set(table[table["Kind"] == "Published description"]["Authority"]) == {"Delta"}


def test_the_published_descriptions_filter_says_what_each_document_is():
    """The unnamed authority's briefing never says it was published: the filter's help must not say so."""
    at = open_page("caseloads")
    help_text = at.toggle(key="flt_published").help
    assert "a service briefing from an authority it does not name" in help_text
    assert "published" not in help_text.casefold()


def test_link_filters_the_view_and_unknown_values_get_a_note():
    at = open_page(model="separate,not_stated", authority="beta-borough,gamma-city,atlantis")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Authorities"] == "2"
    assert "The link names an authority 'atlantis' that is not in the data; it was left out." in all_text(at)
    assert at.multiselect(key="flt_authorities").value == ["Beta Borough", "Gamma City"]


def test_filters_that_match_nothing_say_what_to_do():
    at = open_page(model="separate", authority="alphaton")
    assert "No returns match these filters" in all_text(at)
    assert not at.metric


def test_filters_follow_the_user_between_pages():
    at = open_page()
    at.multiselect(key="flt_models").set_value(["combined"]).run()
    at.switch_page("pages/caseloads.py").run()
    assert not at.exception
    assert at.multiselect(key="flt_models").value == ["combined"]
    assert at.query_params.get("model") in ("combined", ["combined"])
    table = frame_by_columns(at, "Authority", "Answer (as reported)")
    assert set(table["Authority"]) == {"Alphaton"}


# ---------------------------------------------------------------------------
# Caseloads


def test_caseload_chart_holds_the_figure_and_the_band():
    at = open_page("caseloads")
    spec, frames = chart_data(charts(at)[0])
    points = pd.concat([f for f in frames if "Authority" in f.columns])
    alphaton = points[points["Authority"] == "Alphaton"]
    assert set(alphaton["Figure"]) == {55}
    assert set(alphaton["Answer (as reported)"]) == {"55 children"}
    band = spec["layer"][0]["encoding"]
    assert (band["x"]["datum"], band["x2"]["datum"]) == (50, 70)
    assert IRO_BAND.label in json.dumps(spec, ensure_ascii=False)
    # The text alternative and the table say the same.
    assert "1 of 2 are within, 1 above and 0 below" in all_text(at)  # Beta Borough's cap is not judged
    table = frame_by_columns(at, "Authority", "Figure compared", "Against the band").set_index("Authority")
    assert (table.loc["Alphaton", "Figure compared"], table.loc["Alphaton", "Against the band"]) == (
        55,
        "within",
    )


def test_caseloads_draw_families_apart_and_up_to_distinctly():
    at = open_page("caseloads")
    assert "Children, families and cases are different counts" in all_text(at)
    cp_charts = charts(at)[1:]
    assert len(cp_charts) == 2  # children or cases, then families
    _, frames = chart_data(cp_charts[1])
    families = pd.concat([f for f in frames if "Authority" in f.columns])
    assert set(families["Authority"]) == {"Beta Borough"}
    assert set(families["Unit"]) == {"families"}
    _, iro_frames = chart_data(charts(at)[0])
    iro = pd.concat([f for f in iro_frames if "Authority" in f.columns])
    beta = iro[iro["Authority"] == "Beta Borough"].iloc[0]
    assert (beta["Reported as"], beta["Start"], beta["End"]) == ("A cap (up to a figure)", 0, 60)


def test_caseloads_role_from_the_link():
    at = open_page("caseloads", role="cp_chair")
    assert [h.value for h in at.main.header] == ["CP chair caseloads"]


@pytest.mark.parametrize(("sort", "first"), [("caseload", "Gamma City"), ("authority", "Alphaton")])
def test_caseload_sort(sort, first):
    at = open_page("caseloads", role="iro")
    at.radio(key="caseloads_sort").set_value(sort).run()
    spec, _ = chart_data(charts(at)[0])
    sort_order = next(
        layer["encoding"]["y"]["sort"]
        for layer in spec["layer"]
        if "y" in layer.get("encoding", {}) and "sort" in layer["encoding"]["y"]
    )
    assert sort_order[0] == first


# ---------------------------------------------------------------------------
# Combined or separate


def test_combined_versus_separate():
    at = open_page("combined_vs_separate", role="iro", published="1")
    subheaders = [text_of(s.value) for s in at.subheader]
    assert "Combined (2 authorities)" in subheaders and "Separate (1 authority)" in subheaders
    shares = frame_by_columns(at, "Activity", "Separate: authorities")
    midway = shares[shares["Activity"] == "Midway or progress reviews"].iloc[0]
    assert midway["Combined: authorities"] == "2 of 2 (100%)"
    assert midway["Separate: authorities"] == "0 of 1 (0%)"
    by_model = frame_by_columns(at, "Model", "Median", "Authorities with a figure")
    assert by_model.set_index("Model").loc["Separate", "Median"] == 60


# ---------------------------------------------------------------------------
# Quality assurance inputs


def test_qa_matrix_grid_and_prevalence():
    at = open_page("qa_inputs", role="iro")
    matrix = frame_by_columns(at, "Authority", "QA form after each meeting", "Case-file audits")
    matrix = matrix.set_index("Authority")
    assert matrix.loc["Alphaton", "QA form after each meeting"] == "✓ Yes"
    assert matrix.loc["Alphaton", "Case-file audits"] == "— No"
    counts = frame_by_columns(at, "Activity", "Authorities reporting it").set_index("Activity")
    assert counts.loc["Case-file audits", "Authorities reporting it"] == "1 of 3"
    assert len(charts(at)) == 2  # how many report each, and the grid of ticks
    assert CODING_RULE in all_text(at)


def test_choosing_an_activity_shows_the_supporting_sentences():
    at = open_page("qa_inputs", role="iro")
    at.selectbox(key="qa_pick_qa_iro").set_value("Midway or progress reviews").run()
    text = all_text(at)
    assert "Midway or progress reviews: 1 of 3 authorities report it." in text
    assert "Officers hold a midway review for every child." in text
    assert "Does not report it: Beta Borough, Gamma City" in text


def test_impact_evidence_matrix():
    at = open_page("qa_inputs", role="cp_chair")
    at.radio(key="qa_taxonomy").set_value("impact").run()
    matrix = frame_by_columns(at, "Authority", "Escalation data").set_index("Authority")
    assert matrix.loc["Beta Borough", "Escalation data"] == "✓ Yes"
    assert matrix.loc["Gamma City", "Escalation data"] == "— No"


# ---------------------------------------------------------------------------
# Authorities side by side


def test_one_authority_whole_return():
    at = open_page("authority_profile", authority="beta-borough")
    text = all_text(at)
    assert "Chairs raise disputes through the escalation process." in text
    assert "Provenance" in [s.value for s in at.subheader]


def test_side_by_side():
    at = open_page("authority_profile")
    at.multiselect(key="profile_pick").set_value(["Alphaton", "Beta Borough"]).run()
    assert not at.exception
    text = all_text(at)
    assert "Models differ: Alphaton: combined; Beta Borough: separate." in text
    assert "IRO caseloads – Alphaton: 55 children; Beta Borough: up to 60 cases (a cap)." in text
    table = frame_by_columns(at, "Activity", "Alphaton", "Beta Borough").set_index("Activity")
    assert table.loc["Midway or progress reviews", "Alphaton"] == "✓ has"
    assert table.loc["Midway or progress reviews", "Beta Borough"] == "— lacks"


# ---------------------------------------------------------------------------
# Search


def test_search_finds_a_phrase_under_its_authority():
    at = open_page("search")
    assert "Type a word or a few words above" in all_text(at)
    at.text_input(key="search_query").input("zebra crossing").run()
    assert [s.value for s in at.subheader] == ["Gamma City"]
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert any("<mark>zebra</mark> <mark>crossing</mark>" in m for m in marked)


def test_search_with_no_results_suggests_loosening():
    at = open_page("search", model="separate")
    at.text_input(key="search_query").input("zebra").run()
    text = all_text(at)
    assert "No answer contains 'zebra'." in text
    assert "loosen the filters in the sidebar" in text


# ---------------------------------------------------------------------------
# Guidance


def test_guidance_reference_points_with_sources():
    at = open_page("guidance")
    text = all_text(at)
    assert IRO_BAND.text in text
    assert IRO_BAND.source in text
    assert "Within 15 working days of the strategy discussion" in text
    assert "Working Together to Safeguard Children 2023" in text
    assert "CLA reviews are initially held within 20 days of a child coming into care;" in text


# ---------------------------------------------------------------------------
# Hostile text


def _no_raw_markup(at: AppTest) -> None:
    for m in at.markdown:
        source = re.sub(r"</?mark>", "", m.value)
        assert "<script" not in source and "<img" not in source, source
        assert "](http" not in source and "http://" not in source, source


def test_hostile_answers_render_inert_on_the_profile():
    at = open_page("authority_profile", authority="gamma-city")
    _no_raw_markup(at)
    text = all_text(at)
    assert "<script>alert('owned')</script> **bold claim** [click here](http://evil.example)" in text
    assert "<img src=x onerror=alert(1)> # Heading" in text


def test_hostile_answers_render_inert_in_search():
    at = open_page("search")
    at.text_input(key="search_query").input("alert").run()
    assert [s.value for s in at.subheader] == ["Gamma City"]
    _no_raw_markup(at)
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert any("&#60;script&#62;<mark>alert</mark>" in m for m in marked)


@pytest.mark.parametrize(
    "page", ["overview", "caseloads", "combined_vs_separate", "qa_inputs", "authority_profile"]
)
def test_pages_render_on_synthetic_data_with_every_model(page):
    at = open_page(page, published="1")
    _no_raw_markup(at)


def test_published_descriptions_are_marked_on_the_caseload_page():
    at = open_page("caseloads", published="1", role="iro")
    assert "No IRO figure given: Delta (published description)." in all_text(at)


def test_empty_round_says_what_to_do(fake_data):
    fake_data.returns = [r for r in fake_data.returns if r.round != "fake-june"]
    at = open_page("caseloads")
    assert "There are no returns in this round yet" in all_text(at)


def test_clear_filters_shows_everything_again():
    at = open_page("caseloads", model="separate", role="iro")
    at.button(key="flt_reset").click().run()
    assert not at.exception
    assert at.multiselect(key="flt_models").value == []
    assert at.radio(key="flt_role").value == "both"
    assert [h.value for h in at.main.header] == ["IRO caseloads", "CP chair caseloads"]
    assert "model" not in at.query_params and "role" not in at.query_params


def test_no_data_at_all_says_so(fake_data):
    fake_data.returns = []
    at = open_page()
    assert "There are no returns in the data yet" in all_text(at)


# ---------------------------------------------------------------------------
# Every choice in the link, and one cache keyed on every choice


def test_a_link_restores_the_sort_the_search_the_activity_and_the_authorities():
    at = open_page("caseloads", sort="authority", role="iro")
    assert at.radio(key="caseloads_sort").value == "authority"
    at = open_page("search", q="zebra crossing")
    assert at.text_input(key="search_query").value == "zebra crossing"
    assert [s.value for s in at.subheader] == ["Gamma City"]
    at = open_page("qa_inputs", role="iro", taxonomy="impact", iro_activity="service_user_feedback")
    assert at.radio(key="qa_taxonomy").value == "impact"
    assert "Feedback from children and carers is collected after every review." in all_text(at)
    at = open_page("authority_profile", pick="alphaton,beta-borough,atlantis")
    assert at.multiselect(key="profile_pick").value == ["Alphaton", "Beta Borough"]
    assert "Models differ: Alphaton: combined; Beta Borough: separate." in all_text(at)


def test_choices_made_on_the_page_are_written_to_the_link():
    at = open_page("search")
    at.text_input(key="search_query").input("zebra").run()
    assert at.query_params.get("q") in ("zebra", ["zebra"])
    at = open_page("caseloads")
    at.radio(key="caseloads_sort").set_value("authority").run()
    assert at.query_params.get("sort") in ("authority", ["authority"])


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("search", {"q": "[click](http://evil.example) ![x](http://evil.example/i.png) <img src=x>"}),
        ("qa_inputs", {"iro_activity": "<script>alert(1)</script>", "taxonomy": "**bold**"}),
        ("caseloads", {"sort": "[x](http://evil.example)"}),
        ("authority_profile", {"pick": "<b>x</b>,[y](http://evil.example)"}),
    ],
)
def test_hostile_values_in_the_link_are_never_markup(page, params):
    at = open_page(page, **params)
    _no_raw_markup(at)
    for element in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error]:
        assert "](http" not in element.value and "<img" not in element.value and "<b>" not in element.value


def test_each_choice_a_page_offers_changes_its_view():
    """The one cache keys a view on every choice: changing any of them gives another view."""
    from ui.cache import view_key
    from views import caseloads, coded, profile, search

    class State:
        filters = "the same filters"

    cases = [
        (caseloads.build, {"sort": "caseload"}, {"sort": "authority"}),
        (coded.build, {"taxonomy": "qa"}, {"taxonomy": "impact"}),
        (profile.build, {"chosen": ("Alphaton",)}, {"chosen": ("Alphaton", "Beta Borough")}),
        (search.build, {"query": "zebra"}, {"query": "alert"}),
    ]
    for build, one, other in cases:
        assert view_key(build, State, one) == view_key(build, State, dict(one))
        assert view_key(build, State, one) != view_key(build, State, other)
    at = open_page("qa_inputs", role="iro")
    before = [t.value.columns.tolist() for t in at.dataframe]
    at.radio(key="qa_taxonomy").set_value("impact").run()
    assert [t.value.columns.tolist() for t in at.dataframe] != before


@pytest.mark.parametrize(
    "page",
    [
        "overview",
        "caseloads",
        "combined_vs_separate",
        "qa_inputs",
        "exceptions",
        "authority_profile",
        "report",
        "search",
    ],
)
def test_the_sidebar_filters_are_drawn_once_for_each_compare_page(page):
    """app.py draws them before the page runs; the page reads them rather than drawing its own."""
    at = open_page(page)
    assert [s.label for s in at.sidebar.selectbox].count("Survey round") == 1
    assert [b.label for b in at.sidebar.button].count("Clear filters") == 1
    roles = [r.label for r in at.sidebar.radio].count("Role")
    assert roles == (0 if page == "overview" else 1)
