"""Each package's public API is exactly its __all__: sorted, every name in it exists and is used
by another part of the project, and nothing outside a package reaches into its private modules."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"auditcrawl.crawler": "crawler", "auditcrawl.rules": "rules", "auditcrawl.storage": "storage"}


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def _imports_from_outside(package: str) -> tuple[set[str], list[str]]:
    """Names imported from `package` by every other part of the project (app, other layers, tests,
    benchmarks), and the production modules that import one of its private modules."""
    own = ROOT / LAYERS[package]
    names: set[str] = set()
    private: list[str] = []
    app = [p for p in ROOT.glob("auditcrawl/**/*.py") if p.relative_to(ROOT).parts[1] not in LAYERS.values()]
    for path in [*app, *ROOT.glob("*/*.py")]:
        if path.parent == own or path.parent.name in (".venv", "build"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.module == package:
                names |= {alias.name for alias in node.names}
            elif node.module.startswith(package + ".") and path.parent.name != "tests":
                private.append(f"{path.relative_to(ROOT)}: {node.module}")  # unit tests may test a private module
    return names, private


@pytest.mark.parametrize("package", ["auditcrawl", *LAYERS])
def test_all_names_exist_and_are_public(package: str) -> None:
    module = importlib.import_module(package)
    exported = set(module.__all__)
    assert len(exported) == len(module.__all__), "duplicates in __all__"
    assert list(module.__all__) == sorted(module.__all__, key=_isort_key), f"{package}.__all__ is not sorted"
    for name in exported:
        assert hasattr(module, name), f"{package}.{name} is listed in __all__ but missing"
    public = {n for n in dir(module) if not n.startswith("_") and not isinstance(getattr(module, n), type(importlib))}
    assert public - exported == set(), f"{package} exposes names outside __all__"


@pytest.mark.parametrize("package", LAYERS)
def test_all_is_what_the_rest_of_the_project_uses(package: str) -> None:
    used, private = _imports_from_outside(package)
    exported = set(importlib.import_module(package).__all__)
    assert exported - used == set(), f"{package} exports names nothing else uses"
    assert used - exported == set(), f"names imported from {package} that it does not export"
    assert private == [], f"imports of {package}'s private modules"


def test_every_error_derives_from_the_one_base() -> None:
    import auditcrawl

    errors = [getattr(auditcrawl, n) for n in auditcrawl.__all__ if n.endswith("Error")]
    assert len(errors) >= 8
    for error in errors:
        assert issubclass(error, auditcrawl.AuditcrawlError)
    assert auditcrawl.UsageError.exit_code == 2 and auditcrawl.InvalidURLError.exit_code == 2
    assert auditcrawl.StorageError.exit_code == 1
