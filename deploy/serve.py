"""The app as each server behind the proxy runs it: ``streamlit run deploy/serve.py``.

The same app as ``app.py`` (this file only wraps it, with ``st.App``), plus what a deployment needs:

* ``/healthz``: 200 while this server can reach the returns database, 503 (with the reason)
  when it cannot; the proxy takes a server out of rotation on two 503s in a row. The proxy refuses
  ``/healthz`` from outside, so the reason is only ever seen by whoever runs the servers.
* at start, the database's tables are brought up to date (with the migration lock, so several
  servers starting at once upgrade once) and seeded, before the server reports itself healthy;
* every page carries a small script that replaces Streamlit's endless spinner with a plain page
  when a proxy strips the WebSocket upgrade (``deploy/connection_check.js``);
* the app's log lines (``iro_cp.*``, one per request of consequence) go to standard error with the
  server's name, for the service manager (systemd's journal) to keep and rotate.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from starlette.concurrency import run_in_threadpool  # noqa: E402
from starlette.responses import PlainTextResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from config import settings  # noqa: E402
from deploy import pages  # noqa: E402
from deploy.health import DatabaseCheck  # noqa: E402

LOG = logging.getLogger("iro_cp.server")


def _log_setup() -> None:
    root = logging.getLogger("iro_cp")
    if any(getattr(h, "_iro_cp", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler._iro_cp = True  # type: ignore[attr-defined]
    handler.setFormatter(
        logging.Formatter(
            f"%(asctime)s %(levelname)s server={settings.get('INSTANCE_NAME')} %(name)s %(message)s",
            datefmt="%Y-%m-%dT%H:%M:%S%z",
        )
    )
    root.addHandler(handler)
    root.setLevel(str(settings.get("LOG_LEVEL")).upper())
    root.propagate = False


_log_setup()
_check = DatabaseCheck(settings.default_database_url(), timeout=float(settings.get("HEALTH_CHECK_TIMEOUT")))


async def healthz(request):
    health = await run_in_threadpool(_check.check)
    return PlainTextResponse(health.text, status_code=health.status, headers={"Cache-Control": "no-store"})


def _prepare_database() -> None:
    from store import open_store, request_log
    from store.errors import StorageError

    request_log.install()
    try:
        open_store(settings.default_database_url()).dispose()
        LOG.info("database ready")
    except StorageError as exc:
        # The server still starts: its health check says the database is unreachable, and its
        # pages say so plainly, until the database is back.
        LOG.error("database not ready at start: %s", exc)


@contextlib.asynccontextmanager
async def lifespan(app):
    await run_in_threadpool(_prepare_database)
    yield
    _check.dispose()


app = st.App(
    ROOT / "app.py",
    routes=[Route("/healthz", healthz, methods=["GET", "HEAD"])],
    middleware=[pages.connection_check_middleware()],
    lifespan=lifespan,
)
