"""Official figures around a return: LAIT measures, statistical neighbours, implied workforce.

Pure functions over the committed extract in ``reference_data/`` (built by ``cli.py context
build``); no Streamlit. A page or a workbook calls them directly:

    ctx = load_context()                             # read once per process
    card = authority_context(ctx, "Kent")            # latest figures, region, England, rank, trend
    implied_workforce(ret, ctx)                      # children looked after ÷ IRO caseload, …
    neighbours(ctx, "Medway")                        # ten statistical neighbours with bands

Every figure that is not available carries its reason; it is never 0. Wherever these figures
are shown, show ``OGL_ATTRIBUTION`` too.
"""

from __future__ import annotations

import bisect
import csv
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.caseload import FAMILIES, MIXED, caseload_figure
from official.codes import DERIVED_REVIEWED, DID_NOT_EXIST, ENGLAND_CODE, LAIT_REGION_CODES
from official.register import (
    OGL_ATTRIBUTION,  # noqa: F401  (re-exported: shown with the figures)
    REFERENCE_DIR,
    Authority,
    Register,
    is_not_named,
    load_register,
)

NO_FIGURES_NOT_NAMED = "no official figures: the authority is not named"

#: The measures an authority's card shows, in order (the two components of the % reviewed
#: in time are kept in the extract but the card shows the percentage).
CARD_MEASURES = (
    "LACnum",
    "LAC",
    "LACnum_Start",
    "CPP_Num",
    "CPP_rate",
    "CP_conf_15days",
    DERIVED_REVIEWED,
    "CPPlans2yrsActive",
    "Work_Force_AvgNumCase_SW",
    "Work_Force_NoSW",
)


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    chart_title: str
    unit: str
    polarity: str  # "High" (high is good), "Low" (low is good) or "-" (neither)
    year_type: str
    year_label: str  # e.g. "at 31 March {year}"
    source: str
    derived_from: str = ""

    def when(self, year: str) -> str:
        """'at 31 March 2025' for the year label '2025'."""
        return self.year_label.format(year=year)


@dataclass(frozen=True)
class Figure:
    year: str
    value: float | None
    reason: str = ""  # why there is no value ("" when there is one)

    @property
    def available(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Rank:
    rank: int  # 1 = the highest value
    of: int
    quartile: int  # 1 = the highest quarter of values … 4 = the lowest
    label: str  # e.g. "highest quarter (high is good: best quarter)"


@dataclass
class MeasureContext:
    measure: Measure
    year: str | None
    value: float | None
    reason: str
    region_value: float | None
    england_value: float | None
    rank: Rank | None
    series: list[Figure]
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.measure.id,
            "name": self.measure.name,
            "year": self.year,
            "value": _num(self.value),
            "region_value": _num(self.region_value),
            "england_value": _num(self.england_value),
            "rank": self.rank.rank if self.rank else None,
            "of": self.rank.of if self.rank else None,
            "quartile": self.rank.label if self.rank else None,
            "reason": self.reason or None,
        }


