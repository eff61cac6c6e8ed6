"""A user never sees a traceback: the error boundary logs it with a reference and says so plainly."""

from __future__ import annotations

import logging
import re
import shutil
import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.support.pages import open_script

ROOT = Path(__file__).resolve().parent.parent
MESSAGE = re.compile(
    r"^Something went wrong on this page, and it could not be shown\. Nothing you saved has been lost\. "
    r"If it happens again, tell the coordinator the reference ([0-9A-F]{8})\.$"
)


def _failing_page():
    from ui.errors import run_safely

    def page():
        raise ValueError("secret detail from deep inside: /srv/app/var/returns.db")

    run_safely(page)


def _stopping_page():
    import streamlit as st

    from ui.errors import run_safely

    def page():
        st.write("before stop")
        st.stop()

    run_safely(page)
    st.write("after the page")


def test_an_unexpected_error_shows_a_reference_and_no_traceback(caplog):
    with caplog.at_level(logging.ERROR, logger="iro_cp.errors"):
        at = open_script(_failing_page).run()
    assert not at.exception
    [error] = at.error
    match = MESSAGE.match(error.value)
    assert match, error.value
    assert "secret detail" not in error.value
    reference = match.group(1)
    [record] = [r for r in caplog.records if r.name == "iro_cp.errors"]
    assert reference in record.getMessage()
    assert record.exc_info and "secret detail from deep inside" in str(record.exc_info[1])


def test_st_stop_passes_through_the_boundary():
    at = open_script(_stopping_page).run()
    assert not at.exception
    assert not at.error
    texts = [m.value for m in at.markdown]
    assert "before stop" in texts
    assert "after the page" not in texts


def test_app_py_wraps_every_page_in_the_boundary(tmp_path):
    # app.py as shipped, with pages that stand in for the real ones; the default page fails.
    shutil.copy(ROOT / "app.py", tmp_path / "app.py")
    (tmp_path / "pages").mkdir()
    for page in (ROOT / "pages").glob("*.py"):
        (tmp_path / "pages" / page.name).write_text("import streamlit as st\nst.write('fine')\n")
    (tmp_path / "pages" / "overview.py").write_text("raise RuntimeError('boom with details')\n")
    at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error if MESSAGE.match(e.value)], [e.value for e in at.error]
    assert "boom" not in " ".join(e.value for e in at.error)


def test_error_details_are_off_in_the_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
