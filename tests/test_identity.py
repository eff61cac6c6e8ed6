"""Who is this and what may they do: the role rules, as a table."""

from __future__ import annotations

from typing import ClassVar

import pytest

from survey.identity import (
    Person,
    Role,
    Settings,
    authorities_for,
    gate,
    identify,
    is_coordinator,
    may_coordinate,
    may_submit,
    may_use_coordinator_secret,
    may_view,
    person_from_claims,
    settings_from,
)


class FakeDirectory:
    """Two linked domains and one coordinator, as a store would hold them."""

    domains: ClassVar[dict[str, str]] = {"kent.gov.uk": "Kent", "medway.gov.uk": "Medway"}
    coordinators: ClassVar[set[str]] = {"coord@seslip.example.org"}

    def authority_for_domain(self, domain: str) -> str | None:
        return self.domains.get(domain.lower())

    def is_coordinator(self, email: str) -> bool:
        return email.lower() in self.coordinators


PUBLIC = Settings(view_access="public", auth_configured=True, providers=("default",))
MEMBERS = Settings(view_access="members", auth_configured=True, providers=("default",))
MEMBERS_NO_AUTH = Settings(view_access="members", auth_configured=False)
PUBLIC_NO_AUTH = Settings(view_access="public", auth_configured=False, coordinator_secret_set=True)
TRUST_MICROSOFT = Settings(
    view_access="members",
    auth_configured=True,
    providers=("microsoft", "google"),
    trusted_email_providers=frozenset({"microsoft"}),
)


def signed_in(email: str | None, verified: bool = True, provider: str = "default") -> Person:
    return Person(email=email, email_verified=verified, provider=provider, name="A Person")


# (case, person, settings, role, may view, may submit Kent, may submit Medway, coordinator, gate kind)
CASES = [
    ("visitor, public", None, PUBLIC, Role.visitor, True, False, False, False, None),
    ("visitor, members only", None, MEMBERS, Role.visitor, False, False, False, False, "not_signed_in"),
    (
        "visitor, members, no sign-in",
        None,
        MEMBERS_NO_AUTH,
        Role.visitor,
        False,
        False,
        False,
        False,
        "sign_in_not_set_up",
    ),
    ("Kent lead", signed_in("lead@kent.gov.uk"), MEMBERS, Role.lead, True, True, False, False, None),
    (
        "Kent lead, any case",
        signed_in("Lead@KENT.gov.uk"),
        MEMBERS,
        Role.lead,
        True,
        True,
        False,
        False,
        None,
    ),
    ("Medway member", signed_in("member@medway.gov.uk"), MEMBERS, Role.lead, True, False, True, False, None),
    (
        "not linked",
        signed_in("someone@example.org"),
        MEMBERS,
        Role.visitor,
        False,
        False,
        False,
        False,
        "not_linked",
    ),
    (
        "not linked, public",
        signed_in("someone@example.org"),
        PUBLIC,
        Role.visitor,
        True,
        False,
        False,
        False,
        None,
    ),
    (
        "subdomain is not the domain",
        signed_in("x@mail.kent.gov.uk"),
        MEMBERS,
        Role.visitor,
        False,
        False,
        False,
        False,
        "not_linked",
    ),
    (
        "look-alike domain",
        signed_in("x@kent.gov.uk.evil.example"),
        MEMBERS,
        Role.visitor,
        False,
        False,
        False,
        False,
        "not_linked",
    ),
    (
        "unverified email",
        signed_in("lead@kent.gov.uk", verified=False),
        MEMBERS,
        Role.visitor,
        False,
        False,
        False,
        False,
        "email_not_verified",
    ),
    (
        "no email claim",
        signed_in(None),
        MEMBERS,
        Role.visitor,
        False,
        False,
        False,
        False,
        "email_not_verified",
    ),
    (
        "coordinator",
        signed_in("coord@seslip.example.org"),
        MEMBERS,
        Role.coordinator,
        True,
        False,
        False,
        True,
        None,
    ),
    (
        "unverified coordinator",
        signed_in("coord@seslip.example.org", verified=False),
        MEMBERS,
        Role.visitor,
        False,
        False,
        False,
        False,
        "email_not_verified",
    ),
    (
        "trusted provider, no email_verified",
        signed_in("lead@kent.gov.uk", False, "microsoft"),
        TRUST_MICROSOFT,
        Role.lead,
        True,
        True,
        False,
        False,
        None,
    ),
    (
        "untrusted provider, no email_verified",
        signed_in("lead@kent.gov.uk", False, "google"),
        TRUST_MICROSOFT,
        Role.visitor,
        False,
        False,
        False,
        False,
        "email_not_verified",
    ),
    (
        "signed in but sign-in since removed",
        signed_in("lead@kent.gov.uk"),
        MEMBERS_NO_AUTH,
        Role.visitor,
        False,
        False,
        False,
        False,
        "sign_in_not_set_up",
    ),
]


