"""What a member reads on each comparison page: figures, marks, sentences and messages.

Most tests use the real returns in ``survey_data/``; the hostile-text tests swap in
synthetic returns from ``tests/fake_data/compare``.
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
from dashboard.loading import load_survey_data
from dashboard.safe_text import JOINER

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FAKE = Path(__file__).parent / "fake_data" / "compare"


def open_page(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
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


def frame_by_columns(at: AppTest, *columns: str) -> pd.DataFrame:
    for df in at.dataframe:
        if all(c in df.value.columns for c in columns):
            return df.value
    raise AssertionError(f"no table with columns {columns}")


# ---------------------------------------------------------------------------
# Overview


def test_overview_headline_figures():
    at = open_page()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Authorities"] == "9"
    assert metrics["Combined role"] == "5"
    assert metrics["Separate roles"] == "4"
    assert metrics["Median IRO caseload (children or cases)"] == "68"
    assert metrics["Median CP chair caseload (children or cases)"] == "80"
    text = all_text(at)
    # Families are summarised apart, named.
    assert "Counted in families, kept apart: median 19.8 families (Hampshire, Windsor and Maidenhead)" in text


def test_overview_table_shows_answers_as_reported_and_as_numbers():
    at = open_page()
    table = frame_by_columns(at, "Authority", "IRO caseload (as reported)", "IRO low", "CP chair unit")
    assert len(table) == 9
    kent = table[table["Authority"] == "Kent"].iloc[0]
    assert kent["Model"] == "Separate"
    assert kent["IRO caseload (as reported)"] == "IRO average case load 65 (since 01/04/20)"
    assert (kent["IRO low"], kent["IRO high"]) == (65, 65)
    windsor = table[table["Authority"] == "Windsor and Maidenhead"].iloc[0]
    assert pd.isna(windsor["IRO low"]) and windsor["IRO high"] == 50
    assert windsor["CP chair unit"] == "families"


def test_overview_with_published_descriptions_from_the_link():
    at = open_page(published="1")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Authorities"] == "13"
    assert "4 of these are published service descriptions" in all_text(at)
    table = frame_by_columns(at, "Authority", "Kind")
    assert set(table[table["Kind"] == "Published description"]["Authority"]) >= {
        "Dudley",
        "Walsall",
        "Stockport",
    }


def test_link_filters_the_view_and_unknown_values_get_a_note():
    at = open_page(model="separate", authority="kent,medway,atlantis")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Authorities"] == "2"
    assert "The link names an authority 'atlantis' that is not in the data; it was left out." in all_text(at)
    assert at.multiselect(key="flt_authorities").value == ["Kent", "Medway"]


def test_filters_that_match_nothing_say_what_to_do():
    at = open_page(model="separate", authority="hampshire")
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
    assert "Kent" not in set(table["Authority"])


# ---------------------------------------------------------------------------
# Caseloads


def test_caseload_chart_holds_kents_figure_and_the_band():
    at = open_page("caseloads")
    iro_chart = charts(at)[0]
    spec, frames = chart_data(iro_chart)
    points = pd.concat([f for f in frames if "Authority" in f.columns])
    kent = points[points["Authority"] == "Kent"]
    assert set(kent["Figure"]) == {65}
    assert set(kent["Answer (as reported)"]) == {"IRO average case load 65 (since 01/04/20)"}
    band = spec["layer"][0]["encoding"]
    assert (band["x"]["datum"], band["x2"]["datum"]) == (50, 70)
    assert "IRO Handbook: 50–70 children looked after per full-time IRO" in json.dumps(
        spec, ensure_ascii=False
    )
    # The text alternative and the table say the same.
    text = all_text(at)
    assert "within the IRO Handbook band of 50–70" in text
    table = frame_by_columns(at, "Authority", "Figure compared", "Within IRO Handbook band")
    kent_row = table[table["Authority"] == "Kent"].iloc[0]
    assert (kent_row["Figure compared"], kent_row["Within IRO Handbook band"]) == (65, "✓ Yes")


def test_caseloads_draw_families_apart_and_up_to_distinctly():
    at = open_page("caseloads")
    text = all_text(at)
    assert "Children, families and cases are different counts" in text
    cp_charts = charts(at)[1:]
    assert len(cp_charts) == 2  # children or cases, then families
    _, frames = chart_data(cp_charts[1])
    families = pd.concat([f for f in frames if "Authority" in f.columns])
    assert set(families["Authority"]) == {"Hampshire", "Windsor and Maidenhead"}
    assert set(families["Unit"]) == {"families"}
    _, iro_frames = chart_data(charts(at)[0])
    iro = pd.concat([f for f in iro_frames if "Authority" in f.columns])
    windsor = iro[iro["Authority"] == "Windsor and Maidenhead"].iloc[0]
    assert (windsor["Reported as"], windsor["Start"], windsor["End"]) == ("Up to a figure", 0, 50)


def test_caseloads_role_from_the_link():
    at = open_page("caseloads", role="cp_chair")
    headers = [h.value for h in at.main.header]
    assert headers == ["CP chair caseloads"]


@pytest.mark.parametrize(
    ("sort", "first"), [("caseload", "West Berkshire – children"), ("authority", "Brighton and Hove")]
)
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
    at = open_page("combined_vs_separate", role="iro")
    subheaders = [s.value for s in at.subheader]
    assert "Combined (5 authorities)" in subheaders and "Separate (4 authorities)" in subheaders
    shares = frame_by_columns(at, "Activity", "Separate: authorities")
    midway = shares[shares["Activity"] == "Midway or progress reviews"].iloc[0]
    assert midway["Separate: authorities"] == "4 of 4 (100%)"
    assert midway["Combined: authorities"] == "3 of 5 (60%)"
    by_model = frame_by_columns(at, "Model", "Median", "Authorities with a figure")
    assert by_model.set_index("Model").loc["Separate", "Median"] == 69


# ---------------------------------------------------------------------------
# Quality assurance inputs


def test_qa_matrix_marks_kent_and_not_west_sussex():
    at = open_page("qa_inputs", role="iro")
    matrix = frame_by_columns(at, "Authority", "QA form after each meeting", "Case-file audits").set_index(
        "Authority"
    )
    assert matrix.loc["Kent", "QA form after each meeting"] == "✓ Yes"
    # West Sussex: "The IRO’s and CP chairs do not currently undertake auditing routinely".
    assert matrix.loc["West Sussex", "Case-file audits"] == "— No"


def test_choosing_an_activity_shows_the_supporting_sentences():
    at = open_page("qa_inputs", role="iro")
    at.selectbox(key="qa_pick_qa_iro").set_value("QA form after each meeting").run()
    text = all_text(at)
    assert "QA form after each meeting: 4 of 9 authorities report it." in text
    assert (
        "IRO’s complete a QA after each review meeting highlighting areas where there may be gaps in practice"
        in text
    )
    assert "Does not report it: Brighton and Hove, Hampshire, Medway, Southampton, West Sussex" in text


def test_impact_evidence_matrix():
    at = open_page("qa_inputs", role="cp_chair")
    at.radio(key="qa_taxonomy").set_value("impact").run()
    matrix = frame_by_columns(at, "Authority", "Annual report").set_index("Authority")
    assert matrix.loc["Medway", "Annual report"] == "✓ Yes"


# ---------------------------------------------------------------------------
# Authorities side by side


def test_one_authority_whole_return():
    at = open_page("authority_profile", authority="kent")
    text = all_text(at)
    assert "CP Chair average case load 64" in text
    assert "Provenance" in [s.value for s in at.subheader]


def test_side_by_side_kent_and_medway():
    at = open_page("authority_profile")
    at.multiselect(key="profile_pick").set_value(["Kent", "Medway"]).run()
    assert not at.exception
    text = all_text(at)
    assert "All have the same model: separate." in text
    assert "IRO caseloads – Kent: 65 cases (unit not stated); Medway: 68 cases (unit not stated)." in text
    table = frame_by_columns(at, "Activity", "Kent", "Medway").set_index("Activity")
    assert table.loc["QA form after each meeting", "Kent"] == "✓ has"
    assert table.loc["QA form after each meeting", "Medway"] == "— lacks"


# ---------------------------------------------------------------------------
# Search


def test_search_finds_plymouth_university_under_southampton():
    at = open_page("search")
    assert "Type a word or a few words above" in all_text(at)
    at.text_input(key="search_query").input("plymouth university").run()
    assert [s.value for s in at.subheader] == ["Southampton"]
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert any("<mark>Plymouth</mark> <mark>University</mark>" in m for m in marked)


def test_search_with_no_results_suggests_loosening():
    at = open_page("search", model="separate")
    at.text_input(key="search_query").input("plymouth").run()
    text = all_text(at)
    assert "No answer contains 'plymouth'." in text
    assert "loosen the filters in the sidebar" in text


# ---------------------------------------------------------------------------
# Guidance


def test_guidance_reference_points_with_sources():
    at = open_page("guidance")
    text = all_text(at)
    assert "50 to 70 children looked after per full-time IRO" in text
    assert "IRO Handbook (Department for Children, Schools and Families, 2010)" in text
    assert "Within 15 working days of the strategy discussion" in text
    assert "Working Together to Safeguard Children" in text
    assert "CLA reviews are initially held within 20 days of a child coming into care;" in text


# ---------------------------------------------------------------------------
# Hostile text, on synthetic returns


@pytest.fixture
def fake_data(monkeypatch):
    ds = load_survey_data(FAKE)
    monkeypatch.setattr(ui.data, "current_dataset", lambda: ds)
    return ds


def _no_raw_markup(at: AppTest) -> None:
    for m in at.markdown:
        source = re.sub(r"</?mark>", "", m.value)
        assert "<script" not in source and "<img" not in source, source
        assert "](http" not in source and "http://" not in source, source


def test_hostile_answers_render_inert_on_the_profile(fake_data):
    at = open_page("authority_profile", authority="gamma-city")
    _no_raw_markup(at)
    text = all_text(at)
    assert "<script>alert('owned')</script> **bold claim** [click here](http://evil.example)" in text
    assert "<img src=x onerror=alert(1)> # Heading" in text


def test_hostile_answers_render_inert_in_search(fake_data):
    at = open_page("search")
    at.text_input(key="search_query").input("alert").run()
    assert [s.value for s in at.subheader] == ["Gamma City"]
    _no_raw_markup(at)
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert any("&#60;script&#62;<mark>alert</mark>" in m for m in marked)


@pytest.mark.parametrize(
    "page", ["overview", "caseloads", "combined_vs_separate", "qa_inputs", "authority_profile"]
)
def test_pages_render_on_synthetic_data_with_every_model(fake_data, page):
    at = open_page(page, published="1")
    _no_raw_markup(at)


def test_published_descriptions_are_marked_on_the_caseload_page(fake_data):
    at = open_page("caseloads", published="1", role="iro")
    assert "No IRO figure given: Delta (published description)" in all_text(at)


def test_empty_round_says_what_to_do(monkeypatch):
    ds = load_survey_data(FAKE)
    ds.returns = [r for r in ds.returns if r.round != "fake-june"]
    monkeypatch.setattr(ui.data, "current_dataset", lambda: ds)
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


def test_no_data_at_all_says_so(monkeypatch):
    ds = load_survey_data(FAKE)
    ds.returns = []
    monkeypatch.setattr(ui.data, "current_dataset", lambda: ds)
    at = open_page()
    assert "There are no returns in the data yet" in all_text(at)
