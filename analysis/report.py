"""How one authority compares, for its board: the figures behind the "how we compare" report.

For the chosen return, against the other returns of its round (the group):

* ``comparisons``: each measure of the exception table (the survey's figures and the official ones)
  with the group's median, the median of its statistical neighbours (LAIT's ten, where they have a
  figure) and England's (official measures), its rank and quarter in the group (respecting LAIT's
  polarity; none is called good for a caseload, which is set against the IRO Handbook band instead),
  its rank in England, its fifth, and the lead's commentary where the figure is flagged;
* ``missing_practices``: the QA activities and kinds of impact evidence most of the group reports and
  this authority does not, each with one peer's sentence, quoted, and its name, for learning;
* ``change_since_last``: what it changed since its return in the group's previous round.

Pure: no Streamlit.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis import exceptions as ex
from models.caseload import role_figure
from models.diff import Change, diff_returns
from models.returns import Commentary
from models.vocabulary import ROLE_LABELS, TAXONOMIES
from official.codes import ENGLAND_CODE
from official.context import Context, load_context, neighbours
from official.register import is_not_named

QUARTERS = {1: "1st quarter", 2: "2nd quarter", 3: "3rd quarter", 4: "4th quarter"}
JUDGED = {1: "best quarter", 2: "second-best quarter", 3: "second-worst quarter", 4: "worst quarter"}
#: "Most of the group": more than this share of the returns answering the role.
MOST = 0.5


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def quarter_of(values: dict[int, float], row: int, polarity: str) -> str:
    """The row's quarter of the group ('2nd quarter (second-best)'); '' with fewer than 4 figures."""
    if row not in values or len(values) < 4:
        return ""
    low_first = polarity == ex.LOW
    v = values[row]
    better = sum(1 for w in values.values() if (w < v if low_first else w > v))
    same = sum(1 for w in values.values() if w == v)
    position = (better + (same - 1) / 2) / (len(values) - 1)
    q = min(4, math.floor(4 * position) + 1)
    if polarity in (ex.HIGH, ex.LOW):
        return f"{QUARTERS[q]} ({JUDGED[q]})"
    return f"{QUARTERS[q]} ({'highest' if q == 1 else 'lowest' if q == 4 else 'middle'})"


def rank_of(values: dict[int, float], row: int) -> str:
    """'3 of 9' (1 = the highest figure), '' where the row has no figure ranked."""
    if row not in values:
        return ""
    v = values[row]
    return f"{1 + sum(1 for w in values.values() if w > v)} of {len(values)}"


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass(frozen=True)
class Comparison:
    measure: ex.Measure
    cell: ex.ExceptionCell
    group_median: float | None
    group_n: int
    neighbours_median: float | None
    neighbours_n: int
    england: float | None
    rank: str
    quarter: str
    england_rank: str
    band: str  # the IRO Handbook band position, for the IRO caseload
    commentary: Commentary | None


def _official_extra(ctx: Context, ret: Any, measure_id: str) -> tuple[float | None, int, float | None, str]:
    """(neighbours' median, how many, England, rank in England) of one official measure."""
    if is_not_named(ret.authority):
        return None, 0, None, ""
    entry = ctx.register.find(ret.authority)
    if entry is None:
        return None, 0, None, ""
    latest = ctx.latest(entry.dfe_code, measure_id)
    values = []
    for _, code, _ in ctx.neighbour_codes(entry.dfe_code):
        f = ctx.latest(code, measure_id)
        if f is not None and f.value is not None:
            values.append(f.value)
    england = ctx.figure(ENGLAND_CODE, measure_id, latest.year).value if latest else None
    rank = ctx.rank(entry.dfe_code, measure_id, latest.year) if latest else None
    ranked = f"{rank.rank} of {rank.of} ({QUARTERS[rank.quartile]})" if rank else ""
    return _median(values), len(values), england, ranked


def comparisons(
    ret: Any, returns: Sequence[Any], *, ctx: Context | None = None, table: ex.ExceptionTable | None = None
) -> list[Comparison]:
    """Each measure for ``ret`` against the group (``returns``, which holds ``ret``); see the module."""
    ctx = ctx or load_context()
    table = table or ex.exception_table(returns, ctx=ctx)
    row = next(i for i, r in enumerate(table.returns) if r is ret)
    names = {_key(n.name) for n in neighbours(ctx, ret.authority)}
    out = []
    for j, m in enumerate(table.measures):
        ranked = {i: table.cells[i][j].cell.value for i in range(len(table.returns))}
        values = {i: v for i, v in ranked.items() if v is not None}
        near = [v for i, v in values.items() if _key(table.returns[i].authority) in names]
        n_median, n_count, england, england_rank = _median(near), len(near), None, ""
        if m.source == "official":
            n_median, n_count, england, england_rank = _official_extra(ctx, ret, m.key.split(".", 1)[1])
        band = role_figure(ret, "iro").band("iro") if m.key == "survey.iro_caseload" else ""
        out.append(
            Comparison(
                measure=m,
                cell=table.cells[row][j],
                group_median=_median(list(values.values())),
                group_n=len(values),
                neighbours_median=n_median,
                neighbours_n=n_count,
                england=england,
                rank=rank_of(values, row),
                quarter=quarter_of(values, row, m.polarity),
                england_rank=england_rank,
                band=band,
                commentary=ret.commentary(m.key) if table.cells[row][j].flag else None,
            )
        )
    return out


@dataclass(frozen=True)
class Practice:
    """Something most of the group reports and this authority does not, with one peer's words."""

    taxonomy: str
    role: str
    label: str
    reporting: int
    answered: int
    peer: str
    sentence: str


def missing_practices(ret: Any, returns: Sequence[Any]) -> list[Practice]:
    """For each role this authority answered and each taxonomy: the codes more than half the group's
    returns report and this one does not, with the shortest sentence a peer's answers give for it."""
    out = []
    others = [r for r in returns if _key(r.authority) != _key(ret.authority)]
    for role in ROLE_LABELS:
        mine = getattr(ret, role)
        if mine is None:
            continue
        answering = [r for r in returns if getattr(r, role) is not None]
        for taxonomy, tax in TAXONOMIES.items():
            have = set(getattr(mine, tax.field))
            for code, label in tax.labels.items():
                reporting = [r for r in answering if code in getattr(getattr(r, role), tax.field)]
                if code in have or len(reporting) <= MOST * len(answering):
                    continue
                quotes = sorted(
                    (
                        (len(q), r.authority, q)
                        for r in others
                        if r in reporting
                        for q in getattr(r, role).quotes(taxonomy, code)
                    ),
                    key=lambda t: (t[0] < 30, t[0], t[1]),  # a full sentence, the shortest, then by name
                )
                if not quotes:
                    continue
                _, peer, sentence = quotes[0]
                out.append(Practice(taxonomy, role, label, len(reporting), len(answering), peer, sentence))
    return out


def change_since_last(ret: Any, previous: Sequence[Any]) -> tuple[Any | None, list[Change]]:
    """(its return in the group's previous round, what changed since), or (None, [])."""
    before = next((r for r in previous if _key(r.authority) == _key(ret.authority)), None)
    if before is None:
        return None, []
    return before, diff_returns(before, ret)
