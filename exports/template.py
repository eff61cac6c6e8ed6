"""The return as an Excel template, and reading a filled template back.

``template_workbook`` writes a sheet ``Return`` with one row per question of
``models.questionnaire.questions()`` (columns ``field``, ``question``,
``answer`` and ``help``), drop-downs for choices, whole-number checks on
caseload figures, and an ``Instructions`` sheet. Everything is derived from
``questions()``; no question is typed here.

``read_template`` reads a filled template into a validated return (the same
rules as the form: ``survey.submission.build_return``) or a list of
problems, each naming its row and question and saying how to fix it. It never
saves anything; saving (access code, versioning) is the caller's job.

Answers in the ``answer`` column:

* Yes/no questions: ``Yes`` or ``No``.
* A choice: the label from the drop-down (the code is accepted too).
* Several choices: labels (or codes) separated by ``;`` in one cell.
* Figures: numbers; caseload figures are plain whole numbers from 0 to 500, in
  the digits 0 to 9 (no decimals, no commas, no other characters).
* Text: as typed. Text is always stored as text, so an answer starting with
  ``=`` stays text.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet import _reader as _openpyxl_reader
from openpyxl.worksheet.datavalidation import DataValidation

from exports.xlsx import set_value
from models import taxonomy
from models.questionnaire import Question, by_path, flatten, question_for, questions
from models.returns import MAX_CASELOAD, AuthorityReturn
from survey.submission import FigureMismatch, build_return, figure_mismatches

SHEET = "Return"
INSTRUCTIONS = "Instructions"
LISTS = "Lists"
HEADERS = ("field", "question", "answer", "help")
REQUIRED_HEADERS = HEADERS[:3]

#: Largest file accepted, in bytes.
MAX_BYTES = 5 * 1024 * 1024
#: Largest total size once unzipped (a small file can unpack to a huge one).
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
#: Most rows read from the Return sheet (the template has about 50).
MAX_ROWS = 500
#: Most columns read from the Return sheet.
MAX_COLUMNS = 20

YES_WORDS = {"yes", "y", "true", "1"}
NO_WORDS = {"no", "n", "false", "0"}
MULTI_SEPARATOR = ";"

ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: the cells to fill in
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
TOP_WRAP = Alignment(wrap_text=True, vertical="top")


def _cast_number_safely(value: str, _cast=_openpyxl_reader._cast_number):
    """openpyxl's number reading, except that a whole number too long for Python's int()
    (over 4,300 digits) stays its digits, so the import names its row instead of calling the
    whole workbook damaged."""
    if len(value) > 4000 and not any(ch in value for ch in ".eE"):
        return value
    return _cast(value)


# openpyxl reads cell numbers with this module-level function; wrap it once.
if getattr(_openpyxl_reader._cast_number, "__name__", "") != "_cast_number_safely":
    _openpyxl_reader._cast_number = _cast_number_safely


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong with an uploaded template, said so a person can fix it."""

    row: int | None
    field: str
    question: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            if self.question:
                return f"{self.question}: {self.message}"
            return self.message
        return f"Row {self.row} ({self.question}): {self.message}"


@dataclass
class ImportResult:
    ret: AuthorityReturn | None = None
    problems: list[TemplateProblem] = field(default_factory=list)
    #: Not errors: things the lead should check (a caseload's words and figures disagree).
    warnings: list[TemplateProblem] = field(default_factory=list)
    #: The same, as ``survey.submission.FigureMismatch`` (for a page to ask for confirmation).
    mismatches: list[FigureMismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.ret is not None and not self.problems


class TemplateFileError(Exception):
    """The file cannot be read as a template at all (one clear message)."""


# ---------------------------------------------------------------------------
# Writing


def _help_text(q: Question) -> str:
    bits = ["Required."] if q.required else []
    if q.help:
        bits.append(q.help)
    if q.kind == "bool":
        bits.append("Choose Yes or No.")
    elif q.kind == "choice":
        bits.append("Choose from the list.")
    elif q.kind == "multi_choice":
        bits.append(
            f"Type the labels of all that apply, separated by '{MULTI_SEPARATOR} ' "
            f"(the choices are listed on the {INSTRUCTIONS} sheet)."
        )
    elif q.kind == "int":
        bits.append(f"A whole number from {_num(q.minimum)} to {_num(q.maximum)}.")
    elif q.kind == "float":
        bits.append(f"A number from {_num(q.minimum)} to {_num(q.maximum)}.")
    elif q.max_length:
        bits.append(f"At most {q.max_length:,} characters.")
    return " ".join(bits)


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)


