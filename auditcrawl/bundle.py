"""The evidence bundle: export, report, WARC, the run's WACZ package and screenshots in one zip
with a hashed manifest."""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._exceptions import InputFileError
from .wacz import write_wacz

__all__ = ["MANIFEST", "verify_bundle", "write_bundle", "write_evidence_bundle"]

MANIFEST = "manifest.json"


def _entry(name: str, data: bytes) -> dict[str, Any]:
    return {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def write_evidence_bundle(
    document: dict[str, Any], render: Callable[[str | None], str], out: Path, *, pdf: bytes | str | None = None
) -> dict[str, Any]:
    """The bundle with the run's WACZ inside, and a report whose evidence links to its replay in it
    (`render(replay_source)` renders the report); without the WARC on this machine, no WACZ.
    `pdf`: the report printed to PDF, or why it could not be."""
    with tempfile.TemporaryDirectory() as folder:
        wacz = Path(folder) / f"{document['run']['id']}.wacz"
        try:
            write_wacz(document, wacz)
        except InputFileError:  # the WARC is gone: write_bundle lists it as missing
            return write_bundle(document, render(None), out, pdf=pdf)
        return write_bundle(document, render(wacz.name), out, wacz, pdf=pdf)


def write_bundle(
    document: dict[str, Any],
    report_html: str,
    out: Path,
    wacz: Path | None = None,
    *,
    pdf: bytes | str | None = None,
) -> dict[str, Any]:
    """Write the zip; returns its manifest. Files that are gone (a deleted WARC, a PDF the browser
    could not print) are listed as missing."""
    run_id = document["run"]["id"]
    files: dict[str, bytes] = {
        "export.json": json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8"),
        "report.html": report_html.encode("utf-8"),
        # the auditor's decisions on record for the partner, each with whether it applies to this run
        "decisions.json": json.dumps(document.get("decisions", []), indent=2, ensure_ascii=False).encode("utf-8"),
    }
    if wacz is not None:
        files[wacz.name] = wacz.read_bytes()
    missing = []
    if isinstance(pdf, bytes):
        files["report.pdf"] = pdf
    elif pdf is not None:
        missing.append(f"report.pdf ({pdf})")
    warc = document["run"].get("options", {}).get("warc")
    for label, path in [("warc", warc)] + [
        ("screenshot", item["screenshot"])
        for check in document["checks"].values()
        for item in check["evidence"]
        if item.get("screenshot")
    ]:
        if not path:
            continue
        source = Path(path)
        name = f"{run_id}.warc.gz" if label == "warc" else f"screenshots/{source.name}"
        if source.is_file():
            files.setdefault(name, source.read_bytes())
        else:
            missing.append(str(path))
    manifest = {
        "run_id": run_id,
        "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "files": [_entry(name, data) for name, data in files.items()],
        "missing": missing,
        "verdicts": {
            c: {"status": v["status"], "tool_status": v.get("tool_status")} for c, v in document["checks"].items()
        },
        "decisions": len(document.get("decisions", [])),
        # The WACZ holds the same WARC with its index and page list: open it in ReplayWeb.page.
        "wacz": wacz.name if wacz is not None else None,
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
    return manifest


def verify_bundle(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Recompute every hash of the manifest; returns the manifest and the problems found."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputFileError(f"{path}: not a readable zip file ({exc})") from None
    problems: list[str] = []
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            return {}, [f"{MANIFEST} is missing"]
        try:
            manifest = json.loads(archive.read(MANIFEST))
            listed = {entry["path"]: entry for entry in manifest["files"]}
        except (ValueError, KeyError, TypeError) as exc:
            return {}, [f"{MANIFEST} is unreadable ({exc})"]
        for name, entry in listed.items():
            if name not in names:
                problems.append(f"{name}: listed in the manifest but not in the bundle")
                continue
            data = archive.read(name)
            if hashlib.sha256(data).hexdigest() != entry["sha256"] or len(data) != entry["size"]:
                problems.append(f"{name}: sha256 or size does not match the manifest")
        problems += [
            f"{name}: in the bundle but not in the manifest" for name in sorted(names - set(listed) - {MANIFEST})
        ]
        problems += _disagreements(archive, names, manifest)
    return manifest, problems


def _disagreements(archive: zipfile.ZipFile, names: set[str], manifest: dict[str, Any]) -> list[str]:
    """Where the manifest's verdicts and decisions differ from the export's (each file may hash right)."""
    if "export.json" not in names:
        return []
    try:
        document = json.loads(archive.read("export.json"))
        decisions = json.loads(archive.read("decisions.json")) if "decisions.json" in names else None
    except ValueError as exc:
        return [f"export.json or decisions.json is not JSON ({exc})"]
    problems = []
    if decisions is not None and decisions != document.get("decisions", []):
        problems.append("decisions.json: differs from the decisions in export.json")
    for check_id, listed in (manifest.get("verdicts") or {}).items():
        found = document.get("checks", {}).get(check_id, {})
        if listed != {"status": found.get("status"), "tool_status": found.get("tool_status")}:
            problems.append(f"manifest: the verdict of {check_id} differs from export.json")
    return problems
