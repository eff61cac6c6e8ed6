"""The coordinator's tables: who has submitted in a round, the chase list, and a return's versions.

Built from the store's plain records (``StatusRow``, ``VersionInfo``); the
Coordinator page draws them and offers them as downloads.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.storage import StatusRow, VersionInfo

CHANNELS = {"seed": "From survey_data", "form": "Form", "upload": "Spreadsheet"}
WHEN = "%d %b %Y %H:%M"


def status_table(status: Sequence[StatusRow]) -> pd.DataFrame:
    """One row per expected authority: submitted or not, which version, when and how, code issued."""
    return pd.DataFrame(
        [
            {
                "Authority": s.authority,
                "Submitted": "Yes" if s.submitted else "No",
                "Version": s.version,
                "Saved (UTC)": s.saved_at.strftime(WHEN) if s.saved_at else "",
                "How": CHANNELS.get(s.channel or "", ""),
                "Access code": "Issued" if s.has_code else "None",
            }
            for s in status
        ],
        columns=["Authority", "Submitted", "Version", "Saved (UTC)", "How", "Access code"],
    )


def status_sentence(status: Sequence[StatusRow]) -> str:
    submitted = sum(s.submitted for s in status)
    return f"{submitted} of {len(status)} expected authorities have a return in this round."


def chase_list(status: Sequence[StatusRow]) -> list[str]:
    """The expected authorities with no return yet, to copy into an e-mail."""
    return [s.authority for s in status if not s.submitted]


def history_table(history: Sequence[VersionInfo]) -> pd.DataFrame:
    """Every saved version of one return: when, how, by which role, how many answers changed."""
    return pd.DataFrame(
        [
            {
                "Version": v.version,
                "Saved (UTC)": v.saved_at.strftime(WHEN),
                "How": CHANNELS.get(v.channel, v.channel),
                "By (role)": v.submitted_by,
                "Saved by": v.saved_by or "not recorded",
                "Answers changed": len(v.changes),
            }
            for v in history
        ],
        columns=["Version", "Saved (UTC)", "How", "By (role)", "Saved by", "Answers changed"],
    )
