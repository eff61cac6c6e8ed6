"""The comparison views (``views/``) on synthetic returns, without Streamlit: the figures, rows and
words a reader sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import filters as flt
from models import caseload
from models.vocabulary import IRO_BAND
from store.loading import load_survey_data
from views import caseloads, coded, combined, guidance, overview, profile, search
from views.base import Selection

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
    f = caseloads.caseload_frame(june, "iro")
    assert list(f["Authority"]) == ["Alphaton", "Beta Borough", "Gamma City"]
    a = row(f, "Alphaton")
    assert (a["Answer (as reported)"], a["Low"], a["High"], a["Figure"]) == ("55 children", 55, 55, 55)
    assert a["Reported as"] == "One figure"
    assert a["Unit"] == "children"
    assert a["Against the band"] == "within"


def test_up_to_is_a_cap_drawn_from_zero_and_never_judged(june):
    b = row(caseloads.caseload_frame(june, "iro"), "Beta Borough")
    assert b["Reported as"] == "A cap (up to a figure)"
    assert (b["Start"], b["End"], b["Figure"]) == (0, 60, 60)
    assert b["As numbers"] == "up to 60"
    assert b["Read as"] == "up to 60 cases (a cap)"
    assert b["Unit"] == "cases (unit not stated)"
    assert b["Against the band"] == "a cap, not judged"


def test_families_are_their_own_group(june):
    f = caseloads.caseload_frame(june, "cp_chair")
    # Alphaton answered only the IRO section: no CP chair row.
    assert list(f["Authority"]) == ["Beta Borough", "Gamma City"]
    b = row(f, "Beta Borough")
    assert (b["Group"], b["Figure"], b["Reported as"]) == ("families", 25, "A range")
    assert b["Label"] == "Beta Borough – families"
    assert b["Against the band"] == "no national band"


def pd_isna(x):
    import pandas as pd

    return pd.isna(x)


def test_published_descriptions_are_marked(with_published):
    f = caseloads.caseload_frame(with_published, "iro", ["fake-published"])
    d = row(f, "Delta")
    assert d["Label"] == "Delta (published description)"
    assert d["Published description"]
    assert pd_isna(d["Figure"])  # no caseload stated


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("caseload", ["Gamma City", "Beta Borough", "Alphaton"]),
        ("authority", ["Alphaton", "Beta Borough", "Gamma City"]),
    ],
)
def test_sort(june, by, expected):
    assert caseloads.sort_labels(caseloads.caseload_frame(june, "iro"), by) == expected


def test_medians_never_mix_families_with_children(june):
    cp = caseload.caseload_medians(june, "cp_chair")
    assert [(m.unit_group, m.median, m.n) for m in cp] == [("children or cases", 70, 1), ("families", 25, 1)]
    iro = caseload.caseload_medians(june, "iro")
    # Beta Borough's "up to 60" is a cap: shown, never counted in a median.
    assert [(m.unit_group, m.median, m.n) for m in iro] == [("children or cases", 67.5, 2)]


def test_headline_counts(with_published):
    h = overview.headline(with_published, ["fake-published"])
    assert (h.authorities, h.combined, h.separate, h.not_stated, h.published) == (4, 2, 1, 1, 1)


def test_caseload_text_alternative(june):
    text = caseloads.caseload_text(caseloads.caseload_frame(june, "iro"), "iro")
    assert "range from 55 to 80 across 2 authorities" in text
    assert "the median is 67.5" in text
    assert f"against the IRO Handbook band of {IRO_BAND.text}, 1 of 2 are within, 1 above and 0 below" in text
    assert (
        "A cap, not an average (never judged against the band or counted in a median): Beta Borough (up to 60)"
        in text
    )
    cp = caseloads.caseload_text(caseloads.caseload_frame(june, "cp_chair"), "cp_chair")
    assert "counted in families range from 20 to 30" in cp
    assert caseloads.caseload_text(caseloads.caseload_frame([], "iro"), "iro").startswith("No IRO caseloads")


@pytest.mark.parametrize(
    ("figure", "inside"),
    [(50, True), (70, True), (49.5, False), (70.5, False), (None, None)],
)
def test_in_band(figure, inside):
    assert IRO_BAND.contains(figure) is inside


def test_code_shares_with_n(with_published):
    shares = coded.code_shares(with_published, "qa", "iro")
    combined = shares[(shares["Model"] == "Combined") & (shares["Code"] == "midway_review")].iloc[0]
    # Alphaton and Delta (published) are combined; both report midway reviews.
    assert (combined["Reporting"], combined["Answered"], combined["Share"]) == (2, 2, 1.0)
    table = coded.shares_table(shares)
    first = table.iloc[0]
    assert first["Activity"] == "Midway or progress reviews"
    assert first["Combined: authorities"] == "2 of 2 (100%)"
    assert "Separate: authorities" in table.columns
    text = coded.shares_text(shares, "qa")
    assert "Combined (2 authorities): most often Midway or progress reviews (2 of 2)" in text


def test_code_detail_gives_sentences_or_full_answer(june):
    details = {d.authority: d for d in coded.code_detail(june, "qa", "iro", "midway_review")}
    assert details["Alphaton"].reports
    assert details["Alphaton"].sentences == ("Officers hold a midway review for every child.",)
    assert not details["Beta Borough"].reports
    qa_form = {d.authority: d for d in coded.code_detail(june, "qa", "iro", "post_meeting_qa_form")}
    # Coded, but no supporting sentence recorded: the page points to the full answer.
    assert qa_form["Alphaton"].sentences == ()
    assert "QA form is completed" in qa_form["Alphaton"].full_answer


def test_authorities_by_model(with_published):
    groups = combined.authorities_by_model(with_published, ["fake-published"])
    assert groups == {
        "Combined": ["Alphaton", "Delta (published description)"],
        "Separate": ["Beta Borough"],
        "Not stated": ["Gamma City"],
    }


def test_caseload_by_model(june):
    table = caseloads.caseload_by_model(june, "iro")
    assert list(table["Model"]) == ["Combined", "Separate", "Not stated"]
    assert list(table["Median"]) == [55, 60, 80]
    assert (
        "Separate (1 authority, counted in children or cases): median 60"
        in caseloads.caseload_by_model_text(table, "iro")
    )


def test_profile_lists_every_answer_with_its_question(june):
    alphaton = june[0]
    answers = profile.profile(alphaton)
    questions = [(a.section, a.question) for a in answers]
    assert ("About the return", "Combined role (IRO & CP Chair)") in questions
    assert ("IRO role", "Expectations of role") in questions
    assert ("CP chairs", "(section)") in questions
    codes = next(a for a in answers if a.question.startswith("Formal QA inputs"))
    assert codes.answer == "Midway or progress reviews\nQA form after each meeting"


def test_side_by_side_and_has_lacks(june):
    alphaton, beta, _ = june
    frame = profile.side_by_side([alphaton, beta])
    assert list(frame.columns) == ["Question", "Alphaton", "Beta Borough"]
    model = frame.iloc[0]
    assert (model["Alphaton"], model["Beta Borough"]) == ("Combined", "Separate")
    numbers = frame[frame["Question"] == "IRO: caseload as read"].iloc[0]
    assert numbers["Alphaton"].startswith("55 children")
    assert numbers["Alphaton"].endswith("against the IRO Handbook band: within")
    assert numbers["Beta Borough"].startswith("up to 60 cases (a cap)")
    assert numbers["Beta Borough"].endswith("against the IRO Handbook band: a cap, not judged")
    table = profile.has_lacks([alphaton, beta], "qa", "iro")
    marks = table.set_index("Activity")
    assert marks.loc["Midway or progress reviews", "Alphaton"] == profile.HAS
    assert marks.loc["Midway or progress reviews", "Beta Borough"] == profile.LACKS
    assert marks.loc["Case-file audits", "Beta Borough"] == profile.HAS
    # CP chair: Alphaton did not answer the section.
    cp = profile.has_lacks([alphaton, beta], "qa", "cp_chair").set_index("Activity")
    assert cp.loc["Dispute resolution or escalation", "Alphaton"] == profile.NOT_ANSWERED


def test_differences_in_words(june):
    alphaton, beta, _ = june
    lines = profile.differences([alphaton, beta], ["iro"])
    assert lines[0] == "Models differ: Alphaton: combined; Beta Borough: separate."
    assert "IRO caseloads – Alphaton: 55 children; Beta Borough: up to 60 cases (a cap)." in lines
    assert "IRO QA activities: only Beta Borough reports Case-file audits." in lines


# ---------------------------------------------------------------------------
# Whole views: what a reader sees


@pytest.fixture(scope="module")
def sel(ds, june):
    return Selection(returns=tuple(june), rounds=ds.rounds, description="Round: fake June")


def test_overview_view_figures_and_essentials(sel):
    view = overview.build(sel)
    figures = {f.label: f.value for f in view.figures()}
    assert figures["Authorities"] == "3"
    assert (figures["Combined role"], figures["Separate roles"], figures["Model not stated"]) == (
        "1",
        "1",
        "1",
    )
    assert figures["Median IRO caseload (children or cases)"] == "67.5"  # Beta Borough's cap is not counted
    median = next(f for f in view.figures() if f.label == "Median IRO caseload (children or cases)")
    assert "A cap, not counted: Beta Borough." in median.caption
    essentials = view.tables()[0].frame.set_index("Authority")
    assert essentials.loc["Alphaton", "IRO caseload"] == "55 children"
    assert essentials.loc["Alphaton", f"IRO against the {IRO_BAND.range_text} band"] == "within"
    assert essentials.loc["Gamma City", f"IRO against the {IRO_BAND.range_text} band"] == "above"
    assert essentials.loc["Beta Borough", "CP chair caseload"] == "20–30 families"
    assert (
        essentials.loc["Beta Borough", f"IRO against the {IRO_BAND.range_text} band"] == "a cap, not judged"
    )
    assert "1 within, 1 above, 0 below, 1 a cap (not judged)" in view.words()[0]
    assert list(view.sheets()) == ["Essentials", "Returns"]


def test_caseloads_view_has_chart_words_and_table_per_role(sel):
    view = caseloads.build(sel, sort="authority")
    iro = next(s for s in view.sections if s.heading == "IRO caseloads")
    assert len(iro.charts) == 1 and iro.charts[0].alt == iro.text
    assert "range from 55 to 80 across 2 authorities" in iro.text
    table = iro.tables[0].frame
    assert list(table["Authority"]) == ["Alphaton", "Beta Borough", "Gamma City"]
    cp = next(s for s in view.sections if s.heading == "CP chair caseloads")
    assert len(cp.charts) == 2  # children or cases, and families apart
    assert "families" in cp.charts[1].title
    assert set(view.sheets()) == {"IRO caseloads", "CP chair caseloads"}


def test_a_dual_roles_stated_parts_are_a_mixed_caseload_their_sum_never_judged():
    from models.returns import AuthorityReturn

    ret = AuthorityReturn.model_validate(
        {
            "authority": "Splitham",
            "round": "fake-june",
            "combined_role": True,
            "iro": {
                "caseload": {
                    "text": "30-40 CP plans / 38-45 in care",
                    "low": 68,
                    "high": 85,
                    "unit": "children",
                    "population": "mixed",
                    "parts": [
                        {
                            "label": "children on CP plans",
                            "low": 30,
                            "high": 40,
                            "population": "child_protection",
                        },
                        {"label": "children in care", "low": 38, "high": 45, "population": "looked_after"},
                    ],
                }
            },
            "provenance": {"source": "synthetic"},
        }
    )
    mixed = AuthorityReturn.model_validate(
        {
            "authority": "Mixford",
            "round": "fake-june",
            "combined_role": True,
            "iro": {
                "caseload": {
                    "text": "45-60",
                    "low": 45,
                    "high": 60,
                    "unit": "children",
                    "population": "mixed",
                }
            },
            "provenance": {"source": "synthetic"},
        }
    )
    frame = caseloads.caseload_frame([ret, mixed], "iro").set_index("Authority")
    split = frame.loc["Splitham"]
    assert (split["Low"], split["High"], split["Figure"]) == (68, 85, 76.5)
    assert split["Group"] == caseload.MIXED
    assert split["Against the band"] == "not comparable (mixed)"
    assert split["Label"] == "Splitham – sum of stated parts"
    assert split["Read as"] == (
        "68–85 children (the sum of the stated parts: 30–40 children on CP plans; 38–45 children in care)"
    )
    assert split["Parts"] == "30–40 children on CP plans; 38–45 children in care"
    assert frame.loc["Mixford", "Group"] == caseload.MIXED
    assert frame.loc["Mixford", "Against the band"] == "not comparable (mixed)"
    medians = {m.group: m.median for m in caseload.caseload_medians([ret, mixed], "iro")}
    assert medians == {caseload.MIXED: (76.5 + 52.5) / 2}


def test_qa_view_grid_prevalence_and_matrix(sel):
    view = coded.build(sel, taxonomy="qa")
    iro = next(s for s in view.sections if s.heading and s.heading.startswith("IRO"))
    assert [c.key for c in iro.charts] == ["prevalence_qa_iro", "grid_qa_iro"]
    matrix = next(t.frame for t in iro.tables if t.key == "matrix_qa_iro").set_index("Authority")
    assert matrix.loc["Alphaton", "Midway or progress reviews"] == "✓ Yes"
    assert matrix.loc["Beta Borough", "Midway or progress reviews"] == "— No"
    counts = next(t.frame for t in iro.tables if t.key == "prevalence_table_qa_iro").set_index("Activity")
    assert counts.loc["Midway or progress reviews", "Authorities reporting it"] == "1 of 3"
    assert "Reported by none:" in iro.text
    impact = coded.build(sel, taxonomy="impact")
    assert impact.sections[1].heading == "IRO: how impact is evidenced"


def test_qa_detail_and_clicked_cell(sel):
    matrix = coded.marked_matrix(sel.returns, "qa", "iro")
    assert coded.picked_cell(matrix, "qa", {"row": 0, "column": "Midway or progress reviews"}) == (
        "Alphaton",
        "Midway or progress reviews",
    )
    for bad in (
        {"row": 0, "column": "Authority"},
        {"row": 99, "column": "Panels"},
        ("x",),
        None,
        {"row": "0"},
    ):
        assert coded.picked_cell(matrix, "qa", bad) == (None, None)
    section = coded.detail(sel, taxonomy="qa", role="iro", label="Midway or progress reviews")
    assert section.intro == "Midway or progress reviews: 1 of 3 authorities report it."
    assert section.blocks[0].text == "Officers hold a midway review for every child."
    assert section.bullets == ("Does not report it: Beta Borough, Gamma City",)


def test_combined_view_groups(sel):
    view = combined.build(sel)
    groups = dict(view.sections[0].blocks[0].items)
    assert groups == {
        "Combined (1 authority)": "Alphaton",
        "Separate (1 authority)": "Beta Borough",
        "Not stated (1 authority)": "Gamma City",
    }


def test_profile_view_one_and_several(sel):
    assert profile.build(sel).empty.startswith("Choose an authority")
    one = profile.build(sel, chosen=("Alphaton",))
    assert one.title == "Return of Alphaton"
    passages = [b for s in one.sections for b in s.blocks]
    assert any(p.heading == "Expectations of role" and "check the plan" in p.text for p in passages)
    two = profile.build(sel, chosen=("Alphaton", "Beta Borough", "Nowhere"))
    assert two.sections[0].bullets[0] == "Models differ: Alphaton: combined; Beta Borough: separate."
    assert "Authorities: Alphaton, Beta Borough" in two.filters


def test_search_view(sel):
    assert search.build(sel).empty == search.PROMPT
    found = search.build(sel, query="midway")
    assert found.sections[0].intro.startswith("1 answer from 1 authority")
    assert found.sections[1].heading == "Alphaton"
    assert found.sections[1].blocks[0].marks == ("midway",)
    none = search.build(sel, query="zzzz")
    assert none.empty.startswith("No answer contains 'zzzz'")
    assert "Search: midway" in found.filters


def test_band_text_is_the_same_on_page_chart_workbook_and_guidance(sel):
    """The IRO Handbook band is declared once: every place shows the same words."""
    import io
    import json

    import openpyxl

    from exports.workbooks import full_workbook

    page = caseloads.build(sel).sections[1]
    assert IRO_BAND.label in page.intro
    spec = json.dumps(page.charts[0].chart.to_dict(), ensure_ascii=False)
    assert IRO_BAND.label in spec
    guide = guidance.build()
    assert guide.sections[0].intro == f"{IRO_BAND.text}."
    assert any(IRO_BAND.label in n for n in guide.sections[0].notes)
    wb = openpyxl.load_workbook(io.BytesIO(full_workbook(list(sel.returns), sel.rounds)))
    about = " ".join(str(c.value) for row in wb["About"].iter_rows() for c in row if c.value)
    assert IRO_BAND.sentence in about


def test_the_grid_of_ticks_is_left_out_beyond_forty_authorities(ds):
    """A grid of a whole country is wider than any screen or page: the table says the same."""
    from tools.synthetic import synthetic_dataset

    big = synthetic_dataset(45, 1)
    sel = Selection(returns=tuple(big.returns), rounds=big.rounds)
    iro = coded.build(sel, taxonomy="qa").sections[1]
    assert [c.key for c in iro.charts] == ["prevalence_qa_iro"]
    assert any("up to 40 authorities" in n for n in iro.notes)
    assert any(t.key == "matrix_qa_iro" for t in iro.tables)
