"""The meeting pack (.docx), reopened with python-docx and printed to PDF by LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from docx import Document
from docx.oxml.ns import qn
from pack_helpers import AUTHORITIES, CASELOADS, LICENCE, authority_view, caseload_chart, caseload_view

from views.base import Section, View
from views.word import meeting_pack, pack_file_name

ROUND_TITLE = "A synthetic round for tests"
WHEN = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)


def build(**changes) -> bytes:
    args = {
        "round_title": ROUND_TITLE,
        "group": "Synthetic sub-group",
        "generated_at": WHEN,
        "filters": ["Round: A synthetic round for tests"],
        "appendix": [authority_view(a, c) for a, c in zip(AUTHORITIES, CASELOADS, strict=True)],
        "method": ["Caseloads are shown as reported."],
    }
    args.update(changes)
    views = args.pop("views", [caseload_view()])
    return meeting_pack(views, **args)


@pytest.fixture(scope="module")
def pack() -> bytes:
    return build()


@pytest.fixture(scope="module")
def doc(pack):
    return Document(io.BytesIO(pack))


def _headings(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_title_page_names_the_group_round_date_and_filters(doc):
    text = [p.text for p in doc.paragraphs[:8]]
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.paragraphs[0].text == "Synthetic sub-group: meeting pack"
    assert f"Round: {ROUND_TITLE}" in text
    assert "Date: 4 March 2026" in text
    assert "Round: A synthetic round for tests" in text  # the filter in force


def test_headings_use_word_heading_styles_for_the_navigation_pane(doc):
    heads = _headings(doc)
    assert ("Heading 1", "Caseloads") in heads
    assert ("Heading 2", "IRO caseloads") in heads
    assert ("Heading 3", "IRO caseloads by authority") in heads  # a table's caption
    assert ("Heading 1", "Appendix: each authority's answers in full") in heads
    for name in AUTHORITIES:
        assert ("Heading 2", name) in heads
    assert heads[-1] == ("Heading 1", "Sources and method")


def test_contents_is_a_word_field_that_also_lists_the_parts(doc):
    body = doc.element.body
    instr = [el.text for el in body.iter(qn("w:instrText"))]
    assert any(t.strip().startswith("TOC") for t in instr)
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Contents")
    listed = texts[start + 1 : start + 9]
    assert listed[:2] == ["Caseloads", "IRO caseloads"]
    assert "Northshire" in listed and "Sources and method" in listed


def test_one_picture_per_chart_each_with_alt_text(doc):
    assert len(doc.inline_shapes) == 1
    doc_pr = doc.inline_shapes[0]._inline.docPr
    assert doc_pr.get("descr") == caseload_chart().alt
    assert doc_pr.get("title") == "IRO caseloads by authority"


def test_pictures_count_every_chart_of_every_view(pack):
    two = View(
        key="x",
        title="More",
        sections=(Section(heading="Two charts", charts=(caseload_chart("a"), caseload_chart("b"))),),
    )
    again = Document(io.BytesIO(build(views=[caseload_view(), two])))
    assert len(again.inline_shapes) == 3


def test_tables_repeat_their_header_row_on_every_page(doc):
    assert len(doc.tables) == 1 + len(AUTHORITIES)
    for table in doc.tables:
        first = table.rows[0]._tr
        flag = first.find(qn("w:trPr")).find(qn("w:tblHeader"))
        assert flag is not None and flag.get(qn("w:val")) in ("true", "1")
        assert all(r.bold for c in table.rows[0].cells for r in c.paragraphs[0].runs)
        for row in table.rows[1:]:
            trpr = row._tr.find(qn("w:trPr"))
            assert trpr is None or trpr.find(qn("w:tblHeader")) is None


def test_table_cells_say_what_the_view_says(doc):
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["Authority", "Model", "IRO caseload", "Against the band"]
    assert ["Northshire", "Separate", "65", "within"] in rows


def test_answers_are_plain_text_never_interpreted(doc):
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "Northshire chairs every review. =1+1 stays as typed. <b>not bold</b>" in cells


def test_text_alternative_and_notes_and_licence_are_there(doc):
    texts = [p.text for p in doc.paragraphs]
    assert "In words: Northshire's IROs look after 65 children each, within the band of 50 to 70." in texts
    end = texts[
        texts.index("Sources and method", texts.index("Appendix: each authority's answers in full")) :
    ]
    assert "Caseloads are shown as reported." in end
    assert LICENCE in end


def test_each_authority_starts_a_new_page(doc):
    starts = [p for p in doc.paragraphs if p.style.name == "Heading 2" and p.text in AUTHORITIES[1:]]
    assert len(starts) == len(AUTHORITIES) - 1
    assert all(p.paragraph_format.page_break_before for p in starts)


def test_control_characters_in_answers_do_not_break_the_document():
    hostile = authority_view("Northshire\x07", 65)
    data = build(appendix=[hostile])
    # The bell is shown as the replacement mark (exports.text.for_word), never written raw.
    assert "Northshire\ufffd" in [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_file_name():
    assert pack_file_name("seslip-qa-june", WHEN) == "meeting-pack-seslip-qa-june-2026-03-04.docx"


def test_libreoffice_prints_the_pack_with_a_readers_facts(pack, tmp_path):
    """Printed to PDF (LibreOffice Writer): A4, every authority named, the figures and the round."""
    import libreoffice_check

    if libreoffice_check.soffice() is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed.")
        pytest.skip("LibreOffice (soffice) is not installed")
    docx = tmp_path / "pack.docx"
    docx.write_bytes(pack)
    assert (
        libreoffice_check.check_pack_pdf(docx, tmp_path, AUTHORITIES, ["65", "50", "70", ROUND_TITLE]) == []
    )


def test_the_libreoffice_check_finds_a_word_broken_by_a_narrow_column(tmp_path):
    """The check that no table word is broken in the printed pack can fail: a column 400 twips wide
    (the old official-figures table) prints 'Hampshire' and '1,896' in pieces, and both are named."""
    import libreoffice_check
    from docx import Document
    from docx.shared import Twips

    if libreoffice_check.soffice() is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed.")
        pytest.skip("LibreOffice (soffice) is not installed")
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    for column, cell, text in zip(table.columns, table.rows[0].cells, ("Hampshire", "1,896"), strict=True):
        column.width = cell.width = Twips(400)
        cell.text = text
    docx = tmp_path / "narrow.docx"
    doc.save(docx)
    (pdf,) = libreoffice_check.convert_to_pdf([docx], tmp_path)
    text = libreoffice_check.pdf_text(pdf)
    assert libreoffice_check.broken_words(docx, text) == ["1,896", "Hampshire"]
    assert libreoffice_check.broken_numbers(docx, text) == ["1,896"]


def test_a_wide_table_gets_landscape_pages_of_its_own():
    import pandas as pd

    from views.base import Table

    wide = pd.DataFrame({f"Activity {i}": ["Yes"] for i in range(12)})
    view = View(
        key="m", title="Matrix", sections=(Section(heading="QA", tables=(Table("m", "Matrix", wide),)),)
    )
    doc = Document(io.BytesIO(build(views=[view], appendix=[])))
    orient = [s.orientation for s in doc.sections]
    assert [str(o) for o in orient].count("LANDSCAPE (1)") == 1, orient
    assert str(orient[-1]) == "PORTRAIT (0)"
    assert all(s.footer.paragraphs[0].text.startswith(ROUND_TITLE) for s in doc.sections)


def test_cli_pack_writes_a_document_naming_each_authority(tmp_path, capsys):
    from pathlib import Path

    from tests.support.cli import run_cli

    fake = Path(__file__).parent / "fake_data" / "good"
    out = tmp_path / "pack.docx"
    db = ["--database-url", f"sqlite:///{tmp_path / 'returns.db'}", "--data", str(fake)]
    result = run_cli(capsys, "pack", "--out", out, "--round", "fake-round", "--appendix", *db)
    text = result.text
    assert result.code == 0, text
    assert f"Wrote {out}" in text and "2 authorities" in text
    doc = Document(io.BytesIO(out.read_bytes()))
    heads = _headings(doc)
    assert ("Heading 2", "Northshire") in heads and ("Heading 2", "Southshire") in heads
    short = tmp_path / "short.docx"
    assert run_cli(capsys, "pack", "--out", short, "--round", "fake-round", *db).code == 0
    assert ("Heading 2", "Northshire") not in _headings(Document(io.BytesIO(short.read_bytes())))
    assert len(doc.inline_shapes) >= 2  # the caseload charts at least
    assert all(s._inline.docPr.get("descr") for s in doc.inline_shapes)


def test_cli_pack_names_an_unknown_authority(tmp_path, capsys):
    from pathlib import Path

    from tests.support.cli import run_cli

    fake = Path(__file__).parent / "fake_data" / "good"
    db = ["--database-url", f"sqlite:///{tmp_path / 'returns.db'}", "--data", str(fake)]
    result = run_cli(
        capsys, "pack", "--out", tmp_path / "p.docx", "--round", "fake-round", "--authority", "Nowhere", *db
    )
    assert result.code == 2
    assert "No return for: Nowhere" in result.err
    assert not (tmp_path / "p.docx").exists()


def test_the_pack_shows_change_since_the_last_round_where_there_is_one():
    """Two synthetic rounds of one group: the pack for the later one has a Change between rounds part."""
    import io
    from pathlib import Path

    from docx import Document

    from store.loading import load_survey_data
    from views.pack import build_pack

    ds = load_survey_data(Path(__file__).parent / "fake_data" / "changes")
    later = [r for r in ds.returns if r.round == "fake-2026"]
    earlier = [r for r in ds.returns if r.round == "fake-2025"]
    doc = Document(io.BytesIO(build_pack(later, ds.rounds, "fake-2026", previous=earlier)))
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Change between rounds") in heads
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Alphaton" in text
    without = Document(io.BytesIO(build_pack(later, ds.rounds, "fake-2026")))
    assert "Change between rounds" not in [p.text for p in without.paragraphs]


@pytest.fixture(scope="module")
def real_pack() -> Document:
    """The June round's short pack, from the real returns."""
    from pathlib import Path

    from store.loading import load_survey_data
    from views.pack import build_pack

    ds = load_survey_data(Path(__file__).resolve().parent.parent / "survey_data")
    june = [r for r in ds.returns if r.round == "seslip-qa-june"]
    return Document(io.BytesIO(build_pack(june, ds.rounds, "seslip-qa-june", generated_at=WHEN)))


def _all_text(doc) -> str:
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_short_pack_has_the_headline_table_and_no_answers_in_full(real_pack):
    heads = _headings(real_pack)
    assert ("Heading 1", "Overview") in heads and ("Heading 1", "Caseloads") in heads
    assert not any(text.startswith("Appendix") for _, text in heads)
    first_rows = [[c.text for c in t.rows[0].cells] for t in real_pack.tables]
    assert any(row[:2] == ["Authority", "Model"] for row in first_rows)  # each authority in brief


def test_the_pack_never_speaks_of_the_screen(real_pack):
    import libreoffice_check

    assert libreoffice_check.web_only_words(_all_text(real_pack)) == []
