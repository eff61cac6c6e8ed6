"""Versions of returns: read the current one and the history, and save a new one.

* Append-only. Every save adds a row to ``return_versions`` (round, authority, version, the
  return as JSON, when, channel, the submitter's role, the version it was based on). A version
  row is never updated or deleted; the highest version of a (round, authority) is the current one.
* One transaction per save: the round is locked, checked open and the authority checked a member
  of it, the version checked current, the row and its audit entry written. If anything fails the
  transaction is rolled back, the previous version stays current, and ``StorageError`` says so.
* Optimistic concurrency. A save names the version it started from (``based_on``). If another
  save landed in between, it is refused with ``ConflictError``, which carries the current version
  and what changed. The unique key (round, authority, version) is the backstop under real
  concurrency; on SQLite writers take the write lock up front (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from models.diff import Change, diff_returns
from models.names import authority_key
from models.returns import AuthorityReturn
from store import rights
from store.audit import actor, record_audit
from store.audit import current as current_actor
from store.engine import hhmm, now_utc, utc
from store.errors import (
    ConflictError,
    InvalidReturnError,
    NotAMemberError,
    RoundClosedError,
    StorageError,
    UnknownRoundError,
    UnknownVersionError,
    UnreadableVersionError,
    _Conflict,
)
from store.loading import Dataset, LoadProblem
from store.rights import Actor, RightsError
from store.schema import codes_table, events_table, rounds_table, versions_table

CHANNELS = ("seed", "form", "upload")
#: The field of a data set's problem that says a stored version could not be read by this release.
UNREADABLE_FIELD = "stored by a newer release"
SEED_SUBMITTER = "seed"


@dataclass(frozen=True)
class VersionInfo:
    version: int
    saved_at: dt.datetime
    channel: str
    submitted_by: str
    based_on: int | None
    changes: list[Change]
    ret: AuthorityReturn
    #: Who saved it ("lead@kent.gov.uk", "access code for Kent"); None before this was recorded.
    saved_by: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "saved_at": self.saved_at.isoformat(),
            "channel": self.channel,
            "submitted_by": self.submitted_by,
            "saved_by": self.saved_by,
            "based_on": self.based_on,
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass(frozen=True)
class StatusRow:
    """One expected authority in a round: has it submitted, which version, when, how."""

    authority: str
    submitted: bool
    version: int | None
    saved_at: dt.datetime | None
    channel: str | None
    submitted_by: str | None
    has_code: bool


def submitter_role(text: str) -> str:
    return " ".join(text.split())[:200]


def ret_json(ret: AuthorityReturn) -> str:
    return json.dumps(ret.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


class VersionsMixin:
    """The returns part of ``store.Store``."""

    # -- reading returns ---------------------------------------------------

    def _return_from_row(self, row: sa.Row) -> AuthorityReturn:
        try:
            data = json.loads(row.data)
            prov = dict(data.get("provenance") or {})
            prov.update(
                version=row.version,
                channel=row.channel,
                submitted_at=utc(row.saved_at).isoformat(),
                submitted_by=row.submitted_by,
            )
            prov.setdefault("source", row.channel)
            data["provenance"] = prov
            return AuthorityReturn.model_validate(data)
        except ValidationError as exc:
            unknown = sorted(
                {".".join(str(p) for p in e["loc"]) for e in exc.errors() if e["type"] == "extra_forbidden"}
            )
            raise UnreadableVersionError(
                row.round_id, row.authority, row.version, unknown, exc.__class__.__name__
            ) from exc
        except ValueError as exc:
            raise StorageError(
                f"Version {row.version} of {row.authority}'s return in round '{row.round_id}' could not "
                f"be read back ({exc.__class__.__name__}). The stored data needs checking."
            ) from exc

    def _readable(self, rows: list[sa.Row], unreadable: list[UnreadableVersionError] | None) -> list:
        """The returns of ``rows``; a version this release cannot read is left out (and noted in
        ``unreadable``), so the rest of the data set still shows."""
        out = []
        for r in rows:
            try:
                out.append(self._return_from_row(r))
            except UnreadableVersionError as exc:
                if unreadable is not None:
                    unreadable.append(exc)
        return out

    def _latest_rows(self, conn: Connection, round_id: str | None, key: str | None = None) -> list[sa.Row]:
        v = versions_table
        latest = sa.select(
            v.c.round_id, v.c.authority_key, sa.func.max(v.c.version).label("version")
        ).group_by(v.c.round_id, v.c.authority_key)
        if round_id is not None:
            latest = latest.where(v.c.round_id == round_id)
        if key is not None:
            latest = latest.where(v.c.authority_key == key)
        latest = latest.subquery()
        q = (
            sa.select(v)
            .join(
                latest,
                sa.and_(
                    v.c.round_id == latest.c.round_id,
                    v.c.authority_key == latest.c.authority_key,
                    v.c.version == latest.c.version,
                ),
            )
            .order_by(v.c.round_id, v.c.authority_key)
        )
        return list(conn.execute(q))

    def current_returns(
        self, round_id: str | None = None, *, unreadable: list[UnreadableVersionError] | None = None
    ) -> list[AuthorityReturn]:
        """The current (latest) version of every return, in ``round_id`` or in every round.

        A version stored by a newer release (a field this one does not know) is left out and
        untouched; pass a list as ``unreadable`` to learn which."""
        with self.transaction("the returns") as conn:
            rows = self._latest_rows(conn, round_id)
        return self._readable(rows, unreadable)

    def dataset(self) -> Dataset:
        """Every round and the current version of every return, shaped like ``load_survey_data``'s.
        A version this release cannot read is a problem of the data set (``UNREADABLE_FIELD``), not
        a failure: every other return still shows."""
        unreadable: list[UnreadableVersionError] = []
        returns = self.current_returns(unreadable=unreadable)
        problems = [LoadProblem(e.where, UNREADABLE_FIELD, e.message) for e in unreadable]
        return Dataset(
            rounds={r.id: r for r in self.rounds()}, returns=returns, problems=problems, lives=self.lives()
        )

    def current(self, round_id: str, authority: str) -> AuthorityReturn | None:
        """The current version of one authority's return, or None if it has none."""
        with self.transaction("the return") as conn:
            rows = self._latest_rows(conn, round_id, authority_key(authority))
        return self._return_from_row(rows[0]) if rows else None

    def current_version(self, round_id: str, authority: str) -> int | None:
        with self.transaction("the return") as conn:
            return self._max_version(conn, round_id, authority_key(authority))

    def _version_rows(self, conn: Connection, round_id: str, key: str) -> list[sa.Row]:
        v = versions_table
        q = sa.select(v).where(v.c.round_id == round_id, v.c.authority_key == key).order_by(v.c.version)
        return list(conn.execute(q))

    def version(self, round_id: str, authority: str, n: int) -> AuthorityReturn:
        """Version ``n`` of one authority's return."""
        v = versions_table
        with self.transaction("the return") as conn:
            row = conn.execute(
                sa.select(v).where(
                    v.c.round_id == round_id, v.c.authority_key == authority_key(authority), v.c.version == n
                )
            ).first()
        if row is None:
            raise UnknownVersionError(f"{authority}'s return in round '{round_id}' has no version {n}.")
        return self._return_from_row(row)

    def history(self, round_id: str, authority: str) -> list[VersionInfo]:
        """Every version of one return, oldest first, each with what changed from the one before."""
        with self.transaction("the history") as conn:
            rows = self._version_rows(conn, round_id, authority_key(authority))
        out: list[VersionInfo] = []
        previous: AuthorityReturn | None = None
        for row in rows:
            ret = self._return_from_row(row)
            out.append(
                VersionInfo(
                    version=row.version,
                    saved_at=utc(row.saved_at),
                    channel=row.channel,
                    submitted_by=row.submitted_by,
                    based_on=row.based_on,
                    changes=diff_returns(previous, ret) if previous is not None else [],
                    ret=ret,
                    saved_by=row.saved_by,
                )
            )
            previous = ret
        return out

    def data_version(self) -> str:
        """Changes whenever any return is saved or a round, code or status changes.

        Both tables only ever grow, so their row counts are enough; counts (not the
        highest id) because on PostgreSQL ids are handed out before commit, not in
        commit order.
        """
        count = sa.func.count()
        with self.transaction("the data version") as conn:
            v = conn.execute(sa.select(count).select_from(versions_table)).scalar()
            e = conn.execute(sa.select(count).select_from(events_table)).scalar()
        return f"{v}.{e}"

    def round_status(self, round_id: str) -> list[StatusRow]:
        """Each expected authority (a code issued, or any version) with its latest version, if any."""
        self.get_round(round_id)
        c = codes_table
        with self.transaction("the round's status") as conn:
            latest = {r.authority_key: r for r in self._latest_rows(conn, round_id)}
            codes: dict[str, sa.Row] = {}
            for row in conn.execute(sa.select(c).where(c.c.round_id == round_id).order_by(c.c.id)):
                codes[row.authority_key] = row
        keys = sorted(set(latest) | set(codes))
        rows = []
        for key in keys:
            ver = latest.get(key)
            code = codes.get(key)
            rows.append(
                StatusRow(
                    authority=ver.authority if ver is not None else code.authority,
                    submitted=ver is not None,
                    version=ver.version if ver is not None else None,
                    saved_at=utc(ver.saved_at) if ver is not None else None,
                    channel=ver.channel if ver is not None else None,
                    submitted_by=ver.submitted_by if ver is not None else None,
                    has_code=code is not None and code.revoked_at is None,
                )
            )
        return rows

    # -- writing returns ---------------------------------------------------

    @staticmethod
    def _max_version(conn: Connection, round_id: str, key: str) -> int | None:
        v = versions_table
        return conn.execute(
            sa.select(sa.func.max(v.c.version)).where(v.c.round_id == round_id, v.c.authority_key == key)
        ).scalar()

    def _lock_round(self, conn: Connection, round_id: str) -> sa.Row | None:
        """The round's row; on PostgreSQL locked so saves to a round (and closing it) queue up."""
        q = sa.select(rounds_table).where(rounds_table.c.id == round_id)
        if not self.is_sqlite:
            q = q.with_for_update()
        return conn.execute(q).first()

    def _conflict(self, round_id: str, key: str, based_on: int | None) -> ConflictError:
        """Read the current version (in a fresh transaction) and describe the conflict."""
        with self.transaction("the current version") as conn:
            rows = self._version_rows(conn, round_id, key)
        if not rows:
            raise StorageError(
                f"Version {based_on} of this return does not exist in the database, so the changes "
                "cannot be saved on top of it. Nothing was saved."
            )
        cur_row = rows[-1]
        current = self._return_from_row(cur_row)
        base_row = next((r for r in rows if r.version == based_on), None)
        base = self._return_from_row(base_row) if base_row is not None else None
        when = hhmm(cur_row.saved_at)
        message = (
            f"Someone else saved version {cur_row.version} of {cur_row.authority}'s return at {when} "
            "after you started. Your answers have not been saved; review what changed and save again."
        )
        return ConflictError(message, current=current, based_on=based_on, changes=diff_returns(base, current))

    def _check_member(self, conn: Connection, rnd: sa.Row, authority: str) -> None:
        """Refuse a return from an authority that is not a member of the round (in the save's transaction)."""
        ok, names = self.member_in(conn, rnd.id, authority)
        if ok:
            return
        data = json.loads(rnd.data)
        group = data.get("group") or "none"
        raise NotAMemberError(
            f"Authority: '{' '.join(authority.split())}' is not a member of the group '{group}' of round "
            f"'{rnd.id}', so it cannot have a code or a return in it. Members: {', '.join(names)}."
        )

    def save(
        self,
        ret: AuthorityReturn,
        *,
        based_on: int | None,
        channel: str,
        submitted_by: str,
        who: Actor | str | None = None,
    ) -> AuthorityReturn:
        """Save ``ret`` as a new version on top of version ``based_on`` (None for a first return).

        ``submitted_by`` is the submitter's role ("Service manager"); ``who`` is the
        person or means (``store.rights.Actor``: a signed-in lead, the access code they unlocked
        the form with, the shell's user), kept with the version and in the audit log, never in the
        return itself (default: whoever ``store.audit.acting_as`` names). Their right is checked
        again in the save's own transaction (``store.rights.check_save``): a domain unlinked or a
        code revoked since the form was opened refuses the save.

        Returns the return as saved (with its new version number). Raises
        ``ConflictError`` if the current version is no longer ``based_on``,
        ``RoundClosedError``, ``NotAMemberError``, ``RightsError``, ``UnknownRoundError``, or
        ``StorageError`` (nothing saved). Each refusal is in the audit log.
        """
        if channel not in CHANNELS:
            raise StorageError(f"'{channel}' is not a way of saving a return ({', '.join(CHANNELS)}).")
        if not submitted_by or not submitted_by.strip():
            raise StorageError("Say who is saving the return (their role).")
        return self._save(ret, based_on=based_on, channel=channel, submitted_by=submitted_by.strip(), who=who)

    def _save(
        self,
        ret: AuthorityReturn,
        *,
        based_on: int | None,
        channel: str,
        submitted_by: str,
        who: Actor | str | None = None,
        seeding: bool = False,
    ) -> AuthorityReturn:
        submitted_by = submitter_role(submitted_by)
        acting = current_actor(who)
        who = actor(acting)
        round_id = ret.round
        key = authority_key(ret.authority)
        not_saved = "Your return was not saved. "
        # Check the return reads back before touching the database.
        _with_provenance(ret, (based_on or 0) + 1, channel, now_utc(), submitted_by)
        conflict = False
        try:
            with self._connect(write=True, prefix=not_saved) as conn:
                rnd = self._lock_round(conn, round_id)
                if rnd is None:
                    raise UnknownRoundError(
                        f"There is no round '{round_id}' in the database, so the return was not saved."
                    )
                if not seeding:
                    data = json.loads(rnd.data)
                    if data.get("kind", "questionnaire") != "questionnaire":
                        raise RoundClosedError(
                            f"The round '{data.get('title', round_id)}' holds published documents, not "
                            "questionnaire returns, so it takes no submissions. Your answers have not been saved."
                        )
                    self._check_member(conn, rnd, ret.authority)
                    if isinstance(acting, Actor):
                        rights.check_save(conn, acting, round_id, ret.authority)
                if not rnd.is_open and not seeding:
                    title = json.loads(rnd.data).get("title", round_id)
                    raise RoundClosedError(
                        f"The round '{title}' is closed, so returns cannot be submitted or amended. "
                        "Your answers have not been saved. Ask the coordinator to reopen the round."
                    )
                current = self._max_version(conn, round_id, key)
                if current != based_on:
                    conflict = True
                    raise _Conflict()
                new_version = (current or 0) + 1
                saved_at = now_utc()
                saved = _with_provenance(ret, new_version, channel, saved_at, submitted_by)
                conn.execute(
                    versions_table.insert().values(
                        round_id=round_id,
                        authority=ret.authority,
                        authority_key=key,
                        version=new_version,
                        data=ret_json(saved),
                        saved_at=saved_at,
                        channel=channel,
                        submitted_by=submitted_by,
                        based_on=based_on,
                        saved_by=who,
                    )
                )
                record_audit(
                    conn,
                    "return_saved",
                    who=who,
                    round_id=round_id,
                    authority=ret.authority,
                    detail=f"version {new_version} ({channel})",
                )
        except _Conflict:
            pass
        except (RightsError, NotAMemberError, RoundClosedError) as exc:
            self.record(
                "save_refused", who=acting, round_id=round_id, authority=ret.authority, detail=str(exc)[:300]
            )
            raise
        except sa.exc.IntegrityError:
            # Another process inserted the same version number first: the unique key refused ours.
            conflict = True
        except StorageError:
            raise
        except Exception as exc:
            raise StorageError(
                f"{not_saved}The database reported a problem while saving "
                f"({self.reason(exc)}). "
                + (
                    f"Version {based_on} is still the current version."
                    if based_on is not None
                    else "The return still has no saved version."
                )
                + " Try again in a moment."
            ) from exc
        if conflict:
            raise self._conflict(round_id, key, based_on)
        return saved


def _with_provenance(
    ret: AuthorityReturn, version: int, channel: str, saved_at: dt.datetime, submitted_by: str
) -> AuthorityReturn:
    """``ret`` stamped with its version, channel, time and submitter (validated again)."""
    from models.errors import explain

    prov = ret.provenance.model_dump(mode="json")
    prov.update(
        version=version,
        channel=channel,
        submitted_at=saved_at.isoformat(),
        submitted_by=submitter_role(submitted_by),
    )
    try:
        return AuthorityReturn.model_validate({**ret.model_dump(mode="json"), "provenance": prov})
    except ValidationError as exc:
        problems = explain(exc)
        lines = "; ".join(str(p) for p in problems[:5])
        raise InvalidReturnError(
            f"The return was not saved because it breaks a rule: {lines}", problems
        ) from None
