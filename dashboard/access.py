"""Access codes: a lead unlocks the form for their own authority, and no other.

The coordinator issues a code per authority per round (``cli.py issue-code``).
The code is shown once; the database keeps only a random salt and a slow
hash of it (``hashlib.scrypt``), so a copy of the database does not reveal
any code. Issuing a new code revokes the previous one; ``revoke_code`` ends it.

Wrong codes are throttled: after ``MAX_WRONG_TRIES`` wrong codes for an
authority within ``THROTTLE_WINDOW`` no further code (right or wrong) is
checked until the oldest of those tries is older than the window. Codes are
never logged, put in messages, or stored in clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import sqlalchemy as sa

from dashboard.storage import (
    StorageError,
    Store,
    UnknownRoundError,
    attempts_table,
    authority_key,
    codes_table,
    hhmm,
    now_utc,
    record_audit,
    utc,
)

#: Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 12
GROUP = 4
MAX_WRONG_TRIES = 5
THROTTLE_WINDOW = dt.timedelta(minutes=15)
#: scrypt cost: 16 MiB of memory and a few tens of milliseconds per check.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SCHEME = f"scrypt:n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}"


class AccessError(StorageError):
    """The code was not accepted; the message says why and what to do."""


class WrongCodeError(AccessError):
    def __init__(self, message: str, tries_left: int, retry_at: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.tries_left = tries_left
        self.retry_at = retry_at


class ThrottledError(AccessError):
    def __init__(self, message: str, retry_at: dt.datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class NoCodeError(AccessError):
    pass


def _ceil_minute(t: dt.datetime) -> dt.datetime:
    """Round up, so that 'try again at HH:MM' is never a minute too early."""
    floor = t.replace(second=0, microsecond=0)
    return floor if floor == t else floor + dt.timedelta(minutes=1)


def normalise_code(code: str) -> str:
    """What a person typed, as compared: upper case, spaces and hyphens removed."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str, salt: bytes, scheme: str = SCHEME) -> str:
    """scrypt of the normalised code, with the cost the stored scheme names ('scrypt:n=..,r=..,p=..')."""
    name, _, params = scheme.partition(":")
    if name != "scrypt":
        raise ValueError(f"unknown code hashing scheme {name!r}")
    cost = {k: int(v) for k, v in (item.split("=") for item in params.split(","))}
    digest = hashlib.scrypt(
        normalise_code(code).encode(), salt=salt, n=cost["n"], r=cost["r"], p=cost["p"], dklen=32
    )
    return digest.hex()


def new_code() -> str:
    """A random code such as 'K7QF-3MXC-9TAH' (about 56 bits)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def _check_round(store: Store, round_id: str) -> None:
    if round_id not in {r.id for r in store.rounds()}:
        known = ", ".join(r.id for r in store.rounds()) or "none yet"
        raise UnknownRoundError(f"There is no round '{round_id}'. Rounds: {known}.")


def _current_code(conn: sa.Connection, round_id: str, key: str) -> sa.Row | None:
    c = codes_table
    return conn.execute(
        sa.select(c)
        .where(c.c.round_id == round_id, c.c.authority_key == key, c.c.revoked_at.is_(None))
        .order_by(c.c.id.desc())
        .limit(1)
    ).first()


def issue_code(store: Store, round_id: str, authority: str) -> str:
    """Issue a new code for ``authority`` in ``round_id`` and return it (the only time it is seen).

    Any earlier code for that authority and round stops working.
    """
    _check_round(store, round_id)
    authority = " ".join(authority.split())
    key = authority_key(authority)
    code = new_code()
    salt = secrets.token_bytes(16)
    now = now_utc()
    with store._writing(f"issue a code to {authority}"), store._conn(write=True) as conn:
        c = codes_table
        conn.execute(
            c.update()
            .where(c.c.round_id == round_id, c.c.authority_key == key, c.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        conn.execute(
            c.insert().values(
                round_id=round_id,
                authority=authority,
                authority_key=key,
                scheme=SCHEME,
                salt=salt.hex(),
                hash=_hash(code, salt),
                issued_at=now,
            )
        )
        Store.log_event(conn, "code_issued", round_id, authority)
    return code


def revoke_code(store: Store, round_id: str, authority: str) -> bool:
    """End the authority's code for the round. True if there was one to end."""
    _check_round(store, round_id)
    key = authority_key(authority)
    with store._writing(f"revoke the code of {authority}"), store._conn(write=True) as conn:
        c = codes_table
        ended = conn.execute(
            c.update()
            .where(c.c.round_id == round_id, c.c.authority_key == key, c.c.revoked_at.is_(None))
            .values(revoked_at=now_utc())
        ).rowcount
        if ended:
            Store.log_event(conn, "code_revoked", round_id, authority)
    return bool(ended)


