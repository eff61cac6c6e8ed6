"""Reading a figure exactly as typed: a whole number, or "no figure", or a plain refusal.

The form's caseload boxes and the template import both read figures here, so a
figure never changes silently: an emptied box is no figure (None), never 0;
``6o``, ``1e3``, ``65.7``, ``6,5``, superscripts, digits of other scripts, NaN
and infinity are refused with a message, never cut, guessed or crashed on.

``read_whole_number(value)`` returns a ``Reading``: ``value`` (an int, or None
for no figure) and ``problem`` (a message without the field's name, which the
caller adds), never both.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: Plain ASCII digits only (``str.isdigit`` also accepts '²' and '٦').
_WHOLE = re.compile(r"[0-9]+")
#: More digits than this is never a caseload (and is never turned into an int).
MAX_DIGITS = 6
#: Most characters of what was typed quoted back in a message.
MAX_QUOTED = 40


@dataclass(frozen=True)
class Reading:
    value: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_QUOTED:
        text = text[: MAX_QUOTED - 1] + "…"
    return f"'{text}'"


def whole_number_message(minimum: int, maximum: int) -> str:
    return "Write a whole number, for example 65"


def read_whole_number(value: Any, *, minimum: int = 0, maximum: int = 500) -> Reading:
    """``value`` (typed text, or a number from a spreadsheet cell) as a whole number in range."""
    ask = whole_number_message(minimum, maximum)
    if value is None:
        return Reading()
    if isinstance(value, bool):
        return Reading(problem=f"{ask} (this cell holds {'TRUE' if value else 'FALSE'}).")
    if isinstance(value, int):
        number = value
        shown = str(value) if len(str(abs(value))) <= MAX_DIGITS else "a very long number"
    elif isinstance(value, float | Decimal):
        if not (math.isfinite(value) if isinstance(value, float) else value.is_finite()):
            return Reading(problem=f"{ask} (this is not a number).")
        if value != int(value):
            return Reading(problem=f"{ask}, without decimals (you typed {value}).")
        number = int(value)
        shown = str(number)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return Reading()
        if not _WHOLE.fullmatch(text):
            if text.startswith("-") and _WHOLE.fullmatch(text[1:]):
                return Reading(problem=f"A caseload cannot be negative (you typed {_quote(text)}). {ask}.")
            return Reading(problem=f"{ask}, in the digits 0 to 9 only (you typed {_quote(text)}).")
        if len(text.lstrip("0")) > MAX_DIGITS:
            return Reading(problem=f"{ask} (you typed a number {len(text):,} digits long).")
        number = int(text)
        shown = text
    else:
        return Reading(problem=f"{ask}.")
    if number < minimum:
        return Reading(problem=f"A caseload cannot be negative (you typed {shown}). {ask}.")
    if number > maximum:
        return Reading(
            problem=f"{shown} is more than the largest figure accepted, {maximum}. Check for a typing error."
        )
    return Reading(value=number)
