"""``python -m deploy``: run the deployment on one machine, and drive the proxy during an upgrade.

    python -m deploy start --self-signed [--background]   the Procfile's servers and proxy
    python -m deploy status [--wait SECONDS]               which servers the proxy has in rotation
    python -m deploy drain app1 / ready app1               take a server out of rotation, and back
    python -m deploy stop                                  stop what ``start`` started

Everything is kept in ``--run-dir`` (default ``var/run``): the logs, the proxy's admin socket, the
certificate ``--self-signed`` makes, and ``deploy.json`` (the runner's process and the address).
With the proxy run as a service, ``status``, ``drain`` and ``ready`` take ``--run-dir`` of its
admin socket (``IRO_RUN``, ``/run/haproxy`` in ``deploy/systemd/haproxy.default``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from config import settings
from deploy.run import ROOT, Stack, deployment_env

STATE = "deploy.json"


def _state(run_dir: Path) -> dict:
    try:
        return json.loads((run_dir / STATE).read_text())
    except (OSError, ValueError):
        return {}


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _socket_stack(run_dir: Path) -> Stack:
    """A stack that only talks to the proxy's admin socket in ``run_dir``."""
    env = {
        "IRO_RUN": str(run_dir),
        "IRO_PUBLIC": "127.0.0.1:0",
        "PYTHON": sys.executable,
        "HAPROXY": "haproxy",
    }
    env.update(APP1_PORT="0", APP2_PORT="0")
    return Stack(env, run_dir)


def cmd_start(args: argparse.Namespace) -> int:
    run_dir = Path(args.run_dir)
    if _alive(_state(run_dir).get("pid")):
        print(f"The deployment is already running (see: python -m deploy status --run-dir {run_dir}).")
        return 1
    base = settings.child_environment()
    if args.cert:
        base["IRO_CERT"] = str(Path(args.cert).resolve())
    elif "IRO_CERT" not in base and not args.self_signed:
        print(
            "Give --cert FILE.pem (the certificate and its key in one file), or --self-signed to try it out."
        )
        return 2
    base.setdefault("IRO_PUBLIC", "127.0.0.1:8443")
    run_dir.mkdir(parents=True, exist_ok=True)
    if args.background:
        argv = [sys.executable, "-m", "deploy", "start", "--run-dir", str(run_dir)]
        argv += ["--cert", base["IRO_CERT"]] if "IRO_CERT" in base else ["--self-signed"]
        with (run_dir / "deploy.log").open("ab") as log:
            child = subprocess.Popen(
                argv, cwd=ROOT, env=base, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline and child.poll() is None:
            state = _state(run_dir)
            if state.get("pid") == child.pid and state.get("ready"):
                print(f"The dashboard is at {state['url']} (logs in {run_dir}).")
                return 0
            time.sleep(0.5)
        print(f"The deployment did not start within {args.timeout:.0f} s. See {run_dir / 'deploy.log'}.")
        if child.poll() is None:
            child.terminate()
        return 1
    stack = Stack(deployment_env(run_dir, base), run_dir)
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    state_file = run_dir / STATE
    state_file.write_text(json.dumps({"pid": os.getpid(), "url": stack.url, "ready": False}))
    try:
        with stack:
            state_file.write_text(json.dumps({"pid": os.getpid(), "url": stack.url, "ready": True}))
            print(f"The dashboard is at {stack.url} (logs in {run_dir}). Ctrl+C stops it.", flush=True)
            try:
                while not stopping and all(p.running for p in stack.processes.values()):
                    time.sleep(0.5)
            except KeyboardInterrupt:
                pass
            for proc in stack.processes.values():
                if not proc.running and not stopping:
                    print(
                        f"{proc.name} stopped, so the rest are stopped too. Its output:\n{proc.log_text()[-2000:]}"
                    )
    finally:
        state_file.unlink(missing_ok=True)
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    run_dir = Path(args.run_dir)
    pid = _state(run_dir).get("pid")
    if not _alive(pid):
        print("The deployment is not running.")
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(pid):
        print(f"The deployment (process {pid}) did not stop within 60 s.")
        return 1
    print("Stopped the app servers and the proxy.")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    run_dir = Path(args.run_dir)
    stack = _socket_stack(run_dir)
    deadline = time.monotonic() + (args.wait or 0)
    while True:
        states = stack.server_states()
        if states and all(states.values()):
            break
        if time.monotonic() >= deadline:
            break
        time.sleep(0.5)
    if not states:
        print(f"The proxy does not answer on {run_dir / 'haproxy.sock'}: is it running?")
        return 1
    where = _state(run_dir).get("url")
    if where:
        print(f"The dashboard is at {where}.")
    for name, up in states.items():
        print(
            f"{name}: {'in rotation' if up else 'OUT of rotation (its health check fails, or it was drained)'}"
        )
    return 0 if all(states.values()) else 1


def _set(args: argparse.Namespace, state: str) -> int:
    stack = _socket_stack(Path(args.run_dir))
    answer = stack.admin(f"set server app/{args.server} state {state}")
    if answer is None:
        print(f"The proxy does not answer on {Path(args.run_dir) / 'haproxy.sock'}.")
        return 1
    if answer.strip():
        print(answer.strip())
        return 1
    done = (
        "takes no new people; those on it stay until they leave"
        if state == "drain"
        else "is back in rotation"
    )
    print(f"{args.server} {done}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run_dir = {
        "default": str(ROOT / "var" / "run"),
        "help": "logs, the admin socket and the state (default var/run)",
    }
    p = sub.add_parser(
        "start", help="start the app servers and the proxy (address: IRO_PUBLIC, default 127.0.0.1:8443)"
    )
    p.add_argument("--cert", help="the certificate and its private key in one PEM file (default: IRO_CERT)")
    p.add_argument("--self-signed", action="store_true", help="make a self-signed certificate, to try it out")
    p.add_argument(
        "--background", action="store_true", help="return once everything is up, leaving it running"
    )
    p.add_argument("--timeout", type=float, default=180.0, help="seconds --background waits (default 180)")
    p.add_argument("--run-dir", **run_dir)
    p.set_defaults(func=cmd_start)
    p = sub.add_parser("stop", help="stop what start started")
    p.add_argument("--run-dir", **run_dir)
    p.set_defaults(func=cmd_stop)
    p = sub.add_parser("status", help="which servers the proxy has in rotation")
    p.add_argument(
        "--wait", type=float, default=0, help="wait up to this many seconds for every server to be in"
    )
    p.add_argument("--run-dir", **run_dir)
    p.set_defaults(func=cmd_status)
    for name, state, text in (
        ("drain", "drain", "take a server out of rotation gently"),
        ("ready", "ready", "put it back"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("server", choices=("app1", "app2"))
        p.add_argument("--run-dir", **run_dir)
        p.set_defaults(func=lambda a, s=state: _set(a, s))
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
