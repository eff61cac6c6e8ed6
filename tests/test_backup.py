"""``cli.py backup`` and ``restore``: every row carried exactly, on SQLite and PostgreSQL and between
them, and every bad file, newer schema, full disk and non-empty database refused with a message.

Runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set (the ``database_url`` fixture).
Synthetic data only.
"""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import hashlib
import json
import os
import resource
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import FAKE_ROUND, fake_return, fake_round

from store import Store
from store.access import WrongCodeError, issue_code, verify_code
from store.backup import BackupError, backup, contents, read_backup, restore
from store.schema import SCHEMA_REVISION
from survey.rounds import create_round
from tests import first_release_schema as first

ROOT = Path(__file__).resolve().parent.parent


def fill(store: Store) -> str:
    """Something of every kind: versions, a created round with settings, codes, tries, domains,
    coordinators, refusals in the audit log. The code issued (to try it after a restore)."""
    store.add_round(fake_round("closed-round", is_open=False), who="command line")
    base = None
    for n in range(3):
        ret = fake_return("Northshire")
        ret.iro.caseload.low = 50 + n
        ret.iro.expectations = f"Version {n + 1}: “quotes”, émigré, 日本, a tab\there and a new\nline."
        base = store.save(
            ret, based_on=base, channel="form", submitted_by="Service manager", who="lead@northshire.gov.uk"
        ).provenance.version
    store.save(fake_return("Southshire"), based_on=None, channel="upload", submitted_by="Head of service")
    code = issue_code(store, FAKE_ROUND, "Northshire")
    with pytest.raises(WrongCodeError):
        verify_code(store, FAKE_ROUND, "Northshire", "AAAA-BBBB-CCCC", source="test")
    store.add_domain("northshire.gov.uk", "Northshire", who="command line")
    store.add_coordinator("coordinator@example.org", who="command line")
    store.record("sign_in_refused", who="someone@example.com", detail="domain example.com is not linked")
    create_round(
        store,
        round_id="south-east-2027",
        title="South East survey 2027",
        group_id="south-east",
        deadline=dt.date.today() + dt.timedelta(days=30),
        created_by="coordinator@example.org",
    )
    store.set_round_open("closed-round", True, who="coordinator@example.org")
    return code


@pytest.fixture
def other_url(database_url, tmp_path):
    """A second, empty database on the same backend."""
    yield from _empty_like(database_url, tmp_path / "other.db")


def _empty_like(url: str, sqlite_path: Path):
    from store.engine import normalise_url

    u = normalise_url(url)
    if u.get_backend_name() == "sqlite":
        yield f"sqlite:///{sqlite_path}"
        return
    schema = f"b_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(u.set(query={}), poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield u.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def test_a_backup_restores_every_row_exactly_and_the_app_carries_on(store, database_url, other_url, tmp_path):
    code = fill(store)
    before = contents(database_url)
    summary = backup(database_url, tmp_path / "one.iro-backup")
    assert summary.counts["return_versions"] == 4 and summary.counts["round_settings"] == 1
    assert "4 versions of returns" in summary.describe()

    report = restore(other_url, tmp_path / "one.iro-backup")
    assert contents(other_url) == before
    assert report.counts == summary.counts and report.replaced is None
    restored = Store(other_url)
    try:
        assert [v.version for v in restored.history(FAKE_ROUND, "Northshire")] == [1, 2, 3]
        assert restored.current(FAKE_ROUND, "Northshire").iro.expectations.startswith("Version 3: “quotes”")
        verify_code(restored, FAKE_ROUND, "Northshire", code, source="test")  # the hashed code still works
        # New rows carry on after the restored ones (PostgreSQL's sequences were moved on).
        saved = restored.save(
            fake_return("Northshire"), based_on=3, channel="form", submitted_by="Service manager"
        )
        assert saved.provenance.version == 4
        restored.add_coordinator("second@example.org", who="command line")
    finally:
        restored.dispose()


