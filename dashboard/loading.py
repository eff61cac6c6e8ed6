"""Read and write the human-readable data files in ``survey_data/``.

Layout::

    survey_data/rounds/<round-id>.yaml          one file describing each round
    survey_data/<round-id>/<authority>.yaml      one file per authority per round

Loading validates every file. A broken file becomes a ``LoadProblem`` naming
the file, the field and the problem; the other files still load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models.errors import explain
from models.returns import AuthorityReturn, SurveyRound

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "survey_data"


@dataclass(frozen=True)
class LoadProblem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


@dataclass
class Dataset:
    rounds: dict[str, SurveyRound] = field(default_factory=dict)
    returns: list[AuthorityReturn] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)

    def for_round(self, round_id: str | None) -> list[AuthorityReturn]:
        if round_id is None:
            return list(self.returns)
        return [r for r in self.returns if r.round == round_id]

    def get(self, round_id: str, authority: str) -> AuthorityReturn | None:
        for r in self.returns:
            if r.round == round_id and r.authority == authority:
                return r
        return None


def slugify(name: str) -> str:
    """'Brighton and Hove' -> 'brighton-and-hove' (file names and URL values)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "authority"


def _read_yaml(path: Path, root: Path) -> tuple[Any, LoadProblem | None]:
    rel = _rel(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, LoadProblem(rel, "(file)", "The file is not UTF-8 text.")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        return None, LoadProblem(rel, where, f"This is not valid YAML: {problem}.")
    if not isinstance(data, dict):
        return None, LoadProblem(rel, "(file)", "The file should hold one mapping of field: value.")
    return data, None


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _validation_problems(rel: str, exc: ValidationError) -> list[LoadProblem]:
    return [LoadProblem(rel, p.path or "(file)", p.message) for p in explain(exc)]


def load_round_file(path: Path, root: Path | None = None) -> tuple[SurveyRound | None, list[LoadProblem]]:
    root = root or path.parent.parent
    data, problem = _read_yaml(path, root)
    if problem:
        return None, [problem]
    try:
        return SurveyRound.model_validate(data), []
    except ValidationError as exc:
        return None, _validation_problems(_rel(path, root), exc)


def load_return_file(
    path: Path, root: Path | None = None
) -> tuple[AuthorityReturn | None, list[LoadProblem]]:
    root = root or path.parent.parent
    data, problem = _read_yaml(path, root)
    if problem:
        return None, [problem]
    try:
        return AuthorityReturn.model_validate(data), []
    except ValidationError as exc:
        return None, _validation_problems(_rel(path, root), exc)


def load_survey_data(path: Path | str = DEFAULT_DATA_DIR, register: Any = None) -> Dataset:
    """Load and validate every round and return under ``path``.

    Each return's authority must be in the register of English authorities (``register``, else
    ``authorities.csv`` in the data folder if there is one, else ``reference_data/authorities.csv``).
    """
    root = Path(path)
    ds = Dataset()
    if not root.is_dir():
        ds.problems.append(LoadProblem(str(root), "(folder)", "The data folder does not exist."))
        return ds
    for f in sorted((root / "rounds").glob("*.yaml")):
        rnd, problems = load_round_file(f, root)
        ds.problems += problems
        if rnd is not None:
            if rnd.id != f.stem:
                ds.problems.append(
                    LoadProblem(
                        _rel(f, root), "id", f"The id '{rnd.id}' should match the file name '{f.stem}'."
                    )
                )
            ds.rounds[rnd.id] = rnd
    seen: dict[tuple[str, str], str] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "rounds"):
        for f in sorted(folder.glob("*.yaml")):
            ret, problems = load_return_file(f, root)
            ds.problems += problems
            if ret is None:
                continue
            rel = _rel(f, root)
            if ret.round != folder.name:
                ds.problems.append(
                    LoadProblem(
                        rel, "round", f"The round '{ret.round}' should match the folder '{folder.name}'."
                    )
                )
                continue
            if ret.round not in ds.rounds:
                ds.problems.append(LoadProblem(rel, "round", f"There is no round '{ret.round}' in rounds/."))
                continue
            if ret.key in seen:
                ds.problems.append(
                    LoadProblem(
                        rel,
                        "authority",
                        f"'{ret.authority}' already has a return in this round ({seen[ret.key]}).",
                    )
                )
                continue
            unknown = _authority_problem(rel, ret, ds.rounds[ret.round], root, register)
            if unknown is not None:
                ds.problems.append(unknown)
                continue
            seen[ret.key] = rel
            ds.returns.append(ret)
    return ds


def _authority_problem(
    rel: str, ret: AuthorityReturn, rnd: SurveyRound, root: Path, register: Any
) -> LoadProblem | None:
    """A return's authority must be in the register; a published document may leave it unnamed."""
    from dashboard.register import DEFAULT_REGISTER, is_not_named, load_register

    if is_not_named(ret.authority):
        if not rnd.is_questionnaire:
            return None
        return LoadProblem(
            rel, "authority", "Only a published document may leave its authority unnamed; name the authority."
        )
    if register is None:  # read once per process (load_register caches it)
        local = root / "authorities.csv"
        register = load_register(local if local.is_file() else DEFAULT_REGISTER)
    if register.find(ret.authority) is not None:
        return None
    return LoadProblem(
        rel,
        "authority",
        f"'{ret.authority}' is not an English local authority in the register: use the authority's "
        "usual name, for example 'Kent' or 'Brighton and Hove' (see cli.py authorities).",
    )


# ---------------------------------------------------------------------------
# Writing files back (``cli.py dump``): readable YAML, long answers as blocks.


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value or len(value) > 80:
        # Block style keeps line breaks (bullets stay one per line).
        cleaned = "\n".join(line.rstrip() for line in value.splitlines())
        return dumper.represent_scalar("tag:yaml.org,2002:str", cleaned, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def return_to_yaml(ret: AuthorityReturn) -> str:
    return dump_yaml(ret.model_dump(mode="json", exclude_defaults=False))


def return_path(root: Path, ret: AuthorityReturn) -> Path:
    return root / ret.round / f"{slugify(ret.authority)}.yaml"
