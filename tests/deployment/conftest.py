"""Fixtures for the deployment tests: HAProxy in front of two app servers on one PostgreSQL, in CI.

The deployment is ``deploy/Procfile`` run by ``deploy.run.Stack``, exactly as a region would run it
on one machine: HAProxy with ``deploy/haproxy.cfg`` (TLS with a certificate made here, sticky
sessions, health checks, size limits) and two ``streamlit run deploy/serve.py`` servers sharing a
PostgreSQL schema and one cookie secret. Each server reaches the database through a relay of its
own (``relay.Relay``), so a test can take the database away from one server, or from both, without
touching the shared PostgreSQL server. One deployment serves every test of the package that needs it (started once, on first use).

Needs HAProxy and openssl (``.ci/proxy_deps.sh``), PostgreSQL (``TEST_DATABASE_URL``) and Chromium.
Without them the tests are skipped with the reason; with ``REQUIRE_PROXY=1`` (as in CI, with
``REQUIRE_POSTGRES=1`` and ``REQUIRE_BROWSER=1``) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import textwrap
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from deploy.run import Stack, deployment_env
from tools.serving import free_port

from .relay import Relay

COOKIE_SECRET = "one-cookie-secret-shared-by-every-server-in-the-test"
LEAD = "lead@kent.gov.uk"
MEMBER = "member@medway.gov.uk"
COORDINATOR = "coordinator@seslip.example"
STRANGER = "someone@example.org"


def _require(what: str, reason: str) -> None:
    if os.environ.get(what) == "1":
        pytest.fail(f"{what}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def proxy_required() -> None:
    for program, package in (("haproxy", "haproxy"), ("openssl", "openssl")):
        if shutil.which(program) is None and not Path(f"/usr/sbin/{program}").exists():
            _require(
                "REQUIRE_PROXY", f"{program} is not installed (bash .ci/proxy_deps.sh installs {package})"
            )


def postgres_base() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url:
        _require(
            "REQUIRE_POSTGRES",
            'the deployment tests need TEST_DATABASE_URL (eval "$(bash .ci/postgres.sh start)")',
        )
    return url


@contextmanager
def fresh_schema(prefix: str = "dep") -> Iterator[str]:
    """A new, empty schema on the test PostgreSQL; its URL (the schema dropped afterwards)."""
    from store.engine import normalise_url

    base = normalise_url(postgres_base())
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def through(url: str, relay: Relay) -> str:
    """The same database URL, reached through ``relay``."""
    from store.engine import normalise_url

    return normalise_url(url).set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)


def postgres_port(url: str) -> int:
    from store.engine import normalise_url

    return normalise_url(url).port or 5432


@pytest.fixture(scope="session")
def oidc_provider():
    """The OpenID Connect test provider on loopback, with one-click users whose emails are verified."""
    oidc = pytest.importorskip("oidc_provider_mock")
    users = [
        oidc.User(sub=who, claims={"email": who, "email_verified": True, "name": name})
        for who, name in (
            (LEAD, "Kent lead"),
            (MEMBER, "Medway member"),
            (COORDINATOR, "Coordinator"),
            (STRANGER, "Someone"),
        )
    ]
    with oidc.run_server_in_thread(port=free_port(), user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@dataclass
class Deployment:
    stack: Stack
    database_url: str
    relays: dict[str, Relay]

    @property
    def url(self) -> str:
        return self.stack.url


def write_secrets(folder: Path, public_url: str, provider: str | None) -> Path:
    """``secrets.toml`` as a region writes it: members only, sign-in through the proxy's own address."""
    folder.mkdir(parents=True, exist_ok=True)
    text = 'VIEW_ACCESS = "members"\n'
    if provider:
        text += textwrap.dedent(
            f"""
            [auth]
            redirect_uri = "{public_url}/oauth2callback"
            cookie_secret = "{COOKIE_SECRET}"
            client_id = "dashboard"
            client_secret = "dashboard-secret"
            server_metadata_url = "{provider}/.well-known/openid-configuration"
            """
        )
    path = folder / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def deployment(run_dir: Path, database_url: str, provider: str | None) -> Iterator[Deployment]:
    """The Procfile's two servers and proxy, each server reaching the database through its own relay."""
    base = {
        k: v for k, v in os.environ.items() if k not in ("VIEW_ACCESS", "COORDINATOR_SECRET", "DATABASE_URL")
    }
    env = deployment_env(run_dir, base)
    host_port = env["IRO_PUBLIC"].rpartition(":")[2]
    secrets = write_secrets(run_dir / "secrets", f"https://localhost:{host_port}", provider)
    env["STREAMLIT_SECRETS_FILES"] = str(secrets)
    env["DATABASE_URL"] = database_url
    relays = {name: Relay(postgres_port(database_url)) for name in ("app1", "app2")}
    overrides = {name: {"DATABASE_URL": through(database_url, relay)} for name, relay in relays.items()}
    stack = Stack(env, run_dir, overrides=overrides)
    try:
        with stack:
            yield Deployment(stack, database_url, relays)
    finally:
        for relay in relays.values():
            relay.close()


def link_domains(database_url: str) -> None:
    from store import open_store

    store = open_store(database_url)
    try:
        store.add_domain("kent.gov.uk", "Kent", who="test set-up")
        store.add_domain("medway.gov.uk", "Medway", who="test set-up")
        store.add_coordinator(COORDINATOR, who="test set-up")
    finally:
        store.dispose()


@pytest.fixture(scope="package")
def deployed(proxy_required, browser_required, oidc_provider, tmp_path_factory) -> Iterator[Deployment]:
    """Two servers behind HAProxy on a fresh, seeded PostgreSQL schema, with sign-in (members only)."""
    with fresh_schema() as url:
        link_domains(url)
        with deployment(tmp_path_factory.mktemp("deployment"), url, oidc_provider) as d:
            yield d


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """Screenshots of what the deployment shows (also copied to SAVE_SCREENSHOTS if set)."""
    return tmp_path_factory.mktemp("deployment-screenshots")


@pytest.fixture
def browser(chromium):
    """A fresh browser profile (no cookies) that accepts the proxy's self-signed certificate."""
    contexts = []

    def new(server: str | None = None, url: str | None = None):
        context = chromium.new_context(
            viewport={"width": 1366, "height": 768}, locale="en-GB", ignore_https_errors=True
        )
        context.set_default_timeout(30_000)
        if server and url:
            # The proxy's affinity cookie, as if this browser had been sent to ``server`` before.
            context.add_cookies([{"name": "IROSRV", "value": server, "url": url}])
        contexts.append(context)
        return context

    yield new
    for context in contexts:
        context.close()
