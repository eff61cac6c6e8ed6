"""cli.py domain, coordinator, audit and db upgrade, on a temporary SQLite database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from store import Store
from store.rights import shell_user
from store.schema import SCHEMA_REVISION
from tests import first_release_schema as first
from tests.support.cli import Cli, run_cli

FAKE_DATA = Path(__file__).parent / "fake_data" / "good"


@pytest.fixture
def env(tmp_path):
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


def test_domains_link_to_one_authority_each(run):
    assert run("domain", "add", "Northshire.gov.uk", "--authority", "northshire") == (
        0,
        "northshire.gov.uk is linked to Northshire.\n",
    )
    code, out = run("domain", "add", "northshire.gov.uk", "--authority", "Southshire")
    assert code == 2
    assert out.startswith("Domain: northshire.gov.uk already belongs to Northshire; a domain belongs to one")
    code, out = run("domain", "list", "--format", "json")
    assert json.loads(out) == [{"domain": "northshire.gov.uk", "authority": "Northshire"}]
    code, out = run("domain", "list")
    assert out.splitlines()[2].split() == ["northshire.gov.uk", "Northshire"]
    assert run("domain", "remove", "northshire.gov.uk") == (
        0,
        "northshire.gov.uk is no longer linked to Northshire.\n",
    )
    assert run("domain", "remove", "northshire.gov.uk")[0] == 2
    assert json.loads(run("domain", "list", "--format", "json")[1]) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("domain", "add", "northshire", "--authority", "Northshire"),
            "Domain: 'northshire' is not an email domain. Give the part after the @, for example kent.gov.uk.",
        ),
        (
            ("domain", "add", "x.gov.uk", "--authority", "Nowhereshire"),
            "There is no authority 'Nowhereshire'.",
        ),
        (
            ("coordinator", "add", "not-an-address"),
            "Email: 'not-an-address' is not an email address. Give the whole address, for example name@kent.gov.uk.",
        ),
        (
            ("coordinator", "remove", "nobody@example.org"),
            "nobody@example.org is not a coordinator; nothing changed.",
        ),
    ],
)
def test_bad_input_gets_a_plain_message(run, argv, message):
    result = run.cli(*argv)
    assert result.code == 2
    assert result.out == ""  # every error on standard error, the same way
    assert result.err.startswith(message)


def test_a_new_authority_may_be_linked_before_it_has_a_return(run):
    assert run("domain", "add", "eastshire.gov.uk", "--authority", "Eastshire", "--new-authority")[0] == 0


def test_coordinators_and_the_audit_log(run):
    assert run("coordinator", "add", "Coord@Example.org") == (0, "coord@example.org is a coordinator.\n")
    assert (
        run("coordinator", "list", "--format", "json")[1]
        == '[\n  {\n    "email": "coord@example.org"\n  }\n]\n'
    )
    run("round", "close", "fake-round")
    _, out = run("audit", "--since", "2000-01-01", "--format", "json")
    rows = json.loads(out)
    me = f"command line ({shell_user()})"  # the shell's user, from the operating system
    assert [(r["who"], r["action"]) for r in rows if r["who"] == me] == [
        (me, "coordinator_added"),
        (me, "round_closed"),
    ]
    assert rows[-1]["what"] == "Closed a round"
    _, out = run("audit")
    assert me in out.splitlines()[-1] and "Closed a round" in out.splitlines()[-1]
    assert run("audit", "--since", "2999-01-01")[1] == "The audit log has no entries since 2999-01-01.\n"


def test_db_upgrade_brings_a_first_release_database_up_to_date(env, capsys):
    url, _ = env
    engine = sa.create_engine(url)
    first.metadata.create_all(engine)
    engine.dispose()
    result = run_cli(capsys, "db", "upgrade", "--database-url", url)
    assert result.code == 0
    assert result.out == (
        f"Upgraded the returns database at {url} from the first release's schema to revision "
        f"{SCHEMA_REVISION}. Every stored return, version and access code was kept as it was.\n"
    )
    assert "is up to date" in run_cli(capsys, "db", "upgrade", "--database-url", url).out
    assert Store(url).schema_revision() == SCHEMA_REVISION


def test_db_upgrade_creates_a_new_database(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result = run_cli(capsys, "db", "upgrade", "--database-url", url)
    assert result.code == 0 and result.out.startswith("Created the returns database at")
