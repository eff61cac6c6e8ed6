"""Access codes: a lead unlocks the form for their own authority, and no other.

The coordinator issues a code per authority per round (``cli.py issue-code``).
The code is shown once; the database keeps only a random salt and a slow
hash of it (``hashlib.scrypt``), so a copy of the database does not reveal
any code. Issuing a new code revokes the previous one; ``revoke_code`` ends it.

Wrong codes are throttled per authority and source (a browser session or
address, or the command line): after ``MAX_WRONG_TRIES`` wrong codes from one
source for an authority within ``THROTTLE_WINDOW`` no further code (right or
wrong) from that source is checked until the oldest of those tries is older
than the window; after ``MAX_WRONG_TRIES_PER_AUTHORITY`` from all sources
together, none is. So one visitor cannot lock the lead out, and guessing from
many sessions is still bounded. The coordinator secret is throttled the same
way (``check_coordinator_secret``). Codes are never logged, put in messages, or
stored in clear.

Names are checked where they are made: ``check_authority_name`` refuses a name
that no return could hold (the return model's own rules and message), for
``issue-code`` and the Coordinator page alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import sqlalchemy as sa

from models.names import authority_key, quoted
from store import Store, audit, rights
from store.engine import hhmm, now_utc, utc
from store.errors import StorageError, UnknownRoundError
from store.rights import Actor
from store.schema import codes_table, tries_table

#: Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 12
GROUP = 4
MAX_WRONG_TRIES = 5
#: Wrong tries for one authority from all sources together in the window (well above the
#: per-source limit, so that one visitor cannot lock the lead out).
MAX_WRONG_TRIES_PER_AUTHORITY = 50
THROTTLE_WINDOW = dt.timedelta(minutes=15)
#: scrypt cost: 16 MiB of memory and a few tens of milliseconds per check.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SCHEME = f"scrypt:n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}"
#: The kinds of credential throttled, and the key the coordinator secret is counted under.
CODE, SECRET = "code", "coordinator"
COORDINATOR_KEY = "(coordinator)"
#: Sources of a try: the command line is one source; a page passes its session or address.
COMMAND_LINE = "command line"
UNKNOWN_SOURCE = "unknown"


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


class WrongSecretError(AccessError):
    def __init__(self, message: str, tries_left: int, retry_at: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.tries_left = tries_left
        self.retry_at = retry_at


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


class AuthorityNameError(AccessError):
    """A name that no return could hold; the message is the return model's own."""


def _register_problem(name: str) -> str | None:
    """Hook for the authority register: a message if ``name`` is not in it, else None.

    Until the register lands every name that passes the model's rules is accepted.
    """
    return None


def check_authority_name(name: str) -> str:
    """``name`` tidied (spacing), or AuthorityNameError with the message the return model would give.

    Called where names are made (``issue_code``, so ``cli.py issue-code``; and the
    Coordinator page before it issues a code), so that no code is given to a name
    that could never hold a return.
    """
    from pydantic import ValidationError

    from models.errors import explain
    from models.returns import AuthorityReturn

    tidy = " ".join((name or "").split())
    if any("\ud800" <= ch <= "\udfff" for ch in tidy):
        raise AuthorityNameError(
            "Local authority: the name holds a character that is not valid text. Type it again."
        )
    try:
        AuthorityReturn.model_validate({"authority": tidy})
    except ValidationError as exc:
        for problem in explain(exc):
            if problem.path == "authority":
                raise AuthorityNameError(f"{problem.question}: {problem.message}") from None
    message = _register_problem(tidy)
    if message:
        raise AuthorityNameError(f"Local authority: {message}")
    return tidy


def _check_round(store: Store, round_id: str) -> None:
    if round_id not in {r.id for r in store.rounds()}:
        known = ", ".join(r.id for r in store.rounds()) or "none yet"
        raise UnknownRoundError(f"There is no round '{quoted(round_id)}'. Rounds: {known}.")


