"""Build the context extract of ``reference_data/`` from a LAIT release (``cli.py context build``).

Reads LAIT's long data set, its data dictionary and the statistical neighbours, and writes
``context.csv`` (one row per area and measure, one column per year), ``not_available.csv`` (the
reason for each empty figure), ``measures.csv`` and ``neighbours.csv``; reproducible byte for byte.
A file with the wrong columns raises ``ReferenceBuildError`` naming the columns expected, and
``write_files`` leaves the committed files untouched when a build fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from pathlib import Path

from official.build.common import (
    DEFAULT_DICTIONARY,
    DEFAULT_LAIT,
    DEFAULT_NEIGHBOURS,
    REFERENCE_DIR,
    TEXT,
    TEXT_OR_NUMBER,
    TEXT_OR_WHOLE,
    ReferenceBuildError,
    _check_columns,
    _csv_text,
    check_types,
    dfe_code,
    shorten,
    year_text,
)
from official.build.register import REGION_NAMES
from official.codes import DERIVED_REVIEWED, DID_NOT_EXIST, ENGLAND_CODE, LAIT_REGION_CODES, REGION_AREA_CODES

# ---------------------------------------------------------------------------
# The register of authorities


# ---------------------------------------------------------------------------
# The context extract (LAIT)

#: The measures kept, in the order shown.
MEASURES = (
    "LACnum",
    "LAC",
    "LACnum_Start",
    "CPP_Num",
    "CPP_rate",
    "CP_conf_15days",
    "CPP_Reviewed_InReqTimeScl",
    "CPP_31March_3MnthorMore",
    "CPPlans2yrsActive",
    "Work_Force_AvgNumCase_SW",
    "Work_Force_NoSW",
)

DERIVED_POLARITY_FROM = "RevCP"

LAIT_COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
#: What each LAIT column may hold (checked before anything is built or written): text, or a number
#: where LAIT's own files give one. A missing value (empty, NaN) is allowed everywhere.
LAIT_TYPES = {
    "Short Desc": TEXT,
    "Years": TEXT_OR_WHOLE,
    "LA and Regions": TEXT,
    "Values": TEXT_OR_NUMBER,
    "LA Number": TEXT_OR_NUMBER,
}
DICTIONARY_COLUMNS = ("Measure_short", "Measure", "Polarity", "y_axis_name", "Year_Type", "Hyperlink(s)")
NEIGHBOUR_COLUMNS = ("LA num", "LA Name", "SN1", "SNP", "SN10")


#: Codes LAIT and other DfE files use for a figure that is not there, and what each means.
NOT_AVAILABLE = {
    "-": "not published (shown as '-' in LAIT)",
    "x": "not available",
    "c": "suppressed to protect confidentiality",
    ".": "not applicable",
    "z": "not applicable",
    ":": "not available",
    "": "missing",
}


YEAR_LABELS = {
    "Annual": "at 31 March {year}",
    "Financial Year": "year ending 31 March {year}",
    "Annual (end of Sept)": "at 30 September {year}",
}

#: context.csv: these columns, then one column per year label (the figure, or empty), then "note".
CONTEXT_COLUMNS = ("dfe_code", "area", "measure")
#: not_available.csv: why each empty figure of context.csv is empty.
NOT_AVAILABLE_COLUMNS = ("dfe_code", "measure", "year", "reason")
MEASURE_COLUMNS = (
    "id",
    "name",
    "chart_title",
    "unit",
    "polarity",
    "year_type",
    "year_label",
    "source",
    "derived_from",
)
NEIGHBOUR_OUT_COLUMNS = ("dfe_code", "rank", "neighbour_dfe_code", "band")


def format_number(value: float) -> str:
    """The shortest exact text of a figure: '1896', '9.37', never '1896.0'."""
    value = round(value, 6)  # LAIT's text holds binary noise such as '84.300000000000011'
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _fix_text(text: object) -> str:
    """Dictionary text is latin-1 on disk but holds UTF-8 bytes in places: undo that where it does."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    s = str(text).strip()
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def _read_lait(path: Path):
    import pandas as pd

    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
        else:
            df = pd.read_parquet(path)
    except FileNotFoundError as exc:
        raise ReferenceBuildError(f"Cannot read {path}: the file does not exist.") from exc
    except Exception as exc:
        raise ReferenceBuildError(f"Cannot read {path} as a LAIT data file: {exc}.") from exc
    _check_columns(df.columns, LAIT_COLUMNS, f"The LAIT data file {path.name}")
    check_types(df, LAIT_TYPES, f"The LAIT data file {path.name}")
    return df


