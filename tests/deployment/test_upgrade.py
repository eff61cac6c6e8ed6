"""Upgrading without losing a return: two new servers started at once on the previous release's
database (and on the first release's) upgrade it once, under the migration lock, and every version,
audit entry and setting is there afterwards exactly as it was.

The previous release's schema is built by the app's own migrations up to its revision (migrations
are never changed once released), then filled as that release would have filled it. Needs
PostgreSQL (the lock is PostgreSQL's advisory lock); no proxy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa

from deploy.run import Stack, deployment_env
from store import Store
from store.engine import normalise_url
from store.migrate import alembic_config
from store.schema import SCHEMA_REVISION
from tests import first_release_schema as first
from tests.conftest import fake_return, fake_round

from .conftest import fresh_schema

pytestmark = [pytest.mark.postgres]

#: The schema revision of the release before this one (wave 2's last migration).
PREVIOUS_RELEASE = "0006"
T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
ROUNDS = (("fake-round", True), ("last-year", False))
AUTHORITIES = ("Northshire", "Southshire", "Eastshire")


def _schema_at(url: str, revision: str) -> None:
    from alembic import command

    engine = sa.create_engine(normalise_url(url), poolclass=sa.NullPool)
    with engine.begin() as conn:
        if revision == "first-release":
            first.metadata.create_all(conn)  # made with create_all, no revision recorded
        else:
            command.upgrade(alembic_config(conn), revision)
    engine.dispose()


def _fill(url: str) -> None:
    """Rows in every table the schema has, as the release that made it wrote them."""
    engine = sa.create_engine(normalise_url(url), poolclass=sa.NullPool)
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as conn:
        for rid, is_open in ROUNDS:
            data = fake_round(rid, is_open=is_open).model_dump(mode="json")
            conn.execute(
                t["survey_rounds"]
                .insert()
                .values(id=rid, data=json.dumps(data), is_open=is_open, added_at=T0)
            )
            conn.execute(t["storage_events"].insert().values(kind="round_added", round_id=rid, at=T0))
        n = 0
        for rid, _ in ROUNDS:
            for a, authority in enumerate(AUTHORITIES):
                for version in range(1, a + 3):
                    n += 1
                    ret = fake_return(authority, rid)
                    ret.iro.caseload.low = 40 + version
                    ret.iro.expectations = f"{authority}, version {version}: “every child seen”."
                    row = dict(
                        round_id=rid, authority=authority, authority_key=authority.casefold(), version=version,
                        data=json.dumps(ret.model_dump(mode="json"), sort_keys=True),
                        saved_at=T0 + dt.timedelta(hours=n), channel="seed" if version == 1 else "form",
                        submitted_by="Service manager", based_on=version - 1 if version > 1 else None,
                    )  # fmt: skip
                    if "saved_by" in t["return_versions"].c:
                        row["saved_by"] = f"lead@{authority.casefold()}.gov.uk" if version > 1 else None
                    conn.execute(t["return_versions"].insert().values(**row))
                    if "audit_log" in t:
                        conn.execute(
                            t["audit_log"].insert().values(
                                at=row["saved_at"], who=row.get("saved_by") or "survey_data (loaded on start)",
                                action="return_saved", round_id=rid, authority=authority,
                                detail=f"version {version} ({row['channel']})",
                            )
                        )  # fmt: skip
            conn.execute(
                t["access_codes"].insert().values(
                    round_id=rid, authority="Northshire", authority_key="northshire", scheme="scrypt-n16384-r8-p1",
                    salt=secrets.token_hex(16), hash=secrets.token_hex(32), issued_at=T0,
                )
            )  # fmt: skip
            conn.execute(
                t["code_attempts"].insert().values(round_id=rid, authority_key="northshire", at=T0, ok=False)
            )
        if "authority_domains" in t:
            conn.execute(
                t["authority_domains"]
                .insert()
                .values(
                    domain="northshire.gov.uk",
                    authority="Northshire",
                    authority_key="northshire",
                    added_at=T0,
                )
            )
            conn.execute(t["coordinators"].insert().values(email="coordinator@example.org", added_at=T0))
        if "credential_tries" in t:
            conn.execute(
                t["credential_tries"]
                .insert()
                .values(
                    credential="code",
                    authority_key="northshire",
                    source="session 1",
                    round_id="fake-round",
                    at=T0,
                    ok=False,
                )
            )
        if "round_settings" in t:
            conn.execute(
                t["round_settings"].insert().values(
                    round_id="fake-round", group_id="south-east", deadline=dt.date(2026, 6, 30), carried_from="last-year",
                    created_at=T0, created_by="coordinator@example.org",
                )
            )  # fmt: skip
    engine.dispose()


def _rows(url: str) -> dict[str, list[dict]]:
    engine = sa.create_engine(normalise_url(url), poolclass=sa.NullPool)
    meta = sa.MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            if name == "alembic_version":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            out[name] = [dict(r._mapping) for r in conn.execute(sa.select(table).order_by(*order))]
    engine.dispose()
    return out


@pytest.mark.parametrize("previous", [PREVIOUS_RELEASE, "first-release"])
def test_two_new_servers_at_once_upgrade_the_previous_release_once_and_lose_nothing(previous, tmp_path: Path):
    with fresh_schema("upg") as url:
        _schema_at(url, previous)
        _fill(url)
        before = _rows(url)
        base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env = deployment_env(tmp_path, {**base, "IRO_CERT": "not used: no proxy here"})
        env.update(DATABASE_URL=url)
        stack = Stack(env, tmp_path)
        try:
            for name in ("app1", "app2"):  # side by side: both reach the migration at the same moment
                stack.start(name, wait=False)
            for name in ("app1", "app2"):
                stack.wait_started(name)
            for name in ("app1", "app2"):
                assert "database ready" in stack.processes[name].log_text(), stack.processes[name].log_text()[
                    -3000:
                ]
                assert "Traceback" not in stack.processes[name].log_text()
        finally:
            stack.stop_all()
        store = Store(url)
        try:
            assert store.schema_revision() == SCHEMA_REVISION
        finally:
            store.dispose()
        after = _rows(url)
        # Every row of every table that was there is there, unchanged (new columns aside); the seed
        # from survey_data/ only added returns of its own rounds.
        for name, rows in before.items():
            kept = [{k: r[k] for k in rows[0]} for r in after[name]] if rows else []
            assert kept[: len(rows)] == rows, name
        versions = [r for r in after["return_versions"] if r["round_id"] in dict(ROUNDS)]
        assert len(versions) == len(before["return_versions"]) == 18
        audit = (
            [r for r in after["audit_log"] if r["round_id"] in dict(ROUNDS)] if "audit_log" in before else []
        )
        assert len(audit) == len(before.get("audit_log", []))
        print(
            f"upgrade from {previous}: {len(versions)} versions, {len(audit)} audit entries and "
            f"{len(before.get('round_settings', []))} round settings kept; now at revision {SCHEMA_REVISION}"
        )
