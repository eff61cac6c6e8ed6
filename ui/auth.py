"""Sign-in on the pages: the one boundary between Streamlit's ``st.user`` and ``dashboard.identity``.

``current_who()`` reads ``st.user`` and the settings (environment, then
``.streamlit/secrets.toml``) into ``dashboard.identity`` and returns who this is
and what they may do; pages ask that, never ``st.user``. ``sign_in_gate()``
stops the run with a short page (what this is, and a Sign in button) for anyone
who may not see the data; ``sidebar_identity()`` shows the signed-in name, the
role and a Sign out button. ``acting()`` names the person in the audit log for
whatever a page saves or changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import streamlit as st

from dashboard import audit
from dashboard.identity import (
    Person,
    Settings,
    Who,
    gate,
    identify,
    may_coordinate,
    person_from_claims,
    settings_from,
)
from dashboard.safe_text import escape_markdown
from ui.data import get_store

REFUSAL_LOGGED = "auth_refusal_logged"
#: Set by the Coordinator page when the shared secret was accepted (deployments without sign-in).
SECRET_OK = "coord_ok"
PROVIDER_NAMES = {"microsoft": "Microsoft", "entra": "Microsoft", "google": "Google", "default": ""}


def _secrets() -> Mapping[str, Any]:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file: nothing is configured
        return {}


def settings() -> Settings:
    return settings_from(os.environ, _secrets())


def current_person() -> Person | None:
    """The signed-in person from ``st.user``'s claims, or None."""
    try:
        claims = st.user.to_dict()
    except Exception:  # no script context or no auth section
        return None
    return person_from_claims(claims)


def current_who() -> Who:
    """Who is looking at the page and what they may do (the store answers domains and coordinators)."""
    s = settings()
    person = current_person()
    if person is None or not s.auth_configured:
        return identify(person, s, _NoDirectory())
    return identify(person, s, get_store())


class _NoDirectory:
    def authority_for_domain(self, domain: str) -> str | None:
        return None

    def is_coordinator(self, email: str) -> bool:
        return False


def _sign_in_buttons(s: Settings, *, key: str, sidebar: bool = False) -> None:
    where = st.sidebar if sidebar else st
    for provider in s.providers:
        name = PROVIDER_NAMES.get(provider, provider.replace("-", " ").title())
        label = f"Sign in with {name}" if name and len(s.providers) > 1 else "Sign in"
        where.button(
            label,
            key=f"{key}_{provider}",
            type="primary",
            icon=":material/login:",
            on_click=st.login,
            args=() if provider == "default" else (provider,),
        )


def sign_in_gate() -> Who:
    """Return who this is if they may see the data; otherwise show why not and stop the run."""
    who = current_who()
    for problem in who.settings.problems:
        st.warning(problem, icon=":material/warning:")
    g = gate(who)
    if g is None:
        return who
    if who.signed_in and g.kind in ("not_linked", "email_not_verified"):
        _log_refusal(who, g.kind)
    st.title(g.title)
    st.markdown(escape_markdown(g.text))
    if g.offer_sign_in:
        _sign_in_buttons(who.settings, key="gate_sign_in")
    if g.offer_sign_out:
        st.button("Sign out", key="gate_sign_out", icon=":material/logout:", on_click=st.logout)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def _log_refusal(who: Who, kind: str) -> None:
    """One audit entry per session for a signed-in person who was turned away."""
    person = who.person
    name = who.email or (person.email if person else None) or "someone signed in"
    if st.session_state.get(REFUSAL_LOGGED) == name:
        return
    detail = (
        f"domain {person.domain} is not linked to an authority"
        if kind == "not_linked" and person
        else "the provider did not confirm the email address"
    )
    try:
        audit.record(get_store(), "sign_in_refused", who=name, detail=detail)
    finally:
        st.session_state[REFUSAL_LOGGED] = name


def sidebar_identity(who: Who) -> None:
    """The signed-in name and role, and Sign out; or Sign in where sign-in is set up."""
    if who.signed_in:
        st.sidebar.markdown(f"Signed in as **{escape_markdown(who.display_name)}**")
        st.sidebar.caption(escape_markdown(who.label))
        st.sidebar.button("Sign out", key="sidebar_sign_out", icon=":material/logout:", on_click=st.logout)
    elif who.settings.auth_configured:
        _sign_in_buttons(who.settings, key="sidebar_sign_in", sidebar=True)


def coordinator_allowed(who: Who) -> bool:
    """The Coordinator page: a signed-in coordinator, or the shared secret where there is no sign-in."""
    return may_coordinate(who, secret_accepted=bool(st.session_state.get(SECRET_OK)))


def actor_name(who: Who, *, unlocked_for: str | None = None) -> str | None:
    """How the audit log names what this person does: their email, else the code or secret they used."""
    if who.audit_name:
        return who.audit_name
    if unlocked_for:
        return audit.access_code_for(unlocked_for)
    if st.session_state.get(SECRET_OK):
        return audit.COORDINATOR_SECRET
    return None


@contextmanager
def acting(who: Who, *, unlocked_for: str | None = None) -> Iterator[None]:
    """Every save or change in this block is in the audit log under this person's name."""
    with audit.acting_as(actor_name(who, unlocked_for=unlocked_for)):
        yield