def answer_cell_value(q: Question, value: Any) -> Any:
    """A flat answer as it is shown in the answer column."""
    if value is None or value == []:
        return None
    if q.kind == "bool":
        return "Yes" if value else "No"
    if q.kind == "choice":
        return q.choice_label(value)
    if q.kind == "multi_choice":
        return f"{MULTI_SEPARATOR} ".join(q.choice_label(v) for v in value)
    return value


def template_workbook(
    round_id: str, authority: str | None = None, current: AuthorityReturn | None = None
) -> bytes:
    """The return template for ``round_id`` (pre-filled from ``current`` when given)."""
    values = flatten(current) if current is not None else {}
    authority = authority or (current.authority if current is not None else None)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    lists = wb.create_sheet(LISTS)
    instructions = wb.create_sheet(INSTRUCTIONS, 1)

    for j, h in enumerate(HEADERS, start=1):
        c = ws.cell(row=1, column=j)
        set_value(c, h)
        c.font = HEADER_FONT
    list_ranges = _write_lists(lists)
    validations: dict[str, DataValidation] = {}

    for i, q in enumerate(questions(), start=2):
        set_value(ws.cell(row=i, column=1), q.path)
        set_value(ws.cell(row=i, column=2), q.full_question)
        answer = ws.cell(row=i, column=3)
        set_value(answer, answer_cell_value(q, values.get(q.path)))
        answer.fill = ANSWER_FILL
        set_value(ws.cell(row=i, column=4), _help_text(q))
        for j in (1, 2, 3, 4):
            ws.cell(row=i, column=j).alignment = TOP_WRAP
        dv = _validation_for(q, list_ranges, validations)
        if dv is not None:
            dv.add(answer.coordinate)

    for dv in validations.values():
        ws.add_data_validation(dv)
    # Field, question and answer print together on one A4 page across (help flows to the next).
    for letter, width in (("A", 28), ("B", 50), ("C", 50), ("D", 50)):
        ws.column_dimensions[letter].width = width

    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:D{len(questions()) + 1}"
    lists.sheet_state = "hidden"
    _write_instructions(instructions, round_id, authority)
    print_setup(wb, round_id, authority)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Printing (A4; the same rules as the exported workbooks: exports.xlsx.print_layout)

PRINT_TITLE = "Return template"


def print_setup(wb: Workbook, round_id: str, authority: str | None = None) -> None:
    """Every sheet of the template prints on A4: orientation and scale from its column widths
    (fitted to one page wide only where the text stays at 8 point or more), the header row
    repeated and gridlines printed on the Return sheet, rows tall enough for their wrapped text,
    and a header and footer (title, sheet, date, page N of M)."""
    from exports.xlsx import (
        CHAR_PIXELS,
        LINE_POINTS,
        MARGIN_SIDE,
        MARGIN_TOP,
        MAX_ROW_POINTS,
        PAPER_A4,
        print_header_footer,
        print_layout,
        text_lines,
    )

    title = f"{PRINT_TITLE}: {authority or 'any authority'} ({round_id})"
    header, footer = print_header_footer(title, dt.datetime.now(dt.UTC))
    for ws in wb.worksheets:
        letters = sorted(ws.column_dimensions, key=len)
        widths = {k: ws.column_dimensions[k].width for k in letters if ws.column_dimensions[k].width}
        layout = print_layout(
            [w * CHAR_PIXELS for w in widths.values()] or [CHAR_PIXELS * 10],
            prefer_portrait=ws.title != SHEET,
        )
        ws.page_setup.paperSize = PAPER_A4
        ws.page_setup.orientation = "landscape" if layout.landscape else "portrait"
        if layout.fit_width:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
        else:
            ws.page_setup.scale = layout.scale
        ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
        ws.page_margins.top = ws.page_margins.bottom = MARGIN_TOP
        ws.oddHeader.left.text, ws.oddHeader.right.text = header[2:].split("&R", 1)
        ws.oddFooter.left.text, ws.oddFooter.right.text = footer[2:].split("&R", 1)
        if ws.title == SHEET:
            ws.print_title_rows = "1:1"
            ws.print_options.gridLines = True
        # Rows tall enough for their wrapped text (openpyxl does not fit them).
        for row in ws.iter_rows(min_row=2):
            lines = max(
                (
                    text_lines(c.value, widths.get(c.column_letter, 10))
                    for c in row
                    if isinstance(c.value, str) and c.alignment.wrap_text
                ),
                default=1,
            )
            if lines > 1:
                ws.row_dimensions[row[0].row].height = min(LINE_POINTS * lines + 2, MAX_ROW_POINTS)


