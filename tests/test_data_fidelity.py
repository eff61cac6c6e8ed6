"""What a second reading of the sources found: each note agrees with the coding, each quote behind a
code says what the code needs, and no wording calls a document what its text does not say it is.

Tables of (authority, role, code, what must hold).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from store.loading import load_survey_data

ROOT = Path(__file__).resolve().parent.parent
DATA = load_survey_data()
ROLES = ("iro", "cp_chair")

#: A note's words for a code, as "is (not) coded as …" says it.
NOTE_WORDS = {
    "a midway review": "midway_review",
    "midway or progress reviews": "midway_review",
    "a case-file or thematic audit": ("case_file_audit", "thematic_audit"),
    "case-file audits": "case_file_audit",
}


def _codes(ret) -> set[str]:
    return {c for role in ROLES if getattr(ret, role) is not None for c in getattr(ret, role).qa_activities}


@pytest.mark.parametrize("ret", DATA.returns, ids=[f"{r.round}/{r.authority}" for r in DATA.returns])
def test_no_note_says_a_code_is_not_given_where_it_is(ret):
    for note in ret.notes:
        for words, codes in NOTE_WORDS.items():
            if re.search(rf"\bis not coded as {re.escape(words)}", note):
                given = {codes} if isinstance(codes, str) else set(codes)
                assert not given & _codes(ret), f"{ret.authority}: {note!r}"


# (authority, role, code, coded?, the note that explains it)
READINGS = [
    ("West Sussex", "cp_chair", "midway_review", True, "is coded as a midway review"),
    ("West Sussex", "cp_chair", "case_file_audit", False, "is not coded as a case-file or thematic audit"),
    ("West Sussex", "iro", "thematic_audit", False, "is not coded as a case-file or thematic audit"),
]


@pytest.mark.parametrize(("authority", "role", "code", "coded", "note"), READINGS)
def test_each_borderline_reading_and_its_note_agree(authority, role, code, coded, note):
    ret = DATA.get("seslip-qa-june", authority)
    assert (code in getattr(ret, role).qa_activities) is coded
    assert any(note in n for n in ret.notes)


#: What a quote behind "Performance reporting to boards" must name (the code's own definition).
BOARDS = re.compile(
    r"board|leadership team|directorate management team|cabinet|safeguarding children|scrutin", re.I
)


@pytest.mark.parametrize("ret", DATA.returns, ids=[f"{r.round}/{r.authority}" for r in DATA.returns])
def test_every_quote_behind_performance_reporting_names_a_board(ret):
    for role in ROLES:
        section = getattr(ret, role)
        for quote in section.quotes("qa", "performance_reporting") if section else ():
            assert BOARDS.search(quote), f"{ret.authority} {role}: {quote!r}"


def test_surrey_s_sentence_naming_no_board_is_no_longer_a_quote_for_it():
    quotes = DATA.get("seslip-qa-june", "Surrey").iro.quotes("qa", "performance_reporting")
    assert not any(
        q.startswith("The Service Coordinators in each quadrant compile a monthly QA report") for q in quotes
    )
    assert "These reports are shared with the Leadership Team." in quotes


def test_the_unnamed_briefing_is_not_called_published():
    """The briefing's text never says it was published; the filter's help says what each document is."""
    text = (ROOT / "ui" / "filters.py").read_text(encoding="utf-8")
    start = text.index('"Include published service descriptions"')
    help_text = text[start : text.index(")", text.index("help=", start))]
    assert "published" not in help_text.split("help=", 1)[1]
    assert "a service briefing" in help_text and "does not name" in help_text
