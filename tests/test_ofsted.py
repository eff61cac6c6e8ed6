"""Ofsted's judgements and the inspectors' words, read from the committed extract (no ../shared needed)."""

from __future__ import annotations

import json
import shutil
import statistics

import pytest

from official import ofsted as o
from official.ofsted import CP, IRO, load_ofsted
from tests.support.cli import run_cli

REF = o.REFERENCE_DIR


@pytest.fixture(scope="module")
def data() -> o.OfstedData:
    return load_ofsted()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    result = run_cli(capsys, *argv)
    return result.code, result.out, result.err


def test_kent_shows_its_latest_grades_from_the_short_inspection_of_november_2025(data):
    kent = data.inspection("886")
    assert kent is data.inspection("E10000016")
    assert kent.name == "Kent"
    assert kent.grade("overall") == "Good"
    assert kent.framework == "short"
    assert kent.end.isoformat() == "2025-11-07"
    assert kent.published.isoformat() == "2026-02-02"
    assert kent.dates_text() == "Short inspection, 3 to 7 November 2025, published 2 February 2026"
    assert kent.report_url == "https://files.ofsted.gov.uk/v1/file/50294428"


def test_kents_passages_come_from_the_2022_report_labelled_as_the_earlier_inspection(data):
    kent = data.inspection("886")
    assert kent.text.relation == o.EARLIER
    assert kent.text.published.isoformat() == "2022-07-05"
    note = kent.text_note()
    assert "earlier inspection, published 5 July 2022 (inspection of 9 to 20 May 2022)" in note
    assert "not the latest judgement" in note
    passages = data.passages("886", IRO)
    assert [p.paragraph for p in passages] == [19, 21]
    p21 = passages[1]
    assert p21.text.startswith("Children’s review meetings explore children’s holistic needs")
    assert "IROs lead high-quality reviews which, with their robust oversight and scrutiny" in p21.text
    assert p21.report_published.isoformat() == "2022-07-05"
    assert p21.earlier_than_graded
    assert p21.reference == (
        "Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022), published 5 July 2022"
    )


def test_a_report_of_the_graded_inspection_is_not_called_earlier(data):
    medway = data.inspection("887")
    assert medway.text.relation == o.SAME
    assert medway.text_note().startswith(
        "The passages are from the report of this inspection, published 11 September 2023"
    )
    assert not any(p.earlier_than_graded for p in data.passages("887"))


def test_every_south_east_authority_has_its_grades(data):
    members = o.the_register().members("south-east")
    assert len(members) == 19
    for a in members:
        found = data.inspection(a.dfe_code)
        assert found is not None, a.name
        assert found.grade("overall") in o.GRADES, a.name
        for short, _, grade in found.judgements():
            assert grade in o.GRADES, (a.name, short)


def test_every_live_authority_has_a_row_and_a_gap_is_said_never_guessed(data):
    assert len(data.inspections) == 153
    words = {g for i in data.inspections.values() for g in i.grades.values()}
    assert words <= {*o.GRADES, *o.NOT_GRADES}
    brent = data.inspection("304")
    assert brent.grade("overall") == o.NOT_AVAILABLE
    assert brent.grade("in_care") == "Good"
    brighton = data.inspection("846")
    assert brighton.framework == "" and brighton.start is None
    assert brighton.dates_text() == (
        "Inspection (framework not available), 11 to 15 March 2024 (the dates printed on the report; not in "
        "Ofsted's overview), published 16 May 2024"
    )


def test_passages_per_authority(data):
    counts = [i.passage_count for i in data.inspections.values()]
    assert len(data.all_passages()) == sum(counts) == 411
    assert (min(counts), statistics.median(counts), max(counts)) == (0, 3, 7)
    for p in data.all_passages():
        assert p.topics and set(p.topics) <= {IRO, CP}
        assert p.paragraph >= 1 and p.text
    assert data.inspection("Isles of Scilly") is None  # codes only
    assert data.inspection("420").passage_count == 0


