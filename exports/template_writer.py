"""The return as an Excel template: one row per question, drop-downs for choices, checks on figures, instructions.

Everything is derived from ``models.questionnaire.questions()``; no question is typed here. Text is
always written as text (an answer starting with ``=`` stays text).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from exports.template_format import (
    ANY_AUTHORITY,
    HEADERS,
    INSTRUCTIONS,
    LISTS,
    MAX_BYTES,
    MAX_ROWS,
    MULTI_SEPARATOR,
    SHEET,
)
from exports.xlsx import set_value
from models import taxonomy
from models.questionnaire import Question, flatten, questions
from models.returns import MAX_CASELOAD, AuthorityReturn
from models.vocabulary import CLI

ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: the cells to fill in


HEADER_FONT = Font(bold=True)


TITLE_FONT = Font(bold=True, size=14)


TOP_WRAP = Alignment(wrap_text=True, vertical="top")


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
    round_id: str, authority: str | None = None, current: AuthorityReturn | None = None, own: Any = ()
) -> bytes:
    """The return template for ``round_id`` (pre-filled from ``current`` when given); ``own`` are the
    round's own questions (``models.questions``), a row each after the questionnaire's, and for each
    figure a row for "counted differently: how"."""
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

    last = _own_rows(ws, list(own), current, len(questions()) + 2)
    for dv in validations.values():
        ws.add_data_validation(dv)
    # Field, question and answer print together on one A4 page across (help flows to the next).
    for letter, width in (("A", 28), ("B", 50), ("C", 50), ("D", 50)):
        ws.column_dimensions[letter].width = width

    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:D{last}"
    lists.sheet_state = "hidden"
    _write_instructions(instructions, round_id, authority)
    print_setup(wb, round_id, authority)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _own_rows(ws, own: list, current: AuthorityReturn | None, start: int) -> int:
    """The round's own questions, one row each (and a "counted differently" row per figure); the last row."""
    from models.question_answers import answer_path, flat_from_answers, how_path
    from models.questions import describe

    shown = [q for q in own if not q.hidden]
    values = flat_from_answers(shown, current.answers if current is not None else {})
    row = start - 1
    for q in shown:
        rule = f" Counting rule: {q.counting_rule.words()}" if q.counting_rule else ""
        lines = [(answer_path(q.id), f"This round's questions: {q.text}", values.get(answer_path(q.id)))]
        helps = [f"{'Required. ' if q.required else ''}{describe(q)}.{rule} {q.help or ''}".strip()]
        if q.kind == "yes_no":
            helps[0] += " Write Yes or No."
        elif q.kind == "choices":
            helps[0] += f" Separate several with '{MULTI_SEPARATOR} '."
        if q.is_figure:
            lines.append((how_path(q.id), f"{q.text}: counted differently? How", values.get(how_path(q.id))))
            helps.append(
                "Only if you did not count as the rule says: how you counted. Leave empty otherwise."
            )
        for (path, text, value), help_text in zip(lines, helps, strict=True):
            row += 1
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            elif isinstance(value, list):
                value = f"{MULTI_SEPARATOR} ".join(value) or None
            for j, cell_value in enumerate((path, text, value, help_text), start=1):
                set_value(ws.cell(row=row, column=j), cell_value)
                ws.cell(row=row, column=j).alignment = TOP_WRAP
            ws.cell(row=row, column=3).fill = ANSWER_FILL
    return row


PRINT_TITLE = "Return template"


def print_setup(wb: Workbook, round_id: str, authority: str | None = None) -> None:
    """Every sheet of the template prints on A4: orientation and scale from its column widths
    (fitted to one page wide only where the text stays at 8 point or more), the header row
    repeated and gridlines printed on the Return sheet, rows tall enough for their wrapped text,
    and a header and footer (title, sheet, date, page N of M)."""
    from exports.print_setup import (
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
            f"Upload the file on the Submit page (or: {CLI} import FILE.xlsx --authority NAME "
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
