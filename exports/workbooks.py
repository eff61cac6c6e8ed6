"""The workbooks: what one page shows (``view_workbook``), and the whole data set or a selection (``full_workbook``)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from analysis import inspection as ins
from analysis import tables as tbl
from analysis.round_questions import KEPT_OUT, answers_frame, rules_lines
from analysis.tables import matrix_sheet_table
from exports.exception_sheet import SHEET as EXCEPTION_SHEET
from exports.exception_sheet import about_text as exception_about
from exports.exception_sheet import exception_frame, write_exception_sheet
from exports.xlsx import _about_sheet, _Book, write_table
from models.returns import AuthorityReturn, Caseload, SurveyRound
from models.taxonomy import CODING_RULE
from models.vocabulary import IRO_BAND
from official.context_table import context_rows
from official.groups import group_name
from official.ofsted import OFSTED_ATTRIBUTION
from official.register import OGL_ATTRIBUTION


def _now(generated_at: dt.datetime | None) -> dt.datetime:
    when = generated_at or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def _when_text(when: dt.datetime) -> str:
    return when.strftime("%d %B %Y at %H:%M UTC").lstrip("0")


def _filters_text(filters_description: Iterable[str]) -> str:
    items = [f for f in filters_description if f]
    return "\n".join(items) if items else "None: everything is included."


def view_workbook(
    title: str,
    filters_description: Iterable[str],
    tables: Mapping[str, pd.DataFrame],
    generated_at: dt.datetime | None = None,
    notes: Iterable[str] = (),
) -> bytes:
    """What one page shows: an About sheet, then one sheet per table (named by its key). ``notes`` are the
    view's own notes (its sources and licence lines), listed on the About sheet."""
    frames = tables
    notes = [n for n in notes if n]
    when = _now(generated_at)
    items = [
        (
            "What this is",
            f"The table(s) shown on the page '{title}' of the IRO and CP chair benchmarking "
            "dashboard, under the filters below.",
        ),
        ("Filters applied", _filters_text(filters_description)),
        ("Generated", _when_text(when)),
        ("Sheets", "\n".join(f"{name}: {len(df)} row(s)" for name, df in frames.items()) or "None"),
        ("Safety", SAFETY_TEXT),
    ]
    if notes:
        items.insert(3, ("Notes", "\n".join(notes)))
    book = _Book(when, title)
    _about_sheet(book, book.sheet("About"), title, items)
    for name, df in frames.items():
        bool_cols = [str(c) for c in df.columns if pd.api.types.is_bool_dtype(df[c])]
        write_table(book, book.sheet(name), df, yes_fill_columns=bool_cols)
    return book.to_bytes()


FULL_TITLE = "IRO and CP chair benchmarking: returns"


CONTEXT_SOURCE = (
    "The Context sheet's figures: Department for Education, Local Authority Interactive Tool (LAIT), "
    "data of July 2026; statistical neighbours of May 2025; authority codes from DfE/ONS. Each figure "
    "is the latest year published, and its year is beside it."
)


SAFETY_TEXT = (
    "Every answer is stored as text exactly as given: nothing in this workbook is a formula, "
    "a macro or a link to another file."
)


def caseload_rules() -> list[str]:
    """The caseload rules, as written on ``models.returns.Caseload`` (never re-typed here)."""
    doc = Caseload.__doc__ or ""
    rules: list[str] = []
    for line in doc.splitlines():
        stripped = line.strip()
        if stripped.startswith("* "):
            rules.append(stripped[2:])
        elif rules and stripped and not stripped.startswith("Rules"):
            rules[-1] += " " + stripped
        elif not stripped and rules:
            rules.append("")
    text = [r.replace("``", "") for r in rules if r]
    return text


def _history_value(item: Any, *names: str) -> Any:
    for name in names:
        if isinstance(item, Mapping) and name in item:
            return item[name]
        if hasattr(item, name):
            return getattr(item, name)
    return None


VERSION_COLUMNS = [
    "Round",
    "Authority",
    "Version",
    "Saved at (UTC)",
    "Channel",
    "Submitted by",
    "What changed",
]