@pytest.mark.parametrize(
    ("person", "settings", "role", "view", "kent", "medway", "coordinator", "gate_kind"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_role_rules(person, settings, role, view, kent, medway, coordinator, gate_kind):
    who = identify(person, settings, FakeDirectory())
    assert who.role == role
    assert may_view(who) is view
    assert may_submit(who, "Kent") is kent
    assert may_submit(who, " kent ") is kent
    assert may_submit(who, "Medway") is medway
    assert is_coordinator(who) is coordinator
    assert may_coordinate(who) is coordinator
    g = gate(who)
    assert (g.kind if g else None) == gate_kind
    assert authorities_for(who) == (["Kent"] if kent else ["Medway"] if medway else [])


def test_a_lead_is_a_member_and_the_sidebar_says_for_which_authority():
    who = identify(signed_in("lead@kent.gov.uk"), MEMBERS, FakeDirectory())
    assert who.roles == {Role.visitor, Role.member, Role.lead}
    assert who.label == "Lead for Kent"
    assert who.audit_name == "lead@kent.gov.uk"


def test_a_coordinator_at_a_linked_domain_is_also_its_lead():
    class Dir(FakeDirectory):
        coordinators: ClassVar[set[str]] = {"boss@kent.gov.uk"}

    who = identify(signed_in("boss@kent.gov.uk"), MEMBERS, Dir())
    assert who.label == "Coordinator; Lead for Kent"
    assert may_submit(who, "Kent") and not may_submit(who, "Medway")


def test_the_not_linked_message_names_the_domain_and_who_to_ask():
    settings = settings_from(
        {"VIEW_ACCESS": "members", "COORDINATOR_CONTACT": "qa@seslip.example.org"},
        {
            "auth": {
                "redirect_uri": "http://x/oauth2callback",
                "cookie_secret": "s",
                "client_id": "c",
                "client_secret": "s",
                "server_metadata_url": "http://x/.well-known/openid-configuration",
            }
        },
    )
    g = gate(identify(signed_in("someone@example.org"), settings, FakeDirectory()))
    assert g.text.startswith(
        "Your account (domain example.org) is not linked to any authority. "
        "Ask the coordinator (qa@seslip.example.org) to link"
    )
    assert g.offer_sign_out and not g.offer_sign_in


def test_the_visitor_page_offers_sign_in_and_says_what_this_is():
    g = gate(identify(None, MEMBERS, FakeDirectory()))
    assert g.offer_sign_in
    assert "compare how they organise" in g.text


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration",
}


@pytest.mark.parametrize(
    ("env", "secrets", "view", "auth", "providers", "secret_ok", "problem"),
    [
        pytest.param({}, {}, "public", False, (), False, False, id="nothing set: public demo"),
        pytest.param(
            {"VIEW_ACCESS": "members"}, {}, "members", False, (), False, False, id="members, no auth"
        ),
        pytest.param(
            {},
            {"VIEW_ACCESS": "members", "auth": AUTH},
            "members",
            True,
            ("default",),
            False,
            False,
            id="from secrets",
        ),
        pytest.param(
            {"VIEW_ACCESS": "public"},
            {"VIEW_ACCESS": "members"},
            "public",
            False,
            (),
            False,
            False,
            id="environment wins",
        ),
        pytest.param(
            {"VIEW_ACCESS": "member"}, {}, "members", False, (), False, True, id="typo shuts, not opens"
        ),
        pytest.param(
            {"COORDINATOR_SECRET": "s3"}, {}, "public", False, (), True, False, id="secret without auth"
        ),
        pytest.param(
            {"COORDINATOR_SECRET": "s3"},
            {"auth": AUTH},
            "public",
            True,
            ("default",),
            False,
            False,
            id="secret ignored once sign-in is set up",
        ),
        pytest.param(
            {},
            {"auth": {**AUTH, "client_id": ""}},
            "public",
            False,
            (),
            False,
            False,
            id="incomplete auth is not set up",
        ),
        pytest.param(
            {},
            {
                "auth": {
                    "redirect_uri": AUTH["redirect_uri"],
                    "cookie_secret": "x",
                    "microsoft": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")},
                    "google": {
                        "client_id": "g",
                        "client_secret": "g",
                        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
                    },
                }
            },
            "public",
            True,
            ("microsoft", "google"),
            False,
            False,
            id="two providers",
        ),
    ],
)
def test_settings(env, secrets, view, auth, providers, secret_ok, problem):
    s = settings_from(env, secrets)
    assert s.view_access == view
    assert s.auth_configured is auth
    assert s.providers == providers
    assert may_use_coordinator_secret(s) is secret_ok
    assert bool(s.problems) is problem


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        pytest.param({}, None, id="no claims"),
        pytest.param({"is_logged_in": False}, None, id="logged out"),
        pytest.param(
            {
                "is_logged_in": True,
                "email": "a@kent.gov.uk",
                "email_verified": True,
                "name": "A",
                "provider": "google",
            },
            Person("a@kent.gov.uk", True, True, "A", "google"),
            id="google",
        ),
        pytest.param(
            {"is_logged_in": True, "email": "a@kent.gov.uk", "xms_edov": "1", "provider": "microsoft"},
            Person("a@kent.gov.uk", True, True, None, "microsoft"),
            id="entra domain-owner verified",
        ),
        pytest.param(
            {"is_logged_in": True, "email": "a@kent.gov.uk", "email_verified": "false"},
            Person("a@kent.gov.uk", False, True, None, None),
            id="string false",
        ),
    ],
)
def test_person_from_claims(claims, expected):
    assert person_from_claims(claims) == expected


@pytest.mark.parametrize("trusted", [["microsoft"], "microsoft", "Microsoft, google"])
def test_trusted_email_providers_may_be_a_list_or_text(trusted):
    s = settings_from({}, {"VIEW_ACCESS": "members", "auth": AUTH, "TRUSTED_EMAIL_PROVIDERS": trusted})
    who = identify(signed_in("lead@kent.gov.uk", verified=False, provider="microsoft"), s, FakeDirectory())
    assert may_submit(who, "Kent")
    assert not may_submit(identify(signed_in("lead@kent.gov.uk", False, "okta"), s, FakeDirectory()), "Kent")
