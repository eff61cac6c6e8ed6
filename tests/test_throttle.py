"""Throttles that hold under a race, per authority and source, for codes and the coordinator secret;
names checked where codes are made."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import FAKE_ROUND

from store import Store
from store.access import (
    COMMAND_LINE,
    MAX_WRONG_TRIES,
    MAX_WRONG_TRIES_PER_AUTHORITY,
    AuthorityNameError,
    ThrottledError,
    WrongCodeError,
    WrongSecretError,
    check_authority_name,
    check_coordinator_secret,
    issue_code,
    verify_code,
)
from store.schema import tries_table
from tests.support.cli import run_cli

T0 = dt.datetime(2026, 6, 1, 9, 0, 30, tzinfo=dt.UTC)
SECRET = "the-right-coordinator-secret"
N_PROCESSES = 20


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def wrong(code: str) -> str:
    return "AAAA-AAAA-AAAA" if code != "AAAA-AAAA-AAAA" else "CCCC-CCCC-CCCC"


def test_one_visitor_cannot_lock_the_lead_out(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    for i in range(MAX_WRONG_TRIES):
        with pytest.raises(WrongCodeError):
            verify_code(
                store, FAKE_ROUND, "Northshire", wrong(code), now=minutes(i), source="session:visitor"
            )
    with pytest.raises(ThrottledError) as info:
        verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(6), source="session:visitor")
    assert str(info.value) == (
        "Too many wrong codes have been entered for Northshire. Try again at 10:16 UK time (in 10 minutes)."
    )
    # The lead, in their own session, still gets in at once.
    verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(6), source="session:lead")


def test_many_sources_together_meet_a_ceiling_per_authority(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    for i in range(MAX_WRONG_TRIES_PER_AUTHORITY):
        with pytest.raises(WrongCodeError):
            verify_code(
                store, FAKE_ROUND, "Northshire", wrong(code), now=minutes(i / 10), source=f"session:{i}"
            )
    with pytest.raises(ThrottledError) as info:
        verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(6), source="session:fresh")
    assert str(info.value) == (
        "Too many wrong codes have been entered for Northshire from several places. Try again at "
        "10:16 UK time (in 10 minutes). If they were not yours, tell the coordinator."
    )
    assert MAX_WRONG_TRIES_PER_AUTHORITY >= 5 * MAX_WRONG_TRIES
    verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(16), source="session:fresh")


def test_the_command_line_is_its_own_source(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    for i in range(MAX_WRONG_TRIES):
        with pytest.raises(WrongCodeError):
            verify_code(store, FAKE_ROUND, "Northshire", wrong(code), now=minutes(i), source="session:x")
    verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(6), source=COMMAND_LINE)


def test_the_coordinator_secret_is_throttled_like_a_code(store):
    for i in range(MAX_WRONG_TRIES - 1):
        with pytest.raises(WrongSecretError) as info:
            check_coordinator_secret(store, "guess", SECRET, "session:a", now=minutes(i))
    assert str(info.value) == (
        "That is not the coordinator secret. Check it and try again: 1 try left before a 15-minute wait."
    )
    with pytest.raises(WrongSecretError) as info:
        check_coordinator_secret(store, "guess", SECRET, "session:a", now=minutes(4))
    assert info.value.tries_left == 0
    assert "That was the last try. Try again at 10:16 UK time (in 12 minutes)." in str(info.value)
    with pytest.raises(ThrottledError, match=r"Try again at 10:16 UK time \(in 6 minutes\)"):
        check_coordinator_secret(store, SECRET, SECRET, "session:a", now=minutes(10))
    # Another session is not locked out; the right secret is accepted.
    check_coordinator_secret(store, SECRET, SECRET, "session:b", now=minutes(10))
    check_coordinator_secret(store, SECRET, SECRET, "session:a", now=minutes(16))


def test_an_empty_secret_is_never_accepted(store):
    with pytest.raises(WrongSecretError):
        check_coordinator_secret(store, "", "", "session:a")


# ---------------------------------------------------------------------------
# The race: twenty wrong tries at the same moment from separate processes.


@pytest.fixture(scope="module")
def processes():
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(N_PROCESSES) as pool:
        yield pool, manager


def _try_once(url: str, kind: str, barrier) -> str:
    """In a separate process: one wrong code (or secret), all from the same source."""
    s = Store(url)
    try:
        s.ensure_schema()
        barrier.wait(timeout=120)
        try:
            if kind == "code":
                verify_code(s, FAKE_ROUND, "Northshire", "AAAA-AAAA-AAAA", source="session:attacker")
            else:
                check_coordinator_secret(s, "guess", SECRET, "session:attacker")
        except (WrongCodeError, WrongSecretError):
            return "checked"
        except ThrottledError:
            return "throttled"
        return "accepted"
    finally:
        s.dispose()


@pytest.mark.parametrize("kind", ["code", "secret"])
def test_twenty_wrong_tries_at_once_check_at_most_the_limit(store, database_url, processes, kind):
    issue_code(store, FAKE_ROUND, "Northshire")
    pool, manager = processes
    barrier = manager.Barrier(N_PROCESSES)
    results = pool.starmap(_try_once, [(database_url, kind, barrier)] * N_PROCESSES, chunksize=1)
    assert results.count("accepted") == 0
    assert results.count("checked") == MAX_WRONG_TRIES
    assert results.count("throttled") == N_PROCESSES - MAX_WRONG_TRIES
    with store.engine.connect() as conn:
        recorded = conn.execute(sa.select(sa.func.count()).select_from(tries_table)).scalar()
    assert recorded == MAX_WRONG_TRIES


# ---------------------------------------------------------------------------
# Names checked where they are made.


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("12345", "Local authority: Enter the authority's name in words, for example 'Kent'."),
        ("---", "Local authority: Enter the authority's name in words, for example 'Kent'."),
        (
            "K" * 5000,
            "Local authority: This answer is 5,000 characters long; the limit is 200 characters. Shorten it.",
        ),
    ],
)
def test_a_name_no_return_could_hold_gets_no_code(store, name, message):
    with pytest.raises(AuthorityNameError) as info:
        check_authority_name(name)
    assert str(info.value) == message
    with pytest.raises(AuthorityNameError):
        issue_code(store, FAKE_ROUND, name)


def test_a_good_name_is_tidied():
    assert check_authority_name("  Brighton   and Hove ") == "Brighton and Hove"


def test_cli_issue_code_refuses_a_name_with_the_models_message(tmp_path, capsys):
    data = tmp_path / "survey_data"
    shutil.copytree(Path(__file__).parent / "fake_data" / "good", data)
    url = f"sqlite:///{tmp_path / 'r.db'}"
    args = ["--round", FAKE_ROUND, "--new-authority", "--database-url", url, "--data", str(data)]
    result = run_cli(capsys, "issue-code", "12345", *args)
    assert result.code == 2
    assert result.err.strip() == (
        "Local authority: Enter the authority's name in words, for example 'Kent'. No code was issued."
    )
    result = run_cli(capsys, "issue-code", "X" * 5000, *args)
    assert result.code == 2 and "the limit is 200 characters" in result.err
    assert run_cli(capsys, "issue-code", "Westshire", *args).code == 0