def versions_table(history: Iterable[Any]) -> pd.DataFrame:
    """History rows as the Versions sheet.

    Each item is a ``store.versions.VersionInfo`` (round and authority read
    from its ``ret``), or any mapping/object with round, authority, version,
    saved_at, channel, submitted_by and changes.
    """
    rows = []
    for item in history:
        ret = _history_value(item, "ret")
        changed = _history_value(item, "changes", "changed", "what_changed", "summary")
        if isinstance(changed, list | tuple):
            lines = [c.describe() if hasattr(c, "describe") else str(c) for c in changed]
            version = _history_value(item, "version")
            changed = "\n".join(lines) if lines else ("First version" if version == 1 else "No change")
        saved = _history_value(item, "saved_at", "submitted_at", "created_at")
        if isinstance(saved, str):
            with contextlib.suppress(ValueError):
                saved = dt.datetime.fromisoformat(saved)
        channel = _history_value(item, "channel")
        rows.append(
            {
                "Round": _history_value(item, "round", "round_id") or getattr(ret, "round", None),
                "Authority": _history_value(item, "authority") or getattr(ret, "authority", None),
                "Version": _history_value(item, "version"),
                "Saved at (UTC)": saved,
                "Channel": str(getattr(channel, "value", channel)) if channel is not None else None,
                "Submitted by": _history_value(item, "submitted_by"),
                "What changed": changed,
            }
        )
    df = pd.DataFrame(rows, columns=VERSION_COLUMNS)
    df["Version"] = df["Version"].astype("Int64")
    return df


def _rounds_text(round_ids: Sequence[str], rounds: Mapping[str, SurveyRound]) -> str:
    lines = []
    for rid in round_ids:
        rnd = rounds.get(rid)
        if rnd is None:
            lines.append(rid)
            continue
        when = rnd.held_on.isoformat() if rnd.held_on else (rnd.held_on_text or "date not stated")
        bits = [f"{rnd.title} (id {rnd.id})", tbl.KIND_LABELS.get(str(rnd.kind), str(rnd.kind)), when]
        if rnd.group:
            bits.append(f"group: {group_name(rnd.group)}")
        lines.append(" – ".join(bits))
    return "\n".join(lines) or "None"


def _sources_text(round_ids: Sequence[str], rounds: Mapping[str, SurveyRound]) -> str:
    lines = []
    for rid in round_ids:
        rnd = rounds.get(rid)
        if rnd is not None:
            lines.append(f"{rid}: " + "; ".join(rnd.sources))
    return "\n".join(lines) or "Not recorded"


#: The sheet of every answer to the rounds' own questions.
OWN_SHEET = "Round questions"


