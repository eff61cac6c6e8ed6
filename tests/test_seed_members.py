"""Two servers upgrading one database at once both record a round's members on start: the second,
refused on the first's rows, starts as well, and every member is recorded once.

Found by the deployment test of two new servers on the previous release's schema
(tests/deployment/test_upgrade.py): app2 stopped with "Could not record the members of round
'fake-round' … duplicate key value violates unique constraint".
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from official.groups import group_members
from store import Store
from store.schema import round_members_table
from tests.conftest import fake_round

GROUP = "south-east"


def _a_round_from_before_members(store: Store) -> str:
    rnd = fake_round("older-round").model_copy(update={"group": GROUP})
    store.add_round(rnd)
    with store.engine.begin() as conn:  # as a database made before members were recorded
        conn.execute(sa.delete(round_members_table).where(round_members_table.c.round_id == rnd.id))
    assert store.members(rnd.id) == []
    return rnd.id


def test_two_servers_recording_the_members_at_once_both_start(store, database_url, monkeypatch):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite's writers take its lock first (BEGIN IMMEDIATE), so two cannot race here")
    round_id = _a_round_from_before_members(store)
    other = Store(database_url)
    try:
        original = Store._record_members

        def at_the_same_moment(conn, rid, members):
            # The first server commits its rows while the second, having read none, inserts them all.
            store._seed_members()
            for name, ons in members:
                conn.execute(
                    round_members_table.insert().values(
                        round_id=rid, authority_key=name.casefold(), authority=name, ons_code=ons
                    )
                )

        monkeypatch.setattr(Store, "_record_members", staticmethod(at_the_same_moment))
        monkeypatch.setattr(store, "_record_members", original)
        other._seed_members()  # no error: the other server's members are the same members
        monkeypatch.undo()
        expected = sorted(group_members(GROUP), key=lambda x: x[0].casefold())
        assert other.members(round_id) == store.members(round_id) == expected
    finally:
        other.dispose()
