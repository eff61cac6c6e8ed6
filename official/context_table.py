"""Context for many returns at once: one row per authority for a workbook's Context sheet or a page's
table, and the report ``cli.py context AUTHORITY`` prints. Pure: no Streamlit.

    rows = context_rows(returns)          # list of dicts with plain column names
    report = context_report("Kent", returns)
"""

from __future__ import annotations

from typing import Any

from official.context import (
    NO_FIGURES_NOT_NAMED,
    Context,
    authority_context,
    implied_workforce,
    load_context,
    neighbours,
)
from official.ofsted import OFSTED_ATTRIBUTION
from official.plausibility import INSPECTORS_RULE, flags
from official.register import OGL_ATTRIBUTION, display_name, is_not_named

#: The figures a Context sheet shows for each authority, with their column names.
SHEET_MEASURES = (
    ("LACnum", "Children looked after"),
    ("LAC", "Children looked after per 10,000"),
    ("CPP_Num", "Children on CP plans"),
    ("CPP_rate", "Children on CP plans per 10,000"),
    ("CP_conf_15days", "% initial CP conferences within 15 days"),
    ("CPP_Reviewed_pct", "% CP plans reviewed in time"),
)


def _num(v: float | None) -> float | int | None:
    return int(v) if isinstance(v, float) and v.is_integer() else v


def context_rows(returns: list[Any], ctx: Context | None = None) -> list[dict[str, Any]]:
    """One row per return: the authority's codes, latest official figures with their years, the implied
    full-time IROs and CP chairs (with the figures they come from) and the plausibility flags.

    A figure that is not available is None, never 0; an unnamed authority gets no figures and says why.
    """
    ctx = ctx or load_context()
    out = []
    for ret in returns:
        card = authority_context(ctx, ret.authority)
        a = card.authority
        row: dict[str, Any] = {
            "Authority": display_name(ret.authority),
            "Round": ret.round,
            "ONS code": a.ons_code if a else None,
            "DfE code": a.dfe_code if a else None,
            "Region": a.region if a else None,
            "Official figures": "" if a else card.message,
        }
        for measure_id, column in SHEET_MEASURES:
            m = card.measure(measure_id)
            row[column] = _num(m.value) if m else None
            row[f"{column}: year"] = m.year if m and m.value is not None else None
        implied = implied_workforce(ret, ctx)
        for role, label in ((implied.iro, "IRO"), (implied.cp_chair, "CP chair")):
            row[f"Implied FTE {label}s"] = role.fte
            row[f"Implied FTE {label}s: range"] = (
                f"{role.fte_low:g}–{role.fte_high:g}"
                if role.fte_low is not None and role.fte_high is not None and role.fte_low != role.fte_high
                else None
            )
            row[f"Implied FTE {label}s: from"] = (
                f"{role.official_value:,.0f} {role.official} ÷ caseload {role.midpoint:g}"
                if role.fte
                else role.reason
            )
            row[f"Stated FTE {label}s"] = role.stated_fte
            row[f"Implied caseload per {label}"] = role.implied_caseload
        row["Flags"] = "; ".join(f"{f.title}: {f.message}" for f in flags(ret, ctx))
        row["Series breaks"] = " ".join(card.breaks)
        out.append(row)
    return out


def context_report(
    authority: str, returns: list[Any], round_id: str | None = None, ctx: Context | None = None
) -> dict:
    """What ``cli.py context AUTHORITY --format json`` prints: the card, the implied FTEs and flags of the
    authority's latest return in ``returns`` (or of ``round_id``), and its statistical neighbours."""
    ctx = ctx or load_context()
    card = authority_context(ctx, authority)
    if card.authority is not None:
        mine = [r for r in returns if ctx.register.find(r.authority) == card.authority]
    else:
        mine = [r for r in returns if r.authority.lower() == authority.strip().lower()]
    if round_id:
        mine = [r for r in mine if r.round == round_id]
    ret = mine[-1] if mine else None
    a = card.authority
    found = [f.as_dict() for f in flags(ret, ctx)] if ret else []
    return {
        "authority": a.name if a else authority,
        "ons_code": a.ons_code if a else None,
        "dfe_code": a.dfe_code if a else None,
        "region": a.region if a else None,
        "message": card.message or None,
        "round": ret.round if ret else None,
        "measures": [m.as_dict() for m in card.measures],
        "series_breaks": card.breaks,
        "implied": implied_workforce(ret, ctx).as_dict() if ret else None,
        "flags": found,
        "neighbours": [n.as_dict() for n in neighbours(ctx, a)] if a else [],
        # A flag that quotes Ofsted's inspectors carries Ofsted's licence line too.
        "attribution": OGL_ATTRIBUTION
        + (f" {OFSTED_ATTRIBUTION}" if any(f["code"] == INSPECTORS_RULE for f in found) else ""),
        "not_named": is_not_named(authority) or card.message == NO_FIGURES_NOT_NAMED,
    }
