"""A round's life: collecting → closed → shared → published; reopened with a reason; each step checked
and written in one transaction, audit-logged with who; bad input named, nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from models.lifecycle import (
    CLOSED,
    COLLECTING,
    PUBLISHED,
    SHARED,
    LifecycleError,
    RoundLife,
    next_life,
)
from store import audit, open_store
from survey import lifecycle as lc
from survey import rounds as rr
from tests.support.rounds import start_2027
from tests.test_rounds_pages import coordinator, create_round, texts

NOW = dt.datetime(2027, 7, 1, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
LIVES = {
    "collecting": RoundLife("r", COLLECTING),
    "closed": RoundLife("r", CLOSED, closed_at=NOW - dt.timedelta(days=2)),
    "shared": RoundLife("r", SHARED, closed_at=NOW - dt.timedelta(days=2), shared_at=NOW),
    "published": RoundLife("r", PUBLISHED, closed_at=NOW, shared_at=NOW, publish_on=TODAY),
}


@pytest.mark.parametrize(
    ("life", "step", "fields", "message"),
    [
        (
            "collecting",
            "publish",
            {},
            "Round: the round 'r' is still collecting returns: close it before publishing",
        ),
        (
            "collecting",
            "share",
            {},
            "Round: the round 'r' is still collecting returns: close it before sharing",
        ),
        ("closed", "publish", {"publish_on": "2027-06-30"}, "Publication date: 2027-06-30 is in the past"),
        ("closed", "publish", {"publish_on": "1st July"}, "Publication date: '1st July' is not a date"),
        ("published", "reopen", {"reason": "a typo"}, "Round: the round 'r' is published: a published round"),
        ("closed", "reopen", {"reason": "  "}, "Reason: say why the round is reopened"),
        ("closed", "reopen", {"reason": "x" * 301}, "Reason: the reason is 301 characters long; at most 300"),
        ("shared", "share", {}, "Round: the round 'r' is already shared with members."),
        ("closed", "close", {}, "Round: the round 'r' is closed, not collecting."),
        ("shared", "provisional", {"provisional": True}, "Show to members: the round 'r' is not collecting"),
    ],
)
def test_a_step_that_cannot_be_taken_names_the_field(life, step, fields, message):
    with pytest.raises(LifecycleError) as exc:
        next_life(LIVES[life], step, now=NOW, today=TODAY, **fields)
    assert str(exc.value).startswith(message)
    assert str(exc.value).endswith("Nothing was changed.")


def test_publication_before_the_close_is_refused():
    closed = RoundLife("r", CLOSED, closed_at=NOW + dt.timedelta(days=5))  # closed ahead of "today"
    with pytest.raises(LifecycleError, match="is before the round closed"):
        next_life(closed, "publish", now=NOW, today=TODAY, publish_on=TODAY + dt.timedelta(days=1))


def test_a_publication_set_ahead_is_only_shared_until_its_date():
    life = next_life(
        LIVES["closed"], "publish", now=NOW, today=TODAY, publish_on="2027-09-01", anonymised=True
    )
    assert life.state_on(TODAY) == SHARED and life.state_on(dt.date(2027, 9, 1)) == PUBLISHED
    assert life.scheduled(TODAY) == dt.date(2027, 9, 1)
    assert "to be published 1 September 2027 (anonymised)" in life.dates(TODAY)
    # Until it is published it can still be reopened; the publication is then called off.
    reopened = next_life(life, "reopen", now=NOW, today=TODAY, reason="Kent's caseload was wrong")
    assert reopened.state == COLLECTING and reopened.publish_on is None


@pytest.fixture
def db(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    start_2027(store, from_round="seslip-qa-june")
    yield store
    store.dispose()


def test_the_seeded_round_is_shared_and_a_new_one_collecting(db):
    assert db.life("seslip-qa-june").state == SHARED
    assert db.life("seslip-2027").state == COLLECTING
    assert lc.summary(db, "seslip-2027").line().endswith("Returns so far: 0 of 19.")


def test_each_step_is_written_with_who_and_a_refusal_changes_nothing(db):
    who = "lifecycle-test"
    db.set_round_open("seslip-2027", False, who=who)
    assert db.life("seslip-2027").state == CLOSED
    before = len(audit.entries(db))
    with pytest.raises(LifecycleError, match="Publication date"):
        db.round_step("seslip-2027", "publish", publish_on="2000-01-01", who=who)
    assert db.life("seslip-2027").state == CLOSED and len(audit.entries(db)) == before
    db.round_step("seslip-2027", "share", who=who)
    db.round_step("seslip-2027", "reopen", reason="Medway's figure corrected", who=who)
    assert db.round_is_open("seslip-2027")
    db.set_round_open("seslip-2027", False, who=who)
    db.round_step("seslip-2027", "publish", anonymised=True, who=who)
    assert db.life("seslip-2027").anonymised and not db.round_is_open("seslip-2027")
    with pytest.raises(LifecycleError, match="a published round cannot be reopened"):
        db.round_step("seslip-2027", "reopen", reason="late", who=who)
    with pytest.raises(LifecycleError, match="a published round cannot be reopened"):
        db.set_round_open("seslip-2027", True, who=who)
    assert not db.round_is_open("seslip-2027")
    log = [(e.action, e.who, e.detail) for e in audit.entries(db) if e.round_id == "seslip-2027"]
    assert [a for a, _, _ in log][-5:] == [
        "round_closed",
        "round_shared",
        "round_reopened",
        "round_closed",
        "round_published",
    ]
    assert {w for _, w, _ in log[-5:]} == {"lifecycle-test"}
    assert "Medway's figure corrected" in log[-3][2]


def test_the_shell_takes_each_step(db, capsys):
    import cli

    url = str(db.engine.url)
    assert cli.main(["round", "close", "seslip-2027", "--database", url]) == 0
    assert cli.main(["round", "publish", "seslip-2027", "--on", "2000-01-01", "--database", url]) == 2
    assert "Publication date: 2000-01-01 is in the past" in capsys.readouterr().err
    assert cli.main(["round", "share", "seslip-2027", "--database", url]) == 0
    assert "State: Shared with members" in capsys.readouterr().out
    assert cli.main(["round", "status", "seslip-2027", "--database", url]) == 0
    assert "Closed " in capsys.readouterr().out


@pytest.mark.parametrize(
    ("round_id", "title", "message"),
    [
        ("seslip-qa-june", "New", "Round id: there is already a round 'seslip-qa-june'"),
        ("seslip-2028", "SESLIP survey 2027", "Title: the round 'seslip-2027' already has the title"),
        ("seslip-2028", "T" * 201, "Title: 'TTT"),
    ],
)
def test_a_round_id_or_title_already_used_or_too_long_is_refused(db, round_id, title, message):
    with pytest.raises(rr.RoundInputError) as exc:
        rr.create_round(db, round_id=round_id, title=title, group_id="south-east", deadline="2099-01-01")
    assert str(exc.value).startswith(message)
    assert {r.id for r in db.rounds()} == {"seslip-qa-june", "seslip-2027", "published-service-descriptions"}


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("COORDINATOR_SECRET", "right-secret")
    store = open_store(url)
    yield store
    store.dispose()


def test_the_coordinator_page_shows_the_state_and_takes_the_steps(page_db):
    at = create_round(coordinator(), "seslip-2027", dt.date(2099, 6, 30))
    assert any(m.value == "State: **Collecting**." for m in at.markdown)
    at.button(key="coord_toggle").click().run()  # close
    assert any(m.value == "State: **Closed**." for m in at.markdown)
    at.button(key="coord_share").click().run()
    assert any("is shared with members" in s for s in texts(at.success))
    assert any(m.value == "State: **Shared with members**." for m in at.markdown)
    at.date_input(key="coord_pub_on").set_value(dt.date(2000, 1, 1))
    publish = next(b for b in at.get("form_submit_button") if b.label == "Publish")
    publish.click().run()
    assert any("Publication date: 2000-01-01 is in the past" in e for e in texts(at.error)), texts(
        at.error
    ) + [m.value for m in at.markdown]
    assert page_db.life("seslip-2027").state == SHARED
    at.text_input(key="coord_reopen_reason").input("Kent asked to correct a figure")
    next(b for b in at.get("form_submit_button") if b.label == "Reopen the round").click().run()
    assert not at.exception
    assert page_db.life("seslip-2027").state == COLLECTING
    assert any(m.value == "State: **Collecting**." for m in at.markdown)


def test_a_lead_is_told_the_round_is_closed_since_when_and_who_to_ask(page_db):
    from models.uktime import uk_day
    from tests.support.pages import open_page

    start_2027(page_db)
    page_db.set_round_open("seslip-2027", False)
    at = open_page("submit").run()
    since = uk_day(page_db.life("seslip-2027").closed_at)
    assert any(
        f"The round 'SESLIP survey 2027' has been closed since {since}: it no longer takes returns" in t
        and "ask your group's coordinator" in t
        for t in texts(at.info)
    ), texts(at.info)
