"""Official figures around a return: the LAIT extract, ranks, series breaks, implied workforce, neighbours."""

from __future__ import annotations

import csv
import json
import shutil

import pandas as pd
import pytest

from models.returns import Caseload
from official.build import common as rb
from official.build.context import build_context
from official.context import (
    NO_FIGURES_NOT_NAMED,
    authority_context,
    implied_workforce,
    load_context,
    neighbours,
    neighbours_with_returns,
)
from store.loading import load_survey_data
from tests.support.cli import run_cli

REF = rb.REFERENCE_DIR
needs_shared = pytest.mark.skipif(not rb.DEFAULT_LAIT.is_file(), reason="no ../shared/reference")


@pytest.fixture(scope="module")
def ctx():
    return load_context()


@pytest.fixture(scope="module")
def data():
    return load_survey_data()


def kent(data):
    return data.get("seslip-qa-june", "Kent").model_copy(deep=True)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    result = run_cli(capsys, *argv)
    return result.code, result.out, result.err


# -- the extract ------------------------------------------------------------------------------------


@needs_shared
def test_building_from_the_shared_files_reproduces_the_committed_extract_byte_for_byte():
    files = build_context()
    assert set(files) == {"context.csv", "not_available.csv", "measures.csv", "neighbours.csv"}
    for name, text in files.items():
        assert text == (REF / name).read_text(encoding="utf-8"), name


def test_the_extract_stays_small():
    total = sum(
        (REF / n).stat().st_size
        for n in ("context.csv", "not_available.csv", "measures.csv", "neighbours.csv")
    )
    assert total < 400_000


def test_kent_and_england_2025_figures(ctx):
    assert ctx.figure("886", "LACnum", "2025").value == 1896
    assert ctx.figure("886", "CPP_Num", "2025").value == 1150
    assert ctx.figure("970", "LACnum", "2025").value == 81770
    assert ctx.figure("970", "CPP_Num", "2025").value == 49420


def test_suppressed_figures_are_not_available_with_a_reason_never_zero(ctx):
    city = ctx.figure("201", "LACnum", "2025")  # City of London: '-' in LAIT
    assert city.value is None and not city.available
    assert city.reason == "not published (shown as '-' in LAIT)"
    cumberland = ctx.figure("942", "LACnum", "2023")
    assert cumberland.value is None and cumberland.reason == "the authority did not exist on that date"
    # Every reason in not_available.csv matches an empty cell of context.csv, never a 0.
    with open(REF / "context.csv", encoding="utf-8") as fh:
        cells = {(r["dfe_code"], r["measure"]): r for r in csv.DictReader(fh)}
    with open(REF / "not_available.csv", encoding="utf-8") as fh:
        missing = list(csv.DictReader(fh))
    assert len(missing) > 1000
    assert all(cells[(m["dfe_code"], m["measure"])][m["year"]] == "" for m in missing)


def test_measures_keep_name_unit_polarity_source_and_year_label(ctx):
    m = ctx.measures["CPPlans2yrsActive"]
    assert (m.polarity, m.unit) == ("Low", "% of children")
    assert m.source.startswith("https://explore-education-statistics.service.gov.uk/")
    assert ctx.measures["LACnum"].when("2025") == "at 31 March 2025"
    assert ctx.measures["Work_Force_NoSW"].when("2025") == "at 30 September 2025"
    assert ctx.measures["CPP_Reviewed_pct"].polarity == "High"


def test_the_percentage_reviewed_in_time_is_derived(ctx):
    # Kent 2025: 800 of 808 plans reviewed in time.
    assert ctx.figure("886", "CPP_Reviewed_pct", "2025").value == round(100 * 800 / 808, 1) == 99.0


def test_the_context_is_read_once_per_process():
    assert load_context() is load_context()


# -- an authority's card ------------------------------------------------------------------------------


def test_kents_card_has_latest_figures_with_region_england_rank_and_trend(ctx):
    card = authority_context(ctx, "Kent")
    lac = card.measure("LACnum")
    assert (lac.year, lac.value, lac.region_value, lac.england_value) == ("2025", 1896, 11050, 81770)
    assert lac.rank.rank == 2 and 140 <= lac.rank.of <= 153
    assert [f.year for f in lac.series][:2] == ["2016", "2017"] and lac.series[-1].value == 1896
    assert card.breaks == []


def test_the_quartile_is_the_right_way_round_for_the_polarity(ctx):
    card = authority_context(ctx, "Kent")
    # Kent's social workers' caseload (17) is among the highest; low is good.
    assert (
        card.measure("Work_Force_AvgNumCase_SW").rank.label == "highest quarter (low is good: worst quarter)"
    )
    assert card.measure("CPP_Reviewed_pct").rank.label == "highest quarter (high is good: best quarter)"
    assert card.measure("LACnum").rank.label == "highest quarter"  # no polarity: no judgement


