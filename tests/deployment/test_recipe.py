"""The deployment recipe's parts, without starting it: the proxy's configuration is valid, the service
definitions run what the Procfile runs, the health check, the WebSocket check's insertion, and the
request log (one line per audited request, never a code or secret)."""

from __future__ import annotations

import logging
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from deploy import pages
from deploy.health import DatabaseCheck
from deploy.run import DEPLOY, deployment_env, expand, read_procfile
from store import request_log

SERVICE = DEPLOY / "systemd" / "iro-cp@.service"


def test_the_proxy_configuration_is_valid(proxy_required, tmp_path):
    env = deployment_env(tmp_path, {"PATH": "/usr/sbin:/usr/bin:/bin"})
    done = subprocess.run(
        [env["HAPROXY"], "-c", "-f", str(DEPLOY / "haproxy.cfg")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _streamlit_args(words: list[str]) -> list[str]:
    return words[words.index("streamlit") :]


def test_the_service_definition_runs_what_the_procfile_runs():
    text = SERVICE.read_text()
    exec_start = re.search(r"^ExecStart=(.+)$", text, re.M).group(1)
    service = _streamlit_args(shlex.split(exec_start.replace("850%i", "8501")))
    env = {"PYTHON": "python", "APP1_PORT": "8501", "APP2_PORT": "8502", "HAPROXY": "haproxy"}
    procfile = _streamlit_args(expand(read_procfile()["app1"], env))
    assert service == procfile
    assert "Environment=INSTANCE_NAME=app%i" in text
    default = (DEPLOY / "systemd" / "haproxy.default").read_text()
    used = set(re.findall(r"\$\{(IRO_[A-Z0-9_]+)\}", (DEPLOY / "haproxy.cfg").read_text()))
    assert used == set(re.findall(r"^(IRO_[A-Z0-9_]+)=", default, re.M))


@pytest.mark.parametrize(
    "path, is_page",
    [
        ("/", True),
        ("/caseloads", True),
        ("/submit", True),
        ("/_stcore/health", False),
        ("/_stcore/stream", False),
        ("/static/js/index.js", False),
        ("/healthz", False),
        ("/oauth2callback", False),
        ("/favicon.png", False),
        ("/media/abc.png", False),
    ],
)
def test_the_websocket_check_goes_on_pages_only(path, is_page):
    assert pages.is_page(path) is is_page


def test_the_websocket_check_runs_before_streamlits_scripts():
    page = b'<!DOCTYPE html><html><head><meta charset="UTF-8"/><script type="module" src="x.js"></script></head></html>'
    out = pages.insert_script(page)
    assert out.index(b"__iroConnectionCheck") < out.index(b'type="module"')
    assert pages.insert_script(b"no head here") == b"no head here"


def test_the_health_check_says_whether_the_database_answers(tmp_path):
    ok = DatabaseCheck(f"sqlite:///{tmp_path / 'returns.db'}")
    assert ok.check().ok and ok.check().status == 200
    gone = DatabaseCheck("postgresql://someone:s3cret-pass@127.0.0.1:9/nothing", timeout=1)
    health = gone.check()
    assert (health.ok, health.status) == (False, 503)
    assert health.text.startswith("database unreachable (") and "s3cret-pass" not in health.text


@pytest.fixture
def request_lines(caplog):
    request_log.install()
    caplog.set_level(logging.DEBUG, logger="iro_cp.requests")

    def lines() -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.name == "iro_cp.requests" and r.levelno >= logging.INFO
        ]

    return lines


def test_each_request_of_consequence_is_one_line_with_who_and_which_authority(
    store, make_return, request_lines
):
    from store.access import WrongCodeError, issue_code, verify_code

    store.save(
        make_return("Northshire"), based_on=None, channel="form", submitted_by="Lead", who="lead@north.gov.uk"
    )
    code = issue_code(store, "fake-round", "Northshire")
    with pytest.raises(WrongCodeError):
        verify_code(store, "fake-round", "Northshire", "WRONG-CODE-HERE", source="test")
    store.record("sign_in_refused", who="x@evil.example\x1b[2J", detail="domain evil.example is not linked")
    store.set_round_open("fake-round", False, who="coordinator@example.org")
    lines = request_lines()
    assert lines == [
        'return_saved who="lead@north.gov.uk" authority="Northshire" round="fake-round" detail="version 1 (form)"',
        'code_issued who="not recorded" authority="Northshire" round="fake-round"',
        'code_refused who="not recorded" authority="Northshire" round="fake-round" detail="wrong code"',
        'sign_in_refused who="x@evil.example\\u001b[2J" detail="domain evil.example is not linked"',
        'round_closed who="coordinator@example.org" round="fake-round"',
    ]
    text = "\n".join(lines)
    assert code not in text and "WRONG-CODE-HERE" not in text


def test_nothing_is_logged_for_what_was_rolled_back(store, request_lines):
    from store.audit import record_audit

    with pytest.raises(RuntimeError), store.engine.begin() as conn:
        record_audit(conn, "round_opened", who="someone", round_id="fake-round")
        raise RuntimeError("the transaction fails")
    assert request_lines() == []


def test_the_app_servers_log_to_the_journal_and_rotation_is_left_to_it():
    assert "StandardError=journal" in SERVICE.read_text()
    assert Path(DEPLOY / "serve.py").read_text().count("StreamHandler(sys.stderr)") == 1


def test_a_save_refused_for_want_of_the_database_is_said_plainly_and_logged(
    store, make_return, request_lines, monkeypatch
):
    from store.errors import StorageUnavailable
    from survey import submit_flow as flow

    state = flow.SubmitState(round_id="fake-round", authority="Northshire", base_version=None)

    def gone(*args, **kwargs):
        raise StorageUnavailable(
            "The returns database at postgresql://x could not be reached (connection refused)."
        )

    monkeypatch.setattr(store, "save", gone)
    outcome = flow.save(store, state, make_return("Northshire"), "form", "A round", who="lead@north.gov.uk")
    assert not outcome.ok
    assert outcome.message == (
        "Your return was not saved: the dashboard cannot reach its database just now. Your answers are still "
        "here on the page; save again in a minute. The return still has no saved version."
    )
    assert request_lines() == [
        'save_refused who="lead@north.gov.uk" authority="Northshire" round="fake-round" detail="database unreachable"'
    ]