def _read_dictionary(path: Path):
    import pandas as pd

    try:
        df = pd.read_csv(path, encoding="latin-1", dtype=str, keep_default_na=False)
    except FileNotFoundError as exc:
        raise ReferenceBuildError(f"Cannot read {path}: the file does not exist.") from exc
    _check_columns(df.columns, DICTIONARY_COLUMNS, f"The LAIT data dictionary {Path(path).name}")
    return df


def read_neighbours(path: Path) -> list[dict]:
    """Rows of (dfe_code, rank, neighbour_dfe_code, band) from LAIT's statistical neighbours sheet."""
    import openpyxl

    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise ReferenceBuildError(f"Cannot read {path}: the file does not exist.") from exc
    except Exception as exc:
        raise ReferenceBuildError(f"Cannot read {path} as a workbook: {exc}.") from exc
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    header_at = next(
        (i for i, r in enumerate(rows[:10]) if r and str(r[0]).strip() == "LA num"),
        None,
    )
    if header_at is None:
        raise ReferenceBuildError(
            f"The statistical neighbours file {path.name} does not have the columns expected "
            f"(a header row starting 'LA num'). Expected: {', '.join(NEIGHBOUR_COLUMNS)}. Nothing was written."
        )
    header = [str(c).strip() if c is not None else "" for c in rows[header_at]]
    _check_columns(header, NEIGHBOUR_COLUMNS, f"The statistical neighbours file {path.name}")
    out = []
    for n, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not row or row[0] is None or not str(row[0]).strip().isdigit():
            continue
        code = str(int(row[0]))
        for k in range(1, 11):
            i = header.index(f"SN{k}")
            neighbour, band = row[i], row[i + 1]
            if neighbour is None or (isinstance(neighbour, str) and not neighbour.strip()):
                continue
            where = f"The statistical neighbours file {path.name}: row {n}, column 'SN{k}'"
            neighbour = dfe_code(neighbour, where)
            band_text = str(band or "").strip()
            out.append(
                {
                    "dfe_code": code,
                    "rank": str(k),
                    "neighbour_dfe_code": neighbour,
                    "band": band_text[:1].upper() + band_text[1:].lower(),
                }
            )
    out.sort(key=lambda r: (int(r["dfe_code"]), int(r["rank"])))
    return out


