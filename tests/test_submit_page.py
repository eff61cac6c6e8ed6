"""The Submit and Coordinator pages, driven through their widget keys (AppTest)."""

from __future__ import annotations

import html

import pytest

from models.returns import MAX_ANSWER_CHARS
from models.safe_text import JOINER
from store import open_store
from store.access import issue_code
from survey.submission import starting_answers
from tests.support.pages import open_page

ROUND = "seslip-qa-june"


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = open_store(url)
    yield store
    store.dispose()


def versions(store, authority="Kent"):
    return [v.version for v in store.history(ROUND, authority)]


def unlocked(store, authority="Kent"):
    code = issue_code(store, ROUND, authority)
    at = open_page("submit").run()
    at.selectbox(key="sub_authority").set_value(authority)
    at.text_input(key="sub_code").input(code)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    return at


def errors(at):
    """The error messages as a person reads them (escaped characters decoded)."""
    return [html.unescape(e.value).replace(JOINER, "") for e in at.error]


def test_wrong_code_is_refused_and_changes_nothing(db):
    issue_code(db, ROUND, "Kent")
    at = open_page("submit").run()
    at.selectbox(key="sub_authority").set_value("Kent")
    at.text_input(key="sub_code").input("AAAA-BBBB-CCCC")
    at.get("form_submit_button")[0].click().run()
    assert any("That code is not right for Kent" in e for e in errors(at))
    # Still locked: no question is shown, and nothing was saved.
    assert not [w for w in at.text_input if w.key == "q:iro.caseload.low"]
    assert versions(db) == [1]


def test_five_wrong_codes_make_the_lead_wait(db):
    issue_code(db, ROUND, "Kent")
    at = open_page("submit").run()
    for _ in range(6):
        at.selectbox(key="sub_authority").set_value("Kent")
        at.text_input(key="sub_code").input("AAAA-BBBB-CCCC")
        at.get("form_submit_button")[0].click().run()
    assert any("Try again at" in e or "try again" in e.lower() for e in errors(at)), errors(at)


def test_another_authoritys_code_does_not_unlock(db):
    medway_code = issue_code(db, ROUND, "Medway")
    issue_code(db, ROUND, "Kent")
    at = open_page("submit").run()
    at.selectbox(key="sub_authority").set_value("Kent")
    at.text_input(key="sub_code").input(medway_code)
    at.get("form_submit_button")[0].click().run()
    assert any("not right for Kent" in e for e in errors(at))


def test_a_valid_amendment_creates_a_version_and_says_which(db):
    at = unlocked(db)
    assert at.text_input(key="q:iro.caseload.low").value == "65"  # starts from the current version
    at.text_area(key="q:iro.caseload.text").input("IRO average case load 70").run()
    at.text_input(key="q:iro.caseload.low").input("70").run()
    at.text_input(key="q:iro.caseload.high").input("70").run()
    at.button(key="sub_preview").click().run()
    assert not errors(at)
    # The preview shows what differs before anything is saved.
    assert versions(db) == [1]
    diff = at.dataframe[-1].value
    assert "IRO role: Case holding: highest figure" in set(diff["Question"])
    at.button(key="sub_save").click().run()
    assert any("This is version 2 of Kent's return" in s.value for s in at.success)
    assert versions(db) == [1, 2]
    assert db.current(ROUND, "Kent").iro.caseload.high == 70
    assert db.current(ROUND, "Kent").provenance.channel == "form"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        # A low above a high.
        ([("text_input", "q:iro.caseload.low", "90")], "The lowest figure (90) is above the highest (65)"),
        # A negative caseload.
        ([("text_input", "q:cp_chair.caseload.low", "-4")], "cannot be negative"),
        # An absurd caseload.
        ([("text_input", "q:cp_chair.caseload.high", "7000")], "more than the largest figure accepted, 500"),
        # A required answer left empty.
        (
            [("text_area", "q:iro.impact", "")],
            "IRO role: Impact – how can you evidence impact: This answer is required.",
        ),
        # An answer over the length limit, with the limit stated.
        (
            [("text_area", "q:iro.expectations", "x" * (MAX_ANSWER_CHARS + 10))],
            f"the limit is {MAX_ANSWER_CHARS:,} characters",
        ),
    ],
)
def test_each_invalid_answer_shows_its_message_and_saves_nothing(db, setup, message):
    at = unlocked(db)
    for kind, key, value in setup:
        widget = getattr(at, kind)(key=key)
        (widget.input(value) if kind in ("text_area", "text_input") else widget.set_value(value)).run()
    at.button(key="sub_preview").click().run()
    assert any(message in e for e in errors(at)), errors(at)
    assert "Nothing has been saved" in " ".join(errors(at))
    # No save button is offered, nothing is saved, and what was typed is still there.
    assert not [b for b in at.button if b.key == "sub_save"]
    assert versions(db) == [1]
    kind, key, value = setup[0]
    assert getattr(at, kind)(key=key).value == value


