"""Groups of authorities that benchmark together.

Every region of the register is a group out of the box: its id is the slug of the region's
name (``south-east``: the 19 authorities of the South East, the SESLIP region). A custom group
(statistical neighbours, a sub-region) is a small YAML file in ``reference_data/groups/``::

    id: north-kent
    title: North Kent partnership
    members:          # ONS codes
      - E10000016
      - E06000035

    groups = load_groups()
    groups.group("south-east").title           # "South East"
    [a.name for a in groups.members("south-east")]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from official.register import REFERENCE_DIR, Authority, Register, load_register

DEFAULT_GROUPS_DIR = REFERENCE_DIR / "groups"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class UnknownGroup(LookupError):
    """No group has this id; the message names it and the groups there are."""


class GroupFileProblem(ValueError):
    """A group file cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    member_codes: tuple[str, ...]  # ONS codes
    kind: str  # "region" or "custom"
    source: str = ""  # the file of a custom group

    @property
    def is_region(self) -> bool:
        return self.kind == "region"


class Groups:
    def __init__(self, groups: list[Group], register: Register) -> None:
        self._groups = {g.id: g for g in groups}
        self.register = register

    def ids(self) -> list[str]:
        return list(self._groups)

    def all(self) -> list[Group]:
        return list(self._groups.values())

    def group(self, group_id: str) -> Group:
        try:
            return self._groups[group_id]
        except KeyError:
            known = ", ".join(self._groups) or "none"
            raise UnknownGroup(f"There is no group '{group_id}'. Groups: {known}.") from None

    def members(self, group_id: str) -> list[Authority]:
        """The group's authorities, by name."""
        g = self.group(group_id)
        out = [a for code in g.member_codes if (a := self.register.by_ons(code)) is not None]
        return sorted(out, key=lambda a: a.name.lower())

    def groups_of(self, authority: Authority) -> list[Group]:
        return [g for g in self._groups.values() if authority.ons_code in g.member_codes]


def region_groups(register: Register) -> list[Group]:
    return [
        Group(
            id=r.slug,
            title=r.name,
            member_codes=tuple(a.ons_code for a in register.members(r.code)),
            kind="region",
        )
        for r in register.regions()
    ]


def read_group_file(path: Path, register: Register) -> Group:
    """One custom group; a ``GroupFileProblem`` names the file and field of anything wrong."""
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GroupFileProblem(f"{name}: (file): This is not valid YAML text: {exc}.") from exc
    if not isinstance(data, dict):
        raise GroupFileProblem(f"{name}: (file): The file should hold id, title and members.")
    gid = data.get("id")
    if not isinstance(gid, str) or not _SLUG.match(gid):
        raise GroupFileProblem(f"{name}: id: Give the group an id of lower-case words joined by hyphens.")
    if gid != path.stem:
        raise GroupFileProblem(f"{name}: id: The id '{gid}' should match the file name '{path.stem}'.")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise GroupFileProblem(f"{name}: title: Give the group a title.")
    members = data.get("members")
    if not isinstance(members, list) or not members:
        raise GroupFileProblem(f"{name}: members: List the members by ONS code, for example E10000016.")
    codes = []
    for i, code in enumerate(members):
        entry = register.by_ons(str(code))
        if entry is None:
            raise GroupFileProblem(
                f"{name}: members.{i}: '{code}' is not the ONS code of an authority in the register."
            )
        if entry.ons_code not in codes:
            codes.append(entry.ons_code)
    extra = sorted(set(data) - {"id", "title", "members", "description"})
    if extra:
        raise GroupFileProblem(f"{name}: {extra[0]}: This field is not used in a group file.")
    return Group(id=gid, title=title.strip(), member_codes=tuple(codes), kind="custom", source=name)


def _folder_stamp(folder: Path) -> tuple:
    """What changes when a group file is added, removed or edited."""
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml")))


@functools.lru_cache(maxsize=4)
def _cached(folder: str, stamp: tuple, register: Register) -> Groups:
    return _read_groups(Path(folder), register)


def load_groups(groups_dir: Path | str = DEFAULT_GROUPS_DIR, register: Register | None = None) -> Groups:
    """Every region as a group, then the custom groups of ``groups_dir`` (a missing folder is none).

    Read once per process (again only when a group file changes).
    """
    register = register or load_register()
    folder = Path(groups_dir).resolve()
    return _cached(str(folder), _folder_stamp(folder), register)


def _read_groups(folder: Path, register: Register) -> Groups:
    groups = region_groups(register)
    ids = {g.id for g in groups}
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            g = read_group_file(path, register)
            if g.id in ids:
                raise GroupFileProblem(f"{path.name}: id: '{g.id}' is already a group (a region's id).")
            ids.add(g.id)
            groups.append(g)
    return Groups(groups, register)


def group(group_id: str) -> Group:
    return load_groups().group(group_id)


def members(group_id: str) -> list[Authority]:
    return load_groups().members(group_id)


def group_members(group_id: str) -> list[tuple[str, str]]:
    """(usual name, ONS code) of each member of a group; [] for a group the register does not know."""
    try:
        return [(a.name, a.ons_code) for a in load_groups().members(group_id)]
    except UnknownGroup:
        return []


def group_name(group_id: str) -> str:
    """The group's name from the register ('South East'), or its id where it is not known."""
    from official import groups

    try:
        return groups.group(group_id).title
    except Exception:  # an unknown or custom group that cannot be read: its id says enough
        return group_id
