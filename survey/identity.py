"""Who is this, and what may they do? The one place that decides.

Input: a ``Person`` read from the sign-in (``ui/auth.py`` builds it from
``st.user``) or None, the ``Settings`` (``VIEW_ACCESS``, whether sign-in is set
up, the coordinator secret), and the store's email domains and coordinators.
Output: a ``Who`` with its roles, and the questions pages ask:
``may_view``, ``may_submit``, ``authorities_for``, ``is_coordinator``,
``may_use_coordinator_secret``, and ``gate`` (what to say to someone who may
not see the data).

Roles:

* visitor: anyone, signed in or not. Sees the data only if VIEW_ACCESS is public.
* member: signed in, with an email domain linked to an authority. Sees the comparisons.
* lead: a member, for their own authority only. Submits or amends its return without a code.
* coordinator: a named email. Sees the data; runs rounds, issues codes, manages domains.

The email address counts only when the provider says it is verified
(``email_verified``, or Entra ID's ``xms_edov``), or when the provider is listed
in ``TRUSTED_EMAIL_PROVIDERS`` because the organisation guarantees its
addresses (a single-tenant Entra ID whose users cannot set their own email).
An untrusted email makes a signed-in person a visitor.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from config import settings as config_settings
from models.names import InvalidInputError, authority_key, normalise_domain, normalise_email

PUBLIC = "public"
MEMBERS = "members"


class Role(enum.StrEnum):
    visitor = "visitor"
    member = "member"
    lead = "lead"
    coordinator = "coordinator"


class Directory(Protocol):
    """What identity needs from the store (``store.Store`` has both)."""

    def authority_for_domain(self, domain: str) -> str | None: ...

    def is_coordinator(self, email: str) -> bool: ...


@dataclass(frozen=True)
class Person:
    """Someone as the sign-in provider describes them (claims of the ID token)."""

    email: str | None
    email_verified: bool = False
    signed_in: bool = True
    name: str | None = None
    #: The ``[auth]`` provider they signed in with ("default", "microsoft", "google").
    provider: str | None = None

    @property
    def domain(self) -> str | None:
        """The domain of the claimed address, as compared (None if it is not a usable domain)."""
        if not self.email or "@" not in self.email:
            return None
        try:
            return normalise_domain(self.email.rpartition("@")[2])
        except InvalidInputError:
            return None


def _truthy(value: Any) -> bool:
    """A claim or setting that means yes: True, "true", "1", "yes" (any case)."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def person_from_claims(claims: Mapping[str, Any] | None) -> Person | None:
    """A ``Person`` from ``st.user``'s claims; None when nobody is signed in."""
    if not claims or not _truthy(claims.get("is_logged_in", False)):
        return None
    email = claims.get("email")
    verified = _truthy(claims.get("email_verified", False)) or _truthy(claims.get("xms_edov", False))
    name = claims.get("name") or claims.get("given_name") or None
    return Person(
        email=str(email) if email else None,
        email_verified=verified,
        signed_in=True,
        name=str(name) if name else None,
        provider=str(claims.get("provider")) if claims.get("provider") else None,
    )


@dataclass(frozen=True)
class Settings:
    view_access: str = PUBLIC
    auth_configured: bool = False
    #: The ``[auth]`` providers a person may choose ("default" for a single unnamed one).
    providers: tuple[str, ...] = ()
    coordinator_secret_set: bool = False
    trusted_email_providers: frozenset[str] = frozenset()
    #: Who to ask to link a domain ("the coordinator" unless COORDINATOR_CONTACT is set).
    contact: str = "your group's coordinator"
    problems: tuple[str, ...] = field(default=())

    @property
    def members_only(self) -> bool:
        return self.view_access != PUBLIC


_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


