"""The health check the proxy asks every app server: can this server reach its database?

``DatabaseCheck(url).check()`` runs ``SELECT 1`` on the returns database with a short timeout,
on a connection of its own (so a check never waits behind the app's work), and says plainly what
it found. ``deploy/serve.py`` answers ``/healthz`` with it; the proxy also asks Streamlit's own
``/_stcore/health`` (see ``deploy/haproxy.cfg``), so a server is in rotation only while both pass.

Never imports Streamlit.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import sqlalchemy as sa

from store.engine import mask_url, normalise_url

#: Seconds to wait for the database before calling it unreachable (the proxy waits 4 s in all).
TIMEOUT_SECONDS = 3
#: A result is reused for this long, so a burst of checks costs one query.
REUSE_SECONDS = 1.0


@dataclass(frozen=True)
class Health:
    ok: bool
    text: str

    @property
    def status(self) -> int:
        return 200 if self.ok else 503


class DatabaseCheck:
    """``SELECT 1`` on the database at ``url``; one at a time, the answer reused for a second."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.url = normalise_url(url)
        self.where = mask_url(self.url)
        args: dict = {"timeout": timeout} if self.url.get_backend_name() == "sqlite" else {}
        if self.url.get_backend_name() == "postgresql":
            args = {
                "connect_timeout": max(1, int(timeout)),
                "options": f"-c statement_timeout={int(timeout * 1000)}",
            }
            # A URL's own options (a search_path, say) are kept: psycopg joins them.
            extra = self.url.query.get("options")
            if extra:
                args["options"] = f"{extra} {args['options']}"
        self.engine = sa.create_engine(self.url, poolclass=sa.NullPool, connect_args=args)
        self._lock = threading.Lock()
        self._last: tuple[float, Health] | None = None

    def check(self) -> Health:
        with self._lock:
            now = time.monotonic()
            if self._last is not None and now - self._last[0] < REUSE_SECONDS:
                return self._last[1]
            health = self._ask()
            self._last = (time.monotonic(), health)
            return health

    def _ask(self) -> Health:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except Exception as exc:  # any failure means: not fit to take people
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
            password = self.url.password
            if password and len(password) >= 4:
                reason = reason.replace(password, "***")
            return Health(False, f"database unreachable ({reason})")
        return Health(True, f"ok: database reachable ({self.url.get_backend_name()})")

    def dispose(self) -> None:
        self.engine.dispose()
