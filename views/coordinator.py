"""The coordinator's version history of a return, as a table (members' states and the chase list are
``survey.rounds``, drawn by ``ui.coordinator_rounds``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from store.versions import VersionInfo

CHANNELS = {"seed": "From survey_data", "form": "Form", "upload": "Spreadsheet"}
WHEN = "%d %b %Y %H:%M"


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
