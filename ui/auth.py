"""Sign-in on the pages: the one boundary between Streamlit's ``st.user`` and ``survey.identity``.

``current_who()`` reads ``st.user`` and the settings (environment, then
``.streamlit/secrets.toml``) into ``survey.identity`` and returns who this is
and what they may do; pages ask that, never ``st.user``. ``sign_in_gate()``
stops the run with a short page (what this is, and a Sign in button) for anyone
who may not see the data; ``sidebar_identity()`` shows the signed-in name, the
role and a Sign out button. ``acting()`` names the person in the audit log for
whatever a page saves or changes.

Wiring (the pages ask this module; none reads ``st.user``)::

    # app.py, after st.set_page_config(...), before PAGES:
    from ui.auth import sidebar_identity, sign_in_gate
    who = sign_in_gate()      # members only: visitors get the sign-in page and the run stops
    sidebar_identity(who)

    # pages/submit.py: a lead needs no code, and only their authority is offered
    from survey.identity import authorities_for, may_submit
    from ui.auth import acting, current_who
    who = current_who()
    own = authorities_for(who)            # ["Kent"] for lead@kent.gov.uk, [] otherwise
    ...                                   # if own: unlock own[0] without the code form
    with acting(who):                     # refused codes are logged under their name
        code_id = verify_code(...)
    with acting(who, code=(authority, round_id, code_id)):   # "access code for Kent"
        saved = store.save(...)           # the code (or the lead's domain) re-checked in the save
    # before saving: may_submit(who, authority) or the code was accepted this session

    # pages/coordinator.py
    from survey.identity import may_use_coordinator_secret
    from ui.auth import acting, audit_log_section, coordinator_allowed, current_who, domains_admin
    who = current_who()
    if not coordinator_allowed(who): secret form only if may_use_coordinator_secret(who.settings),
        else "sign in as a coordinator"; a wrong secret is logged as "secret_refused"
    with acting(who): everything the page does (each right re-checked where it is used)
    version history: a "Saved by" column from VersionInfo.saved_by
    domains_admin(store, who); audit_log_section(store)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from config import settings as config_settings
from exports.csv_files import frame_to_csv
from models.names import InvalidInputError, PlainError, normalise_domain, normalise_email
from models.safe_text import escape_markdown
from store import audit, rights
from store.rights import Actor
from survey.identity import (
    Person,
    Settings,
    Who,
    gate,
    identify,
    may_coordinate,
    may_use_coordinator_secret,
    person_from_claims,
    settings_from,
)
from ui.data import get_store
from ui.request import client_source

REFUSAL_LOGGED = "auth_refusal_logged"
#: Set by the Coordinator page when the shared secret was accepted (deployments without sign-in).
SECRET_OK = "coord_ok"
PROVIDER_NAMES = {"microsoft": "Microsoft", "entra": "Microsoft", "google": "Google", "default": ""}


def settings() -> Settings:
    return settings_from(config_settings.environment(), config_settings.secrets())


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
    if g.kind in ("not_signed_in", "sign_in_not_set_up") and _published_for_visitors():
        return who  # a round is published: visitors see it (and only it: survey.visibility)
    if who.signed_in and g.kind in ("not_linked", "email_not_verified", "email_not_usable"):
        _log_refusal(who, g.kind)
    st.title(g.title)
    st.markdown(escape_markdown(g.text))
    if g.offer_sign_in:
        _sign_in_buttons(who.settings, key="gate_sign_in")
    if g.offer_sign_out:
        st.button("Sign out", key="gate_sign_out", icon=":material/logout:", on_click=st.logout)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def _published_for_visitors() -> bool:
    """Whether any round is published, so a visitor has something to see where the data is members' only."""
    import ui.data
    from models.uktime import uk_today
    from survey import visibility

    ds = ui.data.current_dataset(notice=False)
    return visibility.any_questionnaire_shown(ds, visibility.VISITOR, uk_today())


def claimed_name(who: Who) -> Actor:
    """Someone turned away or not yet verified, as the audit log names them: their verified email,
    else "unverified: " and the address they claimed (or their browser session)."""
    if who.email:
        return rights.signed_in(who.email)
    person = who.person
    return rights.unverified(person.email if person and person.email else client_source())


def _log_refusal(who: Who, kind: str) -> None:
    """One audit entry per session for a signed-in person who was turned away."""
    person = who.person
    name = claimed_name(who)
    if st.session_state.get(REFUSAL_LOGGED) == name.audit_name:
        return
    if kind == "not_linked" and person:
        detail = f"domain {person.domain} is not linked to an authority"
    elif kind == "email_not_usable":
        detail = "the address cannot be compared exactly (not plain ASCII, or a look-alike domain)"
    else:
        detail = "the provider did not confirm the email address"
    try:
        get_store().record("sign_in_refused", who=name, detail=detail)
    finally:
        st.session_state[REFUSAL_LOGGED] = name.audit_name


def log_page_refused(who: Who, page: str) -> None:
    """One audit entry per session and page for someone refused a page (the Coordinator page)."""
    name = claimed_name(who)
    key = f"{REFUSAL_LOGGED}:{page}"
    if st.session_state.get(key) == name.audit_name:
        return
    try:
        get_store().record("page_refused", who=name, detail=f"the {page} page")
    finally:
        st.session_state[key] = name.audit_name


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


