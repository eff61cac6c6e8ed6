"""The returns database, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

Every test gets an empty database with the synthetic round ``fake-round`` open
(see ``conftest.store``). Returns are synthetic.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import FAKE_ROUND, fake_return, fake_round

from config import settings
from models.diff import describe
from store import Store
from store import engine as storage
from store.errors import (
    ConflictError,
    InvalidReturnError,
    RoundClosedError,
    StorageError,
    StorageUnavailable,
    UnknownRoundError,
    UnknownVersionError,
)
from store.loading import load_survey_data
from store.schema import versions_table

FAKE_DATA = Path(__file__).parent / "fake_data" / "good"


def amended(ret, **iro_caseload):
    """A copy of ``ret`` with the IRO caseload figures changed."""
    new = ret.model_copy(deep=True)
    for k, v in iro_caseload.items():
        setattr(new.iro.caseload, k, v)
    return new


def count_versions(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(versions_table)).scalar()


# ---------------------------------------------------------------------------
# Versions


def test_first_save_is_version_1_with_its_channel_and_submitter(store):
    saved = store.save(fake_return(), based_on=None, channel="form", submitted_by="Head of service")
    assert saved.provenance.version == 1
    current = store.current(FAKE_ROUND, "Northshire")
    assert current is not None
    assert current.provenance.version == 1
    assert current.provenance.channel == "form"
    assert current.provenance.submitted_by == "Head of service"
    assert current.provenance.submitted_at is not None
    assert current.iro.caseload.text == "About 60 children"


def test_versions_accumulate_and_the_latest_is_current(store):
    v1 = store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    v2 = store.save(amended(v1, high=70), based_on=1, channel="form", submitted_by="lead")
    v3 = store.save(amended(v2, low=65), based_on=2, channel="upload", submitted_by="lead")
    assert [v1.provenance.version, v2.provenance.version, v3.provenance.version] == [1, 2, 3]
    assert count_versions(store) == 3
    current = store.current(FAKE_ROUND, "Northshire")
    assert (current.iro.caseload.low, current.iro.caseload.high) == (65, 70)
    # Older versions are still there, unchanged.
    assert store.version(FAKE_ROUND, "Northshire", 1).iro.caseload.high == 60
    assert store.version(FAKE_ROUND, "Northshire", 2).iro.caseload.high == 70
    assert [r.authority for r in store.current_returns(FAKE_ROUND)] == ["Northshire"]
    assert store.current_returns()[0].provenance.version == 3


def test_history_lists_every_version_with_what_changed(store):
    v1 = store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    v2 = amended(v1, high=70)
    v2.iro.qa_activities = ["midway_review", "case_file_audit"]
    store.save(v2, based_on=1, channel="upload", submitted_by="coordinator")
    history = store.history(FAKE_ROUND, "northshire")
    assert [(h.version, h.channel, h.submitted_by) for h in history] == [
        (1, "form", "lead"),
        (2, "upload", "coordinator"),
    ]
    assert history[0].changes == []
    assert describe(history[1].changes) == [
        "IRO role: Case holding: highest figure: 60 → 70",
        "IRO role: Formal QA inputs (choose all that apply): added Case-file audits",
    ]
    assert history[1].based_on == 1
    assert history[1].saved_at >= history[0].saved_at


def test_a_missing_version_is_named(store):
    store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    with pytest.raises(UnknownVersionError, match=r"Northshire's return .* has no version 4"):
        store.version(FAKE_ROUND, "Northshire", 4)


def test_authority_names_match_whatever_the_case(store):
    store.save(fake_return("Brighton and Hove"), based_on=None, channel="form", submitted_by="lead")
    # The same authority typed differently is the same return, not a second one.
    again = fake_return("brighton  AND hove")
    store.save(again, based_on=1, channel="form", submitted_by="lead")
    assert len(store.current_returns(FAKE_ROUND)) == 1
    assert store.current(FAKE_ROUND, "BRIGHTON AND HOVE").provenance.version == 2
    assert store.resolve_authority("brighton and hove") is not None


def test_an_invalid_return_is_refused_and_names_the_field(store):
    ret = fake_return()
    ret.iro.evidence = {"thematic_audit": ["A sentence."]}  # evidence for a code not chosen
    with pytest.raises(InvalidReturnError, match="Supporting sentences"):
        store.save(ret, based_on=None, channel="form", submitted_by="lead")
    assert count_versions(store) == 0


def test_an_unknown_channel_is_refused(store):
    with pytest.raises(StorageError, match="'email' is not a way of saving"):
        store.save(fake_return(), based_on=None, channel="email", submitted_by="lead")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE return_versions SET data = '{}'",  # changing a saved version
        "DELETE FROM return_versions",  # deleting one
    ],
)
def test_the_database_itself_refuses_to_change_or_delete_a_version(store, statement):
    store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    with pytest.raises(sa.exc.DatabaseError, match="never changed or deleted"), store.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert count_versions(store) == 1
    assert store.current(FAKE_ROUND, "Northshire").iro.caseload.text == "About 60 children"


# ---------------------------------------------------------------------------
# Optimistic concurrency


def test_a_save_based_on_an_old_version_is_refused_and_shows_what_changed(store):
    v1 = store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    store.save(amended(v1, high=70), based_on=1, channel="form", submitted_by="deputy")
    mine = amended(v1, low=55)  # started from version 1 too
    with pytest.raises(ConflictError) as info:
        store.save(mine, based_on=1, channel="form", submitted_by="lead")
    err = info.value
    message = str(err)
    assert re.fullmatch(
        r"Someone else saved version 2 of Northshire's return at \d\d:\d\d UK time after you started\. "
        r"Your answers have not been saved; review what changed and save again\.",
        message,
    ), message
    assert err.current.provenance.version == 2
    assert err.current_version == 2
    assert describe(err.changes) == ["IRO role: Case holding: highest figure: 60 → 70"]
    # Nothing of mine was saved.
    assert count_versions(store) == 2
    assert store.current(FAKE_ROUND, "Northshire").iro.caseload.low == 60


def test_a_first_return_is_refused_if_someone_saved_one_meanwhile(store):
    store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    with pytest.raises(ConflictError, match="version 1 of Northshire's return") as info:
        store.save(fake_return(), based_on=None, channel="form", submitted_by="deputy")
    assert info.value.based_on is None
    assert count_versions(store) == 1


N_PROCESSES = 20


@pytest.fixture(scope="module")
def processes():
    """Twenty separate Python processes (spawned, not forked) and a manager for a shared barrier."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(N_PROCESSES) as pool:
        yield pool, manager


