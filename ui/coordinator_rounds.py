"""The Coordinator page's yearly-cycle sections: start a round, who is expected and in what state,
the chase list (to copy or as CSV), and issuing or revoking a lead's code with the invitation text.

The work is done by ``survey.rounds``; these functions read widgets and draw the result.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from config import settings
from exports.csv_files import chase_csv
from models.names import PlainError
from models.returns import SurveyRound
from models.safe_text import escape_markdown
from official.groups import load_groups
from store import Store
from store.access import issue_code, revoke_code
from survey import rounds as rr
from ui.render import download_bytes_button

DEFAULT_FROM = "(the group's latest round)"
INVITATION = "coord_invitation"
REVOKED = "coord_revoked"


def app_address() -> str:
    """The address leads open: ``APP_URL`` if set, else the address this page was opened at."""
    url = str(settings.get("APP_URL") or "").strip()
    if url:
        return url
    try:
        url = (st.context.url or "").strip()
    except Exception:
        url = ""
    return url.split("/coordinator")[0] if url else "the dashboard's address"


def new_round_form(store: Store) -> None:
    """'Start a new round': id, title, group, deadline, meeting date, carried forward from."""
    with st.expander("Start a new round", icon=":material/add_circle:"):
        groups = load_groups()
        ids = groups.ids()
        questionnaires = [r for r in store.rounds() if r.is_questionnaire]
        with st.form("coord_new_round"):
            rid = st.text_input("Round id", placeholder="seslip-2027", key="coord_new_id",
                                help="Lower-case letters, digits and hyphens.")  # fmt: skip
            title = st.text_input("Title", key="coord_new_title", placeholder="SESLIP survey 2027")
            group = st.selectbox(
                "Group",
                ids,
                index=ids.index("south-east") if "south-east" in ids else 0,
                format_func=lambda g: f"{groups.group(g).title} ({g})",
                key="coord_new_group",
            )
            deadline = st.date_input(
                "Deadline",
                value=dt.date.today() + dt.timedelta(weeks=8),
                min_value=dt.date(2000, 1, 1),
                max_value=dt.date(2100, 12, 31),
                key="coord_new_deadline",
                format="YYYY-MM-DD",
                help="The date returns are due. After it the round stays open until you close it; "
                "members with nothing saved are shown as late.",
            )
            held_on = st.date_input(
                "Meeting date (optional)", value=None, key="coord_new_held", format="YYYY-MM-DD"
            )
            source = st.selectbox(
                "Carry returns forward from",
                [DEFAULT_FROM, *(r.id for r in questionnaires)],
                key="coord_new_from",
            )
            go = st.form_submit_button("Create the round", type="primary")
        if go:
            try:
                rnd = rr.create_round(
                    store,
                    round_id=rid,
                    title=title,
                    group_id=group,
                    deadline=deadline,
                    held_on=held_on,
                    from_round=None if source == DEFAULT_FROM else source,
                )
            except PlainError as exc:
                st.error(escape_markdown(f"{exc} Nothing was created."), icon=":material/error:")
            else:
                st.session_state["coord_round"] = rnd.id
                st.session_state["coord_flash"] = (
                    f"Round {rnd.id} is created and open. Issue each member's code below."
                )
                st.rerun()
    flash = st.session_state.pop("coord_flash", None)
    if flash:
        st.success(escape_markdown(flash), icon=":material/check_circle:")


def _saved(m: rr.MemberStatus) -> str:
    if m.saved_at is None:
        return ""
    return m.saved_at.strftime("%d %b %Y %H:%M") + (" (after the deadline)" if m.saved_late else "")


def member_status_section(store: Store, rnd: SurveyRound) -> list[rr.MemberStatus]:
    """Every member of the round's group with its state, and the chase list (copy, or CSV)."""
    deadline = rr.deadline_of(store, rnd.id)
    st.subheader("Members and their state")
    if deadline:
        st.markdown(f"Deadline: **{deadline.strftime('%-d %B %Y')}**.")
    statuses = rr.member_status(store, rnd.id)
    if not statuses:
        st.caption("This round has no group, and nobody has a code or a return in it yet.")
        return statuses
    table = pd.DataFrame(
        [
            {
                "Authority": m.authority,
                "ONS code": m.ons_code,
                "State": m.state,
                "What it means": rr.STATE_LABELS[m.state],
                "Version": m.version,
                "Saved (UTC)": _saved(m),
            }
            for m in statuses
        ]
    )
    done = sum(m.state == "submitted" for m in statuses)
    st.markdown(f"{done} of {len(statuses)} members have submitted.")
    st.dataframe(table, hide_index=True, width="stretch", key="coord_members")
    chase = rr.chase_list(statuses)
    if chase:
        # The box's text is set on every run: a widget with a key otherwise keeps the text of the
        # run it was first drawn in (a code issued since would still show the member not invited).
        st.session_state["coord_chase_members"] = "\n".join(f"{m.authority} ({m.state})" for m in chase)
        st.text_area("Chase list: members not yet submitted (copy this list)", key="coord_chase_members")
        download_bytes_button(
            "Download the chase list (CSV)",
            chase_csv(chase),
            f"chase-list-{rnd.id}.csv",
            "text/csv",
            key="coord_chase_csv",
        )
    else:
        st.caption("Every member has submitted.")
    return statuses