def auth_providers(auth: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The providers an ``[auth]`` section sets up completely; () if it is missing or incomplete."""
    if not auth or not all(auth.get(k) for k in ("redirect_uri", "cookie_secret")):
        return ()
    found = []
    if all(auth.get(k) for k in _PROVIDER_KEYS):
        found.append("default")
    for name, section in auth.items():
        if isinstance(section, Mapping) and all(section.get(k) for k in _PROVIDER_KEYS):
            found.append(str(name))
    return tuple(found)


def settings_from(env: Mapping[str, str], secrets: Mapping[str, Any]) -> Settings:
    """The settings from the environment, then Streamlit secrets (the environment wins).

    ``VIEW_ACCESS`` other than "public" or "members" counts as "members" (shut, not open)
    and is reported in ``problems``.
    """

    def get(name: str) -> Any:
        return config_settings.get(name, env=env, secret_values=secrets)

    problems = []
    raw = str(get("VIEW_ACCESS") or PUBLIC).strip().lower()
    if raw not in (PUBLIC, MEMBERS):
        problems.append(
            f'VIEW_ACCESS is "{raw}", which is neither "public" nor "members": the data is shown '
            "to signed-in members only until it is corrected."
        )
        raw = MEMBERS
    trusted = get("TRUSTED_EMAIL_PROVIDERS") or ()
    if isinstance(trusted, str):
        trusted = [t for t in trusted.replace(",", " ").split() if t]
    providers = auth_providers(config_settings.auth_section(secrets))
    contact = str(get("COORDINATOR_CONTACT") or "").strip()
    return Settings(
        view_access=raw,
        auth_configured=bool(providers),
        providers=providers,
        coordinator_secret_set=bool(str(get("COORDINATOR_SECRET") or "").strip()),
        trusted_email_providers=frozenset(str(t).strip().lower() for t in trusted),
        contact=f"the coordinator ({contact})" if contact else Settings.contact,
        problems=tuple(problems),
    )


@dataclass(frozen=True)
class Who:
    person: Person | None
    settings: Settings
    roles: frozenset[Role]
    #: The email address, if the provider vouches for it (lower case).
    email: str | None = None
    #: The authority their email domain is linked to.
    authority: str | None = None
    #: Why a verified address cannot be used (not plain ASCII, a look-alike domain), for the gate.
    email_problem: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.person is not None and self.person.signed_in

    @property
    def role(self) -> Role:
        for role in (Role.coordinator, Role.lead, Role.member):
            if role in self.roles:
                return role
        return Role.visitor

    @property
    def label(self) -> str:
        """The role as the sidebar shows it."""
        parts = []
        if Role.coordinator in self.roles:
            parts.append("Coordinator")
        if Role.lead in self.roles:
            parts.append(f"Lead for {self.authority}")
        if parts:
            return "; ".join(parts)
        return "Signed in, not linked to an authority" if self.signed_in else "Visitor"

    @property
    def display_name(self) -> str:
        if self.person is None:
            return "Not signed in"
        return self.person.name or self.person.email or "Signed in"

    @property
    def audit_name(self) -> str | None:
        """How the audit log names them: their email, if it can be trusted."""
        return self.email


def email_trusted(person: Person, settings: Settings) -> bool:
    if not person.email:
        return False
    provider = (person.provider or "default").lower()
    return person.email_verified or provider in settings.trusted_email_providers


def identify(person: Person | None, settings: Settings, directory: Directory) -> Who:
    """Work out someone's roles. ``directory`` is asked only about a trusted email."""
    if person is None or not person.signed_in:
        return Who(person=None, settings=settings, roles=frozenset({Role.visitor}))
    roles = {Role.visitor}
    email = None
    authority = None
    problem = None
    if settings.auth_configured and email_trusted(person, settings):
        try:
            email = normalise_email(person.email or "")
        except InvalidInputError as exc:
            email, problem = None, str(exc)
    if email is not None:
        authority = directory.authority_for_domain(email.rpartition("@")[2])
        if authority is not None:
            roles |= {Role.member, Role.lead}
        if directory.is_coordinator(email):
            roles.add(Role.coordinator)
    return Who(
        person=person,
        settings=settings,
        roles=frozenset(roles),
        email=email,
        authority=authority,
        email_problem=problem,
    )


def may_view(who: Who) -> bool:
    """May they see returns, figures and downloads?"""
    if not who.settings.members_only:
        return True
    if not who.settings.auth_configured:
        return False
    return bool(who.roles & {Role.member, Role.coordinator})


def may_submit(who: Who, authority: str) -> bool:
    """May they submit or amend ``authority``'s return without an access code?"""
    return (
        Role.lead in who.roles
        and who.authority is not None
        and authority_key(who.authority) == authority_key(authority)
    )


def authorities_for(who: Who) -> list[str]:
    """The authorities whose return they may submit without a code (their own, or none)."""
    return [who.authority] if Role.lead in who.roles and who.authority else []


def is_coordinator(who: Who) -> bool:
    return Role.coordinator in who.roles


def may_use_coordinator_secret(settings: Settings) -> bool:
    """The shared secret opens the Coordinator page only where sign-in is not set up."""
    return settings.coordinator_secret_set and not settings.auth_configured


def may_coordinate(who: Who, *, secret_accepted: bool = False) -> bool:
    """May they use the Coordinator page? A signed-in coordinator, or the secret without sign-in."""
    return is_coordinator(who) or (secret_accepted and may_use_coordinator_secret(who.settings))


@dataclass(frozen=True)
class Gate:
    """What to show someone who may not see the data: a title, plain text, and whether to offer sign-in."""

    kind: str
    title: str
    text: str
    offer_sign_in: bool = False
    offer_sign_out: bool = False


ABOUT = (
    "This dashboard lets the authorities of a benchmarking group compare how they organise "
    "Independent Reviewing Officers and child protection chairs, and submit their own returns. "
    "The returns are shared only within the group."
)


def gate(who: Who) -> Gate | None:
    """None if they may view; otherwise what to tell them (never any data)."""
    if may_view(who):
        return None
    s = who.settings
    if not s.auth_configured:
        return Gate(
            "sign_in_not_set_up",
            "Sign-in is not set up",
            "This server shows its data to signed-in members only, but sign-in has not been set up, "
            "so nothing can be shown. Whoever runs the server needs to add the [auth] section to "
            ".streamlit/secrets.toml (see the README), or set VIEW_ACCESS to public.",
        )
    if not who.signed_in:
        return Gate(
            "not_signed_in",
            "Sign in to see the returns",
            f"{ABOUT} Sign in with your council account to see them.",
            offer_sign_in=True,
        )
    person = who.person
    assert person is not None
    if who.email is None and who.email_problem:
        return Gate(
            "email_not_usable",
            "Your email address cannot be used to sign in",
            f"Your account's provider confirmed your address, but it cannot be matched to an authority. "
            f"{who.email_problem} Sign in with your council account, or ask {s.contact}.",
            offer_sign_out=True,
        )
    if who.email is None:
        return Gate(
            "email_not_verified",
            "Your email address could not be checked",
            "You are signed in, but your account's provider did not confirm your email address, so it "
            f"cannot be matched to an authority. Sign in with your council account, or ask {s.contact}.",
            offer_sign_out=True,
        )
    return Gate(
        "not_linked",
        "Your account is not linked to an authority",
        f"Your account (domain {person.domain or 'unknown'}) is not linked to any authority. Ask {s.contact} "
        f"to link your council's email domain, or sign in with your council account.",
        offer_sign_out=True,
    )
