"""The full workbook's Exception table sheet: authorities down, measures across, a round at a time.

Each cell is the figure and its fifth of the group (``analysis.exceptions``), the top and bottom
fifths marked ▲ or ▼ with a word and a light fill; a flagged figure's commentary by the lead is the
cell's note (shown when the cell is pointed at or clicked), and listed in full on the sheet below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis import exceptions as ex
from exports.text import for_excel
from exports.xlsx import _Book, write_table

SHEET = "Exception table"
FILL = {"high": "#DDEBF7", "low": "#FCE4D6"}


def _tables(returns: Sequence[Any], rounds: Mapping[str, Any]) -> list[tuple[Any, ex.ExceptionTable]]:
    """One table per questionnaire round among the returns, in the rounds' order."""
    out = []
    for rid in dict.fromkeys(r.round for r in returns):
        rnd = rounds.get(rid)
        if rnd is not None and not rnd.is_questionnaire:
            continue
        mine = [r for r in returns if r.round == rid]
        out.append((rnd, ex.exception_table(mine, rounds=rounds)))
    return out


def exception_frame(returns: Sequence[Any], rounds: Mapping[str, Any]) -> tuple[pd.DataFrame, list, list]:
    """(the frame, each row's fills, each row's (column, commentary) notes) for every round's table."""
    frames, fills, notes = [], [], []
    tables = _tables(returns, rounds)
    several = len(tables) > 1
    for rnd, table in tables:
        frame = ex.table_frame(table)
        if several:
            frame.insert(1, "Round", rnd.title if rnd is not None else "")
        frames.append(frame)
        for i, row in enumerate(table.cells):
            fills.append([None] * (2 if several else 1) + [c.fill for c in row])
            ret = table.returns[i]
            row_notes = []
            for j, m in enumerate(table.measures):
                c = ret.commentary(m.key)
                if c is not None and row[j].flag is not None:
                    when = "" if c.round == ret.round else " (last year's: written for an earlier round)"
                    row_notes.append(
                        (j + (2 if several else 1), f"{ret.authority}, {m.label}{when}: {c.text}")
                    )
            notes.append(row_notes)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["Authority"])
    return frame, fills, notes


def about_text(notes: list) -> str:
    n_notes = sum(len(r) for r in notes)
    return (
        "Authorities down, measures across: each figure and its fifth of the group (1st = the highest, or the "
        "best where high or low is good; ▲ the top fifth, ▼ the bottom, on a light fill); a flagged figure's "
        f"commentary by the lead is the cell's note ({n_notes} in all)."
    )


def write_exception_sheet(book: _Book, frame: pd.DataFrame, fills: list, notes: list) -> None:
    """The sheet from ``exception_frame``: the table, each flagged cell's fill, and each commentary as a note."""
    ws = book.sheet(SHEET)
    write_table(book, ws, frame, freeze_columns=1)
    formats = {
        k: book.wb.add_format({"valign": "top", "text_wrap": True, "bg_color": v, "pattern": 1})
        for k, v in FILL.items()
    }
    for i, row in enumerate(fills, start=1):
        for j, fill in enumerate(row):
            if fill in formats:
                ws.write_string(i, j, for_excel(str(frame.iat[i - 1, j])), formats[fill])
    for i, row_notes in enumerate(notes, start=1):
        for j, text in row_notes:
            ws.write_comment(i, j, for_excel(text)[:2000], {"x_scale": 3, "y_scale": 3})
