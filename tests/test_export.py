"""The exported workbooks and CSVs, reopened with openpyxl and pandas as a reader would."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from excel_helpers import (
    HOSTILE,
    LONG_ANSWER,
    ROUNDS,
    all_cells,
    assert_no_formulas_macros_or_links,
    hostile_by_form_path,
    northshire,
    open_both,
    returns,
    southshire,
)

from analysis.tables import matrix_table, summary_table
from exports.csv_files import matrix_csv, summary_csv
from exports.text import file_stem, human_size
from exports.workbooks import caseload_rules, full_workbook, view_workbook
from models.returns import AuthorityReturn

WHEN = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)
DATA_SHEETS = ["Summary", "QA matrix", "Impact evidence matrix", "Exception table", "Responses", "Context"]
REAL_KENT = Path(__file__).resolve().parent.parent / "survey_data" / "seslip-qa-june" / "kent.yaml"

HISTORY = [
    {
        "round": "fake-round",
        "authority": "Northshire",
        "version": 1,
        "saved_at": dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC),
        "channel": "seed",
        "submitted_by": "seed",
        "changes": [],
    },
    {
        "round": "fake-round",
        "authority": "Northshire",
        "version": 2,
        "saved_at": "2026-02-01T15:45:00+00:00",
        "channel": "upload",
        "submitted_by": "authority lead",
        "changes": ["IRO role: Case holding: highest figure: 60 → 65"],
    },
]


@pytest.fixture(scope="module")
def full() -> bytes:
    return full_workbook(
        returns(),
        ROUNDS,
        filters_description=["Round: A synthetic round for tests"],
        history=HISTORY,
        generated_at=WHEN,
    )


def _sheet_rows(data: bytes, sheet: str) -> list[tuple]:
    return list(open_both(data)[sheet].iter_rows(values_only=True))


def _summary_row(data: bytes, authority: str) -> dict:
    rows = _sheet_rows(data, "Summary")
    header = rows[0]
    for r in rows[1:]:
        if r[0] == authority:
            return dict(zip(header, r, strict=True))
    raise AssertionError(f"no Summary row for {authority}")


def test_full_workbook_has_the_sheets_in_order(full):
    names = open_both(full).sheetnames
    assert names == ["About", *DATA_SHEETS[:5], "Data-quality notes", *DATA_SHEETS[5:], "Versions"]


def test_versions_sheet_only_where_history_is_given():
    data = full_workbook(returns(), ROUNDS)
    assert "Versions" not in open_both(data).sheetnames


def test_summary_row_numbers_are_numbers(full):
    row = _summary_row(full, "Northshire")
    assert row["IRO caseload (as reported)"] == "About 65 children"
    assert row["IRO low"] == 65 and isinstance(row["IRO low"], int)
    assert row["IRO high"] == 65
    assert (row["CP chair low"], row["CP chair high"]) == (40, 50)
    assert row["IRO FTE"] == 7.5
    assert row["IRO QA activities"] == 2
    ws = open_both(full)["Summary"]
    header = [c.value for c in ws[1]]
    low_cell = ws.cell(row=2, column=header.index("IRO low") + 1)
    assert low_cell.data_type == "n"


def test_empty_numbers_are_empty_cells_not_text(full):
    row = _summary_row(full, "Southshire")
    assert row["IRO low"] is None  # "up to 55"
    assert row["IRO high"] == 55
    assert row["CP chair low"] is None
    assert row["CP chair caseload (as reported)"].startswith("Not answered")


def test_pandas_reads_the_summary_as_a_reader_would(full):
    df = pd.read_excel(io.BytesIO(full), sheet_name="Summary")
    north = df[df["Authority"] == "Northshire"].iloc[0]
    assert north["IRO high"] == 65
    assert north["CP chair high"] == 50
    assert pd.api.types.is_numeric_dtype(df["IRO high"])
    assert pd.api.types.is_numeric_dtype(df["CP chair low"])
    assert list(df["Authority"]) == ["Northshire", "Southshire", "Westshire"]


def test_matrices_say_yes_in_words_per_role(full):
    df = pd.read_excel(io.BytesIO(full), sheet_name="QA matrix", keep_default_na=False)
    assert list(df.columns[:4]) == ["Role", "Authority", "Round", "Model"]
    north_iro = df[(df["Authority"] == "Northshire") & (df["Role"] == "IRO")].iloc[0]
    assert north_iro["Midway or progress reviews"] == "Yes"
    assert north_iro["Case-file audits"] == ""
    north_cp = df[(df["Authority"] == "Northshire") & (df["Role"] == "CP chair")].iloc[0]
    assert north_cp["Dispute resolution or escalation"] == "Yes"
    # Southshire (combined, one section) has an IRO row only.
    assert list(df[df["Authority"] == "Southshire"]["Role"]) == ["IRO"]
    impact = pd.read_excel(io.BytesIO(full), sheet_name="Impact evidence matrix", keep_default_na=False)
    assert "Audit findings" in impact.columns
    assert set(impact["Audit findings"]) <= {"Yes", ""}


def test_responses_hold_every_answer_in_full(full):
    df = pd.read_excel(io.BytesIO(full), sheet_name="Responses")
    assert list(df.columns) == ["Authority", "Round", "Role", "Question", "Answer"]
    # An answer too long for one row (Excel's tallest row is 409 points) is in parts, in order, whole.
    parts = df[df["Question"].str.contains(r"\(part \d+ of \d+\)")]
    assert len(parts) >= 2 and all(len(a) <= 1700 for a in parts["Answer"])
    assert " ".join(parts["Answer"]).split() == LONG_ANSWER.split()
    assert parts["Question"].iloc[0].endswith(f"(part 1 of {len(parts)})")
    assert len(df) == 12 + 1 + len(parts) - 1  # Westshire's one quoted passage


def test_versions_sheet(full):
    df = pd.read_excel(io.BytesIO(full), sheet_name="Versions")
    assert list(df["Version"]) == [1, 2]
    assert list(df["Channel"]) == ["seed", "upload"]
    assert df["What changed"].iloc[0] == "First version"
    assert "60 → 65" in df["What changed"].iloc[1]
    assert df["Saved at (UTC)"].iloc[1] == pd.Timestamp("2026-02-01 15:45")


def test_versions_accepts_the_store_history(tmp_path):
    from store import Store
    from store.loading import Dataset

    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.seed(Dataset(rounds=dict(ROUNDS), returns=[northshire()]))
    current = store.current("fake-round", "Northshire")
    changed = current.model_copy(update={"combined_role": True})
    store.save(changed, based_on=1, channel="upload", submitted_by="authority lead")
    history = store.history("fake-round", "Northshire")
    data = full_workbook([changed], ROUNDS, history=history, generated_at=WHEN)
    rows = _sheet_rows(data, "Versions")
    assert rows[0] == (
        "Round",
        "Authority",
        "Version",
        "Saved at (UTC)",
        "Channel",
        "Submitted by",
        "What changed",
    )
    assert [r[2] for r in rows[1:]] == [1, 2]
    assert rows[2][4] == "upload"
    assert "Combined role" in rows[2][6]
    store.dispose()


def test_about_sheet_says_what_a_reader_needs(full):
    text = "\n".join(str(v) for row in _sheet_rows(full, "About") for v in row if v)
    assert "A synthetic round for tests" in text  # the round
    assert "Round: A synthetic round for tests" in text  # the filters applied
    assert "4 March 2026 at 09:30 UTC" in text  # when generated
    assert "synthetic-source.txt" in text and "doc-a.txt" in text  # the sources
    assert "50–70 children looked after per full-time IRO" in text  # the reference band
    assert "IRO Handbook (Department for Children, Schools and Families, 2010)" in text
    for rule in caseload_rules():  # the caseload rules, as written on the model
        assert rule in text
    assert "Role column" in text  # how the matrices are laid out


def test_caseload_rules_are_read_from_the_model():
    rules = caseload_rules()
    assert any("single figure" in r for r in rules)
    assert any("0 to 500" in r for r in rules)


def test_every_data_sheet_is_a_filterable_table_with_frozen_printed_header(full):
    wb = open_both(full)
    for name in [*DATA_SHEETS, "Versions"]:
        ws = wb[name]
        assert len(ws.tables) == 1, name
        table = next(iter(ws.tables.values()))
        assert table.ref == ws.dimensions, name  # the table covers every row and column
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref  # filter buttons
        assert table.headerRowCount in (None, 1)
        assert ws.freeze_panes in ("B2", "C2", "D2"), name  # header row and identifying columns frozen
        assert ws.print_title_rows == "$1:$1", name  # header printed on every page
        # The identifying columns (Authority, Round; Role first in a matrix) print on every page across.
        assert ws.print_title_cols == f"$A:${chr(ord(ws.freeze_panes[0]) - 1)}", name


def test_long_text_wraps_and_columns_stay_readable(full):
    ws = open_both(full)["Responses"]
    header = [c.value for c in ws[1]]
    answer_col = header.index("Answer") + 1
    assert ws.cell(row=2, column=answer_col).alignment.wrap_text
    # Never wider than a printed page holds at 8 point (an A4 page on its side).
    assert ws.column_dimensions[ws.cell(row=1, column=answer_col).column_letter].width <= 190


def test_no_formulas_macros_or_links(full):
    assert_no_formulas_macros_or_links(full)


def test_hostile_answers_from_the_form_come_out_as_plain_text():
    ret = hostile_by_form_path()
    data = full_workbook([ret], ROUNDS, generated_at=WHEN)
    assert_no_formulas_macros_or_links(data)
    wb = open_both(data)
    texts = {c.value for _, c in all_cells(wb) if c.data_type == "s"}
    for key in ("hyperlink", "sum", "plus", "minus", "at"):
        assert HOSTILE[key] in texts, key
    # The model trims a leading tab or carriage return, so nothing starts with one.
    assert not [v for v in texts if v.startswith(("\t", "\r"))]
    # pandas sees the same text (not a computed value).
    summary = pd.read_excel(io.BytesIO(data), sheet_name="Summary", dtype=str)
    assert summary["IRO caseload (as reported)"].iloc[0] == "+1"
    assert summary["CP chair caseload (as reported)"].iloc[0] == "-2"
    responses = pd.read_excel(io.BytesIO(data), sheet_name="Responses")
    assert HOSTILE["hyperlink"] in set(responses["Answer"])


def test_hostile_authority_name_and_raw_table_text_stay_text():
    ret = southshire().model_copy(update={"authority": "@Evilshire"})
    raw = pd.DataFrame({"Answer": list(HOSTILE.values()), "Figure": range(len(HOSTILE))})
    data = view_workbook("Hostile view", ["=filter"], {"Raw": raw, "Summary": summary_table([ret])})
    assert_no_formulas_macros_or_links(data)
    rows = _sheet_rows(data, "Raw")
    expected = list(HOSTILE.values())
    # Kept as text. XML turns a carriage return into a line break, so "\rx" comes back as "\nx".
    expected[expected.index("\rx")] = "\nx"
    assert [r[0] for r in rows[1:]] == expected
    assert _sheet_rows(data, "Summary")[1][0] == "@Evilshire"


def test_characters_a_workbook_cannot_hold_are_marked_not_a_crash():
    df = pd.DataFrame({"Answer": ["bell\x07 and vertical tab\x0b here"]})
    rows = _sheet_rows(view_workbook("Odd", [], {"Odd": df}), "Odd")
    assert rows[1][0] == "bell\ufffd and vertical tab\ufffd here"


def test_view_workbook_has_about_and_one_sheet_per_table():
    tables = {
        "Caseloads": summary_table(returns(), ROUNDS)[["Authority", "IRO low", "IRO high"]],
        "QA inputs (IRO)": matrix_table(returns(), "qa", "iro"),
    }
    data = view_workbook("Caseloads by authority", ["Model: separate", "Role: IRO"], tables, WHEN)
    wb = open_both(data)
    assert wb.sheetnames == ["About", "Caseloads", "QA inputs (IRO)"]
    about = "\n".join(str(v) for row in wb["About"].iter_rows(values_only=True) for v in row if v)
    assert "Caseloads by authority" in about and "Model: separate\nRole: IRO" in about
    df = pd.read_excel(io.BytesIO(data), sheet_name="QA inputs (IRO)", keep_default_na=False)
    assert df[df["Authority"] == "Southshire"]["Case-file audits"].iloc[0] == "Yes"
    caseloads = pd.read_excel(io.BytesIO(data), sheet_name="Caseloads")
    assert caseloads["IRO high"].tolist()[:2] == [65, 55]
    assert_no_formulas_macros_or_links(data)
    for name in ("Caseloads", "QA inputs (IRO)"):
        assert len(wb[name].tables) == 1


def test_view_workbook_sheet_names_are_made_valid_and_unique():
    df = pd.DataFrame({"A": [1]})
    tables = {"What: a/b?": df, "What  a b ": df, "x" * 40: df}
    wb = open_both(view_workbook("T", [], tables))
    assert len(wb.sheetnames) == 4
    assert all(len(n) <= 31 for n in wb.sheetnames)


def test_an_empty_selection_still_gives_a_valid_workbook():
    data = full_workbook([], ROUNDS, generated_at=WHEN)
    wb = open_both(data)
    assert wb["Summary"]["A2"].value == "(no rows)"
    assert pd.read_excel(io.BytesIO(data), sheet_name="Summary").shape[0] == 1


# ---------------------------------------------------------------------------
# CSV


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_summary_csv_has_the_same_rows_and_numbers():
    rows = _csv_rows(summary_csv(returns(), ROUNDS))
    header = rows[0]
    north = dict(zip(header, rows[1], strict=True))
    assert north["Authority"] == "Northshire"
    assert north["IRO low"] == "65" and north["CP chair high"] == "50"
    assert north["IRO FTE"] == "7.5"
    south = dict(zip(header, rows[2], strict=True))
    assert south["IRO low"] == ""  # missing number: empty
    df = pd.read_csv(io.BytesIO(summary_csv(returns(), ROUNDS)), encoding="utf-8-sig")
    assert df.loc[df["Authority"] == "Northshire", "IRO high"].iloc[0] == 65


def test_matrix_csv_for_one_role_and_both():
    rows = _csv_rows(matrix_csv(returns(), "qa", "iro"))
    assert rows[0][:3] == ["Authority", "Model", "Midway or progress reviews"]
    assert rows[1][2] == "Yes"
    both = _csv_rows(matrix_csv(returns(), "impact"))
    assert both[0][:4] == ["Role", "Authority", "Round", "Model"]
    assert [r[0] for r in both[1:]] == ["IRO", "IRO", "IRO", "CP chair"]


def test_csv_neutralises_hostile_answers():
    ret = hostile_by_form_path()
    evil = southshire().model_copy(update={"authority": "=Evilshire"})
    rows = _csv_rows(summary_csv([ret, evil], ROUNDS))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["IRO caseload (as reported)"] == "'+1"
    assert first["CP chair caseload (as reported)"] == "'-2"
    assert rows[2][0] == "'=Evilshire"
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    qa = _csv_rows(matrix_csv([evil], "qa", "iro"))
    assert qa[1][0] == "'=Evilshire"


# ---------------------------------------------------------------------------
# Helpers


@pytest.mark.parametrize(
    ("size", "label"),
    [
        (100, "1 KB"),  # anything under a kilobyte says 1 KB
        (12 * 1024, "12 KB"),
        (1536 * 1024, "1.5 MB"),
    ],
)
def test_human_size(size, label):
    assert human_size(size) == label


def test_file_stem():
    assert file_stem("Caseloads by authority") == "caseloads-by-authority"
    assert file_stem("???") == "export"


@pytest.mark.skipif(not REAL_KENT.exists(), reason="Kent's return has not been transcribed yet")
def test_real_data_kent_caseloads_on_the_summary_row():
    from store.loading import load_survey_data

    ds = load_survey_data()
    data = full_workbook(ds.returns, ds.rounds)
    row = _summary_row(data, "Kent")
    assert (row["IRO low"], row["IRO high"]) == (65, 65)
    assert (row["CP chair low"], row["CP chair high"]) == (64, 64)
    df = pd.read_excel(io.BytesIO(data), sheet_name="Summary")
    kent = df[df["Authority"] == "Kent"].iloc[0]
    assert kent["IRO high"] == 65 and kent["CP chair high"] == 64
    assert_no_formulas_macros_or_links(data)
    # Every return is there once.
    assert sorted(df["Authority"]) == sorted(r.authority for r in ds.returns)
    assert isinstance(ds.returns[0], AuthorityReturn)


# ---------------------------------------------------------------------------
# A real spreadsheet application


def test_libreoffice_opens_the_export_as_a_reader_would(tmp_path):
    """LibreOffice (headless) shows Kent's figures and leaves hostile answers as typed text."""
    import os

    import libreoffice_check

    if libreoffice_check.soffice() is None:
        if os.environ.get("REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed (libreoffice-calc-nogui).")
        pytest.skip("LibreOffice (soffice) is not installed")
    assert libreoffice_check.check(tmp_path) == []


