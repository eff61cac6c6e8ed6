"""What changed between two versions of a return, in plain lines."""

from __future__ import annotations

import pytest
from conftest import fake_return

from models.diff import describe, diff_returns
from models.questionnaire import questions


def changed(**edits):
    """A copy of the synthetic return with dotted-path edits applied."""
    ret = fake_return()
    data = ret.model_dump(mode="json")
    for path, value in edits.items():
        node = data
        parts = path.split("__")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    return ret, type(ret).model_validate(data)


@pytest.mark.parametrize(
    "edits, lines",
    [
        # A figure.
        ({"iro__caseload__high": 70}, ["IRO role: Case holding: highest figure: 60 → 70"]),
        # A figure removed.
        ({"iro__caseload__low": None}, ["IRO role: Case holding: lowest figure: 60 → (no answer)"]),
        # A yes/no answer.
        ({"combined_role": True}, ["About the return: Combined role (IRO & CP Chair): No → Yes"]),
        # A choice shown by its label, not its code.
        (
            {"cp_chair__caseload__unit": "cases"},
            [
                "CP chairs: Case holding: what the figure counts: families → "
                "cases (the answer does not say children or families)"
            ],
        ),
        # Codes added and removed, named by their labels.
        (
            {"iro__qa_activities": ["case_file_audit", "thematic_audit"]},
            [
                "IRO role: Formal QA inputs (choose all that apply): added Case-file audits; "
                "Thematic audits, removed Midway or progress reviews"
            ],
        ),
        # A long answer: where it changed, the words added marked, a little context either side.
        (
            {
                "iro__expectations": (
                    "Chair reviews of every child looked after, and visit each child between reviews."
                )
            },
            [
                "IRO role: Expectations of role: Chair [+reviews of every child looked after, and visit each child between+] reviews."
            ],
        ),
        # Workforce figures are questions too.
        ({"workforce": {"iro_fte": 7.5}}, ["Workforce: Full-time equivalent IROs: (no answer) → 7.5"]),
    ],
)
def test_each_kind_of_change_is_one_plain_line(edits, lines):
    old, new = changed(**edits)
    assert describe(diff_returns(old, new)) == lines


def test_the_same_codes_in_another_order_are_not_a_change():
    old, new = changed(iro__qa_activities=["midway_review"])
    new.iro.qa_activities = ["midway_review"]
    assert diff_returns(old, new) == []
    assert describe([]) == ["No answers changed."]


def test_an_empty_text_and_no_answer_are_the_same():
    old, new = changed()
    new.iro.caseload.text = None
    old.iro.caseload.text = ""
    assert diff_returns(old, new) == []


def test_a_first_return_lists_every_answer_and_covers_every_question():
    new = fake_return()
    changes = diff_returns(None, new)
    paths = {c.path for c in changes}
    assert "iro.caseload.high" in paths and "cp_chair.impact" in paths
    # Every path is a question of the questionnaire, named as users read it.
    known = {q.path for q in questions()}
    assert paths <= known
    assert all(c.question for c in changes)


def test_dropping_the_cp_chair_section_lists_its_answers():
    old = fake_return()
    new = fake_return(combined_role=True, cp_chair=None)
    lines = describe(diff_returns(old, new))
    assert lines[0] == "About the return: Combined role (IRO & CP Chair): No → Yes"
    assert "CP chairs: Expectations of role: Chair conferences. → (no answer)" in lines


def test_a_change_keeps_the_stored_values():
    old, new = changed(iro__caseload__high=70)
    (change,) = diff_returns(old, new)
    assert change.as_dict() == {
        "path": "iro.caseload.high",
        "question": "IRO role: Case holding: highest figure",
        "before": 60,
        "after": 70,
    }


OPENING = (
    "IROs chair the child in care review meeting within statutory timeframes and complete outcomes, minutes "
    "and IRO QA. IROs monitor and review the progress of the LA's Care Plan."
)


def test_an_appended_sentence_is_shown_where_it_was_added_never_as_two_identical_openings():
    from models.diff import ADDED, Change, changes_table

    change = Change(
        "iro.expectations",
        "IRO role: Expectations of role",
        OPENING,
        OPENING + " We audit ten plans a month.",
    )
    line = change.describe()
    assert line == (
        "IRO role: Expectations of role: …progress of the LA's Care Plan. [+We audit ten plans a month.+]"
    )
    assert not line.split(": ", 2)[2].startswith("IROs chair")  # the unchanged opening is left out
    row = changes_table([change]).iloc[0]
    assert row["Before"] != row["After"]
    assert row["After"].endswith(f"{ADDED[0]}We audit ten plans a month.{ADDED[1]}")
    assert row["Before"] == "…progress of the LA's Care Plan."


def test_a_word_changed_in_the_middle_is_marked_in_its_context():
    from models.diff import Change

    after = OPENING.replace("statutory", "agreed")
    line = Change("iro.expectations", "Q", OPENING, after).describe()
    assert "within [-statutory-] [+agreed+] timeframes" in line
    assert line.startswith("Q: …") and line.endswith("…")