def _list_key(q: Question) -> str:
    return q.kind if q.kind == "bool" else ",".join(code for code, _ in q.choices)


def _write_lists(ws) -> dict[str, str]:
    """Each drop-down's options in a column of the hidden Lists sheet; key -> range reference."""
    out: dict[str, str] = {}
    seen: list[tuple[str, list[str]]] = [("bool", ["Yes", "No"])]
    for q in questions():
        if q.kind == "choice" and _list_key(q) not in dict(seen):
            seen.append((_list_key(q), [label for _, label in q.choices]))
    for col, (key, labels) in enumerate(seen, start=1):
        letter = ws.cell(row=1, column=col).column_letter
        for r, label in enumerate(labels, start=1):
            set_value(ws.cell(row=r, column=col), label)
        out[key] = f"{LISTS}!${letter}$1:${letter}${len(labels)}"
    return out


def _validation_for(
    q: Question, list_ranges: dict[str, str], cache: dict[str, DataValidation]
) -> DataValidation | None:
    if q.kind in ("bool", "choice"):
        key = "list:" + _list_key(q)
        if key not in cache:
            cache[key] = DataValidation(
                type="list",
                formula1=list_ranges[_list_key(q)],
                allow_blank=True,
                showDropDown=False,  # (sic) False shows the arrow
                errorStyle="warning",
                errorTitle="Not one of the choices",
                error="Choose from the list. (Typing the code is accepted too.)",
                promptTitle="Choose",
                prompt="Choose from the list.",
            )
        return cache[key]
    if q.kind == "int":
        key = f"int:{q.minimum}:{q.maximum}"
        if key not in cache:
            lo, hi = _num(q.minimum or 0), _num(q.maximum if q.maximum is not None else MAX_CASELOAD)
            cache[key] = DataValidation(
                type="whole",
                operator="between",
                formula1=lo,
                formula2=hi,
                allow_blank=True,
                errorStyle="stop",
                errorTitle="A whole number",
                error=f"Enter a whole number from {lo} to {hi}, for example 65.",
                promptTitle="A whole number",
                prompt=f"A whole number from {lo} to {hi}.",
            )
        return cache[key]
    if q.kind == "float":
        key = f"float:{q.minimum}:{q.maximum}"
        if key not in cache:
            lo, hi = _num(q.minimum or 0), _num(q.maximum or 1000)
            cache[key] = DataValidation(
                type="decimal",
                operator="between",
                formula1=lo,
                formula2=hi,
                allow_blank=True,
                errorStyle="stop",
                errorTitle="A number",
                error=f"Enter a number from {lo} to {hi}, for example 7.5.",
            )
        return cache[key]
    if q.max_length:
        key = f"len:{q.max_length}"
        if key not in cache:
            cache[key] = DataValidation(
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(q.max_length),
                allow_blank=True,
                errorStyle="stop",
                errorTitle="Too long",
                error=f"At most {q.max_length:,} characters.",
            )
        return cache[key]
    return None