def _current_code(conn: sa.Connection, round_id: str, key: str) -> sa.Row | None:
    c = codes_table
    return conn.execute(
        sa.select(c)
        .where(c.c.round_id == round_id, c.c.authority_key == key, c.c.revoked_at.is_(None))
        .order_by(c.c.id.desc())
        .limit(1)
    ).first()


def issue_code(store: Store, round_id: str, authority: str, *, who: Actor | str | None = None) -> str:
    """Issue a new code for ``authority`` in ``round_id`` and return it (the only time it is seen).

    Any earlier code for that authority and round stops working. ``who`` (default: whoever
    ``store.audit.acting_as`` names) must still be allowed to coordinate, checked in the same
    transaction (``store.rights.check_coordinate``).
    """
    _check_round(store, round_id)
    authority = check_authority_name(authority)
    key = authority_key(authority)
    code = new_code()
    salt = secrets.token_bytes(16)
    now = now_utc()
    actor = audit.current(who)
    with (
        audit.refusal_logged(store, "action_refused", who=actor, round_id=round_id, authority=authority),
        store.transaction(f"issue a code to {authority}", write=True) as conn,
    ):
        rights.checked(conn, actor, f"issue a code to {authority}")
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
        Store.log_event(conn, "code_issued", round_id, authority, who=actor)
    return code


def revoke_code(store: Store, round_id: str, authority: str, *, who: Actor | str | None = None) -> bool:
    """End the authority's code for the round. True if there was one to end (``who`` as for ``issue_code``)."""
    _check_round(store, round_id)
    key = authority_key(authority)
    actor = audit.current(who)
    with (
        audit.refusal_logged(store, "action_refused", who=actor, round_id=round_id, authority=authority),
        store.transaction(f"revoke the code of {authority}", write=True) as conn,
    ):
        rights.checked(conn, actor, f"revoke the code of {authority}")
        c = codes_table
        ended = conn.execute(
            c.update()
            .where(c.c.round_id == round_id, c.c.authority_key == key, c.c.revoked_at.is_(None))
            .values(revoked_at=now_utc())
        ).rowcount
        if ended:
            Store.log_event(conn, "code_revoked", round_id, authority, who=actor)
    return bool(ended)


def has_code(store: Store, round_id: str, authority: str) -> bool:
    with store.transaction("the access codes") as conn:
        return _current_code(conn, round_id, authority_key(authority)) is not None


# ---------------------------------------------------------------------------
# Throttling: every credential, per authority and source, safe under a race.


def _lock_key(conn: sa.Connection, credential: str, key: str) -> None:
    """Serialise the tries of one credential for one authority until the transaction ends.

    SQLite: the write transaction began with BEGIN IMMEDIATE, which already lets one
    writer in at a time. PostgreSQL: a transaction-scoped advisory lock on the key.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"{credential}:{key}"))))


def _wrong_tries(
    conn: sa.Connection, credential: str, key: str, now: dt.datetime
) -> tuple[list[dt.datetime], dict[str, list[dt.datetime]]]:
    """Wrong tries in the window since the authority's last right one: all of them, and by source."""
    t = tries_table
    since = now - THROTTLE_WINDOW
    mine = (t.c.credential == credential, t.c.authority_key == key)
    last_ok = conn.execute(sa.select(sa.func.max(t.c.at)).where(*mine, t.c.ok.is_(True))).scalar()
    if last_ok is not None and utc(last_ok) > since:
        since = utc(last_ok)
    rows = conn.execute(
        sa.select(t.c.at, t.c.source).where(*mine, t.c.ok.is_(False), t.c.at > since).order_by(t.c.at, t.c.id)
    ).all()
    by_source: dict[str, list[dt.datetime]] = {}
    for r in rows:
        by_source.setdefault(r.source, []).append(utc(r.at))
    return [utc(r.at) for r in rows], by_source