def test_series_breaks_are_said_for_merged_and_recoded_authorities(ctx):
    cumberland = authority_context(ctx, "Cumberland")
    assert cumberland.measure("LACnum").series[0].year == "2024"  # years under its own code only
    assert cumberland.breaks[0].startswith(
        "The series breaks: Cumberland began on 1 April 2023, replacing Cumbria."
    )
    assert "Its figures start in 2024" in cumberland.breaks[0]
    north = authority_context(ctx, "North Northamptonshire").breaks
    assert "began on 1 April 2021, replacing Northamptonshire" in north[0] and "start in 2022" in north[0]
    barnsley = authority_context(ctx, "Barnsley").breaks
    assert barnsley == [
        "Barnsley's ONS code changed on 1 May 2025 (E08000016 → E08000038); the DfE figures continue "
        "under code 370, so the series does not break."
    ]
    assert authority_context(ctx, "Sheffield").measure("LACnum").series[0].year == "2016"


def test_an_unnamed_authority_has_no_official_figures(ctx):
    card = authority_context(ctx, "Unnamed authority (Briefing 6)")
    assert not card.available and card.measures == []
    assert card.message == NO_FIGURES_NOT_NAMED == "no official figures: the authority is not named"


# -- implied workforce ----------------------------------------------------------------------------------


def test_kents_caseload_of_65_implies_about_29_iros(ctx, data):
    w = implied_workforce(data.get("seslip-qa-june", "Kent"), ctx)
    assert w.iro.fte == 29.2 and round(w.iro.fte) == 29
    assert (w.iro.official_value, w.iro.midpoint) == (1896, 65)
    assert w.iro.official == "children looked after at 31 March 2025"
    assert w.cp_chair.fte == round(1150 / 64, 1)


def test_a_range_uses_the_midpoint_and_shows_the_range(ctx, data):
    ret = kent(data)
    ret.iro.caseload = Caseload(text="60-70", low=60, high=70, unit="children", population="looked_after")
    w = implied_workforce(ret, ctx).iro
    assert (w.fte, w.fte_low, w.fte_high) == (29.2, round(1896 / 70, 1), round(1896 / 60, 1))
    assert any("A range" in n for n in w.notes)


def test_never_from_families_and_says_so_for_mixed_and_up_to(ctx, data):
    hampshire = implied_workforce(data.get("seslip-qa-june", "Hampshire"), ctx).cp_chair
    assert hampshire.fte is None and "counts families" in hampshire.reason
    surrey = implied_workforce(data.get("seslip-qa-june", "Surrey"), ctx).iro
    assert surrey.fte is not None and any("mixed caseload" in n for n in surrey.notes)
    windsor = implied_workforce(data.get("seslip-qa-june", "Windsor and Maidenhead"), ctx).iro
    assert any("'up to 50'" in n and "fewest" in n for n in windsor.notes)


def test_a_stated_fte_gives_the_implied_caseload_the_other_way_round(ctx, data):
    ret = kent(data)
    ret.workforce.iro_fte = 24
    assert implied_workforce(ret, ctx).iro.implied_caseload == round(1896 / 24, 1)


def test_the_unnamed_briefing_keeps_its_stated_fte_but_has_no_official_figures(ctx, data):
    ret = data.get("published-service-descriptions", "Unnamed authority (Briefing 6)")
    w = implied_workforce(ret, ctx)
    assert (w.iro.stated_fte, w.cp_chair.stated_fte) == (7.5, 4)
    assert w.iro.implied_caseload is None and w.iro.reason == NO_FIGURES_NOT_NAMED


# -- statistical neighbours -----------------------------------------------------------------------------


def test_medways_statistical_neighbours_include_kent_and_dudley(ctx):
    ns = neighbours(ctx, "Medway")
    assert len(ns) == 10
    names = [n.name for n in ns]
    assert "Kent" in names and "Dudley" in names
    assert {n.band for n in ns} <= {"Extremely close", "Very close", "Close", "Somewhat close", "Not close"}
    assert ns[0].rank == 1


def test_which_neighbours_have_a_return(ctx, data):
    split = neighbours_with_returns(ctx, "Medway", data.returns)
    assert split["with_return"] == ["Dudley", "Kent"]
    assert len(split["without_return"]) == 8 and "Swindon" in split["without_return"]


# -- build errors and the CLI ----------------------------------------------------------------------------


