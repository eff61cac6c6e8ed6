"""The Submit page's flow, without Streamlit: unlock → answer → check and preview → save.

``SubmitState`` is everything the page keeps between reruns for one lead (the
form's answers themselves live in the widgets). Each step is a function that
takes the state and returns what the page should show; the page only draws it.

* ``unlock``: authority and access code checked (throttled, see ``store.access``);
  the form starts from the current return or, with none yet in this round, from the
  authority's latest return in an earlier round of the same group (carry-forward: each
  answer carried is marked in ``carried`` until the lead changes it or saves).
* ``check``: the whole return is checked; a preview is offered only when it is
  valid, and only for the answers previewed (``signature``).
* ``save``: a new version based on the version the lead started from. If
  someone saved meanwhile, nothing is overwritten: the conflict is kept with
  what changed, and the lead chooses ``keep_mine`` or ``discard_mine``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from models.diff import Change
from models.names import PlainError
from models.returns import AuthorityReturn
from store import Store
from store.access import UNKNOWN_SOURCE, AccessError, verify_code
from store.errors import ConflictError, StorageUnavailable
from store.request_log import log_refused
from store.rights import Actor
from survey.rounds import CarryForward, carry_forward, stamp_carried, unchanged_carried
from survey.submission import SUBMITTER_ROLE, starting_answers


@dataclass
class SubmitState:
    round_id: str | None = None
    authority: str | None = None
    base_version: int | None = None  # the version the lead started from (None: first return)
    checked: bool = False  # the lead has asked to check the whole return at least once
    previewed: str | None = None  # signature of the answers shown in the preview
    conflict: dict[str, Any] | None = None  # {"message", "version"} after a refused save
    flash: str | None = None  # the message after a save, shown once
    ask_cp: bool = True  # whether the CP chair questions are asked with a combined role
    carry: CarryForward | None = None  # the earlier return the form started from (carry-forward)
    carried: set[str] = field(default_factory=set)  # answers carried forward and not yet confirmed
    code_id: int | None = None  # the access code the form was unlocked with (None: a signed-in lead)

    @property
    def carried_from(self) -> str | None:
        """The title of the round the answers were carried forward from."""
        return self.carry.round_title if self.carry is not None and self.carried else None

    @property
    def code(self) -> tuple[str, str, int] | None:
        """(authority, round, code id) where the form was unlocked with an access code."""
        if self.code_id is None or not self.unlocked:
            return None
        return (self.authority or "", self.round_id or "", self.code_id)

    @property
    def unlocked(self) -> bool:
        return self.round_id is not None and self.authority is not None


@dataclass(frozen=True)
class Outcome:
    """What a step tells the page: ``ok``; else ``label`` and ``message`` to show (and, after a
    refused save, what changed meanwhile)."""

    ok: bool
    message: str = ""
    label: str = ""  # the field or step the message is about ("Access code", "Save")
    answers: dict[str, Any] | None = None  # answers to load into the form
    changes: list[Change] = field(default_factory=list)


def unlock(
    store: Store,
    state: SubmitState,
    round_id: str,
    typed_authority: str | None,
    code: str | None,
    *,
    source: str = "",
) -> Outcome:
    """Check the authority and its code; on success the state is unlocked and the form's starting
    answers (the current return) are given."""
    if not typed_authority or not typed_authority.strip():
        return Outcome(False, "choose or type your authority's name.", "Your authority")
    if not code or not code.strip():
        return Outcome(False, "enter the code the coordinator sent you.", "Access code")
    name = store.resolve_authority(typed_authority, round_id) or " ".join(typed_authority.split())
    try:
        code_id = verify_code(store, round_id, name, code, source=source or UNKNOWN_SOURCE)
    except AccessError as exc:
        return Outcome(False, str(exc), "Access code")
    except PlainError as exc:
        return Outcome(False, str(exc), "Database")
    outcome = _start(store, state, round_id, name)
    state.code_id = code_id  # checked again, in the save's own transaction
    return outcome


def _start(store: Store, state: SubmitState, round_id: str, name: str) -> Outcome:
    """Open ``name``'s return in ``round_id``: from its current version, or, with none yet, from its
    latest return in an earlier round of the group (carried forward, each answer marked). A current
    version this release cannot read (stored by a newer one) is not opened, so it is never saved over."""
    try:
        current = store.current(round_id, name)
    except PlainError as exc:
        return Outcome(False, str(exc), "Your return")
    state.round_id, state.authority = round_id, name
    state.base_version = current.provenance.version if current else None
    state.ask_cp = current is None or current.cp_chair is not None
    state.checked, state.previewed, state.conflict = False, None, None
    state.carry, state.carried = None, set()
    if current is None:
        try:
            carry = carry_forward(store, round_id, name)
        except PlainError as exc:
            return Outcome(False, str(exc), "Database")
        if carry is not None:
            state.carry, state.carried = carry, set(carry.paths)
            state.ask_cp = carry.ret.cp_chair is not None
            return Outcome(True, answers=dict(carry.answers))
    return Outcome(True, answers=starting_answers(current))


def unlock_as_lead(store: Store, state: SubmitState, round_id: str, authority: str) -> Outcome:
    """A signed-in lead opens their own authority's return: no code is needed (the caller has
    checked ``survey.identity.may_submit``; the save checks the lead's domain again)."""
    outcome = _start(store, state, round_id, authority)
    state.code_id = None
    return outcome


