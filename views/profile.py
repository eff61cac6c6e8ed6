"""Authorities side by side: one authority's whole return, or two to four in columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from models.caseload import caseload_figure
from models.notes import note_status
from models.questionnaire import question_text
from models.returns import POPULATION_LABELS, AuthorityReturn, RoleSection
from models.vocabulary import (
    ROLE_LABELS,
    ROLE_QUESTIONS,
    ROLE_SECTIONS,
    TAXONOMIES,
    display_name,
    format_figure,
)
from views.base import Columns, Passage, Section, Selection, Table, View
from views.coded import codes_of
from views.context import LICENCE_NOTE, card_section, flags_section, implied_section
from views.inspection import OFSTED_ATTRIBUTION, grades_section, inspection_sections

TITLE = "Authorities side by side"
INTRO = (
    "Pick one authority to read its whole return, or two to four to read them in columns, question by "
    "question. Differences in model, caseloads and activities are listed first."
)
MAX_CHOSEN = 4
HAS = "✓ has"
LACKS = "— lacks"
NOT_ANSWERED = "not answered"


CASELOAD_READ_AS = "Caseload as read"


def read_as(cl, role: str) -> str:
    """'65 cases, children looked after; within the band' – the one reading (``models.caseload``)."""
    fig = caseload_figure(cl, role)
    text = fig.words
    if cl.population:
        text += f", {POPULATION_LABELS[cl.population]}"
    if role == "iro":
        text += f"; against the IRO Handbook band: {fig.band(role)}"
    return text


@dataclass(frozen=True)
class Answer:
    section: str
    question: str
    answer: str


def provenance_text(ret: AuthorityReturn) -> str:
    p = ret.provenance
    bits = [f"Source: {p.source}", f"arrived by {p.channel}", f"version {p.version}"]
    if p.submitted_at:
        bits.append(f"submitted {p.submitted_at:%d %B %Y}")
    return "; ".join(bits) + "."


def profile(ret: AuthorityReturn) -> list[Answer]:
    """Every answer of one return, in questionnaire order, with the question as asked."""
    out = [Answer("About the return", question_text("combined_role"), ret.model_label)]
    if ret.authority_note:
        out.append(Answer("About the return", "About the authority's return", ret.authority_note))
    for role in ROLE_LABELS:
        section: RoleSection | None = getattr(ret, role)
        title = ROLE_SECTIONS[role]
        if section is None:
            out.append(Answer(title, "(section)", "Not answered."))
            continue
        for key, path in ROLE_QUESTIONS:
            if key == "caseload":
                cl = section.caseload
                text = cl.text if cl and cl.text else ""
                out.append(Answer(title, question_text(f"{role}.caseload.text"), text or "Not answered."))
                if cl and cl.has_numbers:
                    out.append(Answer(title, CASELOAD_READ_AS, read_as(cl, role)))
                continue
            value = getattr(section, key)
            out.append(Answer(title, question_text(f"{role}.{path}"), value or "Not answered."))
        for taxonomy, tax in TAXONOMIES.items():
            labels = tax.labels
            codes = codes_of(section, taxonomy)
            out.append(
                Answer(
                    title,
                    question_text(f"{role}.{tax.field}"),
                    "\n".join(labels[c] for c in codes) if codes else "None recorded.",
                )
            )
    wf = ret.workforce
    if wf.iro_fte is not None:
        out.append(Answer("Workforce", question_text("workforce.iro_fte"), format_figure(wf.iro_fte)))
    if wf.cp_chair_fte is not None:
        out.append(
            Answer("Workforce", question_text("workforce.cp_chair_fte"), format_figure(wf.cp_chair_fte))
        )
    for other in wf.other:
        out.append(Answer("Workforce", other.label, other.text))
    return out


def return_sections(ret: AuthorityReturn, *, show_provenance: bool = True) -> list[Section]:
    """One return as members read it: a section per part of the questionnaire, every answer inert."""
    sections: list[Section] = []
    current: str | None = None
    blocks: list[Passage] = []
    for answer in profile(ret):
        if answer.section != current:
            if current is not None:
                sections.append(Section(heading=current, level=3, blocks=tuple(blocks)))
            current, blocks = answer.section, []
        blocks.append(Passage(answer.answer, heading=answer.question))
    if current is not None:
        sections.append(Section(heading=current, level=3, blocks=tuple(blocks)))
    if ret.notes:
        sections.append(
            Section(
                heading="Data-quality notes",
                level=3,
                intro="How an ambiguous answer was read, and why.",
                blocks=tuple(Passage(n) for n in ret.notes),
            )
        )
    if ret.earlier_notes:
        sections.append(
            Section(
                heading="Notes written for an earlier version",
                level=3,
                intro="The answers these notes explained have changed since: they are kept for the record and do "
                "not describe the answers above.",
                blocks=tuple(Passage(n.text, caption=note_status(n)) for n in ret.earlier_notes),
            )
        )
    if ret.commentaries:
        sections.append(
            Section(
                heading="Commentaries on flagged figures",
                level=3,
                intro="The lead's words on figures in the top or bottom fifth of the group (the exception table).",
                blocks=tuple(
                    Passage(
                        c.text,
                        heading=c.label,
                        caption=None
                        if c.round == ret.round
                        else "Last year's commentary, written for an earlier round; carried forward until changed.",
                        quote=True,
                    )
                    for c in ret.commentaries
                ),
            )
        )
    if show_provenance:
        sections.append(Section(heading="Provenance", level=3, blocks=(Passage(provenance_text(ret)),)))
    return sections


def return_table(ret: AuthorityReturn) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Section": a.section, "Question": a.question, "Answer": a.answer} for a in profile(ret)],
        columns=["Section", "Question", "Answer"],
    )


def side_by_side(
    returns: Sequence[AuthorityReturn], roles: Sequence[str] = tuple(ROLE_LABELS), published_rounds=()
) -> pd.DataFrame:
    """Question by question (rows), one column per authority, every answer as text."""
    published = set(published_rounds)
    names = [display_name(r, published) for r in returns]
    rows: list[dict[str, str]] = [
        {
            "Question": question_text("combined_role"),
            **{n: r.model_label for n, r in zip(names, returns, strict=True)},
        }
    ]
    for role in roles:
        prefix = ROLE_LABELS[role]
        for key, path in ROLE_QUESTIONS:
            row = {"Question": f"{prefix}: {question_text(f'{role}.{path}')}"}
            for n, r in zip(names, returns, strict=True):
                section = getattr(r, role)
                if section is None:
                    row[n] = "Not answered."
                elif key == "caseload":
                    cl = section.caseload
                    row[n] = cl.text if cl and cl.text else "Not answered."
                else:
                    row[n] = getattr(section, key) or "Not answered."
            rows.append(row)
            if key == "caseload":
                row = {"Question": f"{prefix}: {CASELOAD_READ_AS.lower()}"}
                for n, r in zip(names, returns, strict=True):
                    section = getattr(r, role)
                    cl = section.caseload if section else None
                    row[n] = read_as(cl, role) if cl and cl.has_numbers else "No figure"
                rows.append(row)
        for taxonomy, tax in TAXONOMIES.items():
            labels = tax.labels
            row = {"Question": f"{prefix}: {question_text(f'{role}.{tax.field}')}"}
            for n, r in zip(names, returns, strict=True):
                codes = codes_of(getattr(r, role), taxonomy)
                row[n] = "\n".join(labels[c] for c in codes) if codes else "None recorded."
            rows.append(row)
    return pd.DataFrame(rows, columns=["Question", *names])


def has_lacks(
    returns: Sequence[AuthorityReturn], taxonomy: str, role: str, published_rounds=(), only_differences=True
) -> pd.DataFrame:
    """Codes (rows) by authority (columns): '✓ has' or '— lacks'; with ``only_differences`` only the
    codes some authorities have and others lack."""
    published = set(published_rounds)
    labels = TAXONOMIES[taxonomy].labels
    names = [display_name(r, published) for r in returns]
    rows = []
    for code, label in labels.items():
        row = {"Activity": label}
        marks = []
        for n, r in zip(names, returns, strict=True):
            section = getattr(r, role)
            if section is None:
                row[n] = NOT_ANSWERED
                continue
            has = code in codes_of(section, taxonomy)
            row[n] = HAS if has else LACKS
            marks.append(has)
        if not any(marks):
            continue
        if only_differences and all(marks) and len(marks) == len(returns):
            continue
        rows.append(row)
    return pd.DataFrame(rows, columns=["Activity", *names])


def differences(returns: Sequence[AuthorityReturn], roles: Sequence[str] = tuple(ROLE_LABELS)) -> list[str]:
    """Plain sentences naming where the returns differ (model, caseloads, activities)."""
    out = []
    models = {r.authority: r.model_label for r in returns}
    if len(set(models.values())) > 1:
        out.append("Models differ: " + "; ".join(f"{a}: {m.lower()}" for a, m in models.items()) + ".")
    else:
        out.append(f"All have the same model: {next(iter(models.values())).lower()}.")
    for role in roles:
        who = ROLE_LABELS[role]
        figs = []
        for r in returns:
            section = getattr(r, role)
            cl = section.caseload if section else None
            figs.append(
                f"{r.authority}: {caseload_figure(cl, role).words}"
                if cl and cl.has_numbers
                else f"{r.authority}: no figure"
            )
        out.append(f"{who} caseloads – " + "; ".join(figs) + ".")
        for taxonomy, tax in TAXONOMIES.items():
            labels = tax.labels
            sets = {r.authority: set(codes_of(getattr(r, role), taxonomy)) for r in returns}
            for a, mine in sets.items():
                others = set().union(*(s for b, s in sets.items() if b != a)) if len(sets) > 1 else set()
                only = [labels[c] for c in labels if c in mine - others]
                if only:
                    out.append(f"{who} {tax.phrase}: only {a} reports " + ", ".join(only) + ".")
    return out


def context_sections(ret: AuthorityReturn) -> list[Section]:
    """The official figures around one return: its authority's card, implied workforce and flags."""
    return [
        card_section(ret.authority, level=3),
        implied_section(ret, level=3, licence=False),
        flags_section([ret], heading="Plausibility flags", level=3, licence=False),
    ]


