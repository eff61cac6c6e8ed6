"""``deploy/Procfile`` on one machine: two app servers and HAProxy in front of them.

``Stack`` starts and stops the Procfile's processes, one by one or together, and asks the proxy
(its admin socket) which servers it has in rotation. ``python -m deploy start`` (``deploy.control``)
runs it for a person; the tests drive it directly (stop one server, start it again, cut its
database). A real deployment runs the same commands as services (``deploy/systemd/``); see the
README's *Deploying* section.

The app servers take their settings (``DATABASE_URL``, the ``[auth]`` section with its shared
``cookie_secret``) from the environment and ``.streamlit/secrets.toml`` as usual; this runner
only fills in what the Procfile and ``deploy/haproxy.cfg`` need: ``PYTHON``, ``HAPROXY``,
``APP1_PORT``, ``APP2_PORT``, ``IRO_PUBLIC``, ``IRO_PUBLIC_HTTP``, ``IRO_CERT``, ``IRO_APP1``,
``IRO_APP2``, ``IRO_DEPLOY`` and ``IRO_RUN``, each unless already set.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from config import settings

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
PROCFILE = DEPLOY / "Procfile"
START_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_procfile(path: Path = PROCFILE) -> dict[str, str]:
    """``{name: command}`` in the file's order (comments and blank lines skipped)."""
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        name, _, command = text.partition(":")
        out[name.strip()] = command.strip()
    return out


def expand(command: str, env: dict[str, str]) -> list[str]:
    """The command's words with ``${NAME}`` replaced from ``env`` (a missing name is an error)."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in env:
            raise KeyError(f"the Procfile uses ${{{name}}}, which is not set")
        return shlex.quote(env[name])

    return shlex.split(re.sub(r"\$\{([A-Z0-9_]+)\}", value, command))


def make_certificate(folder: Path, host: str = "localhost") -> Path:
    """A self-signed certificate and key for ``host`` and 127.0.0.1 in one PEM file, as HAProxy wants (tests only)."""
    folder.mkdir(parents=True, exist_ok=True)
    key, cert, pem = folder / "proxy.key", folder / "proxy.crt", folder / "proxy.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "7",
            "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={host}",
            "-addext", f"subjectAltName=DNS:{host},IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    pem.chmod(0o600)
    key.unlink()
    return pem


def deployment_env(run_dir: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the Procfile: ``base`` (default: this process's) with the gaps filled."""
    env = dict(settings.child_environment() if base is None else base)
    run_dir.mkdir(parents=True, exist_ok=True)
    env.setdefault("PYTHON", sys.executable)
    env.setdefault("HAPROXY", shutil.which("haproxy") or "/usr/sbin/haproxy")
    env.setdefault("APP1_PORT", str(free_port()))
    env.setdefault("APP2_PORT", str(free_port()))
    env.setdefault("IRO_APP1", f"127.0.0.1:{env['APP1_PORT']}")
    env.setdefault("IRO_APP2", f"127.0.0.1:{env['APP2_PORT']}")
    env.setdefault("IRO_PUBLIC", f"127.0.0.1:{free_port()}")
    env.setdefault("IRO_PUBLIC_HTTP", f"127.0.0.1:{free_port()}")
    env.setdefault("IRO_DEPLOY", str(DEPLOY))
    env.setdefault("IRO_RUN", str(run_dir))
    env.setdefault("PYTHONUNBUFFERED", "1")
    if "IRO_CERT" not in env:
        env["IRO_CERT"] = str(make_certificate(run_dir))
    return env


@dataclass
class Process:
    name: str
    argv: list[str]
    log: Path
    popen: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