def _minutes(now: dt.datetime, then: dt.datetime) -> str:
    n = max(1, -(-int((then - now).total_seconds()) // 60))
    return f"{n} minute{'s' if n != 1 else ''}"


def _wait(now: dt.datetime, retry_at: dt.datetime) -> str:
    return f"Try again at {hhmm(retry_at)} (in {_minutes(now, retry_at)})."


def _throttle(
    conn: sa.Connection, credential: str, key: str, source: str, now: dt.datetime, who: str
) -> tuple[int, list[dt.datetime]]:
    """Raise ThrottledError if this source (or the authority as a whole) has had its tries.

    Returns (wrong tries of this source, including none of this one; all wrong tries).
    """
    everyone, by_source = _wrong_tries(conn, credential, key, now)
    mine = by_source.get(source, [])
    if len(mine) >= MAX_WRONG_TRIES:
        retry_at = _ceil_minute(mine[-MAX_WRONG_TRIES] + THROTTLE_WINDOW)
        raise ThrottledError(f"Too many wrong {who}. {_wait(now, retry_at)}", retry_at)
    if len(everyone) >= MAX_WRONG_TRIES_PER_AUTHORITY:
        retry_at = _ceil_minute(everyone[-MAX_WRONG_TRIES_PER_AUTHORITY] + THROTTLE_WINDOW)
        raise ThrottledError(
            f"Too many wrong {who} from several places. {_wait(now, retry_at)} "
            "If they were not yours, tell the coordinator.",
            retry_at,
        )
    return len(mine), everyone


def _record_try(
    conn: sa.Connection, credential: str, key: str, source: str, round_id: str | None, now
) -> int:
    """Record a try as wrong (it is marked right once checked); its id."""
    result = conn.execute(
        tries_table.insert().values(
            credential=credential,
            authority_key=key,
            source=_source(source),
            round_id=round_id,
            at=now,
            ok=False,
        )
    )
    return int(result.inserted_primary_key[0])


def _source(source: str | None) -> str:
    text = " ".join((source or "").split())[:200]
    return text or UNKNOWN_SOURCE


def _after_wrong(
    now: dt.datetime, tries_before: int, first: dt.datetime | None
) -> tuple[str, int, dt.datetime | None]:
    left = MAX_WRONG_TRIES - tries_before - 1
    if left > 0:
        return (
            f"Check it and try again: {left} {'try' if left == 1 else 'tries'} left before a "
            f"{int(THROTTLE_WINDOW.total_seconds() // 60)}-minute wait.",
            left,
            None,
        )
    retry_at = _ceil_minute((first or now) + THROTTLE_WINDOW)
    return f"That was the last try. {_wait(now, retry_at)}", 0, retry_at


def verify_code(
    store: Store,
    round_id: str,
    authority: str,
    code: str,
    now: dt.datetime | None = None,
    *,
    source: str = UNKNOWN_SOURCE,
) -> int:
    """Accept the code (return its id, for ``store.rights.by_code``) or raise WrongCodeError /
    ThrottledError / NoCodeError.

    ``source`` says where the try comes from: the Submit page passes the visitor's
    session or address (``ui.request.client_source()``), the command line passes
    ``COMMAND_LINE``. Each source gets ``MAX_WRONG_TRIES`` wrong codes per authority in
    ``THROTTLE_WINDOW``; the authority as a whole gets ``MAX_WRONG_TRIES_PER_AUTHORITY``.

    Counting, checking the limit and recording the try happen in one transaction
    serialised per authority, before the slow hash is worked out; so tries sent at
    the same moment are each counted, and no more than the limit are ever checked.
    A code for an authority with no current code (never issued, or revoked) is a wrong try too:
    counted and logged. A wrong code changes nothing but the count of wrong tries.
    """
    now = utc(now) if now is not None else now_utc()
    key = authority_key(authority)
    name = " ".join(authority.split())
    source = _source(source)
    try:
        row, revoked, try_id, tries_before = _count_code_try(store, round_id, key, name, source, now)
    except ThrottledError:
        store.record("code_refused", round_id=round_id, authority=name, detail="too many wrong codes")
        raise
    if row is None:
        if revoked is not None:
            store.record("code_refused", round_id=round_id, authority=name, detail="a revoked code")
            raise NoCodeError(
                f"The access code for {name} has been revoked. Ask the coordinator for a new one."
            )
        store.record("code_refused", round_id=round_id, authority=name, detail="no code issued")
        raise NoCodeError(
            f"No access code has been issued to {name} for this round. Ask the coordinator for one."
        )
    # The slow hash is worked out outside any transaction, so it never holds up a save;
    # the try is already counted.
    ok = hmac.compare_digest(_hash(code, bytes.fromhex(row.salt), row.scheme), row.hash)
    if ok:
        with store.transaction("check the code", write=True) as conn:
            conn.execute(tries_table.update().where(tries_table.c.id == try_id).values(ok=True))
        return int(row.id)
    with store.transaction("the access codes") as conn:
        _, by_source = _wrong_tries(conn, CODE, key, now)
    mine = by_source.get(source, [])
    first = mine[-MAX_WRONG_TRIES] if len(mine) >= MAX_WRONG_TRIES else None
    advice, left, retry_at = _after_wrong(now, tries_before, first)
    store.record("code_refused", round_id=round_id, authority=name, detail="wrong code")
    raise WrongCodeError(f"That code is not right for {name}. {advice}", left, retry_at)


def _count_code_try(store: Store, round_id: str, key: str, name: str, source: str, now: dt.datetime):
    """Count, check the limit and record one try of a code, in one transaction serialised per
    authority: (current code row or None, a revoked code's id or None, the try's id, tries before).
    A try with no current code to check is recorded as wrong at once."""
    revoked = None
    with store.transaction("check the code", write=True) as conn:
        _lock_key(conn, CODE, key)
        tries_before, _ = _throttle(conn, CODE, key, source, now, f"codes have been entered for {name}")
        row = _current_code(conn, round_id, key)
        if row is None:
            c = codes_table
            revoked = conn.execute(
                sa.select(c.c.id).where(c.c.round_id == round_id, c.c.authority_key == key).limit(1)
            ).first()
        try_id = _record_try(conn, CODE, key, source, round_id, now)
    return row, revoked, try_id, tries_before


def code_is_current(store: Store, code_id: int, round_id: str, authority: str) -> bool:
    """Whether the code ``code_id`` is still ``authority``'s working code for ``round_id``."""
    c = codes_table
    with store.transaction("the access codes") as conn:
        row = conn.execute(sa.select(c).where(c.c.id == code_id)).first()
    return (
        row is not None
        and row.round_id == round_id
        and row.authority_key == authority_key(authority)
        and row.revoked_at is None
    )


def check_coordinator_secret(
    store: Store, given: str, expected: str, source: str = UNKNOWN_SOURCE, now: dt.datetime | None = None
) -> None:
    """Accept the coordinator secret (return None) or raise WrongSecretError / ThrottledError.

    The same limits as access codes, per source and overall; the count, the check and
    the record are one transaction serialised like a code's. The secret is never
    stored or logged.
    """
    now = utc(now) if now is not None else now_utc()
    source = _source(source)
    with store.transaction("check the coordinator secret", write=True) as conn:
        _lock_key(conn, SECRET, COORDINATOR_KEY)
        tries_before, _ = _throttle(
            conn, SECRET, COORDINATOR_KEY, source, now, "coordinator secrets have been entered"
        )
        ok = bool(given) and hmac.compare_digest(given.encode(), expected.encode())
        try_id = _record_try(conn, SECRET, COORDINATOR_KEY, source, None, now)
        if ok:
            conn.execute(tries_table.update().where(tries_table.c.id == try_id).values(ok=True))
            return None
        _, by_source = _wrong_tries(conn, SECRET, COORDINATOR_KEY, now)
    mine = by_source.get(source, [])
    first = mine[-MAX_WRONG_TRIES] if len(mine) >= MAX_WRONG_TRIES else None
    advice, left, retry_at = _after_wrong(now, tries_before, first)
    raise WrongSecretError(f"That is not the coordinator secret. {advice}", left, retry_at)
