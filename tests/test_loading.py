"""Loading survey_data-format folders, and the validate/list commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from store.loading import load_return_file, load_survey_data, return_to_yaml
from tests.support.cli import run_cli

FAKE = Path(__file__).parent / "fake_data"


def test_good_folder_loads_every_return():
    ds = load_survey_data(FAKE / "good")
    assert ds.problems == []
    assert sorted(r.authority for r in ds.returns) == ["Northshire", "Southshire"]
    assert ds.rounds["fake-round"].title == "A synthetic round for tests"


def test_broken_files_are_named_and_the_others_still_load():
    ds = load_survey_data(FAKE / "broken")
    # The two good returns still load.
    assert sorted(r.authority for r in ds.returns) == ["Northshire", "Southshire"]
    lines = [str(p) for p in ds.problems]
    # A rule broken: the file, the field and a plain message.
    assert any(
        line.startswith("broken/fake-round/westshire.yaml: iro.caseload.low: The lowest figure (70)")
        for line in lines
    ), lines
    # A file that is not YAML at all: the file and the line.
    assert any(line.startswith("broken/fake-round/eastshire.yaml: line") for line in lines), lines


def test_missing_folder_is_a_problem_not_a_crash(tmp_path):
    ds = load_survey_data(tmp_path / "nowhere")
    assert ds.returns == []
    assert "does not exist" in str(ds.problems[0])


def test_return_in_the_wrong_folder_is_refused(tmp_path):
    shutil.copytree(FAKE / "good", tmp_path / "data")
    (tmp_path / "data" / "other").mkdir()
    shutil.copy(FAKE / "good" / "fake-round" / "northshire.yaml", tmp_path / "data" / "other" / "n.yaml")
    ds = load_survey_data(tmp_path / "data")
    assert any("should match the folder 'other'" in str(p) for p in ds.problems)
    assert len(ds.returns) == 2


def test_yaml_written_back_reads_the_same(tmp_path):
    ret, problems = load_return_file(FAKE / "good" / "fake-round" / "northshire.yaml")
    assert problems == []
    out = tmp_path / "northshire.yaml"
    out.write_text(return_to_yaml(ret), encoding="utf-8")
    again, problems = load_return_file(out)
    assert problems == []
    assert again == ret
    # Long answers stay readable: bullets keep their own lines.
    assert "    · Chair reviews\n    · Visit children between reviews" in out.read_text(encoding="utf-8")


def test_cli_validate_ok(capsys):
    result = run_cli(capsys, "validate", FAKE / "good")
    assert result.code == 0 and "OK: 1 round(s), 2 return(s)" in result.out


def test_cli_validate_reports_each_problem_and_exits_1(capsys):
    result = run_cli(capsys, "validate", FAKE / "broken")
    assert result.code == 1
    out = result.out
    assert "westshire.yaml: iro.caseload.low:" in out
    assert "problem(s) found" in out


def test_cli_list_table(capsys):
    result = run_cli(capsys, "list", "--data", FAKE / "good")
    assert result.code == 0
    out = result.out
    assert "Northshire" in out and "60 children" in out and "40–50 families" in out
    assert "Southshire" in out and "up to 55 cases (a cap)" in out and "(not answered)" in out


def test_cli_list_reads_west_berkshire_as_every_page_does(capsys):
    result = run_cli(capsys, "list", "--data", "survey_data", "--round", "seslip-qa-june")
    assert result.code == 0
    out = result.out
    assert (
        "68–85 children (the sum of the stated parts: 30–40 children on CP plans; 38–45 children in care)"
        in out
    )
    assert "up to 50 children (a cap)" in out  # Windsor and Maidenhead


def test_cli_list_json_is_the_model_dump(capsys):
    result = run_cli(capsys, "list", "--data", FAKE / "good", "--format", "json", "--round", "fake-round")
    assert result.code == 0
    rows = json.loads(result.out)
    assert [r["authority"] for r in rows] == ["Northshire", "Southshire"]
    assert rows[0]["cp_chair"]["caseload"]["high"] == 50


def test_cli_list_unknown_round(capsys):
    result = run_cli(capsys, "list", "--data", FAKE / "good", "--round", "nope")
    assert result.code == 2 and "There is no round 'nope'" in result.err


@pytest.mark.parametrize("argv", [["validate"], ["list"]])
def test_cli_on_the_real_data_runs(argv, capsys):
    # The shipped data set always validates.
    assert run_cli(capsys, *argv).code == 0