@dataclass
class Stack:
    """The Procfile's processes, started and stopped one by one or all together."""

    env: dict[str, str]
    run_dir: Path
    procfile: Path = PROCFILE
    #: Settings for one process only, by name (the tests give each server its own way to the database).
    overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, command in read_procfile(self.procfile).items():
            self.processes[name] = Process(name, expand(command, self.env), self.run_dir / f"{name}.log")

    @property
    def url(self) -> str:
        host, _, port = self.env["IRO_PUBLIC"].rpartition(":")
        return f"https://{'localhost' if host in ('', '127.0.0.1', '0.0.0.0') else host}:{port}"

    def server_url(self, name: str) -> str:
        return f"http://{self.env['IRO_' + name.upper()]}"

    # -- one process ---------------------------------------------------------

    def start(self, name: str, *, wait: bool = True) -> None:
        proc = self.processes[name]
        if proc.running:
            return
        with proc.log.open("ab") as fh:
            proc.popen = subprocess.Popen(
                proc.argv, cwd=ROOT, env={**self.env, **self.overrides.get(name, {})}, stdout=fh, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        if wait:
            self.wait_started(name)

    def stop(self, name: str, *, kill: bool = False) -> None:
        """Stop a process (SIGTERM, as a service manager does; SIGKILL with ``kill``, as a crash)."""
        proc = self.processes[name]
        if proc.popen is None or proc.popen.poll() is not None:
            return
        sig = signal.SIGKILL if kill else signal.SIGTERM
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.popen.pid, sig)
        try:
            proc.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.popen.pid, signal.SIGKILL)
            proc.popen.wait()

    def wait_started(self, name: str, timeout: float = START_TIMEOUT) -> None:
        proc = self.processes[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not proc.running:
                break
            if self._answers(name):
                return
            time.sleep(0.2)
        state = "exited" if not proc.running else "did not answer"
        raise RuntimeError(f"{name} {state} within {timeout:.0f} s. Its output:\n{proc.log_text()[-3000:]}")

    def _answers(self, name: str) -> bool:
        if name == "proxy":
            return self.server_states() is not None
        try:
            with urllib.request.urlopen(f"{self.server_url(name)}/_stcore/health", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    # -- the proxy's view ----------------------------------------------------

    def admin(self, command: str) -> str | None:
        """A command on the proxy's admin socket (``show servers state``), or None if it does not answer."""
        path = str(Path(self.env["IRO_RUN"]) / "haproxy.sock")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(3)
                s.connect(path)
                s.sendall(command.encode() + b"\n")
                chunks = []
                while chunk := s.recv(65536):
                    chunks.append(chunk)
        except OSError:
            return None
        return b"".join(chunks).decode(errors="replace")

    def server_states(self, backend: str = "app") -> dict[str, bool] | None:
        """``{"app1": True, ...}``: whether the proxy has each server in rotation (its health check passes)."""
        text = self.admin(f"show servers state {backend}")
        if text is None:
            return None
        out = {}
        for line in text.splitlines():
            parts = line.split()
            if len(parts) > 6 and parts[1] == backend:
                # srv_op_state 2: running (its health check passes); srv_admin_state 0: not drained
                # or put into maintenance by hand.
                out[parts[3]] = parts[5] == "2" and parts[6] == "0"
        return out or None

    def wait_for(self, name: str, up: bool, timeout: float = 60.0) -> float:
        """Wait until the proxy has (``up``) or has not server ``name`` in rotation; the seconds it took."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            states = self.server_states() or {}
            if states.get(name) is up:
                return time.monotonic() - start
            time.sleep(0.1)
        raise RuntimeError(
            f"The proxy did not see {name} {'up' if up else 'down'} within {timeout:.0f} s: {states}"
        )

    def get(self, path: str, *, timeout: float = 10) -> tuple[int, str]:
        """GET through the proxy (its self-signed certificate accepted); (status, body)."""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout, context=context) as r:
                return r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    # -- everything --------------------------------------------------------

    def start_all(self) -> None:
        apps = [n for n in self.processes if n != "proxy"]
        for name in apps:  # the servers start side by side (and migrate the database once, under its lock)
            self.start(name, wait=False)
        for name in apps:
            self.wait_started(name)
        if "proxy" in self.processes:
            self.start("proxy")
            for name in apps:
                self.wait_for(name, up=True)

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)

    def __enter__(self) -> Stack:
        try:
            self.start_all()
        except BaseException:
            self.stop_all()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()
