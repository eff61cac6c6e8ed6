"""Figures mean what they show: the pure reader, the form's boxes, the template import, words vs figures."""

from __future__ import annotations

import io
import math
import re
import zipfile
from decimal import Decimal

import pytest
from conftest import FAKE_ROUND, fake_return
from openpyxl import load_workbook

from exports.template_reader import read_template
from exports.template_writer import template_workbook
from models.numbers import read_whole_number
from store import open_store
from store.access import issue_code
from survey.submission import build_return, figure_mismatches, starting_answers
from tests.support.pages import open_page

WHOLE = "Write a whole number, for example 65"

# (what was typed or held in a cell, the figure read or the start of the message)
CASES = [
    (None, None),
    ("", None),
    ("   ", None),
    ("65", 65),
    (" 65 ", 65),
    ("0", 0),
    ("500", 500),
    ("007", 7),
    (65, 65),
    (65.0, 65),
    (Decimal("65"), 65),
    ("65.7", f"{WHOLE}, in the digits 0 to 9 only (you typed '65.7')."),
    (65.7, f"{WHOLE}, without decimals (you typed 65.7)."),
    ("1e3", f"{WHOLE}, in the digits 0 to 9 only (you typed '1e3')."),
    ("abc", f"{WHOLE}, in the digits 0 to 9 only (you typed 'abc')."),
    ("6o", f"{WHOLE}, in the digits 0 to 9 only (you typed '6o')."),
    ("6,5", f"{WHOLE}, in the digits 0 to 9 only (you typed '6,5')."),
    ("6 5", f"{WHOLE}, in the digits 0 to 9 only (you typed '6 5')."),
    ("6⁵", f"{WHOLE}, in the digits 0 to 9 only (you typed '6⁵')."),
    ("²", f"{WHOLE}, in the digits 0 to 9 only (you typed '²')."),
    ("٦٥", f"{WHOLE}, in the digits 0 to 9 only (you typed '٦٥')."),
    ("６５", f"{WHOLE}, in the digits 0 to 9 only (you typed '６５')."),
    ("+65", f"{WHOLE}, in the digits 0 to 9 only (you typed '+65')."),
    ("nan", f"{WHOLE}, in the digits 0 to 9 only (you typed 'nan')."),
    ("inf", f"{WHOLE}, in the digits 0 to 9 only (you typed 'inf')."),
    (float("nan"), f"{WHOLE} (this is not a number)."),
    (float("inf"), f"{WHOLE} (this is not a number)."),
    (-float("inf"), f"{WHOLE} (this is not a number)."),
    (Decimal("NaN"), f"{WHOLE} (this is not a number)."),
    ("-4", f"A caseload cannot be negative (you typed '-4'). {WHOLE}."),
    (-4, f"A caseload cannot be negative (you typed -4). {WHOLE}."),
    ("501", "501 is more than the largest figure accepted, 500. Check for a typing error."),
    ("9" * 3000, f"{WHOLE} (you typed a number 3,000 digits long)."),
    (10**3000, "a very long number is more than the largest figure accepted, 500. Check for a typing error."),
    (True, f"{WHOLE} (this cell holds TRUE)."),
    ("x" * 1000, f"{WHOLE}, in the digits 0 to 9 only (you typed '{'x' * 39}…')."),
]


@pytest.mark.parametrize(("value", "expected"), CASES, ids=[repr(v)[:20] for v, _ in CASES])
def test_the_reader_takes_only_plain_whole_numbers(value, expected):
    reading = read_whole_number(value)
    if expected is None or isinstance(expected, int):
        assert reading.ok, reading.problem
        assert reading.value == expected
    else:
        assert reading.value is None
        assert reading.problem == expected


# ---------------------------------------------------------------------------
# build_return: the one place the form and the import read figures.


def answers_with(**changes):
    values = starting_answers(fake_return())
    values.update({k.replace("__", "."): v for k, v in changes.items()})
    return values


def build(values, **kw):
    return build_return(values, authority="Northshire", round_id=FAKE_ROUND, **kw)


def test_an_emptied_box_is_no_figure_never_0():
    result = build(
        answers_with(iro__caseload__text="up to 50", iro__caseload__low="", iro__caseload__high="50")
    )
    assert result.ok, result.problems
    assert result.ret.iro.caseload.low is None
    assert result.ret.iro.caseload.high == 50


