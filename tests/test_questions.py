"""A round's own questions: the model, the library, docs/questions.md and bad input (synthetic only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from models.questions import (
    MAX_CHOICES,
    Question,
    QuestionError,
    check_change,
    check_series,
    library,
    library_question,
    questions_markdown,
)
from models.returns import AuthorityReturn, SurveyRound
from store.loading import load_round_file, load_survey_data

ROOT = Path(__file__).resolve().parents[1]
RULE = {"counts": "Things counted once each.", "period": "1 April to 31 March", "unit": "things"}


def q(**kw) -> dict:
    base = {"id": "things_done", "text": "Things done in the year", "role": "iro", "kind": "whole_number"}
    base.update(kw)
    if base["kind"] in ("whole_number", "number", "percentage") and "counting_rule" not in kw:
        base["counting_rule"] = RULE
    return base


# ---------------------------------------------------------------------------
# Bad questions: each a plain message naming the question, with a stable code.

BAD_QUESTIONS = [
    ("a figure with no counting rule", q(counting_rule=None), "counting_rule_missing", "counting rule"),
    (
        "a choice list with a duplicate",
        q(kind="choice", choices=["Board", "Panel", "board"]),
        "choices_repeated",
        "'board' twice",
    ),
    (
        "a choice list of more than 30",
        q(kind="choices", choices=[f"Choice {i}" for i in range(MAX_CHOICES + 1)]),
        "choices_too_many",
        "at most 30",
    ),
    ("a choice question with one choice", q(kind="choice", choices=["Only"]), "choices_missing", "two"),
    ("bounds that exclude every answer", q(min=10, max=5), "bounds_exclude_every_answer", "above"),
    (
        "a percentage whose lowest is above 100",
        q(kind="percentage", min=101),
        "bounds_exclude_every_answer",
        "101",
    ),
    ("choices on a yes/no question", q(kind="yes_no", choices=["a", "b"]), "choices_not_asked", "remove"),
    ("an unknown kind", q(kind="fraction"), "enum", "whole_number"),
]


@pytest.mark.parametrize(("case", "data", "code", "words"), BAD_QUESTIONS, ids=[b[0] for b in BAD_QUESTIONS])
def test_a_bad_question_is_refused_with_a_plain_message_naming_it(case, data, code, words):
    with pytest.raises(ValidationError) as err:
        Question.model_validate(data)
    [e] = err.value.errors()
    assert e["type"] == code
    assert words in e["msg"]
    if code != "enum":
        assert "'things_done'" in e["msg"]


def test_a_good_question_of_each_kind_is_accepted():
    for kind, extra in [
        ("whole_number", {"unit": "things", "max": 10}),
        ("number", {"unit": "FTE"}),
        ("percentage", {}),
        ("yes_no", {}),
        ("choice", {"choices": ["A", "B"]}),
        ("choices", {"choices": ["A", "B", "C"]}),
        ("short_text", {}),
        ("long_text", {}),
    ]:
        assert Question.model_validate(q(kind=kind, **extra)).kind == kind


def test_a_question_id_reused_with_another_kind_is_refused():
    earlier = Question.model_validate(q())
    with pytest.raises(QuestionError) as err:
        check_series(Question.model_validate(q(kind="yes_no")), [earlier])
    assert err.value.code == "question_kind_changed"
    assert "one id is one series" in str(err.value)
    other_rule = q(counting_rule={**RULE, "counts": "Something else."})
    with pytest.raises(QuestionError, match="counting rule"):
        check_series(Question.model_validate(other_rule), [earlier])
    # The wording may be corrected: the same series.
    check_series(Question.model_validate(q(text="Things done in the year to 31 March")), [earlier])


def test_a_question_with_answers_cannot_be_removed_and_a_figure_freezes_once_answered():
    before = [Question.model_validate(q()), Question.model_validate(q(id="other", kind="yes_no"))]
    with pytest.raises(QuestionError) as err:
        check_change(before, before[1:], answered={"things_done"}, has_returns=True)
    assert err.value.code == "question_removed_answered"
    assert "hide it instead" in str(err.value)
    # Unanswered: removing it is fine; hiding an answered one is fine.
    check_change(before, before[1:], answered=set(), has_returns=False)
    hidden = [Question.model_validate(q(hidden=True)), before[1]]
    check_change(before, hidden, answered={"things_done"}, has_returns=True)
    changed = [Question.model_validate(q(kind="percentage")), before[1]]
    with pytest.raises(QuestionError) as err:
        check_change(before, changed, answered=set(), has_returns=True)
    assert err.value.code == "question_frozen"
    check_change(before, changed, answered=set(), has_returns=False)  # no return yet: still open
    reworded = [Question.model_validate(q(text="Things done, corrected")), before[1]]
    check_change(before, reworded, answered={"things_done"}, has_returns=True)


def test_a_round_file_with_an_unknown_kind_is_a_problem_naming_the_question(tmp_path):
    path = tmp_path / "rounds" / "next.yaml"
    path.parent.mkdir()
    path.write_text(
        "id: next\ntitle: Next\nsource: s.txt\nquestions:\n"
        "  - id: things\n    text: Things\n    role: iro\n    kind: fraction\n",
        encoding="utf-8",
    )
    rnd, problems = load_round_file(path, tmp_path)
    assert rnd is None
    [p] = problems
    assert "questions" in str(p) and "whole_number" in str(p)


def test_a_round_with_one_id_twice_is_refused():
    with pytest.raises(ValidationError, match="listed twice"):
        SurveyRound.model_validate({"id": "r", "title": "R", "source": "s", "questions": [q(), q()]})


def test_rounds_and_returns_saved_before_questions_dump_exactly_as_before():
    ds = load_survey_data()
    for rnd in ds.rounds.values():
        assert "questions" not in rnd.model_dump(mode="json")
    for ret in ds.returns:
        assert "answers" not in ret.model_dump(mode="json")
        assert AuthorityReturn.model_validate(ret.model_dump(mode="json")) == ret


def test_a_round_keeps_its_questions_through_a_dump():
    rnd = SurveyRound.model_validate(
        {"id": "r", "title": "R", "source": "s", "questions": [library_question("iro_fte").model_dump()]}
    )
    again = SurveyRound.model_validate(rnd.model_dump(mode="json"))
    assert again.questions == rnd.questions


# ---------------------------------------------------------------------------
# The library, tested like the codebook.


def test_every_figure_in_the_library_has_a_counting_rule_and_every_question_a_source():
    qs = library()
    assert len(qs) >= 10
    for question in qs:
        assert question.source, question.id
        if question.is_figure:
            assert question.counting_rule is not None, question.id
            assert question.counting_rule.period and question.counting_rule.unit


def test_the_library_asks_for_figures_and_states_none():
    """Invent no figure: no lowest value is set (nothing presumed about a result), and no band or
    result (the Handbook's 50 to 70, say) is copied into a counting rule."""
    for question in library():
        assert question.min is None or question.min == 0
    assert "50" not in text_of_rules() and "70" not in text_of_rules()


def test_the_library_holds_the_questions_the_issue_asks_for():
    ids = {q.id for q in library()}
    for wanted in (
        "iro_fte",
        "iro_agency_fte",
        "cp_chair_fte",
        "iro_children_per_fte",
        "dispute_notices_raised",
        "dispute_notices_resolved_20_days",
        "midway_reviews",
        "reviews_on_time_pct",
        "review_participation_pct",
        "initial_conferences_chaired",
        "review_conferences_chaired",
        "iro_annual_report",
        "iro_annual_report_board",
    ):
        assert wanted in ids


def text_of_rules() -> str:
    return " ".join(q.counting_rule.words() for q in library() if q.counting_rule)


def test_the_committed_questions_doc_is_the_one_the_library_writes():
    text = (ROOT / "docs" / "questions.md").read_text(encoding="utf-8")
    assert text == questions_markdown(), (
        "docs/questions.md is out of date: run "
        "python -c 'from models.questions import write_questions_doc; write_questions_doc()'"
    )
    assert "Full-time equivalent IROs in post on 31 March" in text
    assert "Source: IRO Handbook" in text


def test_an_unknown_library_question_is_named_with_the_ones_there_are():
    with pytest.raises(QuestionError, match="iro_fte"):
        library_question("nonsense")