@dataclass
class Context:
    measures: dict[str, Measure]
    register: Register
    _values: dict[tuple[str, str], dict[str, float | None]] = field(default_factory=dict, repr=False)
    _reasons: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)
    _notes: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _neighbours: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict, repr=False)
    years: list[str] = field(default_factory=list)
    _rank_memo: dict[tuple[str, str], list[float]] = field(default_factory=dict, repr=False)
    _series_memo: dict[tuple[str, str], tuple[Figure, ...]] = field(default_factory=dict, repr=False)

    # -- raw access --------------------------------------------------------------------------
    def figure(self, dfe_code: str, measure: str, year: str) -> Figure:
        cells = self._values.get((str(dfe_code), measure), {})
        if year not in cells:
            return Figure(year, None, "no figure in the extract")
        value = cells[year]
        reason = (
            "" if value is not None else self._reasons.get((str(dfe_code), measure, year), "not available")
        )
        return Figure(year, value, reason)

    def series(self, dfe_code: str, measure: str) -> list[Figure]:
        """Every year of the extract, oldest first, with a reason where there is no figure."""
        key = (str(dfe_code), measure)
        if key not in self._series_memo:  # worked out once per authority and measure
            cells = self._values.get(key, {})
            self._series_memo[key] = tuple(
                self.figure(dfe_code, measure, y) for y in self.years if y in cells
            )
        return list(self._series_memo[key])

    def latest(self, dfe_code: str, measure: str) -> Figure | None:
        """The latest year with a figure, or None."""
        for f in reversed(self.series(dfe_code, measure)):
            if f.available:
                return f
        return None

    def note(self, dfe_code: str, measure: str) -> str:
        return self._notes.get((str(dfe_code), measure), "")

    def region_area(self, authority: Authority) -> str:
        return LAIT_REGION_CODES[authority.region_code]

    def rank(self, dfe_code: str, measure: str, year: str) -> Rank | None:
        """Rank among the live authorities with a figure that year (1 = highest), and its quarter."""
        live = self._live_codes
        values = self._ranked(measure, year)
        mine = self._values.get((str(dfe_code), measure), {}).get(year)
        if mine is None or str(dfe_code) not in live or not values:
            return None
        n = len(values)
        rank = 1 + n - bisect.bisect_right(values, mine)  # 1 + how many live authorities are higher
        quartile = min(4, math.ceil(4 * rank / n))
        return Rank(rank, n, quartile, quartile_label(quartile, self.measures[measure].polarity))

    def _ranked(self, measure: str, year: str) -> list[float]:
        """The live authorities' figures for a measure and year, lowest first (worked out once)."""
        key = (measure, year)
        if key not in self._rank_memo:
            self._rank_memo[key] = sorted(
                v
                for code in self._live_codes
                if (v := self._values.get((code, measure), {}).get(year)) is not None
            )
        return self._rank_memo[key]

    @functools.cached_property
    def _live_codes(self) -> frozenset[str]:
        return frozenset(a.dfe_code for a in self.register.live())

    def neighbour_codes(self, dfe_code: str) -> list[tuple[int, str, str]]:
        """(rank, neighbour DfE code, band) for each of an authority's statistical neighbours."""
        return list(self._neighbours.get(str(dfe_code), []))


QUARTER_NAMES = {
    1: "highest quarter",
    2: "second-highest quarter",
    3: "second-lowest quarter",
    4: "lowest quarter",
}
JUDGEMENTS = {1: "best quarter", 2: "second-best quarter", 3: "second-worst quarter", 4: "worst quarter"}


def quartile_label(quartile: int, polarity: str) -> str:
    """'highest quarter' and, where the measure has a polarity, which way round is good."""
    where = QUARTER_NAMES[quartile]
    if polarity == "High":
        return f"{where} (high is good: {JUDGEMENTS[quartile]})"
    if polarity == "Low":
        return f"{where} (low is good: {JUDGEMENTS[5 - quartile]})"
    return where


