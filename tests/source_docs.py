"""Where the source documents are, and what the tests read from them.

The source documents live outside the repository, in ``../shared/seeds`` (next
to the checkout). ``SEEDS_DIR`` in the environment points elsewhere, for a
checkout that is not next to them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("SEEDS_DIR") or ROOT.parent / "shared" / "seeds")
SEEDS_MISSING = f"the source documents are not in {SEEDS} (set SEEDS_DIR to where they are)"

#: The briefing whose team-structure lines name three staff.
BRIEFING = "000_b6d5e717f641673e.txt"
#: The posts in the briefing's team structure; the line after a post is either
#: another post, a figure, or the name of the person who holds it.
POSTS = ("Head of Safeguarding", "Safeguarding Manager", "IRO Manager")


def source_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def staff_names() -> list[str]:
    """The names in the briefing's team-structure lines, read from the source at run time.

    The names are never written in the repository: this reads the lines after
    "Team Structure:", and takes each line that follows a post and is a
    person's name (two or more capitalised words that are not a post).
    """
    team = source_text(BRIEFING).split("Team Structure:", 1)[1]
    names: list[str] = []
    previous = None
    for line in (raw.strip() for raw in team.splitlines()):
        if not line:
            continue
        if (
            previous in POSTS
            and line not in POSTS
            and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+", line)
            and line not in names
        ):
            names.append(line)
        previous = line
    return names
