"""``round create … --from ROUND`` is honoured end to end: a lead's form, the template and the saved
provenance start from the round named, not from the group's latest round."""

from __future__ import annotations

import openpyxl
import pytest

from store import Store
from store.access import issue_code
from store.loading import DEFAULT_DATA_DIR
from survey import submit_flow as flow
from tests.support.cli import Cli

JUNE = "seslip-qa-june"
JUNE_TITLE = "SESLIP QA Sub Group – June Meeting: The role of IROs and CP chairs"


@pytest.fixture
def setup(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    cli = Cli(capsys, database_url=url, data=DEFAULT_DATA_DIR)
    args = ("--group", "south-east", "--deadline", "2099-06-30")
    assert cli("round", "create", "r-2027", "--title", "Survey 2027", *args).code == 0
    store = Store(url)
    kent = store.current(JUNE, "Kent").model_copy(deep=True)
    kent.round = "r-2027"
    kent.iro.caseload.text, kent.iro.caseload.low, kent.iro.caseload.high = "IRO caseload 70", 70, 70
    store.save(kent, based_on=None, channel="form", submitted_by="lead")
    yield cli, store, args
    store.dispose()


# (case, the --from given, the round Kent's answers start from, Kent's IRO caseload there)
CASES = [
    ("--from the June round", ("--from", JUNE), JUNE, 65),
    ("no --from: the group's latest round", (), "r-2027", 70),
]


@pytest.mark.parametrize(("case", "from_args", "source", "low"), CASES, ids=[c[0] for c in CASES])
def test_the_round_named_is_the_one_carried_forward(setup, tmp_path, case, from_args, source, low):
    cli, store, args = setup
    result = cli("round", "create", "r-2028", "--title", "Survey 2028", *args, *from_args)
    assert result.code == 0, result.text
    assert store.get_round("r-2028").carried_from == source
    # The Submit page's flow
    state = flow.SubmitState()
    outcome = flow.unlock(store, state, "r-2028", "Kent", issue_code(store, "r-2028", "Kent", who="test"))
    assert outcome.ok, outcome.message
    assert state.carry.round_id == source and outcome.answers["iro.caseload.low"] == low
    # The template
    out = tmp_path / "kent.xlsx"
    made = cli("template", "--out", out, "--authority", "Kent", "--round", "r-2028")
    assert made.code == 0 and "carried forward from" in made.out
    ws = openpyxl.load_workbook(out).worksheets[0]
    values = {row[0].value: row[2].value for row in ws.iter_rows(min_row=2)}
    assert values["iro.caseload.low"] == low
    # And the saved version says where it came from.
    ret = flow.save(
        store, state, store.current(source, "Kent").model_copy(update={"round": "r-2028"}), "form", "2028"
    )
    assert ret.ok, ret.message
    assert store.current("r-2028", "Kent").provenance.carried_from == source
