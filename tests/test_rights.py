"""Rights checked at the moment they are used, in the transaction that uses them.

A lead opens the form (with their council sign-in, or an access code); then the coordinator moves
or unlinks the council's domain, revokes or replaces the code, or closes the round. The save is
refused with a plain message, nothing is saved, and the refusal is in the audit log. The same for
a coordinator removed while their page is open. Each row: (what happens after the form was
opened, the start of the message).
"""

from __future__ import annotations

import pytest

from store import audit, open_store, rights
from store.access import issue_code, revoke_code, verify_code
from store.rights import RightsError
from survey import submit_flow as flow
from tests.support.pages import open_page, unlock_with_code

ROUND = "seslip-qa-june"
LEAD = "lead@kent.gov.uk"
COORD = "coord@seslip.example.org"


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    s = open_store(url)
    s.add_domain("kent.gov.uk", "Kent", who="test set-up")
    s.add_coordinator(COORD, who="test set-up")
    yield s
    s.dispose()


def _versions(store, authority="Kent"):
    return [v.version for v in store.history(ROUND, authority)]


def _amended(store, authority="Kent"):
    ret = store.current(ROUND, authority).model_copy(deep=True)
    ret.iro.expectations = "Amended after the form was opened."
    return ret


def _as_coordinator(fn):
    with audit.acting_as(rights.signed_in(COORD)):
        fn()


# (case, opened with, what the coordinator does meanwhile, the start of the message)
AFTER_OPENING = [
    (
        "domain unlinked",
        "sign-in",
        lambda s: s.remove_domain("kent.gov.uk"),
        "Save: your email domain kent.gov.uk is no longer linked to Kent",
    ),
    (
        "domain moved to another authority",
        "sign-in",
        lambda s: (s.remove_domain("kent.gov.uk"), s.add_domain("kent.gov.uk", "Medway")),
        "Save: your email domain kent.gov.uk is now linked to Medway, not Kent",
    ),
    (
        "code revoked",
        "code",
        lambda s: revoke_code(s, ROUND, "Kent"),
        "Save: the access code this form was unlocked with is no longer Kent's code for this round",
    ),
    (
        "a new code issued (the old one ends)",
        "code",
        lambda s: issue_code(s, ROUND, "Kent"),
        "Save: the access code this form was unlocked with is no longer Kent's code for this round",
    ),
    (
        "round closed",
        "code",
        lambda s: s.set_round_open(ROUND, False),
        "The round 'SESLIP QA Sub Group – June Meeting: The role of IROs and CP chairs' is closed",
    ),
]


@pytest.mark.parametrize(
    ("case", "opened", "meanwhile", "message"), AFTER_OPENING, ids=[c[0] for c in AFTER_OPENING]
)
def test_a_right_taken_away_after_the_form_was_opened_refuses_the_save(
    store, case, opened, meanwhile, message
):
    state = flow.SubmitState()
    if opened == "sign-in":
        assert flow.unlock_as_lead(store, state, ROUND, "Kent").ok
        who = rights.signed_in(LEAD)
    else:
        code = issue_code(store, ROUND, "Kent", who="test set-up")
        assert flow.unlock(store, state, ROUND, "Kent", code).ok
        who = rights.by_code(*state.code)
    _as_coordinator(lambda: meanwhile(store))
    outcome = flow.save(store, state, _amended(store), "form", "June", who=who)
    assert not outcome.ok
    assert outcome.message.startswith(message), outcome.message
    assert "not been saved" in outcome.message
    assert _versions(store) == [1]  # nothing saved
    refused = [e for e in audit.entries(store) if e.action == "save_refused"]
    assert [(e.who, e.authority) for e in refused] == [(who.audit_name, "Kent")]


def test_with_the_right_still_in_place_the_same_saves_land(store):
    state = flow.SubmitState()
    assert flow.unlock_as_lead(store, state, ROUND, "Kent").ok
    assert flow.save(store, state, _amended(store), "form", "June", who=rights.signed_in(LEAD)).ok
    code = issue_code(store, ROUND, "Kent", who="test set-up")
    state = flow.SubmitState()
    assert flow.unlock(store, state, ROUND, "Kent", code).ok
    assert flow.save(store, state, _amended(store), "form", "June", who=rights.by_code(*state.code)).ok
    assert _versions(store) == [1, 2, 3]
    assert [v.saved_by for v in store.history(ROUND, "Kent")][1:] == [LEAD, "access code for Kent"]


