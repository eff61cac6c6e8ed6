"""Running the survey every year: create a round, see who is expected, invite, carry forward.

Pure functions plus ``Store`` calls; no Streamlit. The Coordinator page
(``ui/coordinator_rounds.py``) and ``cli.py round create|status`` both call these.

* ``create_round``: every field checked first (id a new slug, title, a known group, a deadline
  that is a date and not past, a ``--from`` round of the same group); then one transaction.
* ``member_status``: every member of the round's group with its state —
  ``not_invited`` (no code), ``invited`` (a code, nothing saved), ``submitted``, ``late``
  (nothing saved and the deadline has passed) — and the version and when it was saved.
* ``invitation_text``: what the coordinator sends a lead with their code.
* ``carry_forward``: an authority's latest return in an earlier round of the same group.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from models.names import authority_key, quoted
from models.questionnaire import flatten, questions
from models.returns import AuthorityReturn, SurveyRound
from official.groups import UnknownGroup, load_groups
from store import Store
from store.errors import NotAMemberError, RoundExistsError, StorageError

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATES = ("not_invited", "invited", "submitted", "late")
STATE_LABELS = {
    "not_invited": "Not invited (no code)",
    "invited": "Invited (code issued, nothing saved)",
    "submitted": "Submitted",
    "late": "Late (nothing saved, deadline passed)",
}
CREATED_BY = "coordinator"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class RoundInputError(StorageError):
    """A field of a new round (or a code, or a return) cannot be used; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


# ---------------------------------------------------------------------------
# Rounds and their groups


def deadline_of(store: Store, round_id: str) -> dt.date | None:
    return store.get_round(round_id).deadline


def rounds_of_group(store: Store, group_id: str) -> list[SurveyRound]:
    """The group's questionnaire rounds, oldest first (rounds seeded from files come first)."""
    settings = store.round_settings()

    def order(r: SurveyRound) -> tuple:
        s = settings.get(r.id, {})
        return (s.get("created_at") or EPOCH, r.held_on or dt.date.min, r.id)

    found = [r for r in store.rounds() if r.is_questionnaire and r.group == group_id]
    return sorted(found, key=order)


def parse_deadline(text: Any, today: dt.date) -> dt.date:
    if isinstance(text, dt.date):
        day = text
    else:
        raw = str(text or "").strip()
        if not raw:
            raise RoundInputError("Deadline", "give the deadline as a date (YYYY-MM-DD).")
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise RoundInputError(
                "Deadline", f"'{raw}' is not a date. Write it as YYYY-MM-DD, for example 2027-06-30."
            ) from None
    if day < today:
        raise RoundInputError(
            "Deadline",
            f"{day.isoformat()} is in the past (today is {today.isoformat()}). Choose a later date.",
        )
    return day


#: The longest title a round may have (the model's short text).
MAX_TITLE = 200
#: The most of a title a message quotes back.
QUOTED = 80


def check_title(title: Any, rounds: Any = ()) -> str:
    """The title tidied, or ``RoundInputError`` naming the Title: empty, too long (quoting at most 80
    characters of it), or the title of another round already (the Submit page lists rounds by title)."""
    tidy = " ".join(str(title or "").split())
    if not tidy:
        raise RoundInputError("Title", "give the round a title, for example 'SESLIP survey 2027'.")
    if any("\ud800" <= ch <= "\udfff" for ch in tidy):
        raise RoundInputError(
            "Title", "the title holds a character that is not valid text (a lone surrogate). Type it again."
        )
    if len(tidy) > MAX_TITLE:
        shown = tidy[: QUOTED - 1] + "…"
        raise RoundInputError(
            "Title",
            f"'{shown}' is {len(tidy):,} characters long; a title may have at most {MAX_TITLE}. Shorten it.",
        )
    same = next((r for r in rounds if " ".join(r.title.split()).casefold() == tidy.casefold()), None)
    if same is not None:
        raise RoundInputError(
            "Title",
            f"the round '{same.id}' already has the title '{same.title}'. Leads choose rounds by title, "
            "so give this one another, for example with its year.",
        )
    return tidy


