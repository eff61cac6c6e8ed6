"""Change between rounds: what each authority changed from one round of a group to the next.

``build(sel, from_round=…, to_round=…)`` gives the page's View:

* per authority present in both rounds: model changed or not, each role's caseload before and
  after (numbers, and the reported text), QA activities and impact evidence added and removed;
* for the group: the median caseload per round (table), and the share of authorities reporting
  each QA activity per round (chart, its table and its text alternative);
* the authorities in only one of the two rounds, listed apart.

On like for like (``analysis.changes.like_for_like``): medians, shares and counts are over the
authorities with a return in both rounds only, and no share is worked out from fewer than 3.

The frames behind it are ``analysis.changes`` (also used by ``cli.py changes`` and the workbook).
"""

from __future__ import annotations

from analysis.changes import (
    MIN_SHARE,
    ROLES,
    authority_frame,
    by_authority,
    comparable,
    like_for_like,
    medians_frame,
    share_frame,
    share_text,
)
from models.vocabulary import CLI, ROLE_LABELS, plural
from views import charts, round_questions
from views.base import Chart, Section, Selection, Table, View

TITLE = "Change between rounds"
INTRO = (
    "What each authority changed from one round of a group to the next: its model, its caseloads, and the "
    "quality assurance activities and impact evidence it reports; then the group as a whole."
)
NOTHING_YET = (
    "There is only one round of this group so far, so there is nothing to compare yet. When the "
    "coordinator starts the next round (Coordinator page, 'Start a new round', or "
    f"`{CLI} round create ID --title TITLE --group GROUP --deadline YYYY-MM-DD`), each authority's "
    "return starts from its last one, and this page shows what changed."
)


def build(sel: Selection, *, from_round: str | None, to_round: str | None) -> View:
    rounds = {r.id: r for r in comparable(sel.rounds.values())}
    if from_round not in rounds or to_round not in rounds:
        return View(key="changes", title=TITLE, intro=INTRO, empty=NOTHING_YET)
    if from_round == to_round:
        return View(
            key="changes",
            title=TITLE,
            intro=INTRO,
            empty="From round and To round are the same round: choose two different rounds to compare.",
        )
    a, b = rounds[from_round], rounds[to_round]
    if a.group != b.group:
        return View(
            key="changes",
            title=TITLE,
            intro=INTRO,
            empty=f"'{a.title}' and '{b.title}' belong to different groups ({a.group}, {b.group}); "
            "choose two rounds of the same group.",
        )
    like = like_for_like(sel.returns, a.id, b.id)
    returns = list(like.returns)  # only the authorities with a return in both rounds count below
    before, after = by_authority(returns, a.id), by_authority(returns, b.id)
    both = authority_frame(before, after)
    new, gone = like.new, like.missing
    pair = [a, b]
    sections = [
        Section(
            heading="Each authority",
            intro=like.words(a.title, b.title),
            tables=(
                Table(
                    "changes_authorities", "What each authority changed", both, sheet="Changes", expanded=True
                ),
            )
            if not both.empty
            else (),
            empty=None if not both.empty else "No authority has a return in both rounds yet.",
        ),
        Section(
            heading="In only one of the two rounds",
            bullets=(
                f"New this round: {', '.join(new) if new else 'none'}.",
                f"No return this round: {', '.join(gone) if gone else 'none'}.",
            ),
        ),
        Section(
            heading="The group: median caseload per round",
            tables=(
                Table(
                    "changes_medians",
                    "Median caseload per round",
                    medians_frame(returns, pair),
                    sheet="Medians",
                    expanded=True,
                ),
            ),
        ),
    ]
    for role in ROLES:
        if not like.shares_allowed:
            sections.append(
                Section(
                    heading=f"{ROLE_LABELS[role]}: share of authorities reporting each QA activity",
                    empty=f"Not worked out: {plural(like.n, 'authority')} with a return in both rounds, "
                    f"and no share is worked out from fewer than {MIN_SHARE}.",
                )
            )
            continue
        frame = share_frame(returns, pair, role)
        title = f"{ROLE_LABELS[role]}: share of authorities reporting each QA activity"
        text = share_text(frame, pair, role)
        shown = frame.assign(Share=frame["Share"])
        sections.append(
            Section(
                heading=title,
                charts=(
                    Chart(
                        f"changes_share_{role}",
                        title,
                        charts.share_by_round_chart(frame, [a.title, b.title], title),
                        alt=text,
                    ),
                )
                if not frame.empty
                else (),
                text=text,
                tables=(
                    Table(
                        f"changes_share_{role}",
                        title,
                        shown,
                        sheet="Activities IRO" if role == "iro" else "Activities CP chairs",
                        percent=("Share",),
                    ),
                ),
            )
        )
    sections += [s for s in [round_questions.changes_section(a, b, sel.returns)] if s is not None]
    return View(
        key="changes",
        title=TITLE,
        intro=INTRO,
        sections=tuple(sections),
        filters=(f"From '{a.title}' to '{b.title}'.", like.words(a.title, b.title)),
    )
