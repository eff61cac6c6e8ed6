"""Building a return from the form's answers (no Streamlit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.loading import load_return_file
from survey.submission import (
    build_return,
    describe_proposal,
    field_problems,
    proposal_answers,
    proposal_for,
    starting_answers,
)

FAKE = Path(__file__).parent / "fake_data" / "good" / "fake-round"


@pytest.fixture
def northshire():
    ret, problems = load_return_file(FAKE / "northshire.yaml")
    assert not problems
    return ret


def test_unchanged_answers_rebuild_the_same_return(northshire):
    result = build_return(
        starting_answers(northshire), authority="Northshire", round_id="fake-round", base=northshire
    )
    assert result.ok, result.problems
    assert result.ret.model_dump(exclude={"provenance"}) == northshire.model_dump(exclude={"provenance"})
    assert result.ret.provenance.channel == "form"
    assert result.ret.provenance.submitted_by == "authority lead"


def test_what_the_form_does_not_ask_is_kept(northshire):
    northshire = northshire.model_copy(update={"notes": ["A coordinator's note"]})
    values = starting_answers(northshire)
    values["iro.caseload.high"] = 62
    values["iro.caseload.text"] = "60-62 children"
    result = build_return(values, authority="Northshire", round_id="fake-round", base=northshire)
    assert result.ok, result.problems
    assert result.ret.notes == ["A coordinator's note"]
    # Supporting sentences stay with a code that is still chosen...
    assert result.ret.iro.evidence == {"qa": {"midway_review": ["Midway reviews with the social worker."]}}
    # ... and go with a code that is dropped.
    values["iro.qa_activities"] = ["case_file_audit"]
    result = build_return(values, authority="Northshire", round_id="fake-round", base=northshire)
    assert result.ok, result.problems
    assert result.ret.iro.evidence == {}


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        # A low above a high names the field and says how to fix it.
        ({"iro.caseload.low": 80, "iro.caseload.high": 60}, "iro.caseload.low", "Swap them"),
        # A negative caseload.
        ({"cp_chair.caseload.low": -5}, "cp_chair.caseload.low", "cannot be negative"),
        # An absurd caseload.
        ({"cp_chair.caseload.high": 9000}, "cp_chair.caseload.high", "largest figure accepted, 500"),
        # A required answer left empty (blank text counts as empty).
        ({"iro.impact": "   "}, "iro.impact", "This answer is required."),
        # An answer over the length limit states the limit.
        ({"iro.expectations": "x" * 8500}, "iro.expectations", "the limit is 8,000 characters"),
        # Separate roles must answer the CP chair section.
        (
            {k: None for k in ("cp_chair.caseload.text", "cp_chair.caseload.low", "cp_chair.caseload.high")}
            | {"cp_chair.expectations": None, "cp_chair.quality_inputs": None, "cp_chair.impact": None}
            | {"cp_chair.qa_activities": [], "cp_chair.impact_evidence": [], "cp_chair.caseload.unit": None}
            | {"cp_chair.caseload.population": None},
            "cp_chair",
            "answer the CP chair questions",
        ),
    ],
)
def test_each_invalid_answer_gets_its_message(northshire, change, path, words):
    values = starting_answers(northshire) | change
    result = build_return(values, authority="Northshire", round_id="fake-round", base=northshire)
    assert not result.ok
    messages = result.by_path()
    assert path in messages, messages
    assert any(words in m for m in messages[path])


def test_combined_role_leaves_cp_chair_out(northshire):
    values = starting_answers(northshire) | {"combined_role": True}
    result = build_return(
        values, authority="Northshire", round_id="fake-round", base=northshire, ask_cp_chair=False
    )
    assert result.ok, result.problems
    assert result.ret.cp_chair is None


def test_checks_as_typed_do_not_nag_about_unanswered_questions():
    values = starting_answers(None) | {"iro.caseload.low": 90, "iro.caseload.high": 20}
    problems = field_problems(values, authority="Newshire", round_id="fake-round", ask_cp_chair=True)
    assert list(problems) == ["iro.caseload.low"]


def test_a_first_return_from_empty_answers():
    values = starting_answers(None) | {
        "combined_role": True,
        "iro.caseload.text": "About 55 children",
        "iro.caseload.low": 55,
        "iro.caseload.high": 55,
        "iro.caseload.unit": "children",
        "iro.expectations": "Chair reviews and conferences",
        "iro.quality_inputs": '=HYPERLINK("http://example.invalid")',
        "iro.impact": "Feedback",
        "iro.qa_activities": ["midway_review"],
    }
    result = build_return(values, authority="Newshire", round_id="fake-round", ask_cp_chair=False)
    assert result.ok, result.problems
    assert result.ret.iro.caseload.as_numbers() == "55"
    # Text is kept as typed; neutralising formulas is the export's job.
    assert result.ret.iro.quality_inputs.startswith("=HYPERLINK")


def test_proposal_fills_the_number_boxes():
    proposal = proposal_for("Dual Role:\n30-40 – children on CP plans\n38-45 – children in care")
    answers = proposal_answers("iro.caseload", proposal)
    assert answers["iro.caseload.low"] == 68 and answers["iro.caseload.high"] == 85
    assert answers["iro.caseload.parts.1.label"] == "children in care"
    assert answers["iro.caseload.parts.2.label"] is None
    assert describe_proposal(proposal).startswith("68–85 children")
    assert describe_proposal(proposal_for("no figure here")) == ""
