"""The coordinator's page: each round's status, the chase list, open or close a round, version history.

Behind its own secret: ``COORDINATOR_SECRET`` in the environment or in Streamlit secrets, throttled
like access codes (``store.access.check_coordinator_secret``). There is no default.
"""

from __future__ import annotations

import streamlit as st

from models.names import PlainError
from models.safe_text import escape_markdown
from models.vocabulary import CLI
from store.access import AccessError, check_coordinator_secret
from survey.identity import may_use_coordinator_secret
from ui import coordinator_lifecycle, coordinator_rounds, round_questions
from ui.auth import (
    acting,
    audit_log_section,
    claimed_name,
    coordinator_allowed,
    current_who,
    domains_admin,
    log_page_refused,
)
from ui.data import coordinator_secret, get_store
from ui.request import client_source
from ui.return_view import version_history_section

OK = "coord_ok"
st.title("Coordinator")
who = current_who()
secret = coordinator_secret()
store = get_store()
if not coordinator_allowed(who) and not may_use_coordinator_secret(who.settings):
    if who.signed_in:
        log_page_refused(who, "Coordinator")
    st.warning(
        "Sign in with a coordinator's account to use this page (a coordinator adds others with "
        f"`{CLI} coordinator add EMAIL`)."
        if who.settings.auth_configured
        else "The coordinator page is not set up on this server. To use it, start the app with the environment "
        "variable `COORDINATOR_SECRET` set (or add it to `.streamlit/secrets.toml`).",
        icon=":material/key_off:",
    )
    st.stop()
if not coordinator_allowed(who):
    with st.form("coord_login"):
        typed = st.text_input("Coordinator secret", type="password", key="coord_secret")
        go = st.form_submit_button("Open the coordinator page", type="primary")
    if go:
        try:
            check_coordinator_secret(store, typed or "", secret, client_source())
        except AccessError as exc:
            store.record("secret_refused", who=claimed_name(who), detail=str(exc)[:200])
            st.error(escape_markdown(f"Coordinator secret: {exc}"), icon=":material/lock:")
        else:
            st.session_state[OK] = True
            st.rerun()
    st.stop()

st.button("Log out", key="coord_logout", on_click=lambda: st.session_state.pop(OK, None))


def coordinate() -> None:
    """The page's sections: a new round, the round's state, members, codes, history, sign-in, audit log."""
    coordinator_rounds.new_round_form(store)

    rounds = sorted(
        store.rounds(), key=lambda r: (not r.is_questionnaire, not r.open_for_submissions, r.title)
    )
    titles = {r.id: r.title for r in rounds}
    round_id = st.selectbox("Round", list(titles), format_func=titles.get, key="coord_round")
    rnd = next(r for r in rounds if r.id == round_id)

    st.markdown(f"This round is **{'open' if rnd.open_for_submissions else 'closed'}** for submissions.")
    if rnd.is_questionnaire:
        # A closed round is opened again only with a reason ('Reopen the round', below).
        if rnd.open_for_submissions and st.button("Close the round", key="coord_toggle"):
            try:
                store.set_round_open(round_id, False)
            except PlainError as exc:
                st.error(escape_markdown(str(exc)))
            else:
                st.rerun()
    else:
        st.caption(
            "Published service descriptions are not a questionnaire: this round never takes submissions."
        )

    coordinator_lifecycle.lifecycle_section(store, rnd)  # closed → shared → published; reopen

    # -- members of the round's group, their states, codes and invitations -----
    members = coordinator_rounds.member_status_section(store, rnd)
    if rnd.is_questionnaire:
        coordinator_rounds.codes_section(store, rnd, members)
    round_questions.questions_section(store, rnd)

    status = store.round_status(round_id)
    version_history_section(store, round_id, [s.authority for s in status if s.submitted])
    domains_admin(store, who)
    audit_log_section(store)


# Everything is done as this person (the audit log names them), and each right is checked again in
# the transaction that uses it.
with acting(who):
    coordinate()
