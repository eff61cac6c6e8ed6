"""The canonical tables (Summary, matrices, Responses) and the formula-neutralising rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from excel_helpers import LONG_ANSWER, ROUNDS, northshire, returns, southshire, westshire_published

from analysis.tables import (
    NO_CP_SECTION_COMBINED,
    matrix_table,
    needs_neutralising,
    neutralise,
    responses_table,
    summary_columns,
    summary_table,
)
from models import taxonomy
from models.questionnaire import by_path

REAL_KENT = Path(__file__).resolve().parent.parent / "survey_data" / "seslip-qa-june" / "kent.yaml"


def _row(df: pd.DataFrame, authority: str) -> pd.Series:
    rows = df[df["Authority"] == authority]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_summary_has_one_row_per_return_with_the_agreed_columns():
    df = summary_table(returns(), ROUNDS)
    assert list(df["Authority"]) == ["Northshire", "Southshire", "Westshire"]
    assert list(df.columns) == summary_columns()
    assert list(df.columns[:4]) == ["Authority", "Round", "Model", "Kind"]
    assert "IRO caseload (as reported)" in df.columns and "CP chair high" in df.columns


def test_summary_row_for_separate_roles():
    row = _row(summary_table(returns(), ROUNDS), "Northshire")
    assert row["Model"] == "Separate"
    assert row["Kind"] == "Questionnaire return"
    assert row["IRO caseload (as reported)"] == "About 65 children"
    assert (row["IRO low"], row["IRO high"]) == (65, 65)
    assert (row["CP chair low"], row["CP chair high"]) == (40, 50)
    assert row["IRO unit"] == "children"
    assert row["CP chair unit"] == "families"
    assert row["IRO population"] == "children looked after"
    assert row["IRO QA activities"] == 2
    assert row["CP chair QA activities"] == 1
    assert row["IRO evidence types"] == 2
    assert row["IRO FTE"] == 7.5
    assert row["Data-quality notes"] == "Read '65' as children looked after.\nSecond note."


def test_summary_numbers_are_nullable_integers():
    df = summary_table(returns(), ROUNDS)
    for col in ("IRO low", "IRO high", "CP chair low", "CP chair high", "IRO QA activities"):
        assert str(df[col].dtype) == "Int64", col


def test_summary_combined_role_without_cp_section_says_so():
    row = _row(summary_table(returns(), ROUNDS), "Southshire")
    assert row["Model"] == "Combined"
    # "Up to 55": no lowest figure, highest 55; "cases" in short form.
    assert pd.isna(row["IRO low"]) and row["IRO high"] == 55
    assert row["IRO unit"] == "cases"
    assert row["IRO population"] == "mixed"
    assert row["CP chair caseload (as reported)"] == NO_CP_SECTION_COMBINED
    assert pd.isna(row["CP chair low"]) and pd.isna(row["CP chair QA activities"])


def test_summary_published_description():
    row = _row(summary_table(returns(), ROUNDS), "Westshire")
    assert row["Kind"] == "Published description"
    assert row["Model"] == "Not stated"
    assert row["IRO caseload (as reported)"] == "Not stated"
    assert pd.isna(row["IRO high"])


def test_summary_without_rounds_leaves_kind_empty():
    assert list(summary_table([northshire()])["Kind"]) == [""]


def test_matrix_has_a_boolean_column_per_code_in_taxonomy_order():
    df = matrix_table(returns(), "qa", "iro")
    assert list(df.columns) == ["Authority", "Model"] + [c.label for c in taxonomy.QA_ACTIVITIES]
    row = _row(df, "Northshire")
    assert row["Midway or progress reviews"]
    assert not row["Case-file audits"]
    assert _row(df, "Southshire")["Case-file audits"]
    assert df[taxonomy.QA_ACTIVITIES[0].label].dtype == bool


def test_matrix_skips_returns_without_the_role():
    df = matrix_table(returns(), "impact", "cp_chair")
    assert list(df["Authority"]) == ["Northshire"]  # Southshire and Westshire have no CP chair section
    assert list(df.columns[2:]) == [c.label for c in taxonomy.IMPACT_EVIDENCE]
    assert _row(df, "Northshire")["Service-user feedback"]


@pytest.mark.parametrize("bad", [("qa", "manager"), ("other", "iro")])
def test_matrix_rejects_unknown_taxonomy_or_role(bad):
    with pytest.raises(ValueError):
        matrix_table(returns(), *bad)


def test_responses_are_every_narrative_answer_in_full():
    df = responses_table([northshire(), southshire()])
    assert list(df.columns) == ["Authority", "Round", "Role", "Question", "Answer"]
    # Northshire: 4 answers per role x 2 roles; Southshire: 4 for the IRO section only.
    assert len(df) == 12
    north_iro = df[(df["Authority"] == "Northshire") & (df["Role"] == "IRO")]
    expectations = north_iro[north_iro["Question"] == by_path()["iro.expectations"].question]
    assert list(expectations["Answer"]) == [LONG_ANSWER]  # in full, not cut
    assert set(df["Role"]) == {"IRO", "CP chair"}
    assert by_path()["iro.caseload.text"].question in set(df["Question"])


def test_empty_input_gives_empty_tables_with_their_columns():
    assert list(summary_table([]).columns) == summary_columns()
    assert len(matrix_table([], "qa", "iro")) == 0
    assert len(responses_table([])) == 0
    assert westshire_published().cp_chair is None


# (value, expected) – CSV neutralising: a leading ' for text a spreadsheet would read as a formula.
NEUTRALISE_CASES = [
    ("=1+1", "'=1+1"),  # a formula
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),  # a link that leaks data
    ("+1", "'+1"),  # plus starts a formula
    ("-2", "'-2"),  # so does minus
    ("@SUM(A1)", "'@SUM(A1)"),  # and @ (Lotus-style functions)
    ("\tx", "'\tx"),  # a leading tab
    ("\rx", "'\rx"),  # a leading carriage return
    ("Kent", "Kent"),  # ordinary text unchanged
    ("a=b", "a=b"),  # "=" not at the start is harmless
    ("", ""),  # empty stays empty
    (65, 65),  # numbers are not text
    (None, None),  # nor is a missing value
]


@pytest.mark.parametrize(("value", "expected"), NEUTRALISE_CASES)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
    assert needs_neutralising(value) == (expected != value)


@pytest.mark.skipif(not REAL_KENT.exists(), reason="Kent's return has not been transcribed yet")
def test_real_kent_summary_row():
    from store.loading import load_survey_data

    ds = load_survey_data()
    row = _row(summary_table(ds.for_round("seslip-qa-june"), ds.rounds), "Kent")
    assert (row["IRO low"], row["IRO high"]) == (65, 65)
    assert (row["CP chair low"], row["CP chair high"]) == (64, 64)