def _num(v: float | None) -> float | int | None:
    """1896.0 -> 1896 for JSON and tables; other figures unchanged."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _float(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def _read(folder: Path, register: Register) -> Context:
    with open(folder / "measures.csv", encoding="utf-8", newline="") as fh:
        measures = {r["id"]: Measure(**r) for r in csv.DictReader(fh)}
    ctx = Context(measures=measures, register=register)
    with open(folder / "context.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        ctx.years = [c for c in reader.fieldnames or [] if c not in ("dfe_code", "area", "measure", "note")]
        for r in reader:
            key = (r["dfe_code"], r["measure"])
            ctx._values[key] = {y: _float(r[y]) for y in ctx.years if y in r}
            if r.get("note"):
                ctx._notes[key] = r["note"]
    with open(folder / "not_available.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            ctx._reasons[(r["dfe_code"], r["measure"], r["year"])] = r["reason"]
    with open(folder / "neighbours.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            ctx._neighbours.setdefault(r["dfe_code"], []).append(
                (int(r["rank"]), r["neighbour_dfe_code"], r["band"])
            )
    return ctx


@functools.lru_cache(maxsize=4)
def _cached(folder: str, mtime: float) -> Context:
    return _read(Path(folder), load_register(Path(folder) / "authorities.csv"))


def load_context(path: Path | str = REFERENCE_DIR) -> Context:
    """The extract in ``path`` (the folder of context.csv), read once per process."""
    folder = Path(path).resolve()
    return _cached(str(folder), (folder / "context.csv").stat().st_mtime)


# ---------------------------------------------------------------------------
# An authority's card


def measure_context(ctx: Context, authority: Authority, measure_id: str) -> MeasureContext:
    m = ctx.measures[measure_id]
    code = authority.dfe_code
    # The years under the authority's own code: none from before it began or after it ended.
    series = [f for f in ctx.series(code, measure_id) if f.reason != DID_NOT_EXIST]
    latest = ctx.latest(code, measure_id)
    if latest is None:
        last = series[-1] if series else None
        return MeasureContext(
            m,
            last.year if last else None,
            None,
            last.reason if last else "no figure in the extract",
            None,
            None,
            None,
            series,
            ctx.note(code, measure_id),
        )
    region = ctx.figure(ctx.region_area(authority), measure_id, latest.year)
    england = ctx.figure(ENGLAND_CODE, measure_id, latest.year)
    return MeasureContext(
        measure=m,
        year=latest.year,
        value=latest.value,
        reason="",
        region_value=region.value,
        england_value=england.value,
        rank=ctx.rank(code, measure_id, latest.year),
        series=series,
        note=ctx.note(code, measure_id),
    )


@dataclass
class AuthorityContext:
    authority: Authority | None
    measures: list[MeasureContext]
    breaks: list[str]
    message: str = ""  # e.g. "no official figures: the authority is not named"

    @property
    def available(self) -> bool:
        return self.authority is not None

    def measure(self, measure_id: str) -> MeasureContext | None:
        return next((m for m in self.measures if m.measure.id == measure_id), None)


def resolve(ctx: Context, authority: str | Authority) -> Authority | None:
    if isinstance(authority, Authority):
        return authority
    return ctx.register.lookup(authority)


def authority_context(ctx: Context, authority: str | Authority) -> AuthorityContext:
    """The card of an authority: each measure's latest figure with region, England, rank and series."""
    if isinstance(authority, str) and is_not_named(authority):
        return AuthorityContext(None, [], [], NO_FIGURES_NOT_NAMED)
    entry = resolve(ctx, authority)
    if entry is None:
        return AuthorityContext(None, [], [], f"no official figures: '{authority}' is not in the register")
    return AuthorityContext(
        entry,
        [measure_context(ctx, entry, m) for m in CARD_MEASURES if m in ctx.measures],
        series_breaks(ctx, entry),
    )


def _first_year(ctx: Context, authority: Authority) -> str | None:
    for f in ctx.series(authority.dfe_code, "LACnum"):
        if f.available:
            return f.year
    return None


def _when(d) -> str:
    return f"{d.day} {d:%B %Y}"


def _entry_label(reg: Register, a: Authority) -> str:
    """'Dorset (county, until 2019)' where another entry shares the name; else the name."""
    if not a.is_live and any(o is not a and o.name == a.name for o in reg.authorities):
        return f"{a.name} ({a.type.lower()}, until {a.date_of_termination:%Y})"
    return a.name


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def series_breaks(ctx: Context, authority: Authority) -> list[str]:
    """Sentences saying where an authority's series breaks, or why a change of code does not break it."""
    reg = ctx.register
    out = []
    before = sorted(reg.predecessors(authority), key=lambda a: a.name)
    start = _when(authority.date_of_operation)
    for b in before:
        if b.dfe_code == authority.dfe_code:
            out.append(
                f"{authority.name}'s ONS code changed on {start} ({b.ons_code} → {authority.ons_code}); "
                f"the DfE figures continue under code {authority.dfe_code}, so the series does not break."
            )
    replaced = [b for b in before if b.dfe_code != authority.dfe_code]
    if replaced:
        first = _first_year(ctx, authority)
        names = [_entry_label(reg, b) for b in replaced]
        codes = (
            [f"DfE code {replaced[0].dfe_code}"]
            if len(replaced) == 1
            else [f"{_entry_label(reg, b)}: DfE code {b.dfe_code}" for b in replaced]
        )
        others = sorted(
            {a.name for b in replaced for a in reg.successors(b) if a.ons_code != authority.ons_code}
        )
        shared = f", which also covered {_and(others)}" if others else ""
        out.append(
            f"The series breaks: {authority.name} began on {start}, replacing {_and(names)}. "
            f"Its figures start in {first or 'a later year'}; earlier figures are those of "
            f"{_and(names)} ({'; '.join(codes)}){shared}, and are not shown as {authority.name}'s."
        )
    if not authority.is_live:
        after = [a.name for a in reg.successors(authority)]
        out.append(f"{authority.name} ended on {_when(authority.date_of_termination)}; see {_and(after)}.")
    return out


