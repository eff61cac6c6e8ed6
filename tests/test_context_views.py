"""Official figures on the pages, without Streamlit, on the real returns and the real extract:
the figures a reader relies on (Kent's 1,896 children looked after beside the South East and
England, its implied 29 IROs), the neighbour filter, the flags, and the workbook's Context sheet."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analysis import filters as flt
from exports.workbooks import full_workbook, view_workbook
from official.context import NO_FIGURES_NOT_NAMED
from official.register import OGL_ATTRIBUTION
from store.loading import load_survey_data
from views import caseloads, overview, profile
from views import context as vctx
from views.base import Selection

UNNAMED = "Unnamed authority (Briefing 6)"


@pytest.fixture(scope="module")
def ds():
    return load_survey_data()


@pytest.fixture(scope="module")
def sel(ds):
    returns = flt.Filters(round_id="seslip-qa-june").apply(ds)
    return Selection(returns=tuple(returns), rounds=ds.rounds)


@pytest.fixture(scope="module")
def everything(ds):
    returns = flt.Filters(round_id="seslip-qa-june", include_published=True).apply(ds)
    return Selection(
        returns=tuple(returns), rounds=ds.rounds, published_rounds=frozenset(flt.published_rounds(ds))
    )


def ret_of(ds, name):
    return next(r for r in ds.returns if r.authority == name)


# ---------------------------------------------------------------------------
# The context card


def test_kents_card_shows_1896_children_looked_after_in_2025_beside_region_and_england():
    card = vctx.card_section("Kent")
    figures = {f.label: f for f in card.figures}
    lac = figures["Children looked after"]
    assert lac.value == "1,896"
    assert "at 31 March 2025" in lac.caption
    assert "South East: 11,050" in lac.caption and "England: 81,770" in lac.caption
    assert figures["Children on CP plans"].value == "1,150"
    assert "England: 49,420" in figures["Children on CP plans"].caption
    table = card.tables[0].frame.set_index("Measure")
    row = table.loc["Number of Children looked after"]
    assert (row["Kent"], row["South East"], row["England"], row["When"]) == (
        "1,896",
        "11,050",
        "81,770",
        "at 31 March 2025",
    )
    assert OGL_ATTRIBUTION in card.notes


def test_the_quarter_is_the_right_way_round_for_the_measures_polarity():
    table = vctx.card_section("Kent").tables[0].frame.set_index("Measure")
    # Kent's social workers hold more cases than most: high figure, and low is good.
    social = table.loc["Average number of cases per children and family social worker (based on FTE counts)"]
    assert social["Quarter"] == "highest quarter (low is good: worst quarter)"
    assert social["Rank (1 = highest)"].endswith("of 151")
    reviewed = table.loc["% of child protection plans reviewed within the required timescales"]
    assert reviewed["Quarter"] == "highest quarter (high is good: best quarter)"


def test_the_trend_has_its_table_and_words():
    card = vctx.card_section("Kent")
    assert len(card.charts) == 1 and card.charts[0].alt == card.text
    assert "Kent: 70 in 2016 and 53 in 2025" in card.text
    assert "England: 60 in 2016 and 67 in 2025" in card.text
    trend = card.tables[1].frame.set_index("Year")
    assert trend.loc["2025", "Kent"] == 53 and trend.loc["2025", "England"] == 67
    card.charts[0].chart.to_dict()  # a chart Vega-Lite can draw


def test_the_unnamed_briefing_has_no_official_figures():
    card = vctx.card_section(UNNAMED)
    assert card.empty == NO_FIGURES_NOT_NAMED == "no official figures: the authority is not named"
    assert not card.figures and not card.tables


def test_a_new_authority_says_where_its_series_breaks():
    card = vctx.card_section("Cumberland")
    assert any(
        n.startswith("The series breaks: Cumberland began on 1 April 2023, replacing Cumbria")
        for n in card.notes
    )


def test_a_figure_that_is_not_published_says_so_and_is_never_0():
    table = vctx.card_section("Slough").tables[0].frame.set_index("Measure")
    cell = table.loc["Child Protection Plans lasting 2 years or more as at 31 March", "Slough"]
    assert cell == "not available (not published (shown as '-' in LAIT))"
    assert "0" not in cell


# ---------------------------------------------------------------------------
# Implied workforce and flags


def test_kents_caseload_of_65_implies_about_29_iros(ds):
    section = vctx.implied_section(ret_of(ds, "Kent"))
    line = section.bullets[0]
    assert line.startswith("Implied full-time IROs: about 29.2 ")
    assert "1,896 children looked after at 31 March 2025 ÷ caseload 65" in line
    table = section.tables[0].frame.set_index("Role")
    assert table.loc["IRO", "Implied FTE"] == "29.2"


def test_the_unnamed_briefing_states_ftes_but_has_no_official_figures(ds):
    section = vctx.implied_section(ret_of(ds, UNNAMED))
    assert section.empty == NO_FIGURES_NOT_NAMED


def test_the_overview_lists_the_flags_of_the_returns_shown(sel):
    view = overview.build(sel)
    flags = next(s for s in view.sections if s.heading == "Plausibility flags")
    authorities = set(flags.tables[0].frame["Authority"])
    assert authorities == {"Hampshire", "Southampton", "Windsor and Maidenhead"}
    assert any(
        b.startswith(
            "Southampton: The role is reported as combined, but the IRO caseload (65) and the CP "
            "chair caseload (94) differ"
        )
        for b in flags.bullets
    )
    assert OGL_ATTRIBUTION in view.notes
    assert "Plausibility flags" in view.sheets()


def test_no_flags_says_so(ds):
    kent = Selection(returns=(ret_of(ds, "Kent"),), rounds=ds.rounds)
    flags = next(s for s in overview.build(kent).sections if s.heading == "Plausibility flags")
    assert flags.bullets == ("No plausibility flags for the 1 return shown.",)


# ---------------------------------------------------------------------------
# Profile and caseloads


def test_one_authority_profile_has_its_card_implied_workforce_and_flags(sel):
    view = profile.build(sel, chosen=("Hampshire",))
    headings = [s.heading for s in view.sections]
    assert headings[1:4] == ["Official figures: Hampshire", "Implied workforce", "Plausibility flags"]
    assert {"Official figures", "Implied workforce", "Plausibility flags"} <= set(view.sheets())
    assert OGL_ATTRIBUTION in view.notes


def test_the_unnamed_profile_says_it_has_no_official_figures(everything):
    name = next(n for n in profile.choices(everything) if n.startswith("Unnamed"))
    view = profile.build(everything, chosen=(name,))
    card = view.sections[1]
    assert card.empty == NO_FIGURES_NOT_NAMED


def test_caseloads_beside_the_rate_per_10000(sel):
    plain = caseloads.build(sel)
    assert not any("official rate" in (s.heading or "") for s in plain.sections)
    view = caseloads.build(sel, context=True)
    iro = next(s for s in view.sections if s.heading == "IRO caseload beside the official rate")
    table = iro.tables[0].frame.set_index("Authority")
    assert (table.loc["Kent", "Caseload compared"], table.loc["Kent", "Rate per 10,000"]) == (65, 53)
    assert table.loc["Kent", "Year"] == "2025"
    assert "Kent: caseload 65 (children or cases), 53 per 10,000 in 2025" in iro.text
    assert iro.charts[0].alt == iro.text
    cp = next(s for s in view.sections if s.heading == "CP chair caseload beside the official rate")
    assert cp.tables[0].frame.set_index("Authority").loc["Kent", "Rate per 10,000"] == 32.4
    assert OGL_ATTRIBUTION in view.notes
    assert "IRO caseload and rate" in view.sheets()


def test_an_authority_without_figures_has_no_rate_and_says_why():
    frame = pd.DataFrame(
        {
            "Authority": [UNNAMED, "Kent"],
            "Label": [UNNAMED, "Kent"],
            "Figure": [40.0, 65.0],
            "Group": ["children or cases", "children or cases"],
        }
    )
    data = vctx.rate_frame(frame, "iro").set_index("Authority")
    unnamed = data.loc["an authority (not named)"]
    assert unnamed["Why no rate"] == NO_FIGURES_NOT_NAMED
    assert pd.isna(unnamed["Rate per 10,000"])
    assert "No rate: an authority (not named) (no official figures: the authority is not named)." in (
        vctx.rate_text(data.reset_index(), "iro")
    )


# ---------------------------------------------------------------------------
# Statistical neighbours filter


def test_medways_neighbours_include_kent(ds):
    filters, notes = flt.from_query_params({"neighbours": "medway"}, ds)
    assert notes == [] and filters.neighbours_of == "Medway"
    assert [r.authority for r in filters.apply(ds)] == ["Kent", "Medway"]
    assert "Medway and its statistical neighbours" in filters.describe(ds)
    assert flt.to_query_params(filters, ds) == {"round": "seslip-qa-june", "neighbours": "medway"}


def test_the_neighbour_note_says_who_has_a_return_and_who_does_not(ds):
    filters = flt.Filters(round_id="seslip-qa-june", neighbours_of="Medway")
    note = flt.neighbour_coverage(filters, ds)
    assert "Medway has a return in the round" in note
    assert "Neighbours with a return in the round: Kent (Good)." in note  # with its latest Ofsted grade
    without = note.split("Without one: ")[1]
    assert "Dudley" in without and "Kent" not in without
    with_published = flt.neighbour_coverage(flt.Filters(neighbours_of="Medway", include_published=True), ds)
    assert (
        "with a return in the round: Dudley (Requires improvement to be good), Kent (Good)." in with_published
    )


def test_an_unknown_neighbour_in_the_link_is_ignored_with_a_note(ds):
    filters, notes = flt.from_query_params({"neighbours": "atlantis"}, ds)
    assert filters.neighbours_of is None
    assert notes == [
        "The link asks for the statistical neighbours of 'atlantis', which is not an English authority "
        "in the register; ignored."
    ]


def test_neighbours_and_the_authority_filter_together_keep_only_both(ds):
    filters = flt.Filters(round_id="seslip-qa-june", neighbours_of="Medway", authorities=("Kent", "Surrey"))
    assert [r.authority for r in filters.apply(ds)] == ["Kent"]


# ---------------------------------------------------------------------------
# Workbooks


def test_the_full_workbooks_context_sheet_has_kents_figures_and_the_licence(sel):
    data = full_workbook(list(sel.returns), sel.rounds)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(wb["Context"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    by_name = {r[header.index("Authority")]: dict(zip(header, r, strict=True)) for r in body}
    assert len(body) == len(sel.returns)
    kent = by_name["Kent"]
    assert kent["Children looked after"] == 1896 and kent["Children looked after: year"] == "2025"
    assert kent["Children on CP plans"] == 1150
    assert kent["Implied FTE IROs"] == 29.2
    assert "1,896 children looked after at 31 March 2025 ÷ caseload 65" in kent["Implied FTE IROs: from"]
    assert "Combined role with two different caseloads" in by_name["Southampton"]["Flags"]
    assert "combined_role_different_figures" not in by_name["Southampton"]["Flags"]  # labels, never codes
    about = "\n".join(str(c) for row in wb["About"].iter_rows(values_only=True) for c in row if c)
    assert OGL_ATTRIBUTION in about
    assert "Context:" in about


def test_a_view_workbook_states_the_licence_on_its_about_sheet(sel):
    view = profile.build(sel, chosen=("Kent",))
    data = view_workbook(view.title, list(view.filters), view.sheets(), notes=view.notes)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    about = "\n".join(str(c) for row in wb["About"].iter_rows(values_only=True) for c in row if c)
    assert OGL_ATTRIBUTION in about
    figures = list(wb["Official figures"].iter_rows(values_only=True))
    assert figures[1][:5] == (
        "Number of Children looked after",
        "at 31 March 2025",
        "1,896",
        "11,050",
        "81,770",
    )


def test_a_crowded_label_goes_to_the_left_so_names_do_not_overlap():
    from views.charts import _label_sides

    data = pd.DataFrame({"x": [68.0, 70.0, 41.5], "y": [72.0, 71.0, 53.0]})  # Medway, Brighton and Hove, …
    assert _label_sides(data, "x", "y") == ["left", "right", "right"]
