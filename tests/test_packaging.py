"""Installing auditcrawl puts one import name into site-packages: `auditcrawl` (with its data)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_the_installed_package_is_auditcrawl_alone(tmp_path: Path) -> None:
    # Built from a copy: setuptools leaves build/ and *.egg-info beside the sources it builds.
    source = tmp_path / "source"
    junk = (".venv", ".git", "build", "*.egg-info", "__pycache__", ".*_cache", "test-artifacts")
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*junk))
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(tmp_path),
        str(source),
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("auditcrawl-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/", 1)[0] for n in names} == {"auditcrawl", wheel.name.split("-py")[0] + ".dist-info"}
    for data in (
        "auditcrawl/rules/vocab/kinds.toml",
        "auditcrawl/rules/vocab/lang/de.toml",
        "auditcrawl/storage/schema/export-v1.json",
        "auditcrawl/crawler/_fetch.py",
        "auditcrawl/templates/report.html.j2",
    ):
        assert data in names, f"{data} missing from the wheel"

    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path).returncode == 0
    python = venv / "bin" / "python"
    purelib = Path(
        _run(str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path).stdout.strip()
    )
    installed = _run(
        sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel), cwd=tmp_path
    )
    assert installed.returncode == 0, installed.stderr
    top_level = {p.name for p in purelib.iterdir()} - {"__pycache__", "_distutils_hack", "distutils-precedence.pth"}
    assert top_level == {"auditcrawl", wheel.name.split("-py")[0] + ".dist-info"}, top_level

    # In that venv, run from a folder that is not the project: the generic names do not import.
    for generic in ("crawler", "rules", "storage"):
        result = _run(str(python), "-c", f"import {generic}", cwd=tmp_path)
        assert result.returncode != 0 and f"No module named '{generic}'" in result.stderr, result.stderr
    assert sysconfig.get_path("purelib") != str(purelib)  # the test venv, not the one running the tests
