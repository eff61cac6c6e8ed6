"""The questionnaire, derived from the model's fields.

``QUESTIONS`` is the one list of everything a lead answers, in order, each
with its dotted path (``iro.caseload.low``), its text and help, its kind and
its rules. The form, the Excel template, the export columns and the
validation messages all read it; nothing here is written by hand except how a
Python type maps to a kind of answer.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any, get_args, get_origin

from annotated_types import Ge, Le, MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from models import taxonomy
from models.returns import POPULATION_LABELS, TAXONOMY_FIELDS, UNIT_LABELS, AuthorityReturn, RoleSection
from models.vocabulary import ROLE_LABELS, ROLE_SECTIONS

SECTION_LABELS = {
    "": "About the return",
    "workforce": "Workforce",
    **ROLE_SECTIONS,
}

CHOICE_LABELS: dict[str, dict[str, str]] = {
    "Unit": UNIT_LABELS,
    "Population": POPULATION_LABELS,
    "QAActivity": {c.code: c.label for c in taxonomy.QA_ACTIVITIES},
    "ImpactEvidence": {c.code: c.label for c in taxonomy.IMPACT_EVIDENCE},
}
CHOICE_HELP: dict[str, dict[str, str]] = {
    "QAActivity": {c.code: c.definition for c in taxonomy.QA_ACTIVITIES},
    "ImpactEvidence": {c.code: c.definition for c in taxonomy.IMPACT_EVIDENCE},
}


@dataclass(frozen=True)
class Question:
    path: str
    question: str
    help: str
    kind: str  # long_text | text | int | float | bool | choice | multi_choice
    section: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    choice_help: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def role(self) -> str | None:
        head = self.path.split(".", 1)[0]
        return head if head in ROLE_LABELS else None

    @property
    def full_question(self) -> str:
        """The question with its section, as a spreadsheet or a message names it."""
        return f"{SECTION_LABELS[self.section]}: {self.question}"

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """Strip Optional and Annotated; return the bare type and any metadata found."""
    metadata: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            args = get_args(annotation)
            annotation, metadata = args[0], metadata + list(args[1:])
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, metadata
            annotation = args[0]
        else:
            return annotation, metadata


def _constraints(info: FieldInfo, metadata: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in list(info.metadata) + metadata:
        if isinstance(m, Ge):
            out["minimum"] = m.ge
        elif isinstance(m, Le):
            out["maximum"] = m.le
        elif isinstance(m, MaxLen):
            out["max_length"] = m.max_length
        elif isinstance(m, FieldInfo):
            out.update(_constraints(m, []))
        elif getattr(m, "max_length", None) is not None:  # StringConstraints
            out["max_length"] = m.max_length
    return out


def _walk(model: type[BaseModel], prefix: str, section: str, required: bool) -> list[Question]:
    out: list[Question] = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("form") is False:
            continue
        path = f"{prefix}{name}"
        sec = section if prefix else (name if name in SECTION_LABELS else "")
        bare, metadata = _unwrap(info.annotation)
        origin = get_origin(bare)
        if isinstance(bare, type) and issubclass(bare, BaseModel):
            out += _walk(bare, f"{path}.", sec, required)
            continue
        if origin is list:
            (item,) = get_args(bare)
            item, _ = _unwrap(item)
            if isinstance(item, type) and issubclass(item, BaseModel):
                for slot in range(extra.get("slots", 0)):
                    out += _walk(item, f"{path}.{slot}.", sec, False)
                continue
            if isinstance(item, type) and issubclass(item, Enum):
                out.append(_choice(path, info, sec, item, multi=True))
                continue
            raise TypeError(f"no form kind for {path}")
        if isinstance(bare, type) and issubclass(bare, Enum):
            out.append(_choice(path, info, sec, bare, multi=False))
            continue
        kind = {bool: "bool", int: "int", float: "float"}.get(bare)
        if kind is None and bare is str:
            kind = extra.get("kind", "text")
        if kind is None:
            raise TypeError(f"no form kind for {path}: {bare!r}")
        out.append(
            Question(
                path=path,
                question=info.title or name,
                help=info.description or "",
                kind=kind,
                section=sec,
                required=required and bool(extra.get("required")),
                **_constraints(info, metadata),
            )
        )
    return out


def _choice(path: str, info: FieldInfo, sec: str, enum: type[Enum], multi: bool) -> Question:
    labels = CHOICE_LABELS.get(enum.__name__, {})
    return Question(
        path=path,
        question=info.title or path,
        help=info.description or "",
        kind="multi_choice" if multi else "choice",
        section=sec,
        choices=tuple((m.value, labels.get(m.value, m.value)) for m in enum),
        choice_help=CHOICE_HELP.get(enum.__name__, {}),
    )


@cache
def questions() -> tuple[Question, ...]:
    """Every question of the questionnaire, in the order a lead answers them."""
    return tuple(_walk(AuthorityReturn, "", "", True))


@cache
def by_path() -> dict[str, Question]:
    return {q.path: q for q in questions()}


def question_for(path: str) -> Question | None:
    """The question a dotted path belongs to (list indices in the path are ignored)."""
    if path in by_path():
        return by_path()[path]
    parts = path.split(".")
    while parts:
        trimmed = ".".join(parts)
        if trimmed in by_path():
            return by_path()[trimmed]
        parts = parts[:-1]
    return None


def field_title(path: str) -> str:
    """A plain name for any field path, for messages (falls back to the model's title)."""
    if path.startswith("answers."):  # a round's own question, by its library wording where it has one
        from models.questions import library

        qid = path.split(".")[1]
        return next(
            (f"This round's questions: {q.text}" for q in library() if q.id == qid), "This round's questions"
        )
    q = question_for(path)
    if q is not None:
        return q.full_question
    node: type[BaseModel] | None = AuthorityReturn
    title = path
    section = ""
    for i, part in enumerate(path.split(".")):
        if node is None or part.isdigit():
            continue
        info = node.model_fields.get(part)
        if info is None:
            break
        if i == 0 and part in SECTION_LABELS:
            section = SECTION_LABELS[part]
        title = info.title or part
        bare, _ = _unwrap(info.annotation)
        if get_origin(bare) is list:
            bare, _ = _unwrap(get_args(bare)[0])
        node = bare if isinstance(bare, type) and issubclass(bare, BaseModel) else None
    return f"{section}: {title}" if section and section.lower() != title.lower() else title


# ---------------------------------------------------------------------------
# Flat answers (path -> value), as the form and the template hold them.


def flatten(ret: AuthorityReturn | dict[str, Any]) -> dict[str, Any]:
    """Every question's current answer, keyed by path; missing answers are None (lists are [])."""
    data = ret.model_dump(mode="json") if isinstance(ret, BaseModel) else ret
    out: dict[str, Any] = {}
    for q in questions():
        node: Any = data
        for part in q.path.split("."):
            if node is None:
                break
            if isinstance(node, list):
                idx = int(part)
                node = node[idx] if idx < len(node) else None
            else:
                node = node.get(part)
        if q.kind == "multi_choice":
            node = list(node or [])
        out[q.path] = node
    return out


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _evidence_still_chosen(section: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """The section's evidence (keyed by taxonomy, then code) for the codes still chosen.

    Evidence in the older form, keyed by code alone, is first keyed by taxonomy
    as the model does (``RoleSection``), so nothing is lost in the move.
    """
    evidence = RoleSection._evidence_by_taxonomy(section)["evidence"]
    out: dict[str, dict[str, list[str]]] = {}
    for which, codes_field in TAXONOMY_FIELDS.items():
        chosen = {str(getattr(c, "value", c)) for c in section.get(codes_field) or []}
        kept = {code: quotes for code, quotes in (evidence.get(which) or {}).items() if code in chosen}
        if kept:
            out[which] = kept
    return out


def unflatten(values: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Put flat answers back into a nested return dict, on top of ``base``.

    Sections and parts whose answers are all empty are dropped, so an
    unanswered CP chair section becomes ``cp_chair: None`` and unused caseload
    part slots disappear.
    """
    import copy

    data: dict[str, Any] = copy.deepcopy(base) if base else {}
    # Form-owned parts of the tree are rebuilt from the answers.
    for role in ROLE_LABELS:
        section = data.get(role) or {}
        keep = {k: v for k, v in section.items() if k == "evidence"}
        data[role] = keep
    data["workforce"] = {"other": (base or {}).get("workforce", {}).get("other", [])}
    for path, value in values.items():
        if path not in by_path() or (_empty(value) and by_path()[path].kind != "multi_choice"):
            continue
        node = data
        parts = path.split(".")
        for i, part in enumerate(parts[:-1]):
            nxt = parts[i + 1]
            if part.isdigit():
                idx = int(part)
                while len(node) <= idx:
                    node.append({})
                node = node[idx]
            else:
                node = node.setdefault(part, [] if nxt.isdigit() else {})
        node[parts[-1]] = value
    for role in ROLE_LABELS:
        section = data.get(role) or {}
        caseload = section.get("caseload")
        if caseload is not None:
            caseload["parts"] = [p for p in caseload.get("parts", []) if p]
            if not any(not _empty(v) for k, v in caseload.items() if k not in ("unit",)):
                section.pop("caseload")
        # Evidence for codes no longer chosen is dropped with the code, taxonomy by taxonomy.
        if "evidence" in section:
            section["evidence"] = _evidence_still_chosen(section)
        meaningful = {k: v for k, v in section.items() if k != "evidence" and not _empty(v)}
        if not meaningful:
            data[role] = None if role == "cp_chair" else {}
    return data


def question_text(path: str) -> str:
    """The question as the questionnaire asks it (e.g. 'Expectations of role'); the path if unknown."""
    q = by_path().get(path)
    return q.question if q is not None else path
