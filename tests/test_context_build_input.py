"""The yearly context build refuses bad input by file, row and column, and leaves the extract untouched.

Synthetic LAIT files (a few rows for Kent and Medway), a synthetic data dictionary and neighbours
sheet; each case breaks one thing. Table: (case, how the input is broken, the start of the message).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from official.build.common import REFERENCE_DIR
from official.build.context import DERIVED_POLARITY_FROM, MEASURES
from tests.support.cli import run_cli


def _lait_rows() -> list[dict]:
    rows = []
    for code, name in ((886, "Kent"), (887, "Medway")):
        for measure in MEASURES:
            for year in ("2024", "2025"):
                rows.append(
                    {
                        "Short Desc": measure,
                        "Years": year,
                        "LA and Regions": name,
                        "Values": "12.5",
                        "LA Number": float(code),
                    }
                )
    return rows


def _dictionary(path: Path) -> Path:
    rows = [
        {
            "Measure_short": m,
            "Measure": f"Measure {m}",
            "Chart_title": m,
            "Polarity": "Low",
            "y_axis_name": "Number",
            "Year_Type": "Annual",
            "Hyperlink(s)": "https://example.org",
        }
        for m in (*MEASURES, DERIVED_POLARITY_FROM)
    ]
    pd.DataFrame(rows).to_csv(path, index=False, encoding="latin-1")
    return path


def _neighbours(path: Path, kent_first: object = 887) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    header = ["LA num", "LA Name"]
    for k in range(1, 11):
        header += [f"SN{k}", "SNP"]
    ws.append(header)
    ws.append([886, "Kent", kent_first, "Very close"])
    ws.append([887, "Medway", 886, "Very close"])
    wb.save(path)
    return path


@pytest.fixture
def inputs(tmp_path):
    out = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, out)
    return {
        "out": out,
        "dictionary": _dictionary(tmp_path / "dictionary.csv"),
        "neighbours": _neighbours(tmp_path / "neighbours.xlsx"),
        "before": {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()},
    }


def _parquet(tmp_path: Path, rows: list[dict], **types) -> Path:
    df = pd.DataFrame(rows)
    for column, kind in types.items():
        df[column] = df[column].astype(kind) if kind != "bytes" else df[column].map(lambda v: str(v).encode())
    path = tmp_path / "lait.parquet"
    df.to_parquet(path)
    return path


def _csv(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "lait.csv"
    pd.DataFrame(rows).astype(str).to_csv(path, index=False)
    return path


def _build(capsys, inputs, lait: Path, neighbours: Path | None = None):
    return run_cli(
        capsys,
        "context",
        "build",
        "--lait",
        lait,
        "--neighbours",
        neighbours or inputs["neighbours"],
        "--dictionary",
        inputs["dictionary"],
        "--out",
        inputs["out"],
    )


def _with(row_change: dict, at: int = 0) -> list[dict]:
    rows = _lait_rows()
    rows[at] = {**rows[at], **row_change}
    return rows


# (case, the LAIT rows (or a broken parquet), the start of the message on standard error)
BAD_LAIT = [
    (
        "a DfE code that is a word",
        lambda tmp: _csv(tmp, _with({"LA Number": "Kent"}, at=3)),
        "context build: lait.csv: row 4 of the data, column 'LA Number': 'Kent' is not a DfE authority code",
    ),
    (
        "a DfE code that is the text nan",
        lambda tmp: _csv(tmp, _with({"LA Number": "nan"}, at=1)),
        "context build: lait.csv: row 2 of the data, column 'LA Number': 'nan' is not a DfE authority code",
    ),
    (
        "a DfE code that is a fraction",
        lambda tmp: _parquet(tmp, _with({"LA Number": 886.5})),
        "context build: lait.parquet: row 1 of the data, column 'LA Number': '886.5' is not a DfE authority code",
    ),
    (
        "a value of 1e999",
        lambda tmp: _parquet(tmp, _with({"Values": "1e999"}, at=2)),
        "context build: lait.parquet: row 3 of the data, column 'Values': '1e999' is not a finite figure",
    ),
    (
        "a value of -inf",
        lambda tmp: _parquet(tmp, _with({"Values": "-inf"})),
        "context build: lait.parquet: row 1 of the data, column 'Values': '-inf' is not a finite figure",
    ),
    (
        "values stored as bytes",
        lambda tmp: _parquet(tmp, _lait_rows(), Values="bytes"),
        "context build: The LAIT data file lait.parquet: column 'Values' holds bytes values (row 1 of the data:",
    ),
    (
        "years stored as true/false",
        lambda tmp: _parquet(tmp, [{**r, "Years": True} for r in _lait_rows()]),
        "context build: The LAIT data file lait.parquet: column 'Years' holds bool values (row 1 of the data:",
    ),
    (
        "no figure at all",
        lambda tmp: _parquet(tmp, [{**r, "Values": "x"} for r in _lait_rows()]),
        "context build: lait.parquet holds no figure for any authority in the measures kept",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), BAD_LAIT, ids=[c[0] for c in BAD_LAIT])
def test_a_bad_lait_file_is_refused_by_row_and_column_and_nothing_is_written(
    tmp_path, capsys, inputs, case, make, message
):
    result = _build(capsys, inputs, make(tmp_path))
    assert result.code == 1, result.text
    assert result.err.startswith(message), result.err
    assert "Nothing was written" in result.err and "Traceback" not in result.text
    assert {p.name: p.read_bytes() for p in inputs["out"].iterdir() if p.is_file()} == inputs["before"]


@pytest.mark.parametrize(
    ("case", "neighbour", "message"),
    [
        ("a word", "Medway", "'Medway' is not a DfE authority code"),
        ("a fraction", 886.5, "'886.5' is not a DfE authority code"),
        ("a negative number", -3, "'-3' is not a DfE authority code"),
    ],
)
def test_a_neighbour_that_is_not_an_authority_is_refused(tmp_path, capsys, inputs, case, neighbour, message):
    lait = _parquet(tmp_path, _lait_rows())
    result = _build(capsys, inputs, lait, _neighbours(tmp_path / "bad.xlsx", kent_first=neighbour))
    assert result.code == 1, result.text
    assert result.err.startswith(
        f"context build: The statistical neighbours file bad.xlsx: row 2, column 'SN1': {message}"
    ), result.err
    assert {p.name: p.read_bytes() for p in inputs["out"].iterdir() if p.is_file()} == inputs["before"]


def test_good_synthetic_input_builds(tmp_path, capsys, inputs):
    result = _build(capsys, inputs, _parquet(tmp_path, _lait_rows()))
    assert result.code == 0, result.text
    context = pd.read_csv(inputs["out"] / "context.csv", dtype=str)
    assert set(context["dfe_code"]) == {"886", "887"}
    assert (inputs["out"] / "neighbours.csv").read_text().splitlines()[1] == "886,1,887,Very close"