def test_combined_role_hides_cp_questions_without_losing_them(db):
    at = unlocked(db)
    at.text_area(key="q:cp_chair.impact").input("Typed before switching").run()
    at.radio(key="q:combined_role").set_value("Yes").run()
    at.checkbox(key="sub_ask_cp").uncheck().run()
    assert not [w for w in at.text_area if w.key == "q:cp_chair.impact"]
    at.checkbox(key="sub_ask_cp").check().run()
    assert at.text_area(key="q:cp_chair.impact").value == "Typed before switching"


def test_parser_proposes_numbers_from_the_answer(db):
    at = unlocked(db)
    at.text_area(key="q:iro.caseload.text").input("20-25 families").run()
    assert any("20–25 families" in c.value for c in at.caption)
    at.button(key="sub_propose_iro").click().run()
    assert at.text_input(key="q:iro.caseload.low").value == "20"
    assert at.text_input(key="q:iro.caseload.high").value == "25"
    assert at.selectbox(key="q:iro.caseload.unit").value == "families"


def test_a_save_that_lands_meanwhile_is_never_overwritten(db):
    at = unlocked(db)
    # Someone else saves version 2 while this lead is typing.
    other = db.current(ROUND, "Kent").model_copy(deep=True)
    other.iro.expectations = "Changed by someone else"
    db.save(other, based_on=1, channel="form", submitted_by="authority lead")
    at.text_input(key="q:cp_chair.caseload.low").input("60").run()
    at.text_input(key="q:cp_chair.caseload.high").input("60").run()
    at.button(key="sub_preview").click().run()
    at.checkbox(key="sub_confirm_form").check().run()  # the words say 64: the lead confirms 60
    at.button(key="sub_save").click().run()
    assert any("Someone else saved version 2 of Kent's return" in e for e in errors(at)), errors(at)
    assert versions(db) == [1, 2]
    assert db.current(ROUND, "Kent").iro.expectations == "Changed by someone else"
    # What was typed is still there to save again once the lead has looked.
    assert at.text_input(key="q:cp_chair.caseload.low").value == "60"


def test_a_closed_round_refuses(db):
    db.set_round_open(ROUND, False)
    at = open_page("submit").run()
    assert not at.exception
    assert any("No survey round is open for returns" in i.value for i in at.info)


