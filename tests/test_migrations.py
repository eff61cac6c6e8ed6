"""Schema migrations: a database made by the first release upgrades in place and loses nothing.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (``database_url``
fixture). The first release's schema is the frozen copy in
``tests/first_release_schema.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from store import Store, audit
from store.access import SCHEME, _hash, verify_code
from store.engine import normalise_url, utc
from store.errors import StorageError
from store.migrate import alembic_config
from store.migrate import upgrade as _upgrade
from store.schema import BASELINE_REVISION, SCHEMA_REVISION, versions_table
from tests import first_release_schema as first
from tests.conftest import fake_return, fake_round

T0 = dt.datetime(2025, 6, 1, 9, 30, tzinfo=dt.UTC)
OLD_CODE = "ACDE-FGHJ-KMNP"


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(normalise_url(url), poolclass=sa.NullPool)


def _first_release_database(url: str) -> list[dict]:
    """Make and fill a database as the first release did; its return_versions rows, as stored."""
    engine = _engine(url)
    first.metadata.create_all(engine)
    salt = secrets.token_bytes(16)
    with engine.begin() as conn:
        for rid, is_open in (("fake-round", True), ("old-round", False)):
            conn.execute(
                first.rounds_table.insert().values(
                    id=rid,
                    data=json.dumps(fake_round(rid, is_open=is_open).model_dump(mode="json")),
                    is_open=is_open,
                    added_at=T0,
                )
            )
        for rid, authority, versions in (
            ("fake-round", "Northshire", 3),
            ("fake-round", "Southshire", 1),
            ("old-round", "Northshire", 2),
        ):
            for n in range(1, versions + 1):
                ret = fake_return(authority, rid)
                ret.iro.caseload.low = 50 + n
                data = ret.model_dump(mode="json")
                data["provenance"].update(version=n, channel="form" if n > 1 else "seed")
                conn.execute(
                    first.versions_table.insert().values(
                        round_id=rid,
                        authority=authority,
                        authority_key=authority.casefold(),
                        version=n,
                        data=json.dumps(data, sort_keys=True),
                        saved_at=T0 + dt.timedelta(days=n),
                        channel="form" if n > 1 else "seed",
                        submitted_by="Service manager",
                        based_on=n - 1 if n > 1 else None,
                    )
                )
        conn.execute(
            first.codes_table.insert().values(
                round_id="fake-round",
                authority="Northshire",
                authority_key="northshire",
                scheme=SCHEME,
                salt=salt.hex(),
                hash=_hash(OLD_CODE, salt),
                issued_at=T0,
            )
        )
        conn.execute(
            first.attempts_table.insert().values(
                round_id="fake-round", authority_key="northshire", at=T0, ok=False
            )
        )
        conn.execute(first.events_table.insert().values(kind="code_issued", round_id="fake-round", at=T0))
        rows = [dict(r._mapping) for r in conn.execute(sa.select(first.versions_table).order_by("id"))]
    engine.dispose()
    return rows


def test_a_first_release_database_upgrades_in_place_and_keeps_every_version(database_url):
    before = _first_release_database(database_url)
    store = Store(database_url)
    try:
        assert store.schema_revision() is None
        store.ensure_schema()
        assert store.schema_revision() == SCHEMA_REVISION

        # Every version row is exactly as it was; the new column is empty.
        with store.engine.connect() as conn:
            after = [dict(r._mapping) for r in conn.execute(sa.select(versions_table).order_by("id"))]
        assert len(after) == len(before) == 6
        for old, new in zip(before, after, strict=True):
            assert new.pop("saved_by") is None
            old["saved_at"], new["saved_at"] = utc(old["saved_at"]), utc(new["saved_at"])
            assert new == old

        # ... and reads back as the first release wrote it.
        history = store.history("fake-round", "Northshire")
        assert [(v.version, v.iro_low, v.submitted_by, v.saved_by) for v in _lows(history)] == [
            (1, 51, "Service manager", None),
            (2, 52, "Service manager", None),
            (3, 53, "Service manager", None),
        ]
        assert store.current("old-round", "Northshire").provenance.version == 2
        assert {r.id: r.open_for_submissions for r in store.rounds()} == {
            "fake-round": True,
            "old-round": False,
        }

        # The old access code still unlocks the form.
        verify_code(store, "fake-round", "Northshire", OLD_CODE)

        # The new tables are there and work.
        assert store.add_domain("northshire.gov.uk", "Northshire", who="command line")
        assert store.authority_for_domain("northshire.gov.uk") == "Northshire"
        assert store.add_coordinator("coord@example.org", who="command line")
        saved = store.save(
            fake_return("Northshire"),
            based_on=3,
            channel="form",
            submitted_by="Service manager",
            who="a@b.org",
        )
        assert saved.provenance.version == 4
        assert store.history("fake-round", "Northshire")[-1].saved_by == "a@b.org"
        assert [e.action for e in audit.entries(store)] == [
            "domain_added",
            "coordinator_added",
            "return_saved",
        ]
    finally:
        store.dispose()


def _lows(history):
    class Row:
        def __init__(self, v):
            self.version, self.submitted_by, self.saved_by = v.version, v.submitted_by, v.saved_by
            self.iro_low = v.ret.iro.caseload.low

    return [Row(v) for v in history]


def test_the_audit_log_and_versions_stay_append_only_after_the_upgrade(database_url):
    _first_release_database(database_url)
    store = Store(database_url)
    try:
        store.add_coordinator("coord@example.org", who="command line")
        for sql, message in (
            ("UPDATE audit_log SET who = 'someone else'", "audit log is never changed"),
            ("DELETE FROM audit_log", "audit log is never changed"),
            ("UPDATE return_versions SET submitted_by = 'x'", "return versions are never changed"),
            ("DELETE FROM return_versions", "return versions are never changed"),
        ):
            with pytest.raises(sa.exc.DBAPIError, match=message), store.engine.begin() as conn:
                conn.execute(sa.text(sql))
        assert [e.who for e in audit.entries(store)] == ["command line"]
    finally:
        store.dispose()


@pytest.fixture
def second_url(database_url, tmp_path) -> Iterator[str]:
    """Another empty database on the same backend as ``database_url``."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'second.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = _engine(database_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def _schema(url: str) -> dict:
    """Everything about a database's schema that a migration could get wrong, comparable across databases."""
    engine = _engine(url)
    with engine.connect() as conn:
        insp = sa.inspect(conn)
        out: dict = {}
        for table in sorted(insp.get_table_names()):
            out[table] = {
                "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)],
                "pk": insp.get_pk_constraint(table)["constrained_columns"],
                "fks": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                    for f in insp.get_foreign_keys(table)
                ),
                "unique": sorted(
                    (u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)
                ),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)
                ),
                "checks": sorted(
                    (c["name"], " ".join(c["sqltext"].split())) for c in insp.get_check_constraints(table)
                ),
            }
        if engine.dialect.name == "sqlite":
            triggers = conn.exec_driver_sql(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
            ).all()
        else:
            triggers = conn.exec_driver_sql(
                "SELECT DISTINCT trigger_name, event_object_table FROM information_schema.triggers "
                "WHERE trigger_schema = current_schema() ORDER BY trigger_name"
            ).all()
        out["triggers"] = [tuple(t) for t in triggers]
        out["revision"] = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    return out