def has_code(store: Store, round_id: str, authority: str) -> bool:
    with store._reading("the access codes"), store._conn() as conn:
        return _current_code(conn, round_id, authority_key(authority)) is not None


def _wrong_tries(conn: sa.Connection, key: str, now: dt.datetime) -> list[dt.datetime]:
    """Times of the wrong codes for this authority in the window, since its last right code."""
    a = attempts_table
    since = now - THROTTLE_WINDOW
    last_ok = conn.execute(
        sa.select(sa.func.max(a.c.at)).where(a.c.authority_key == key, a.c.ok.is_(True))
    ).scalar()
    if last_ok is not None and utc(last_ok) > since:
        since = utc(last_ok)
    rows = conn.execute(
        sa.select(a.c.at).where(a.c.authority_key == key, a.c.ok.is_(False), a.c.at > since).order_by(a.c.at)
    )
    return [utc(r.at) for r in rows]


def verify_code(
    store: Store, round_id: str, authority: str, code: str, now: dt.datetime | None = None
) -> None:
    """Accept the code (return None) or raise WrongCodeError / ThrottledError / NoCodeError.

    A wrong code changes nothing but the count of wrong tries.
    """
    now = utc(now) if now is not None else now_utc()
    key = authority_key(authority)
    name = " ".join(authority.split())
    with store._reading("the access codes"), store._conn() as conn:
        tries = _wrong_tries(conn, key, now)
        if len(tries) >= MAX_WRONG_TRIES:
            retry_at = _ceil_minute(tries[-MAX_WRONG_TRIES] + THROTTLE_WINDOW)
            store.record("code_refused", round_id=round_id, authority=name, detail="too many wrong codes")
            raise ThrottledError(
                f"Too many wrong codes have been entered for {name}. Try again at {hhmm(retry_at)}.",
                retry_at,
            )
        row = _current_code(conn, round_id, key)
        if row is None:
            c = codes_table
            revoked = conn.execute(
                sa.select(c.c.id).where(c.c.round_id == round_id, c.c.authority_key == key).limit(1)
            ).first()
            if revoked is not None:
                raise NoCodeError(
                    f"The access code for {name} has been revoked. Ask the coordinator for a new one."
                )
            raise NoCodeError(
                f"No access code has been issued to {name} for this round. Ask the coordinator for one."
            )
    # The slow hash is worked out outside any transaction, so it never holds up a save.
    ok = hmac.compare_digest(_hash(code, bytes.fromhex(row.salt), row.scheme), row.hash)
    with store._writing("check the code"), store._conn(write=True) as conn:
        conn.execute(attempts_table.insert().values(round_id=round_id, authority_key=key, at=now, ok=ok))
        if not ok:
            record_audit(conn, "code_refused", round_id=round_id, authority=name, detail="wrong code")
            tries = _wrong_tries(conn, key, now)
    if ok:
        return None
    left = MAX_WRONG_TRIES - len(tries)
    if left > 0:
        raise WrongCodeError(
            f"That code is not right for {name}. Check it and try again: "
            f"{left} {'try' if left == 1 else 'tries'} left before a 15-minute wait.",
            left,
        )
    retry_at = _ceil_minute(tries[-MAX_WRONG_TRIES] + THROTTLE_WINDOW)
    raise WrongCodeError(
        f"That code is not right for {name}, and that was the last try. Try again at {hhmm(retry_at)}.",
        0,
        retry_at,
    )