def _register_rows(register_path: Path) -> list[dict]:
    with open(register_path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _existed(entries: list[dict], when: dt.date) -> bool:
    for e in entries:
        start = dt.date.fromisoformat(e["date_of_operation"])
        end = dt.date.fromisoformat(e["date_of_termination"]) if e["date_of_termination"] else None
        if start <= when and (end is None or when <= end):
            return True
    return False


def _reference_date(year: str, year_type: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}", year):
        return None
    if year_type == "Annual (end of Sept)":
        return dt.date(int(year), 9, 30)
    return dt.date(int(year), 3, 31)


def build_context(
    lait_path: Path = DEFAULT_LAIT,
    neighbours_path: Path = DEFAULT_NEIGHBOURS,
    dictionary_path: Path = DEFAULT_DICTIONARY,
    register_path: Path = REFERENCE_DIR / "authorities.csv",
) -> dict[str, str]:
    """The texts of ``context.csv``, ``measures.csv`` and ``neighbours.csv``."""
    lait = _read_lait(lait_path)
    dictionary = _read_dictionary(dictionary_path)
    neighbours = read_neighbours(neighbours_path)
    register = _register_rows(register_path)

    by_dfe: dict[str, list[dict]] = {}
    for e in register:
        by_dfe.setdefault(e["dfe_code"], []).append(e)
    joint_partner: dict[str, str] = {}
    ons_to_dfe = {e["ons_code"]: e["dfe_code"] for e in register}
    for e in register:
        if e["joint_ons_code"]:
            for code in e["joint_ons_code"].split(" / "):
                if code != e["ons_code"] and code in ons_to_dfe:
                    joint_partner[e["dfe_code"]] = ons_to_dfe[code]

    info = {}
    dict_rows = {r["Measure_short"]: r for r in dictionary.to_dict("records")}
    for m in (*MEASURES, DERIVED_POLARITY_FROM):
        if m not in dict_rows:
            raise ReferenceBuildError(f"The data dictionary has no measure '{m}'.")
    measure_rows = []
    for m in MEASURES:
        r = dict_rows[m]
        info[m] = r
        measure_rows.append(
            {
                "id": m,
                "name": _fix_text(r["Measure"]),
                "chart_title": _fix_text(r.get("Chart_title", "")),
                "unit": _fix_text(r["y_axis_name"]),
                "polarity": _fix_text(r["Polarity"]) or "-",
                "year_type": _fix_text(r["Year_Type"]),
                "year_label": YEAR_LABELS.get(_fix_text(r["Year_Type"]), "{year}"),
                "source": _fix_text(r["Hyperlink(s)"]),
                "derived_from": "",
            }
        )
    reviewed = dict_rows["CPP_Reviewed_InReqTimeScl"]
    measure_rows.insert(
        MEASURES.index("CPP_31March_3MnthorMore") + 1,
        {
            "id": DERIVED_REVIEWED,
            "name": "% of child protection plans reviewed within the required timescales",
            "chart_title": "Child protection plans reviewed within the required timescales (%)",
            "unit": "%",
            "polarity": _fix_text(dict_rows[DERIVED_POLARITY_FROM]["Polarity"]) or "-",
            "year_type": _fix_text(reviewed["Year_Type"]),
            "year_label": YEAR_LABELS.get(_fix_text(reviewed["Year_Type"]), "{year}"),
            "source": _fix_text(reviewed["Hyperlink(s)"]),
            "derived_from": "CPP_Reviewed_InReqTimeScl / CPP_31March_3MnthorMore × 100",
        },
    )

    keep_codes = set(by_dfe) | {ENGLAND_CODE, *REGION_AREA_CODES}
    sub = lait[lait["Short Desc"].isin(MEASURES)].copy()
    name = Path(lait_path).name
    sub["code"] = [
        dfe_code(v, f"{name}: row {i + 1} of the data, column 'LA Number'")
        for i, v in zip(sub.index, sub["LA Number"], strict=True)
    ]
    sub = sub[sub["code"].isin(keep_codes)]
    seen_codes = set(sub["code"])
    lait_names = dict(zip(sub["code"], sub["LA and Regions"], strict=True))
    for region_code, code in LAIT_REGION_CODES.items():
        if code in lait_names and lait_names[code].lower() != REGION_NAMES[region_code].lower():
            raise ReferenceBuildError(
                f"LAIT's area {code} is '{lait_names[code]}', expected {REGION_NAMES[region_code]}."
            )

    values: dict[tuple[str, str, str], tuple[float | None, str]] = {}
    for i, code, measure, year, raw in zip(
        sub.index, sub["code"], sub["Short Desc"], sub["Years"], sub["Values"], strict=True
    ):
        text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
        try:
            number = float(text)
        except ValueError:
            values[(code, measure, year_text(year))] = (None, text)
            continue
        if not math.isfinite(number):
            raise ReferenceBuildError(
                f"{name}: row {i + 1} of the data, column 'Values': '{shorten(text)}' is not a finite figure "
                f"({measure}, {year_text(year)}). Nothing was written."
            )
        values[(code, measure, year_text(year))] = (number, "")

    years = sorted({k[2] for k in values})

    def area_of(code: str) -> str:
        return "england" if code == ENGLAND_CODE else "region" if code in REGION_AREA_CODES else "authority"

    def not_available(code: str, measure_year_type: str, year: str, raw: str) -> str:
        if code in by_dfe:
            when = _reference_date(year, measure_year_type)
            if when is not None and not _existed(by_dfe[code], when):
                return DID_NOT_EXIST
        return NOT_AVAILABLE.get(raw.lower(), f"not a figure in the source ('{raw}')")

    def joint_note(code: str, measure: str, cells: dict[str, float | None]) -> str:
        partner = joint_partner.get(code)
        if partner is None or not measure.startswith("Work_Force"):
            return ""
        same = [
            y
            for y, v in cells.items()
            if v is not None and values.get((partner, measure, y), (None,))[0] == v
        ]
        if not same:
            return ""
        return f"{', '.join(same)}: one figure for both authorities ('{by_dfe[code][0]['joint_name']}')"

    rows, missing = [], []
    for code in sorted(seen_codes, key=int):
        for measure in (*MEASURES, DERIVED_REVIEWED):
            if measure == DERIVED_REVIEWED:
                year_type = _fix_text(reviewed["Year_Type"])
            else:
                year_type = _fix_text(info[measure]["Year_Type"])
            cells: dict[str, float | None] = {}
            for year in years:
                if measure == DERIVED_REVIEWED:
                    num = values.get((code, "CPP_Reviewed_InReqTimeScl", year))
                    den = values.get((code, "CPP_31March_3MnthorMore", year))
                    if num is None or den is None:
                        continue
                    if num[0] is None or den[0] is None:
                        cell = (None, num[1] if num[0] is None else den[1])
                    elif den[0] == 0:
                        cell = (None, "no child protection plans of three months or more to review")
                    else:
                        cell = (round(100 * num[0] / den[0], 1), "")
                else:
                    cell = values.get((code, measure, year))
                    if cell is None:
                        continue
                number, raw = cell
                cells[year] = number
                if number is None:
                    reason = raw if raw.startswith("no child") else not_available(code, year_type, year, raw)
                    missing.append({"dfe_code": code, "measure": measure, "year": year, "reason": reason})
            if not cells:
                continue
            row = {"dfe_code": code, "area": area_of(code), "measure": measure}
            row.update({y: format_number(v) if v is not None else "" for y, v in cells.items()})
            row["note"] = joint_note(code, measure, cells)
            rows.append(row)
    if not rows:
        raise ReferenceBuildError(f"{Path(lait_path).name} holds none of the measures {', '.join(MEASURES)}.")
    if not any(v[0] is not None for v in values.values()):
        raise ReferenceBuildError(
            f"{name} holds no figure for any authority in the measures kept ({len(values)} cells, every one "
            "empty or not a number): it is not a LAIT data file this build can use. Nothing was written."
        )
    known = set(by_dfe)
    neighbours = [r for r in neighbours if r["dfe_code"] in known and r["neighbour_dfe_code"] in known]
    return {
        "context.csv": _csv_text((*CONTEXT_COLUMNS, *years, "note"), rows),
        "not_available.csv": _csv_text(NOT_AVAILABLE_COLUMNS, missing),
        "measures.csv": _csv_text(MEASURE_COLUMNS, measure_rows),
        "neighbours.csv": _csv_text(NEIGHBOUR_OUT_COLUMNS, neighbours),
    }