def _write_instructions(ws, round_id: str, authority: str | None) -> None:
    rows: list[tuple[str, str]] = [
        ("Return template", ""),
        ("Round", round_id),
        ("Authority", authority or ANY_AUTHORITY),
        ("", ""),
        ("How to fill it in", ""),
        (
            "1.",
            f"Answer each question in the 'answer' column of the '{SHEET}' sheet (the yellow cells). "
            "Do not change the 'field' column, rename the sheet or reorder the columns.",
        ),
        (
            "2.",
            "Questions whose help starts 'Required.' must be answered. The help column says what each "
            "expects.",
        ),
        (
            "3.",
            "Yes/no and single choices: pick from the drop-down. Several choices: type the labels "
            f"listed below, separated by '{MULTI_SEPARATOR} '.",
        ),
        (
            "4.",
            f"Caseload figures are whole numbers from 0 to {MAX_CASELOAD}, written with the digits 0 to 9 "
            "only, for example 65: no decimals (65.5), no commas (6,5), no words, no spaces inside the "
            "number. Leave the cell empty if there is no figure (an empty cell is never read as 0). "
            "Give a single figure as both lowest and highest; for 'up to N' leave the lowest empty. "
            "If a figure disagrees with the words of the answer, the import says so as a warning.",
        ),
        (
            "5.",
            "If the roles are combined (one officer does both), the CP chairs questions may be left "
            "empty. If they are separate, answer them too.",
        ),
        (
            "6.",
            "Upload the file on the Submit page (or: python cli.py import FILE.xlsx --authority NAME "
            "--code CODE). Nothing is saved unless every answer is valid; each problem names its row.",
        ),
        ("Limits", f"File at most {MAX_BYTES // (1024 * 1024)} MB; at most {MAX_ROWS} rows."),
        ("", ""),
    ]
    for q in questions():
        if q.kind != "multi_choice" or q.role != "iro":
            continue
        rows.append((q.question, "The choices (label – what counts):"))
        codes = taxonomy.QA_ACTIVITIES if "qa" in q.path else taxonomy.IMPACT_EVIDENCE
        defs = {c.code: c.definition for c in codes}
        for code, label in q.choices:
            rows.append((label, f"{defs.get(code, q.choice_help.get(code, ''))} (code: {code})"))
        rows.append(("", ""))
    for r, (a, b) in enumerate(rows, start=1):
        ca, cb = ws.cell(row=r, column=1), ws.cell(row=r, column=2)
        set_value(ca, a or None)
        set_value(cb, b or None)
        ca.alignment = cb.alignment = TOP_WRAP
        if not b or a in ("Round", "Authority", "Limits"):
            ca.font = HEADER_FONT
    ws.cell(row=1, column=1).font = TITLE_FONT
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100


# ---------------------------------------------------------------------------
# Reading

ANY_AUTHORITY = "(any: the authority is the one you unlock when you upload the file)"


def _made_for(wb) -> dict[str, str]:
    """The round and authority written on the Instructions sheet when the template was made."""
    if INSTRUCTIONS not in wb.sheetnames:
        return {}
    out: dict[str, str] = {}
    for row in wb[INSTRUCTIONS].iter_rows(min_row=1, max_row=6, max_col=2, values_only=True):
        if len(row) == 2 and row[0] in ("Round", "Authority") and row[1]:
            out[row[0]] = str(row[1]).strip()
    return out


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


