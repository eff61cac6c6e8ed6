"""A round's own questions in the database and the shell: add, copy, hide, refuse (synthetic data)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.question_answers import answers_from_flat, read_answer
from models.questions import library_question
from store.questions import QuestionChangeError
from survey import round_questions as rq
from tests.conftest import FAKE_ROUND, fake_return, fake_round
from tests.support.cli import Cli

FAKE_DATA = Path(__file__).parent / "fake_data" / "good"
OWN = {
    "id": "foster_carer_reviews",
    "text": "Foster carer reviews attended by an IRO in the year",
    "role": "iro",
    "kind": "whole_number",
    "unit": "reviews",
    "counting_rule": {
        "counts": "Reviews attended in person or online.",
        "period": "the year",
        "unit": "reviews",
    },
}


def answered(store, qid="iro_fte", value=12.5):
    q = library_question(qid)
    answers, problems = answers_from_flat([q], {f"q.{qid}": value})
    assert not problems
    return store.save(fake_return(answers=answers), based_on=None, channel="form", submitted_by="lead")


def test_add_hide_and_the_freeze_once_answered(store):
    rnd = rq.add_from_library(store, FAKE_ROUND, "iro_fte")
    rnd = rq.add_own(store, FAKE_ROUND, OWN)
    assert [q.id for q in rnd.questions] == ["iro_fte", "foster_carer_reviews"]
    assert store.get_round(FAKE_ROUND).questions[0].counting_rule.unit == "full-time equivalent"
    answered(store)
    with pytest.raises(QuestionChangeError) as err:
        rq.remove(store, FAKE_ROUND, "iro_fte")
    assert err.value.code == "question_removed_answered"
    assert "hide it instead" in str(err.value)
    assert [q.id for q in store.get_round(FAKE_ROUND).questions] == ["iro_fte", "foster_carer_reviews"]
    rnd = rq.hide(store, FAKE_ROUND, "iro_fte")
    assert rnd.questions[0].hidden
    # Unanswered: it may go.
    rnd = rq.remove(store, FAKE_ROUND, "foster_carer_reviews")
    assert [q.id for q in rnd.questions] == ["iro_fte"]
    # The wording may be corrected; the saved answer keeps the wording it was answered under.
    rnd = rq.correct_wording(store, FAKE_ROUND, "iro_fte", "IROs in post on 31 March (FTE)")
    assert rnd.questions[0].text == "IROs in post on 31 March (FTE)"
    [ret] = store.current_returns(FAKE_ROUND)
    assert ret.answers["iro_fte"].asked == "Full-time equivalent IROs in post on 31 March"


def test_an_id_reused_with_another_kind_is_refused_and_nothing_changes(store):
    store.add_round(fake_round("next-round"))
    rq.add_own(store, FAKE_ROUND, OWN)
    other = {**OWN, "kind": "yes_no", "counting_rule": None, "unit": None}
    with pytest.raises(QuestionChangeError) as err:
        rq.add_own(store, "next-round", other)
    assert err.value.code == "question_kind_changed"
    with pytest.raises(QuestionChangeError, match="one id is one series"):
        rq.add_own(store, "next-round", {**library_question("iro_fte").model_dump(), "kind": "whole_number"})
    assert store.get_round("next-round").questions == []
    # The same question copied: one series.
    rnd = rq.copy_from_round(store, "next-round", FAKE_ROUND, "foster_carer_reviews")
    assert rnd.questions[0] == store.get_round(FAKE_ROUND).questions[0]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({**OWN, "counting_rule": None}, "counting rule"),
        ({**OWN, "kind": "choice", "choices": ["A", "a"], "counting_rule": None, "unit": None}, "twice"),
        ({**OWN, "min": 9, "max": 3}, "no answer could be given"),
        ({**OWN, "kind": "fraction"}, "whole_number"),
    ],
)
def test_a_bad_own_question_is_refused_plainly(store, data, words):
    with pytest.raises(QuestionChangeError, match=words) as err:
        rq.add_own(store, FAKE_ROUND, data)
    assert "Nothing was changed" in str(err.value)
    assert store.get_round(FAKE_ROUND).questions == []


READINGS = [
    ("iro_fte", "12.5", 12.5, None),
    ("iro_fte", "", None, None),
    ("iro_fte", "12.55", None, "one decimal place"),
    ("iro_fte", "lots", None, "you wrote 'lots'"),
    ("midway_reviews", "7.5", None, "without decimals"),
    ("midway_reviews", "1,200", 1200, None),
    ("reviews_on_time_pct", "104", None, "0 to 100"),
    ("reviews_on_time_pct", "87%", 87, None),
    ("iro_annual_report", "Yes", True, None),
    ("iro_annual_report", "perhaps", None, "yes or no"),
    ("iro_annual_report_board", "corporate parenting board", "Corporate parenting board", None),
    ("iro_annual_report_board", "The council", None, "not one of the choices"),
]


@pytest.mark.parametrize(("qid", "raw", "value", "words"), READINGS)
def test_an_answer_is_read_by_its_kind(qid, raw, value, words):
    got, message = read_answer(library_question(qid), raw)
    assert got == value
    assert (message is None) if words is None else (words in message)


def test_the_shell_adds_lists_hides_and_refuses(tmp_path, capsys):
    data = tmp_path / "survey_data"
    shutil.copytree(FAKE_DATA, data)
    cli = Cli(capsys, database_url=f"sqlite:///{tmp_path / 'r.db'}", data=data)
    rid = next(p.stem for p in (data / "rounds").glob("*.yaml"))
    assert cli("round", "questions", rid, "add", "iro_fte").code == 0
    own = tmp_path / "own.yaml"
    own.write_text(
        "id: foster_carer_reviews\ntext: Foster carer reviews attended\nrole: iro\nkind: whole_number\n"
        "unit: reviews\ncounting_rule: {counts: Reviews attended., period: the year, unit: reviews}\n",
        encoding="utf-8",
    )
    assert cli("round", "questions", rid, "own", "--file", own).code == 0
    listed = cli("round", "questions", rid, "list")
    assert "iro_fte" in listed.out and "foster_carer_reviews" in listed.out
    bad = cli("round", "questions", rid, "add", "iro_fte")
    assert bad.code == 2 and "already asks question 'iro_fte'" in bad.err
    assert cli("round", "questions", rid, "hide", "iro_fte").code == 0
    assert "hidden" in cli("round", "questions", rid, "list").out
    unknown = cli("round", "questions", rid, "add", "nonsense")
    assert unknown.code == 2 and "no question 'nonsense'" in unknown.err
    js = cli("round", "questions", rid, "list", "--format", "json")
    assert '"counting_rule"' in js.out
    out = tmp_path / "dumped"
    assert cli("dump", "--out", out).code == 0
    written = (out / "rounds" / f"{rid}.yaml").read_text(encoding="utf-8")
    assert "iro_fte" in written and "counting_rule" in written and "hidden: true" in written


def test_a_form_answer_is_checked_named_and_kept_with_its_wording():
    from survey.submission import build_return, flatten, starting_answers

    own = [
        library_question("iro_fte"),
        library_question("reviews_on_time_pct"),
        library_question("iro_annual_report"),
    ]
    base = fake_return()
    values = {
        **flatten(base),
        "q.iro_fte": "12.5",
        "q.iro_fte.how": "Managers counted in full",
        "q.reviews_on_time_pct": "140",
    }
    result = build_return(values, authority="Northshire", round_id=FAKE_ROUND, base=base, own=own)
    assert not result.ok
    [p] = result.problems
    assert p.question == "Looked-after reviews held on time in the year (%)" and "0 to 100" in p.message
    values["q.reviews_on_time_pct"] = "91"
    result = build_return(values, authority="Northshire", round_id=FAKE_ROUND, base=base, own=own)
    assert result.ok, result.problems
    a = result.ret.answers
    assert a["iro_fte"].value == 12.5 and a["iro_fte"].counted_differently == "Managers counted in full"
    assert a["reviews_on_time_pct"].value == 91 and "iro_annual_report" not in a
    assert a["iro_fte"].asked == "Full-time equivalent IROs in post on 31 March"
    # The form starts again from what was saved; an emptied box is no answer, never 0.
    again = starting_answers(result.ret, own)
    assert again["q.iro_fte"] == 12.5 and again["q.iro_annual_report"] is None
    values["q.reviews_on_time_pct"] = ""
    result = build_return(values, authority="Northshire", round_id=FAKE_ROUND, base=result.ret, own=own)
    assert "reviews_on_time_pct" not in result.ret.answers


def _fill(data: bytes, answers: dict) -> bytes:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    ws = wb["Return"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in answers:
            row[2].value = answers[row[0].value]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_template_asks_the_round_questions_and_names_a_wrong_kind_by_row():
    from exports.template_reader import read_template
    from exports.template_writer import template_workbook
    from models.diff import describe, diff_returns

    own = [library_question("midway_reviews"), library_question("iro_annual_report_board")]
    base = fake_return()
    blank = template_workbook(FAKE_ROUND, "Northshire", base, own=own)
    bad = read_template(
        _fill(blank, {"q.midway_reviews": "about forty"}),
        round_id=FAKE_ROUND,
        authority="Northshire",
        base=base,
        own=own,
    )
    [p] = bad.problems
    assert p.row is not None and p.question == "Midway reviews held in the year"
    assert "you wrote 'about forty'" in str(p) and f"Row {p.row}" in str(p)
    good = read_template(
        _fill(blank, {"q.midway_reviews": 41, "q.iro_annual_report_board": "Corporate parenting board"}),
        round_id=FAKE_ROUND,
        authority="Northshire",
        base=base,
        own=own,
    )
    assert good.ok, good.problems
    assert good.ret.answers["midway_reviews"].value == 41
    lines = describe(diff_returns(base, good.ret))
    assert "Midway reviews held in the year: (no answer) → 41" in lines
    # The template made from that return holds the answers again.
    again = template_workbook(FAKE_ROUND, "Northshire", good.ret, own=own)
    back = read_template(again, round_id=FAKE_ROUND, authority="Northshire", base=good.ret, own=own)
    assert back.ok and back.ret.answers == good.ret.answers


def test_the_round_figures_are_checked_for_plausibility():
    from models.questions import QuestionAnswer
    from official.plausibility import flags

    def answers(**values):
        return {k: QuestionAnswer(value=v) for k, v in values.items()}

    kent = fake_return(
        "Kent", answers=answers(dispute_notices_raised=10, dispute_notices_resolved_20_days=12, iro_fte=0)
    )
    found = {f.code: f for f in flags(kent)}
    assert (
        "More dispute-resolution notices are reported resolved within 20 working days (12) than raised"
        in (found["more_notices_resolved_than_raised"].message)
    )
    assert (
        "The full-time IROs reported are 0, but the return reports IRO caseloads"
        in found["fte_zero_with_caseload"].message
    )
    # Kent reports 60 children per IRO; one full-time IRO for all Kent's children looked after is far from it.
    far = {f.code for f in flags(fake_return("Kent", answers=answers(iro_fte=1)))}
    assert "iro_fte_implies_caseload_far_from_reported" in far
    over = fake_return("Kent", answers={"reviews_on_time_pct": QuestionAnswer(value=120)})
    assert "percentage_over_100" in {f.code for f in flags(over)}
    plain = {f.code for f in flags(fake_return("Kent"))}
    assert not plain & {"percentage_over_100", "more_notices_resolved_than_raised", "fte_zero_with_caseload"}


def test_change_between_rounds_shows_a_question_asked_in_both_rounds():
    from models.questions import QuestionAnswer
    from views import round_questions
    from views.changes import build

    q = library_question("midway_reviews")
    a = fake_round("fake-2026").model_copy(update={"group": "south-east", "questions": [q], "title": "2026"})
    b = fake_round("fake-2027").model_copy(update={"group": "south-east", "questions": [q], "title": "2027"})
    returns = [
        fake_return("Northshire", "fake-2026", answers={"midway_reviews": QuestionAnswer(value=30)}),
        fake_return("Northshire", "fake-2027", answers={"midway_reviews": QuestionAnswer(value=41)}),
    ]
    section = round_questions.changes_section(a, b, returns)
    row = section.tables[0].frame.iloc[0]
    assert (row["Question"], row[a.title], row[b.title]) == ("Midway reviews held in the year", "30", "41")
    from views.base import Selection

    view = build(
        Selection(returns=tuple(returns), rounds={"fake-2026": a, "fake-2027": b}),
        from_round="fake-2026",
        to_round="fake-2027",
    )
    assert "Own questions in both" in view.sheets()


def test_a_hidden_question_keeps_its_answer_through_the_next_save():
    from survey.submission import build_return, flatten

    fte, report = library_question("iro_fte"), library_question("iro_annual_report")
    first = build_return(
        {**flatten(fake_return()), "q.iro_fte": "8", "q.iro_annual_report": "Yes"},
        authority="Northshire",
        round_id=FAKE_ROUND,
        own=[fte, report],
    ).ret
    hidden = fte.model_copy(update={"hidden": True})
    again = build_return(
        {**flatten(first), "q.iro_annual_report": "No"},
        authority="Northshire",
        round_id=FAKE_ROUND,
        base=first,
        own=[hidden, report],
    )
    assert again.ok
    assert again.ret.answers["iro_fte"] == first.answers["iro_fte"]  # not asked, not lost
    assert again.ret.answers["iro_annual_report"].value is False
