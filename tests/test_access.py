"""Access codes: only your own authority, wrong codes throttled, codes never stored in clear."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from conftest import FAKE_ROUND, fake_return

from store import access
from store.access import (
    ALPHABET,
    NoCodeError,
    ThrottledError,
    WrongCodeError,
    issue_code,
    revoke_code,
    verify_code,
)
from store.errors import UnknownRoundError
from store.schema import metadata

T0 = dt.datetime(2026, 6, 1, 9, 0, 30, tzinfo=dt.UTC)


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def wrong_code(right: str) -> str:
    """A well-formed code that is not ``right``."""
    return "AAAA-AAAA-AAAA" if right != "AAAA-AAAA-AAAA" else "CCCC-CCCC-CCCC"


def database_text(store) -> str:
    """Everything stored in every table, as one string."""
    chunks = []
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                chunks.append(" ".join(str(v) for v in row))
    return "\n".join(chunks)


def test_a_code_is_twelve_unambiguous_characters_in_groups_of_four(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert set(code.replace("-", "")) <= set(ALPHABET)
    assert not set("0O1IL") & set(code)


def test_the_right_code_is_accepted_however_it_is_typed(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    verify_code(store, FAKE_ROUND, "Northshire", code)
    # Lower case, spaces instead of hyphens, the authority in another case.
    verify_code(store, FAKE_ROUND, "northshire", code.lower().replace("-", " "))


def test_the_code_is_never_stored_in_clear(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    verify_code(store, FAKE_ROUND, "Northshire", code)
    text = database_text(store)
    assert code not in text
    assert code.replace("-", "") not in text
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(sa.text("scheme, salt, hash FROM access_codes"))).one()
    assert row.scheme.startswith("scrypt:")
    assert len(bytes.fromhex(row.salt)) == 16


def test_a_code_unlocks_only_its_own_authority_and_round(store):
    from conftest import fake_round

    store.add_round(fake_round("other-round"))
    code = issue_code(store, FAKE_ROUND, "Northshire")
    issue_code(store, FAKE_ROUND, "Southshire")
    with pytest.raises(WrongCodeError):
        verify_code(store, FAKE_ROUND, "Southshire", code)
    with pytest.raises(NoCodeError):
        verify_code(store, "other-round", "Northshire", code)


def test_a_wrong_code_changes_nothing(store):
    store.save(fake_return(), based_on=None, channel="form", submitted_by="lead")
    code = issue_code(store, FAKE_ROUND, "Northshire")
    before_version = store.data_version()
    before_returns = [r.model_dump() for r in store.current_returns()]
    with pytest.raises(WrongCodeError) as info:
        verify_code(store, FAKE_ROUND, "Northshire", wrong_code(code), now=minutes(0))
    assert str(info.value) == (
        "That code is not right for Northshire. Check it and try again: 4 tries left before a 15-minute wait."
    )
    assert info.value.tries_left == 4
    assert store.data_version() == before_version
    assert [r.model_dump() for r in store.current_returns()] == before_returns
    # The right code still works afterwards.
    verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(1))


def test_five_wrong_tries_lock_the_authority_out_and_say_until_when(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    left = []
    for i in range(4):
        with pytest.raises(WrongCodeError) as info:
            verify_code(store, FAKE_ROUND, "Northshire", wrong_code(code), now=minutes(i))
        left.append(info.value.tries_left)
    assert left == [4, 3, 2, 1]
    # The fifth wrong try: no tries left; the first try was at 09:00:30, so 09:15:30 -> 09:16.
    with pytest.raises(WrongCodeError) as info:
        verify_code(store, FAKE_ROUND, "Northshire", wrong_code(code), now=minutes(4))
    assert info.value.tries_left == 0
    assert "That was the last try. Try again at 10:16 UK time (in 12 minutes)." in str(info.value)
    # Now even the right code is refused, with the time to try again.
    with pytest.raises(ThrottledError) as info:
        verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(10))
    assert str(info.value) == (
        "Too many wrong codes have been entered for Northshire. Try again at 10:16 UK time (in 6 minutes)."
    )
    assert code not in str(info.value)
    # Another authority is not affected.
    other = issue_code(store, FAKE_ROUND, "Southshire")
    verify_code(store, FAKE_ROUND, "Southshire", other, now=minutes(10))
    # Fifteen minutes after the first wrong try, the right code works again.
    verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(15.5))


def test_throttled_tries_do_not_extend_the_wait(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    for i in range(5):
        with pytest.raises(WrongCodeError):
            verify_code(store, FAKE_ROUND, "Northshire", wrong_code(code), now=minutes(i))
    for i in range(5, 14):
        with pytest.raises(ThrottledError, match="10:16 UK time"):
            verify_code(store, FAKE_ROUND, "Northshire", wrong_code(code), now=minutes(i))
    verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(16))


def test_a_right_code_resets_the_count_of_wrong_tries(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    for i in range(4):
        with pytest.raises(WrongCodeError):
            verify_code(store, FAKE_ROUND, "Northshire", wrong_code(code), now=minutes(i))
    verify_code(store, FAKE_ROUND, "Northshire", code, now=minutes(5))
    with pytest.raises(WrongCodeError) as info:
        verify_code(store, FAKE_ROUND, "Northshire", wrong_code(code), now=minutes(6))
    assert info.value.tries_left == 4


def test_issuing_a_new_code_ends_the_old_one(store):
    old = issue_code(store, FAKE_ROUND, "Northshire")
    new = issue_code(store, FAKE_ROUND, "Northshire")
    assert old != new
    with pytest.raises(WrongCodeError):
        verify_code(store, FAKE_ROUND, "Northshire", old)
    verify_code(store, FAKE_ROUND, "Northshire", new)


def test_a_revoked_code_is_refused(store):
    code = issue_code(store, FAKE_ROUND, "Northshire")
    assert revoke_code(store, FAKE_ROUND, "northshire") is True
    with pytest.raises(NoCodeError) as info:
        verify_code(store, FAKE_ROUND, "Northshire", code)
    assert (
        str(info.value)
        == "The access code for Northshire has been revoked. Ask the coordinator for a new one."
    )
    assert revoke_code(store, FAKE_ROUND, "Northshire") is False  # nothing left to revoke


def test_no_code_issued_says_ask_the_coordinator(store):
    with pytest.raises(NoCodeError) as info:
        verify_code(store, FAKE_ROUND, "Eastshire", "AAAA-AAAA-AAAA")
    assert str(info.value) == (
        "No access code has been issued to Eastshire for this round. Ask the coordinator for one."
    )


def test_codes_are_issued_only_for_known_rounds(store):
    with pytest.raises(UnknownRoundError, match="no round 'nope'"):
        issue_code(store, "nope", "Northshire")


def test_issuing_and_revoking_change_the_data_version(store):
    before = store.data_version()
    issue_code(store, FAKE_ROUND, "Northshire")
    middle = store.data_version()
    revoke_code(store, FAKE_ROUND, "Northshire")
    assert len({before, middle, store.data_version()}) == 3


def test_codes_are_random():
    codes = {access.new_code() for _ in range(200)}
    assert len(codes) == 200
