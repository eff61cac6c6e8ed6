"""Each round's life in the database: the step checked and written in one transaction, audit-logged.

``round_step`` reads the round's life, asks ``models.lifecycle.next_life`` whether the step may be
taken, writes the new life (and whether the round takes submissions) and an audit entry naming who,
all in the same transaction; a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from models.lifecycle import (
    COLLECTING,
    PUBLISHED,
    STATES,
    STEPS,
    LifecycleError,
    RoundLife,
    default_life,
    next_life,
)
from models.uktime import uk_today
from store import rights
from store.audit import actor as actor_name
from store.audit import current, record_audit, refusal_logged
from store.engine import now_utc, utc
from store.errors import StorageError
from store.rights import Actor
from store.schema import events_table, round_lifecycle_table, round_settings_table, rounds_table


def _life_from_row(row: sa.Row) -> RoundLife:
    return RoundLife(
        round_id=row.round_id,
        state=row.state if row.state in STATES else COLLECTING,
        closed_at=utc(row.closed_at) if row.closed_at else None,
        shared_at=utc(row.shared_at) if row.shared_at else None,
        publish_on=row.publish_on,
        anonymised=bool(row.anonymised),
        provisional=bool(row.provisional),
        reopened_at=utc(row.reopened_at) if row.reopened_at else None,
        reopen_reason=row.reopen_reason,
    )


class LifecycleMixin:
    """The rounds' lives, part of ``store.Store``."""

    def _lives(self, conn: Connection) -> dict[str, RoundLife]:
        rows = {r.round_id: r for r in conn.execute(sa.select(round_lifecycle_table))}
        created = set(conn.execute(sa.select(round_settings_table.c.round_id)).scalars())
        out = {}
        for r in conn.execute(sa.select(rounds_table.c.id, rounds_table.c.is_open)):
            if r.id in rows:
                out[r.id] = _life_from_row(rows[r.id])
            else:
                out[r.id] = default_life(r.id, is_open=bool(r.is_open), created_in_app=r.id in created)
        return out

    def lives(self) -> dict[str, RoundLife]:
        """Every round's life, by round id."""
        with self.transaction("the rounds' states") as conn:
            return self._lives(conn)

    def life(self, round_id: str) -> RoundLife:
        found = self.lives().get(round_id)
        if found is None:
            raise self._unknown_round(round_id)
        return found

    def _write_life(self, conn: Connection, life: RoundLife, who: str) -> None:
        t = round_lifecycle_table
        values = {
            "state": life.state,
            "closed_at": life.closed_at,
            "shared_at": life.shared_at,
            "publish_on": life.publish_on,
            "anonymised": life.anonymised,
            "provisional": life.provisional,
            "reopened_at": life.reopened_at,
            "reopen_reason": life.reopen_reason,
            "updated_at": now_utc(),
            "updated_by": who[:320],
        }
        done = conn.execute(t.update().where(t.c.round_id == life.round_id).values(**values)).rowcount
        if not done:
            conn.execute(t.insert().values(round_id=life.round_id, **values))
        conn.execute(
            rounds_table.update()
            .where(rounds_table.c.id == life.round_id)
            .values(is_open=life.state == COLLECTING)
        )

    def round_step(
        self,
        round_id: str,
        step: str,
        *,
        who: Actor | str | None = None,
        publish_on: dt.date | str | None = None,
        anonymised: bool = False,
        reason: str | None = None,
        provisional: bool = False,
        now: dt.datetime | None = None,
    ) -> RoundLife:
        """Take one step of the round's life (``models.lifecycle.STEPS``); the new life.

        Who may coordinate, the round's current state and the step's fields are all checked in the
        transaction that writes the step; ``LifecycleError`` (naming the field) if refused."""
        actor = current(who)
        at = now or now_utc()
        today = uk_today(at)
        try:
            with (
                refusal_logged(self, "action_refused", who=actor, round_id=round_id),
                self._connect(write=True) as conn,
            ):
                rights.checked(conn, actor, f"{step} the round '{round_id}'")
                lives = self._lives(conn)
                if round_id not in lives:
                    raise self._unknown_round(round_id)
                new = next_life(
                    lives[round_id],
                    step,
                    now=at,
                    today=today,
                    publish_on=publish_on,
                    anonymised=anonymised,
                    reason=reason,
                    provisional=provisional,
                )
                self._write_life(conn, new, actor_name(actor))
                detail = "; ".join(new.dates(today)) if step != "provisional" else None
                if step == "provisional":
                    detail = "shown to members as provisional" if provisional else "hidden from members"
                conn.execute(
                    events_table.insert().values(kind=STEPS[step], round_id=round_id, authority=None, at=at)
                )
                record_audit(conn, STEPS[step], who=actor, round_id=round_id, detail=detail)
                return new
        except (StorageError, LifecycleError):
            raise
        except sa.exc.DBAPIError as exc:
            raise StorageError(
                f"The round '{round_id}' was not changed: the database reported a problem "
                f"({self.reason(exc)}). Its state is unchanged."
            ) from exc

    def _legacy_open(self, conn: Connection, round_id: str, is_open: bool, who: str) -> None:
        """``set_round_open`` keeps the life in step: a collecting round closed is closed, a closed
        round opened is collecting; a shared or published round keeps its state."""
        life = self._lives(conn).get(round_id)
        if is_open and life is not None and life.state_on(uk_today()) == PUBLISHED:
            raise LifecycleError(
                "Round", f"the round '{round_id}' is published: a published round cannot be reopened."
            )
        if life is None or life.state not in (COLLECTING, "closed"):
            return
        if is_open and life.state != COLLECTING:
            self._write_life(conn, RoundLife(round_id, COLLECTING, closed_at=life.closed_at), who)
        elif not is_open and life.state == COLLECTING:
            self._write_life(conn, RoundLife(round_id, "closed", closed_at=now_utc()), who)