def codes_section(store: Store, rnd: SurveyRound, statuses: list[rr.MemberStatus]) -> None:
    """Issue (or revoke) a member's code; the code and the invitation are shown once, here only."""
    st.subheader("Access codes and invitations")
    names = [m.authority for m in statuses] or store.authorities(rnd.id)
    if not names:
        st.caption("Nobody is expected in this round yet.")
        return
    who = st.selectbox("Authority to invite", names, key="coord_code_authority")
    c1, c2 = st.columns(2)
    issue = c1.button("Issue a new code", key="coord_issue", type="primary")
    revoke = c2.button("Revoke its code", key="coord_revoke")
    if issue:
        try:
            rr.check_member(store, rnd.id, who)
            code = issue_code(store, rnd.id, who)
        except PlainError as exc:
            st.error(escape_markdown(f"{exc} No code was issued."), icon=":material/error:")
            return
        text = rr.invitation_text(rnd, who, code, rr.deadline_of(store, rnd.id), app_address())
        # Kept for the next run only (so the status above shows the new state), then dropped.
        st.session_state[INVITATION] = (who, text)
        st.rerun()
    if revoke:
        try:
            ended = revoke_code(store, rnd.id, who)
        except PlainError as exc:
            st.error(escape_markdown(str(exc)), icon=":material/error:")
            return
        st.session_state[REVOKED] = (
            f"{who}'s code is revoked: it no longer works."
            if ended
            else f"{who} had no working code; nothing to revoke."
        )
        st.rerun()
    shown = st.session_state.pop(INVITATION, None)
    if shown:
        st.success(
            escape_markdown(
                f"Code issued for {shown[0]}. It is shown only here, only now: copy the invitation and send it "
                "to the authority's lead. Any earlier code for this authority stops working."
            ),
            icon=":material/key:",
        )
        st.code(shown[1], language=None, wrap_lines=True)
    revoked = st.session_state.pop(REVOKED, None)
    if revoked:
        st.info(escape_markdown(revoked))


def deadline_line(store: Store, round_id: str, today: dt.date | None = None) -> str | None:
    """'Returns are due by 30 June 2027.' (or that the deadline has passed), for the Submit page."""
    deadline = rr.deadline_of(store, round_id)
    if deadline is None:
        return None
    today = today or dt.datetime.now(dt.UTC).date()
    when = deadline.strftime("%-d %B %Y")
    if today > deadline:
        return (
            f"The deadline was {when}. The round is still open, so you can still submit, "
            "but your return will be marked late."
        )
    return f"Returns are due by {when}."
