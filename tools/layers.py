"""The import rules of ARCHITECTURE.md, checked from the code's own imports (``tests/test_layers.py``).

Layers, lowest first; a module may import its own package and the layers below it, never above:

    models, config  <  official  <  store  <  survey  <  analysis  <  exports  <  views
        <  deploy (the proxy's configuration, the servers' entry point, the runner)
        <  tools (the benchmark, synthetic returns, the server launcher)
        <  ui, commands (side by side; neither imports the other)  <  pages, app.py, cli.py

Also checked: no two modules import each other (imports under ``if TYPE_CHECKING:`` are for type
hints only and are not counted), only ``config/settings.py`` reads the environment or Streamlit's
secrets, no product module is over 600 lines (migrations aside), and no package holds more than
a fifth of the product's lines.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

LAYERS: tuple[tuple[str, ...], ...] = (
    ("models", "config"),
    ("official",),
    ("store",),
    ("survey",),
    ("analysis",),
    ("exports",),
    ("views",),
    ("deploy",),
    ("tools",),
    ("ui", "commands"),
    ("pages", "app", "cli"),
)
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}
PRODUCT = tuple(n for names in LAYERS for n in names if n != "tools")
MAX_MODULE_LINES = 600
MAX_PACKAGE_SHARE = 0.20
SETTINGS_MODULE = "config.settings"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported module, dotted
    line: int


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for child in node.body:
                    lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def python_files(root: Path) -> list[Path]:
    out = []
    for top in RANK:
        path = root / top
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*.py")) if "__pycache__" not in p.parts)
        elif (root / f"{top}.py").is_file():
            out.append(root / f"{top}.py")
    return out


def imports(root: Path) -> list[Import]:
    """Every import of one of our packages, outside ``if TYPE_CHECKING:``."""
    found = []
    known = {module_name(root, p) for p in python_files(root)}
    for path in python_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_lines(tree)
        mod = module_name(root, path)
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # "from store import audit" imports the module store.audit; "from store import Store"
                # the package itself.
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in known]
                targets = subs if len(subs) == len(node.names) else [node.module, *subs]
            for t in targets:
                if t.split(".")[0] in RANK:
                    found.append(Import(mod, t, node.lineno))
    return found


def upward_imports(root: Path) -> list[str]:
    problems = []
    for imp in imports(root):
        src, dst = imp.module.split(".")[0], imp.target.split(".")[0]
        if src == dst:
            continue
        if RANK[dst] > RANK[src]:
            problems.append(f"{imp.module} (line {imp.line}) imports {imp.target}, a higher layer")
        elif RANK[dst] == RANK[src]:
            problems.append(f"{imp.module} (line {imp.line}) imports {imp.target}, beside it (same layer)")
    return sorted(set(problems))


def mutual_imports(root: Path) -> list[str]:
    """Pairs of modules that import each other."""
    known = {module_name(root, p) for p in python_files(root)}
    edges: dict[str, set[str]] = {}
    for imp in imports(root):
        if imp.target in known and imp.target != imp.module:
            edges.setdefault(imp.module, set()).add(imp.target)
    out = set()
    for a, bs in edges.items():
        for b in bs:
            if a in edges.get(b, set()):
                out.add(" <-> ".join(sorted((a, b))))
    return sorted(out)


def settings_readers(root: Path) -> list[str]:
    """Product modules other than the settings module that read os.environ or st.secrets."""
    out = []
    for path in python_files(root):
        mod = module_name(root, path)
        if mod == SETTINGS_MODULE or mod.split(".")[0] == "tools":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("os.environ", "os.getenv", "st.secrets", "getenv("):
            if needle in text:
                out.append(f"{mod} reads {needle}")
    return out


def line_counts(root: Path) -> dict[str, int]:
    return {
        module_name(root, p): len(p.read_text(encoding="utf-8").splitlines())
        for p in python_files(root)
        if module_name(root, p).split(".")[0] in PRODUCT
    }


def oversized_modules(root: Path) -> list[str]:
    return [f"{m} has {n} lines" for m, n in sorted(line_counts(root).items()) if n > MAX_MODULE_LINES]


def package_shares(root: Path) -> dict[str, float]:
    counts = line_counts(root)
    total = sum(counts.values()) or 1
    shares: dict[str, int] = {}
    for mod, n in counts.items():
        shares[mod.split(".")[0]] = shares.get(mod.split(".")[0], 0) + n
    return {pkg: n / total for pkg, n in sorted(shares.items(), key=lambda kv: -kv[1])}
