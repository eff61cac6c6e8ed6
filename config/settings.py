"""Every setting of the app, the command line and the benchmark, declared once.

Each ``Setting`` has its name, its default, where it may be set (the environment, and for most
also ``.streamlit/secrets.toml``) and one line of help. The environment wins over the secrets
file. This is the only module of the product that reads ``os.environ`` or Streamlit's secrets;
everything else asks ``get(NAME)``. The README's table of settings is ``markdown_table()``
(``tests/test_settings.py`` checks that they agree).

Secrets are read from Streamlit's ``st.secrets`` when the app is running (so a test's
``AppTest.secrets`` counts too), and otherwise straight from the same files Streamlit reads:
``~/.streamlit/secrets.toml`` and ``.streamlit/secrets.toml`` in the folder the command runs
from. Streamlit is never imported here.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = REPO_ROOT / "var" / "returns.db"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    #: Also read from ``.streamlit/secrets.toml`` (else the environment only).
    in_secrets: bool = True
    #: Who reads it: "app" (the app and the command line), "bench" or "tests".
    used_by: str = "app"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        "Where returns are kept: `postgresql://user:password@host:5432/name`; unset, the SQLite "
        "file `var/returns.db`.",
    ),
    Setting(
        "VIEW_ACCESS",
        "public",
        "`public` (anyone sees shared rounds, as a member would) or `members` (only signed-in "
        "members; visitors see published rounds only). Any other value counts as `members`.",
    ),
    Setting(
        "COORDINATOR_SECRET",
        None,
        "Opens the Coordinator page on a deployment without sign-in (the page asks for it).",
    ),
    Setting(
        "COORDINATOR_CONTACT",
        None,
        "Who a refused person is told to ask, for example `qa-lead@example.org`.",
    ),
    Setting(
        "PUBLICATION_STATEMENT",
        None,
        "What is published, when, and what a Freedom of Information request for unpublished returns is "
        "told (section 22), shown on the Overview; unset, the wording in `models/lifecycle.py`.",
    ),
    Setting(
        "TRUSTED_EMAIL_PROVIDERS",
        None,
        "Sign-in providers whose email claim is trusted without `email_verified` or `xms_edov`, "
        'for example `["microsoft"]` (see *Which email is trusted*).',
    ),
    Setting(
        "APP_URL",
        None,
        "The address leads open, written in invitations; unset, the address the Coordinator page "
        "was opened at.",
    ),
    Setting(
        "SURVEY_DATA_DIR",
        None,
        "The folder of returns seeded into an empty database; unset, the project's `survey_data/`.",
        in_secrets=False,
    ),
    Setting(
        "INSTANCE_NAME",
        "app",
        "This server's name in the proxy's configuration (`app1`, `app2`), shown in its log lines; "
        "`deploy/Procfile` and the service definition set it.",
        in_secrets=False,
    ),
    Setting(
        "HEALTH_CHECK_TIMEOUT",
        "3",
        "Seconds a server's `/healthz` waits for the database before reporting it unreachable, "
        "which takes the server out of the proxy's rotation.",
        in_secrets=False,
    ),
    Setting(
        "LOG_LEVEL",
        "INFO",
        "`INFO`: one log line per request of consequence (save, code, refusal, round action); "
        "`WARNING`: refusals only; `DEBUG`: also the returns loaded on first start.",
        in_secrets=False,
    ),
    Setting(
        "BENCH_EMPTY_PAGE",
        None,
        "`1` adds the bench's empty page, which the benchmark measures every page against.",
        in_secrets=False,
        used_by="bench",
    ),
    Setting(
        "BENCH_SETTLE_TIMEOUT_MS",
        "60000",
        "How long the benchmark's browser waits for a page to settle, in milliseconds.",
        in_secrets=False,
        used_by="bench",
    ),
    Setting(
        "CHROMIUM_PATH",
        "/usr/bin/chromium",
        "The Chromium the browser tests and the benchmark drive.",
        in_secrets=False,
        used_by="tests",
    ),
    Setting(
        "TEST_DATABASE_URL",
        None,
        "A PostgreSQL database the tests and the benchmark may empty and fill; unset, PostgreSQL "
        "tests are skipped (unless `REQUIRE_POSTGRES=1`).",
        in_secrets=False,
        used_by="tests",
    ),
)

BY_NAME = {s.name: s for s in SETTINGS}


def _secrets_files() -> list[Path]:
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


_FILE_CACHE: dict[tuple[str, float], dict[str, Any]] = {}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    key = (str(path), mtime)
    if key not in _FILE_CACHE:
        try:
            _FILE_CACHE[key] = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _FILE_CACHE[key] = {}
    return _FILE_CACHE[key]


def secrets() -> Mapping[str, Any]:
    """The secrets, as Streamlit would give them: ``st.secrets`` in a running app, else the files.

    ``st.secrets`` is itself a read-only mapping that Streamlit parses once (and again when the
    file changes), so it is handed on as it is rather than copied on every run."""
    st = sys.modules.get("streamlit")
    if st is not None:
        try:
            len(st.secrets)  # parsed here (once); raises where there is no secrets file
            return st.secrets
        except Exception:  # no secrets file, or no script running: fall back to the files
            pass
    merged: dict[str, Any] = {}
    for path in _secrets_files():
        merged.update(_read_toml(path))
    return merged


def environment() -> Mapping[str, str]:
    return os.environ


def get(
    name: str, *, env: Mapping[str, str] | None = None, secret_values: Mapping[str, Any] | None = None
) -> Any:
    """The setting's value: the environment, then the secrets (where allowed), then its default.

    An empty value counts as not set. ``env`` and ``secret_values`` replace the real ones (tests).
    """
    setting = BY_NAME[name]
    env = os.environ if env is None else env
    value: Any = env.get(name)
    if value is None or str(value).strip() == "":
        value = None
        if setting.in_secrets:
            found = (secrets() if secret_values is None else secret_values).get(name)
            if found is not None and str(found).strip() != "":
                value = found
    return setting.default if value is None else value


def auth_section(secret_values: Mapping[str, Any] | None = None) -> Mapping[str, Any] | None:
    """The ``[auth]`` section of the secrets (sign-in), or None."""
    found = (secrets() if secret_values is None else secret_values).get("auth")
    return found if isinstance(found, Mapping) else None


def default_database_url() -> str:
    """``DATABASE_URL`` if set, else the SQLite file ``var/returns.db`` (its folder made on demand)."""
    url = str(get("DATABASE_URL") or "").strip()
    if url:
        return url
    DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB_PATH}"


def child_environment(**overrides: str) -> dict[str, str]:
    """The environment for a server or command started by the tools, with ``overrides`` set."""
    return {**os.environ, **overrides}


def markdown_table() -> str:
    """The README's table of settings."""
    lines = ["| setting | default | where | what it does |", "|---|---|---|---|"]
    for s in SETTINGS:
        where = "environment or secrets.toml" if s.in_secrets else "environment"
        if s.used_by != "app":
            where += f" ({s.used_by} only)"
        default = f"`{s.default}`" if s.default is not None else "unset"
        lines.append(f"| `{s.name}` | {default} | {where} | {s.help} |")
    return "\n".join(lines)