def _save_once(url: str, worker: int, barrier) -> tuple[str, int, int | None]:
    """In a separate process: read the current version, then save on top of it."""
    s = Store(url)
    try:
        barrier.wait(timeout=120)
        current = s.current(FAKE_ROUND, "Northshire")
        ret = current.model_copy(deep=True)
        ret.iro.expectations = f"Saved by worker {worker}."
        try:
            saved = s.save(
                ret, based_on=current.provenance.version, channel="form", submitted_by=f"worker {worker}"
            )
            return ("landed", worker, saved.provenance.version)
        except ConflictError:
            return ("conflict", worker, None)
    finally:
        s.dispose()


def test_twenty_saves_at_once_from_separate_processes_lose_nothing(store, database_url, processes):
    store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    pool, manager = processes
    n = N_PROCESSES
    barrier = manager.Barrier(n)
    results = pool.starmap(_save_once, [(database_url, i, barrier) for i in range(n)], chunksize=1)
    landed = [r for r in results if r[0] == "landed"]
    refused = [r for r in results if r[0] == "conflict"]
    # Each save either landed as its own version or was refused as a conflict.
    assert len(landed) + len(refused) == n
    assert len(landed) >= 1
    history = store.history(FAKE_ROUND, "Northshire")
    numbers = [h.version for h in history]
    assert numbers == list(range(1, len(landed) + 2))  # no gap, no number twice
    assert count_versions(store) == 1 + len(landed)
    # Every landed save is in the database as the version it was told, with its own answers.
    by_version = {h.version: h for h in history}
    for _, worker, version in landed:
        assert by_version[version].ret.iro.expectations == f"Saved by worker {worker}."
        assert by_version[version].submitted_by == f"worker {worker}"
    print(f"\n{database_url.split(':')[0]}: {len(landed)} landed, {len(refused)} refused as conflicts")


def _save_until_it_lands(url: str, worker: int, barrier) -> tuple[int, int, int]:
    """In a separate process: read, save; on a conflict read again and retry. (version, conflicts)."""
    s = Store(url)
    conflicts = 0
    try:
        barrier.wait(timeout=120)
        while True:
            current = s.current(FAKE_ROUND, "Northshire")
            ret = current.model_copy(deep=True)
            ret.iro.expectations = f"Saved by worker {worker}."
            try:
                saved = s.save(
                    ret, based_on=current.provenance.version, channel="form", submitted_by=f"worker {worker}"
                )
                return (worker, saved.provenance.version, conflicts)
            except ConflictError:
                conflicts += 1
    finally:
        s.dispose()


