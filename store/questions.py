"""A round's own questions in the database: kept in the round's row, changed in one transaction.

A change is read, checked and written in the same transaction (``change_round_questions``): who
may coordinate, that no answered question is removed, that no kind or counting rule changes once
the round has a return, and that an id used in another round keeps its meaning (one id, one
series). A refused change leaves the round exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from models.questions import Question, QuestionError, check_change, check_series
from models.returns import SurveyRound
from store import rights
from store.audit import current, record_audit, refusal_logged
from store.errors import StorageError
from store.rights import Actor
from store.schema import rounds_table, versions_table


class QuestionChangeError(StorageError):
    """A change to a round's questions that is refused; ``code`` is the stable code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class QuestionsMixin:
    """The round-questions part of ``store.Store``."""

    @staticmethod
    def _answered(conn: Connection, round_id: str) -> tuple[set[str], bool]:
        """The ids answered in any version of the round's returns, and whether it has any return."""
        rows = conn.execute(sa.select(versions_table.c.data).where(versions_table.c.round_id == round_id))
        answered: set[str] = set()
        has_returns = False
        for (data,) in rows:
            has_returns = True
            for qid, answer in (json.loads(data).get("answers") or {}).items():
                if isinstance(answer, dict) and answer.get("value") not in (None, "", []):
                    answered.add(qid)
        return answered, has_returns

    def answered_questions(self, round_id: str) -> set[str]:
        with self.transaction("the round's answers") as conn:
            return self._answered(conn, round_id)[0]

    def change_round_questions(
        self,
        round_id: str,
        change: Callable[[list[Question]], list[Question]],
        *,
        earlier: list[Question] = (),
        who: Actor | str | None = None,
    ) -> SurveyRound:
        """Apply ``change`` (the round's questions → the new list) and save it, checked in one transaction.

        ``earlier`` are questions asked elsewhere (the library) whose ids keep their meaning here,
        as do the questions of every other round in the database."""
        actor = current(who)
        with (
            refusal_logged(self, "action_refused", who=actor, round_id=round_id),
            self._connect(write=True) as conn,
        ):
            rights.checked(conn, actor, f"change the questions of the round '{round_id}'")
            rows = self._round_rows(conn)
            if round_id not in rows:
                raise self._unknown_round(round_id)
            data = json.loads(rows[round_id].data)
            before = [Question.model_validate(q) for q in data.get("questions") or []]
            answered, has_returns = self._answered(conn, round_id)
            others = [
                Question.model_validate(q)
                for rid, row in rows.items()
                if rid != round_id
                for q in json.loads(row.data).get("questions") or []
            ]
            try:
                after = change(list(before))
                check_change(before, after, answered, has_returns)
                was = {q.id for q in before}
                for q in after:
                    if q.id not in was:
                        check_series(q, [*others, *earlier])
            except QuestionError as exc:
                raise QuestionChangeError(exc.code, str(exc)) from None
            data["questions"] = [q.model_dump(mode="json", exclude_none=True) for q in after]
            SurveyRound.model_validate(data)  # the round still reads
            conn.execute(
                rounds_table.update()
                .where(rounds_table.c.id == round_id)
                .values(data=json.dumps(data, ensure_ascii=False))
            )
            self.log_event(conn, "round_questions", round_id, None, who=actor)
            record_audit(
                conn,
                "round_questions_changed",
                who=actor,
                round_id=round_id,
                detail=", ".join(q.id + (" (hidden)" if q.hidden else "") for q in after)[:500],
            )
        return self.get_round(round_id)
