"""The yearly cycle in the app: Coordinator creates seslip-2027 and issues Kent's code; Kent's form
starts from 65 carried forward; the lead saves 70; the status says submitted; Change between rounds
shows 65 → 70. And the Change between rounds page on the synthetic rounds of ``tests/fake_data``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui.data
from store import open_store
from store.loading import load_survey_data
from tests.support.pages import open_page
from views import changes
from views.base import Selection

FAKE = Path(__file__).parent / "fake_data" / "changes"
CODE = re.compile(r"access code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COORDINATOR_SECRET", "right-secret")
    monkeypatch.setenv("APP_URL", "https://dashboard.example.org")
    store = open_store(url)
    yield store
    store.dispose()


def texts(elements) -> list[str]:
    """What a person reads (character references, as escaped for markdown, decoded)."""
    return [html.unescape(e.value).replace("\u2060", "") for e in elements]


def frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def coordinator() -> AppTest:
    at = open_page("coordinator").run()
    at.text_input(key="coord_secret").input("right-secret")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def create_round(at: AppTest, round_id: str, deadline: dt.date) -> AppTest:
    at.text_input(key="coord_new_id").input(round_id)
    at.text_input(key="coord_new_title").input("SESLIP survey 2027")
    at.date_input(key="coord_new_deadline").set_value(deadline)
    at.selectbox(key="coord_new_from").set_value("seslip-qa-june")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_whole_cycle_in_the_app(db):
    at = create_round(coordinator(), "seslip-2027", dt.date(2099, 6, 30))
    assert any("Round seslip-2027 is created and open" in s for s in texts(at.success))
    assert at.selectbox(key="coord_round").value == "seslip-2027"
    status = frame_with(at, "State")
    assert len(status) == 19
    assert status.loc[status["Authority"] == "Oxfordshire", "State"].item() == "not_invited"
    assert "Oxfordshire (not_invited)" in at.text_area(key="coord_chase_members").value

    at.selectbox(key="coord_code_authority").set_value("Kent").run()
    at.button(key="coord_issue").click().run()
    invitation = at.code[0].value
    assert "SESLIP survey 2027" in invitation and "30 June 2099" in invitation
    assert "https://dashboard.example.org" in invitation
    code = CODE.search(invitation).group(1)
    assert db.current("seslip-2027", "Kent") is None

    sub = open_page("submit").run()
    sub.selectbox(key="sub_round").set_value("seslip-2027").run()
    sub.selectbox(key="sub_authority").set_value("Kent")
    sub.text_input(key="sub_code").input(code)
    sub.get("form_submit_button")[0].click().run()
    assert not sub.exception, [e.value for e in sub.exception]
    assert not sub.error, [e.value for e in sub.error]
    assert sub.text_input(key="q:iro.caseload.low").value == "65"  # carried forward
    notes = [c.value for c in sub.caption if "carried forward from" in c.value]
    assert len(notes) > 5  # each answer carried forward is marked beside its question
    assert any("carried forward from SESLIP QA Sub Group" in i for i in texts(sub.info))
    assert any("Returns are due by 30 June 2099" in m for m in texts(sub.markdown))
    sub.text_area(key="q:iro.caseload.text").input("IRO average case load 70").run()
    sub.text_input(key="q:iro.caseload.low").input("70").run()
    sub.text_input(key="q:iro.caseload.high").input("70").run()
    sub.button(key="sub_preview").click().run()
    assert not [e.value for e in sub.error]
    carried = frame_with(sub, "Answer")
    assert "IRO role: Case holding: lowest figure" not in set(carried["Question"])
    assert set(carried["Answer"]) == {
        "carried forward from SESLIP QA Sub Group – June Meeting: The role of IROs and CP chairs; unchanged"
    }
    sub.button(key="sub_save").click().run()
    assert any("This is version 1 of Kent's return" in s for s in texts(sub.success))
    saved = db.current("seslip-2027", "Kent")
    assert saved.iro.caseload.low == 70
    assert saved.provenance.carried_from == "seslip-qa-june"

    at = coordinator()
    at.selectbox(key="coord_round").set_value("seslip-2027").run()
    status = frame_with(at, "State")
    assert status.loc[status["Authority"] == "Kent", "State"].item() == "submitted"

    # Still collecting: members (and, the data being public, visitors) do not see it yet.
    page = open_page("changes").run()
    assert not page.exception and not [d for d in page.dataframe if "IRO caseload before" in d.value.columns]
    db.set_round_open("seslip-2027", False)
    db.round_step("seslip-2027", "share")
    page = open_page("changes").run()
    assert not page.exception, [e.value for e in page.exception]
    table = frame_with(page, "IRO caseload before")
    kent = table[table["Authority"] == "Kent"].iloc[0]
    assert (kent["IRO caseload before"], kent["IRO caseload after"]) == ("65", "70")


def test_creating_a_round_with_a_past_deadline_is_refused_on_the_page(db):
    at = create_round(coordinator(), "seslip-2027", dt.date(2000, 1, 1))
    assert any("Deadline: 2000-01-01 is in the past" in e for e in texts(at.error))
    assert "seslip-2027" not in {r.id for r in db.rounds()}


@pytest.fixture
def fake(monkeypatch):
    ds = load_survey_data(FAKE)
    assert ds.problems == []
    monkeypatch.setattr(ui.data, "current_dataset", lambda **_: ds)
    return ds


def test_change_between_rounds_view_on_synthetic_rounds(fake):
    sel = Selection(returns=tuple(fake.returns), rounds=fake.rounds)
    view = changes.build(sel, from_round="fake-2025", to_round="fake-2026")
    table = view.sheets()["Changes"]
    alpha = table[table["Authority"] == "Alphaton"].iloc[0]
    assert (alpha["IRO caseload before"], alpha["IRO caseload after"]) == ("65", "70")
    assert alpha["QA activities added"] == "IRO: Thematic audits"
    assert alpha["Model"] == "no change"
    bullets = [b for s in view.sections for b in s.bullets]
    assert "New this round: Gamma City." in bullets
    assert "No return this round: Beta Borough." in bullets
    medians = view.sheets()["Medians"]
    iro = medians[medians["Role"].str.startswith("IRO")]
    assert list(iro["Median caseload"]) == ["57.5", "75"]
    words = " ".join(view.words())
    assert "Thematic audits 0% → 100%" in words
    assert view.charts()


def test_change_between_rounds_page_shows_the_two_latest_rounds(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("SURVEY_DATA_DIR", str(FAKE))
    at = open_page("changes").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="changes_from").value == "fake-2025"
    assert at.selectbox(key="changes_to").value == "fake-2026"
    table = frame_with(at, "IRO caseload before")
    assert list(table["Authority"]) == ["Alphaton"]


def test_one_round_only_says_there_is_nothing_to_compare(db):
    at = open_page("changes").run()
    assert not at.exception
    assert any("nothing to compare yet" in i and "round create" in i for i in texts(at.info))


def test_the_same_round_twice_asks_for_two_rounds(fake):
    sel = Selection(returns=tuple(fake.returns), rounds=fake.rounds)
    view = changes.build(sel, from_round="fake-2026", to_round="fake-2026")
    assert view.empty.startswith("From round and To round are the same round")
    assert changes.build(sel, from_round="fake-2025", to_round=None).empty == changes.NOTHING_YET


def test_the_coordinator_revokes_a_code_on_the_page(db):
    from store.access import has_code

    at = create_round(coordinator(), "seslip-2027", dt.date(2099, 6, 30))
    at.selectbox(key="coord_code_authority").set_value("Surrey").run()
    at.button(key="coord_issue").click().run()
    assert has_code(db, "seslip-2027", "Surrey")
    status = frame_with(at, "State")
    assert status.loc[status["Authority"] == "Surrey", "State"].item() == "invited"
    at.button(key="coord_revoke").click().run()
    assert any("Surrey's code is revoked" in i for i in texts(at.info))
    assert not has_code(db, "seslip-2027", "Surrey")
    assert not at.code  # the code is not shown again
