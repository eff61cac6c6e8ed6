"""Build the committed reference data (``reference_data/``) from the DfE's public files.

Two builds, each reproducible byte for byte from the same input files:

* ``build_register`` reads ``dfe-published-data-qa/las.csv`` (ONS and DfE codes, dates, status)
  and LAIT's ``la_code_list.xlsx`` (to check each authority's region) and writes
  ``authorities.csv``: one row per authority with children's services duties, past or present.
* ``build_context`` reads LAIT's long data set, its data dictionary and the statistical
  neighbours, and writes ``context.csv`` (one row per area and measure, one column per year),
  ``not_available.csv`` (the reason for each empty figure), ``measures.csv`` and ``neighbours.csv``.

A file with the wrong columns raises ``ReferenceBuildError`` naming the columns expected;
``write_files`` writes each file to a temporary name first, so a failed build leaves the
committed files untouched. Run through ``cli.py authorities build`` and ``cli.py context build``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
REFERENCE_DIR = REPO / "reference_data"


def _shared_reference() -> Path:
    """``../shared/reference`` beside the repository (or beside a folder holding it, for a worktree)."""
    for parent in REPO.parents:
        candidate = parent / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "reference"


SHARED_REFERENCE = _shared_reference()
DEFAULT_LAS = SHARED_REFERENCE / "dfe-published-data-qa" / "las.csv"
DEFAULT_CODE_LIST = SHARED_REFERENCE / "lait" / "la_code_list.xlsx"
DEFAULT_LAIT = SHARED_REFERENCE / "lait" / "bds_long_0.parquet"
DEFAULT_DICTIONARY = SHARED_REFERENCE / "lait" / "lait_data_dictionary.csv"
DEFAULT_NEIGHBOURS = SHARED_REFERENCE / "lait" / "sn_may_2025.xlsx"


class ReferenceBuildError(Exception):
    """An input file cannot be used; the message says which file and what was expected."""


# ---------------------------------------------------------------------------
# The register of authorities

#: ONS region codes (E12) and their names. Checked against LAIT's code list at build time.
REGION_NAMES = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}

#: Usual names where the rules of ``usual_name`` are not enough.
USUAL_NAMES = {"St. Helens": "St Helens"}

#: What happened to each authority that ended (ONS codes): the authorities that took over,
#: and a sentence saying so. Checked at build time against the dates in las.csv.
SUCCESSIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "E10000001": (
        ("E06000055", "E06000056"),
        "Replaced on 1 April 2009 by Bedford and Central Bedfordshire.",
    ),
    "E10000004": (
        ("E06000049", "E06000050"),
        "Replaced on 1 April 2009 by Cheshire East and Cheshire West and Chester.",
    ),
    "E06000048": (
        ("E06000057",),
        "Re-coded on 1 April 2013 (ONS code E06000057); the DfE code 929 is unchanged.",
    ),
    "E08000020": (
        ("E08000037",),
        "Re-coded on 1 April 2013 (ONS code E08000037); the DfE code 390 is unchanged.",
    ),
    "E06000028": (("E06000058",), "Merged on 1 April 2019 into Bournemouth, Christchurch and Poole."),
    "E06000029": (("E06000058",), "Merged on 1 April 2019 into Bournemouth, Christchurch and Poole."),
    "E10000009": (
        ("E06000059", "E06000058"),
        "Replaced on 1 April 2019 by Dorset (a unitary authority) and, for Christchurch, "
        "Bournemouth, Christchurch and Poole.",
    ),
    "E10000002": (
        ("E06000060",),
        "Became a unitary authority on 1 April 2020 (ONS code E06000060); the DfE code 825 is unchanged.",
    ),
    "E10000021": (
        ("E06000061", "E06000062"),
        "Replaced on 1 April 2021 by North Northamptonshire and West Northamptonshire.",
    ),
    "E10000006": (
        ("E06000063", "E06000064"),
        "Replaced on 1 April 2023 by Cumberland and Westmorland and Furness.",
    ),
    "E10000023": (
        ("E06000065",),
        "Became a unitary authority on 1 April 2023 (ONS code E06000065); the DfE code 815 is unchanged.",
    ),
    "E10000027": (
        ("E06000066",),
        "Became a unitary authority on 1 April 2023 (ONS code E06000066); the DfE code 933 is unchanged.",
    ),
    "E08000016": (
        ("E08000038",),
        "Re-coded on 1 May 2025 (ONS code E08000038); the DfE code 370 is unchanged.",
    ),
    "E08000019": (
        ("E08000039",),
        "Re-coded on 1 May 2025 (ONS code E08000039); the DfE code 373 is unchanged.",
    ),
}

LAS_COLUMNS = (
    "new_la_code",
    "la_name",
    "date_of_operation",
    "date_of_termination",
    "parent_geography_code",
    "entity_code",
    "entity_description",
    "status",
    "old_la_code",
)

REGISTER_COLUMNS = (
    "name",
    "official_name",
    "ons_code",
    "dfe_code",
    "type",
    "region_code",
    "region",
    "status",
    "date_of_operation",
    "date_of_termination",
    "joint_ons_code",
    "joint_name",
    "successor_ons_codes",
    "note",
)

AUTHORITY_TYPES = {
    "E06": "Unitary authority",
    "E08": "Metropolitan district",
    "E09": "London borough",
    "E10": "County",
}


def usual_name(official: str) -> str:
    """'Bristol, City of' -> 'Bristol'; 'Herefordshire, County of' -> 'Herefordshire'; '&' -> 'and'."""
    name = re.sub(r"^(.*), (City|County) of$", r"\1", official.strip())
    name = re.sub(r"\s*&\s*", " and ", name)
    return USUAL_NAMES.get(name, name)


def _check_columns(found: Iterable[str], expected: Iterable[str], what: str) -> None:
    found = [str(c) for c in found]
    missing = [c for c in expected if c not in found]
    if missing:
        raise ReferenceBuildError(
            f"{what} does not have the columns expected. Expected: {', '.join(expected)}. "
            f"Missing: {', '.join(missing)}. Found: {', '.join(found) or 'none'}. Nothing was written."
        )


def _date(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date().isoformat()
    except ValueError as exc:
        raise ReferenceBuildError(f"{what}: '{text}' is not a date (DD/MM/YYYY).") from exc


def _read_code_list_regions(path: Path) -> dict[str, str]:
    """DfE code -> region name from LAIT's code list (Inner/Outer London read as London)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    _check_columns(header, ("LA Number", "LA Name", "Region"), f"{path.name}")
    i_code, i_region = header.index("LA Number"), header.index("Region")
    out = {}
    for row in rows[1:]:
        code, region = row[i_code], row[i_region]
        if code is None or not region:
            continue
        region = str(region).strip()
        out[str(int(code))] = "London" if region in ("Inner London", "Outer London") else region
    return out