def test_twenty_leads_who_review_and_save_again_all_land_in_turn(store, database_url, processes):
    store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    pool, manager = processes
    n = N_PROCESSES
    barrier = manager.Barrier(n)
    results = pool.starmap(_save_until_it_lands, [(database_url, i, barrier) for i in range(n)], chunksize=1)
    history = store.history(FAKE_ROUND, "Northshire")
    assert [h.version for h in history] == list(range(1, n + 2))
    assert sorted(version for _, version, _ in results) == list(range(2, n + 2))
    for worker, version, _ in results:
        assert history[version - 1].ret.iro.expectations == f"Saved by worker {worker}."
    print(f"\n{database_url.split(':')[0]}: all {n} landed after {sum(c for *_, c in results)} conflicts")


def test_the_store_gives_a_dataset_like_the_files(store):
    store.save(fake_return("Southshire"), based_on=None, channel="form", submitted_by="lead")
    store.save(fake_return("Northshire"), based_on=None, channel="form", submitted_by="lead")
    ds = store.dataset()
    assert list(ds.rounds) == ["fake-round"]
    assert [r.authority for r in ds.for_round("fake-round")] == ["Northshire", "Southshire"]
    assert ds.get("fake-round", "Southshire").provenance.version == 1


# ---------------------------------------------------------------------------
# Failures


def test_a_failure_in_the_middle_of_a_save_leaves_the_previous_version_current(store):
    v1 = store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")

    def fail_after_insert(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO RETURN_VERSIONS"):
            # The row has been written inside the transaction; now the disk "fails".
            raise sa.exc.OperationalError(statement, parameters, Exception("disk I/O error"))

    sa.event.listen(store.engine, "after_cursor_execute", fail_after_insert)
    try:
        with pytest.raises(StorageError) as info:
            store.save(amended(v1, high=99), based_on=1, channel="form", submitted_by="lead")
    finally:
        sa.event.remove(store.engine, "after_cursor_execute", fail_after_insert)
    assert not isinstance(info.value, ConflictError)
    assert "Your return was not saved" in str(info.value)
    assert "Version 1 is still the current version" in str(info.value)
    assert "disk I/O error" in str(info.value)
    assert count_versions(store) == 1
    assert store.current(FAKE_ROUND, "Northshire").iro.caseload.high == 60
    # The next save works and becomes version 2.
    assert (
        store.save(amended(v1, high=99), based_on=1, channel="form", submitted_by="lead").provenance.version
        == 2
    )


@pytest.mark.parametrize(
    "url, names",
    [
        # Nothing listens on port 1: the server named is not running.
        (
            "postgresql://nobody:s3cr3t-pw@127.0.0.1:1/none",
            ["127.0.0.1:1", "server is running", "DATABASE_URL"],
        ),
        # A folder that does not exist.
        ("sqlite:///{tmp}/no/such/folder/returns.db", ["/no/such/folder", "can be written to"]),
        # A "folder" that is a file.
        ("sqlite:///{tmp}/a-file/returns.db", ["a-file/returns.db", "can be written to"]),
    ],
)
def test_an_unreachable_database_gives_a_plain_message(tmp_path, url, names):
    (tmp_path / "a-file").write_text("not a folder")
    store = Store(url.format(tmp=tmp_path))
    with pytest.raises(StorageUnavailable) as info:
        store.current_returns()
    message = str(info.value)
    for name in names:
        assert name in message
    assert "s3cr3t-pw" not in message
    assert "Traceback" not in message
    with pytest.raises(StorageUnavailable, match=r"^Your return was not saved"):
        store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")


def test_an_unreadable_address_is_a_plain_message():
    with pytest.raises(StorageUnavailable, match="could not be read"):
        Store("not a url at all")


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:***@h/db"),  # psycopg 3 is used
        ("postgres://u:p@h/db", "postgresql+psycopg://u:***@h/db"),  # Heroku-style scheme
        ("postgresql+psycopg://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),  # already right
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),  # unchanged
    ],
)
def test_urls_are_normalised_and_masked(given, expected):
    assert storage.mask_url(storage.normalise_url(given)) == expected


