"""Starting the app and Debian's Chromium the same way for the browser tests and the benchmark."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from config import settings

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = str(settings.get("CHROMIUM_PATH"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine has no internet: without these Chromium floods refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(script: str | Path, port: int) -> list[str]:
    """``streamlit run SCRIPT`` headless on 127.0.0.1:PORT, with usage statistics off."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]


@dataclass
class Server:
    """A ``streamlit run`` process on loopback, with its output in a log file."""

    url: str
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def rss_bytes(self) -> int | None:
        """The server's resident memory, from /proc (None where there is no /proc)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            return None
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(
    script: str | Path,
    env: dict[str, str],
    log: Path,
    cwd: Path = ROOT,
    timeout: float = 90.0,
    *,
    port: int | None = None,
    extra_args: tuple[str, ...] = (),
) -> Server:
    """Start ``streamlit run SCRIPT`` (on ``port``, else a free one) and wait until it answers its
    health check. The one way the tools, the benchmark and the browser tests start the app."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as fh:
        process = subprocess.Popen(
            [*streamlit_command(script, port), *extra_args],
            cwd=cwd,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = Server(url=url, process=process, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    state = f"exited with code {process.returncode}" if process.poll() is not None else "is still starting"
    server.stop()
    raise RuntimeError(
        f"streamlit run {script} did not answer /_stcore/health within {timeout:.0f} s (the process "
        f"{state}). Its output:\n{server.log_text()[-3000:]}"
    )
