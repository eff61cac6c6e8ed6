"""Every setting is declared once, read in one place, and listed in the README as declared."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_lists_every_setting_as_declared():
    assert settings.markdown_table() in README.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "env", "secret_values", "expected"),
    [
        ("VIEW_ACCESS", {}, {}, "public"),  # the default
        ("VIEW_ACCESS", {}, {"VIEW_ACCESS": "members"}, "members"),  # from secrets.toml
        (
            "VIEW_ACCESS",
            {"VIEW_ACCESS": "public"},
            {"VIEW_ACCESS": "members"},
            "public",
        ),  # the environment wins
        (
            "VIEW_ACCESS",
            {"VIEW_ACCESS": "  "},
            {"VIEW_ACCESS": "members"},
            "members",
        ),  # an empty value is unset
        ("DATABASE_URL", {}, {}, None),
        ("SURVEY_DATA_DIR", {}, {"SURVEY_DATA_DIR": "/elsewhere"}, None),  # environment only
        ("BENCH_SETTLE_TIMEOUT_MS", {}, {}, "60000"),
    ],
)
def test_a_setting_comes_from_the_environment_then_the_secrets_then_its_default(
    name, env, secret_values, expected
):
    assert settings.get(name, env=env, secret_values=secret_values) == expected


def test_an_undeclared_setting_cannot_be_read():
    with pytest.raises(KeyError):
        settings.get("NOT_A_SETTING", env={}, secret_values={})


def test_the_secrets_file_is_read_without_streamlit(tmp_path, monkeypatch):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        'COORDINATOR_SECRET = "from-the-file"\n[auth]\nredirect_uri = "x"\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(settings, "_secrets_files", lambda: [tmp_path / ".streamlit" / "secrets.toml"])
    monkeypatch.setitem(__import__("sys").modules, "streamlit", None)
    assert settings.secrets()["COORDINATOR_SECRET"] == "from-the-file"
    assert settings.auth_section() == {"redirect_uri": "x"}