def test_the_extract_is_read_once_per_process_and_from_a_path_given(tmp_path, data):
    assert load_ofsted() is data
    for name in (o.JUDGEMENTS_FILE, o.PASSAGES_FILE):
        shutil.copy(REF / name, tmp_path / name)
    other = load_ofsted(tmp_path)
    assert other is not data
    assert other.inspection("886").grade("overall") == "Good"


def test_the_command_prints_kents_inspection_and_quotes_paragraph_21(capsys):
    code, out, _ = run(capsys, "ofsted", "Kent")
    assert code == 0
    assert (
        "Ofsted's latest inspection of children's services: Short inspection, 3 to 7 November 2025, published 2 February 2026."
        in out
    )
    assert "Overall effectiveness" in out and "Good" in out
    assert o.NOT_A_VERDICT.split(".")[0] in " ".join(out.split())
    assert (
        "Paragraph 21 of the report of the earlier inspection (9 to 20 May 2022), published 5 July 2022:"
        in out
    )
    assert (
        "Child protection conferences and their chairs\n  No paragraph of the report held speaks of this."
        in out
    )
    assert out.rstrip().endswith(o.OFSTED_ATTRIBUTION)


def test_the_command_gives_json_for_scripts(capsys):
    code, out, _ = run(capsys, "ofsted", "E10000016", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["grades"]["overall"] == "Good"
    assert report["published"] == "2026-02-02"
    assert report["report_text"] == {
        "published": "2022-07-05",
        "inspection_dates": "9 to 20 May 2022",
        "is": "earlier",
        "paragraphs": 53,
    }
    assert [p["paragraph"] for p in report["passages"]] == [19, 21]
    assert all(p["earlier_than_graded"] for p in report["passages"])
    assert report["attribution"] == o.OFSTED_ATTRIBUTION


def test_an_unknown_authority_is_a_plain_message(capsys):
    code, _out, err = run(capsys, "ofsted", "Atlantis")
    assert code == 2
    assert "'Atlantis' is not an English local authority in the register." in err


def test_control_characters_in_a_passage_are_shown_as_text_not_obeyed(capsys, tmp_path, monkeypatch):
    for name in (o.JUDGEMENTS_FILE, o.PASSAGES_FILE):
        shutil.copy(REF / name, tmp_path / name)
    odd = "IROs <b>bold</b> \x1b[2J\x1b[31mred\x07 \u202eevil \x9b1m"
    text = (tmp_path / o.PASSAGES_FILE).read_text(encoding="utf-8")
    head, *rows = text.splitlines(keepends=True)
    rows = [
        r.replace(
            "Children’s review meetings explore",
            odd.replace('"', '""') + " Children’s review meetings explore",
        )
        for r in rows
    ]
    (tmp_path / o.PASSAGES_FILE).write_text(head + "".join(rows), encoding="utf-8")
    monkeypatch.setattr(o, "load_ofsted", lambda directory=None: load_ofsted(tmp_path))
    code, out, _ = run(capsys, "ofsted", "Kent")
    assert code == 0
    flat = " ".join(out.split())
    assert "IROs <b>bold</b> \\x1b[2J\\x1b[31mred\\x07 \\u202eevil \\x9b1m" in flat
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\x9b" not in out
    code, out, _ = run(capsys, "ofsted", "Kent", "--format", "json")
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert json.loads(out)["passages"][1]["text"].startswith(odd)


def test_the_licence_line_and_the_verdict_wording_are_one_constant_each_and_in_the_readme():
    assert o.OFSTED_ATTRIBUTION.startswith(
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )
    assert "never a verdict on the authority's IRO or child protection chair service" in o.NOT_A_VERDICT
    readme = " ".join((REF / "README.md").read_text(encoding="utf-8").split())
    assert o.OFSTED_ATTRIBUTION in readme
