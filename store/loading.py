"""Read and write the human-readable data files in ``survey_data/``.

Layout::

    survey_data/rounds/<round-id>.yaml          one file describing each round
    survey_data/<round-id>/<authority>.yaml      one file per authority per round

Loading validates every file. A broken file becomes a ``LoadProblem`` naming
the file, the field and the problem; the other files still load.

The files are read defensively (``cli.py validate`` and the seeding at start-up
both read them): a file over ``MAX_FILE_BYTES`` is refused before it is parsed,
YAML aliases and anchors are refused (a 1 KB "billion laughs" file cannot
expand), nesting deeper than ``MAX_DEPTH`` is refused, and no message quotes
more than ``MAX_QUOTED_CHARS`` characters of what the file holds.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models.errors import explain
from models.lifecycle import RoundLife
from models.returns import AuthorityReturn, SurveyRound
from models.vocabulary import CLI

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "survey_data"

#: Largest data file read, in bytes (the largest real return is about 20 KB).
MAX_FILE_BYTES = 1024 * 1024
#: Deepest nesting of mappings and lists accepted (a return is about 5 deep).
MAX_DEPTH = 20
#: Most characters of a file's own text quoted back in a message.
MAX_QUOTED_CHARS = 80


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
    #: Each round's life (``models.lifecycle``), as the database holds it; files alone hold none.
    lives: dict[str, RoundLife] = field(default_factory=dict)
    #: Names this data set in cache keys (``ui.cache``): a new data set, a new token.
    token: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False, repr=False)

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


def shorten(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """``text`` cut to ``limit`` characters (with '…' where it was cut), for quoting in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _RefusedYaml(yaml.YAMLError):
    """A YAML feature or size this loader does not accept; ``problem`` says which, plainly."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without aliases or anchors, and with nesting at most ``MAX_DEPTH`` deep.

    The pure-Python loader is used on purpose: its composer is where the depth
    is counted (the files are small, so speed does not matter).
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedYaml(
                "aliases (*name) are not accepted in these files: write the value out in full",
                event.start_mark,
            )
        if getattr(event, "anchor", None) is not None:
            raise _RefusedYaml(
                "anchors (&name) are not accepted in these files: write the value out in full",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _RefusedYaml(
                    f"it is nested more than {MAX_DEPTH} levels deep (a return is about 5)", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def parse_yaml(text: str) -> Any:
    """``text`` parsed with ``BoundedLoader`` (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=BoundedLoader)  # BoundedLoader is a SafeLoader


def _lone_surrogate_path(data: Any, path: str = "") -> str | None:
    """The dotted path of the first string holding a lone surrogate (text no file can store)."""
    if isinstance(data, str):
        return (path or "(file)") if any("\ud800" <= ch <= "\udfff" for ch in data) else None
    if isinstance(data, dict):
        for k, v in data.items():
            found = _lone_surrogate_path(v, f"{path}.{k}" if path else str(k))
            if found:
                return found
    if isinstance(data, list):
        for i, v in enumerate(data):
            found = _lone_surrogate_path(v, f"{path}.{i}" if path else str(i))
            if found:
                return found
    return None


def _read_yaml(path: Path, root: Path) -> tuple[Any, LoadProblem | None]:
    rel = _rel(path, root)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, LoadProblem(rel, "(file)", f"The file cannot be read ({shorten(str(exc))}).")
    if size > MAX_FILE_BYTES:
        return None, LoadProblem(
            rel,
            "(file)",
            f"The file is too large ({size:,} bytes): the limit is {MAX_FILE_BYTES // 1024:,} KB "
            "and a return is about 20 KB. It was not read.",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, LoadProblem(rel, "(file)", "The file is not UTF-8 text.")
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        return None, LoadProblem(rel, where, f"This is not valid YAML: {shorten(problem)}.")
    except RecursionError:
        return None, LoadProblem(rel, "(file)", f"The file is nested too deeply (over {MAX_DEPTH} levels).")
    if not isinstance(data, dict):
        return None, LoadProblem(rel, "(file)", "The file should hold one mapping of field: value.")
    bad = _lone_surrogate_path(data)
    if bad:
        return None, LoadProblem(
            rel, bad, "This text holds a character that is not valid Unicode (a lone surrogate). Remove it."
        )
    return data, None


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


class _ShortInputs:
    """A ValidationError whose errors quote at most ``MAX_QUOTED_CHARS`` of each input value."""

    def __init__(self, exc: ValidationError) -> None:
        self._exc = exc

    def errors(self, **kw: Any) -> list[dict[str, Any]]:
        out = []
        for err in self._exc.errors(**kw):
            err = dict(err)
            value = err.get("input")
            if isinstance(value, str):
                err["input"] = shorten(value)
            elif isinstance(value, dict | list):
                # Never the value itself: its repr could be huge. Say what shape it is.
                err["input"] = f"<a {'mapping' if isinstance(value, dict) else 'list'}>"
            out.append(err)
        return out


def _validation_problems(rel: str, exc: ValidationError) -> list[LoadProblem]:
    return [
        LoadProblem(rel, shorten(p.path, 200) or "(file)", p.message)
        for p in explain(_ShortInputs(exc))  # type: ignore[arg-type]
    ]


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
    from official.register import DEFAULT_REGISTER, is_not_named, load_register

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
        f"usual name, for example 'Kent' or 'Brighton and Hove' (see {CLI} authorities).",
    )


# ---------------------------------------------------------------------------
# Writing files back (``cli.py dump``): readable YAML, long answers as blocks.


class _Dumper(yaml.SafeDumper):
    pass


def _probe_dumper(style: str | None) -> type[yaml.SafeDumper]:
    class Probe(yaml.SafeDumper):
        pass

    Probe.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style=style))
    return Probe


_PROBES = {style: _probe_dumper(style) for style in (None, "|")}


def _round_trips(value: str, style: str | None) -> bool:
    """Whether ``value`` written in ``style`` reads back exactly (YAML folds some characters in
    block and plain scalars: trailing spaces, U+0085, a final line break, ...)."""
    try:
        text = yaml.dump([value], Dumper=_PROBES[style], allow_unicode=True, width=100)
        return yaml.safe_load(text) == [value]
    except yaml.YAMLError:
        return False


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Block style keeps line breaks readable (bullets stay one per line), but only where the
    # value reads back exactly; otherwise a double-quoted string, which escapes what it must.
    style = "|" if ("\n" in value or len(value) > 80) else None
    if not _round_trips(value, style):
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def return_to_yaml(ret: AuthorityReturn) -> str:
    return dump_yaml(ret.model_dump(mode="json", exclude_defaults=False))


def return_path(root: Path, ret: AuthorityReturn) -> Path:
    return root / ret.round / f"{slugify(ret.authority)}.yaml"
