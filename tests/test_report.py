"""How we compare: one authority's report for its board, on a page and in Word (and through LibreOffice)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docx import Document

from models.returns import AuthorityReturn
from store.loading import load_survey_data
from views import report
from views.base import Selection

ROOT = Path(__file__).resolve().parent.parent
ROUND = "seslip-qa-june"
COMMENT = "Kent is the largest county in England; its number of children looked after follows its size."


@pytest.fixture(scope="module")
def ds():
    return load_survey_data()


@pytest.fixture(scope="module")
def june(ds):
    out = []
    for r in ds.returns:
        if r.round != ROUND:
            continue
        if r.authority == "Kent":
            data = r.model_dump(mode="json")
            data["commentaries"] = [
                {
                    "measure": "official.LACnum",
                    "label": "Children looked after",
                    "text": COMMENT,
                    "round": ROUND,
                }
            ]
            r = AuthorityReturn.model_validate(data)
        out.append(r)
    return out


@pytest.fixture(scope="module")
def kent(ds, june):
    return report.build(Selection(returns=tuple(june), rounds=ds.rounds), authority="Kent")


def _section(view, heading):
    return next(s for s in view.sections if s.heading == heading)


def test_every_measure_with_its_medians_rank_quarter_and_direction(kent):
    table = _section(kent, "Each figure against the group, our neighbours and England").tables[0].frame
    rows = table.set_index("Measure")
    assert len(rows) >= 11 and rows["Group median"].ne("").all()
    lac = rows.loc["Children looked after"]
    assert (lac["Kent"], lac["Group median"], lac["England"]) == ("1,896", "495", "81,770")
    assert (
        lac["Rank in group (1 = highest)"] == "1 of 9"
        and lac["Quarter of the group"] == "1st quarter (highest)"
    )
    assert (
        lac["Neighbours' median"].endswith("(of 10)") and lac["Rank in England"] == "2 of 151 (1st quarter)"
    )
    icpc = rows.loc["ICPCs within 15 days (%)"]
    assert (
        icpc["Which way is good"] == "high is good"
        and icpc["Quarter of the group"] == "1st quarter (best quarter)"
    )
    # A caseload is set against the IRO Handbook band, never called good or bad.
    assert rows.loc["IRO caseload", "Which way is good"] == "set against the IRO Handbook band"
    assert rows.loc["IRO caseload", "England"] == ""
    band = _section(kent, "Caseloads against the band and the group").bullets[0]
    assert band.startswith("IRO caseload: 65 cases; against the IRO Handbook band of 50–70: within")


def test_a_peer_practice_is_quoted_with_its_authority(kent):
    practices = _section(kent, "What most of the group does that we do not report").blocks
    assert practices, "nothing most of the group reports is missing from Kent's return"
    first = practices[0]
    assert first.quote and first.caption.startswith("From ") and first.caption.endswith("'s return:")
    peer = first.caption.removeprefix("From ").removesuffix("'s return:")
    assert peer != "Kent" and first.text


def test_the_commentary_box_shows_the_leads_words_beside_the_flagged_figure(kent):
    flags = _section(kent, "Flagged figures and our commentary").tables[0].frame.set_index("Measure")
    assert flags.loc["Children looked after", "Commentary"] == COMMENT
    assert flags.loc["Children looked after", "Fifth of the group"] == "▲ highest fifth"
    assert flags.loc["Children looked after", "Written"] == "for this round"


def test_change_since_the_last_return():
    fake = load_survey_data(ROOT / "tests" / "fake_data" / "changes")
    later = [r for r in fake.returns if r.round == "fake-2026"]
    earlier = [r for r in fake.returns if r.round == "fake-2025"]
    name = later[0].authority
    view = report.build(Selection(returns=tuple(later), rounds=fake.rounds), authority=name, previous=earlier)
    change = _section(view, "Change since our last return")
    assert change.tables and not change.tables[0].frame.empty


@pytest.fixture(scope="module")
def docx_bytes(ds, june):
    return report.build_report(june, ds.rounds, "Kent")


def test_the_word_report_holds_the_figures_the_quote_and_the_commentary(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    assert doc.paragraphs[0].text == "How Kent compares" and doc.paragraphs[0].style.name == "Title"
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {"1,896", "81,770", COMMENT, "▲ highest fifth"} <= cells
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "From Hampshire's return:" in text or "From " in text
    assert "sidebar" not in text.casefold() and "choose the authority above" not in text.casefold()


def test_cli_report_writes_the_document_and_names_an_unknown_authority(tmp_path, capsys):
    from tests.support.cli import run_cli

    db = ["--database-url", f"sqlite:///{tmp_path / 'r.db'}", "--data", str(ROOT / "survey_data")]
    out = tmp_path / "kent.docx"
    result = run_cli(capsys, "report", "kent", "--round", ROUND, "--out", out, *db)
    assert result.code == 0 and "how Kent compares" in result.out
    assert Document(str(out)).paragraphs[0].text == "How Kent compares"
    result = run_cli(capsys, "report", "Nowhere", "--round", ROUND, "--out", tmp_path / "x.docx", *db)
    assert result.code == 2 and "There is no return for 'Nowhere'" in result.err  # errors on standard error
    assert not (tmp_path / "x.docx").exists()


def test_the_page_from_the_link():
    from tests.test_compare_pages import all_text, open_page

    at = open_page("report", report="kent")
    assert not at.exception
    assert "How Kent compares" in [h.value for h in at.header]
    text = all_text(at)
    assert "Each figure against the group, our neighbours and England" in text
    assert "Or from the shell: .venv/bin/python cli.py report" in text.replace("`", "")


def test_libreoffice_prints_kents_report_with_every_measure(docx_bytes, tmp_path):
    """Kent's report for the June round, printed to PDF: every measure with its median, rank and quarter;
    a peer quoted with its authority; the lead's commentary; no figure broken; A4."""
    import libreoffice_check as lo

    if lo.soffice() is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed.")
        pytest.skip("LibreOffice (soffice) is not installed")
    path = tmp_path / "kent-report.docx"
    path.write_bytes(docx_bytes)
    facts = [*lo.REPORT_FACTS, COMMENT]
    assert lo.check_pack_pdf(path, tmp_path, ["Kent", "Hampshire"], facts, most_pages=12, what="report") == []
