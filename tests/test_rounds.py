"""Running the survey every year: create a round, status and states, codes, carry-forward, changes.

The whole cycle from the shell runs on the published SESLIP round (read, never written) and a
temporary database; every later return is made here in the test, never in ``survey_data/``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from pathlib import Path

import openpyxl
import pytest

from exports.csv_files import chase_csv
from store import Store, open_store
from store.access import issue_code
from store.loading import DEFAULT_DATA_DIR, load_survey_data
from survey import rounds as rr
from survey import submit_flow as flow
from survey.submission import build_return
from tests.support.cli import run_cli

CODE = re.compile(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.M)
FUTURE = "2099-06-30"
SESLIP = "seslip-qa-june"


@pytest.fixture
def run(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'returns.db'}"

    def run(*argv: str) -> tuple[int, str]:
        extra = ["--database-url", url]
        if argv[0] not in ("list",):
            extra += ["--data", str(DEFAULT_DATA_DIR)]
        result = run_cli(capsys, *argv, *extra)
        return result.code, result.text

    run.url = url
    return run


def _set_answer(path: Path, out: Path, answers: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in answers:
            row[2].value = answers[row[0].value]
    wb.save(out)


def _answer(path: Path, field: str):
    ws = openpyxl.load_workbook(path).worksheets[0]
    return next(row[2].value for row in ws.iter_rows(min_row=2) if row[0].value == field)


def test_the_whole_cycle_from_the_shell(run, tmp_path, capsys):
    code, out = run(
        "round", "create", "seslip-2027", "--title", "SESLIP survey 2027", "--group", "south-east",
        "--deadline", FUTURE, "--from", SESLIP,
    )  # fmt: skip
    assert code == 0, out
    assert "19 authorities" in out

    code, out = run("round", "status", "seslip-2027", "--format", "json")
    status = {s["authority"]: s for s in json.loads(out)}
    assert len(status) == 19
    assert status["Oxfordshire"]["state"] == "not_invited"
    assert status["Oxfordshire"]["ons_code"] == "E10000025"
    assert status["Kent"]["state"] == "not_invited"

    code, out = run("issue-code", "Kent", "--round", "seslip-2027")
    assert code == 0, out
    kent_code = CODE.search(out).group(1)
    code, out = run("round", "status", "seslip-2027", "--format", "json")
    assert {s["authority"]: s["state"] for s in json.loads(out)}["Kent"] == "invited"

    template = tmp_path / "kent.xlsx"
    code, out = run("template", "--authority", "Kent", "--round", "seslip-2027", "--out", str(template))
    assert code == 0, out
    assert "carried forward from" in out
    assert _answer(template, "iro.caseload.low") == 65

    filled = tmp_path / "kent-70.xlsx"
    _set_answer(
        template,
        filled,
        {"iro.caseload.low": 70, "iro.caseload.high": 70, "iro.caseload.text": "IRO average case load 70"},
    )
    code, out = run(
        "import", str(filled), "--authority", "Kent", "--round", "seslip-2027", "--code", kent_code
    )
    assert code == 0, out

    code, out = run("round", "status", "seslip-2027")
    kent_line = next(line for line in out.splitlines() if line.startswith("Kent "))
    assert "submitted" in kent_line
    assert "1 of 19 submitted" in out

    # Still collecting: compared only when asked, and labelled provisional.
    code, out = run("changes", "--from", SESLIP, "--to", "seslip-2027")
    assert code == 2 and "'seslip-2027' is still collecting returns" in out
    code, out = run("changes", "--from", SESLIP, "--to", "seslip-2027", "--provisional", "--format", "json")
    rows = json.loads(out)
    assert {"authority": "Kent", "field": "iro.caseload.low", "before": 65, "after": 70} in rows
    code, out = run("changes", "--from", SESLIP, "--to", "seslip-2027", "--provisional")
    assert out.startswith("Provisional: 'seslip-2027' is still collecting returns")
    assert "Kent: iro.caseload.low: 65 → 70" in out

    # `list` reads the database: the save shows at once.
    code, out = run("list", "--round", "seslip-2027")
    assert "Kent" in out and "70 cases" in out
    # ...and `--data` reads the files, which hold no such round.
    code = run_cli(capsys, "list", "--data", DEFAULT_DATA_DIR, "--round", "seslip-2027").code
    assert code == 2

    store = Store(run.url)
    saved = store.current("seslip-2027", "Kent")
    assert saved.provenance.carried_from == SESLIP
    store.dispose()

    # The full workbook of both rounds gains a Changes sheet.
    book = tmp_path / "all.xlsx"
    code, out = run("export", "--out", str(book))
    assert code == 0, out
    ws = openpyxl.load_workbook(book)["Changes"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in row], strict=False)) for row in ws.iter_rows(min_row=2)]
    kent = next(r for r in rows if r["Authority"] == "Kent" and r["Field"] == "iro.caseload.low")
    assert (kent["Before"], kent["After"]) == ("65", "70")
    assert kent["To round"] == "SESLIP survey 2027"

    dump = tmp_path / "dump"
    code, out = run("dump", "--round", "seslip-2027", "--out", str(dump))
    assert code == 0
    assert "group: south-east" in (dump / "rounds" / "seslip-2027.yaml").read_text()
    assert load_survey_data(dump).problems == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["Bad_Id", "--deadline", FUTURE], "Round id: 'Bad_Id' is not a usable id"),
        ([SESLIP, "--deadline", FUTURE], f"Round id: there is already a round '{SESLIP}'"),
        (["r-2027", "--deadline", "2000-01-01"], "Deadline: 2000-01-01 is in the past"),
        (["r-2027", "--deadline", "30/06/2027"], "Deadline: '30/06/2027' is not a date"),
        (["r-2027", "--deadline", FUTURE, "--group", "nowhere"], "Group: There is no group 'nowhere'"),
        (
            ["r-2027", "--deadline", FUTURE, "--group", "london", "--from", SESLIP],
            f"From round: the round '{SESLIP}' belongs to the group 'south-east', not 'london'",
        ),
    ],
)
def test_bad_input_to_round_create_is_refused_by_field(run, argv, message):
    args = ["round", "create", argv[0], "--title", "A round", *argv[1:]]
    if "--group" not in args:
        args += ["--group", "south-east"]
    code, out = run(*args)
    assert code == 2
    assert message in out
    assert "Nothing was created." in out
    code, out = run("round", "status", "r-2027")
    assert code == 2  # no such round was made


def test_a_non_member_gets_no_code_and_no_return(run):
    run("round", "create", "seslip-2027", "--title", "T", "--group", "south-east", "--deadline", FUTURE)
    code, out = run("issue-code", "Camden", "--round", "seslip-2027")
    assert code == 2
    assert "'Camden' is not a member of the group 'south-east'" in out
    store = Store(run.url)
    kent = store.current(SESLIP, "Kent")
    camden = kent.model_copy(update={"authority": "Camden", "round": "seslip-2027"})
    with pytest.raises(rr.NotAMemberError, match="Camden"):
        store.save(camden, based_on=None, channel="form", submitted_by="authority lead")
    assert store.current("seslip-2027", "Camden") is None
    store.dispose()


def test_late_after_the_deadline_and_submitted_late_marked(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    rr.create_round(
        store, round_id="r-2027", title="T", group_id="south-east", deadline="2027-06-30",
        today=dt.date(2027, 1, 1),
    )  # fmt: skip
    issue_code(store, "r-2027", "Kent")
    before = {m.authority: m.state for m in rr.member_status(store, "r-2027", today=dt.date(2027, 6, 30))}
    assert before["Kent"] == "invited" and before["Surrey"] == "not_invited"
    after = {m.authority: m.state for m in rr.member_status(store, "r-2027", today=dt.date(2027, 7, 1))}
    assert after["Kent"] == "late" and after["Surrey"] == "late"
    statuses = rr.member_status(store, "r-2027", today=dt.date(2027, 7, 1))
    csv = chase_csv(rr.chase_list(statuses)).decode("utf-8-sig")
    assert csv.splitlines()[0] == "authority,ons_code,state"
    assert "Oxfordshire,E10000025,late" in csv
    store.dispose()


def test_invitation_text_names_round_deadline_address_and_code(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    rnd = rr.create_round(
        store, round_id="r-2027", title="Survey 2027", group_id="south-east", deadline=FUTURE
    )
    text = rr.invitation_text(rnd, "Kent", "ABCD-EFGH-JKLM", dt.date(2099, 6, 30), "https://example.org/app")
    assert "Survey 2027" in text and "30 June 2099" in text
    assert "https://example.org/app" in text and "ABCD-EFGH-JKLM" in text
    store.dispose()


def test_two_coordinators_create_the_same_round_one_wins(database_url):
    first = Store(database_url)
    first.ensure_schema()
    first.seed(load_survey_data(DEFAULT_DATA_DIR))
    first.dispose()
    barrier = threading.Barrier(4)
    results: list[str] = []

    def create(i: int) -> None:
        s = Store(database_url)
        try:
            barrier.wait()
            rr.create_round(
                s, round_id="r-2027", title=f"By coordinator {i}", group_id="south-east", deadline=FUTURE
            )
            results.append("created")
        except rr.RoundInputError as exc:
            results.append(f"refused: {exc}")
        except Exception as exc:
            results.append(f"other: {exc}")
        finally:
            s.dispose()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("created") == 1, results
    assert all(
        r.startswith("refused: Round id: there is already a round 'r-2027'")
        for r in results
        if r != "created"
    ), results
    s = Store(database_url)
    assert len([r for r in s.rounds() if r.id == "r-2027"]) == 1
    assert s.get_round("r-2027").group == "south-east"
    s.dispose()


def test_carry_forward_in_the_form_and_saved_unchanged(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    rr.create_round(store, round_id="r-2027", title="T", group_id="south-east", deadline=FUTURE)
    code = issue_code(store, "r-2027", "Kent")
    state = flow.SubmitState()
    outcome = flow.unlock(store, state, "r-2027", "kent", code)
    assert outcome.ok
    assert outcome.answers["iro.caseload.low"] == 65
    assert "iro.caseload.low" in state.carried
    assert flow.carried_note(state, "iro.caseload.low") == (
        f"carried forward from {store.get_round(SESLIP).title}; unchanged"
    )
    changed = dict(outcome.answers, **{"iro.expectations": "Something new."})
    flow.track_carried(state, changed)
    assert "iro.expectations" not in state.carried and "iro.caseload.low" in state.carried

    # Saved unchanged: allowed, and the provenance says so.
    built = build_return(
        outcome.answers, authority=state.authority, round_id="r-2027", ask_cp_chair=state.ask_cp
    )
    assert built.ok, built.problems
    assert flow.save(store, state, built.ret, "form", "T").ok
    saved = store.current("r-2027", "Kent")
    assert saved.provenance.carried_from == SESLIP
    assert saved.provenance.source.startswith("Carried forward from")
    assert state.carried == set()
    store.dispose()


def test_no_earlier_return_starts_empty(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    rr.create_round(store, round_id="r-2027", title="T", group_id="south-east", deadline=FUTURE)
    code = issue_code(store, "r-2027", "Oxfordshire")
    state = flow.SubmitState()
    outcome = flow.unlock(store, state, "r-2027", "Oxfordshire", code)
    assert outcome.ok
    assert outcome.answers["iro.caseload.low"] is None
    assert state.carried == set() and state.carried_from is None
    store.dispose()