def test_default_url_is_database_url_or_a_file_in_var(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert settings.default_database_url() == "postgresql://u@h/db"
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setattr(settings, "DEFAULT_DB_PATH", tmp_path / "var" / "returns.db")
    assert settings.default_database_url() == f"sqlite:///{tmp_path / 'var' / 'returns.db'}"
    assert (tmp_path / "var").is_dir()


# ---------------------------------------------------------------------------
# Rounds


def test_a_closed_round_refuses_submissions_with_a_clear_message(store):
    v1 = store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    store.set_round_open(FAKE_ROUND, False)
    assert not store.get_round(FAKE_ROUND).open_for_submissions
    with pytest.raises(RoundClosedError) as info:
        store.save(amended(v1, high=70), based_on=1, channel="form", submitted_by="lead")
    assert str(info.value) == (
        "The round 'A synthetic round for tests' is closed, so returns cannot be submitted or amended. "
        "Your answers have not been saved. Ask the coordinator to reopen the round."
    )
    assert count_versions(store) == 1
    store.set_round_open(FAKE_ROUND, True)
    assert (
        store.save(amended(v1, high=70), based_on=1, channel="form", submitted_by="lead").provenance.version
        == 2
    )


def test_an_unknown_round_is_named(store):
    with pytest.raises(UnknownRoundError, match="no round 'nope'"):
        store.save(fake_return(round_id="nope"), based_on=None, channel="form", submitted_by="lead")
    with pytest.raises(UnknownRoundError, match=r"There is no round 'nope'\. Rounds: fake-round\."):
        store.set_round_open("nope", True)


def test_data_version_changes_with_every_save_and_status_change(store):
    seen = {store.data_version()}
    v1 = store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    seen.add(store.data_version())
    store.save(amended(v1, high=70), based_on=1, channel="form", submitted_by="lead")
    seen.add(store.data_version())
    store.set_round_open(FAKE_ROUND, False)
    seen.add(store.data_version())
    assert len(seen) == 4
    # Reading changes nothing.
    before = store.data_version()
    store.current_returns()
    store.history(FAKE_ROUND, "Northshire")
    assert store.data_version() == before


def test_round_status_lists_who_has_submitted_and_who_has_not(store):
    from store.access import issue_code

    store.save(fake_return("Northshire"), based_on=None, channel="form", submitted_by="lead")
    issue_code(store, FAKE_ROUND, "Eastshire")  # expected, not yet submitted
    rows = {r.authority: r for r in store.round_status(FAKE_ROUND)}
    assert set(rows) == {"Northshire", "Eastshire"}
    assert rows["Northshire"].submitted and rows["Northshire"].version == 1
    assert rows["Northshire"].channel == "form"
    assert not rows["Eastshire"].submitted and rows["Eastshire"].version is None
    assert rows["Eastshire"].has_code


# ---------------------------------------------------------------------------
# Seeding


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of the synthetic survey_data folder (two returns in fake-round)."""
    target = tmp_path / "survey_data"
    shutil.copytree(FAKE_DATA, target)
    return target


def test_seeding_twice_changes_nothing(database_url, data_dir):
    store = Store(database_url)
    report = store.seed(load_survey_data(data_dir))
    assert report.rounds_added == ["fake-round"]
    assert sorted(a for _, a in report.returns_added) == ["Northshire", "Southshire"]
    before = (store.data_version(), count_versions(store))
    again = store.seed(load_survey_data(data_dir))
    assert not again.changed
    assert sorted(a for _, a in again.returns_kept) == ["Northshire", "Southshire"]
    assert (store.data_version(), count_versions(store)) == before
    current = store.current("fake-round", "Northshire")
    assert (current.provenance.version, current.provenance.channel) == (1, "seed")
    store.dispose()


def test_seeding_never_overwrites_a_newer_version_or_a_rounds_status(database_url, data_dir):
    store = Store(database_url)
    store.seed(load_survey_data(data_dir))
    v1 = store.current("fake-round", "Northshire")
    store.save(amended(v1, high=72), based_on=1, channel="form", submitted_by="lead")
    store.set_round_open("fake-round", False)
    store.seed(load_survey_data(data_dir))
    current = store.current("fake-round", "Northshire")
    assert (current.provenance.version, current.iro.caseload.high) == (2, 72)
    assert store.get_round("fake-round").open_for_submissions is False
    store.dispose()


def test_seeding_adds_a_return_that_is_new_in_the_files(database_url, data_dir):
    store = Store(database_url)
    store.seed(load_survey_data(data_dir))
    text = (data_dir / "fake-round" / "southshire.yaml").read_text()
    (data_dir / "fake-round" / "westshire.yaml").write_text(text.replace("Southshire", "Westshire"))
    report = store.seed(load_survey_data(data_dir))
    assert report.returns_added == [("fake-round", "Westshire")]
    assert len(store.current_returns("fake-round")) == 3
    store.dispose()


def test_a_round_added_by_a_test_fixture_is_listed(store):
    store.add_round(fake_round("other-round", is_open=False))
    assert [(r.id, r.open_for_submissions) for r in store.rounds()] == [
        ("fake-round", True),
        ("other-round", False),
    ]
