"""Change between rounds, as frames: what each authority changed, and the group's figures per round.

``field_changes`` gives one row per answer changed (the dotted path of the question, such as
``iro.caseload.low``): ``cli.py changes`` and the workbook's Changes sheet. ``authority_frame``,
``medians_frame`` and ``share_frame`` are what ``views.changes`` shows. ``latest_pairs`` names the
two latest rounds of each group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from models.caseload import caseload_medians, numbers_text
from models.diff import diff_returns, show_value
from models.returns import AuthorityReturn, SurveyRound
from models.taxonomy import qa_label
from models.vocabulary import ROLE_LABELS, format_figure, model_label

ROLES = ("iro", "cp_chair")
#: No share of authorities is worked out from fewer than this many in either round.
MIN_SHARE = 3


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def by_authority(returns: Iterable[AuthorityReturn], round_id: str) -> dict[str, AuthorityReturn]:
    return {_key(r.authority): r for r in returns if r.round == round_id}


def comparable(rounds: Iterable[SurveyRound]) -> list[SurveyRound]:
    """Questionnaire rounds that belong to a group (only those can be compared)."""
    return [r for r in rounds if r.is_questionnaire and r.group]


@dataclass(frozen=True)
class LikeForLike:
    """Two rounds compared on like for like: only the authorities with a return in both count."""

    both: tuple[str, ...]  # their names, as in the later round
    new: tuple[str, ...]  # a return in the later round only
    missing: tuple[str, ...]  # a return in the earlier round only
    returns: tuple[AuthorityReturn, ...]  # the returns of ``both`` in the two rounds

    @property
    def n(self) -> int:
        return len(self.both)

    @property
    def shares_allowed(self) -> bool:
        return self.n >= MIN_SHARE

    def words(self, first: str, last: str) -> str:
        """'Compared on like for like: the 3 authorities with a return in both rounds. …'"""
        out = (
            f"Compared on like for like: the {self.n} authorit{'y' if self.n == 1 else 'ies'} with a return "
            f"in both '{first}' and '{last}'. Medians, shares and counts are over them only."
        )
        if not self.shares_allowed:
            out += (
                f" No share is worked out from fewer than {MIN_SHARE} authorities, so shares are not shown."
            )
        return out


def like_for_like(returns: Iterable[AuthorityReturn], from_round: str, to_round: str) -> LikeForLike:
    """The one rule of change between rounds (page, workbook, pack and ``cli.py changes``)."""
    returns = list(returns)
    before, after = by_authority(returns, from_round), by_authority(returns, to_round)
    keys = set(before) & set(after)
    return LikeForLike(
        both=tuple(sorted((after[k].authority for k in keys), key=str.casefold)),
        new=tuple(sorted((after[k].authority for k in set(after) - keys), key=str.casefold)),
        missing=tuple(sorted((before[k].authority for k in set(before) - keys), key=str.casefold)),
        returns=tuple(r for k in sorted(keys) for r in (before[k], after[k])),
    )


def field_changes(returns: Iterable[AuthorityReturn], from_round: str, to_round: str) -> list[dict[str, Any]]:
    """One row per answer changed, for each authority with a return in both rounds:
    ``{authority, field, before, after}`` (``field`` is the dotted path, e.g. ``iro.caseload.low``)."""
    returns = list(returns)
    before = by_authority(returns, from_round)
    after = by_authority(returns, to_round)
    rows = []
    for key in sorted(set(before) & set(after)):
        for c in diff_returns(before[key], after[key]):
            rows.append(
                {"authority": after[key].authority, "field": c.path, "before": c.before, "after": c.after}
            )
    return rows


def changes_frame(returns: Iterable[AuthorityReturn], from_round: str, to_round: str) -> pd.DataFrame:
    """``field_changes`` as a sheet: Authority, Field, Question, Before, After (as a person reads them)."""
    from models.questionnaire import field_title

    rows = [
        {
            "Authority": r["authority"],
            "Field": r["field"],
            "Question": field_title(r["field"]),
            "Before": show_value(r["field"], r["before"]),
            "After": show_value(r["field"], r["after"]),
        }
        for r in field_changes(returns, from_round, to_round)
    ]
    return pd.DataFrame(rows, columns=["Authority", "Field", "Question", "Before", "After"])


def _caseload(ret: AuthorityReturn, role: str) -> tuple[str, str]:
    section = getattr(ret, role)
    cl = section.caseload if section else None
    if cl is None:
        return "not stated", ""
    return numbers_text(cl.low, cl.high), " ".join((cl.text or "").split())


def _codes(ret: AuthorityReturn, role: str, what: str) -> set[str]:
    section = getattr(ret, role)
    return set(getattr(section, what) or []) if section else set()


def _added_removed(old: AuthorityReturn, new: AuthorityReturn, what: str) -> tuple[str, str]:
    path = f"iro.{what}"
    added, removed = [], []
    for role in ROLES:
        a, b = _codes(old, role, what), _codes(new, role, what)
        who = "IRO" if role == "iro" else "CP chairs"
        added += [f"{who}: {show_value(path, [c])}" for c in sorted(b - a)]
        removed += [f"{who}: {show_value(path, [c])}" for c in sorted(a - b)]
    return "; ".join(added) or "none", "; ".join(removed) or "none"


def authority_frame(before: dict[str, AuthorityReturn], after: dict[str, AuthorityReturn]) -> pd.DataFrame:
    rows = []
    for key in sorted(set(before) & set(after), key=lambda k: after[k].authority.casefold()):
        old, new = before[key], after[key]
        m_old, m_new = model_label(old), model_label(new)
        row: dict[str, Any] = {
            "Authority": new.authority,
            "Model": "no change" if m_old == m_new else f"{m_old} → {m_new}",
        }
        for role in ROLES:
            label = "IRO" if role == "iro" else "CP chair"
            b, bt = _caseload(old, role)
            a, at = _caseload(new, role)
            row[f"{label} caseload before"] = b
            row[f"{label} caseload after"] = a
            row[f"{label} caseload as reported (before → after)"] = f"{bt or '—'} → {at or '—'}"
        row["QA activities added"], row["QA activities removed"] = _added_removed(old, new, "qa_activities")
        row["Impact evidence added"], row["Impact evidence removed"] = _added_removed(
            old, new, "impact_evidence"
        )
        rows.append(row)
    return pd.DataFrame(rows)


def medians_frame(sel_returns: list[AuthorityReturn], rounds: list[SurveyRound]) -> pd.DataFrame:
    rows = []
    for rnd in rounds:
        rets = [r for r in sel_returns if r.round == rnd.id]
        for role in ROLES:
            for m in caseload_medians(rets, role):
                rows.append(
                    {
                        "Round": rnd.title,
                        "Role": ROLE_LABELS[role],
                        "Counted in": m.group,
                        "Median caseload": format_figure(m.median),
                        "Authorities": m.n,
                    }
                )
    return pd.DataFrame(rows, columns=["Round", "Role", "Counted in", "Median caseload", "Authorities"])


def share_frame(sel_returns: list[AuthorityReturn], rounds: list[SurveyRound], role: str) -> pd.DataFrame:
    rows = []
    for rnd in rounds:
        rets = [r for r in sel_returns if r.round == rnd.id and getattr(r, role) is not None]
        counts: dict[str, int] = {}
        for r in rets:
            for code in _codes(r, role, "qa_activities"):
                counts[code] = counts.get(code, 0) + 1
        for code, n in counts.items():
            rows.append(
                {
                    "Label": qa_label(code),
                    "Round": rnd.title,
                    "Reporting": n,
                    "Of": len(rets),
                    "Share": n / len(rets) if rets else 0.0,
                }
            )
    frame = pd.DataFrame(rows, columns=["Label", "Round", "Reporting", "Of", "Share"])
    return frame.sort_values(["Label", "Round"]).reset_index(drop=True)


def share_text(frame: pd.DataFrame, rounds: list[SurveyRound], role: str) -> str:
    if frame.empty:
        return f"No {ROLE_LABELS[role]} QA activities are reported in either round."
    first, last = rounds[0].title, rounds[-1].title
    moved = []
    for label, part in frame.groupby("Label"):
        shares = dict(zip(part["Round"], part["Share"], strict=False))
        a, b = shares.get(first, 0.0), shares.get(last, 0.0)
        if round(a * 100) != round(b * 100):
            moved.append(f"{label} {a:.0%} → {b:.0%}")
    if not moved:
        return f"The share of authorities reporting each {ROLE_LABELS[role]} QA activity is the same in both rounds."
    return (
        f"Share of authorities reporting each {ROLE_LABELS[role]} QA activity, {first} → {last}: "
        + "; ".join(moved)
        + "."
    )


def round_order(rounds: Iterable[SurveyRound], returns: Iterable[AuthorityReturn]) -> list[SurveyRound]:
    """Rounds oldest first: by meeting date, else by when their first return was saved, else by id."""
    first: dict[str, Any] = {}
    for r in returns:
        at = r.provenance.submitted_at
        if at is not None and (r.round not in first or at < first[r.round]):
            first[r.round] = at
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def key(rnd: SurveyRound) -> tuple:
        saved = first.get(rnd.id)
        day = rnd.held_on or (saved.date() if saved else dt.date.max)
        return (day, saved or far, rnd.id)

    return sorted(rounds, key=key)


def latest_pairs(
    rounds: Iterable[SurveyRound], returns: Iterable[AuthorityReturn]
) -> list[tuple[SurveyRound, SurveyRound]]:
    """For each group with two rounds or more among ``rounds``: its two latest (earlier, later)."""
    returns = list(returns)
    by_group: dict[str, list[SurveyRound]] = {}
    for rnd in comparable(rounds):
        by_group.setdefault(rnd.group, []).append(rnd)
    out = []
    for group in sorted(by_group):
        ordered = round_order(by_group[group], returns)
        if len(ordered) >= 2:
            out.append((ordered[-2], ordered[-1]))
    return out