# ---------------------------------------------------------------------------
# Implied workforce


@dataclass
class ImpliedRole:
    role: str  # "iro" or "cp_chair"
    label: str  # "IRO" or "CP chair"
    official: str = ""  # what the official figure counts, e.g. "children looked after at 31 March 2025"
    official_value: float | None = None
    official_year: str | None = None
    caseload_text: str | None = None
    caseload: str = ""  # the numbers as read: "65", "20–25", "up to 50"
    midpoint: float | None = None
    fte: float | None = None  # implied full-time equivalents at the midpoint
    fte_low: float | None = None  # at the highest caseload
    fte_high: float | None = None  # at the lowest caseload
    stated_fte: float | None = None
    implied_caseload: float | None = None  # official figure ÷ stated FTE
    notes: list[str] = field(default_factory=list)
    reason: str = ""  # why nothing could be computed

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "official": self.official or None,
            "official_value": _num(self.official_value),
            "official_year": self.official_year,
            "caseload": self.caseload or None,
            "caseload_text": self.caseload_text,
            "midpoint": self.midpoint,
            "implied_fte": self.fte,
            "implied_fte_range": [self.fte_low, self.fte_high] if self.fte_low is not None else None,
            "stated_fte": self.stated_fte,
            "implied_caseload": self.implied_caseload,
            "notes": self.notes,
            "reason": self.reason or None,
        }


ROLE_FIGURES = {
    "iro": ("LACnum", "children looked after"),
    "cp_chair": ("CPP_Num", "children on child protection plans"),
}


def _official(ctx: Context, authority: Authority, measure: str) -> Figure | None:
    return ctx.latest(authority.dfe_code, measure)


def _round1(x: float) -> float:
    return round(x, 1)


