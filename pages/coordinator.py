"""The coordinator's page: each round's status, the chase list, open or close a round, version history.

Behind its own secret: ``COORDINATOR_SECRET`` in the environment or in
Streamlit secrets. There is no default; without one the page stays shut.
"""

from __future__ import annotations

import hmac
import os

import pandas as pd
import streamlit as st

from dashboard.diff import diff_returns
from dashboard.storage import StorageError
from ui import coordinator_rounds
from ui.data import get_store
from ui.return_view import render_changes

OK = "coord_ok"

st.title("Coordinator")


def _secret() -> str | None:
    value = os.environ.get("COORDINATOR_SECRET")
    if not value:
        try:
            value = st.secrets.get("COORDINATOR_SECRET")
        except Exception:  # no secrets file
            value = None
    return value or None


secret = _secret()
if secret is None:
    st.warning(
        "The coordinator page is not set up on this server. To use it, start the app with the "
        "environment variable `COORDINATOR_SECRET` set (or add it to `.streamlit/secrets.toml`).",
        icon=":material/key_off:",
    )
    st.stop()

if not st.session_state.get(OK):
    with st.form("coord_login"):
        typed = st.text_input("Coordinator secret", type="password", key="coord_secret")
        go = st.form_submit_button("Open the coordinator page", type="primary")
    if go:
        if typed and hmac.compare_digest(typed.encode(), secret.encode()):
            st.session_state[OK] = True
            st.rerun()
        st.error("Coordinator secret: that is not the right secret.", icon=":material/lock:")
    st.stop()

store = get_store()
st.button("Log out", key="coord_logout", on_click=lambda: st.session_state.pop(OK, None))
coordinator_rounds.new_round_form(store)

rounds = sorted(store.rounds(), key=lambda r: (not r.is_questionnaire, not r.open_for_submissions, r.title))
titles = {r.id: r.title for r in rounds}
round_id = st.selectbox("Round", list(titles), format_func=titles.get, key="coord_round")
rnd = next(r for r in rounds if r.id == round_id)

# -- open or close ---------------------------------------------------------
state = "open" if rnd.open_for_submissions else "closed"
st.markdown(f"This round is **{state}** for submissions.")
if rnd.is_questionnaire:
    label = "Close the round" if rnd.open_for_submissions else "Open the round"
    if st.button(label, key="coord_toggle"):
        try:
            store.set_round_open(round_id, not rnd.open_for_submissions)
        except StorageError as exc:
            st.error(str(exc))
        else:
            st.rerun()
else:
    st.caption("Published service descriptions are not a questionnaire: this round never takes submissions.")

# -- status and chase list ---------------------------------------------------
status = store.round_status(round_id)
st.subheader("Who has submitted")
if not status:
    st.info(
        "Nobody is expected in this round yet. Issue access codes with "
        "`python cli.py issue-code AUTHORITY --round " + round_id + "`."
    )
else:
    table = pd.DataFrame(
        [
            {
                "Authority": s.authority,
                "Submitted": "Yes" if s.submitted else "No",
                "Version": s.version,
                "Saved (UTC)": s.saved_at.strftime("%d %b %Y %H:%M") if s.saved_at else "",
                "How": {"seed": "From survey_data", "form": "Form", "upload": "Spreadsheet"}.get(
                    s.channel or "", ""
                ),
                "Access code": "Issued" if s.has_code else "None",
            }
            for s in status
        ]
    )
    submitted = sum(s.submitted for s in status)
    st.markdown(f"{submitted} of {len(status)} expected authorities have a return in this round.")
    st.dataframe(table, hide_index=True, width="stretch")
    chase = [s.authority for s in status if not s.submitted]
    st.subheader("Chase list")
    if chase:
        st.text_area("Authorities with no return yet (copy this list)", "\n".join(chase), key="coord_chase")
    else:
        st.caption("Every expected authority has a return.")

# -- members of the round's group, their states, codes and invitations -----
members = coordinator_rounds.member_status_section(store, rnd)
if rnd.is_questionnaire:
    coordinator_rounds.codes_section(store, rnd, members)

# -- history ---------------------------------------------------------------
st.subheader("Version history")
authorities = [s.authority for s in status if s.submitted]
if not authorities:
    st.caption("No returns yet.")
    st.stop()
who = st.selectbox("Authority", authorities, key="coord_authority")
history = store.history(round_id, who)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Version": v.version,
                "Saved (UTC)": v.saved_at.strftime("%d %b %Y %H:%M"),
                "How": v.channel,
                "By (role)": v.submitted_by,
                "Answers changed": len(v.changes),
            }
            for v in history
        ]
    ),
    hide_index=True,
    width="stretch",
)
numbers = [v.version for v in history]
if len(numbers) >= 2:
    c1, c2 = st.columns(2)
    a = c1.selectbox("Compare version", numbers, index=len(numbers) - 2, key="coord_from")
    b = c2.selectbox("with version", numbers, index=len(numbers) - 1, key="coord_to")
    by = {v.version: v.ret for v in history}
    st.markdown(f"**What changed from version {a} to version {b}**")
    render_changes(diff_returns(by[a], by[b]), none="The two versions have the same answers.")
else:
    st.caption("Only one version so far.")
