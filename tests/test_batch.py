"""A validation round through `auditcrawl batch`, as a process, on five loopback sites: the summary's
verdicts are those of five separate crawls, in CSV, XLSX and JSON, from a CSV and an XLSX roster;
a bad row stops everything before it starts; a round killed midway finishes when run again, each
applicant audited once."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from auditcrawl.pipeline import run_audit
from auditcrawl.storage import Store

from .conftest import default_signals, make_settings
from .sites import AS_OF, classic_site, page, without_links_to
from .test_decisions import webinar_site

BIN = Path(sys.executable).parent / "auditcrawl"
pytestmark = pytest.mark.integration
CRAWL = ["--as-of", AS_OF.isoformat(), "--delay", "0", "--allow-private", "--render", "never"]


def five_sites() -> dict[str, dict[str, Any]]:
    generic = classic_site(
        **{
            "/": page("Bits & Bytes | IT services", "<h1>IT services</h1><p>Managed desktops and email.</p>"),
            "/industries/manufacturing/": None,
        }
    )
    return {
        "Acme Classic": classic_site(),
        "Webinar Works": webinar_site(),
        "Hidden Practice": without_links_to(classic_site(), "/industries/manufacturing/"),
        "Bits and Bytes": generic,
        "Short Blog": classic_site(**{"/blog/opc-ua-edge/": None}),
    }


def cli(*args: str, db: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "AUDITCRAWL_DB": db}
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300, stdin=subprocess.DEVNULL
    )


def write_roster(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = ["applicant", "home_url", "region"]
    if path.suffix == ".csv":
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(columns)
        for row in rows:
            sheet.append([row[c] for c in columns])
        book.save(path)
    return path


def read_summary(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".json":
        return [{k: str(v) for k, v in row.items()} for row in json.loads(path.read_text())]
    if path.suffix == ".csv":
        return list(csv.DictReader(io.StringIO(path.read_text())))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("roster_kind", [".csv", ".xlsx"])
async def test_a_roster_gives_the_verdicts_of_separate_crawls(serve: Any, tmp_path: Path, roster_kind: str) -> None:
    servers = {name: serve(routes) for name, routes in five_sites().items()}
    separate: dict[str, tuple[str, ...]] = {}
    alone = f"sqlite:///{tmp_path}/alone.db"
    async with Store(alone) as store:
        for name, server in servers.items():
            report = await run_audit(server.url("/"), make_settings(alone), store, applicant=name)
            separate[name] = tuple(report.checks[c].status for c in ("3.1", "2.2", "3.2"))
    assert len(set(separate.values())) >= 3  # the round is not five times the same answer

    rows = [{"applicant": n, "home_url": s.url("/"), "region": f"EU-{i}"} for i, (n, s) in enumerate(servers.items())]
    roster = write_roster(tmp_path / f"round{roster_kind}", rows)
    db = f"sqlite:///{tmp_path}/round.db"
    for summary in ("summary.csv", "summary.xlsx", "summary.json"):  # the round runs once; then its runs are kept
        pdf = ["--pdf"] if summary.endswith(".json") else []  # a PDF report per applicant
        result = cli("batch", str(roster), "--out", summary, *pdf, *CRAWL, db=db, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        found = read_summary(tmp_path / summary)
        assert [r["applicant"] for r in found] == list(servers)
        for row in found:
            assert (row["3.1"], row["2.2"], row["3.2"]) == separate[row["applicant"]], row
            assert row["status"] == "complete" and row["run_id"] and row["region"].startswith("EU-")
            report = tmp_path / row["report"]
            assert report.is_file() and (report.read_bytes()[:5] == b"%PDF-") == bool(pdf)
            assert int(row["evidence 2.2"]) >= 0
    assert "5 kept from before" in result.stdout
    async with Store(db) as store:
        assert len(await store.list_runs()) == 5


def test_a_bad_row_is_named_and_nothing_starts(serve: Any, tmp_path: Path) -> None:
    server = serve(classic_site())
    claims_missing = {"applicant": "C", "home_url": server.url("/"), "region": "", "claims": "nowhere.json"}
    cases = {
        "no URL": ({"applicant": "B", "home_url": "", "region": ""}, "row 3: home_url"),
        "bad date": ({"applicant": "B", "home_url": server.url("/"), "region": "", "as_of": "2026-13-01"}, "row 3"),
        "duplicate": (
            {"applicant": "a", "home_url": server.url("/"), "region": ""},
            "row 3: applicant 'a' is also in row 2",
        ),
        "missing claims": (claims_missing, "row 3"),
    }
    for name, (bad, words) in cases.items():
        roster = tmp_path / f"{name.replace(' ', '_')}.csv"
        columns = ["applicant", "home_url", "region", "as_of", "claims"]
        with roster.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, restval="")
            writer.writeheader()
            writer.writerow({"applicant": "A", "home_url": server.url("/")})
            writer.writerow(bad)
        db = tmp_path / f"{name.replace(' ', '_')}.db"
        result = cli("batch", str(roster), *CRAWL, db=f"sqlite:///{db}", cwd=tmp_path)
        assert result.returncode == 2, (name, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], (name, result.stderr)
        assert not db.exists() and server.requests == [], name  # nothing stored, nothing fetched


async def test_a_round_killed_midway_finishes_when_run_again(serve: Any, tmp_path: Path) -> None:
    slow = {
        name: {path: dataclasses.replace(p, delay=0.15) for path, p in routes.items()}
        for name, routes in five_sites().items()
    }
    servers = {name: serve(routes) for name, routes in slow.items()}
    rows = [{"applicant": n, "home_url": s.url("/"), "region": ""} for n, s in servers.items()]
    roster = write_roster(tmp_path / "round.csv", rows)
    db = f"sqlite:///{tmp_path}/round.db"
    args = [str(BIN), "batch", str(roster), "--concurrency", "2", *CRAWL]
    env = {**os.environ, "AUDITCRAWL_DB": db}
    process = subprocess.Popen(
        args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=default_signals
    )
    try:
        for _ in range(600):  # bounded: until one applicant is finished and another under way
            async with Store(db) as store:
                runs = await store.list_runs()
            if any(r.status == "complete" for r in runs) and any(r.status == "running" for r in runs):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the round never had a finished and a running applicant at once")
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    async with Store(db) as store:
        before = {r.id: r.status for r in await store.list_runs()}
    assert "running" in before.values() and len(before) < 10

    again = cli("batch", str(roster), "--out", "summary.json", *CRAWL, db=db, cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    async with Store(db) as store:
        runs = await store.list_runs()
    by_applicant: dict[str, list[str]] = {}
    for run in runs:
        by_applicant.setdefault(str(run.applicant), []).append(run.status)
    assert sorted(by_applicant) == sorted(servers)
    assert all(statuses == ["complete"] for statuses in by_applicant.values()), by_applicant
    kept = [i for i, status in before.items() if status == "complete"]
    assert all(i in {r.id for r in runs} for i in kept)  # finished ones left alone
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert sorted(r["run_id"] for r in summary) == sorted(r.id for r in runs)
