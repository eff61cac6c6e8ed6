"""Rounds in the database: each round, its settings, its members, and whether it is open.

A round's members (the authorities expected to make a return) are recorded when it is created
or seeded, so that ``store.versions`` checks membership in the same transaction as the save.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from models.names import authority_key, quoted
from models.returns import SurveyRound
from official.groups import group_members
from official.register import entry_for
from store import rights
from store.audit import actor as actor_name
from store.audit import current, record_audit, refusal_logged
from store.engine import now_utc, utc
from store.errors import RoundExistsError, StorageError, UnknownRoundError
from store.rights import Actor
from store.schema import events_table, round_members_table, round_settings_table, rounds_table
from store.versions import submitter_role

#: Storage events that are also audit entries (the event's kind is the audit action).
AUDITED_EVENTS = ("code_issued", "code_revoked", "round_added", "round_opened", "round_closed")


class RoundsMixin:
    """The rounds part of ``store.Store``."""

    def _round_rows(self, conn: Connection) -> dict[str, sa.Row]:
        # Oldest first: the order rounds were added (seeded, or created by a coordinator), then id.
        order = (rounds_table.c.added_at, rounds_table.c.id)
        return {r.id: r for r in conn.execute(sa.select(rounds_table).order_by(*order))}

    @staticmethod
    def _round_from_row(row: sa.Row, settings: sa.Row | None = None) -> SurveyRound:
        """The round as stored; the one place where a round's settings row is merged into it.

        Rounds created before 0007 kept their group, deadline and round carried from only in
        ``round_settings``; newer ones carry them in the round itself.
        """
        data = json.loads(row.data)
        data["open_for_submissions"] = bool(row.is_open)
        if settings is not None:
            for key, value in (
                ("group", settings.group_id),
                ("deadline", settings.deadline.isoformat() if settings.deadline else None),
                ("carried_from", settings.carried_from),
            ):
                if data.get(key) is None and value is not None:
                    data[key] = value
        try:
            return SurveyRound.model_validate(data)
        except ValidationError as exc:
            # A newer release may keep more about a round than this one knows: read what it knows
            # (the stored row is never rewritten by this release), so no page fails on it.
            unknown = {
                e["loc"][0] for e in exc.errors() if e["type"] == "extra_forbidden" and len(e["loc"]) == 1
            }
            if not unknown or len(unknown) != len(exc.errors()):
                raise
            return SurveyRound.model_validate({k: v for k, v in data.items() if k not in unknown})

    def _rounds(self, conn: Connection) -> list[SurveyRound]:
        settings = {r.round_id: r for r in conn.execute(sa.select(round_settings_table))}
        return [self._round_from_row(r, settings.get(r.id)) for r in self._round_rows(conn).values()]

    def rounds(self) -> list[SurveyRound]:
        """Every round, its open/closed status as the database holds it."""
        with self.transaction("the rounds") as conn:
            return self._rounds(conn)

    def get_round(self, round_id: str) -> SurveyRound:
        for rnd in self.rounds():
            if rnd.id == round_id:
                return rnd
        raise self._unknown_round(round_id)

    def _unknown_round(self, round_id: str) -> UnknownRoundError:
        known = ", ".join(r.id for r in self.rounds()) or "none yet"
        return UnknownRoundError(f"There is no round '{quoted(round_id)}'. Rounds: {known}.")

    def _add_round(self, conn: Connection, rnd: SurveyRound, who: Actor | str | None = None) -> bool:
        rights.checked(conn, current(who), f"create the round '{rnd.id}'")
        exists = conn.execute(sa.select(rounds_table.c.id).where(rounds_table.c.id == rnd.id)).first()
        if exists:
            return False
        at = now_utc()
        conn.execute(
            rounds_table.insert().values(
                id=rnd.id,
                data=json.dumps(rnd.model_dump(mode="json"), ensure_ascii=False),
                is_open=bool(rnd.open_for_submissions),
                added_at=at,
            )
        )
        self.log_event(conn, "round_added", rnd.id, None, who=who)
        if rnd.group:
            self._record_members(conn, rnd.id, group_members(rnd.group))
        return True

    # -- members -------------------------------------------------------------

    @staticmethod
    def _record_members(conn: Connection, round_id: str, members: list[tuple[str, str | None]]) -> None:
        """Record (name, ONS code) pairs as members of the round (those already recorded are kept)."""
        m = round_members_table
        have = set(conn.execute(sa.select(m.c.authority_key).where(m.c.round_id == round_id)).scalars())
        for name, ons in members:
            key = authority_key(name)
            if key not in have:
                conn.execute(
                    m.insert().values(round_id=round_id, authority_key=key, authority=name, ons_code=ons)
                )
                have.add(key)

    def record_members(self, round_id: str, members: list[tuple[str, str | None]]) -> None:
        """Record members of a round in their own transaction (seeding a round with no group)."""
        with self.transaction(f"record the members of round '{round_id}'", write=True) as conn:
            self._record_members(conn, round_id, members)

    def members(self, round_id: str) -> list[tuple[str, str | None]]:
        """The round's members as (usual name, ONS code), by name; [] if none are recorded."""
        m = round_members_table
        with self.transaction("the round's members") as conn:
            rows = conn.execute(sa.select(m.c.authority, m.c.ons_code).where(m.c.round_id == round_id))
            return sorted(((r.authority, r.ons_code) for r in rows), key=lambda x: x[0].casefold())

    @staticmethod
    def member_in(conn: Connection, round_id: str, authority: str) -> tuple[bool, list[str]]:
        """Whether ``authority`` is a member of the round, read in the caller's transaction.

        A round with no members recorded (a round of no group, made by a test) takes any authority.
        Returns (is a member, every member's name) so that a refusal can list them.
        """
        m = round_members_table
        rows = list(
            conn.execute(
                sa.select(m.c.authority_key, m.c.authority, m.c.ons_code).where(m.c.round_id == round_id)
            )
        )
        if not rows:
            return True, []
        names = sorted((r.authority for r in rows), key=str.casefold)
        key = authority_key(authority)
        if any(r.authority_key == key for r in rows):
            return True, names
        entry = entry_for(authority)
        if entry is not None and any(r.ons_code == entry.ons_code for r in rows):
            return True, names
        return False, names

    def add_round(self, rnd: SurveyRound, *, who: Actor | str | None = None) -> bool:
        """Add a round if it is not there yet (an existing round is left exactly as it is)."""
        try:
            with (
                refusal_logged(self, "action_refused", who=current(who), round_id=rnd.id),
                self._connect(write=True) as conn,
            ):
                return self._add_round(conn, rnd, who)
        except sa.exc.IntegrityError:
            return False

    def create_round(
        self,
        rnd: SurveyRound,
        *,
        group_id: str | None,
        deadline: dt.date | None,
        carried_from: str | None,
        created_by: str,
        who: Actor | str | None = None,
    ) -> SurveyRound:
        """Add a new round and its settings in one transaction; ``RoundExistsError`` if the id is taken.

        Two coordinators creating the same round at the same moment: the primary key lets one
        insert win; the other gets ``RoundExistsError`` and nothing of theirs is kept.
        """
        taken = RoundExistsError(
            f"Round id: there is already a round '{rnd.id}'. Choose another id; nothing was created."
        )
        actor = current(who)
        try:
            with (
                refusal_logged(self, "action_refused", who=actor, round_id=rnd.id),
                self._connect(write=True) as conn,
            ):
                if not self._add_round(conn, rnd, actor):
                    raise taken
                conn.execute(
                    round_settings_table.insert().values(
                        round_id=rnd.id,
                        group_id=group_id,  # kept for older releases reading this database
                        deadline=deadline,
                        carried_from=carried_from,
                        created_at=now_utc(),
                        created_by=submitter_role(created_by if actor is None else actor_name(actor))
                        or "coordinator",
                    )
                )
        except StorageError:
            raise
        except sa.exc.IntegrityError:
            raise taken from None
        except sa.exc.DBAPIError as exc:
            raise StorageError(
                f"The round '{rnd.id}' was not created: the database reported a problem "
                f"({self.reason(exc)}). Nothing was changed."
            ) from exc
        return self.get_round(rnd.id)

    def round_settings(self) -> dict[str, dict[str, Any]]:
        """Who created each round created in the app or with ``round create``, and when, by round id.

        (Group, deadline and the round carried from are the round's own: ``get_round``.)
        """
        t = round_settings_table
        with self.transaction("the rounds' settings") as conn:
            rows = list(conn.execute(sa.select(t)))
        return {
            r.round_id: {
                "created_at": utc(r.created_at),
                "created_by": r.created_by,
            }
            for r in rows
        }

    def set_round_open(self, round_id: str, is_open: bool, *, who: Actor | str | None = None) -> None:
        """Open or close a round for submissions. ``who`` (default: whoever ``acting_as`` names) must
        still be allowed to coordinate, checked in the same transaction."""
        actor = current(who)
        what = f"{'open' if is_open else 'close'} the round '{round_id}'"
        try:
            with (
                refusal_logged(self, "action_refused", who=actor, round_id=round_id),
                self._connect(write=True) as conn,
            ):
                rights.checked(conn, actor, what)
                self._legacy_open(conn, round_id, is_open, actor_name(actor))
                found = conn.execute(
                    rounds_table.update().where(rounds_table.c.id == round_id).values(is_open=bool(is_open))
                ).rowcount
                if not found:
                    raise self._unknown_round(round_id)
                self.log_event(conn, "round_opened" if is_open else "round_closed", round_id, None, who=actor)
        except StorageError:
            raise
        except sa.exc.DBAPIError as exc:
            raise StorageError(
                f"The round '{round_id}' was not {'opened' if is_open else 'closed'}: the database "
                f"reported a problem ({self.reason(exc)}). Its status is unchanged."
            ) from exc

    def round_is_open(self, round_id: str) -> bool:
        return bool(self.get_round(round_id).open_for_submissions)

    # -- events (used by store.access) ---------------------------------

    @staticmethod
    def log_event(
        conn: Connection,
        kind: str,
        round_id: str | None,
        authority: str | None,
        *,
        who: Actor | str | None = None,
    ) -> None:
        """Note a change for ``data_version()``; codes issued or revoked and rounds also go in the audit log."""
        conn.execute(
            events_table.insert().values(kind=kind, round_id=round_id, authority=authority, at=now_utc())
        )
        if kind in AUDITED_EVENTS:
            record_audit(conn, kind, who=who, round_id=round_id, authority=authority)
