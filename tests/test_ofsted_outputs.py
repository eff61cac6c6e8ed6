"""Ofsted's inspections in what members take away: the full workbook's Inspection sheets and the meeting pack."""

from __future__ import annotations

import datetime as dt
import io
import os

import openpyxl
import pytest
from docx import Document

from exports.workbooks import full_workbook
from official import ofsted as o
from store.loading import load_survey_data
from tests.test_ofsted_build import inspector_names, name_pattern, needs_shared
from views.pack import build_pack

ROUND = "seslip-qa-june"


@pytest.fixture(scope="module")
def dataset():
    return load_survey_data()


@pytest.fixture(scope="module")
def june(dataset):
    return [r for r in dataset.returns if r.round == ROUND]


@pytest.fixture(scope="module")
def workbook(june, dataset):
    return openpyxl.load_workbook(io.BytesIO(full_workbook(june, dataset.rounds)))


def rows(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], r, strict=True)) for r in values[1:]]


def test_the_workbook_has_an_inspection_sheet_with_each_authoritys_grades(workbook):
    assert workbook.sheetnames[-2:] == ["Inspection", "Inspection passages"]
    by_name = {r["Authority"]: r for r in rows(workbook["Inspection"])}
    assert len(by_name) == 9
    kent = by_name["Kent"]
    assert kent["Overall effectiveness"] == "Good"
    assert kent["Care leavers"] == "Requires improvement to be good"
    assert kent["Inspection"] == "Short inspection, 3 to 7 November 2025, published 2 February 2026"
    assert kent["Published"] == dt.datetime(2026, 2, 2)
    assert kent["Report address"] == "https://files.ofsted.gov.uk/v1/file/50294428"
    assert kent["Report quoted"] == "Earlier inspection (9 to 20 May 2022), published 5 July 2022"
    assert kent["Passages"] == 2
    assert (
        by_name["Medway"]["Report quoted"]
        == "This inspection (17 to 28 July 2023), published 11 September 2023"
    )


def test_the_workbook_quotes_each_passage_with_its_paragraph_and_report(workbook):
    passages = rows(workbook["Inspection passages"])
    kent = [r for r in passages if r["Authority"] == "Kent"]
    assert [r["Paragraph"] for r in kent] == [19, 21]
    assert "IROs lead high-quality reviews" in kent[1]["Passage"]
    assert kent[1]["Report published"] == dt.datetime(2022, 7, 5)
    assert kent[1]["Of the inspection graded"] == "No: an earlier one"
    about = " ".join(str(c) for row in workbook["About"].iter_rows(values_only=True) for c in row if c)
    assert o.OFSTED_ATTRIBUTION in about
    assert "never a verdict on the authority's IRO or child protection chair service" in about


def test_a_passage_that_looks_like_a_formula_stays_text(dataset, monkeypatch, tmp_path):
    import shutil

    for name in (o.JUDGEMENTS_FILE, o.PASSAGES_FILE):
        shutil.copy(o.REFERENCE_DIR / name, tmp_path / name)
    path = tmp_path / o.PASSAGES_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"Children’s review meetings explore',
            '"=HYPERLINK(""http://x"",""y"") \x07Children’s review meetings explore',
        ),
        encoding="utf-8",
    )
    data = o.load_ofsted(tmp_path)
    monkeypatch.setattr(o, "load_ofsted", lambda directory=None: data)
    kent = [r for r in dataset.returns if r.round == ROUND and r.authority == "Kent"]
    wb = openpyxl.load_workbook(io.BytesIO(full_workbook(kent, dataset.rounds)))
    (_, second) = rows(wb["Inspection passages"])
    assert second["Passage"].startswith('=HYPERLINK("http://x","y") ')
    assert "\x07" not in second["Passage"] and "Children’s review meetings explore" in second["Passage"]
    assert wb["Inspection passages"]["C3"].data_type == "s"  # text, never a formula


@pytest.fixture(scope="module")
def pack(june, dataset):
    two = [r for r in june if r.authority in ("Kent", "Medway")]
    return build_pack(
        two, dataset.rounds, ROUND, generated_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), appendix=True
    )


def test_the_pack_has_the_grades_in_its_headline_table_and_the_passages_on_kents_page(pack):
    doc = Document(io.BytesIO(pack))
    headline = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Ofsted overall effectiveness")
    grades = {row.cells[0].text: row.cells[-1].text for row in headline.rows[1:]}
    assert grades == {"Kent": "Good", "Medway": "Good"}
    paragraphs = [p.text for p in doc.paragraphs]
    at = paragraphs.index("Inspection: Kent")
    kent_page = paragraphs[at : paragraphs.index("Inspection: Medway")]
    assert (
        "Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022), published 5 July 2022"
        in kent_page
    )
    quote = next(p for p in doc.paragraphs[at:] if p.text.startswith("Children’s review meetings explore"))
    assert quote.style.name == "Quote"
    assert any(p == o.NOT_A_VERDICT for p in kent_page)
    assert (
        "Ofsted's report of this inspection (published 2 February 2026): https://files.ofsted.gov.uk/v1/file/50294428"
        in kent_page
    )
    assert o.OFSTED_ATTRIBUTION in paragraphs


@needs_shared
def test_no_lead_inspectors_name_is_in_the_workbook_or_the_pack(pack, dataset):
    pattern = name_pattern(inspector_names())
    doc = Document(io.BytesIO(pack))
    text = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    assert not pattern.search(text)
    every = full_workbook(list(dataset.returns), dataset.rounds)
    wb = openpyxl.load_workbook(io.BytesIO(every))
    cells = " ".join(
        str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c is not None
    )
    assert "Inspection passages" in wb.sheetnames and not pattern.search(cells)


def test_libreoffice_prints_kents_inspection_card_on_its_page_of_the_appendix(pack, tmp_path):
    """The appendix pack printed to PDF (LibreOffice Writer): A4, the card, paragraph 21, the licence."""
    import libreoffice_check

    if libreoffice_check.soffice() is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed.")
        pytest.skip("LibreOffice (soffice) is not installed")
    docx = tmp_path / "pack.docx"
    docx.write_bytes(pack)
    facts = [
        "Inspection: Kent",
        "Short inspection, 3 to 7 November 2025, published 2 February 2026",
        "Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022), published 5 July 2022",
        "IROs lead high-quality reviews which, with their robust oversight",
        "Inspection: Medway",
        o.OFSTED_ATTRIBUTION,
    ]
    assert libreoffice_check.check_pack_pdf(docx, tmp_path, ["Kent", "Medway"], facts, most_pages=60) == []
