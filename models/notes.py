"""Data-quality notes that stay true to the answer they explain.

A data-quality note explains how an ambiguous answer was read ("IRO caseload 'IRO average case load
65 (since 01/04/20)': 65 is the caseload…"). When a lead changes that answer, the note no longer
explains it, and must not be shown as if it did. ``refresh_notes`` is applied to every save:

* a note is *about* the answers it quotes (a fragment in quotation marks that is the whole answer, or
  a long enough part of it);
* where one of those answers changed, the note is moved to ``earlier_notes``, marked with the version
  it was written for, and shown as "written for an earlier version", never as current;
* where the answer is a caseload, a new note is written from the answer itself (how its words were
  read as numbers: the one reading of ``models.caseload``, and any figure left in the words).

Pure: no storage, no Streamlit.
"""

from __future__ import annotations

import re
from typing import Any

from models.caseload import caseload_figure
from models.caseload_parser import parse_caseload
from models.questionnaire import field_title, flatten
from models.returns import AuthorityReturn, EarlierNote
from models.vocabulary import ROLE_LABELS

_QUOTED = re.compile(r"'([^']{1,400})'|‘([^’]{1,400})’|“([^”]{1,400})”|\"([^\"]{1,400})\"")
#: A quoted part of an answer this long (or longer) identifies it; a shorter one must be the whole answer.
PART_CHARS = 12


def quoted(note: str) -> list[str]:
    """The fragments a note quotes, each split at '...' (a quotation with a gap is two pieces)."""
    out = []
    for m in _QUOTED.finditer(note):
        text = next(g for g in m.groups() if g is not None)
        out += [p.strip() for p in re.split(r"\.\.\.|…", text) if p.strip()]
    return out


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _within(fragment: str, answer: str) -> bool:
    return " ".join(fragment.split()) in " ".join(answer.split())


def subjects(note: str, ret: AuthorityReturn) -> list[str]:
    """The answers (dotted paths) a note quotes."""
    answers = {p: v for p, v in flatten(ret).items() if isinstance(v, str) and v}
    out = []
    for fragment in quoted(note):
        for path, text in answers.items():
            found = _same(fragment, text) or (len(fragment) >= PART_CHARS and _within(fragment, text))
            if found and path not in out:
                out.append(path)
    return out


def caseload_note(ret: AuthorityReturn, role: str) -> str | None:
    """How a caseload's words are read as numbers, written from the answer itself."""
    section = getattr(ret, role)
    cl = section.caseload if section is not None else None
    if cl is None or not cl.text:
        return None
    who = ROLE_LABELS[role]
    fig = caseload_figure(cl, role)
    text = " ".join(cl.text.split())
    if not cl.has_numbers:
        return f"{who} caseload '{text}' gives no figure, so none is compared."
    note = f"{who} caseload '{text}' is read as {fig.words}"
    if fig.unit == "cases":
        note += " (the answer does not say children or families)"
    left = parse_caseload(cl.text).ignored
    if left:
        note += "; " + "; ".join(left) + ", and stays in the words only"
    return note + ". (Written from the answer when it changed.)"


def _figures_changed(text_path: str, changed: set[str]) -> bool:
    """A note on a caseload's words is about its figures too."""
    prefix = text_path.removesuffix(".text")
    return any(f"{prefix}.{f}" in changed for f in ("low", "high", "unit", "population"))


def refresh_notes(old: AuthorityReturn | None, new: AuthorityReturn) -> AuthorityReturn:
    """``new`` with each note about an answer that changed since ``old`` moved to ``earlier_notes``
    (marked with the version it was written for), and a note written afresh for a changed caseload."""
    if old is None or not new.notes:
        return new
    before, after = flatten(old), flatten(new)
    changed = {p for p in after if before.get(p) != after.get(p)}
    keep: list[str] = []
    earlier = list(new.earlier_notes)
    fresh: list[str] = []
    for note in new.notes:
        about = subjects(note, old)
        moved = [
            p
            for p in about
            if p in changed or (p.endswith(".caseload.text") and _figures_changed(p, changed))
        ]
        if not moved:
            keep.append(note)
            continue
        earlier.append(
            EarlierNote(text=note, version=old.provenance.version, about=[field_title(p) for p in moved][:5])
        )
        for path in moved:
            role = path.split(".")[0]
            if path.endswith("caseload.text") and (n := caseload_note(new, role)) and n not in fresh:
                fresh.append(n)
    if len(keep) == len(new.notes):
        return new
    return new.model_copy(update={"notes": keep + fresh, "earlier_notes": earlier})


def note_status(note: Any) -> str:
    """'Written for version 1; the answer it explains has changed since.'"""
    about = "; ".join(note.about) if note.about else "the answer it explains"
    return f"Written for version {note.version}, for an earlier version of {about}: not a note on the answer as it is now."