def implied_role(ret: Any, role: str, ctx: Context | None = None) -> ImpliedRole:
    """One role's implied FTE (official count ÷ caseload), or implied caseload (count ÷ stated FTE)."""
    label = {"iro": "IRO", "cp_chair": "CP chair"}[role]
    out = ImpliedRole(role, label)
    section = ret.iro if role == "iro" else ret.cp_chair
    caseload = section.caseload if section is not None else None
    out.stated_fte = ret.workforce.iro_fte if role == "iro" else ret.workforce.cp_chair_fte
    if caseload is not None:
        out.caseload_text = caseload.text
        out.caseload = caseload.as_numbers()
    if is_not_named(ret.authority):
        out.reason = NO_FIGURES_NOT_NAMED
        return out
    ctx = ctx or load_context()
    entry = ctx.register.find(ret.authority)
    if entry is None:
        out.reason = f"no official figures: '{ret.authority}' is not in the register"
        return out
    measure, words = ROLE_FIGURES[role]
    read = caseload_figure(caseload, role)
    if read.group == MIXED:
        lac, cpp = _official(ctx, entry, "LACnum"), _official(ctx, entry, "CPP_Num")
        if lac is None or cpp is None:
            out.reason = "the official figures are not available"
            return out
        out.official_value = lac.value + cpp.value
        out.official_year = lac.year
        if lac.year == cpp.year:
            out.official = (
                "children looked after and children on child protection plans together, "
                f"{ctx.measures['LACnum'].when(lac.year)}"
            )
        else:
            out.official = (
                f"children looked after ({ctx.measures['LACnum'].when(lac.year)}) and children on child "
                f"protection plans ({ctx.measures['CPP_Num'].when(cpp.year)}) together"
            )
        out.notes.append(
            "A mixed caseload: it is set against children looked after and children on child "
            "protection plans together."
        )
    else:
        fig = _official(ctx, entry, measure)
        if fig is None:
            out.reason = f"the official number of {words} is not available"
            return out
        out.official_value, out.official_year = fig.value, fig.year
        out.official = f"{words} {ctx.measures[measure].when(fig.year)}"
    if out.stated_fte:
        out.implied_caseload = _round1(out.official_value / out.stated_fte)
        out.notes.append(
            f"The source states {out.stated_fte:g} full-time {label}s: {out.official_value:,.0f} ÷ "
            f"{out.stated_fte:g} ≈ {out.implied_caseload:g} per {label}."
        )
    if caseload is None or not caseload.has_numbers:
        if not out.stated_fte:
            out.reason = "no caseload figure to compute from"
        return out
    if read.group == FAMILIES:
        out.reason = "the caseload counts families, and the official figures count children"
        return out
    if read.unit == "cases":
        out.notes.append("The caseload counts 'cases'; it is read as children.")
    mid = read.figure
    if not mid:
        out.reason = "no caseload figure to compute from"
        return out
    out.midpoint = mid
    out.fte = _round1(out.official_value / mid)
    low, high = read.low, read.high
    if low is None and high is not None:
        out.fte_low = out.fte_high = out.fte
        out.notes.append(f"A cap ('up to {high}'): {out.fte:g} is the fewest full-time {label}s it implies.")
    elif low is not None and high is not None and low != high:
        out.fte_low = _round1(out.official_value / high)
        out.fte_high = _round1(out.official_value / low) if low else None
        out.notes.append(
            f"A range: from {out.fte_low:g} to {out.fte_high:g} at its ends; the midpoint is used."
        )
    else:
        out.fte_low = out.fte_high = out.fte
    return out


@dataclass
class ImpliedWorkforce:
    iro: ImpliedRole
    cp_chair: ImpliedRole

    def as_dict(self) -> dict[str, Any]:
        return {"iro": self.iro.as_dict(), "cp_chair": self.cp_chair.as_dict()}


def implied_workforce(ret: Any, ctx: Context | None = None) -> ImpliedWorkforce:
    """Children looked after ÷ IRO caseload and CP plans ÷ CP chair caseload (or the other way round)."""
    return ImpliedWorkforce(implied_role(ret, "iro", ctx), implied_role(ret, "cp_chair", ctx))


# ---------------------------------------------------------------------------
# Statistical neighbours


@dataclass(frozen=True)
class Neighbour:
    rank: int
    name: str
    band: str
    dfe_code: str
    authority: Authority | None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "band": self.band}


def neighbours(ctx: Context, authority: str | Authority) -> list[Neighbour]:
    """An authority's ten statistical neighbours (LAIT, May 2025), closest first, with bands."""
    entry = resolve(ctx, authority)
    if entry is None:
        return []
    out = []
    for rank, code, band in ctx.neighbour_codes(entry.dfe_code):
        a = ctx.register.by_dfe(code)
        out.append(Neighbour(rank, a.name if a else code, band, code, a))
    return out


def neighbours_with_returns(
    ctx: Context, authority: str | Authority, returns: list[Any]
) -> dict[str, list[str]]:
    """Which of an authority's neighbours have a return in ``returns`` and which do not."""
    linked = {e.ons_code for r in returns if (e := ctx.register.find(r.authority)) is not None}
    have, missing = [], []
    for n in neighbours(ctx, authority):
        (have if n.authority is not None and n.authority.ons_code in linked else missing).append(n.name)
    return {"with_return": have, "without_return": missing}