def choices(sel: Selection) -> dict[str, AuthorityReturn]:
    """The returns a reader can pick, by the name the page shows (the round added where an
    authority has returns in two rounds)."""
    by_name: dict[str, AuthorityReturn] = {}
    for ret in sel.returns:
        name = display_name(ret, sel.published_rounds)
        if name in by_name:
            name = f"{name} – {ret.round}"
        by_name[name] = ret
    return by_name


def own_sections(sel: Selection, ret: AuthorityReturn) -> list[Section]:
    """The authority's answers to its round's own questions (``views.round_questions``), if any."""
    from views.round_questions import profile_section

    rnd = sel.rounds.get(ret.round)
    found = profile_section(rnd, ret) if rnd is not None else None
    return [found] if found is not None else []


def answers_view(sel: Selection, name: str) -> View:
    """One authority's answers in full, question by question, with its data-quality notes, after its
    Inspection card (the pack's appendix): ``name`` as ``choices`` gives it."""
    ret = choices(sel)[name]
    notes = ("Published description – not a questionnaire answer.",) if sel.is_published(ret) else ()
    return View(
        key="answers",
        title=name,
        sections=(
            *((Section(notes=notes),) if notes else ()),
            *inspection_sections(ret.authority, level=3),
            *return_sections(ret),
            *own_sections(sel, ret),
        ),
        notes=(OFSTED_ATTRIBUTION,),
    )


