"""Next year's questions, end to end on a copy of the real data (a temporary database seeded from
survey_data/): the coordinator creates seslip-2027 and gives it six library questions and one of
their own, in the app and in the shell; Kent answers by the form, Medway by the template, Surrey
with ``cli.py import``; the round's page compares them, with Medway's "counted differently" figure
kept out of the median; the pack, the workbook, the profile and the shell show them. The first
round's returns are unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from exports.template_reader import read_template
from exports.template_writer import template_workbook
from exports.workbooks import full_workbook
from store import open_store
from store.access import issue_code
from store.loading import load_survey_data
from survey import submit_flow as flow
from tests.support.cli import Cli
from tests.support.pages import open_page, unlock_with_code
from tests.test_rounds_pages import coordinator, create_round, texts
from views import round_questions
from views.base import Selection
from views.pack import PackInput, pack_views

FROM_APP = ["iro_fte", "iro_children_per_fte", "dispute_notices_raised"]
FROM_SHELL = ["dispute_notices_resolved_20_days", "reviews_on_time_pct", "iro_annual_report"]


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COORDINATOR_SECRET", "right-secret")
    monkeypatch.setenv("APP_URL", "https://dashboard.example.org")
    store = open_store(url)
    yield store, url
    store.dispose()


def _fill(data: bytes, answers: dict) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for row in wb["Return"].iter_rows(min_row=2):
        if row[0].value in answers:
            row[2].value = answers[row[0].value]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_seslip_2027_asks_its_own_questions_and_compares_them(db, tmp_path, capsys):
    store, url = db
    first_round = {(r.authority): r.model_dump(mode="json") for r in store.current_returns("seslip-qa-june")}

    # The coordinator: the round and three library questions in the app ...
    at = create_round(coordinator(), "seslip-2027", dt.date(2099, 6, 30))
    at.multiselect(key="coord_q_pick").set_value(FROM_APP)
    next(b for b in at.get("form_submit_button") if b.label == "Add the questions chosen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Added 3 question(s) from the library" in s for s in texts(at.success))
    # ... and one of their own in the app (a figure with no counting rule is refused first) ...
    at.text_input(key="coord_q_id").input("iro_vacancies")
    at.text_input(key="coord_q_text").input("IRO posts vacant on 31 March")
    at.selectbox(key="coord_q_kind").set_value("whole_number")
    at.text_input(key="coord_q_unit").input("posts")
    own_form = next(b for b in at.get("form_submit_button") if b.label == "Add this question")
    own_form.click().run()
    assert any("'iro_vacancies' is a figure: give its counting rule" in e for e in texts(at.error))
    at.text_area(key="coord_q_counts").input("Funded IRO posts with no one in post, agency cover or not.")
    at.text_input(key="coord_q_period").input("on 31 March of the year the round covers")
    next(b for b in at.get("form_submit_button") if b.label == "Add this question").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Added iro_vacancies to seslip-2027" in s for s in texts(at.success))
    # ... three more in the shell.
    cli = Cli(capsys, database_url=url)
    for qid in FROM_SHELL:
        done = cli("round", "questions", "seslip-2027", "add", qid)
        assert done.code == 0, done.text
    assert "asks 7 question(s) of its own" in done.out
    rnd = store.get_round("seslip-2027")
    assert [q.id for q in rnd.questions] == [*FROM_APP, "iro_vacancies", *FROM_SHELL]

    # Kent answers by the form.
    code = issue_code(store, "seslip-2027", "Kent")
    sub = open_page("submit").run()
    sub.selectbox(key="sub_round").set_value("seslip-2027").run()
    unlock_with_code(sub, "Kent", code)
    assert not sub.exception, [e.value for e in sub.exception]
    assert any("Counting rule: Independent reviewing officers" in c for c in texts(sub.caption)), [
        c.value for c in sub.caption
    ][-5:] + [s.value for s in sub.subheader]
    sub.text_input(key="q:q.iro_fte").input("9.5").run()
    sub.text_input(key="q:q.reviews_on_time_pct").input("130").run()
    assert any(
        "Looked-after reviews held on time in the year (%): Write a number from 0 to 100" in e
        for e in texts(sub.error)
    )
    sub.text_input(key="q:q.reviews_on_time_pct").input("92").run()
    sub.text_input(key="q:q.dispute_notices_raised").input("14").run()
    sub.text_input(key="q:q.dispute_notices_resolved_20_days").input("11").run()
    sub.radio(key="q:q.iro_annual_report").set_value("Yes").run()
    sub.text_input(key="q:q.iro_vacancies").input("2").run()
    sub.button(key="sub_preview").click().run()
    assert not [e.value for e in sub.error]
    sub.button(key="sub_save").click().run()
    kent = store.current("seslip-2027", "Kent")
    assert kent.answers["iro_fte"].value == 9.5 and kent.answers["iro_annual_report"].value is True
    assert kent.answers["iro_fte"].asked == "Full-time equivalent IROs in post on 31 March"

    # Medway by the template (as the Submit page offers it): one figure counted differently.
    medway_code = issue_code(store, "seslip-2027", "Medway")
    state = flow.SubmitState()
    assert flow.unlock(store, state, "seslip-2027", "Medway", medway_code, source="test").ok
    carried = state.carry.ret if state.carry else None
    blank = template_workbook("seslip-2027", "Medway", carried, own=rnd.questions)
    wrong = read_template(
        _fill(blank, {"q.iro_fte": "six"}), round_id="seslip-2027", authority="Medway", own=rnd.questions
    )
    assert [p.question for p in wrong.problems] == ["Full-time equivalent IROs in post on 31 March"]
    assert wrong.problems[0].row is not None
    filled = _fill(
        blank,
        {
            "q.iro_fte": 6,
            "q.iro_fte.how": "Includes the IRO manager's whole post",
            "q.dispute_notices_raised": 8,
            "q.dispute_notices_resolved_20_days": 8,
            "q.iro_annual_report": "No",
            "q.reviews_on_time_pct": "88%",
        },
    )
    result = read_template(filled, round_id="seslip-2027", authority="Medway", own=rnd.questions)
    assert result.ok, [str(p) for p in result.problems]
    assert flow.save(store, state, result.ret, "upload", rnd.title, who=None).ok

    # Surrey with cli.py template and import.
    surrey_code = issue_code(store, "seslip-2027", "Surrey")
    sheet = tmp_path / "surrey.xlsx"
    assert cli("template", "--round", "seslip-2027", "--authority", "Surrey", "--out", sheet).code == 0
    sheet.write_bytes(
        _fill(
            sheet.read_bytes(),
            {"q.iro_fte": "12", "q.iro_annual_report": "Yes", "q.dispute_notices_raised": 20},
        )
    )
    imported = cli("import", sheet, "--round", "seslip-2027", "--authority", "Surrey", "--code", surrey_code)
    assert imported.code == 0, imported.text
    assert store.current("seslip-2027", "Surrey").answers["iro_fte"].value == 12

    # The round's page: the median of those counted by the rule (Kent 9.5, Surrey 12: 10.75), Medway's 6 shown apart.
    ds = store.dataset()
    sel = Selection(returns=tuple(ds.returns), rounds=ds.rounds)
    view = round_questions.build(sel, round_id="seslip-2027", authority="Kent")
    fte = next(s for s in view.sections if s.heading == "Full-time equivalent IROs in post on 31 March")
    assert "The median of those counted by the rule is 10.8" in fte.text
    assert "Medway (Includes the IRO manager's whole post)" in fte.text
    table = fte.tables[0].frame
    assert table.loc[table["Authority"] == "Medway", "In the median"].item() == "No"
    assert "kept out of the median" in " ".join(fte.notes)
    assert fte.intro.startswith("Counting rule: Independent reviewing officers")
    report = next(
        s for s in view.sections if s.heading == "Did the service produce an IRO annual report for the year?"
    )
    shares = report.tables[0].frame
    assert shares.set_index("Answer")["Authorities"].to_dict() == {"Yes": 2, "No": 1}

    page = open_page("round_questions").run()
    assert not page.exception, [e.value for e in page.exception]
    words = " ".join(texts(page.markdown) + texts(page.caption))
    assert "kept out of the median" in words
    assert (
        "Counted differently, so kept out of the median: Medway (Includes the IRO manager's whole post)"
        in words
    )
    assert any(list(d.value.columns) == ["Answer", "Authorities", "Share"] for d in page.dataframe)

    # The pack, the workbook, the profile and the shell.
    views, _, _ = pack_views(
        PackInput(Selection(returns=tuple(ds.for_round("seslip-2027")), rounds=ds.rounds), round=rnd)
    )
    assert any(v.key == "round_questions" for v in views)
    book = load_workbook(io.BytesIO(full_workbook(ds.for_round("seslip-2027"), ds.rounds)))
    rows = list(book["Round questions"].iter_rows(values_only=True))
    assert any(r[1] == "iro_fte" and r[4] == "Medway" and r[7] == "No" for r in rows)
    about = " ".join(str(c) for row in book["About"].iter_rows(values_only=True) for c in row if c)
    assert "Counting rule: Independent reviewing officers" in about
    listed = cli("list", "--round", "seslip-2027", "--format", "json")
    medway = next(r for r in json.loads(listed.out) if r["authority"] == "Medway")
    assert medway["answers"]["iro_fte"]["counted_differently"] == "Includes the IRO manager's whole post"

    # An answered question cannot be removed; the first round's returns are as they were.
    refused = cli("round", "questions", "seslip-2027", "remove", "iro_fte")
    assert refused.code == 2 and "hide it instead" in refused.err
    at = coordinator()
    at.selectbox(key="coord_round").set_value("seslip-2027").run()
    at.selectbox(key="coord_q_one").set_value("iro_fte").run()
    at.radio(key="coord_q_do").set_value("Remove").run()
    at.button(key="coord_q_apply").click().run()
    assert any(
        "'iro_fte' has answers, so it cannot be removed; hide it instead" in e for e in texts(at.error)
    )
    at.radio(key="coord_q_do").set_value("Hide").run()
    at.button(key="coord_q_apply").click().run()
    assert any("iro_fte is hidden" in m for m in texts(at.success))
    assert store.get_round("seslip-2027").questions[0].hidden
    assert store.current("seslip-2027", "Medway").answers["iro_fte"].value == 6  # hidden, not lost
    assert {
        (r.authority): r.model_dump(mode="json") for r in store.current_returns("seslip-qa-june")
    } == first_round
    assert load_survey_data().rounds["seslip-qa-june"].questions == []