def actor_for(who: Who, *, code: tuple[str, str, int] | None = None) -> Actor:
    """Who is acting, as verified, for the audit log and the checks at the moment of use.

    ``code``: (authority, round id, code id) when the form was unlocked with an access code (the
    code's authority, and the signed-in email too where there is one); else the signed-in email;
    else the coordinator secret where this session gave it and the server still allows it; else
    "unverified: …" (their session), which has no right to save or coordinate.
    """
    if code is not None:
        authority, round_id, code_id = code
        return rights.by_code(authority, round_id, code_id, via=who.email)
    if who.email:
        return rights.signed_in(who.email)
    if st.session_state.get(SECRET_OK) and may_use_coordinator_secret(who.settings):
        return rights.COORDINATOR_SECRET
    return claimed_name(who)


@contextmanager
def acting(who: Who, *, code: tuple[str, str, int] | None = None) -> Iterator[None]:
    """Every save, change or refusal in this block is in the audit log under ``actor_for(who)``, and
    checked against that person's rights in the transaction that does it."""
    with audit.acting_as(actor_for(who, code=code)):
        yield


# ---------------------------------------------------------------------------
# The Coordinator page's sign-in sections: email domains, coordinators, the audit log.


def _say_error(exc: Exception) -> None:
    st.error(escape_markdown(str(exc)), icon=":material/error:")


def domains_admin(store: Any, who: Who) -> None:
    """Link and unlink email domains, and name coordinators; each change goes in the audit log."""
    st.subheader("Sign-in: email domains")
    st.caption(
        "Someone who signs in with an address at a linked domain sees the comparisons and may "
        "submit their own authority's return without a code. A domain belongs to one authority."
    )
    rows = store.domains()
    if rows:
        st.dataframe(pd.DataFrame(rows, columns=["Domain", "Authority"]), hide_index=True, width="stretch")
    else:
        st.caption("No domain is linked yet.")
    with st.form("auth_domain_add", clear_on_submit=False):
        c1, c2 = st.columns(2)
        domain = c1.text_input("Email domain", placeholder="kent.gov.uk", key="auth_domain")
        authority = c2.selectbox(
            "Authority the domain belongs to", store.authorities(), index=None, key="auth_domain_authority"
        )
        add = st.form_submit_button("Link the domain")
    if add:
        try:
            if not authority:
                raise InvalidInputError("Authority: choose the authority the domain belongs to.")
            with acting(who):
                added = store.add_domain(domain, authority)
        except PlainError as exc:
            _say_error(exc)
        else:
            shown = escape_markdown(normalise_domain(domain))
            if added:
                st.success(f"{shown} is linked to {escape_markdown(authority)}.", icon=":material/check:")
            else:
                st.info(f"{shown} was already linked to {escape_markdown(authority)}.")
    if rows:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        gone = c1.selectbox("Unlink a domain", [d for d, _ in rows], index=None, key="auth_domain_remove")
        if c2.button("Unlink", key="auth_domain_unlink", disabled=gone is None):
            try:
                with acting(who):
                    was = store.remove_domain(gone)
            except PlainError as exc:
                _say_error(exc)
            else:
                st.success(f"{escape_markdown(gone)} is no longer linked to {escape_markdown(was or '')}.")

    st.subheader("Coordinators")
    emails = store.coordinators()
    st.caption(
        "Coordinators sign in with these addresses: " + (escape_markdown(", ".join(emails)) or "none yet.")
    )
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    new = c1.text_input("Add a coordinator (email)", key="auth_coordinator_email")
    if c2.button("Add", key="auth_coordinator_add"):
        try:
            with acting(who):
                added = store.add_coordinator(new)
        except PlainError as exc:
            _say_error(exc)
        else:
            st.success(
                f"{escape_markdown(normalise_email(new))} is {'now' if added else 'already'} a coordinator."
            )
    others = [e for e in emails if e != who.email]
    if others:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        gone = c1.selectbox("Remove a coordinator", others, index=None, key="auth_coordinator_remove")
        if c2.button("Remove", key="auth_coordinator_drop", disabled=gone is None):
            try:
                with acting(who):
                    store.remove_coordinator(gone)
            except PlainError as exc:
                _say_error(exc)
            else:
                st.success(f"{escape_markdown(gone)} is no longer a coordinator.")


def audit_log_section(store: Any) -> None:
    """The audit log with filters, newest first, and a CSV download of what is shown."""
    st.subheader("Audit log")
    st.caption(
        "Who saved, issued, opened, closed, linked or was refused what, and when (UTC). Codes are never in it."
    )
    c1, c2, c3 = st.columns(3)
    since = c1.date_input("From", value=None, key="audit_since", format="DD/MM/YYYY")
    until = c2.date_input("To", value=None, key="audit_until", format="DD/MM/YYYY")
    who_text = c3.text_input("Who (part of a name or address)", key="audit_who")
    c4, c5 = st.columns(2)
    actions = c4.multiselect(
        "What",
        list(audit.ACTIONS),
        format_func=audit.ACTIONS.get,
        key="audit_actions",
        placeholder="Everything",
    )
    authority = c5.selectbox("Entries for authority", store.authorities(), index=None, key="audit_authority")
    table = audit.frame(
        store,
        since=since if isinstance(since, dt.date) else None,
        until=until if isinstance(until, dt.date) else None,
        who=who_text or None,
        actions=actions or None,
        authority=authority,
    )
    st.markdown(f"{len(table)} entr{'y' if len(table) == 1 else 'ies'}.")
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        "Download the audit log shown (.csv)",
        frame_to_csv(table),
        file_name="audit-log.csv",
        mime="text/csv",
        key="audit_download",
    )
