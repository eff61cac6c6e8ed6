"""Free-text search across every answer.

* ``search`` finds the answers that contain every word of a query
  (case-insensitive; "a phrase in quotes" counts as one term; "midway"
  also finds "mid-way" and "Mid Way").
* ``search_passages`` finds the inspectors' passages (``official.ofsted``) of the authorities
  searched that contain every word, each with its report and paragraph.
* ``highlight`` makes the text inert first (``models.safe_text``), then wraps each match in ``<mark>``: the only
  HTML in its output is the ``<mark>`` tags it adds.

No Streamlit here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.questionnaire import question_text
from models.returns import AuthorityReturn
from models.safe_text import escape_inline
from models.vocabulary import ROLE_LABELS, ROLE_QUESTIONS, display_name, model_code
from official import ofsted

#: Which answers are searched, per role, in questionnaire order: (field, question path).
SEARCHED = ROLE_QUESTIONS

_TERM = re.compile(r'"([^"]+)"|(\S+)')


def terms(query: str) -> list[str]:
    """The terms of a query: words, or "phrases in quotes"; duplicates and case ignored."""
    out: list[str] = []
    for phrase, word in _TERM.findall(query or ""):
        term = " ".join((phrase or word).split()).strip('"')
        if not any(ch.isalnum() for ch in term):
            continue  # punctuation alone ("-", "...") would match everything
        if term.casefold() not in (t.casefold() for t in out):
            out.append(term)
    return out


#: What may sit between the letters of a word, or between the words of a phrase, and still match:
#: "midway" finds "mid-way" and "Mid Way"; "dispute resolution" finds "dispute-resolution".
_JOIN_IN_WORD = r"[\s\-‐–]?"
_JOIN_WORDS = r"[\s\-‐–]+"


def _term_regex(term: str) -> str:
    # A hyphen typed inside a word is optional, like any other: "mid-way" also finds "midway".
    words = [re.sub(r"[\-‐–]", "", w) for w in term.split()]
    words = [w for w in words if w]
    return _JOIN_WORDS.join(_JOIN_IN_WORD.join(re.escape(ch) for ch in w) for w in words)


def _pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    # Longest first so "care plan" wins over "care".
    alts = sorted(words, key=len, reverse=True)
    return re.compile("|".join(_term_regex(w) for w in alts), re.IGNORECASE)


def matches(text: str, words: Sequence[str]) -> bool:
    """True when ``text`` contains every term (case-insensitive; hyphens and spaces inside a word
    are forgiven, so "midway" finds "mid-way")."""
    if not words:
        return False
    return all(re.search(_term_regex(w), text, re.IGNORECASE) for w in words)


def spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where the terms occur in ``text``, as non-overlapping (start, end) pairs."""
    rx = _pattern(words)
    return [] if rx is None else [m.span() for m in rx.finditer(text)]


@dataclass(frozen=True)
class Hit:
    authority: str  # display name (published descriptions marked)
    round: str
    role: str  # "iro" | "cp_chair"
    field: str
    question: str
    text: str
    model: str


def search(
    returns: Iterable[AuthorityReturn],
    query: str,
    roles: Sequence[str] = tuple(ROLE_LABELS),
    models: Sequence[str] = (),
    published_rounds: Iterable[str] = (),
) -> list[Hit]:
    """Every answer containing all the query's terms, in return order then questionnaire order.

    ``roles`` limits which role sections are searched; ``models`` (combined,
    separate, not_stated; empty means all) which returns.
    """
    words = terms(query)
    if not words:
        return []
    published = set(published_rounds)
    hits: list[Hit] = []
    for ret in returns:
        if models and model_code(ret) not in models:
            continue
        for role in roles:
            section = getattr(ret, role, None)
            if section is None:
                continue
            for field, path in SEARCHED:
                if field == "caseload":
                    text = section.caseload.text if section.caseload else None
                else:
                    text = getattr(section, field)
                if text and matches(text, words):
                    hits.append(
                        Hit(
                            authority=display_name(ret, published),
                            round=ret.round,
                            role=role,
                            field=field,
                            question=f"{ROLE_LABELS[role]}: {question_text(f'{role}.{path}')}",
                            text=text,
                            model=ret.model_label,
                        )
                    )
    return hits


#: Which inspection passages each role's search covers.
ROLE_TOPICS = {"iro": ofsted.IRO, "cp_chair": ofsted.CP}


@dataclass(frozen=True)
class PassageHit:
    authority: str  # the register's name
    inspection: ofsted.Inspection
    passage: ofsted.Passage


def search_passages(
    returns: Iterable[AuthorityReturn],
    query: str,
    roles: Sequence[str] = tuple(ROLE_LABELS),
    data: ofsted.OfstedData | None = None,
) -> list[PassageHit]:
    """The inspectors' passages containing every term, for each authority of ``returns`` once (in the
    order of the returns), limited to the topics of ``roles`` (IROs, CP conferences)."""
    words = terms(query)
    if not words:
        return []
    data = data or ofsted.load_ofsted()
    topics = {ROLE_TOPICS[r] for r in roles if r in ROLE_TOPICS}
    seen: set[str] = set()
    hits: list[PassageHit] = []
    for ret in returns:
        ins, _ = ofsted.inspection_of(ret.authority, data)
        if ins is None or ins.dfe_code in seen:
            continue
        seen.add(ins.dfe_code)
        for p in data.passages(ins.dfe_code):
            if topics & set(p.topics) and matches(p.text, words):
                hits.append(PassageHit(ins.name, ins, p))
    return hits


def group_hits(hits: Sequence[Hit]) -> dict[str, list[Hit]]:
    """Hits by authority, keeping their order."""
    out: dict[str, list[Hit]] = {}
    for h in hits:
        out.setdefault(h.authority, []).append(h)
    return out


def matching_lines(text: str, words: Sequence[str]) -> list[str]:
    """The lines of an answer that contain at least one term (the whole text if a match spans lines)."""
    lines = [line for line in text.splitlines() if spans(line, words)]
    return lines or [text]


# ---------------------------------------------------------------------------
# Marking matches (the text is made inert first: models.safe_text)


def highlight(text: str | None, words: Sequence[str]) -> str:
    """``text`` escaped, with every match wrapped in ``<mark>``; render with unsafe_allow_html.

    The text is escaped first and the ``<mark>`` tags added after, so the
    only HTML in the result is ours.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out_lines = []
    for line in text.split("\n"):
        line = line.strip()
        pieces = []
        pos = 0
        for start, end in spans(line, words):
            pieces.append(escape_inline(line[pos:start]))
            pieces.append(f"<mark>{escape_inline(line[start:end])}</mark>")
            pos = end
        pieces.append(escape_inline(line[pos:]))
        joined = "".join(pieces)
        out_lines.append(joined + "  " if joined else "")
    return "\n".join(out_lines).strip()