def build_register(las_path: Path = DEFAULT_LAS, code_list_path: Path | None = DEFAULT_CODE_LIST) -> str:
    """The text of ``authorities.csv``, built from las.csv (and checked against the code list)."""
    las_path = Path(las_path)
    try:
        text = las_path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ReferenceBuildError(f"Cannot read {las_path}: {exc.strerror or exc}.") from exc
    reader = csv.DictReader(io.StringIO(text))
    _check_columns(reader.fieldnames or [], LAS_COLUMNS, las_path.name)
    rows = list(reader)

    joint: dict[str, tuple[str, str]] = {}
    singles = []
    for row in rows:
        ons = row["new_la_code"].strip()
        if " / " in ons:
            for code in ons.split(" / "):
                joint[code] = (ons, row["la_name"].strip())
            continue
        dfe = row["old_la_code"].strip()
        if not re.fullmatch(r"E(06|08|09|10)\d{6}", ons) or not re.fullmatch(r"\d{3}", dfe):
            # The BFPO row, and the five counties of 2009 that have no DfE code.
            continue
        singles.append(row)

    regions_check = _read_code_list_regions(Path(code_list_path)) if code_list_path else {}
    by_ons = {r["new_la_code"].strip(): r for r in singles}
    out = []
    for row in singles:
        ons = row["new_la_code"].strip()
        dfe = row["old_la_code"].strip()
        region_code = row["parent_geography_code"].strip()
        if region_code not in REGION_NAMES:
            raise ReferenceBuildError(f"{las_path.name}: {ons}: unknown region code '{region_code}'.")
        region = REGION_NAMES[region_code]
        status = row["status"].strip()
        if status == "live" and dfe in regions_check and regions_check[dfe].lower() != region.lower():
            raise ReferenceBuildError(
                f"{ons} ({row['la_name']}) is in {region} in las.csv but in {regions_check[dfe]} "
                "in the LAIT code list."
            )
        start = _date(row["date_of_operation"], f"{ons} date_of_operation")
        end = _date(row["date_of_termination"], f"{ons} date_of_termination")
        successors, note = SUCCESSIONS.get(ons, ((), ""))
        if status != "live" and not successors:
            raise ReferenceBuildError(
                f"{ons} ({row['la_name']}) has ended but its successor is not recorded."
            )
        for code in successors:
            nxt = by_ons.get(code)
            if (
                nxt is None
                or _date(nxt["date_of_operation"], code)
                != (dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat()
            ):
                raise ReferenceBuildError(f"{ons}: successor {code} does not start the day after {end}.")
        joint_code, joint_name = joint.get(ons, ("", ""))
        if joint_code:
            joint_note = f"Some DfE figures are published jointly as '{joint_name}'."
            note = f"{note} {joint_note}".strip()
        out.append(
            {
                "name": usual_name(row["la_name"]),
                "official_name": row["la_name"].strip(),
                "ons_code": ons,
                "dfe_code": dfe,
                "type": AUTHORITY_TYPES[ons[:3]],
                "region_code": region_code,
                "region": region,
                "status": status,
                "date_of_operation": start,
                "date_of_termination": end,
                "joint_ons_code": joint_code,
                "joint_name": joint_name,
                "successor_ons_codes": " ".join(successors),
                "note": note,
            }
        )
    live_names = [r["name"] for r in out if r["status"] == "live"]
    duplicates = sorted({n for n in live_names if live_names.count(n) > 1})
    if duplicates:
        raise ReferenceBuildError(f"Two live authorities share a name: {', '.join(duplicates)}.")
    out.sort(key=lambda r: (r["name"].lower(), r["status"] != "live", r["date_of_operation"]))
    return _csv_text(REGISTER_COLUMNS, out)


def _csv_text(columns: Iterable[str], rows: Iterable[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buf.getvalue()


def write_files(files: dict[Path, str]) -> None:
    """Write every file via a temporary file and a rename: a failure leaves the old file whole."""
    temps = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            temps.append((tmp, path))
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


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

#: A measure computed here from two LAIT measures; its polarity is that of LAIT's own
#: percentage measure ``RevCP`` (Review of Child Protection Cases).
DERIVED_REVIEWED = "CPP_Reviewed_pct"
DERIVED_POLARITY_FROM = "RevCP"

LAIT_COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
DICTIONARY_COLUMNS = ("Measure_short", "Measure", "Polarity", "y_axis_name", "Year_Type", "Hyperlink(s)")
NEIGHBOUR_COLUMNS = ("LA num", "LA Name", "SN1", "SNP", "SN10")

ENGLAND_CODE = "970"
#: LAIT's code for each region of the register (Inner and Outer London are left out).
LAIT_REGION_CODES = {
    "E12000001": "980",
    "E12000002": "981",
    "E12000003": "982",
    "E12000004": "983",
    "E12000005": "984",
    "E12000006": "985",
    "E12000007": "986",
    "E12000008": "989",
    "E12000009": "990",
}
REGION_AREA_CODES = tuple(LAIT_REGION_CODES.values())

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

#: The reason for a year before an authority began or after it ended.
DID_NOT_EXIST = "the authority did not exist on that date"

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
    for row in rows[header_at + 1 :]:
        if not row or row[0] is None or not str(row[0]).strip().isdigit():
            continue
        code = str(int(row[0]))
        for k in range(1, 11):
            i = header.index(f"SN{k}")
            neighbour, band = row[i], row[i + 1]
            if neighbour is None:
                continue
            band_text = str(band or "").strip()
            out.append(
                {
                    "dfe_code": code,
                    "rank": str(k),
                    "neighbour_dfe_code": str(int(neighbour)),
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
    sub["code"] = sub["LA Number"].map(lambda v: "" if v is None or v != v else str(int(float(v))))
    sub = sub[sub["code"].isin(keep_codes)]
    seen_codes = set(sub["code"])
    lait_names = dict(zip(sub["code"], sub["LA and Regions"], strict=True))
    for region_code, code in LAIT_REGION_CODES.items():
        if code in lait_names and lait_names[code].lower() != REGION_NAMES[region_code].lower():
            raise ReferenceBuildError(
                f"LAIT's area {code} is '{lait_names[code]}', expected {REGION_NAMES[region_code]}."
            )

    values: dict[tuple[str, str, str], tuple[float | None, str]] = {}
    for code, measure, year, raw in zip(
        sub["code"], sub["Short Desc"], sub["Years"], sub["Values"], strict=True
    ):
        text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
        try:
            number = float(text)
            if math.isnan(number):
                raise ValueError
            values[(code, measure, str(year))] = (number, "")
        except ValueError:
            values[(code, measure, str(year))] = (None, text)

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
    known = set(by_dfe)
    neighbours = [r for r in neighbours if r["dfe_code"] in known and r["neighbour_dfe_code"] in known]
    return {
        "context.csv": _csv_text((*CONTEXT_COLUMNS, *years, "note"), rows),
        "not_available.csv": _csv_text(NOT_AVAILABLE_COLUMNS, missing),
        "measures.csv": _csv_text(MEASURE_COLUMNS, measure_rows),
        "neighbours.csv": _csv_text(NEIGHBOUR_OUT_COLUMNS, neighbours),
    }