def test_a_new_database_gets_the_same_schema_as_running_every_migration(database_url, second_url, tmp_path):
    # A brand-new database: create_all and stamp (quick, what every test's store does).
    Store(database_url).ensure_schema()
    fresh = _schema(database_url)
    # The same database built by running every migration from nothing.
    engine = _engine(second_url)
    with engine.begin() as conn:
        _upgrade(conn)
    engine.dispose()
    assert _schema(second_url) == fresh
    assert fresh["revision"] == SCHEMA_REVISION
    assert {"audit_log", "authority_domains", "coordinators"} <= set(fresh)
    assert ("audit_log_no_update", "audit_log") in fresh["triggers"] or (
        "audit_log_append_only",
        "audit_log",
    ) in fresh["triggers"]


def test_an_upgraded_first_release_database_has_the_new_schema(database_url, second_url):
    _first_release_database(database_url)
    Store(database_url).ensure_schema()
    Store(second_url).ensure_schema()
    assert _schema(database_url) == _schema(second_url)


def test_the_newest_migration_is_the_revision_the_store_expects():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_current_head() == SCHEMA_REVISION
    assert [s.revision for s in scripts.walk_revisions()][-1] == BASELINE_REVISION


def test_two_processes_starting_at_once_upgrade_once(database_url):
    _first_release_database(database_url)
    errors: list[BaseException] = []

    def start() -> None:
        s = Store(database_url)
        try:
            s.ensure_schema()
        except BaseException as exc:
            errors.append(exc)
        finally:
            s.dispose()

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = Store(database_url)
    assert store.schema_revision() == SCHEMA_REVISION
    assert len(store.history("fake-round", "Northshire")) == 3
    store.dispose()


def test_an_unreadable_revision_is_a_plain_storage_error(database_url):
    store = Store(database_url)
    store.ensure_schema()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    other = Store(database_url)
    with pytest.raises(
        StorageError, match="schema revision '9999', which this version of the app does not know"
    ):
        other.ensure_schema()
    other.dispose()
    store.dispose()
