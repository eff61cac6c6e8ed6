"""The exception table ("tartan rug"): fifths that respect polarity, flags marked by a symbol and a word,
commentaries behind a click; on a page, in the workbook and in the pack."""

from __future__ import annotations

import io

import openpyxl
import pytest

from analysis import exceptions as ex
from models.returns import AuthorityReturn
from store.loading import load_survey_data
from views import exceptions as view_mod
from views.base import Selection


@pytest.mark.parametrize(("values", "polarity", "expected"), ex.FIFTH_CASES)
def test_fifths(values, polarity, expected):
    assert ex.fifths(values, polarity) == expected


@pytest.mark.parametrize(
    ("code", "fifth", "expected"),
    [(code, f, want) for code, r in ex.FLAG_RULES.items() for f, want in r.cases],
)
def test_flag_rules(code, fifth, expected):
    assert ex.FLAG_RULES[code].check(fifth) is expected


@pytest.mark.parametrize(
    ("fifth", "polarity", "expected"),
    [
        (1, "-", ("▲", "highest fifth")),
        (5, "-", ("▼", "lowest fifth")),
        (1, "High", ("▲", "best fifth")),
        (5, "Low", ("▼", "worst fifth")),
        (3, "High", ("", "3rd fifth")),
        (None, "-", ("", "")),
    ],
)
def test_fifth_words_give_a_symbol_and_a_word_at_the_ends(fifth, polarity, expected):
    assert ex.fifth_words(fifth, polarity) == expected


@pytest.fixture(scope="module")
def ds():
    return load_survey_data()


@pytest.fixture(scope="module")
def june(ds):
    return [r for r in ds.returns if r.round == "seslip-qa-june"]


@pytest.fixture(scope="module")
def table(june):
    return ex.exception_table(june)


def _cell(table, authority, label):
    row = table.names.index(authority)
    col = [m.label for m in table.measures].index(label)
    return table.cells[row][col]


def test_kents_children_looked_after_is_whole_and_in_the_top_fifth(table):
    cell = _cell(table, "Kent", "Children looked after")
    assert cell.text == "1,896\n▲ highest fifth"
    assert cell.fill == "high" and cell.flag is ex.FLAG_RULES["top_fifth"]


def test_a_low_is_good_measure_puts_the_lowest_figures_first(table):
    # CP plans lasting 2 years or more: low is good. Windsor and Maidenhead's 0 is the best.
    assert _cell(table, "Windsor and Maidenhead", "CP plans lasting 2+ years (%)").words == "best fifth"
    assert _cell(table, "West Berkshire", "CP plans lasting 2+ years (%)").words == "worst fifth"


def test_caps_mixed_caseloads_and_families_are_shown_never_ranked(table):
    wm = _cell(table, "Windsor and Maidenhead", "IRO caseload")
    assert wm.fifth is None and wm.text == "up to 50 (cap)\nnot ranked"
    wb = _cell(table, "West Berkshire", "IRO caseload")
    assert wb.fifth is None and wb.text.startswith("68–85 (mixed)")
    assert _cell(table, "Hampshire", "CP chair caseload").fifth is None


def test_every_flag_is_marked_by_a_symbol_and_a_word_not_colour_alone(table):
    for f in table.flagged():
        assert f.cell.symbol in (ex.TOP, ex.BOTTOM)
        assert f.cell.text.endswith(("highest fifth", "lowest fifth", "best fifth", "worst fifth"))


def _with_commentary(ret: AuthorityReturn, measure: str, text: str, round_id: str) -> AuthorityReturn:
    data = ret.model_dump(mode="json")
    data["commentaries"] = [
        {"measure": measure, "label": "Children looked after", "text": text, "round": round_id}
    ]
    return AuthorityReturn.model_validate(data)


def test_a_click_on_a_flagged_cell_reads_the_leads_commentary(ds, june):
    returns = [
        _with_commentary(r, "official.LACnum", "Kent is the largest county: its numbers follow.", r.round)
        if r.authority == "Kent"
        else r
        for r in june
    ]
    sel = Selection(returns=tuple(returns), rounds=ds.rounds)
    row = [r.authority for r in returns].index("Kent")
    detail = view_mod.cell_commentary(sel, row, "Children looked after")
    assert detail.blocks[0].text == "Kent is the largest county: its numbers follow."
    assert detail.blocks[0].caption is None  # written for this round
    view = view_mod.build(sel)
    section = next(s for s in view.sections if s.heading == "Commentaries on flagged figures")
    assert section.blocks[0].heading == "Kent: Children looked after, 1,896 (highest fifth)"


def test_last_years_commentary_is_marked_until_changed(ds, june):
    kent = next(r for r in june if r.authority == "Kent")
    later = _with_commentary(kent, "official.LACnum", "Written last year.", "published-service-descriptions")
    returns = [later if r.authority == "Kent" else r for r in june]
    sel = Selection(returns=tuple(returns), rounds=ds.rounds)
    detail = view_mod.cell_commentary(
        sel, [r.authority for r in returns].index("Kent"), "Children looked after"
    )
    assert detail.blocks[0].caption.startswith("Last year's commentary, written for ")


def test_the_page_shows_the_table_with_its_marks():
    from tests.test_compare_pages import all_text, open_page

    at = open_page("exceptions")
    assert not at.exception
    assert "Click a cell of the table" in all_text(at)
    frame = at.dataframe[0].value
    frame = getattr(frame, "data", frame)  # a styled table
    assert "Authority" in frame.columns and any("fifth" in str(v) for v in frame.iloc[0])


def test_the_full_workbook_has_the_exception_table_with_fills_and_notes(ds, june):
    from exports.workbooks import full_workbook

    returns = [
        _with_commentary(r, "official.LACnum", "Our numbers follow our size.", r.round)
        if r.authority == "Kent"
        else r
        for r in june
    ]
    wb = openpyxl.load_workbook(io.BytesIO(full_workbook(returns, ds.rounds)))
    ws = wb["Exception table"]
    header = [c.value for c in ws[1]]
    kent_row = next(row for row in ws.iter_rows(min_row=2) if row[0].value == "Kent")
    cell = kent_row[header.index("Children looked after")]
    assert cell.value == "1,896\n▲ highest fifth"
    assert cell.fill.fgColor.rgb.endswith("DDEBF7")
    assert "Our numbers follow our size." in cell.comment.text