def build(sel: Selection, *, chosen: tuple[str, ...] = ()) -> View:
    """One return in full (one name chosen), or two to four side by side."""
    by_name = choices(sel)
    picked = [n for n in chosen if n in by_name][:MAX_CHOSEN]
    if not picked:
        return View(
            key="profile",
            title=TITLE,
            intro=INTRO,
            empty="Choose an authority above to read its return, or two to four to compare them side by side.",
            filters=sel.filters,
        )
    rets = [by_name[n] for n in picked]
    if len(rets) == 1:
        ret = rets[0]
        head = Section(
            heading=picked[0],
            notes=("Published description – not a questionnaire answer.",) if sel.is_published(ret) else (),
            tables=(
                Table(
                    key="profile_return",
                    caption="The whole return as a table",
                    frame=return_table(ret),
                    sheet="Return",
                    in_pack=False,
                ),
            ),
        )
        return View(
            key="profile",
            title=f"Return of {ret.authority}",
            intro=INTRO,
            sections=(
                head,
                *context_sections(ret),
                *inspection_sections(ret.authority, level=3),
                *return_sections(ret),
                *own_sections(sel, ret),
            ),
            filters=(*sel.filters, f"Authority: {picked[0]}"),
            notes=(LICENCE_NOTE, OFSTED_ATTRIBUTION),
        )
    sections = [
        Section(heading="What differs", bullets=tuple(differences(rets, sel.roles))),
        grades_section([(name, ret.authority) for name, ret in zip(picked, rets, strict=True)]),
    ]
    for role in sel.roles:
        for taxonomy, tax in TAXONOMIES.items():
            table = has_lacks(rets, taxonomy, role, sel.published_rounds)
            heading = f"{ROLE_LABELS[role]}: {tax.short} one has and another lacks"
            if table.empty:
                sections.append(
                    Section(
                        heading=heading, level=3, notes=("No differences: they report the same (or none).",)
                    )
                )
            else:
                sections.append(
                    Section(
                        heading=heading,
                        level=3,
                        tables=(
                            Table(
                                key=f"has_{taxonomy}_{role}",
                                caption=heading,
                                frame=table,
                                sheet=f"{ROLE_LABELS[role]} {tax.short}",
                                expanded=True,
                            ),
                        ),
                    )
                )
    frame = side_by_side(rets, sel.roles, sel.published_rounds)
    blocks = tuple(
        Columns(
            items=tuple((name, str(row[name])) for name in frame.columns[1:]), heading=str(row["Question"])
        )
        for _, row in frame.iterrows()
    )
    sections.append(
        Section(
            heading="Question by question",
            blocks=blocks,
            tables=(
                Table(
                    key="side_by_side",
                    caption="Side by side, as a table",
                    frame=frame,
                    sheet="Side by side",
                    in_pack=False,
                    wide=tuple(frame.columns[1:]),
                ),
            ),
        )
    )
    return View(
        key="profile",
        title=TITLE,
        intro=INTRO,
        sections=tuple(sections),
        filters=(*sel.filters, "Authorities: " + ", ".join(picked)),
    )
