"""Every writer cleans text at its own edge, tested with the same table of hostile strings
(``tests/support/hostile.py``): Word, Excel, CSV, chart images, HTML for print and the terminal.

What is stored is never changed; what is drawn for a person never breaks the file and never
hides or reorders text.
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import unicodedata

import openpyxl
import pandas as pd
import pytest
from docx import Document

from exports.csv_files import frame_to_csv
from exports.text import for_csv, for_excel, for_html, for_image, for_terminal, for_word
from tests.support.hostile import HARMLESS, HOSTILE, names

WHEN = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(("name", "stored", "shown", "terminal"), HOSTILE, ids=names(HOSTILE))
@pytest.mark.parametrize("writer", [for_word, for_excel, for_image], ids=lambda f: f.__name__)
def test_documents_show_a_mark_where_a_hostile_character_was(writer, name, stored, shown, terminal):
    assert writer(stored) == shown


@pytest.mark.parametrize(("name", "stored", "shown", "terminal"), HOSTILE, ids=names(HOSTILE))
def test_the_terminal_shows_each_hostile_character_as_its_escape(name, stored, shown, terminal):
    assert for_terminal(stored) == terminal
    assert for_terminal(stored, cell=True) == terminal


@pytest.mark.parametrize(("name", "text"), HARMLESS, ids=names(HARMLESS))
def test_ordinary_text_is_left_as_it_is(name, text):
    for writer in (for_word, for_excel, for_image, for_csv):
        assert writer(text) == text
    assert for_terminal(text) == text


def test_a_table_cell_in_the_terminal_stays_on_one_line():
    assert for_terminal("one\r\ntwo\tthree", cell=True) == "one\\ntwo\\tthree"
    assert for_terminal("one\r\ntwo") == "one\ntwo"


@pytest.mark.parametrize(
    ("stored", "cell"),
    [
        ('=HYPERLINK("http://example.org","x")', '\'=HYPERLINK("http://example.org","x")'),
        ("+1", "'+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2", "'-2"),
        ("\x1b=1", f"{chr(0xFFFD)}=1"),
        ("plain", "plain"),
    ],
)
def test_csv_cells_neutralise_formulas_and_mark_hostile_characters(stored, cell):
    assert for_csv(stored) == cell


def test_html_is_marked_then_escaped():
    assert for_html("<b>\ufffe</b>") == "&lt;b&gt;\ufffd&lt;/b&gt;"


# -- each writer, whole ---------------------------------------------------------------------------

STORED = [c[1] for c in HOSTILE]
SHOWN = [c[2] for c in HOSTILE]


def test_word_opens_and_shows_every_hostile_string_marked():
    from views.base import Section, Table, View
    from views.word import meeting_pack

    frame = pd.DataFrame({"Authority\ufffe": STORED, "n": range(len(STORED))})
    view = View(
        key="hostile",
        title="Hostile \uffff text",
        intro=" ".join(STORED),
        sections=(
            Section(heading="Part \x1b[2J", tables=(Table(key="t", caption="Cap\x00tion", frame=frame),)),
        ),
    )
    data = meeting_pack([view], round_title="Round \ufffe", group="Group \x85", generated_at=WHEN)
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Hostile \ufffd text" in text and "Round \ufffd" in text
    assert " ".join(SHOWN) in text
    assert "Part \ufffd[2J" in text and "Cap\ufffdtion" in text
    assert "Authority\ufffd" in cells
    assert [c for c in cells if c in SHOWN] == SHOWN


def test_excel_opens_and_shows_every_hostile_string_marked():
    from exports.workbooks import view_workbook

    frame = pd.DataFrame({"Answer": STORED})
    data = view_workbook("Title \x1b", ["Filter \ufffe"], {"Hostile\ufffe": frame}, generated_at=WHEN)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[wb.sheetnames[-1]]
    assert [ws.cell(row=i + 2, column=1).value for i in range(len(STORED))] == SHOWN
    about = [c.value for row in wb[wb.sheetnames[0]].iter_rows() for c in row if c.value]
    assert "Filter \ufffd" in " ".join(map(str, about))


def test_csv_reads_back_every_hostile_string_marked():
    rows = list(csv.reader(io.StringIO(frame_to_csv(pd.DataFrame({"Answer": STORED})).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == SHOWN


def test_html_for_print_parses_and_shows_every_hostile_string_marked():
    from ui.print import print_table_html

    found: list[str] = []

    class Cells(html.parser.HTMLParser):
        def handle_data(self, data: str) -> None:
            found.append(data)

    Cells().feed(print_table_html(pd.DataFrame({"Answer": STORED}), "Caption \ufffe"))
    assert found[0] == "Caption \ufffd"
    assert found[2:] == SHOWN


def test_a_chart_image_is_drawn_whatever_its_labels_hold():
    """vl-convert stops the whole process (not an exception) on a noncharacter, so this test would
    end the test run before the fix."""
    import altair as alt

    from views.base import Chart
    from views.images import chart_png, chart_svg, image_spec

    frame = pd.DataFrame({"authority": STORED, "n": range(1, len(STORED) + 1)})
    chart = Chart(
        key="hostile",
        title="Title \ufffe",
        chart=alt.Chart(frame).mark_bar().encode(x="n:Q", y="authority:N"),
        alt="Alt \uffff",
        source="Source \x1b",
    )
    assert chart_png(chart).startswith(b"\x89PNG")
    svg = chart_svg(chart).decode("utf-8")
    assert "Title \ufffd" in svg
    labels = [v["authority"] for d in image_spec(chart)["datasets"].values() for v in d]
    assert labels == SHOWN


def test_the_terminal_never_receives_a_control_character():
    for _, stored, _, _ in HOSTILE:
        out = for_terminal(stored)
        assert not [c for c in out if unicodedata.category(c) in ("Cc", "Cf", "Cn", "Cs")], out


# -- a stored return, whichever release stored it: every output still works --------------------------

JOINED = " | ".join(STORED)
JOINED_SHOWN = " | ".join(SHOWN)


def _hostile_data():
    from models.returns import AuthorityReturn, SurveyRound
    from tests.conftest import fake_return, fake_round

    data = fake_return("Northshire").model_dump(mode="json")
    data["authority_note"] = JOINED
    data["iro"]["expectations"] = JOINED
    data["cp_chair"]["impact"] = "\n".join(STORED)
    ret = AuthorityReturn.model_validate(data)
    other = fake_return("Southshire")
    rnd = SurveyRound.model_validate({**fake_round().model_dump(mode="json"), "title": "Round \ufffe\x1b[2J"})
    return [ret, other], {rnd.id: rnd}


def test_the_meeting_pack_is_built_from_a_stored_hostile_answer():
    from views.pack import build_pack

    returns, rounds = _hostile_data()
    doc = Document(io.BytesIO(build_pack(returns, rounds, "fake-round", generated_at=WHEN, appendix=True)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert JOINED_SHOWN in text
    assert "Round \ufffd\ufffd[2J" in text
    assert "\ufffe" not in text and "\x1b" not in text


def test_the_full_workbook_and_the_template_open_with_a_stored_hostile_answer():
    from exports.template_writer import template_workbook
    from exports.workbooks import full_workbook

    returns, rounds = _hostile_data()
    wb = openpyxl.load_workbook(io.BytesIO(full_workbook(returns, rounds, generated_at=WHEN)))
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert JOINED_SHOWN in values
    template = openpyxl.load_workbook(io.BytesIO(template_workbook("fake-round", current=returns[0])))
    answers = [c.value for row in template.worksheets[0].iter_rows() for c in row]
    assert JOINED_SHOWN in answers


def test_the_summary_csv_holds_a_stored_hostile_answer_marked():
    from exports.csv_files import summary_csv

    returns, rounds = _hostile_data()
    text = summary_csv(returns, rounds).decode("utf-8-sig")
    assert "\ufffe" not in text and "\x1b" not in text and "Northshire" in text


def test_the_submit_page_opens_a_return_whose_stored_answer_holds_a_noncharacter(tmp_path, monkeypatch):
    """A lead whose saved answer holds U+FFFE can still open, amend and download their return."""
    from store import open_store
    from store.access import issue_code
    from tests.support.pages import open_page, unlock_with_code

    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = open_store(url)
    kent = store.current("seslip-qa-june", "Kent")
    data = kent.model_dump(mode="json")
    data["iro"]["expectations"] = "Chairs reviews \ufffe and \uffff\x1b[2J."
    store.save(
        type(kent).model_validate(data), based_on=kent.provenance.version, channel="form", submitted_by="lead"
    )
    code = issue_code(store, "seslip-qa-june", "Kent")
    at = unlock_with_code(open_page("submit").run(), "Kent", code)
    assert not at.exception
    assert at.text_area(key="q:iro.expectations").value == "Chairs reviews \ufffe and \uffff\x1b[2J."
    store.dispose()
