"""The return template: written from the questionnaire, read back with row-by-row messages."""

from __future__ import annotations

import io
import zipfile

import pytest
from excel_helpers import (
    HOSTILE,
    ROUND,
    ROUNDS,
    ROW,
    all_cells,
    assert_no_formulas_macros_or_links,
    fill,
    hostile_by_form_path,
    northshire,
    open_both,
    southshire,
)

from exports.template_format import MAX_BYTES, MAX_ROWS
from exports.template_reader import (
    NOT_A_WORKBOOK,
    OLD_XLS,
    PASSWORD_PROTECTED,
    TOO_BIG,
    TOO_BIG_UNZIPPED,
    TOO_MANY_ROWS,
    read_template,
)
from exports.template_writer import template_workbook
from exports.workbooks import full_workbook
from exports.xlsx import set_value
from models import taxonomy
from models.questionnaire import questions


def _content(ret) -> dict:
    return ret.model_dump(mode="json", exclude={"provenance"})


def edit(data: bytes, change) -> bytes:
    wb = open_both(data)
    change(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read(data: bytes, base=None, authority: str = "Northshire"):
    return read_template(data, round_id=ROUND.id, authority=authority, base=base)


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


# ---------------------------------------------------------------------------
# Writing


def test_template_has_one_row_per_question_derived_from_the_questionnaire():
    rows = list(open_both(template_workbook(ROUND.id))["Return"].iter_rows(values_only=True))
    assert rows[0] == ("field", "question", "answer", "help")
    assert [r[0] for r in rows[1:]] == [q.path for q in questions()]
    assert [r[1] for r in rows[1:]] == [q.full_question for q in questions()]
    assert all(r[2] is None for r in rows[1:])  # nothing pre-filled
    help_for = {r[0]: r[3] for r in rows[1:]}
    assert help_for["iro.expectations"].startswith("Required.")
    assert "from 0 to 500" in help_for["iro.caseload.low"]


def test_template_sheets_and_instructions():
    wb = open_both(template_workbook(ROUND.id, "Northshire"))
    assert wb.sheetnames[:2] == ["Return", "Instructions"]
    text = "\n".join(str(v) for row in wb["Instructions"].iter_rows(values_only=True) for v in row if v)
    assert "Northshire" in text and ROUND.id in text
    for code in (*taxonomy.QA_ACTIVITIES, *taxonomy.IMPACT_EVIDENCE):
        assert code.label in text and code.definition in text
    assert "5 MB" in text  # the limits


def test_prefilled_from_the_current_return():
    ret = northshire()
    rows = list(open_both(template_workbook(ROUND.id, current=ret))["Return"].iter_rows(values_only=True))
    answer = {r[0]: r[2] for r in rows[1:]}
    assert answer["combined_role"] == "No"
    assert answer["iro.caseload.text"] == "About 65 children"
    assert answer["iro.caseload.low"] == 65  # a number, not text
    assert answer["iro.caseload.unit"] == "children"
    assert answer["cp_chair.caseload.population"] == "child protection"
    assert answer["iro.qa_activities"] == "Midway or progress reviews; QA form after each meeting"
    assert answer["workforce.iro_fte"] == 7.5


def test_dropdowns_and_whole_number_checks():
    wb = open_both(template_workbook(ROUND.id))
    ws = wb["Return"]
    checks = ws.data_validations.dataValidation

    def validation_for(path: str):
        cell = f"C{ROW[path]}"
        found = [dv for dv in checks if cell in dv.sqref]
        assert len(found) == 1, path
        return found[0]

    yes_no = validation_for("combined_role")
    assert yes_no.type == "list"
    lists = wb["Lists"]
    ref = yes_no.formula1.split("!")[1].replace("$", "")
    assert [c.value for row in lists[ref] for c in row] == ["Yes", "No"]
    unit = validation_for("iro.caseload.unit")
    ref = unit.formula1.split("!")[1].replace("$", "")
    assert "children" in [c.value for row in lists[ref] for c in row]
    for path in ("iro.caseload.low", "cp_chair.caseload.high", "iro.caseload.parts.1.low"):
        dv = validation_for(path)
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("whole", "between", "0", "500")
    assert validation_for("workforce.iro_fte").type == "decimal"
    assert lists.sheet_state == "hidden"


def test_template_has_no_formulas_in_cells():
    assert_no_formulas_macros_or_links(template_workbook(ROUND.id, current=northshire()))


# ---------------------------------------------------------------------------
# Round trip


@pytest.mark.parametrize("make", [northshire, southshire, hostile_by_form_path], ids=lambda f: f.__name__)
def test_round_trip_is_exact(make):
    ret = make()
    result = read(template_workbook(ROUND.id, current=ret), base=ret, authority=ret.authority)
    assert result.problems == []
    assert _content(result.ret) == _content(ret)
    assert result.ret.provenance.channel == "upload"


def test_a_new_return_from_an_empty_template():
    answers = {
        "combined_role": "Yes",
        "iro.caseload.text": "About 60",
        "iro.caseload.low": 60,
        "iro.caseload.high": "60",  # typed as text: still a number
        "iro.caseload.unit": "Children",  # the label, in any case
        "iro.caseload.population": "mixed",  # the code is accepted too
        "iro.expectations": "Both roles.",
        "iro.quality_inputs": "Audits.",
        "iro.impact": "Feedback.",
        "iro.qa_activities": "case_file_audit; Midway or progress reviews",
        "workforce.iro_fte": "7.5",
    }
    result = read(fill(template_workbook(ROUND.id), answers), authority="Newshire")
    assert result.problems == [], messages(result)
    ret = result.ret
    assert ret.authority == "Newshire" and ret.round == ROUND.id
    assert ret.combined_role is True and ret.cp_chair is None
    assert (ret.iro.caseload.low, ret.iro.caseload.high, ret.iro.caseload.unit) == (60, 60, "children")
    assert ret.iro.caseload.population == "mixed"
    assert ret.iro.qa_activities == ["case_file_audit", "midway_review"]
    assert ret.workforce.iro_fte == 7.5


def test_hostile_answers_typed_into_the_template_stay_text_through_export():
    answers = {
        "iro.expectations": HOSTILE["hyperlink"],
        "iro.quality_inputs": HOSTILE["at"],
        "iro.impact": HOSTILE["plus"],
        "cp_chair.expectations": HOSTILE["minus"],
        "cp_chair.impact": HOSTILE["sum"],
        "cp_chair.quality_inputs": HOSTILE["tab"],
    }
    base = northshire()
    result = read(fill(template_workbook(ROUND.id, current=base), answers), base=base)
    assert result.problems == [], messages(result)
    assert result.ret.iro.expectations == HOSTILE["hyperlink"]
    assert result.ret.cp_chair.quality_inputs == "x"  # the model trims a leading tab
    data = full_workbook([result.ret], ROUNDS)
    assert_no_formulas_macros_or_links(data)
    texts = {c.value for _, c in all_cells(open_both(data)) if c.data_type == "s"}
    for key in ("hyperlink", "at", "plus", "minus", "sum"):
        assert HOSTILE[key] in texts


# ---------------------------------------------------------------------------
# Problems, each with its row and question

# (answers typed, expected messages) – each case a mistake a lead could make.
PROBLEM_CASES = [
    (
        {"iro.caseload.low": "sixty"},  # words in a number box
        ["Row 4 (IRO role: Case holding: lowest figure): Write a whole number, for example 65"],
    ),
    (
        {"iro.caseload.low": 70, "iro.caseload.high": 60},  # low above high
        ["Row 4 (IRO role: Case holding: lowest figure): The lowest figure (70) is above the highest (60)"],
    ),
    (
        {"iro.caseload.high": 900},  # beyond the largest figure accepted
        ["Row 5 (IRO role: Case holding: highest figure): 900 is more than the largest figure accepted, 500"],
    ),
    (
        {"iro.caseload.low": 6.5, "iro.caseload.high": 6.5},  # decimals
        [
            "Row 4 (IRO role: Case holding: lowest figure): Write a whole number, for example 65, without decimals",
            "Row 5 (IRO role: Case holding: highest figure): Write a whole number, for example 65, without decimals",
        ],
    ),
    (
        {"iro.caseload.unit": "parsecs"},  # not one of the choices
        ["Row 6 (IRO role: Case holding: what the figure counts): 'parsecs' is not one of the choices"],
    ),
    (
        {"combined_role": "maybe"},  # yes/no question
        ["Row 2 (About the return: Combined role (IRO & CP Chair)): Answer yes or no"],
    ),
    (
        {"iro.qa_activities": "Midway or progress reviews; Juggling"},  # one unknown choice
        [
            f"Row {ROW['iro.qa_activities']} (IRO role: Formal QA inputs (choose all that apply)): "
            "'Juggling' is not one of the choices"
        ],
    ),
    (
        {"iro.expectations": None},  # a required answer emptied
        [f"Row {ROW['iro.expectations']} (IRO role: Expectations of role): This answer is required."],
    ),
    (
        {"iro.impact": "x" * 8001},  # over the length limit
        [f"Row {ROW['iro.impact']} (IRO role: Impact – how can you evidence impact): This answer is 8,001"],
    ),
    (
        {"workforce.iro_fte": "lots"},  # not a number
        [f"Row {ROW['workforce.iro_fte']} (Workforce: Full-time equivalent IROs): Enter a number"],
    ),
]


@pytest.mark.parametrize(("answers", "expected"), PROBLEM_CASES)
def test_each_problem_names_its_row_and_question(answers, expected):
    base = northshire()
    result = read(fill(template_workbook(ROUND.id, current=base), answers), base=base)
    assert result.ret is None
    got = messages(result)
    assert len(got) == len(expected), got
    for line, start in zip(got, expected, strict=True):
        assert line.startswith(start), (line, start)


def test_separate_roles_without_cp_answers_points_at_the_cp_rows():
    base = southshire()  # combined, no CP section
    result = read(
        fill(template_workbook(ROUND.id, current=base), {"combined_role": "No"}),
        base=base,
        authority="Southshire",
    )
    assert messages(result) == [
        f"Row {ROW['cp_chair.caseload.text']} (CP chairs): The roles are separate, so answer the CP chair "
        "questions too."
    ]


def test_a_missing_row_is_reported_without_a_row_number():
    def drop_expectations(wb):
        wb["Return"].delete_rows(ROW["iro.expectations"])

    base = northshire()
    result = read(edit(template_workbook(ROUND.id, current=base), drop_expectations), base=base)
    assert result.ret is None
    (problem,) = result.problems
    assert problem.row is None
    assert "This answer is required" in problem.message and "use a fresh template" in problem.message


def test_unknown_and_repeated_fields():
    def tamper(wb):
        ws = wb["Return"]
        set_value(ws.cell(row=ROW["iro.impact"], column=1), "iro.magic")
        ws.append(["combined_role", "again", "Yes"])

    result = read(edit(template_workbook(ROUND.id, current=northshire()), tamper))
    got = messages(result)
    assert any(
        line.startswith(f"Row {ROW['iro.impact']} (iro.magic): 'iro.magic' is not a field") for line in got
    )
    last = len(questions()) + 2
    assert any(line.startswith(f"Row {last} (") and "also on row 2" in line for line in got), got


def test_a_formula_typed_into_an_answer_is_refused():
    def formula(wb):
        wb["Return"].cell(row=ROW["iro.impact"], column=3).value = "=1+1"  # openpyxl: a formula

    result = read(edit(template_workbook(ROUND.id, current=northshire()), formula))
    assert messages(result) == [
        f"Row {ROW['iro.impact']} (IRO role: Impact – how can you evidence impact): This cell holds a "
        "formula. Type the answer itself (text or a number)."
    ]


# ---------------------------------------------------------------------------
# Files that are not a template at all: one clear message each


def _zip_with(extra: dict[str, bytes], base: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        for name, blob in extra.items():
            dst.writestr(name, blob)
    return out.getvalue()


def _many_rows(wb):
    ws = wb["Return"]
    for i in range(MAX_ROWS + 10):
        ws.append([f"extra.{i}", "", ""])


def _no_return_sheet(wb):
    wb["Return"].title = "Answers"


def _wrong_headers(wb):
    set_value(wb["Return"]["A1"], "Field name")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEMPLATE = template_workbook(ROUND.id)

# (file bytes, expected message) – each case a file a lead might upload by mistake.
FILE_CASES = [
    pytest.param(b"authority,answer\nKent,65\n", NOT_A_WORKBOOK, id="a CSV file"),
    pytest.param(b"%PDF-1.7 a pdf", NOT_A_WORKBOOK, id="a PDF"),
    pytest.param(b"", NOT_A_WORKBOOK, id="an empty file"),
    pytest.param(b"PK\x03\x04 not really a zip", NOT_A_WORKBOOK, id="a damaged zip"),
    pytest.param(TEMPLATE[: len(TEMPLATE) // 2], NOT_A_WORKBOOK, id="a truncated workbook"),
    pytest.param(
        OLE + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512,
        PASSWORD_PROTECTED,
        id="a password-protected workbook",
    ),
    pytest.param(OLE + b"\0" * 1024 + "Workbook".encode("utf-16-le"), OLD_XLS, id="an old .xls"),
    pytest.param(b"PK" + b"\0" * MAX_BYTES, TOO_BIG, id="over 5 MB"),
    pytest.param(
        _zip_with({"xl/media/huge.bin": b"\0" * (60 * 1024 * 1024)}, TEMPLATE),
        TOO_BIG_UNZIPPED,
        id="small file, huge once unzipped",
    ),
    pytest.param(edit(TEMPLATE, _many_rows), TOO_MANY_ROWS, id="too many rows"),
]


@pytest.mark.parametrize(("data", "message"), FILE_CASES)
def test_bad_files_get_one_clear_message(data, message):
    result = read(data)
    assert result.ret is None
    assert messages(result) == [message]


def test_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    assert messages(read(out.getvalue())) == [NOT_A_WORKBOOK]


def test_missing_return_sheet():
    (line,) = messages(read(edit(TEMPLATE, _no_return_sheet)))
    assert line.startswith("The workbook has no sheet named 'Return' (sheets found: 'Answers'")


def test_wrong_headers():
    (line,) = messages(read(edit(TEMPLATE, _wrong_headers)))
    assert line.startswith("The 'Return' sheet should start with the columns 'field', 'question', 'answer'")
    assert "found: 'field name'" in line


def test_limits_are_stated_in_the_messages():
    assert "5 MB" in TOO_BIG and str(MAX_ROWS) in TOO_MANY_ROWS


def test_a_chart_sheet_called_return_is_a_message_not_a_crash():
    from openpyxl import Workbook

    from exports.template_reader import DAMAGED

    wb = Workbook()
    wb.active.title = "Data"
    wb.create_chartsheet("Return")
    buf = io.BytesIO()
    wb.save(buf)
    assert messages(read(buf.getvalue())) == [DAMAGED]


def test_a_template_made_for_another_authority_or_round_is_refused():
    made_for_south = template_workbook(ROUND.id, "Southshire", southshire())
    (line,) = messages(read(made_for_south, authority="Northshire"))
    assert line.startswith("This template was made for Southshire, not Northshire. Nothing was saved.")
    # Same authority, spelt differently: accepted.
    assert read(made_for_south, base=southshire(), authority="southshire").problems == []
    (line,) = messages(read_template(made_for_south, round_id="other-round", authority="Southshire"))
    assert line.startswith("This template was made for the round 'fake-round', not 'other-round'.")
    # A blank template (no authority) suits anyone.
    blank = template_workbook(ROUND.id)
    assert "made for" not in " ".join(messages(read(blank, authority="Anyshire")))