@pytest.mark.parametrize("typed", ["abc", "6o", "1e3", "65.7", "nan", "inf", "6,5"])
def test_anything_else_is_refused_naming_the_field(typed):
    result = build(answers_with(iro__caseload__low=typed))
    assert result.ret is None
    [problem] = result.problems
    assert problem.path == "iro.caseload.low"
    assert problem.question == "IRO role: Case holding: lowest figure"
    assert problem.message.startswith(WHOLE)


def test_nan_in_a_number_box_is_refused_not_crashed_on():
    result = build(answers_with(workforce__iro_fte=float("nan")))
    assert result.ret is None
    assert [(p.path, p.message) for p in result.problems] == [
        ("workforce.iro_fte", "Enter a number, for example 7.5.")
    ]


def test_a_lone_surrogate_is_refused_where_text_enters():
    result = build(answers_with(iro__impact="Audit \ud83d findings"))
    assert result.ret is None
    [problem] = result.problems
    assert problem.path == "iro.impact"
    assert "not valid text" in problem.message


# ---------------------------------------------------------------------------
# Words and figures agree, or the lead is asked.


def test_figures_that_contradict_the_words_are_named_with_both_readings():
    values = answers_with(
        iro__caseload__text="IRO average case load 65", iro__caseload__low=0, iro__caseload__high=60
    )
    [m] = figure_mismatches(values)
    assert m.prefix == "iro.caseload"
    assert m.text_reading == "65 cases"
    assert m.figures == "0–60"
    assert "the answer reads as 65 cases, but the figures say 0–60" in m.message
    # Figures that agree, no figure in the words, or no figures entered: nothing to ask.
    assert (
        figure_mismatches(
            answers_with(iro__caseload__text="65", iro__caseload__low=65, iro__caseload__high=65)
        )
        == []
    )
    assert figure_mismatches(answers_with(iro__caseload__text="It varies", iro__caseload__low=5)) == []
    assert (
        figure_mismatches(
            answers_with(iro__caseload__text="up to 50", iro__caseload__low=None, iro__caseload__high=50)
        )
        == []
    )


def test_a_confirmed_mismatch_is_recorded_in_the_provenance():
    values = answers_with(
        iro__caseload__text="IRO average case load 65", iro__caseload__low=0, iro__caseload__high=60
    )
    [m] = figure_mismatches(values)
    result = build(values, confirmed=[m.key])
    assert result.ok, result.problems
    assert result.ret.provenance.confirmed == ["iro.caseload: words 65 cases; figures 0–60"]
    assert build(answers_with()).ret.provenance.confirmed == []


# ---------------------------------------------------------------------------
# The template import.

ROUND = "fake-round"


def filled(cells: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(template_workbook(ROUND, "Northshire", fake_return())))
    ws = wb["Return"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in cells:
            row[2].value = cells[row[0].value]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row_of(path: str) -> int:
    wb = load_workbook(io.BytesIO(template_workbook(ROUND)))
    for row in wb["Return"].iter_rows(min_row=2):
        if row[0].value == path:
            return row[0].row
    raise KeyError(path)


def read(data: bytes):
    return read_template(data, round_id=ROUND, authority="Northshire", base=fake_return())


@pytest.mark.parametrize("cell", ["6,5", "65.5", 65.5, "٦٥", "6⁵", "²", "9" * 3000, "sixty"])
def test_the_import_takes_only_plain_whole_numbers(cell):
    result = read(filled({"iro.caseload.high": cell}))
    assert result.ret is None
    [problem] = result.problems
    assert str(problem).startswith(
        f"Row {row_of('iro.caseload.high')} (IRO role: Case holding: highest figure): {WHOLE}"
    )


def test_a_number_cell_thousands_of_digits_long_is_named_by_row(tmp_path):
    data = filled({"iro.caseload.high": 12345})
    data = _rewrite(
        data, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("<v>12345</v>", f"<v>{'9' * 5000}</v>")
    )
    result = read(data)
    assert result.ret is None
    assert [str(p) for p in result.problems] == [
        f"Row {row_of('iro.caseload.high')} (IRO role: Case holding: highest figure): {WHOLE} "
        "(you typed a number 5,000 digits long)."
    ]


def test_the_import_warns_when_words_and_figures_disagree():
    result = read(
        filled(
            {"iro.caseload.text": "IRO average case load 65", "iro.caseload.low": 0, "iro.caseload.high": 60}
        )
    )
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        f"Row {row_of('iro.caseload.text')} (IRO role: Case holding (please include average no. of cases)): "
        "the answer reads as 65 cases, but the figures say 0–60. Check the figures; if they are right, "
        "nothing needs to change."
    ]
    assert [m.key for m in result.mismatches] == ["iro.caseload: words 65 cases; figures 0–60"]


