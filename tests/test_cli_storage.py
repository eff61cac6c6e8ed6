"""The storage commands of cli.py, on a temporary SQLite database seeded from synthetic files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from store import Store
from store.access import verify_code
from store.loading import load_survey_data
from store.schema import metadata
from tests.support.cli import Cli, run_cli

FAKE_DATA = Path(__file__).parent / "fake_data" / "good"
CODE = re.compile(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)


@pytest.fixture
def env(tmp_path):
    """(database URL, data folder): an empty SQLite file and a copy of the synthetic data."""
    data = tmp_path / "survey_data"
    shutil.copytree(FAKE_DATA, data)
    return f"sqlite:///{tmp_path / 'returns.db'}", data


@pytest.fixture
def run(env, capsys):
    url, data = env

    cli = Cli(capsys, database_url=url, data=data)

    def run(*argv: str) -> tuple[int, str]:
        result = cli(*argv)
        return result.code, result.text

    run.cli = cli

    return run


def amend(url: str, authority: str, **iro_caseload) -> None:
    store = Store(url)
    cur = store.current("fake-round", authority)
    new = cur.model_copy(deep=True)
    for k, v in iro_caseload.items():
        setattr(new.iro.caseload, k, v)
    store.save(
        new,
        based_on=cur.provenance.version,
        channel="form",
        submitted_by="Service manager",
        who="someone@northshire.gov.uk",
    )
    store.dispose()


def test_seed_loads_the_files_once(run):
    code, out = run("seed")
    assert code == 0
    assert out.strip() == (
        "Seeded 1 round(s) and 2 return(s); 0 return(s) already in the database were left as they are."
    )
    code, out = run("seed")
    assert out.strip() == (
        "Seeded 0 round(s) and 0 return(s); 2 return(s) already in the database were left as they are."
    )


def test_history_lists_every_version_with_what_changed(run, env):
    run("seed")
    amend(env[0], "Northshire", high=70)
    code, out = run("history", "NORTHSHIRE")  # any case; the only questionnaire round by default
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Northshire, round fake-round: 2 version(s); the last is current."
    assert lines[2].split() == ["Version", "Saved", "(UTC)", "Channel", "Submitted", "by", "Saved", "by"]
    assert re.match(
        r"1\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+seed\s+seed\s+survey_data \(loaded on start\)$", lines[4]
    )
    assert lines[5] == "    First version."
    assert re.match(
        r"2\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+form\s+Service manager\s+someone@northshire\.gov\.uk$", lines[6]
    )
    assert lines[7] == "    IRO role: Case holding: highest figure: 60 → 70"


def test_history_finds_the_round_of_an_authority_in_only_one_round(run, env):
    _, data = env
    other = data / "rounds" / "other-round.yaml"
    other.write_text((data / "rounds" / "fake-round.yaml").read_text().replace("fake-round", "other-round"))
    (data / "other-round").mkdir()
    text = (data / "fake-round" / "southshire.yaml").read_text()
    (data / "other-round" / "westshire.yaml").write_text(
        text.replace("Southshire", "Westshire").replace("fake-round", "other-round")
    )
    code, out = run("history", "westshire")
    assert code == 0
    assert out.startswith("Westshire, round other-round: 1 version(s)")
    # Northshire is only in fake-round too; with two questionnaire rounds an unknown name needs --round.
    code, out = run("history", "Nowhereshire")
    assert (code, out.strip()) == (2, "Name the round with --round. Rounds: fake-round, other-round.")


def test_history_as_json(run, env):
    run("seed")
    amend(env[0], "Northshire", high=70)
    code, out = run("history", "northshire", "--round", "fake-round", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert data["versions"][1]["changes"] == [
        {
            "path": "iro.caseload.high",
            "question": "IRO role: Case holding: highest figure",
            "before": 60,
            "after": 70,
        }
    ]


@pytest.mark.parametrize(
    "argv, message",
    [
        # An authority with no return in the round.
        (
            ("history", "Nowhereshire"),
            "There is no authority 'Nowhereshire' in round 'fake-round'. "
            "Authorities: Northshire, Southshire.",
        ),
        # A round that does not exist.
        (("history", "Northshire", "--round", "nope"), "There is no round 'nope'. Rounds: fake-round."),
        (("issue-code", "Northshire", "--round", "nope"), "There is no round 'nope'. Rounds: fake-round."),
        (("round", "close", "nope"), "There is no round 'nope'. Rounds: fake-round."),
        # issue-code to an unknown authority says how to add one.
        (
            ("issue-code", "Eastshire", "--round", "fake-round"),
            "There is no authority 'Eastshire' in round 'fake-round'. Authorities: Northshire, Southshire. "
            "To issue a code to an authority with no return yet, add --new-authority.",
        ),
        (("revoke-code", "Eastshire", "--round", "fake-round"), "There is no authority 'Eastshire'"),
    ],
)
def test_unknown_rounds_and_authorities_are_one_plain_line_and_exit_2(run, argv, message):
    result = run.cli(*argv)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(message)
    assert len(result.err.strip().splitlines()) == 1


def test_issue_code_prints_a_code_once_that_works_and_is_not_stored(run, env):
    url, _ = env
    code, out = run("issue-code", "northshire", "--round", "fake-round")
    assert code == 0
    assert out.startswith("Access code for Northshire, round fake-round:")
    assert "shown only once" in out
    (issued,) = CODE.findall(out)
    store = Store(url)
    verify_code(store, "fake-round", "Northshire", issued)
    with store.engine.connect() as conn:
        stored = "\n".join(
            " ".join(str(v) for v in row)
            for t in metadata.sorted_tables
            for row in conn.execute(sa.select(t))
        )
    assert issued not in stored and issued.replace("-", "") not in stored
    store.dispose()


def test_a_code_for_a_new_authority(run, env):
    code, out = run("issue-code", "Eastshire", "--round", "fake-round", "--new-authority")
    assert code == 0
    (issued,) = CODE.findall(out)
    store = Store(env[0])
    verify_code(store, "fake-round", "eastshire", issued)
    assert [r.authority for r in store.round_status("fake-round") if not r.submitted] == ["Eastshire"]
    store.dispose()


def test_revoke_code_ends_it(run, env):
    _, out = run("issue-code", "Northshire", "--round", "fake-round")
    (issued,) = CODE.findall(out)
    code, out = run("revoke-code", "Northshire", "--round", "fake-round")
    assert code == 0
    assert out.strip() == "The access code of Northshire for round fake-round is revoked: it no longer works."
    from store.access import NoCodeError

    store = Store(env[0])
    with pytest.raises(NoCodeError):
        verify_code(store, "fake-round", "Northshire", issued)
    store.dispose()
    code, out = run("revoke-code", "Northshire", "--round", "fake-round")
    assert out.strip() == "Northshire had no working access code for round fake-round; nothing to revoke."


def test_round_close_and_open(run, env):
    code, out = run("round", "close", "fake-round")
    assert code == 0
    assert out.strip() == "Round fake-round is closed: submissions are refused until it is opened again."
    store = Store(env[0])
    assert store.get_round("fake-round").open_for_submissions is False
    # Seeding again (every command seeds first) does not reopen it.
    run("seed")
    assert store.get_round("fake-round").open_for_submissions is False
    code, out = run("round", "open", "fake-round")
    assert out.startswith("Round fake-round is open")
    assert store.get_round("fake-round").open_for_submissions is True
    store.dispose()


def test_dump_writes_the_current_versions_as_loadable_files(run, env, tmp_path):
    url, data = env
    run("seed")
    amend(url, "Northshire", high=70)
    out_dir = tmp_path / "out"
    shutil.copytree(data / "rounds", out_dir / "rounds")
    shutil.copy(data / "authorities.csv", out_dir / "authorities.csv")  # the invented authorities' register
    code, out = run("dump", "--out", str(out_dir))
    assert code == 0
    assert out.splitlines()[-1] == f"Wrote 2 return(s) to {out_dir}."
    assert "(Northshire, version 2)" in out
    ds = load_survey_data(out_dir)
    assert ds.problems == []
    north = ds.get("fake-round", "Northshire")
    assert north.iro.caseload.high == 70
    assert north.provenance.version == 2
    assert north.provenance.channel == "form"


def test_an_unreachable_database_is_one_plain_message_and_exit_1(capsys, tmp_path):
    result = run_cli(
        capsys, "seed", "--database-url", "postgresql://nobody:hunter22@127.0.0.1:1/none", "--data", FAKE_DATA
    )
    assert result.code == 1
    assert result.err.startswith("The returns database at postgresql+psycopg://nobody:***@127.0.0.1:1/none")
    assert "hunter22" not in result.text
    assert "Traceback" not in result.text


def test_database_url_comes_from_the_environment(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert run_cli(capsys, "seed", "--data", FAKE_DATA).code == 0
    assert (tmp_path / "from-env.db").exists()
