"""``cli.py export``, ``template`` and ``import`` on a throwaway database seeded with synthetic data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from excel_helpers import ROW, assert_no_formulas_macros_or_links, fill, open_both

from store import Store, open_store
from store.access import issue_code
from tests.support.cli import run_cli

FAKE = Path(__file__).parent / "fake_data" / "good"
ROUND = "fake-round"


@pytest.fixture
def db(tmp_path) -> list[str]:
    """CLI options for a fresh SQLite database seeded from tests/fake_data/good."""
    return ["--database-url", f"sqlite:///{tmp_path / 'returns.db'}", "--data", str(FAKE)]


@pytest.fixture
def store(db) -> Store:
    s = open_store(db[1], FAKE)
    yield s
    s.dispose()


def run(capsys, *argv: str) -> tuple[int, str]:
    result = run_cli(capsys, *argv)
    return result.code, result.text


def test_export_writes_the_full_workbook_and_csvs(tmp_path, db, capsys):
    out = tmp_path / "out" / "returns.xlsx"
    code, text = run(capsys, "export", "--out", str(out), "--csv-dir", str(tmp_path / "csv"), *db)
    assert code == 0, text
    assert f"Wrote {out}" in text and "2 return(s)" in text
    wb = open_both(out.read_bytes())
    assert wb.sheetnames == [
        "About",
        "Summary",
        "QA matrix",
        "Impact evidence matrix",
        "Exception table",
        "Responses",
        "Context",
        "Versions",
    ]
    df = pd.read_excel(out, sheet_name="Summary")
    north = df[df["Authority"] == "Northshire"].iloc[0]
    assert (north["IRO high"], north["CP chair low"], north["CP chair high"]) == (60, 40, 50)
    versions = pd.read_excel(out, sheet_name="Versions")
    assert sorted(versions["Authority"]) == ["Northshire", "Southshire"]
    assert set(versions["Channel"]) == {"seed"}
    assert_no_formulas_macros_or_links(out.read_bytes())
    names = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert names == ["impact-matrix.csv", "qa-matrix.csv", "summary.csv"]
    rows = list(csv.reader(io.StringIO((tmp_path / "csv" / "summary.csv").read_text("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["Northshire", "Southshire"]


def test_export_a_selection_lists_the_filters(tmp_path, db, capsys):
    out = tmp_path / "one.xlsx"
    code, text = run(capsys, "export", "--out", str(out), "--round", ROUND, "--authority", "northshire", *db)
    assert code == 0, text
    df = pd.read_excel(out, sheet_name="Summary")
    assert list(df["Authority"]) == ["Northshire"]
    about = "\n".join(
        str(v) for row in open_both(out.read_bytes())["About"].iter_rows(values_only=True) for v in row if v
    )
    assert "Authorities: Northshire" in about and "Round: A synthetic round for tests" in about


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--round", "no-such-round"], "There is no round 'no-such-round'. Rounds: fake-round."),
        (["--authority", "Atlantis"], "No return for: Atlantis."),
    ],
)
def test_export_explains_a_wrong_selection(tmp_path, db, capsys, args, message):
    code, text = run(capsys, "export", "--out", str(tmp_path / "x.xlsx"), *args, *db)
    assert code == 2
    assert text.startswith(message)
    assert not (tmp_path / "x.xlsx").exists()


def test_template_prefilled_with_the_current_return(tmp_path, db, capsys):
    out = tmp_path / "northshire.xlsx"
    code, text = run(capsys, "template", "--out", str(out), "--authority", "NORTHSHIRE", *db)
    assert code == 0, text
    assert "pre-filled with version 1 of Northshire's return" in text
    answers = {r[0]: r[2] for r in open_both(out.read_bytes())["Return"].iter_rows(values_only=True)}
    assert answers["iro.caseload.text"] == "About 60 children"
    assert answers["cp_chair.caseload.high"] == 50


def test_empty_template(tmp_path, db, capsys):
    out = tmp_path / "blank.xlsx"
    code, text = run(capsys, "template", "--out", str(out), *db)
    assert code == 0, text
    assert "empty" in text
    answers = [r[2] for r in open_both(out.read_bytes())["Return"].iter_rows(min_row=2, values_only=True)]
    assert all(a is None for a in answers)


def _template(tmp_path, db, capsys, authority="Northshire") -> Path:
    out = tmp_path / f"{authority}.xlsx"
    assert run(capsys, "template", "--out", str(out), "--authority", authority, *db)[0] == 0
    return out


def test_import_round_trip_saves_a_new_version_with_identical_content(tmp_path, db, store, capsys):
    path = _template(tmp_path, db, capsys)
    code_word = issue_code(store, ROUND, "Northshire")
    before = store.current(ROUND, "Northshire")
    code, text = run(capsys, "import", str(path), "--authority", "Northshire", "--code", code_word, *db)
    assert code == 0, text
    assert "Saved version 2 of Northshire's return" in text and "the same as the previous version" in text
    after = store.current(ROUND, "Northshire")
    assert after.provenance.version == 2
    assert after.provenance.channel == "upload"
    assert after.provenance.submitted_by == "authority lead"
    assert after.model_dump(exclude={"provenance"}) == before.model_dump(exclude={"provenance"})


def test_import_a_change(tmp_path, db, store, capsys):
    path = _template(tmp_path, db, capsys)
    path.write_bytes(fill(path.read_bytes(), {"iro.caseload.low": 55, "iro.caseload.high": 62}))
    code_word = issue_code(store, ROUND, "Northshire")
    code, text = run(capsys, "import", str(path), "--authority", "Northshire", "--code", code_word, *db)
    assert code == 0, text
    cur = store.current(ROUND, "Northshire")
    assert (cur.iro.caseload.low, cur.iro.caseload.high) == (55, 62)
    history = store.history(ROUND, "Northshire")
    assert [h.channel for h in history] == ["seed", "upload"]


def test_import_with_problems_saves_nothing(tmp_path, db, store, capsys):
    path = _template(tmp_path, db, capsys)
    path.write_bytes(fill(path.read_bytes(), {"iro.caseload.low": "sixty"}))
    code_word = issue_code(store, ROUND, "Northshire")
    code, text = run(capsys, "import", str(path), "--authority", "Northshire", "--code", code_word, *db)
    assert code == 1
    assert "was not saved" in text
    assert (
        f"Row {ROW['iro.caseload.low']} (IRO role: Case holding: lowest figure): Write a whole number" in text
    )
    assert store.current_version(ROUND, "Northshire") == 1


def test_import_needs_the_right_code_and_is_throttled(tmp_path, db, store, capsys):
    path = _template(tmp_path, db, capsys)
    issue_code(store, ROUND, "Northshire")
    code, text = run(capsys, "import", str(path), "--authority", "Northshire", "--code", "WRONG", *db)
    assert code == 1
    assert "That code is not right for Northshire" in text and "Nothing was saved." in text
    for _ in range(4):
        run(capsys, "import", str(path), "--authority", "Northshire", "--code", "WRONG", *db)
    code, text = run(capsys, "import", str(path), "--authority", "Northshire", "--code", "WRONG", *db)
    assert code == 1 and "Too many wrong codes" in text
    assert store.current_version(ROUND, "Northshire") == 1


def test_import_without_a_code_issued(tmp_path, db, store, capsys):
    path = _template(tmp_path, db, capsys, "Southshire")
    code, text = run(capsys, "import", str(path), "--authority", "Southshire", "--code", "ANY", *db)
    assert code == 1
    assert "No access code has been issued to Southshire" in text


def test_import_into_a_closed_round(tmp_path, db, store, capsys):
    path = _template(tmp_path, db, capsys)
    code_word = issue_code(store, ROUND, "Northshire")
    store.set_round_open(ROUND, False)
    code, text = run(capsys, "import", str(path), "--authority", "Northshire", "--code", code_word, *db)
    assert code == 1
    assert "is closed" in text
    assert store.current_version(ROUND, "Northshire") == 1


def test_import_a_file_that_is_not_a_workbook(tmp_path, db, store, capsys):
    path = tmp_path / "answers.xlsx"
    path.write_text("this is not a workbook")
    code_word = issue_code(store, ROUND, "Northshire")
    code, text = run(capsys, "import", str(path), "--authority", "Northshire", "--code", code_word, *db)
    assert code == 1
    assert "This file is not an Excel workbook (.xlsx)." in text
    assert "Traceback" not in text


def test_import_a_missing_file(tmp_path, db, capsys):
    code, text = run(capsys, "import", str(tmp_path / "nope.xlsx"), "--authority", "X", "--code", "Y", *db)
    assert code == 2 and text.startswith("There is no file")


def test_import_reads_the_code_from_standard_input(tmp_path, db, store, capsys, monkeypatch):
    path = _template(tmp_path, db, capsys)
    code_word = issue_code(store, ROUND, "Northshire")
    monkeypatch.setattr("sys.stdin", io.StringIO(code_word + "\n"))
    code, text = run(capsys, "import", str(path), "--authority", "Northshire", *db)
    assert code == 0, text
    assert store.current_version(ROUND, "Northshire") == 2
