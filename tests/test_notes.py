"""Honest notes and diffs: a data-quality note follows the answer it explains; a diff shows where an answer
changed, in the page, the workbook's Versions sheet and ``cli.py history``."""

from __future__ import annotations

import pytest

from models.notes import quoted, refresh_notes, subjects
from store.loading import load_survey_data
from survey.submission import build_return, starting_answers
from views.profile import return_sections

ROUND = "seslip-qa-june"
OLD_NOTE = "'IRO average case load 65 (since 01/04/20)': 65 is the caseload"


@pytest.fixture(scope="module")
def kent():
    return load_survey_data().get(ROUND, "Kent")


def _kent_at_72(kent):
    answers = starting_answers(kent)
    answers.update(
        {
            "iro.caseload.text": "IRO average case load 72 (since 01/04/20)",
            "iro.caseload.low": 72,
            "iro.caseload.high": 72,
        }
    )
    result = build_return(answers, authority="Kent", round_id=ROUND, base=kent)
    assert result.ok, result.problems
    return result.ret


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (
            "IRO caseload 'IRO average case load 65 (since 01/04/20)': 65 is the caseload",
            ["iro.caseload.text"],
        ),
        ("The caseloads '65' and '64' say cases.", []),  # short fragments must be a whole answer
        ("Neither caseload says children or families.", []),  # quotes nothing
        ("‘CP Chair average case load 64’ is read as 64.", ["cp_chair.caseload.text"]),
    ],
)
def test_what_a_note_is_about(kent, note, expected):
    assert subjects(note, kent) == expected


def test_a_quotation_with_a_gap_is_two_pieces():
    assert quoted("'Any areas of poor practice ... through audits'") == [
        "Any areas of poor practice",
        "through audits",
    ]


def test_after_kent_changes_its_caseload_the_old_note_is_never_shown_as_current(kent):
    ret = _kent_at_72(kent)
    assert not any(OLD_NOTE in n for n in ret.notes)
    assert any("'IRO average case load 72 (since 01/04/20)' is read as 72 cases" in n for n in ret.notes)
    (earlier,) = ret.earlier_notes
    assert OLD_NOTE in earlier.text and earlier.version == kent.provenance.version
    # What a member reads: the current notes, then the earlier one, marked as such.
    sections = {s.heading: s for s in return_sections(ret)}
    current = " ".join(b.text for b in sections["Data-quality notes"].blocks)
    assert "72 cases" in current and "65 is the caseload" not in current
    marked = sections["Notes written for an earlier version"].blocks[0]
    assert OLD_NOTE in marked.text and marked.caption.startswith("Written for version 1")


def test_a_note_on_an_answer_that_did_not_change_stays(kent):
    answers = starting_answers(kent)
    answers["iro.impact"] = (answers["iro.impact"] or "") + " We also audit ten plans a month."
    ret = build_return(answers, authority="Kent", round_id=ROUND, base=kent).ret
    assert ret.notes == kent.notes and ret.earlier_notes == []
    assert refresh_notes(None, ret) is ret


def test_cli_history_shows_where_an_appended_sentence_was_added(tmp_path, capsys):
    from cli import main
    from store import open_store

    url = f"sqlite:///{tmp_path / 'r.db'}"
    store = open_store(url)
    kent = store.current(ROUND, "Kent")
    answers = starting_answers(kent)
    added = "We also audit ten plans a month."
    answers["iro.expectations"] = kent.iro.expectations + " " + added
    ret = build_return(answers, authority="Kent", round_id=ROUND, base=kent).ret
    store.save(ret, based_on=1, channel="form", submitted_by="authority lead")
    store.dispose()
    assert main(["history", "Kent", "--round", ROUND, "--database-url", url]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "Expectations of role" in x)
    assert line.strip().endswith(f"[+{added}+]")
    assert "IROs chair the child in care review" not in line  # the unchanged opening is not repeated