def create_round(
    store: Store,
    *,
    round_id: str,
    title: str,
    group_id: str,
    deadline: Any,
    held_on: Any = None,
    from_round: str | None = None,
    created_by: str = CREATED_BY,
    today: dt.date | None = None,
) -> SurveyRound:
    """Check every field, then create the round (open) with its settings. Nothing changes on a refusal."""
    today = today or dt.datetime.now(dt.UTC).date()
    rid = (round_id or "").strip()
    if not rid or not SLUG.match(rid) or len(rid) > 60:
        shown = rid if len(rid) <= QUOTED else rid[: QUOTED - 1] + "…"
        raise RoundInputError(
            "Round id",
            f"'{shown}' is not a usable id. Use lower-case letters, digits and single hyphens "
            "(at most 60 characters), for example seslip-2027.",
        )
    existing = {r.id: r for r in store.rounds()}
    if rid in existing:
        raise RoundInputError("Round id", f"there is already a round '{rid}'. Choose another id.")
    title = check_title(title, existing.values())
    gid = (group_id or "").strip()
    try:
        group = load_groups().group(gid)
    except UnknownGroup as exc:
        raise RoundInputError("Group", str(exc)) from None
    day = parse_deadline(deadline, today)
    held = None
    if held_on not in (None, ""):
        try:
            held = held_on if isinstance(held_on, dt.date) else dt.date.fromisoformat(str(held_on).strip())
        except ValueError:
            raise RoundInputError("Held on", f"'{held_on}' is not a date. Write it as YYYY-MM-DD.") from None
    if from_round:
        src = existing.get(from_round)
        if src is None:
            known = ", ".join(existing) or "none"
            raise RoundInputError("From round", f"there is no round '{quoted(from_round)}'. Rounds: {known}.")
        src_group = src.group
        if src_group != gid:
            raise RoundInputError(
                "From round",
                f"the round '{from_round}' belongs to the group '{src_group or 'none'}', not '{gid}'. "
                "Returns are carried forward only within a group.",
            )
        if not src.is_questionnaire:
            raise RoundInputError("From round", f"the round '{from_round}' is not a questionnaire round.")
    else:
        # The group's latest round as read above (a round created meanwhile is not a source).
        earlier = [r for r in rounds_of_group(store, gid) if r.id in existing and r.id != rid]
        from_round = earlier[-1].id if earlier else None
    carried_title = existing[from_round].title if from_round else None
    rnd = SurveyRound.model_validate(
        {
            "id": rid,
            "title": title,
            "group": gid,
            "held_on": held,
            "source": f"Created by the {created_by} on {today.isoformat()}",
            "kind": "questionnaire",
            "description": f"A questionnaire round of the group {group.title}; deadline {day.isoformat()}.",
            "changes": [
                "The same questionnaire as the model defines; no questions added or changed."
                + (
                    f" Returns start from each authority's return in '{carried_title}'."
                    if carried_title
                    else ""
                )
            ],
            "open_for_submissions": True,
            "deadline": day,
            "carried_from": from_round,
        }
    )
    try:
        return store.create_round(
            rnd, group_id=gid, deadline=day, carried_from=from_round, created_by=created_by
        )
    except RoundExistsError:
        raise RoundInputError(
            "Round id",
            f"there is already a round '{rid}': another coordinator created it a moment ago. "
            "Reload to see it, or choose another id.",
        ) from None


# ---------------------------------------------------------------------------
# Members, status and the chase list


@dataclass(frozen=True)
class MemberStatus:
    authority: str
    ons_code: str
    state: str
    version: int | None = None
    saved_at: dt.datetime | None = None
    channel: str | None = None
    saved_late: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "authority": self.authority,
            "ons_code": self.ons_code,
            "state": self.state,
            "version": self.version,
            "saved_at": self.saved_at.isoformat() if self.saved_at else None,
            "saved_after_deadline": self.saved_late,
        }


def members_of_round(store: Store, round_id: str) -> list[tuple[str, str]] | None:
    """(usual name, ONS code) of every member of the round, as recorded when it was created or
    seeded; None if the round records none (a round of no group, made by a test)."""
    store.get_round(round_id)
    found = store.members(round_id)
    return [(name, code or "") for name, code in found] or None


def member_name(store: Store, round_id: str, name: str) -> str:
    """The member's usual name for ``name`` (any case, official name); NotAMemberError if it is not one."""
    members = members_of_round(store, round_id)
    tidy = " ".join((name or "").split())
    if members is None:
        return tidy
    reg = load_groups().register
    entry = reg.find(tidy)
    codes = {code: n for n, code in members}
    if entry is not None and entry.ons_code in codes:
        return codes[entry.ons_code]
    group = store.get_round(round_id).group or "none"
    raise NotAMemberError(
        f"Authority: '{tidy}' is not a member of the group '{group}' of round '{round_id}', so it cannot "
        f"have a code or a return in it. Members: {', '.join(n for n, _ in members)}."
    )


def check_member(store: Store, round_id: str, name: str) -> None:
    """Refuse an authority that is not a member of the round, before a form is opened or a code issued.

    (The save checks again, in its own transaction: ``store.versions``.)"""
    member_name(store, round_id, name)