def test_a_page_table_with_a_named_index_and_lists_keeps_them():
    df = pd.DataFrame(
        {"Activities": [["Panels", "Audits"], []], "Caseload": [65, 70]},
        index=pd.Index(["Northshire", "Southshire"], name="Authority"),
    )
    rows = _sheet_rows(view_workbook("T", [], {"View": df}), "View")
    assert rows[0] == ("Authority", "Activities", "Caseload")
    assert rows[1] == ("Northshire", "Panels; Audits", 65)
    assert rows[2][0] == "Southshire" and rows[2][2] == 70


def test_sheet_and_table_names_excel_accepts():
    df = pd.DataFrame({"A": [1]})
    wb = open_both(view_workbook("T", [], {"History": df, "QA1": df, "'Quoted'": df, "2025": df}))
    assert wb.sheetnames == ["About", "History (sheet)", "QA1", "Quoted", "2025"]
    names = [t.displayName for ws in wb.worksheets for t in ws.tables.values()]
    assert names == ["History__sheet", "T_QA1", "Quoted", "T_2025"]


# ---------------------------------------------------------------------------
# What the workbook writer (XlsxWriter) must keep doing for a reader


def _column_width(ws, index: int) -> float:
    """The width of column ``index`` (1-based), also where adjacent columns share one <col> entry."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= dim.max and dim.customWidth:
            return dim.width
    raise AssertionError(f"column {index} has no width set")


def test_long_answers_get_a_wide_wrapped_column_and_short_ones_stay_narrow(full):
    ws = open_both(full)["Responses"]
    header = [c.value for c in ws[1]]
    answer = header.index("Answer") + 1
    assert 40 <= _column_width(ws, answer) <= 190  # it fills the printed page's width
    assert _column_width(ws, header.index("Role") + 1) <= 20
    assert ws.cell(row=2, column=header.index("Authority") + 1).alignment.wrap_text is not True


def test_yes_cells_are_filled_and_centred_and_blank_cells_are_not(full):
    ws = open_both(full)["QA matrix"]
    header = [c.value for c in ws[1]]
    col = header.index("Midway or progress reviews") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=2).value == "Northshire")
    yes = ws.cell(row=row, column=col)
    assert yes.value == "Yes" and yes.data_type == "s"
    assert yes.fill.fill_type == "solid" and yes.alignment.horizontal == "center"
    blank = ws.cell(row=row, column=header.index("Case-file audits") + 1)
    assert blank.value in (None, "") and blank.fill.fill_type is None


def test_headings_are_bold_and_a_matrix_heading_row_is_tall_enough_to_wrap(full):
    wb = open_both(full)
    for name in [*DATA_SHEETS, "Versions"]:
        assert all(c.font.b for c in wb[name][1]), name
    assert wb["QA matrix"].row_dimensions[1].height >= 30  # long activity names wrap onto 2+ lines


def test_dates_are_dates_and_sheets_print_landscape(full):
    wb = open_both(full)
    saved = wb["Versions"]["D2"]
    assert saved.value == dt.datetime(2026, 1, 5, 10, 0) and saved.is_date
    assert saved.number_format == "yyyy-mm-dd hh:mm"
    for name in DATA_SHEETS:
        # Upright or on its side, whichever takes fewer pages; fitted to one page wide only where the text
        # stays readable, else at 8 point (73%), never smaller (tests/test_print_setup.py).
        assert wb[name].page_setup.orientation in ("portrait", "landscape"), name
        assert wb[name].sheet_properties.pageSetUpPr.fitToPage or wb[name].page_setup.scale == 73, name
    assert wb.properties.creator == "IRO and CP chair benchmarking"
    assert wb.properties.created == dt.datetime(2026, 3, 4, 9, 30)


@pytest.mark.parametrize(
    ("typed", "read_back"),
    [
        ("0123", "0123"),  # looks like a number: stays text, leading zero kept
        ("1e5", "1e5"),  # scientific notation: stays text
        ("https://evil.example/x", "https://evil.example/x"),  # a web address: text, not a link
        ("mailto:a@b.example", "mailto:a@b.example"),  # an email link: text, not a link
        ("line one\r\nline two", "line one\nline two"),  # Windows line ending: one line break
        ("  spaced  ", "  spaced  "),  # leading and trailing spaces kept
    ],
)
def test_text_is_never_turned_into_numbers_links_or_formulas(typed, read_back):
    data = view_workbook("T", [], {"Typed": pd.DataFrame({"Answer": [typed]})})
    ws = open_both(data)["Typed"]
    assert ws["A2"].value == read_back and ws["A2"].data_type == "s"
    assert not ws._hyperlinks
    assert_no_formulas_macros_or_links(data)


def test_numbers_of_every_kind_stay_numbers_and_missing_ones_stay_empty():
    import numpy as np

    df = pd.DataFrame(
        {
            "Name": ["a", "b", "c"],
            "Count": pd.array([1, None, 3], dtype="Int64"),  # pandas' nullable integers
            "Share": [0.5, float("nan"), 1.25],
            "Mixed": [np.int64(7), None, np.float64(2.5)],  # numpy scalars in an object column
            "Flag": [True, False, np.bool_(True)],  # a Yes/blank column
        }
    )
    df["Mixed"] = df["Mixed"].astype(object)
    rows = _sheet_rows(view_workbook("T", [], {"Numbers": df}), "Numbers")
    assert rows[1] == ("a", 1, 0.5, 7, "Yes")
    assert rows[2][1:4] == (None, None, None) and rows[2][4] in (None, "")
    assert rows[3] == ("c", 3, 1.25, 2.5, "Yes")


def test_importing_the_export_module_does_not_load_an_excel_library():
    """Pages that never export start without openpyxl or XlsxWriter."""
    import subprocess
    import sys

    code = (
        "import sys, exports.xlsx; print(sorted(m for m in ('openpyxl', 'xlsxwriter') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_template_has_its_own_styles_and_export_borrows_none():
    from openpyxl.styles import Alignment, Font

    from exports import template_writer as template
    from exports import xlsx as export

    assert isinstance(template.HEADER_FONT, Font) and template.HEADER_FONT.b
    assert isinstance(template.TITLE_FONT, Font) and template.TITLE_FONT.sz == 14
    assert isinstance(template.TOP_WRAP, Alignment) and template.TOP_WRAP.wrap_text
    assert not hasattr(export, "HEADER_FONT") and not hasattr(export, "__getattr__")
