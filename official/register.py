"""The register of English local authorities with children's services duties.

``reference_data/authorities.csv`` (built by ``cli.py authorities build`` from the DfE/ONS
codes, see ``official.build.reference``) holds one row per authority, past or present: its
usual name, ONS code, DfE 3-digit code, region, status and dates. Returns are linked to it by
name; everything else joins on codes.

    reg = load_register()               # read once per process
    reg.find("Brighton & Hove")         # -> Authority(name="Brighton and Hove", ons_code="E06000043", ...)
    reg.by_ons("E10000016").name        # "Kent"
    reg.by_dfe("886").name              # "Kent"
    reg.members("South East")           # the 19 live authorities of the region

A return whose authority is not named (a published document that hides it) is accepted
unlinked in a round of published descriptions: see ``is_not_named`` and ``display_name``.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference_data"
DEFAULT_REGISTER = REFERENCE_DIR / "authorities.csv"

#: Shown wherever official figures or codes are shown (Open Government Licence v3.0).
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: DfE, Local Authority Interactive Tool (LAIT), and DfE/ONS local authority codes."
)

#: Other names people use, mapped to the register's usual name. Official names ("Bristol, City
#: of"), "&" for "and", case and spacing are handled without entries here.
ALIASES = {
    "hull": "Kingston upon Hull",
    "city of bristol": "Bristol",
    "city of york": "York",
    "durham": "County Durham",
    "bedford borough": "Bedford",
    "royal borough of windsor and maidenhead": "Windsor and Maidenhead",
    "rbwm": "Windsor and Maidenhead",
    "brighton": "Brighton and Hove",
    "bcp": "Bournemouth, Christchurch and Poole",
    "southend": "Southend-on-Sea",
    "st helens": "St Helens",
    "hammersmith": "Hammersmith and Fulham",
}

#: How a return's authority is shown when the source does not name it.
NOT_NAMED_TEXT = "an authority (not named)"
#: A return's authority that starts with this is a published document's unnamed authority.
NOT_NAMED_PREFIX = "Unnamed authority"


class UnknownAuthority(LookupError):
    """The name or code is not in the register; the message says so plainly."""


@dataclass(frozen=True)
class Authority:
    name: str
    official_name: str
    ons_code: str
    dfe_code: str
    type: str
    region_code: str
    region: str
    status: str
    date_of_operation: dt.date
    date_of_termination: dt.date | None
    joint_ons_code: str = ""
    joint_name: str = ""
    successor_ons_codes: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_live(self) -> bool:
        return self.status == "live"

    def as_dict(self) -> dict[str, str]:
        """The fields ``cli.py authorities --format json`` gives."""
        return {
            "name": self.name,
            "ons_code": self.ons_code,
            "dfe_code": self.dfe_code,
            "region": self.region,
            "status": self.status,
        }


@dataclass(frozen=True)
class Region:
    code: str
    name: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def name_key(name: str) -> str:
    """Case, spacing, '&' and punctuation do not matter: 'Brighton & Hove' == 'brighton and hove'."""
    s = name.lower().replace("&", " and ")
    s = re.sub(r"[.,'’()]", " ", s)
    return " ".join(s.split())


_AFFIXES = re.compile(
    r"^(the |royal borough of |london borough of |city of |county of )|"
    r"( metropolitan borough council| county council| city council| borough council| council)$"
)


@dataclass(eq=False)  # one per register file, shared by the process (a cache key)
class Register:
    authorities: list[Authority]
    _by_key: dict[str, Authority] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Live authorities win over ended ones that share a name (Barnsley's old ONS code).
        ordered = sorted(self.authorities, key=lambda a: a.is_live)
        for a in ordered:
            self._by_key[name_key(a.name)] = a
            self._by_key[name_key(a.official_name)] = a
        for alias, target in ALIASES.items():
            if name_key(target) in self._by_key:
                self._by_key.setdefault(name_key(alias), self._by_key[name_key(target)])

    # -- lookups ---------------------------------------------------------------------------
    def find(self, name: str) -> Authority | None:
        """The authority a name means (usual or official name, or an alias), or None."""
        key = name_key(name or "")
        if key in self._by_key:
            return self._by_key[key]
        stripped = key
        for _ in range(2):
            stripped = _AFFIXES.sub("", stripped).strip()
        return self._by_key.get(stripped)

    def get(self, name: str) -> Authority:
        """Like ``find`` but an unknown name raises ``UnknownAuthority`` with a plain message."""
        found = self.find(name)
        if found is None:
            raise UnknownAuthority(f"'{name}' is not an English local authority in the register.")
        return found

    def by_ons(self, code: str) -> Authority | None:
        code = (code or "").strip().upper()
        return next((a for a in self.authorities if a.ons_code == code), None)

    def by_dfe(self, code: str | int) -> Authority | None:
        """The authority with this DfE 3-digit code: the live one where the code was reused."""
        code = str(code).strip()
        matches = [a for a in self.authorities if a.dfe_code == code]
        live = [a for a in matches if a.is_live]
        return (live or matches or [None])[-1]

    def lookup(self, text: str) -> Authority | None:
        """A name, an ONS code (E06…) or a DfE code (886)."""
        text = (text or "").strip()
        if re.fullmatch(r"[Ee]\d{8}", text):
            return self.by_ons(text)
        if re.fullmatch(r"\d{3}", text):
            return self.by_dfe(text)
        return self.find(text)

    # -- lists -------------------------------------------------------------------------------
    def live(self) -> list[Authority]:
        return sorted((a for a in self.authorities if a.is_live), key=lambda a: a.name.lower())

    def regions(self) -> list[Region]:
        seen = {a.region_code: a.region for a in self.authorities}
        return [Region(code, name) for code, name in sorted(seen.items())]

    def region(self, name_or_code: str) -> Region | None:
        """A region by name, slug ('south-east') or ONS code (E12000008); case does not matter."""
        wanted = (name_or_code or "").strip()
        for r in self.regions():
            if wanted.upper() == r.code or name_key(wanted) == name_key(r.name) or slugify(wanted) == r.slug:
                return r
        return None

    def members(self, region: str) -> list[Authority]:
        """The live authorities of a region (by name, slug or code), by name."""
        r = self.region(region)
        if r is None:
            known = ", ".join(x.name for x in self.regions())
            raise UnknownAuthority(f"'{region}' is not a region in the register. Regions: {known}.")
        return [a for a in self.live() if a.region_code == r.code]

    def successors(self, authority: Authority) -> list[Authority]:
        return [a for code in authority.successor_ons_codes if (a := self.by_ons(code)) is not None]

    def predecessors(self, authority: Authority) -> list[Authority]:
        return [a for a in self.authorities if authority.ons_code in a.successor_ons_codes]


def _read(path: Path) -> Register:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        out.append(
            Authority(
                name=r["name"],
                official_name=r.get("official_name") or r["name"],
                ons_code=r["ons_code"],
                dfe_code=r["dfe_code"],
                type=r.get("type", ""),
                region_code=r["region_code"],
                region=r["region"],
                status=r["status"],
                date_of_operation=dt.date.fromisoformat(r["date_of_operation"]),
                date_of_termination=(
                    dt.date.fromisoformat(r["date_of_termination"]) if r.get("date_of_termination") else None
                ),
                joint_ons_code=r.get("joint_ons_code", ""),
                joint_name=r.get("joint_name", ""),
                successor_ons_codes=tuple((r.get("successor_ons_codes") or "").split()),
                note=r.get("note", ""),
            )
        )
    return Register(out)


@functools.lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Register:
    return _read(Path(path))


def load_register(path: Path | str = DEFAULT_REGISTER) -> Register:
    """The register, read once per process (again only if the file changes)."""
    p = Path(path).resolve()
    return _cached(str(p), p.stat().st_mtime)


def entry_for(name: str, register: Register | None = None) -> Authority | None:
    """The register entry of a return's authority, or None (not named, or unknown)."""
    if is_not_named(name):
        return None
    return (register or load_register()).find(name)


def is_not_named(name: str) -> bool:
    """True for a published document's authority that the document does not name."""
    return (name or "").strip().lower().startswith(NOT_NAMED_PREFIX.lower())


def display_name(name: str) -> str:
    """How a return's authority is shown: its name, or 'an authority (not named)'."""
    return NOT_NAMED_TEXT if is_not_named(name) else name
