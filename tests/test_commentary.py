"""Commentaries on flagged figures: written on the Submit page, stored with the return and versioned,
shown to members beside the figure, carried into the next round marked as last year's until changed."""

from __future__ import annotations

import datetime as dt

import pytest

from models.commentary import merge_commentaries
from models.diff import diff_returns
from models.returns import Commentary
from store import open_store
from store.access import issue_code
from tests.support.pages import open_page
from tests.test_submit_page import errors

ROUND = "seslip-qa-june"
KENT_LAC = "official.LACnum"  # Kent's 1,896 children looked after: the group's highest fifth


def c(measure: str, text: str, round_id: str = "r2026") -> Commentary:
    return Commentary(measure=measure, label=measure.split(".")[1], text=text, round=round_id)


MERGE_CASES = [
    # (existing, typed, expected (measure, text, round))
    ([], {"a.x": "New words."}, [("a.x", "New words.", "r2027")]),
    ([c("a.x", "Old.")], {"a.x": "Old."}, [("a.x", "Old.", "r2026")]),  # unchanged: still last year's
    ([c("a.x", "Old.")], {"a.x": "  Old.  "}, [("a.x", "Old.", "r2026")]),  # spaces are not a change
    ([c("a.x", "Old.")], {"a.x": "Changed."}, [("a.x", "Changed.", "r2027")]),  # changed: this year's
    ([c("a.x", "Old.")], {"a.x": ""}, []),  # emptied: removed, never kept as ""
    ([c("a.x", "Old.")], {"a.x": None}, []),
    ([c("a.y", "Not flagged now.")], {}, [("a.y", "Not flagged now.", "r2026")]),  # no box: kept
]


@pytest.mark.parametrize(("existing", "typed", "expected"), MERGE_CASES)
def test_what_a_save_keeps(existing, typed, expected):
    kept = merge_commentaries(existing, typed, {"a.x": "X"}, "r2027")
    assert [(k.measure, k.text, k.round) for k in kept] == expected


def test_a_commentary_changed_is_a_change_of_the_version(make_return):
    before = make_return("Northshire")
    after = before.model_copy(update={"commentaries": [c(KENT_LAC, "Our numbers follow our size.")]})
    (change,) = diff_returns(before, after)
    assert change.question == "Commentary on a flagged figure: LACnum"
    assert change.after == "Our numbers follow our size."


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = open_store(url)
    yield store
    store.dispose()


def _unlock(store, round_id=ROUND, authority="Kent"):
    code = issue_code(store, round_id, authority)
    at = open_page("submit", timeout=90).run()
    if [s for s in at.selectbox if s.key == "sub_round"]:
        at.selectbox(key="sub_round").set_value(round_id)
    at.selectbox(key="sub_authority").set_value(authority)
    at.text_input(key="sub_code").input(code)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    return at


def _box(at, measure: str):
    return at.text_area(key="sub_comment_" + measure.replace(".", "__"))


def test_a_lead_writes_a_commentary_on_a_flagged_figure_and_members_see_it(db):
    at = _unlock(db)
    _box(at, KENT_LAC).input("Kent is the largest county; its children looked after follow its size.").run()
    at.button(key="sub_preview").click().run()
    assert not errors(at), errors(at)
    at.button(key="sub_save").click().run()
    saved = db.current(ROUND, "Kent")
    assert saved.provenance.version == 2
    (kept,) = saved.commentaries
    assert (kept.measure, kept.round) == (KENT_LAC, ROUND)
    # Versioned: the history says what changed.
    last = db.history(ROUND, "Kent")[-1]
    assert [ch.question for ch in last.changes] == ["Commentary on a flagged figure: Children looked after"]
    # Members read it beside the figure: on the exception table.
    from views import exceptions
    from views.base import Selection

    returns = db.current_returns(ROUND)
    sel = Selection(returns=tuple(returns), rounds={r.id: r for r in db.rounds()})
    row = [r.authority for r in returns].index("Kent")
    detail = exceptions.cell_commentary(sel, row, "Children looked after")
    assert detail.blocks[0].text.startswith("Kent is the largest county")


def test_next_year_the_commentary_is_carried_forward_marked_until_changed(db):
    from survey.rounds import create_round

    at = _unlock(db)
    _box(at, KENT_LAC).input("Written in June.").run()
    at.button(key="sub_preview").click().run()
    at.button(key="sub_save").click().run()
    create_round(
        db, round_id="seslip-2027", title="SESLIP 2027", group_id="south-east", deadline=dt.date(2027, 6, 30)
    )
    at = _unlock(db, "seslip-2027")
    assert _box(at, KENT_LAC).value == "Written in June."
    assert "Last year's commentary, carried forward" in " ".join(c.value for c in at.caption)
    at.button(key="sub_preview").click().run()
    assert not errors(at), errors(at)
    at.button(key="sub_save").click().run()
    carried = db.current("seslip-2027", "Kent").commentary(KENT_LAC)
    assert carried.round == ROUND  # still last year's: the lead did not change it
    at = _unlock(db, "seslip-2027")
    _box(at, KENT_LAC).input("Updated for 2027.").run()
    at.button(key="sub_preview").click().run()
    at.button(key="sub_save").click().run()
    assert db.current("seslip-2027", "Kent").commentary(KENT_LAC).round == "seslip-2027"
