"""What each person sees by default, on a copy of the real data: members the latest round shared or
published, never one collecting (unless shown as provisional); visitors only published rounds,
anonymised where so published; a link names its round."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import filters as flt
from models.uktime import uk_today
from store import open_store
from survey import rounds as rr
from survey import visibility as vis
from survey.anonymise import labels
from tests.support.pages import open_app
from tests.support.rounds import start_2027

TODAY = uk_today()


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = open_store(url)
    start_2027(store, from_round="seslip-qa-june")
    kent = store.current("seslip-qa-june", "Kent").model_copy(update={"round": "seslip-2027"}, deep=True)
    store.save(kent, based_on=None, channel="form", submitted_by="authority lead")
    yield store
    store.dispose()


def rounds_seen(store, who):
    return sorted(r for r in vis.shown(store.dataset(), who, TODAY).rounds if r.startswith("seslip"))


def test_a_new_round_changes_nothing_members_see_until_it_is_shared(db):
    assert rounds_seen(db, vis.MEMBER) == ["seslip-qa-june"]
    assert rounds_seen(db, vis.COORDINATOR) == ["seslip-2027", "seslip-qa-june"]
    assert rounds_seen(db, vis.VISITOR) == []
    shown = vis.shown(db.dataset(), vis.MEMBER, TODAY)
    assert flt.default_filters(shown).round_id == "seslip-qa-june"
    assert len(shown.returns) == 9 + 4  # June's nine, and the published service descriptions
    # The coordinator chooses to show it: labelled provisional, and still not what a page opens on.
    db.round_step("seslip-2027", "provisional", provisional=True)
    shown = vis.shown(db.dataset(), vis.MEMBER, TODAY)
    assert shown.rounds["seslip-2027"].title == "SESLIP survey 2027 (provisional)"
    assert flt.default_filters(shown).round_id == "seslip-qa-june"
    db.set_round_open("seslip-2027", False)  # closed: the coordinator checks it; members see June
    assert rounds_seen(db, vis.MEMBER) == ["seslip-qa-june"]
    db.round_step("seslip-2027", "share")
    shown = vis.shown(db.dataset(), vis.MEMBER, TODAY)
    assert flt.default_filters(shown).round_id == "seslip-2027"
    assert rounds_seen(db, vis.VISITOR) == []


def test_a_round_published_ahead_is_seen_by_visitors_from_its_date_anonymised(db):
    db.set_round_open("seslip-2027", False)
    db.round_step("seslip-2027", "publish", publish_on=TODAY + dt.timedelta(days=30), anonymised=True)
    assert rounds_seen(db, vis.VISITOR) == []
    assert rounds_seen(db, vis.MEMBER) == ["seslip-2027", "seslip-qa-june"]
    later = vis.shown(db.dataset(), vis.VISITOR, TODAY + dt.timedelta(days=30))
    assert [r.authority for r in later.returns if r.round == "seslip-2027"] == ["Authority A"]
    assert "seslip-qa-june" not in later.rounds


def test_labels_are_stable_and_not_in_the_order_of_the_names():
    names = ["Kent", "Medway", "Surrey", "Slough", "Reading", "Oxfordshire"]
    first = labels("seslip-2027", names)
    assert first == labels("seslip-2027", list(reversed(names)))
    assert sorted(first.values()) == [f"Authority {c}" for c in "ABCDEF"]
    assert [first[n] for n in sorted(names)] != sorted(first.values())


def test_the_overview_opens_on_the_shared_round_and_its_link_names_it(db):
    at = open_app()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["round"] in ("seslip-qa-june", ["seslip-qa-june"])
    assert "seslip-2027" not in at.selectbox(key="flt_round").options
    # A link from last year still opens last year, after the new round is shared.
    db.set_round_open("seslip-2027", False)
    db.round_step("seslip-2027", "share")
    old = open_app()
    old.query_params["round"] = "seslip-qa-june"
    old.run()
    assert old.selectbox(key="flt_round").value == "seslip-qa-june"
    new = open_app().run()
    assert new.selectbox(key="flt_round").value == "seslip-2027"


PAGES = ["overview", "caseloads", "combined_vs_separate", "qa_inputs", "exceptions", "authority_profile"]
PAGES += ["report", "changes", "search", "guidance", "export", "round_questions"]


@pytest.fixture
def published_anonymised(db):
    for name in ("Medway", "Surrey", "Hampshire"):
        carry = rr.carry_forward(db, "seslip-2027", name)
        db.save(carry.ret.model_copy(update={"round": "seslip-2027"}, deep=True), based_on=None,
                channel="form", submitted_by="authority lead")  # fmt: skip
    db.set_round_open("seslip-2027", False)
    db.round_step("seslip-2027", "publish", anonymised=True)
    return db


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_an_anonymised_round_opens_for_a_visitor_without_a_name(published_anonymised, page):
    at = open_app()
    at.secrets["VIEW_ACCESS"] = "members"
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    words = [str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.warning]]
    for d in at.dataframe:
        words += [str(v) for v in d.value.astype(str).to_numpy().ravel()]
    text = " ".join(words)
    assert not [n for n in ("Kent", "Medway", "Surrey", "Hampshire", "E10000016") if n in text]


def test_a_round_shown_provisionally_is_labelled_on_the_page(db):
    from models.lifecycle import PROVISIONAL_NOTE

    db.round_step("seslip-2027", "provisional", provisional=True)
    at = open_app().run()
    assert at.selectbox(key="flt_round").value == "seslip-qa-june"  # still not what a page opens on
    assert PROVISIONAL_NOTE not in [w.value for w in at.warning]
    linked = open_app()
    linked.query_params["round"] = "seslip-2027"
    linked.run()
    assert linked.selectbox(key="flt_round").value == "seslip-2027"
    assert PROVISIONAL_NOTE in [w.value for w in linked.warning]
    assert "SESLIP survey 2027 (provisional)" in linked.selectbox(key="flt_round").options
