"""CSV files: the Summary and the matrices (UTF-8 with a byte-order mark, so Excel reads the accents)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis import tables as tbl
from analysis.tables import matrix_sheet_table
from exports.text import for_csv
from exports.xlsx import NO, YES
from models.returns import AuthorityReturn, SurveyRound


def frame_to_csv(df: pd.DataFrame) -> bytes:
    """A table as CSV bytes for Excel: UTF-8 with BOM, booleans as Yes/blank, every text cell
    cleaned at this edge (``exports.text.for_csv``: formulas neutralised, hostile characters marked)."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map({True: YES, False: NO})
        elif not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(for_csv)
    out.columns = [for_csv(str(c)) for c in out.columns]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def summary_csv(returns: Sequence[AuthorityReturn], rounds: Mapping[str, SurveyRound] | None = None) -> bytes:
    return frame_to_csv(tbl.summary_table(returns, rounds))


def matrix_csv(
    returns: Sequence[AuthorityReturn], taxonomy: tbl.Taxonomy, role: tbl.Role | None = None
) -> bytes:
    """One taxonomy's matrix as CSV: for one role, or (role None) both roles with a Role column."""
    if role is None:
        return frame_to_csv(matrix_sheet_table(returns, taxonomy))
    return frame_to_csv(tbl.matrix_table(returns, taxonomy, role))


def chase_csv(statuses: Sequence[Any]) -> bytes:
    """The chase list (members not yet submitted: ``survey.rounds.chase_list``) as CSV."""
    rows = [{"authority": m.authority, "ons_code": m.ons_code, "state": m.state} for m in statuses]
    return frame_to_csv(pd.DataFrame(rows, columns=["authority", "ons_code", "state"]))
