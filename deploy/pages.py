"""What ``deploy/serve.py`` adds to the pages it serves: the WebSocket check (never imports Streamlit).

``ConnectionCheck`` is ASGI middleware: for a page (an HTML answer to a GET that is not one of
Streamlit's own routes) it inserts ``connection_check.js`` at the top of ``<head>``, so it runs
before Streamlit's scripts. Everything else passes through untouched.
"""

from __future__ import annotations

from pathlib import Path

from starlette.middleware import Middleware

SCRIPT = (Path(__file__).with_name("connection_check.js")).read_text(encoding="utf-8")
SNIPPET = f"<script>{SCRIPT}</script>".encode()
#: Streamlit's own routes and ours: never pages.
NOT_PAGES = (
    "/_stcore/",
    "/static/",
    "/media/",
    "/component/",
    "/app/static/",
    "/healthz",
    "/auth/",
    "/oauth2callback",
)


def is_page(path: str) -> bool:
    return (
        not any(path.startswith(p) or path == p.rstrip("/") for p in NOT_PAGES)
        and "." not in path.rsplit("/", 1)[-1]
    )


def insert_script(body: bytes) -> bytes:
    head = body.find(b"<head>")
    if head < 0:
        return body
    at = head + len(b"<head>")
    return body[:at] + SNIPPET + body[at:]


class ConnectionCheck:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET" or not is_page(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        # Ask for the page uncompressed, so the script can be inserted.
        scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"])
        start: dict | None = None
        chunks: list[bytes] = []
        html = False

        async def capture(message):
            nonlocal start, html
            if message["type"] == "http.response.start":
                headers = dict((k.lower(), v) for k, v in message.get("headers", []))
                html = (
                    headers.get(b"content-type", b"").startswith(b"text/html")
                    and b"content-encoding" not in headers
                )
                if not html:
                    await send(message)
                    return
                start = message
                return
            if message["type"] == "http.response.body" and html:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = insert_script(b"".join(chunks))
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, capture)


def connection_check_middleware() -> Middleware:
    return Middleware(ConnectionCheck)
