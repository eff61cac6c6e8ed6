"""One log line per request of consequence, written when (and only if) its audit entry is committed.

Everything of consequence the app does is already written to the audit log in the transaction that
does it: a save, a code issued, revoked or refused, a refused sign-in or secret, a round created,
opened or closed, a domain or coordinator changed. ``install()`` makes each of those entries also a
line in the server's log (logger ``iro_cp.requests``), once its transaction commits, e.g.::

    return_saved who="lead@kent.gov.uk" authority="Kent" round="seslip-2027" detail="version 3 (form)"

So the log and the audit log cannot disagree, and the log holds exactly what the audit log holds:
who (a verified email, "access code for Kent", "command line"), the authority, the round and a short
detail; never a code, secret, cookie or the text of an email (the audit writers never pass them).
A refusal the database could not record (because it could not be reached) is logged by
``log_refused``. Text is written on one line, control characters shown as escapes.

Never imports Streamlit.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

LOG = logging.getLogger("iro_cp.requests")
FIELDS = ("who", "authority", "round_id", "detail")
NAMES = {"round_id": "round"}
_PENDING = "iro_cp_request_log"
_installed = False


def clean(value: Any, limit: int = 200) -> str:
    """A value as it may go in a log line: quoted, on one line, controls escaped, at most ``limit`` characters."""
    text = str(value)[:limit]
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif (
            ord(ch) < 32
            or 0x7F <= ord(ch) < 0xA0
            or ch in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        ):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def line(action: str, **fields: Any) -> str:
    parts = [clean(action, 40)[1:-1]]
    for name in FIELDS:
        value = fields.get(name)
        if value is not None and value != "":
            parts.append(f"{NAMES.get(name, name)}={clean(value)}")
    return " ".join(parts)


def log_refused(
    action: str, *, who: str | None, authority: str | None, round_id: str | None, reason: str
) -> None:
    """Log a refusal the audit log could not hold (the database was unreachable)."""
    LOG.warning(line(action, who=who, authority=authority, round_id=round_id, detail=reason))


def _audit_insert(clause: Any) -> dict[str, Any] | None:
    if not isinstance(clause, sa.sql.dml.Insert) or getattr(clause.table, "name", None) != "audit_log":
        return None
    params = clause.compile().params
    return params if params.get("action") else None


def _after_execute(
    conn: Connection, clause: Any, multiparams: Any, params: Any, options: Any, result: Any
) -> None:
    entry = _audit_insert(clause)
    if entry is not None:
        conn.info.setdefault(_PENDING, []).append(entry)


#: Who the returns loaded from ``survey_data/`` on first start are saved by: not a request, so not logged.
SEEDING = "survey_data (loaded on start)"


def _commit(conn: Connection) -> None:
    for entry in conn.info.pop(_PENDING, []):
        if entry.get("who") == SEEDING:
            level = logging.DEBUG
        elif entry["action"].endswith("_refused"):
            level = logging.WARNING
        else:
            level = logging.INFO
        LOG.log(level, line(entry["action"], **{k: entry.get(k) for k in FIELDS}))


def _rollback(conn: Connection) -> None:
    conn.info.pop(_PENDING, None)


def install() -> None:
    """Log every committed audit entry, from every database engine in this process (idempotent)."""
    global _installed
    if _installed:
        return
    sa.event.listen(Engine, "after_execute", _after_execute)
    sa.event.listen(Engine, "commit", _commit)
    sa.event.listen(Engine, "rollback", _rollback)
    _installed = True
