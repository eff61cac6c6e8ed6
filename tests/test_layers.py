"""The import rules of ARCHITECTURE.md hold in the code, and the check itself catches a breach."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import layers

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_imports_a_higher_layer_or_one_beside_it():
    assert layers.upward_imports(ROOT) == []


def test_no_two_modules_import_each_other():
    assert layers.mutual_imports(ROOT) == []


def test_only_the_settings_module_reads_the_environment_or_secrets():
    assert layers.settings_readers(ROOT) == []


def test_no_product_module_is_over_600_lines_and_no_package_holds_over_a_fifth():
    assert layers.oversized_modules(ROOT) == []
    shares = layers.package_shares(ROOT)
    assert max(shares.values()) <= layers.MAX_PACKAGE_SHARE, shares


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # A model reaching up to a view: the deliberate breach the check exists for.
        (
            {
                "models/__init__.py": "",
                "models/a.py": "from views.b import thing\n",
                "views/b.py": "thing = 1\n",
            },
            ["models.a (line 1) imports views.b, a higher layer"],
        ),
        # A store module importing the survey layer inside a function is still an import.
        (
            {"store/__init__.py": "", "store/s.py": "def f():\n    from survey import rounds\n"},
            ["store.s (line 2) imports survey, a higher layer"],
        ),
        # The command line and the pages' helpers sit side by side: neither imports the other.
        (
            {"commands/c.py": "import ui.render\n"},
            ["commands.c (line 1) imports ui.render, beside it (same layer)"],
        ),
        # Downward imports are fine; so are imports only for type hints.
        ({"views/v.py": "from store import Store\nfrom models.x import y\n"}, []),
        (
            {
                "models/m.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from views.v import V\n"
            },
            [],
        ),
    ],
)
def test_the_check_catches_an_upward_import(tmp_path, files, expected):
    assert layers.upward_imports(_tree(tmp_path, files)) == expected


def test_the_check_catches_two_modules_importing_each_other(tmp_path):
    root = _tree(tmp_path, {"store/a.py": "from store import b\n", "store/b.py": "import store.a\n"})
    assert layers.mutual_imports(root) == ["store.a <-> store.b"]


def test_the_check_catches_a_module_reading_the_environment(tmp_path):
    root = _tree(tmp_path, {"ui/x.py": "import os\nURL = os.environ.get('DATABASE_URL')\n"})
    assert layers.settings_readers(root) == ["ui.x reads os.environ"]