@pytest.mark.parametrize(
    ("case", "who", "message"),
    [
        (
            "a lead of an authority outside the round's group",
            rights.signed_in("lead@cornwall.gov.uk"),
            "Authority: 'Cornwall' is not a member of the group 'south-east' of round 'seslip-qa-june'",
        ),
        ("someone unverified", rights.unverified("kate@example.org"), "Save: only Kent's lead may save"),
        ("the coordinator secret", rights.COORDINATOR_SECRET, "Save: only Kent's lead may save"),
    ],
)
def test_only_a_member_s_own_lead_or_code_may_save(store, case, who, message):
    store.add_domain("cornwall.gov.uk", "Cornwall", who="test set-up")
    authority = "Cornwall" if "outside" in case else "Kent"
    ret = _amended(store).model_copy(update={"authority": authority})
    with pytest.raises(Exception) as exc:
        store.save(
            ret, based_on=None if authority == "Cornwall" else 1, channel="form", submitted_by="x", who=who
        )
    assert str(exc.value).startswith(message), str(exc.value)
    assert _versions(store, authority) == ([] if authority == "Cornwall" else [1])


def test_a_round_of_published_documents_never_takes_a_return(store):
    store.set_round_open("published-service-descriptions", True, who="test set-up")
    ret = _amended(store).model_copy(update={"round": "published-service-descriptions"})
    with pytest.raises(Exception, match="holds published documents, not questionnaire returns"):
        store.save(ret, based_on=None, channel="form", submitted_by="x", who=rights.signed_in(LEAD))


# (case, what the removed coordinator tries, the start of the message)
COORDINATING = [
    (
        "issue a code",
        lambda s: issue_code(s, ROUND, "Kent"),
        "coord@seslip.example.org is no longer a coordinator",
    ),
    (
        "revoke a code",
        lambda s: revoke_code(s, ROUND, "Kent"),
        "coord@seslip.example.org is no longer a coordinator",
    ),
    ("close the round", lambda s: s.set_round_open(ROUND, False), "coord@seslip.example.org is no longer"),
    (
        "link a domain",
        lambda s: s.add_domain("medway.gov.uk", "Medway"),
        "coord@seslip.example.org is no longer",
    ),
    ("unlink a domain", lambda s: s.remove_domain("kent.gov.uk"), "coord@seslip.example.org is no longer"),
    (
        "name a coordinator",
        lambda s: s.add_coordinator("x@example.org"),
        "coord@seslip.example.org is no longer",
    ),
]


@pytest.mark.parametrize(("case", "action", "message"), COORDINATING, ids=[c[0] for c in COORDINATING])
def test_a_coordinator_removed_meanwhile_can_no_longer_act(store, case, action, message):
    code = issue_code(store, ROUND, "Kent", who="test set-up")
    store.remove_coordinator(COORD, who="another coordinator")
    before = (store.domains(), store.coordinators(), store.round_is_open(ROUND))
    with audit.acting_as(rights.signed_in(COORD)), pytest.raises(RightsError) as exc:
        action(store)
    assert str(exc.value).startswith(message)
    assert (store.domains(), store.coordinators(), store.round_is_open(ROUND)) == before
    verify_code(store, ROUND, "Kent", code)  # the code still works: nothing was changed
    last = audit.entries(store)[-1]
    assert (last.action, last.who) == ("action_refused", COORD)
    assert last.detail.startswith(message)


def test_someone_unverified_cannot_coordinate(store):
    with audit.acting_as(rights.unverified("coord@seslip.example.org")), pytest.raises(RightsError) as exc:
        issue_code(store, ROUND, "Kent")
    assert str(exc.value) == "Only a coordinator may issue a code to Kent; nothing was changed."


def test_the_submit_page_refuses_a_save_after_the_code_is_revoked(store):
    """In the page: the lead unlocked with a code, the coordinator revoked it, the lead presses Save."""
    code = issue_code(store, ROUND, "Kent", who="test set-up")
    at = unlock_with_code(open_page("submit").run(), "Kent", code)
    at.text_area(key="q:iro.expectations").input("Amended after the code was revoked.").run()
    at.button(key="sub_preview").click().run()
    revoke_code(store, ROUND, "Kent", who="test set-up")
    at.button(key="sub_save").click().run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "no longer Kent&#39;s code for this round" in shown or "no longer Kent's code" in shown
    assert _versions(store) == [1]
    # What was typed is still there.
    assert at.text_area(key="q:iro.expectations").value == "Amended after the code was revoked."