def test_unreachable_database_gives_a_clear_page(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    at = open_page("submit").run()
    assert not at.exception
    assert any("The returns database cannot be reached" in e for e in errors(at))


def test_starting_answers_cover_every_question(db):
    # The form starts from the current version for every question it asks.
    values = starting_answers(db.current(ROUND, "Kent"))
    assert values["iro.caseload.low"] == 65 and values["cp_chair.caseload.low"] == 64


# -- Coordinator -------------------------------------------------------------


def test_coordinator_page_is_shut_without_a_secret(db, monkeypatch):
    monkeypatch.delenv("COORDINATOR_SECRET", raising=False)
    at = open_page("coordinator").run()
    assert not at.exception
    assert any("not set up on this server" in w.value for w in at.warning)
    assert not at.dataframe


def test_coordinator_page_refuses_a_wrong_secret(db, monkeypatch):
    monkeypatch.setenv("COORDINATOR_SECRET", "right-secret")
    at = open_page("coordinator").run()
    at.text_input(key="coord_secret").input("wrong")
    at.get("form_submit_button")[0].click().run()
    assert any("That is not the coordinator secret" in e for e in errors(at))
    assert not at.dataframe


def test_coordinator_sees_status_chase_list_history_and_closes_a_round(db, monkeypatch):
    monkeypatch.setenv("COORDINATOR_SECRET", "right-secret")
    issue_code(db, ROUND, "Oxfordshire")  # a member of the round's group, invited, not yet submitted
    kent = db.current(ROUND, "Kent").model_copy(deep=True)
    kent.iro.caseload.text = "70"
    kent.iro.caseload.low = kent.iro.caseload.high = 70
    db.save(kent, based_on=1, channel="form", submitted_by="authority lead")
    at = open_page("coordinator").run()
    at.text_input(key="coord_secret").input("right-secret")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    status = next(d.value for d in at.dataframe if "State" in d.value.columns)
    assert status.loc[status["Authority"] == "Kent", "Version"].item() == 2
    assert status.loc[status["Authority"] == "Oxfordshire", "State"].item() == "invited"
    assert "Oxfordshire (invited)" in at.text_area(key="coord_chase_members").value
    at.selectbox(key="coord_authority").set_value("Kent").run()
    changes = next(d.value for d in at.dataframe if "Question" in d.value.columns)
    assert "IRO role: Case holding: highest figure" in set(changes["Question"])
    at.button(key="coord_toggle").click().run()
    assert not db.round_is_open(ROUND)
    assert any("is **closed**" in m.value for m in at.markdown)


def test_words_and_figures_that_disagree_are_confirmed_before_saving(db):
    at = unlocked(db)
    at.text_input(key="q:cp_chair.caseload.low").input("0").run()
    at.text_input(key="q:cp_chair.caseload.high").input("60").run()
    at.button(key="sub_preview").click().run()
    warnings = [w.value for w in at.warning]
    assert any("the answer reads as" in w and "0–60" in w for w in warnings), warnings
    assert at.button(key="sub_save").disabled
    at.checkbox(key="sub_confirm_form").check().run()
    at.button(key="sub_save").click().run()
    assert versions(db) == [1, 2]
    confirmed = db.current(ROUND, "Kent").provenance.confirmed
    assert len(confirmed) == 1 and "figures 0–60" in confirmed[0]


SIGN_IN = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-enough-length",
    "client_id": "dashboard",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def signed_in(store, email):
    store.add_domain("kent.gov.uk", "Kent", who="test set-up")
    store.add_domain("medway.gov.uk", "Medway", who="test set-up")
    at = open_page("submit")
    at.secrets["auth"] = SIGN_IN
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": "A Lead"}
    return at.run()


def test_a_signed_in_lead_opens_their_own_return_without_a_code_and_saves_in_their_name(db):
    at = signed_in(db, "lead@kent.gov.uk")
    assert not at.exception
    assert not [w for w in at.text_input if w.key == "sub_code"]  # no code asked for
    at.button(key="sub_open_own").click().run()
    assert any("Kent" in s.value for s in at.success)
    at.text_area(key="q:iro.expectations").input("Amended by the signed-in lead").run()
    at.button(key="sub_preview").click().run()
    at.button(key="sub_save").click().run()
    assert versions(db) == [1, 2]
    assert db.history(ROUND, "Kent")[-1].saved_by == "lead@kent.gov.uk"


def test_a_signed_in_member_is_offered_only_their_own_authority(db):
    at = signed_in(db, "member@medway.gov.uk")
    assert not at.exception
    labels = [b.label for b in at.button]
    assert "Open Medway's return" in labels and not any("Kent" in label for label in labels)
