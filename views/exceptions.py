"""The exception table ("tartan rug"): each authority's figures against the group's, a fifth at a time.

``build(sel)`` gives the page's View (also a sheet of the full workbook and a part of the meeting
pack): the table (authorities down, measures across; every cell its figure and fifth, the top and
bottom fifths marked ▲ or ▼ with a word, and a light colour), the key to its measures, the table
in words, and each flagged figure's commentary by the authority's lead. The logic is
``analysis.exceptions``; a commentary is ``AuthorityReturn.commentaries``. Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis import exceptions as ex
from models.returns import Commentary
from views.base import Passage, Section, Selection, Table, View
from views.context import LICENCE_NOTE

TITLE = "Exception table"
INTRO = (
    "Each authority's figures beside the group's, as in LAIT and London's regional benchmarking: every cell "
    "gives the figure and its fifth of the group. ▲ marks the top fifth and ▼ the bottom one, in words too. "
    "Where high or low is good (LAIT's polarity) the top fifth is the best; where it is not agreed, such as a "
    "caseload, it is simply the highest. Click a cell to read the lead's commentary on a flagged figure."
)
PRINT_INTRO = (
    "Each cell gives the figure and its fifth of the group: ▲ the top fifth, ▼ the bottom one (the best and "
    "worst where high or low is good). How to read it, the measures and the leads' commentaries follow."
)
HOW_TO_READ = (
    "A fifth is an authority's place among the figures of this group, 1st to 5th: ▲ the highest fifth (the best "
    "fifth, where high or low is good), ▼ the lowest (or worst). Fewer than "
    f"{ex.MIN_RANKED} figures are not ranked. A cap, a mixed caseload and a caseload in families are shown but "
    "not ranked with caseloads in children. A flag is a question for the group, never a verdict."
)
TABLE_KEY = "exceptions"
SHEET = "Exception table"


def commentary_status(c: Commentary, round_id: str, rounds: Mapping[str, Any]) -> str:
    """'' for a commentary written for this round; else that it is last year's, carried forward."""
    if c.round == round_id:
        return ""
    rnd = rounds.get(c.round)
    title = rnd.title if rnd is not None else c.round
    return f"Last year's commentary, written for {title}; carried forward until the lead changes it."


def commentary_passage(c: Commentary, ret: Any, rounds: Mapping[str, Any], heading: str | None) -> Passage:
    return Passage(
        c.text, heading=heading, caption=commentary_status(c, ret.round, rounds) or None, quote=True
    )


def commentaries_section(table: ex.ExceptionTable, rounds: Mapping[str, Any]) -> Section:
    """Each flagged figure that has a commentary, with the lead's words (marked where last year's)."""
    blocks = []
    missing = []
    for f in table.flagged():
        ret = table.returns[f.row]
        c = ret.commentary(f.measure.key)
        heading = f"{f.authority}: {f.measure.label}, {f.cell.cell.text} ({f.cell.words})"
        if c is None:
            missing.append(f.authority)
            continue
        blocks.append(commentary_passage(c, ret, rounds, heading))
    without = sorted(set(missing), key=str.casefold)
    bullets = (
        (f"No commentary yet on some flagged figures of: {', '.join(without)}.",)
        if without and blocks
        else ()
    )
    return Section(
        heading="Commentaries on flagged figures",
        intro="Written by each authority's lead on the Submit page, beside the figure it explains.",
        blocks=tuple(blocks),
        bullets=bullets,
        empty=None if blocks else "No lead has written a commentary on a flagged figure yet.",
    )


def build(sel: Selection) -> View:
    returns = [r for r in sel.returns if not sel.is_published(r)]
    if not returns:
        return View(
            key="exceptions", title=TITLE, intro=INTRO, empty="No questionnaire returns under these filters."
        )
    table = ex.exception_table(returns, published_rounds=sel.published_rounds, rounds=sel.rounds)
    frame = ex.table_frame(table)
    return View(
        key="exceptions",
        title=TITLE,
        intro=INTRO,
        print_intro=PRINT_INTRO,
        print_landscape=True,
        sections=(
            Section(
                notes=(HOW_TO_READ,),
                tables=(
                    Table(
                        key=TABLE_KEY,
                        caption="Each authority's figures and their fifths of the group",
                        frame=frame,
                        sheet=SHEET,
                        expanded=True,
                        fills=ex.table_fills(table),
                    ),
                ),
            ),
            Section(heading="The flags in words", bullets=tuple(ex.flag_lines(table))),
            Section(
                heading="What each column is",
                tables=(
                    Table(
                        key="exceptions_key",
                        caption="The measures",
                        frame=ex.key_frame(table),
                        sheet="Exception key",
                    ),
                ),
            ),
            commentaries_section(table, sel.rounds),
        ),
        filters=sel.filters,
        notes=(LICENCE_NOTE,),
    )


def cell_commentary(sel: Selection, row: int, column: str) -> Section | None:
    """A clicked cell (row, column label): the figure, its fifth and the lead's commentary, if any."""
    returns = [r for r in sel.returns if not sel.is_published(r)]
    table = ex.exception_table(returns, published_rounds=sel.published_rounds, rounds=sel.rounds)
    labels = [m.label for m in table.measures]
    if column not in labels or not 0 <= row < len(table.returns):
        return None
    j = labels.index(column)
    measure, cell, ret = table.measures[j], table.cells[row][j], table.returns[row]
    c = ret.commentary(measure.key)
    heading = f"{table.names[row]}: {measure.label}"
    intro = f"{cell.cell.text} – {cell.words or cell.cell.why_not or 'not ranked'}. {measure.detail}."
    if c is None:
        note = (
            "Flagged, and no commentary yet."
            if cell.flag
            else "Not flagged: commentaries are on flagged figures."
        )
        return Section(heading=heading, level=3, intro=intro, bullets=(note,))
    return Section(
        heading=heading, level=3, intro=intro, blocks=(commentary_passage(c, ret, sel.rounds, None),)
    )


def picked_cell(cell: Any) -> tuple[int, str] | None:
    """A clicked cell as (row, column label), or None (a click on the Authority column, or nothing)."""
    if not cell:
        return None
    if isinstance(cell, dict):
        row, column = cell.get("row"), cell.get("column")
    else:
        try:
            row, column = cell[0], cell[1]
        except (IndexError, TypeError, KeyError):
            return None
    if not isinstance(row, int) or not isinstance(column, str) or column == "Authority":
        return None
    return row, column