def test_a_sqlite_backup_restores_into_postgresql_and_back(tmp_path, request):
    if not os.environ.get("TEST_DATABASE_URL"):
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("needs TEST_DATABASE_URL")
    sqlite_url = f"sqlite:///{tmp_path / 'first.db'}"
    store = Store(sqlite_url)
    store.ensure_schema()
    store.add_round(fake_round())
    fill(store)
    store.dispose()
    before = contents(sqlite_url)
    backup(sqlite_url, tmp_path / "from-sqlite.iro-backup")
    gen = _empty_like(os.environ["TEST_DATABASE_URL"], tmp_path / "unused.db")
    pg_url = next(gen)
    request.addfinalizer(lambda: next(gen, None))
    restore(pg_url, tmp_path / "from-sqlite.iro-backup")
    assert contents(pg_url) == before
    backup(pg_url, tmp_path / "from-postgres.iro-backup")
    assert read_backup(tmp_path / "from-postgres.iro-backup").made_from == "postgresql"
    back = f"sqlite:///{tmp_path / 'back.db'}"
    restore(back, tmp_path / "from-postgres.iro-backup")
    assert contents(back) == before


def _rewrite(path: Path, out: Path, change, *, fix_checksum: bool) -> None:
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    body = [change(line) for line in lines[:-1]]
    end = json.loads(lines[-1])
    if fix_checksum:
        end["sha256"] = hashlib.sha256(b"".join(body)).hexdigest()
    out.write_bytes(gzip.compress(b"".join(body) + (json.dumps(end) + "\n").encode()))


def _tables(url: str) -> list[str]:
    from store.engine import normalise_url

    engine = sa.create_engine(normalise_url(url), poolclass=sa.NullPool)
    try:
        return sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_a_file_from_a_newer_schema_is_refused(store, database_url, other_url, tmp_path):
    fill(store)
    made = tmp_path / "now.iro-backup"
    backup(database_url, made)
    newer = tmp_path / "newer.iro-backup"
    _rewrite(
        made,
        newer,
        lambda line: line.replace(b'"schema_revision":"', b'"schema_revision":"9999-', 1),
        fix_checksum=True,
    )
    with pytest.raises(BackupError, match=r"made by a newer version of the app \(schema revision 9999-"):
        restore(other_url, newer)
    assert not _tables(other_url)


@pytest.mark.parametrize(
    "damage, message",
    [
        ("half", "cut short or damaged"),
        ("no-end", "its end is missing"),
        ("edited", "its checksum does not match its contents"),
        ("not-a-backup", "is not a backup made by cli.py backup"),
    ],
)
def test_a_truncated_or_tampered_file_is_refused_and_nothing_changes(
    store, database_url, other_url, tmp_path, damage, message
):
    fill(store)
    made = tmp_path / "good.iro-backup"
    backup(database_url, made)
    bad = tmp_path / "bad.iro-backup"
    data = made.read_bytes()
    if damage == "half":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "no-end":
        lines = gzip.decompress(data).splitlines(keepends=True)
        bad.write_bytes(gzip.compress(b"".join(lines[:-1])))
    elif damage == "edited":
        _rewrite(made, bad, lambda line: line.replace(b"Version 2:", b"Version 9:"), fix_checksum=False)
    else:
        bad.write_bytes(gzip.compress(b'{"hello": "world"}\n'))
    with pytest.raises(BackupError, match=message):
        restore(other_url, bad)
    assert not _tables(other_url)


def test_a_database_that_holds_data_is_replaced_only_when_asked_and_is_backed_up_first(
    store, database_url, tmp_path
):
    fill(store)
    original = contents(database_url)
    backup(database_url, tmp_path / "original.iro-backup")
    store.save(fake_return("Eastshire"), based_on=None, channel="form", submitted_by="Service manager")
    changed = contents(database_url)
    with pytest.raises(
        BackupError,
        match=r"already holds data \(.*5 versions of returns.*\)\. Nothing was changed.*--replace",
    ):
        restore(database_url, tmp_path / "original.iro-backup")
    assert contents(database_url) == changed
    kept = tmp_path / "kept.iro-backup"
    report = restore(database_url, tmp_path / "original.iro-backup", replace=True, replaced_to=kept)
    assert contents(database_url) == original
    assert report.replaced.path == kept and "backed up first to" in report.describe()
    # What was replaced can itself be restored.
    restore(database_url, kept, replace=True, replaced_to=tmp_path / "again.iro-backup")
    assert contents(database_url) == changed


def test_an_existing_backup_is_never_overwritten(store, database_url, tmp_path):
    out = tmp_path / "there.iro-backup"
    out.write_text("an older backup")
    with pytest.raises(BackupError, match=r"exists already\. Backups are never overwritten"):
        backup(database_url, out)
    assert out.read_text() == "an older backup"