def track_carried(state: SubmitState, answers: dict[str, Any]) -> set[str]:
    """Keep marked only the carried-forward answers the lead has not changed."""
    if state.carry is not None and state.carried:
        state.carried = state.carried & set(unchanged_carried(state.carry, answers))
    return state.carried


def carried_note(state: SubmitState, path: str) -> str | None:
    """'carried forward from <round title>; unchanged' for an answer still as carried, else None."""
    if path in state.carried and state.carry is not None:
        return f"carried forward from {state.carry.round_title}; unchanged"
    return None


def lock(state: SubmitState) -> None:
    """Forget the authority, the code's effect and anything unsaved."""
    state.__dict__.update(SubmitState().__dict__)


def signature(answers: dict[str, Any], ask_cp: bool) -> str:
    """A short fingerprint of the answers, so a preview is never taken for answers changed since."""
    return hashlib.sha256(json.dumps([answers, ask_cp], sort_keys=True, default=str).encode()).hexdigest()


def check(state: SubmitState, answers: dict[str, Any], ok: bool) -> None:
    """The lead asked to check and preview: remember it, and which answers a valid preview is for."""
    state.checked = True
    state.previewed = signature(answers, state.ask_cp) if ok else None


def preview_status(state: SubmitState, answers: dict[str, Any], ok: bool) -> str:
    """'problems' (checked and invalid), 'stale' (answers changed since the preview), 'ready'
    (the preview is of these answers) or 'none' (not checked yet)."""
    if state.checked and not ok:
        return "problems"
    if state.previewed:
        return "ready" if state.previewed == signature(answers, state.ask_cp) else "stale"
    return "none"


#: What a lead is told when the database cannot be reached as they save.
SAVE_AWAY = (
    "Your return was not saved: the dashboard cannot reach its database just now. Your answers are still "
    "here on the page; save again in a minute."
)


def save(
    store: Store,
    state: SubmitState,
    ret: AuthorityReturn,
    channel: str,
    round_title: str,
    *,
    who: Actor | str | None = None,
) -> Outcome:
    """Save ``ret`` as the next version after the one the lead started from; never overwrite.
    ``who`` is who is saving (``store.rights.Actor``: the signed-in lead, or the access code the
    form was unlocked with), checked again in the save's own transaction: a domain unlinked or a
    code revoked since the form was opened refuses the save, and nothing is saved."""
    if state.base_version is None and state.carry is not None:
        ret = stamp_carried(ret, state.carry)
    try:
        saved = store.save(
            ret, based_on=state.base_version, channel=channel, submitted_by=SUBMITTER_ROLE, who=who
        )
    except ConflictError as exc:
        state.conflict = {"message": str(exc), "version": exc.current_version}
        state.previewed = None
        return Outcome(False, str(exc), "Save", changes=list(exc.changes))
    except StorageUnavailable:
        # The database has gone away: nothing was written (a save is one transaction). The audit log
        # cannot hold the refusal, so the server's log does; the lead keeps their answers on the page.
        log_refused(
            "save_refused",
            who=who,
            authority=state.authority,
            round_id=ret.round,
            reason="database unreachable",
        )
        still = (
            f"Version {state.base_version} is still the current version."
            if state.base_version
            else "The return still has no saved version."
        )
        return Outcome(False, f"{SAVE_AWAY} {still}", "Save")
    except PlainError as exc:
        return Outcome(False, str(exc), "Save")
    state.base_version = saved.provenance.version
    state.previewed = None
    state.conflict = None
    state.carry, state.carried = None, set()  # saving confirms what was carried forward
    state.flash = (
        f"Saved. This is version {saved.provenance.version} of {state.authority}'s return for {round_title}. "
        "Members see it on every page now."
    )
    return Outcome(True, state.flash)


def keep_mine(state: SubmitState) -> None:
    """After a conflict: keep the lead's answers and save them as the version after the one saved meanwhile."""
    if state.conflict:
        state.base_version = state.conflict["version"]
    state.conflict = None


def discard_mine(store: Store, state: SubmitState) -> dict[str, Any]:
    """After a conflict: load the version saved meanwhile into the form (the lead's answers are dropped)."""
    latest = store.current(state.round_id, state.authority) if state.unlocked else None
    state.base_version = latest.provenance.version if latest else None
    state.conflict = None
    return starting_answers(latest)


def problems_lead(n: int) -> str:
    """The line above the list of problems after "Check and preview"."""
    needs = f"{n} answer needs" if n == 1 else f"{n} answers need"
    return f"Nothing has been saved: {needs} attention. Each is marked beside its question:"
