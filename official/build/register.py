"""Build ``reference_data/authorities.csv`` from the DfE's ``las.csv`` and LAIT's code list (``cli.py authorities build``).

One row per authority with children's services duties, past or present; reproducible byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from official.build.common import (
    DEFAULT_CODE_LIST,
    DEFAULT_LAS,
    ReferenceBuildError,
    _check_columns,
    _csv_text,
    _date,
    dfe_code,
)

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
    for n, row in enumerate(rows[1:], start=2):
        code, region = row[i_code], row[i_region]
        if code is None or not region:
            continue
        region = str(region).strip()
        code = dfe_code(code, f"{path.name}: row {n}, column 'LA Number'")
        out[code] = "London" if region in ("Inner London", "Outer London") else region
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
