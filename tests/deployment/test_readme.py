"""The README's *Deploying* section, followed from a fresh machine with its commands exactly as written.

Every ``sh`` block of the section is run, in order, in one shell (so a name set in one block is
there in the next), as root, in a fresh clone of the repository (from a copy of this commit, as a
region's own clone would be): the packages installed, ``.venv`` made and filled, the servers and the
proxy started, an upgrade, a backup, a restore and a restore drill. The reader's own edit, the
settings file, is written from the README's TOML block with this test's values (its database, its
OpenID Connect provider, the proxy's address on loopback). Only the blocks marked "not run by the
README test" are left out: they need systemd or the machine's own PostgreSQL, which a test machine
does not have to spare. Afterwards a member signs in through the proxy in Chromium.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.browser.browser_helpers import expect, main_area
from tools.serving import free_port

from .conftest import MEMBER, fresh_schema, link_domains
from .test_proxy import request, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
SKIP = "<!-- not run by the README test"


def deploying_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Deploying\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def blocks(section: str) -> list[tuple[str, str, bool]]:
    """Each fenced block as (info string, its text, whether the test runs it)."""
    out = []
    for m in re.finditer(r"(?P<before>[^\n]*)\n```(?P<info>[a-z]*)\n(?P<body>.*?)\n```", section, re.S):
        out.append((m.group("info"), m.group("body"), not m.group("before").startswith(SKIP)))
    return out


def test_the_section_has_each_step_in_the_order_the_issue_gives():
    headings = re.findall(r"^### (.+)$", deploying_section(), re.M)
    assert headings[:5] == [
        "1. What to install",
        "2. The settings",
        "3. How to start",
        "4. How to upgrade",
        "5. How to back up and restore",
    ]
    found = blocks(deploying_section())
    skipped = [body for info, body, run in found if info == "sh" and not run]
    assert all("systemctl" in b or "runuser -u postgres" in b for b in skipped), skipped
    assert sum(1 for info, _, run in found if info == "sh" and run) >= 6


def _settings(section: str, database_url: str, public: str, provider: str) -> str:
    """The README's secrets.toml with this machine's values put in, as its reader would."""
    toml = next(body for info, body, _ in blocks(section) if info == "toml")
    values = tomllib.loads(toml)
    values["DATABASE_URL"] = database_url
    values["auth"].update(
        redirect_uri=f"https://{public}/oauth2callback",
        cookie_secret=secrets.token_urlsafe(32),
        client_id="dashboard",
        client_secret="dashboard-secret",
        server_metadata_url=f"{provider}/.well-known/openid-configuration",
    )
    lines = [f"{k} = {_quote(v)}" for k, v in values.items() if not isinstance(v, dict)]
    lines += ["", "[auth]", *(f"{k} = {_quote(v)}" for k, v in values["auth"].items())]
    return "\n".join(lines) + "\n"


def _quote(value: object) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_the_deploying_section_followed_from_a_fresh_machine(
    proxy_required, browser_required, chromium, oidc_provider, tmp_path
):
    if os.geteuid() != 0:
        if os.environ.get("REQUIRE_PROXY") == "1":
            pytest.fail("REQUIRE_PROXY=1 but the README's commands are run as root, and this is not root")
        pytest.skip("the README's commands are run as root")
    section = deploying_section()
    origin, clone = tmp_path / "origin.git", tmp_path / "iro-cp"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run(["git", "-C", str(ROOT), "push", "-q", str(origin), "HEAD:refs/heads/main"], check=True)
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    public = f"127.0.0.1:{free_port()}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "IRO_PUBLIC": public,
        "IRO_PUBLIC_HTTP": f"127.0.0.1:{free_port()}",
        "DEBIAN_FRONTEND": "noninteractive",
    }
    script = "set -euo pipefail\n" + "\n".join(
        body for info, body, run in blocks(section) if info == "sh" and run
    )
    with fresh_schema("readme") as database_url:
        link_domains(database_url)
        (clone / ".streamlit" / "secrets.toml").write_text(
            _settings(section, database_url, f"localhost:{public.rpartition(':')[2]}", oidc_provider)
        )
        try:
            done = subprocess.run(
                ["bash", "-c", script], cwd=clone, env=env, capture_output=True, text=True, timeout=900
            )
            assert done.returncode == 0, f"{done.stdout[-6000:]}\n{done.stderr[-6000:]}"
            out = done.stdout
            assert "The dashboard is at https://localhost:" in out
            assert "Backed up the returns database" in out and "is a whole backup" in out
            assert "backed up first to" in out  # --replace kept what it replaced
            assert re.search(r"Restored .* into the returns database at sqlite:///.*restore-drill\.db", out)
            assert "app1: in rotation" in out and "app2: in rotation" in out
            assert len(list((clone / "var" / "backups").glob("*.iro-backup"))) >= 3
            # The deployment the README started answers through its proxy, and a member signs in.
            url = f"https://localhost:{public.rpartition(':')[2]}"
            assert request(url + "/_stcore/health")[0] == 200
            context = chromium.new_context(ignore_https_errors=True, locale="en-GB")
            try:
                page = context.new_page()
                sign_in(page, url, MEMBER)
                expect(main_area(page).get_by_role("heading", name="Every return")).to_be_visible()
            finally:
                context.close()
        finally:
            python = clone / ".venv" / "bin" / "python"
            if python.exists():
                subprocess.run([str(python), "-m", "deploy", "stop"], cwd=clone, env=env, timeout=120)