def full_workbook(
    returns: Sequence[AuthorityReturn],
    rounds: Mapping[str, SurveyRound],
    *,
    filters_description: Iterable[str] = (),
    history: list | None = None,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """The whole data set (or a selection) as one workbook; see the module docstring."""
    when = _now(generated_at)
    returns = list(returns)
    round_ids = list(dict.fromkeys(r.round for r in returns)) or list(rounds)
    summary = tbl.summary_table(returns, rounds)
    qa = matrix_sheet_table(returns, "qa")
    impact = matrix_sheet_table(returns, "impact")
    responses = in_parts(tbl.responses_table(returns))
    notes = notes_table(returns)
    versions = versions_table(history) if history else None
    context = pd.DataFrame(context_rows(returns)) if returns else None
    # The Inspection sheets, where at least one authority exported has an Ofsted inspection.
    inspected = ins.any_inspected(returns)
    inspection = ins.inspection_frame(returns) if inspected else None
    passages = ins.passages_frame(returns) if inspected else None
    exceptions = exception_frame(returns, rounds) if returns else None
    if exceptions is not None and exceptions[0].empty:
        exceptions = None

    sheets = [
        (
            "Summary",
            f"One row per return ({len(summary)}): the model, each role's caseload as reported, as numbers "
            "(low and high) and as read, what the figure counts, counts of QA activities and evidence types, "
            "and full-time equivalents (the data-quality notes are on their own sheet).",
        ),
        (
            "QA matrix",
            "Formal QA inputs: one row per authority and role (a Role column: IRO or CP chair; "
            "filter it to see one role), one column per activity; 'Yes' where the return describes it. "
            "Returns without a CP chair section have IRO rows only.",
        ),
        ("Impact evidence matrix", "How impact is evidenced: laid out like the QA matrix."),
        *([(EXCEPTION_SHEET, exception_about(exceptions[2]))] if exceptions is not None else []),
        (
            "Responses",
            "Every narrative answer in full, one row each (an answer too long for one row is in parts, "
            "'part 1 of 2', split at its line breaks).",
        ),
        *(
            [
                (
                    NOTES_SHEET,
                    f"How each ambiguous answer was read, and why ({len(notes)} notes), one row each.",
                )
            ]
            if not notes.empty
            else []
        ),
    ]
    if context is not None:
        sheets.append(
            (
                "Context",
                "One row per return: the authority's codes, its latest official figures (DfE, from LAIT) "
                "with their years, the full-time IROs and CP chairs its caseloads imply (with the figures "
                "they come from), plausibility flags and where its series of figures breaks. An empty "
                "figure is not available, never 0.",
            )
        )
    if versions is not None:
        sheets.append(("Versions", "Every saved version of the returns included: when, how and by whom."))
    changes = _changes_sheet(returns, [rounds[i] for i in round_ids if i in rounds])
    if changes is not None:
        sheets.append(("Changes", changes[0]))
    own_rounds = [rounds[i] for i in round_ids if i in rounds and rounds[i].questions]
    own = pd.concat([answers_frame(r, returns) for r in own_rounds]) if own_rounds else None
    if own is not None:
        sheets.append(
            (OWN_SHEET, f"Every answer to the rounds' own questions ({len(own)}), one row each. {KEPT_OUT}")
        )
    if inspection is not None:
        sheets.append((ins.SHEET, ins.SHEET_ABOUT))
        sheets.append((ins.PASSAGES_SHEET, f"{ins.PASSAGES_ABOUT} ({len(passages)} passages)"))
    rules = "\n".join(f"• {r}" for r in caseload_rules())
    items = [
        (
            "What this is",
            "Returns from English local authorities about how they organise Independent "
            "Reviewing Officers (IROs) and Child Protection (CP) chairs: combined or separate roles, "
            "caseloads, expectations, formal quality assurance inputs and how impact is evidenced.",
        ),
        ("Round(s)", _rounds_text(round_ids, rounds)),
        (
            "Authorities",
            f"{len(returns)} return(s): " + ", ".join(r.authority for r in returns) if returns else "None",
        ),
        ("Filters applied", _filters_text(filters_description)),
        ("Generated", _when_text(when)),
        ("Sources", _sources_text(round_ids, rounds)),
        ("Official figures", f"{CONTEXT_SOURCE}\n{OGL_ATTRIBUTION}"),
        ("Inspections", f"{ins.SHEET_ABOUT}\n{OFSTED_ATTRIBUTION}"),
        (
            "How caseloads were normalised",
            "Each caseload is kept as reported (in words) and as numbers:\n" + rules,
        ),
        (
            "Reference band",
            f"{IRO_BAND.sentence} Only IRO caseloads in children (or cases) that are a figure or a range are "
            "compared with it: CP chair caseloads, caseloads counted in families, mixed caseloads (children "
            "looked after and child protection together, including a dual role's stated parts, whose figure "
            "is their sum) and caps ('up to', 'no more than': a maximum, not an average) are not.",
        ),
        ("How activities are coded", CODING_RULE),
        *(
            [("Counting rules", "\n".join(f"• {line}" for r in own_rounds for line in rules_lines(r)))]
            if own_rounds
            else []
        ),
        ("Sheets", "\n".join(f"{name}: {text}" for name, text in sheets)),
        ("Safety", SAFETY_TEXT),
    ]
    book = _Book(when, FULL_TITLE)
    _about_sheet(book, book.sheet("About"), FULL_TITLE, items)
    # The identifying columns (Authority, Round; Role for the matrices) print on every page across. The
    # data-quality notes have a sheet of their own, so the Summary's rows stay one line tall on paper.
    write_table(book, book.sheet("Summary"), summary.drop(columns=[NOTES_COLUMN]), freeze_columns=2)
    code_labels = [label for _, label in tbl.code_columns("qa")]
    write_table(book, book.sheet("QA matrix"), qa, freeze_columns=3, yes_fill_columns=code_labels)
    impact_labels = [label for _, label in tbl.code_columns("impact")]
    write_table(
        book, book.sheet("Impact evidence matrix"), impact, freeze_columns=3, yes_fill_columns=impact_labels
    )
    if exceptions is not None:
        write_exception_sheet(book, *exceptions)
    write_table(book, book.sheet("Responses"), responses, freeze_columns=2)
    if not notes.empty:
        write_table(book, book.sheet(NOTES_SHEET), notes, freeze_columns=2)
    if context is not None:
        write_table(book, book.sheet("Context"), context, freeze_columns=2)
    if versions is not None:
        write_table(book, book.sheet("Versions"), versions, freeze_columns=2)
    if changes is not None:
        write_table(book, book.sheet("Changes"), changes[1], freeze_columns=2)
    if own is not None:
        write_table(book, book.sheet(OWN_SHEET), own, freeze_columns=2)
    if inspection is not None:
        write_table(book, book.sheet(ins.SHEET), inspection, freeze_columns=1)
        write_table(book, book.sheet(ins.PASSAGES_SHEET), passages, freeze_columns=1)
    return book.to_bytes()


#: An answer longer than this is written over more than one row (at its line breaks): Excel's tallest row
#: (409 points) could not show it whole, on screen or on paper.
PART_CHARS = 1700


def in_parts(responses: pd.DataFrame, most: int = PART_CHARS) -> pd.DataFrame:
    """The Responses sheet with each over-long answer split at line breaks into rows 'Answer (part 1 of 2)'."""
    rows = []
    for row in responses.to_dict("records"):
        text = row["Answer"] or ""
        if len(text) <= most:
            rows.append(row)
            continue
        parts, current = [], ""
        for line in text.split("\n"):
            while len(line) > most:  # one very long paragraph: at a space
                cut = line.rfind(" ", 0, most) if " " in line[:most] else most
                if current:
                    parts.append(current)
                    current = ""
                parts.append(line[:cut])
                line = line[cut:].lstrip()
            if current and len(current) + 1 + len(line) > most:
                parts.append(current)
                current = line
            else:
                current = f"{current}\n{line}" if current else line
        if current:
            parts.append(current)
        for i, part in enumerate(parts, start=1):
            rows.append({**row, "Question": f"{row['Question']} (part {i} of {len(parts)})", "Answer": part})
    return pd.DataFrame(rows, columns=list(responses.columns))


NOTES_COLUMN = "Data-quality notes"
NOTES_SHEET = "Data-quality notes"


def notes_table(returns: Sequence[AuthorityReturn]) -> pd.DataFrame:
    """Every data-quality note, one row each: Authority, Round, Note."""
    rows = [{"Authority": r.authority, "Round": r.round, "Note": n} for r in returns for n in r.notes]
    return pd.DataFrame(rows, columns=["Authority", "Round", "Note"])


def _changes_sheet(
    returns: list[AuthorityReturn], rounds: list[SurveyRound]
) -> tuple[str, pd.DataFrame] | None:
    """With two rounds of a group exported: each answer changed between its two latest rounds."""
    from analysis.changes import changes_frame, latest_pairs, like_for_like

    frames, what = [], []
    for a, b in latest_pairs(rounds, returns):
        frame = changes_frame(returns, a.id, b.id)
        frames.append(frame.assign(**{"From round": a.title, "To round": b.title}))
        like = like_for_like(returns, a.id, b.id)
        what.append(f"'{a.title}' to '{b.title}' (the {like.n} authorities with a return in both)")
    if not frames:
        return None
    frame = pd.concat(frames, ignore_index=True)
    cols = ["Authority", "Field", "Question", "Before", "After", "From round", "To round"]
    return (
        f"Each answer an authority changed from {'; '.join(what)} ({len(frame)} answers), one row each; "
        "authorities with a return in only one of the two rounds are not listed.",
        frame[cols],
    )
