"""A version stored by a newer release (a field this release does not know) is named, left untouched,
and everything else still shows: the data set, the pages, ``cli.py list``, the Submit page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from store import open_store
from store.access import issue_code
from store.errors import UnreadableVersionError
from store.schema import versions_table
from store.versions import UNREADABLE_FIELD
from tests.support.cli import Cli
from tests.support.pages import open_app, open_page, unlock_with_code

ROUND = "seslip-qa-june"
NEWER = "Version 2 of Kent's return in round 'seslip-qa-june' was stored by a newer release of this app"


def _store_a_newer_version(store, **extra) -> None:
    """Kent's version 2, as a newer release would write it: with a question this one does not have."""
    kent = store.current(ROUND, "Kent")
    data = kent.model_dump(mode="json")
    data["iro"]["new_question"] = "An answer to a question added in a later release."
    data.update(extra)
    with store.engine.begin() as conn:
        conn.execute(
            sa.insert(versions_table).values(
                round_id=ROUND,
                authority="Kent",
                authority_key="kent",
                version=2,
                data=json.dumps(data),
                saved_at=dt.datetime.now(dt.UTC),
                channel="form",
                submitted_by="authority lead",
                based_on=1,
                saved_by="lead@kent.gov.uk",
            )
        )


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    s = open_store(url)
    _store_a_newer_version(s)
    yield s
    s.dispose()


@pytest.mark.parametrize(
    ("case", "extra", "fields"),
    [
        ("a new question", {}, "(it holds iro.new_question, which this release does not know)"),
        ("two new parts", {"board_summary": "x"}, "(it holds board_summary, iro.new_question, which"),
    ],
)
def test_the_data_set_names_the_version_and_keeps_every_other_return(tmp_path, case, extra, fields):
    s = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    _store_a_newer_version(s, **extra)
    ds = s.dataset()
    assert "Kent" not in {r.authority for r in ds.for_round(ROUND)}
    assert len(ds.for_round(ROUND)) == 8  # the other eight June returns
    [problem] = ds.problems
    assert (problem.file, problem.field) == ("Kent, round seslip-qa-june, version 2", UNREADABLE_FIELD)
    assert problem.message.startswith(NEWER) and fields in problem.message
    with pytest.raises(UnreadableVersionError, match="It is left untouched"):
        s.current(ROUND, "Kent")
    s.dispose()


def test_cli_list_prints_the_others_and_names_the_one_it_cannot_read(store, capsys):
    cli = Cli(capsys, database_url=str(store.url.render_as_string(hide_password=False)))
    result = cli("list", "--round", ROUND)
    assert result.code == 0
    assert "8 return(s)." in result.out and "Medway" in result.out
    assert f"Not listed: Kent, round seslip-qa-june, version 2: {NEWER}" in result.out
    as_json = cli("list", "--round", ROUND, "--format", "json")
    assert len(json.loads(as_json.out)) == 8 and "Not listed: Kent" in as_json.err


def test_the_lead_is_told_and_nothing_is_saved_over_it(store):
    code = issue_code(store, ROUND, "Kent", who="test")
    at = unlock_with_code(open_page("submit").run(), "Kent", code)
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "stored by a newer release" in shown
    assert not [w for w in at.text_input if w.key == "q:iro.caseload.low"]  # the form stays shut
    with store.engine.connect() as conn:
        versions = conn.execute(
            sa.select(versions_table.c.version).where(versions_table.c.authority == "Kent")
        )
        assert sorted(versions.scalars()) == [1, 2]


def test_the_pages_still_render_and_say_what_is_not_shown(store):
    at = open_app().run()
    assert not at.exception
    assert any("stored by a newer release" in w.value for w in at.warning)


def test_a_round_stored_by_a_newer_release_still_reads(store):
    """A newer release keeps more about a round (a field this one does not know): it is read without it."""
    from store.schema import rounds_table

    with store.engine.begin() as conn:
        row = conn.execute(sa.select(rounds_table).where(rounds_table.c.id == ROUND)).first()
        data = {**json.loads(row.data), "published_on": "2099-01-01", "anonymised": True}
        conn.execute(
            sa.insert(rounds_table).values(
                id="newer-round",
                data=json.dumps({**data, "id": "newer-round"}),
                is_open=False,
                added_at=row.added_at,
            )
        )
    rounds = {r.id: r for r in store.rounds()}
    assert rounds["newer-round"].title == rounds[ROUND].title
    with store.engine.connect() as conn:  # left as stored
        kept = conn.execute(sa.select(rounds_table.c.data).where(rounds_table.c.id == "newer-round")).scalar()
    assert json.loads(kept)["anonymised"] is True
