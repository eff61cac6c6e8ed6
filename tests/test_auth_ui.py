"""The sign-in gate and the sidebar, with ``st.user`` faked at the one boundary (AppTest, no provider)."""

from __future__ import annotations

import html
import os

import pytest
from streamlit.testing.v1 import AppTest

from store import Store, audit
from tests.support.pages import open_page, open_script

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-enough-length",
    "client_id": "dashboard",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
DATA = "Every return: figures shown here"


def _script() -> None:
    import streamlit as st

    from ui.auth import sidebar_identity, sign_in_gate

    who = sign_in_gate()
    sidebar_identity(who)
    st.markdown("Every return: figures shown here")


@pytest.fixture(scope="module", autouse=True)
def _domains():
    store = Store(os.environ["DATABASE_URL"])
    store.add_domain("kent.gov.uk", "Kent", who="test set-up")
    store.add_domain("medway.gov.uk", "Medway", who="test set-up")
    store.add_coordinator("coord@seslip.example.org", who="test set-up")
    yield
    store.dispose()


def _run(view: str | None, user: dict | None, auth: bool = True) -> AppTest:
    at = open_script(_script)
    if view:
        at.secrets["VIEW_ACCESS"] = view
    if auth:
        at.secrets["auth"] = AUTH
    at.user = user if user is not None else {"is_logged_in": False}
    return at.run()


def _text(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [t.value for t in at.title] + [c.value for c in at.caption]
    )


def _signed_in(email: str, verified: bool = True) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": verified, "name": "A Person"}


def test_a_visitor_sees_only_what_this_is_and_sign_in():
    at = _run("members", None)
    assert not at.exception
    assert DATA not in _text(at)
    assert at.title[0].value == "Sign in to see the returns"
    assert [b.label for b in at.button] == ["Sign in"]


def test_members_only_without_sign_in_set_up_says_so_and_shows_nothing():
    at = _run("members", None, auth=False)
    assert DATA not in _text(at)
    assert at.title[0].value == "Sign-in is not set up"
    assert not at.button


def test_the_public_demo_shows_the_data_to_a_visitor():
    at = _run(None, None, auth=False)
    assert DATA in _text(at)


def test_a_lead_sees_the_data_and_their_role_and_can_sign_out():
    at = _run("members", _signed_in("lead@kent.gov.uk"))
    assert DATA in _text(at)
    assert at.sidebar.caption[0].value == "Lead for Kent"
    assert "Signed in as **A Person**" in at.sidebar.markdown[0].value
    assert [b.label for b in at.sidebar.button] == ["Sign out"]


def test_an_unlinked_account_is_told_so_and_the_refusal_is_logged_once():
    at = _run("members", _signed_in("someone@example.org"))
    assert DATA not in _text(at)
    shown = html.unescape(at.markdown[0].value).replace("\u2060", "")
    assert shown.startswith(
        "Your account (domain example.org) is not linked to any authority. Ask your group's"
    )
    assert [b.label for b in at.button] == ["Sign out"]
    at.run()
    store = Store(os.environ["DATABASE_URL"])
    refused = [
        e for e in audit.entries(store) if e.action == "sign_in_refused" and e.who == "someone@example.org"
    ]
    store.dispose()
    assert [e.detail for e in refused] == ["domain example.org is not linked to an authority"]


def test_an_unverified_email_is_not_trusted():
    at = _run("members", _signed_in("lead@kent.gov.uk", verified=False))
    assert DATA not in _text(at)
    assert at.title[0].value == "Your email address could not be checked"


def test_a_coordinator_sees_the_data_with_their_role():
    at = _run("members", _signed_in("coord@seslip.example.org"))
    assert DATA in _text(at)
    assert at.sidebar.caption[0].value == "Coordinator"


def _admin_script() -> None:
    from survey.identity import Person, Settings, identify
    from ui.auth import audit_log_section, domains_admin
    from ui.data import get_store

    store = get_store()
    settings = Settings(view_access="members", auth_configured=True, providers=("default",))
    who = identify(Person("coord@seslip.example.org", True), settings, store)
    domains_admin(store, who)
    audit_log_section(store)


def test_a_coordinator_links_a_domain_and_the_log_shows_it():
    at = open_script(_admin_script).run()
    assert not at.exception
    at.text_input(key="auth_domain").input("Surrey.gov.uk")
    at.selectbox(key="auth_domain_authority").select("Surrey")
    at.button[0].click().run()  # the form's submit button
    assert html.unescape(at.success[0].value) == "surrey.gov.uk is linked to Surrey."
    at.text_input(key="audit_who").input("coord@seslip").run()
    log = at.dataframe[-1].value
    assert log.iloc[0][["Who", "What", "Authority", "Detail"]].tolist() == [
        "coord@seslip.example.org",
        "Added an email domain",
        "Surrey",
        "surrey.gov.uk",
    ]


def test_a_bad_domain_on_the_page_gets_a_plain_message():
    at = open_script(_admin_script).run()
    at.text_input(key="auth_domain").input("surrey")
    at.selectbox(key="auth_domain_authority").select("Surrey")
    at.button[0].click().run()
    assert (
        html.unescape(at.error[0].value)
        .replace("\u2060", "")
        .startswith(
            "Domain: 'surrey' is not an email domain. Give the part after the @, for example kent.gov.uk."
        )
    )
    at.text_input(key="auth_coordinator_email").input("not an address")
    at.button(key="auth_coordinator_add").click().run()
    assert (
        html.unescape(at.error[0].value)
        .replace("\u2060", "")
        .startswith("Email: 'not an address' is not an email address.")
    )


@pytest.mark.parametrize(
    ("case", "user", "who", "title"),
    [
        (
            "an unverified claim of the coordinator's address",
            _signed_in("coord@seslip.example.org", verified=False),
            "unverified: coord@seslip.example.org",
            "Your email address could not be checked",
        ),
        (
            "an unverified claim holding a formula and escape codes",
            _signed_in('=HYPERLINK("http://x")\x1b[2J@example.org', verified=False),
            'unverified: =HYPERLINK("http://x")\\x1b[2J@example.org',
            "Your email address could not be checked",
        ),
        (
            "a verified address starting with the Kelvin sign",
            _signed_in("\u212aate@seslip.example.org"),
            "unverified: \u212aate@seslip.example.org",
            "Your email address cannot be used to sign in",
        ),
    ],
)
def test_a_refused_sign_in_is_logged_as_unverified_and_kept_apart(case, user, who, title):
    at = _run("members", user)
    assert DATA not in _text(at)
    assert at.title[0].value == title
    store = Store(os.environ["DATABASE_URL"])
    refused = [e.who for e in audit.entries(store) if e.action == "sign_in_refused"]
    store.dispose()
    assert who in refused
    assert "coord@seslip.example.org" not in refused  # never written as the coordinator's own name


def test_a_signed_in_member_refused_the_coordinator_page_is_logged():
    at = open_page("coordinator")
    at.secrets["VIEW_ACCESS"] = "members"
    at.secrets["auth"] = AUTH
    at.user = _signed_in("lead@kent.gov.uk")
    at.run()
    assert not at.exception
    assert any("Sign in with a coordinator's account" in w.value for w in at.warning)
    store = Store(os.environ["DATABASE_URL"])
    refused = [(e.who, e.detail) for e in audit.entries(store) if e.action == "page_refused"]
    store.dispose()
    assert ("lead@kent.gov.uk", "the Coordinator page") in refused
