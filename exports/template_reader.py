"""Reading a filled return template back into a validated return (``template_workbook`` writes it).

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

from openpyxl import load_workbook
from openpyxl.worksheet import _reader as _openpyxl_reader

from exports.template_format import (
    ANY_AUTHORITY,
    INSTRUCTIONS,
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNZIPPED_BYTES,
    MULTI_SEPARATOR,
    NO_WORDS,
    REQUIRED_HEADERS,
    SHEET,
    YES_WORDS,
)
from models.questionnaire import Question, by_path, question_for
from models.returns import AuthorityReturn
from survey.submission import FigureMismatch, build_return, figure_mismatches


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


# ---------------------------------------------------------------------------
# Printing (A4; the same rules as the exported workbooks: exports.xlsx.print_layout)


# ---------------------------------------------------------------------------
# Reading


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


def own_paths(own: list) -> dict[str, str]:
    """The template rows of the round's own questions: path -> the question as the row names it."""
    from models.question_answers import answer_path, how_path

    out = {}
    for q in own:
        if not q.hidden:
            out[answer_path(q.id)] = q.text
            if q.is_figure:
                out[how_path(q.id)] = f"{q.text}: counted differently"
    return out


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
    data: bytes, *, round_id: str, authority: str, base: AuthorityReturn | None = None, own: Any = ()
) -> ImportResult:
    """A filled template as a validated return, or the problems found (nothing is saved). ``own``:
    the round's own questions, whose rows (``q.<id>``) are read by their kind, refusals by row."""
    try:
        wb = _open(data)
    except TemplateFileError as exc:
        return _file_problem(str(exc))
    try:
        return _read(wb, round_id=round_id, authority=authority, base=base, own=list(own))
    except TemplateFileError as exc:
        return _file_problem(str(exc))
    except Exception:  # anything unforeseen in a damaged or odd file: a message, never a traceback
        return _file_problem(DAMAGED)
    finally:
        wb.close()


def _read(wb, *, round_id: str, authority: str, base: AuthorityReturn | None, own: list) -> ImportResult:
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
    mine = own_paths(own)
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
        if path in mine:
            if path in rows:
                problems.append(TemplateProblem(n, path, mine[path], f"This is also on row {rows[path]}."))
                continue
            rows[path] = n
            values[path] = None if answer in (None, "") else answer
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
    result = build_return(
        values, authority=authority, round_id=round_id, base=base, channel="upload", own=own
    )
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