NOT_A_WORKBOOK = (
    "This file is not an Excel workbook (.xlsx). Download the template, fill it in, save it as an "
    "Excel workbook and upload that."
)
PASSWORD_PROTECTED = (
    "This workbook is password-protected, so it cannot be read. Remove the password (in Excel: "
    "File > Info > Protect Workbook > Encrypt with Password, clear it), save, and upload it again."
)
OLD_XLS = (
    "This is an old-style Excel file (.xls). Open it in Excel and save it as an Excel workbook "
    "(.xlsx), then upload that."
)
TOO_BIG = (
    f"This file is too large: the limit is {MAX_BYTES // (1024 * 1024)} MB and the template is "
    "about 20 KB. Upload the filled template only."
)
TOO_BIG_UNZIPPED = (
    f"This workbook is too large once opened (over {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB). "
    "Upload the filled template only."
)
TOO_MANY_ROWS = (
    f"The '{SHEET}' sheet has more than {MAX_ROWS} rows or {MAX_COLUMNS} columns; the template has one "
    "row per question. Upload the filled template only."
)
DAMAGED = (
    "This workbook is damaged or not laid out like the template, so it cannot be read. Open it in "
    "Excel, save it again as an Excel workbook (.xlsx), or start again from a fresh template."
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def _file_problem(message: str) -> ImportResult:
    return ImportResult(problems=[TemplateProblem(None, "", "", message)])


def _open(data: bytes):
    """The workbook, or TemplateFileError with one clear message."""
    if len(data) > MAX_BYTES:
        raise TemplateFileError(TOO_BIG)
    if data.startswith(OLE_MAGIC):
        raise TemplateFileError(PASSWORD_PROTECTED if ENCRYPTED_MARK in data else OLD_XLS)
    if not data.startswith(b"PK"):
        raise TemplateFileError(NOT_A_WORKBOOK)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED_BYTES:
                raise TemplateFileError(TOO_BIG_UNZIPPED)
            if "xl/workbook.xml" not in zf.namelist():
                raise TemplateFileError(NOT_A_WORKBOOK)
    except zipfile.BadZipFile as exc:
        raise TemplateFileError(NOT_A_WORKBOOK) from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except TemplateFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TemplateFileError(DAMAGED) from exc


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _convert(q: Question, value: Any) -> Any:
    """A cell's value as the model expects it; unrecognised values are passed on for the model to explain."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return [] if q.kind == "multi_choice" else None
    if isinstance(value, dt.datetime | dt.date) and q.kind not in ("text", "long_text"):
        return str(value)
    if q.kind == "bool":
        if isinstance(value, bool):
            return value
        word = _text(value).lower()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        return _text(value)
    if q.kind == "choice":
        return _match_choice(q, _text(value))
    if q.kind == "multi_choice":
        items = [p.strip() for p in str(value).replace("\n", MULTI_SEPARATOR).split(MULTI_SEPARATOR)]
        return [_match_choice(q, p) for p in items if p]
    if q.kind == "int":
        # As it is in the cell: survey.submission reads it with models.numbers, which accepts
        # only a plain whole number ('6,5', 65.7, '²', '٦٥' and 3,000 digits are refused by row).
        return value
    if q.kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        text = _text(value)
        try:
            return float(text)
        except ValueError:
            return text
    # Text answers: kept as typed (a number typed in a text cell becomes its digits).
    if isinstance(value, str):
        return value
    return _text(value)


def _match_choice(q: Question, text: str) -> str:
    low = text.strip().lower()
    for code, label in q.choices:
        if low in (code.lower(), label.lower()):
            return code
    return text


def _row_for(path: str, rows: dict[str, int]) -> tuple[int | None, str]:
    """The template row (and field) a problem's path belongs to."""
    if path in rows:
        return rows[path], path
    q = question_for(path)
    if q is not None and q.path in rows:
        return rows[q.path], q.path
    # A whole section or caseload (e.g. 'cp_chair' required): its first row.
    for field_path, row in sorted(rows.items(), key=lambda kv: kv[1]):
        if field_path.startswith(path + "."):
            return row, field_path
    return None, path


def read_template(
    data: bytes, *, round_id: str, authority: str, base: AuthorityReturn | None = None
) -> ImportResult:
    """A filled template as a validated return, or the problems found (nothing is saved)."""
    try:
        wb = _open(data)
    except TemplateFileError as exc:
        return _file_problem(str(exc))
    try:
        return _read(wb, round_id=round_id, authority=authority, base=base)
    except TemplateFileError as exc:
        return _file_problem(str(exc))
    except Exception:  # anything unforeseen in a damaged or odd file: a message, never a traceback
        return _file_problem(DAMAGED)
    finally:
        wb.close()


def _read(wb, *, round_id: str, authority: str, base: AuthorityReturn | None) -> ImportResult:
    if SHEET not in wb.sheetnames:
        found = ", ".join(f"'{n}'" for n in wb.sheetnames) or "none"
        raise TemplateFileError(
            f"The workbook has no sheet named '{SHEET}' (sheets found: {found}). Use the return "
            "template and keep its sheet names."
        )
    ws = wb[SHEET]
    # A read-only sheet trusts the size the file declares (<dimension ref=...>), which can hide
    # rows that Excel and LibreOffice show: read every row and cell actually present instead.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    rows_iter = ws.iter_rows(max_col=MAX_COLUMNS + 1)
    try:
        header = next(rows_iter)
    except StopIteration as exc:
        raise TemplateFileError(f"The '{SHEET}' sheet is empty. Use the return template.") from exc
    names = tuple(_text(c.value).lower() for c in header[: len(REQUIRED_HEADERS)])
    if names != REQUIRED_HEADERS:
        raise TemplateFileError(
            f"The '{SHEET}' sheet should start with the columns "
            + ", ".join(f"'{h}'" for h in REQUIRED_HEADERS)
            + " in row 1"
            + (f" (found: {', '.join(repr(n) for n in names if n)})" if any(names) else "")
            + ". Use the return template and keep its columns."
        )
    if len(header) > MAX_COLUMNS and any(c.value is not None for c in header[MAX_COLUMNS:]):
        raise TemplateFileError(TOO_MANY_ROWS)

    made_for = _made_for(wb)
    other = made_for.get("Authority")
    if other and other != ANY_AUTHORITY and _key(other) != _key(authority):
        raise TemplateFileError(
            f"This template was made for {other}, not {authority}. Nothing was saved. Download "
            f"{authority}'s template and fill that in (or copy your answers into it)."
        )
    made_round = made_for.get("Round")
    if made_round and made_round != round_id:
        raise TemplateFileError(
            f"This template was made for the round '{made_round}', not '{round_id}'. Nothing was saved. "
            "Download the template for this round."
        )
    known = by_path()
    problems: list[TemplateProblem] = []
    values: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for n, row in enumerate(rows_iter, start=2):
        if n > MAX_ROWS + 1:
            raise TemplateFileError(TOO_MANY_ROWS)
        cells = list(row[:3]) + [None] * (3 - len(row[:3]))
        field_cell, _, answer_cell = cells
        path = _text(field_cell.value if field_cell is not None else None)
        answer = answer_cell.value if answer_cell is not None else None
        if not path:
            if answer not in (None, ""):
                problems.append(
                    TemplateProblem(
                        n,
                        "",
                        "no field",
                        "This row has an answer but no field. Put the answer on its question's row.",
                    )
                )
            continue
        q = known.get(path)
        if q is None:
            problems.append(
                TemplateProblem(
                    n,
                    path,
                    path,
                    f"'{path}' is not a field of the return. Keep the 'field' column exactly as in "
                    "the template.",
                )
            )
            continue
        if path in rows:
            problems.append(
                TemplateProblem(
                    n,
                    path,
                    q.full_question,
                    f"This question is also on row {rows[path]}. Keep one row per question.",
                )
            )
            continue
        rows[path] = n
        if answer_cell is not None and getattr(answer_cell, "data_type", None) == "f":
            problems.append(
                TemplateProblem(
                    n,
                    path,
                    q.full_question,
                    "This cell holds a formula. Type the answer itself (text or a number).",
                )
            )
            continue
        values[path] = _convert(q, answer)
    if problems:
        return ImportResult(problems=problems)

    # The same validation as the form (survey.submission), channel "upload".
    result = build_return(values, authority=authority, round_id=round_id, base=base, channel="upload")
    if result.problems:
        out = []
        for p in result.problems:
            row, field_path = _row_for(p.path, rows)
            message = p.message
            if row is None and field_path in known:
                message += " (Its row is missing from the sheet: use a fresh template.)"
            out.append(TemplateProblem(row, field_path, p.question, message))
        out.sort(key=lambda p: (p.row is None, p.row or 0))
        return ImportResult(problems=out)
    mismatches = figure_mismatches(values)
    warnings = []
    for m in mismatches:
        row, field_path = _row_for(f"{m.prefix}.text", rows)
        warnings.append(
            TemplateProblem(
                row,
                field_path,
                m.question,
                f"the answer reads as {m.text_reading}, but the figures say {m.figures}. "
                "Check the figures; if they are right, nothing needs to change.",
            )
        )
    return ImportResult(ret=result.ret, warnings=warnings, mismatches=mismatches)
