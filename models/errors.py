"""Plain-English validation messages, each naming the question it is about.

``explain`` turns a pydantic ``ValidationError`` into ``Problem`` rows with a
stable ``code`` (pydantic's error type, or one of ours such as
``caseload_low_above_high``), the dotted ``path`` of the field, the question as
users read it, and a message that says how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from models.questionnaire import field_title, question_for


@dataclass(frozen=True)
class Problem:
    code: str
    path: str
    question: str
    message: str

    def __str__(self) -> str:
        return f"{self.question}: {self.message}"


def _plain(err: dict[str, Any], path: str) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    q = question_for(path)
    if kind == "missing":
        return "This answer is required."
    if kind in ("int_parsing", "int_type"):
        return f"Enter a whole number, for example 65 (you entered {value!r})."
    if kind == "int_from_float":
        return f"Enter a whole number, without decimals (you entered {value!r})."
    if kind in ("float_parsing", "float_type"):
        return f"Enter a number, for example 7.5 (you entered {value!r})."
    if kind == "greater_than_equal":
        if ctx.get("ge") == 0:
            return f"This cannot be negative (you entered {value!r}). Enter 0 or more."
        return f"Enter {ctx.get('ge')} or more (you entered {value!r})."
    if kind == "less_than_equal":
        return (
            f"{value!r} is more than the largest figure accepted, {ctx.get('le')}. Check for a typing error."
        )
    if kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "?"
        return (
            f"This answer is {length:,} characters long; the limit is "
            f"{ctx.get('max_length'):,} characters. Shorten it."
        )
    if kind == "too_long":
        return f"Give at most {ctx.get('max_length')} items."
    if kind == "string_too_short":
        return f"Enter at least {ctx.get('min_length')} characters."
    if kind in ("string_type", "string_sub_type"):
        return "Enter text."
    if kind in ("bool_parsing", "bool_type"):
        return f"Answer yes or no (you entered {value!r})."
    if kind == "enum":
        if q is not None and q.choices:
            options = "; ".join(label for _, label in q.choices)
            return f"{value!r} is not one of the choices. Choose from: {options}."
        return f"{value!r} is not one of the choices ({ctx.get('expected')})."
    if kind == "string_pattern_mismatch":
        return "Use lower-case letters, numbers and hyphens only."
    if kind == "extra_forbidden":
        return "This is not a question in the return. Remove it."
    if kind in (
        "datetime_parsing",
        "datetime_from_date_parsing",
        "date_parsing",
        "date_from_datetime_parsing",
    ):
        return f"Enter a date as YYYY-MM-DD (you entered {value!r})."
    if kind in ("model_type", "dict_type", "list_type"):
        return "This answer is in the wrong shape."
    # Our own codes carry a plain message already.
    return err["msg"]


def explain(exc: ValidationError, model: type[BaseModel] | None = None) -> list[Problem]:
    """Each error of ``exc`` as a Problem naming its field (``model`` is informational)."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"]]
        # Drop pydantic's union/function markers such as "function-after[...]".
        loc = [p for p in loc if "[" not in p]
        extra = (err.get("ctx") or {}).get("field")
        if extra:
            loc += str(extra).split(".")
        path = ".".join(loc)
        problems.append(
            Problem(
                code=err["type"],
                path=path,
                question=field_title(path) if path else "Return",
                message=_plain(err, path),
            )
        )
    return problems
