"""Anonymised publication: each authority as 'Authority A', with nothing that would identify it.

Pure. Used by ``survey.visibility.shown`` for a round published anonymised, so every page, the
workbook and the pack read the same anonymised returns. Kept: the figures and the coded answers
(model, caseload figures, QA activities and impact evidence as coded, full-time officers). Left
out: every name, quote and free text (the answers in words, notes, commentaries, the round's own
questions, the source), since any of them could name the authority. Official context is left out
too: the register knows no 'Authority A', so no card, neighbour or Ofsted grade is joined to it.

Labels are stable (the same authority has the same label on every page and every day) and not in
alphabetical order of the names, which would give them away: the order is that of a hash of the
round and the authority.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import replace

from models.names import authority_key
from models.returns import AuthorityReturn, Caseload, RoleSection
from store.loading import Dataset

ANONYMISED_SOURCE = "Anonymised for publication"
LABEL = "Authority"


def _letters(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = string.ascii_uppercase[r] + out
    return out


def labels(round_id: str, authorities: list[str]) -> dict[str, str]:
    """Each authority's label in the round: 'Authority A', 'Authority B'…"""
    keys = sorted(
        {authority_key(a): a for a in authorities}.items(),
        key=lambda kv: hashlib.sha256(f"{round_id}\x00{kv[0]}".encode()).hexdigest(),
    )
    return {name: f"{LABEL} {_letters(i)}" for i, (_, name) in enumerate(keys)}


def _figures(c: Caseload) -> str:
    if c.low is None:
        return "Not stated"
    if c.high is None or c.high == c.low:
        return f"{c.low:g}"
    return f"{c.low:g}–{c.high:g}"


def _caseload(c: Caseload | None) -> Caseload | None:
    if c is None:
        return None
    parts = [p.model_copy(update={"label": f"Part {i}"}) for i, p in enumerate(c.parts, 1)]
    return c.model_copy(update={"text": _figures(c), "parts": parts})


def _section(s: RoleSection | None) -> RoleSection | None:
    if s is None:
        return None
    return s.model_copy(
        update={
            "caseload": _caseload(s.caseload),
            "expectations": None,
            "quality_inputs": None,
            "impact": None,
            "evidence": {},
        }
    )


def anonymise(ret: AuthorityReturn, label: str) -> AuthorityReturn:
    """The return with its authority as ``label`` and every name, quote and free text left out."""
    prov = ret.provenance.model_copy(
        update={"source": ANONYMISED_SOURCE, "submitted_by": None, "confirmed": [], "carried_from": None}
    )
    return ret.model_copy(
        update={
            "authority": label,
            "authority_note": None,
            "iro": _section(ret.iro),
            "cp_chair": _section(ret.cp_chair),
            "workforce": ret.workforce.model_copy(update={"other": []}),
            "notes": [],
            "earlier_notes": [],
            "commentaries": [],
            "provenance": prov,
            "answers": {},
        }
    )


def anonymise_dataset(ds: Dataset, round_ids: set[str]) -> Dataset:
    """The data set with the returns of ``round_ids`` anonymised (other rounds as they are)."""
    out = []
    for rid in sorted(round_ids):
        rets = [r for r in ds.returns if r.round == rid]
        names = labels(rid, [r.authority for r in rets])
        out.extend(anonymise(r, names[r.authority]) for r in rets)
    kept = [r for r in ds.returns if r.round not in round_ids]
    rounds = {
        rid: (
            rnd.model_copy(update={"title": f"{rnd.title} (anonymised)", "source": ANONYMISED_SOURCE})
            if rid in round_ids
            else rnd
        )
        for rid, rnd in ds.rounds.items()
    }
    return replace(ds, rounds=rounds, returns=kept + sorted(out, key=lambda r: r.authority))
