"""The layers hold: crawler < rules < storage < app, settings and errors below them all.

`make lint` runs import-linter with the contract in pyproject.toml; these tests show that
the contract passes on the code as it is and fails on a copy with one upward import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_project(tmp_path: Path) -> Path:
    """The package and the contract, with the linked folders copied as real ones."""
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copytree(
        ROOT / "auditcrawl", copy / "auditcrawl", symlinks=False, ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project)}  # the copy, not the installed tree
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_code_keeps_its_layers(tmp_path: Path) -> None:
    result = _lint(_copy_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward_import"),
    [
        ("crawler/_urls.py", "from auditcrawl.rules import PageFacts"),  # crawler reaching into rules
        ("rules/_gating.py", "from auditcrawl.storage import Store"),  # rules reaching into storage
        ("storage/_export.py", "from auditcrawl.pipeline import run_audit"),  # storage reaching into the app
        ("settings.py", "from auditcrawl.crawler import Fetcher"),  # a leaf reaching up
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path: Path, module: str, upward_import: str) -> None:
    project = _copy_project(tmp_path)
    path = project / "auditcrawl" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{upward_import}  # noqa\n", encoding="utf-8")
    result = _lint(project)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert upward_import.split()[1] in result.stdout  # the report names the module imported against the rule
