"""The group's exception table ("tartan rug"): authorities down, measures across, each figure with its
fifth of the group; the top and bottom fifths are flags, each open to a commentary by the authority.

As in LAIT and London's regional benchmarking, a fifth respects the measure's polarity: where high
is good (conferences held within 15 days) the first fifth is the best; where low is good (plans
lasting two years or more) the first fifth is the lowest figures; where good is not agreed (a
caseload, a count of children) the first fifth is simply the highest figures, and is not called
good or bad. Caseloads are compared with the IRO Handbook band elsewhere; here they are ranked only
among the figures of the same kind (children or cases), and a cap, a mixed caseload or one in
families is shown and not ranked.

Every cell says its fifth in words, and the top and bottom fifths carry a symbol too (▲, ▼), so
colour is never the only signal. Fifths need at least ``MIN_RANKED`` figures.

The measures come from ``MEASURE_SOURCES``, each a function of the returns giving its columns: the
survey's own figures and the official measures here; a round's own questions register theirs the
same way. Flags are rules, one per function, with their cases beside them (``FLAG_RULES``).
Pure: no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from models.caseload import CHILDREN, role_figure
from models.vocabulary import display_name, format_figure
from official.context import Context, authority_context, load_context
from official.register import display_name as authority_display_name

#: Fewer figures than this are not split into fifths (a fifth of four is not a fifth).
MIN_RANKED = 5
HIGH, LOW, NEITHER = "High", "Low", "-"
TOP, BOTTOM = "▲", "▼"
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th"}


@dataclass(frozen=True)
class Measure:
    """One column: its key (stable, stored with a commentary), its short label, where it comes from,
    its polarity (LAIT's: "High", "Low" or "-"), and what it is in full."""

    key: str
    label: str
    source: str  # "survey", "official" or "question"
    polarity: str = NEITHER
    detail: str = ""

    @property
    def polarity_words(self) -> str:
        if self.polarity == HIGH:
            return "high is good"
        if self.polarity == LOW:
            return "low is good"
        return "neither high nor low is called good"


@dataclass(frozen=True)
class Cell:
    """A figure as shown (``text``), the number ranked (``value``; None: shown but not ranked) and why not."""

    text: str
    value: float | None = None
    why_not: str = ""


@dataclass(frozen=True)
class Column:
    measure: Measure
    cells: Mapping[int, Cell]  # by row (the return's position in the table)


MeasureSource = Callable[[Sequence[Any], "Context"], list[Column]]


# ---------------------------------------------------------------------------
# Fifths


def fifths(values: Mapping[int, float], polarity: str) -> dict[int, int]:
    """Each figure's fifth of the group (1 = the best, or the highest where good is not agreed).

    The position is the mid-rank among the figures (ties share it), from 0 for the first to 1 for
    the last; fifth = floor(5 × position) + 1, the last at 5. Fewer than ``MIN_RANKED``: none."""
    if len(values) < MIN_RANKED:
        return {}
    low_first = polarity == LOW
    items = list(values.items())
    n = len(items)
    out = {}
    for key, v in items:
        better = sum(1 for _, w in items if (w < v if low_first else w > v))
        same = sum(1 for _, w in items if w == v)
        position = (better + (same - 1) / 2) / (n - 1)
        out[key] = min(5, math.floor(5 * position) + 1)
    return out


FIFTH_CASES = [
    # (values, polarity, expected fifths)
    ({0: 1, 1: 2, 2: 3, 3: 4, 4: 5}, NEITHER, {0: 5, 1: 4, 2: 3, 3: 2, 4: 1}),
    ({0: 1, 1: 2, 2: 3, 3: 4, 4: 5}, LOW, {0: 1, 1: 2, 2: 3, 3: 4, 4: 5}),
    ({0: 7, 1: 7, 2: 7, 3: 7, 4: 7}, HIGH, {0: 3, 1: 3, 2: 3, 3: 3, 4: 3}),  # all the same: the middle
    ({0: 1, 1: 2, 2: 3, 3: 4}, HIGH, {}),  # four figures: no fifths
]


def fifth_words(fifth: int | None, polarity: str) -> tuple[str, str]:
    """(symbol, words): ('▲', 'best fifth'), ('▼', 'lowest fifth'), ('', '3rd fifth'); the 1st fifth is
    the best where high or low is good, else the highest."""
    if fifth is None:
        return "", ""
    judged = polarity in (HIGH, LOW)
    if fifth == 1:
        return TOP, f"{'best' if judged else 'highest'} fifth"
    if fifth == 5:
        return BOTTOM, f"{'worst' if judged else 'lowest'} fifth"
    return "", f"{ORDINALS[fifth]} fifth"


# ---------------------------------------------------------------------------
# Flags: one rule per function, each with its cases


@dataclass(frozen=True)
class FlagRule:
    code: str
    title: str
    check: Callable[[int | None], bool]
    cases: list[tuple[int | None, bool]] = field(default_factory=list)


FLAG_RULES: dict[str, FlagRule] = {}


def flag_rule(code: str, title: str, cases: list[tuple[int | None, bool]]):
    def register(fn: Callable[[int | None], bool]) -> Callable[[int | None], bool]:
        FLAG_RULES[code] = FlagRule(code, title, fn, cases)
        return fn

    return register


@flag_rule("top_fifth", "In the group's top fifth", cases=[(1, True), (2, False), (5, False), (None, False)])
def top_fifth(fifth: int | None) -> bool:
    return fifth == 1


@flag_rule(
    "bottom_fifth", "In the group's bottom fifth", cases=[(5, True), (4, False), (1, False), (None, False)]
)
def bottom_fifth(fifth: int | None) -> bool:
    return fifth == 5


def flag_of(fifth: int | None) -> FlagRule | None:
    return next((r for r in FLAG_RULES.values() if r.check(fifth)), None)


# ---------------------------------------------------------------------------
# The measures


def _figure_cell(fig) -> Cell:
    if fig.figure is None:
        return Cell("no figure", why_not="no figure")
    text = fig.numbers
    if fig.is_cap:
        return Cell(f"{text} (cap)", why_not="not ranked")
    if fig.group != CHILDREN:
        kind = "mixed" if "mixed" in fig.group else fig.group
        return Cell(f"{text} ({kind})", why_not="not ranked")
    return Cell(text, fig.value)


def survey_columns(returns: Sequence[Any], ctx: Context | None = None) -> list[Column]:
    """The survey's own figures: each role's caseload (the one reading, ``models.caseload``) and how
    many QA activities and kinds of impact evidence the IRO answers report."""
    cols = []
    for role, label in (("iro", "IRO caseload"), ("cp_chair", "CP chair caseload")):
        cells = {}
        for i, ret in enumerate(returns):
            if getattr(ret, role) is None:
                cells[i] = Cell("one answer for both roles" if ret.combined_role else "not answered")
            else:
                cells[i] = _figure_cell(role_figure(ret, role))
        cols.append(
            Column(
                Measure(
                    f"survey.{role}_caseload",
                    label,
                    "survey",
                    detail=f"{label} per officer, as reported (a range by its midpoint); compared with the IRO "
                    "Handbook band on the Caseloads page, ranked here only among figures in children or cases",
                ),
                cells,
            )
        )
    for field_name, label, what in (
        ("qa_activities", "IRO QA activities", "formal QA activities the IRO answers describe"),
        ("impact_evidence", "IRO impact evidence", "kinds of impact evidence the IRO answers describe"),
    ):
        cells = {
            i: Cell(str(n), float(n))
            for i, ret in enumerate(returns)
            if (n := len(getattr(ret.iro, field_name)))
        }
        cells.update({i: Cell("0", 0.0) for i in range(len(returns)) if i not in cells})
        cols.append(
            Column(Measure(f"survey.iro_{field_name}", label, "survey", detail=f"How many {what}"), cells)
        )
    return cols


#: The official measures of the table, with their short labels (LAIT's names are in the key).
OFFICIAL_MEASURES = (
    ("LACnum", "Children looked after"),
    ("LAC", "Looked after per 10,000"),
    ("CPP_rate", "CP plans per 10,000"),
    ("CP_conf_15days", "ICPCs within 15 days (%)"),
    ("CPP_Reviewed_pct", "CP plans reviewed in time (%)"),
    ("CPPlans2yrsActive", "CP plans lasting 2+ years (%)"),
    ("Work_Force_AvgNumCase_SW", "Social worker caseload"),
)


def _number(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def official_columns(returns: Sequence[Any], ctx: Context | None = None) -> list[Column]:
    """The official measures (DfE, from LAIT): each authority's latest figure, with LAIT's polarity."""
    ctx = ctx or load_context()
    cards = [authority_context(ctx, ret.authority) for ret in returns]
    cols = []
    for measure_id, label in OFFICIAL_MEASURES:
        m = ctx.measures.get(measure_id)
        if m is None:
            continue
        cells, years = {}, set()
        for i, card in enumerate(cards):
            mc = card.measure(measure_id) if card.authority else None
            if mc is None or mc.value is None:
                why = card.message if card.authority is None else (mc.reason if mc else "no figure")
                cells[i] = Cell("not available", why_not=why or "not available")
            else:
                cells[i] = Cell(_number(mc.value), float(mc.value))
                years.add(mc.measure.when(mc.year))
        detail = f"{m.name} ({', '.join(sorted(years)) or 'no year'}; {m.source.split('/')[2] if '//' in m.source else m.source})"
        cols.append(Column(Measure(f"official.{measure_id}", label, "official", m.polarity, detail), cells))
    return cols


#: Where the table's columns come from, in order. A round's own questions add theirs here.
MEASURE_SOURCES: list[MeasureSource] = [survey_columns, official_columns]


# ---------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class ExceptionCell:
    cell: Cell
    fifth: int | None
    symbol: str
    words: str
    flag: FlagRule | None

    @property
    def text(self) -> str:
        """'1,896' / '▲ highest fifth' on two lines; or why it is not ranked."""
        second = f"{self.symbol} {self.words}".strip() if self.words else (self.cell.why_not or "")
        return f"{self.cell.text}\n{second}" if second else self.cell.text

    @property
    def fill(self) -> str | None:
        """'high' for the top fifth, 'low' for the bottom one (colours beside the symbol and word)."""
        return "high" if self.fifth == 1 else "low" if self.fifth == 5 else None


@dataclass(frozen=True)
class Flagged:
    row: int
    authority: str
    measure: Measure
    cell: ExceptionCell


@dataclass(frozen=True)
class ExceptionTable:
    names: tuple[str, ...]  # one per row: the authority as pages name it
    returns: tuple[Any, ...]
    measures: tuple[Measure, ...]
    cells: tuple[tuple[ExceptionCell, ...], ...]  # [row][column]

    def flagged(self) -> list[Flagged]:
        out = []
        for i, row in enumerate(self.cells):
            for m, c in zip(self.measures, row, strict=True):
                if c.flag is not None:
                    out.append(Flagged(i, self.names[i], m, c))
        return out

    def flagged_for(self, authority: str) -> list[Flagged]:
        key = " ".join(authority.split()).casefold()
        return [
            f for f in self.flagged() if " ".join(self.returns[f.row].authority.split()).casefold() == key
        ]


def row_names(
    returns: Sequence[Any], published_rounds=(), rounds: Mapping[str, Any] | None = None
) -> list[str]:
    names = [authority_display_name(display_name(r, published_rounds)) for r in returns]
    seen = {n for n in names if names.count(n) > 1}
    out = []
    for name, ret in zip(names, returns, strict=True):
        rnd = (rounds or {}).get(ret.round)
        out.append(f"{name} – {rnd.title if rnd is not None else ret.round}" if name in seen else name)
    return out


def exception_table(
    returns: Sequence[Any],
    *,
    ctx: Context | None = None,
    published_rounds=(),
    rounds: Mapping[str, Any] | None = None,
    sources: Sequence[MeasureSource] | None = None,
) -> ExceptionTable:
    """The table for ``returns`` (one row each, in the order given): every measure of ``sources``
    (default ``MEASURE_SOURCES``) with its fifths and flags."""
    returns = tuple(returns)
    ctx = ctx or load_context()
    columns = [
        c for source in (sources if sources is not None else MEASURE_SOURCES) for c in source(returns, ctx)
    ]
    per_column = []
    for col in columns:
        ranked = {i: c.value for i, c in col.cells.items() if c.value is not None}
        f = fifths(ranked, col.measure.polarity)
        cells = []
        for i in range(len(returns)):
            cell = col.cells.get(i, Cell("not available", why_not="not available"))
            fifth = f.get(i)
            if fifth is None and cell.value is not None and len(ranked) < MIN_RANKED:
                cell = Cell(cell.text, cell.value, f"fewer than {MIN_RANKED} figures: not ranked")
            symbol, words = fifth_words(fifth, col.measure.polarity)
            cells.append(ExceptionCell(cell, fifth, symbol, words, flag_of(fifth)))
        per_column.append(cells)
    rows = tuple(tuple(col[i] for col in per_column) for i in range(len(returns)))
    return ExceptionTable(
        names=tuple(row_names(returns, published_rounds, rounds)),
        returns=returns,
        measures=tuple(c.measure for c in columns),
        cells=rows,
    )


def table_frame(table: ExceptionTable):
    """The table as a frame of cell texts: Authority, then one column per measure (its label)."""
    import pandas as pd

    data = {"Authority": list(table.names)}
    for j, m in enumerate(table.measures):
        data[m.label] = [row[j].text for row in table.cells]
    return pd.DataFrame(data, columns=["Authority", *(m.label for m in table.measures)])


def table_fills(table: ExceptionTable) -> tuple[tuple[str | None, ...], ...]:
    return tuple((None, *(c.fill for c in row)) for row in table.cells)


def key_frame(table: ExceptionTable):
    """What each column is: its label, in full, where it comes from, and which way round is good."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "Measure": m.label,
                "In full": m.detail,
                "Source": {
                    "survey": "The returns",
                    "official": "DfE (LAIT)",
                    "question": "This round's questions",
                }.get(m.source, m.source),
                "Which way is good": m.polarity_words,
            }
            for m in table.measures
        ],
        columns=["Measure", "In full", "Source", "Which way is good"],
    )


def flag_lines(table: ExceptionTable) -> list[str]:
    """The table in words: one line per authority with its flags ('Kent: ▲ Children looked after 1,896, 1st
    fifth: highest; …')."""
    flagged = table.flagged()
    if not flagged:
        return ["No authority is in the top or bottom fifth of the group on any measure."]
    by_name: dict[str, list[str]] = {}
    for f in flagged:
        by_name.setdefault(f.authority, []).append(
            f"{f.cell.symbol} {f.measure.label} {f.cell.cell.text}, {f.cell.words}"
        )
    return [f"{name}: {'; '.join(items)}." for name, items in by_name.items()]


def words(table: ExceptionTable) -> str:
    return " ".join(flag_lines(table))


__all__ = [
    "BOTTOM",
    "FIFTH_CASES",
    "FLAG_RULES",
    "MEASURE_SOURCES",
    "TOP",
    "Cell",
    "Column",
    "ExceptionTable",
    "Measure",
    "exception_table",
    "fifth_words",
    "fifths",
    "format_figure",
]