def _rewrite(data: bytes, name: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            blob = src.read(item.filename)
            if item.filename == name:
                blob = change(blob.decode("utf-8")).encode("utf-8")
            dst.writestr(item, blob)
    return out.getvalue()


def test_the_import_reads_rows_that_the_declared_size_hides():
    data = filled({"cp_chair.impact": "Hidden row answer"})
    last = row_of("cp_chair.impact")
    # Declare a sheet that ends above the row: Excel and LibreOffice still show it.
    data = _rewrite(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]+"', f'<dimension ref="A1:D{last - 1}"', xml),
    )
    assert (
        f'<dimension ref="A1:D{last - 1}"'
        in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    )
    result = read(data)
    assert result.ok, [str(p) for p in result.problems]
    assert result.ret.cp_chair.impact == "Hidden row answer"


def test_a_duplicate_field_row_is_refused_by_row_number():
    wb = load_workbook(io.BytesIO(filled({})))
    ws = wb["Return"]
    first = row_of("iro.impact")
    extra = ws.max_row + 1
    ws.cell(row=extra, column=1, value="iro.impact")
    ws.cell(row=extra, column=3, value="A second answer")
    buf = io.BytesIO()
    wb.save(buf)
    result = read(buf.getvalue())
    assert result.ret is None
    assert any(
        str(p).startswith(f"Row {extra} (") and f"also on row {first}" in str(p) for p in result.problems
    ), [str(p) for p in result.problems]


def test_the_instructions_say_what_a_figure_may_be():
    wb = load_workbook(io.BytesIO(template_workbook(ROUND)))
    text = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert "written with the digits 0 to 9 only, for example 65" in text
    assert "no decimals (65.5), no commas (6,5)" in text
    assert "an empty cell is never read as 0" in text


# ---------------------------------------------------------------------------
# The Submit page's boxes (AppTest, keys q:<path>).

QROUND = "seslip-qa-june"


@pytest.fixture
def unlocked(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = open_store(url)
    code = issue_code(store, QROUND, "Kent")
    at = open_page("submit").run()
    at.selectbox(key="sub_authority").set_value("Kent")
    at.text_input(key="sub_code").input(code)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    yield at, store
    store.dispose()


@pytest.mark.parametrize("typed", ["abc", "6o", "1e3", "65.7", "nan", "inf"])
def test_a_box_refuses_what_is_not_a_whole_number_and_keeps_it(unlocked, typed):
    at, store = unlocked
    at.text_input(key="q:iro.caseload.high").input(typed).run()
    assert not at.exception
    at.button(key="sub_preview").click().run()
    assert not at.exception
    messages = [e.value for e in at.error]
    assert any(m.startswith(f"IRO role: Case holding: highest figure: {WHOLE}") for m in messages), messages
    assert at.text_input(key="q:iro.caseload.high").value == typed
    assert [v.version for v in store.history(QROUND, "Kent")] == [1]


def test_an_emptied_box_saves_no_figure(unlocked):
    at, store = unlocked
    at.text_area(key="q:iro.caseload.text").input("IRO caseload up to 65").run()
    at.text_input(key="q:iro.caseload.low").input("").run()
    at.text_input(key="q:iro.caseload.high").input("65").run()
    at.button(key="sub_preview").click().run()
    at.button(key="sub_save").click().run()
    assert not at.exception
    saved = store.current(QROUND, "Kent")
    assert saved.provenance.version == 2
    assert saved.iro.caseload.low is None and saved.iro.caseload.high == 65


def test_nan_in_a_decimal_box_does_not_crash_the_page(unlocked):
    at, _ = unlocked
    boxes = [w for w in at.number_input if w.key == "q:workforce.iro_fte"]
    if not boxes:
        pytest.skip("the workforce questions are not on this form")
    boxes[0].set_value(math.nan).run()
    assert not at.exception