def member_status(store: Store, round_id: str, today: dt.date | None = None) -> list[MemberStatus]:
    """Every member of the round's group (else everyone with a code or a return), with its state."""
    today = today or dt.datetime.now(dt.UTC).date()
    deadline = deadline_of(store, round_id)
    rows = {authority_key(s.authority): s for s in store.round_status(round_id)}
    members = members_of_round(store, round_id)
    reg = load_groups().register
    if members is None:
        members = []
        for s in rows.values():
            entry = reg.find(s.authority)
            members.append((s.authority, entry.ons_code if entry else ""))
    by_code = {}
    for key, s in rows.items():
        entry = reg.find(s.authority)
        if entry is not None:
            by_code[entry.ons_code] = key
    out = []
    for name, code in members:
        s = rows.get(by_code.get(code, authority_key(name)))
        if s is not None and s.submitted:
            late = bool(deadline and s.saved_at and s.saved_at.date() > deadline)
            state = "submitted"
        else:
            late = False
            if deadline is not None and today > deadline:
                state = "late"
            elif s is not None and s.has_code:
                state = "invited"
            else:
                state = "not_invited"
        out.append(
            MemberStatus(
                authority=name,
                ons_code=code,
                state=state,
                version=s.version if s else None,
                saved_at=s.saved_at if s else None,
                channel=s.channel if s else None,
                saved_late=late,
            )
        )
    return sorted(out, key=lambda m: m.authority.casefold())


def chase_list(statuses: list[MemberStatus]) -> list[MemberStatus]:
    return [m for m in statuses if m.state != "submitted"]


def invitation_text(
    rnd: SurveyRound, authority: str, code: str, deadline: dt.date | None, app_url: str
) -> str:
    """The message a coordinator sends a lead with their code (plain text, ready to paste)."""
    when = deadline.strftime("%-d %B %Y") if deadline else "the date the coordinator gives"
    return (
        f"Dear {authority} lead,\n\n"
        f"The survey round '{rnd.title}' is open. Please send your authority's return by {when}.\n\n"
        f"1. Open {app_url} and choose 'Submit or amend a return'.\n"
        f"2. Choose the round '{rnd.title}' and your authority, {authority}.\n"
        f"3. Enter this access code: {code}\n\n"
        "The form starts from your last return where there is one: check each answer, change what has "
        "changed, then check, preview and save. You can amend the return until the round closes.\n"
        "The code is for your authority only; please do not forward it. If it is lost, ask for a new one "
        "(the old one then stops working)."
    )


# ---------------------------------------------------------------------------
# Carry-forward


@dataclass(frozen=True)
class CarryForward:
    """An authority's latest return in an earlier round of the same group, as starting answers."""

    ret: AuthorityReturn
    round_id: str
    round_title: str
    answers: dict[str, Any]

    @property
    def paths(self) -> set[str]:
        """The answers carried forward (every question answered in the earlier return)."""
        return {p for p, v in self.answers.items() if v not in (None, "", [])}


def carry_forward(store: Store, round_id: str, authority: str) -> CarryForward | None:
    """Where ``authority`` has no return in ``round_id``: its latest return in an earlier round of the
    round's group (None if there is none, or the round has no group)."""
    rnd = store.get_round(round_id)
    gid = rnd.group
    if not gid:
        return None
    earlier = []
    for r in rounds_of_group(store, gid):
        if r.id == round_id:
            break
        earlier.append(r)
    if rnd.carried_from:
        # The round the coordinator named (``--from``) comes first; earlier rounds only after it.
        earlier = [r for r in earlier if r.id != rnd.carried_from] + [
            r for r in earlier if r.id == rnd.carried_from
        ]
    for r in reversed(earlier):
        found = store.resolve_authority(authority, r.id)
        prev = store.current(r.id, found) if found else None
        if prev is not None:
            answers = flatten(prev)
            for q in questions():
                answers.setdefault(q.path, [] if q.kind == "multi_choice" else None)
            return CarryForward(ret=prev, round_id=r.id, round_title=r.title, answers=answers)
    return None


def unchanged_carried(carry: CarryForward | None, answers: dict[str, Any]) -> list[str]:
    """The carried-forward answers still as they were carried (in questionnaire order)."""
    if carry is None:
        return []
    from models.diff import _same

    out = []
    for q in questions():
        if q.path in carry.paths and _same(q.kind, answers.get(q.path), carry.answers.get(q.path)):
            out.append(q.path)
    return out


def stamp_carried(ret: AuthorityReturn, carry: CarryForward | None) -> AuthorityReturn:
    """The return's provenance names the round carried forward from, and says so if nothing changed."""
    if carry is None:
        return ret
    prov = ret.provenance.model_dump(mode="json")
    prov["carried_from"] = carry.round_id
    from models.diff import diff_returns

    if not diff_returns(carry.ret, ret):
        prov["source"] = f"Carried forward from {carry.round_title} unchanged; confirmed by the lead"[:200]
    return AuthorityReturn.model_validate({**ret.model_dump(mode="json"), "provenance": prov})


def previous_round(store: Store, round_id: str) -> SurveyRound | None:
    """The group's questionnaire round before ``round_id`` (None for the first, or a round of no group)."""
    rnd = next((r for r in store.rounds() if r.id == round_id), None)
    group_id = rnd.group if rnd is not None else None
    if not group_id:
        return None
    order = [r.id for r in rounds_of_group(store, group_id)]
    at = order.index(round_id) if round_id in order else -1
    if at <= 0:
        return None
    return next(r for r in store.rounds() if r.id == order[at - 1])