def test_a_full_disk_leaves_no_partial_file_under_the_final_name(store, database_url, tmp_path, monkeypatch):
    fill(store)
    real_write = gzip.GzipFile.write
    written = []

    def filling_up(self, data):
        written.append(len(data))
        if len(written) > 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, data)

    monkeypatch.setattr(gzip.GzipFile, "write", filling_up)
    out = tmp_path / "full.iro-backup"
    with pytest.raises(BackupError, match=r"No space left on device.*Nothing was left under that name"):
        backup(database_url, out)
    assert not out.exists()
    assert os.listdir(tmp_path) == [p for p in os.listdir(tmp_path) if not p.startswith(".full")]


def test_the_command_line_on_a_disk_that_fills_up(tmp_path):
    """A real write failure from the operating system (a file-size limit standing in for a full disk)."""
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    env = dict(os.environ, DATABASE_URL=url)
    store = Store(url)
    store.ensure_schema()
    store.add_round(fake_round())
    base = None
    for _ in range(60):  # a backup of some size (text that does not compress): about 150 KB
        ret = fake_return("Northshire")
        ret.iro.expectations = os.urandom(1500).hex()
        base = store.save(
            ret, based_on=base, channel="form", submitted_by="Service manager"
        ).provenance.version
    store.dispose()
    out = tmp_path / "backups" / "tonight.iro-backup"
    out.parent.mkdir()

    def small_disk():
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))  # above the database's own files

    done = subprocess.run(
        [sys.executable, "cli.py", "backup", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    # Errors are reported on standard error, as by every command (commands.common).
    assert "could not be written" in done.stderr and "Nothing was left under that name" in done.stderr
    assert list(out.parent.iterdir()) == []
    done = subprocess.run(
        [sys.executable, "cli.py", "backup", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "Backed up the returns database" in done.stdout
    done = subprocess.run(
        [sys.executable, "cli.py", "restore", str(out), "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "is a whole backup" in done.stdout
    done = subprocess.run(
        [sys.executable, "cli.py", "restore", str(out)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1 and "already holds data" in done.stderr


def test_a_backup_taken_while_saves_land_is_consistent(store, database_url, other_url, tmp_path):
    """Saves racing the backup: each is wholly in it or not at all (versions and audit entries agree)."""
    stop = threading.Event()

    def save_forever(name: str) -> None:
        base = None
        while not stop.is_set():
            base = store.save(
                fake_return(name), based_on=base, channel="form", submitted_by="Service manager"
            ).provenance.version

    threads = [threading.Thread(target=save_forever, args=(f"Authority {i}",)) for i in range(3)]
    for t in threads:
        t.start()
    try:
        for n in range(3):
            backup(database_url, tmp_path / f"racing-{n}.iro-backup")
    finally:
        stop.set()
        for t in threads:
            t.join()
    for n in range(3):
        bk = read_backup(tmp_path / f"racing-{n}.iro-backup")
        tables = {t.name: t for t in bk.tables}
        versions = len(tables["return_versions"].rows)
        action = tables["audit_log"].column_names.index("action")
        saves = sum(1 for row in tables["audit_log"].rows if row[action] == "return_saved")
        assert versions == saves


def test_a_first_release_database_backs_up_and_restores_upgraded(database_url, other_url, tmp_path):
    from store.engine import normalise_url

    engine = sa.create_engine(normalise_url(database_url), poolclass=sa.NullPool)
    first.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            first.rounds_table.insert().values(
                id=FAKE_ROUND,
                data=json.dumps(fake_round().model_dump(mode="json")),
                is_open=True,
                added_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
            )
        )
        data = fake_return("Northshire").model_dump(mode="json")
        conn.execute(
            first.versions_table.insert().values(
                round_id=FAKE_ROUND, authority="Northshire", authority_key="northshire", version=1, data=json.dumps(data),
                saved_at=dt.datetime(2025, 6, 2, tzinfo=dt.UTC), channel="seed", submitted_by="seed",
            )
        )  # fmt: skip
    engine.dispose()
    summary = backup(database_url, tmp_path / "first.iro-backup")
    assert summary.schema_revision == "0001"
    report = restore(other_url, tmp_path / "first.iro-backup")
    assert (report.from_revision, report.to_revision) == ("0001", SCHEMA_REVISION)
    restored = Store(other_url)
    try:
        assert restored.current(FAKE_ROUND, "Northshire").provenance.version == 1
        assert contents(other_url)["alembic_version"] == [(report.to_revision,)]
    finally:
        restored.dispose()