def test_a_lait_file_with_the_wrong_columns_is_refused_and_the_extract_untouched(tmp_path, capsys):
    out = tmp_path / "ref"
    shutil.copytree(REF, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad = tmp_path / "lait.csv"
    pd.DataFrame({"Measure": ["LACnum"], "Year": ["2025"], "Value": ["1"]}).to_csv(bad, index=False)
    code, _, err = run(capsys, "context", "build", "--lait", str(bad), "--out", str(out))
    assert code == 1
    assert "Expected: Short Desc, Years, LA and Regions, Values, LA Number" in err
    assert "Nothing was written" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@needs_shared
def test_context_build_writes_the_extract(tmp_path, capsys):
    out = tmp_path / "ref"
    out.mkdir()
    shutil.copy(REF / "authorities.csv", out / "authorities.csv")
    code, text, _ = run(capsys, "context", "build", "--out", str(out))
    assert code == 0 and "context.csv" in text
    assert (out / "context.csv").read_bytes() == (REF / "context.csv").read_bytes()


def test_cli_context_json_shape(capsys):
    code, text, _ = run(capsys, "context", "Kent", "--format", "json")
    assert code == 0
    report = json.loads(text)
    lac = next(m for m in report["measures"] if m["id"] == "LACnum")
    assert {"id", "name", "year", "value", "region_value", "england_value"} <= set(lac)
    assert (lac["year"], lac["value"], lac["england_value"]) == ("2025", 1896, 81770)
    assert report["implied"]["iro"]["implied_fte"] == 29.2
    assert report["implied"]["iro"]["official_value"] == 1896
    assert report["flags"] == []
    assert len(report["neighbours"]) == 10 and set(report["neighbours"][0]) == {"name", "band"}
    assert "Open Government Licence" in report["attribution"]


def test_cli_context_table_and_unknown_authority(capsys):
    code, text, _ = run(capsys, "context", "Medway")
    assert code == 0
    assert "Implied full-time IROs:" in text and "Kent (very close)" in text
    assert "Open Government Licence v3.0" in text
    code, _, err = run(capsys, "context", "Atlantis")
    assert code == 2 and "'Atlantis' is not in the register" in err


def test_cli_context_for_the_unnamed_briefing(capsys):
    code, text, _ = run(capsys, "context", "Unnamed authority (Briefing 6)")
    assert code == 0
    assert "no official figures: the authority is not named" in text
    assert "Stated full-time IROs: 7.5" in text


@needs_shared
def test_every_code_for_a_missing_figure_becomes_not_available_with_its_reason(tmp_path):
    rows = [
        ("x", "2016"),
        ("c", "2017"),
        (".", "2018"),
        ("z", "2019"),
        ("", "2020"),
        ("-", "2021"),
        ("0", "2022"),
    ]
    lait = pd.DataFrame(
        [
            {
                "Short Desc": "LACnum",
                "Years": year,
                "LA and Regions": "Kent",
                "Values": value,
                "LA Number": "886",
            }
            for value, year in rows
        ]
    )
    path = tmp_path / "lait.csv"
    lait.to_csv(path, index=False)
    files = build_context(path)
    kent = next(r for r in csv.DictReader(files["context.csv"].splitlines()) if r["measure"] == "LACnum")
    assert [kent[y] for _, y in rows] == ["", "", "", "", "", "", "0"]  # only a published 0 is 0
    reasons = {r["year"]: r["reason"] for r in csv.DictReader(files["not_available.csv"].splitlines())}
    assert reasons == {
        "2016": "not available",
        "2017": "suppressed to protect confidentiality",
        "2018": "not applicable",
        "2019": "not applicable",
        "2020": "missing",
        "2021": "not published (shown as '-' in LAIT)",
    }


def test_context_rows_give_one_row_per_return_for_a_workbook(ctx, data):
    from official.context_table import context_rows

    rows = {r["Authority"]: r for r in context_rows(data.returns, ctx)}
    assert len(rows) == len(data.returns)
    kent = rows["Kent"]
    assert (kent["ONS code"], kent["Children looked after"], kent["Children looked after: year"]) == (
        "E10000016",
        1896,
        "2025",
    )
    assert kent["Implied FTE IROs"] == 29.2
    assert kent["Implied FTE IROs: from"] == "1,896 children looked after at 31 March 2025 ÷ caseload 65"
    surrey = rows["Surrey"]
    assert surrey["Implied FTE IROs: range"] == "26.4–35.3"
    assert "together, at 31 March 2025" in surrey["Implied FTE IROs: from"]
    unnamed = rows["an authority (not named)"]
    assert unnamed["Official figures"] == "no official figures: the authority is not named"
    assert unnamed["Children looked after"] is None and unnamed["Stated FTE IROs"] == 7.5
    assert "Combined role with two different caseloads: " in rows["Windsor and Maidenhead"]["Flags"]
    assert "combined_role_different_figures" not in rows["Windsor and Maidenhead"]["Flags"]
