"""The return model's rules, as tables of (input, expected, valid) cases."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models import AuthorityReturn, Caseload, SurveyRound
from models.errors import explain

# ---------------------------------------------------------------------------
# Caseload: (fields, expected error code or None when valid)

CASELOAD_CASES = [
    # A single figure N is low = high = N.
    ({"text": "65", "low": 65, "high": 65}, None),
    # "up to N": low is empty and high is N.
    ({"text": "Up to 50", "low": None, "high": 50}, None),
    # A range gives both numbers.
    ({"text": "20-25 families", "low": 20, "high": 25, "unit": "families"}, None),
    # Text alone is allowed: a figure that is not a caseload stays in the text.
    ({"text": "We do not count caseloads"}, None),
    # The bounds: 0 and 500 are accepted.
    ({"text": "0", "low": 0, "high": 0}, None),
    ({"text": "500", "low": 500, "high": 500}, None),
    # Low above high is refused with its own code.
    ({"text": "70-60", "low": 70, "high": 60}, "caseload_low_above_high"),
    # Negative numbers are refused.
    ({"text": "-1", "low": -1, "high": 5}, "greater_than_equal"),
    # An absurd caseload is refused.
    ({"text": "5000", "low": 5000, "high": 5000}, "less_than_equal"),
    # Numbers are whole.
    ({"text": "65.5", "low": 65.5, "high": 66}, "int_from_float"),
    ({"text": "sixty", "low": "sixty", "high": 60}, "int_parsing"),
    # Unit must be one of children, families, cases.
    ({"text": "65", "low": 65, "high": 65, "unit": "officers"}, "enum"),
    # A split figure: the whole is the sum of its parts.
    (
        {
            "text": "30-40 CP\n38-45 in care",
            "low": 68,
            "high": 85,
            "population": "mixed",
            "parts": [
                {"label": "CP", "low": 30, "high": 40, "population": "child_protection"},
                {"label": "in care", "low": 38, "high": 45, "population": "looked_after"},
            ],
        },
        None,
    ),
    # ... and a whole that is not the sum is refused.
    (
        {
            "text": "30-40 CP\n38-45 in care",
            "low": 70,
            "high": 85,
            "parts": [
                {"label": "CP", "low": 30, "high": 40, "population": "child_protection"},
                {"label": "in care", "low": 38, "high": 45, "population": "looked_after"},
            ],
        },
        "caseload_parts_sum",
    ),
    # A part's own range is checked too.
    (
        {
            "text": "x",
            "low": 50,
            "high": 45,
            "parts": [
                {"label": "a", "low": 40, "high": 30, "population": "child_protection"},
                {"label": "b", "low": 10, "high": 15, "population": "looked_after"},
            ],
        },
        "caseload_low_above_high",
    ),
    # Unknown fields are refused rather than silently dropped.
    ({"text": "65", "average": 65}, "extra_forbidden"),
]


@pytest.mark.parametrize(("fields", "error"), CASELOAD_CASES)
def test_caseload_rules(fields, error):
    if error is None:
        c = Caseload.model_validate(fields)
        assert c.text == fields["text"]
    else:
        with pytest.raises(ValidationError) as exc:
            Caseload.model_validate(fields)
        assert error in {e["type"] for e in exc.value.errors()}


@pytest.mark.parametrize(
    ("fields", "numbers", "midpoint"),
    [
        ({"text": "65", "low": 65, "high": 65}, "65", 65),  # single figure
        ({"text": "x", "low": None, "high": 50}, "up to 50", 50),  # up to N
        ({"text": "x", "low": 20, "high": 25}, "20–25", 22.5),  # range
        ({"text": "x"}, "", None),  # no figure
    ],
)
def test_caseload_as_a_person_reads_it(fields, numbers, midpoint):
    c = Caseload.model_validate(fields)
    assert c.as_numbers() == numbers
    assert c.midpoint == midpoint


def _return(**over):
    base = {
        "authority": "Exampleshire",
        "round": "test-round",
        "combined_role": False,
        "iro": {
            "caseload": {"text": "65", "low": 65, "high": 65},
            "expectations": "Chair reviews.",
            "quality_inputs": "Midway reviews.",
            "impact": "Audit findings.",
        },
        "cp_chair": {
            "caseload": {"text": "60", "low": 60, "high": 60},
            "expectations": "Chair conferences.",
            "quality_inputs": "QA form.",
            "impact": "Feedback.",
        },
        "provenance": {"source": "test"},
    }
    base.update(over)
    return base


SUBMITTED_CASES = [
    # A complete return for separate roles is valid.
    (_return(), None, None),
    # A combined-role authority may leave the CP chair section out.
    (_return(combined_role=True, cp_chair=None), None, None),
    # Separate roles must answer the CP chair questions.
    (_return(cp_chair=None), "answer_required", "cp_chair"),
    # The combined-role question must be answered.
    (_return(combined_role=None), "answer_required", "combined_role"),
    # Each narrative answer is required.
    (
        _return(iro={"caseload": {"text": "65"}, "expectations": "", "quality_inputs": "x", "impact": "y"}),
        "answer_required",
        "iro.expectations",
    ),
    # The caseload answer is required.
    (
        _return(iro={"expectations": "a", "quality_inputs": "x", "impact": "y"}),
        "answer_required",
        "iro.caseload.text",
    ),
    # An answer over the length limit is refused, and the limit is stated.
    (
        _return(
            iro={"caseload": {"text": "65"}, "expectations": "a" * 8001, "quality_inputs": "x", "impact": "y"}
        ),
        "string_too_long",
        "iro.expectations",
    ),
    # A code outside the taxonomy is refused.
    (
        _return(
            iro={
                "caseload": {"text": "65"},
                "expectations": "a",
                "quality_inputs": "x",
                "impact": "y",
                "qa_activities": ["coffee_mornings"],
            }
        ),
        "enum",
        "iro.qa_activities.0",
    ),
    # The authority's name must contain letters.
    (_return(authority="123"), "authority_name", "authority"),
]


@pytest.mark.parametrize(("data", "code", "path"), SUBMITTED_CASES)
def test_submitted_return_rules(data, code, path):
    if code is None:
        AuthorityReturn.model_validate(data, context={"require_answers": True})
        return
    with pytest.raises(ValidationError) as exc:
        AuthorityReturn.model_validate(data, context={"require_answers": True})
    problems = explain(exc.value)
    assert (code, path) in {(p.code, p.path) for p in problems}


def test_published_descriptions_need_not_answer_everything():
    # Without require_answers (published documents), empty answers are allowed.
    AuthorityReturn.model_validate(_return(combined_role=None, cp_chair=None, iro={}))


@pytest.mark.parametrize(
    ("fields", "path", "words"),
    [
        # Messages name the question as users read it, and say how to fix it.
        ({"low": 70, "high": 60}, "iro.caseload.low", ["IRO role", "lowest figure", "Swap them"]),
        ({"low": -3, "high": 60}, "iro.caseload.low", ["cannot be negative"]),
        ({"low": 1, "high": 9999}, "iro.caseload.high", ["highest figure", "500"]),
        ({"low": "lots", "high": 60}, "iro.caseload.low", ["whole number", "'lots'"]),
    ],
)
def test_messages_are_plain_and_name_the_field(fields, path, words):
    data = _return()
    data["iro"]["caseload"].update(fields)
    with pytest.raises(ValidationError) as exc:
        AuthorityReturn.model_validate(data)
    problem = next(p for p in explain(exc.value) if p.path == path)
    text = str(problem)
    for w in words:
        assert w in text


def test_length_message_states_the_limit():
    data = _return()
    data["cp_chair"]["impact"] = "x" * 9000
    with pytest.raises(ValidationError) as exc:
        AuthorityReturn.model_validate(data)
    (problem,) = explain(exc.value)
    assert problem.question == "CP chairs: Impact – how can you evidence impact"
    assert "9,000 characters" in problem.message and "8,000" in problem.message


def test_evidence_must_belong_to_a_chosen_code():
    data = _return()
    data["iro"]["evidence"] = {"midway_review": ["Midway reviews."]}
    with pytest.raises(ValidationError) as exc:
        AuthorityReturn.model_validate(data)
    assert "evidence_without_code" in {e["type"] for e in exc.value.errors()}
    data["iro"]["qa_activities"] = ["midway_review"]
    AuthorityReturn.model_validate(data)


@pytest.mark.parametrize(
    ("round_id", "valid"),
    [
        ("seslip-qa-june", True),  # a slug
        ("SESLIP June", False),  # spaces and capitals are not a slug
        ("-leading", False),  # must start with a letter or digit
    ],
)
def test_round_ids_are_slugs(round_id, valid):
    data = {"id": round_id, "title": "t", "source": "s"}
    if valid:
        assert SurveyRound.model_validate(data).id == round_id
    else:
        with pytest.raises(ValidationError):
            SurveyRound.model_validate(data)


def test_model_label_is_the_answer_as_reported():
    assert AuthorityReturn.model_validate(_return(combined_role=True)).model_label == "Combined"
    assert AuthorityReturn.model_validate(_return(combined_role=False)).model_label == "Separate"
    assert AuthorityReturn.model_validate(_return(combined_role=None)).model_label == "Not stated"
