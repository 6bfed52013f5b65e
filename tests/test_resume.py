"""Crash safety: the crawl process is killed for real (SIGKILL) midway, then `crawl --resume` finishes the run."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from auditcrawl.crawler import read_archive
from auditcrawl.pipeline import archive_path
from auditcrawl.siteserver import Page, SiteServer
from auditcrawl.storage import PageRow, Run, Store

from .conftest import default_signals
from .sites import AS_OF, classic_site, page

BIN = Path(sys.executable).parent / "auditcrawl"
pytestmark = pytest.mark.integration  # crawls killed and resumed as CLI processes
_CONFIG = Path(tempfile.mkdtemp(prefix="auditcrawl-test-")) / "no-screenshots.toml"
_CONFIG.write_text("[crawl]\nscreenshots = false\n")
ENV = {**os.environ, "AUDITCRAWL_CONFIG": str(_CONFIG)}
CONCURRENCY = 2
LIBRARY = 60  # extra pages, so that the kill lands mid-crawl
SLOW = 0.02  # seconds per response


def _site() -> dict[str, Page]:
    routes = classic_site()
    links = " ".join(f'<a href="/library/{i}/">Note {i}</a>' for i in range(0, LIBRARY, 6))
    routes["/library/"] = page("Library | Acme Cloud", f"<h1>Library</h1><p>{links}</p>")
    for i in range(LIBRARY):
        more = " ".join(f'<a href="/library/{j}/">Note {j}</a>' for j in range(i + 1, min(i + 6, LIBRARY)))
        routes[f"/library/{i}/"] = page(
            f"Note {i} | Acme Cloud", f"<h1>Note {i}</h1><p>Cloud operations notes. {more}</p>"
        )
    home = routes["/"]
    body = home.body if isinstance(home.body, str) else home.body.decode()
    routes["/"] = Page(body.replace("</main>", '<p><a href="/library/">Library</a></p></main>'))
    return {path: Page(p.body, p.status, p.content_type, p.headers, delay=SLOW) for path, p in routes.items()}


def _args(db: str) -> list[str]:
    return [
        "--db",
        db,
        "--as-of",
        AS_OF.isoformat(),
        "--delay",
        "0",
        "--concurrency",
        str(CONCURRENCY),
        "--allow-private",
        "--full",
    ]


def _pages(db_file: Path) -> list[str]:
    with sqlite3.connect(db_file) as conn:
        return [row[0] for row in conn.execute("SELECT final_url FROM page ORDER BY id")]


def _verdicts(document: dict[str, Any]) -> dict[str, Any]:
    """Each check's status with its evidence and rejected items: path, click path, date (ports differ)."""
    document = json.loads(re.sub(r"http://127\.0\.0\.1:\d+", "", json.dumps(document)))
    return {
        check_id: (
            c["status"],
            *(
                sorted((e["url"], e["click_path"], e["published"]) for e in c[part])
                for part in ("evidence", "rejected")
            ),
        )
        for check_id, c in document["checks"].items()
    }


def _page_requests(server: SiteServer, start: int = 0) -> Counter[str]:
    return Counter(
        path
        for _host, path, _ua in server.requests[start:]
        if path != "/robots.txt" and not path.startswith("/sitemap")
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[str]]:
    """The same site crawled without interruption: the verdicts and pages a resumed run must match."""
    work = tmp_path_factory.mktemp("reference")
    server = SiteServer(_site()).start()
    try:
        done = subprocess.run(
            [str(BIN), "crawl", server.url("/"), *_args(f"sqlite:///{work}/ref.db"), "--json", str(work / "ref.json")],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=180,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads((work / "ref.json").read_text()), _pages(work / "ref.db")
    finally:
        server.stop()


def _stop_after(
    command: list[str], server: SiteServer, requests: int, how: signal.Signals, env: dict[str, str] = ENV
) -> None:
    """Run the command and send it the signal once the server has seen that many page requests."""
    proc = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_signals,
    )
    deadline = time.monotonic() + 60
    while sum(_page_requests(server).values()) < requests:
        assert proc.poll() is None, f"the crawl ended before the kill: {proc.stderr.read() if proc.stderr else ''}"
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.005)
    proc.send_signal(how)
    proc.wait(timeout=30)
    assert proc.returncode == (-signal.SIGKILL if how == signal.SIGKILL else 130)


# SIGKILL at random points (RESUME_SEEDS=1,2,...,20 tries more), and one Ctrl-C (SIGINT) whose partial run is
# finished too.
KILLS = [(signal.SIGKILL, int(s)) for s in os.environ.get("RESUME_SEEDS", "1,2,3").split(",")] + [(signal.SIGINT, 4)]


@pytest.mark.parametrize(("how", "seed"), KILLS)
def test_killed_crawl_resumes_without_refetching_or_losing_pages(
    how: signal.Signals, seed: int, tmp_path: Path, reference: tuple[dict[str, Any], list[str]]
) -> None:
    ref_document, ref_pages = reference
    server = SiteServer(_site()).start()
    db_file = tmp_path / "audit.db"
    db = f"sqlite:///{db_file}"
    try:
        # Kill after a random number of page requests: before the first flush, between flushes, near the end.
        kill_after = random.Random(seed).randint(3, len(ref_pages) - 10)
        _stop_after([str(BIN), "crawl", server.url("/"), *_args(db)], server, kill_after, how)
        before = _page_requests(server)
        logged = len(server.requests)

        with sqlite3.connect(db_file) as conn:
            run_id, status = conn.execute("SELECT id, status FROM run").fetchone()
        # killed: nothing had the chance to close it; Ctrl-C: closed as partial, without verdicts
        assert status == ("running" if how == signal.SIGKILL else "partial")
        warc = db_file.parent / "warc" / f"{run_id}.warc.gz"
        archived = {url.split("/", 3)[3] for url in read_archive(warc).results}

        done = subprocess.run(
            [str(BIN), "crawl", "--resume", run_id, "--db", db, "--json", str(tmp_path / "out.json")],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=180,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        after = _page_requests(server, logged)
    finally:
        server.stop()

    document = json.loads((tmp_path / "out.json").read_text())
    assert document["run"]["id"] == run_id and document["run"]["status"] == "complete", document["run"]["notes"]
    assert _verdicts(document) == _verdicts(ref_document)
    # No page lost, none stored twice: the database holds each page of the site once.
    pages = _pages(db_file)
    assert len(pages) == len(set(pages)), Counter(pages).most_common(3)
    assert sorted(urlsplit(p).path for p in pages) == sorted(urlsplit(p).path for p in ref_pages)
    # What was archived before the kill is never fetched again; what was in flight may be (at most one a slot).
    assert not {"/" + path for path in archived} & set(after), "an archived page was fetched again"
    refetched = [path for path in after if path in before]
    assert len(refetched) <= CONCURRENCY, refetched
    # The archive reads to the end (a record cut by the kill was dropped before appending).
    final = read_archive(warc)
    assert not final.truncated
    with sqlite3.connect(db_file) as conn:
        record_ids = {
            row[0] for row in conn.execute("SELECT warc_record_id FROM page WHERE warc_record_id IS NOT NULL")
        }
    assert record_ids and record_ids <= {r.warc_record_id for r in final.results.values()}
    resumed = [note for note in document["run"]["notes"] if "resumed after the crawl process stopped" in note]
    assert resumed


def test_a_resumed_crawl_killed_again_is_resumed_again(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: tuple[dict[str, Any], list[str]]
) -> None:
    """Twice killed, on SQLite and on PostgreSQL alike (run files under a temporary home folder)."""
    ref_document, ref_pages = reference
    env = {**ENV, "HOME": str(tmp_path)}
    server = SiteServer(_site()).start()
    try:
        _stop_after([str(BIN), "crawl", server.url("/"), *_args(db_url)], server, 20, signal.SIGKILL, env)
        (run,) = asyncio.run(_runs(db_url))
        _stop_after([str(BIN), "crawl", "--resume", run.id, "--db", db_url], server, 45, signal.SIGKILL, env)
        done = subprocess.run(
            [str(BIN), "crawl", "--resume", run.id, "--db", db_url, "--json", str(tmp_path / "out.json")],
            capture_output=True,
            text=True,
            env=env,
            timeout=180,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        requests = _page_requests(server)
    finally:
        server.stop()
    document = json.loads((tmp_path / "out.json").read_text())
    assert document["run"]["status"] == "complete" and _verdicts(document) == _verdicts(ref_document)
    pages = [p.final_url for p in asyncio.run(_stored_pages(db_url, run.id))]
    assert len(pages) == len(set(pages)) and sorted(urlsplit(p).path for p in pages) == sorted(
        urlsplit(p).path for p in ref_pages
    )
    assert sum(n - 1 for n in requests.values()) <= 2 * CONCURRENCY  # only what was in flight at each kill
    monkeypatch.setenv("HOME", str(tmp_path))  # where the crawl processes kept their run files
    warc = archive_path(db_url, run.id)
    assert warc.is_relative_to(tmp_path) and not read_archive(warc).truncated


async def _runs(db_url: str) -> list[Run]:
    async with Store(db_url) as store:
        return list(await store.list_runs())


async def _stored_pages(db_url: str, run_id: str) -> list[PageRow]:
    async with Store(db_url) as store:
        return list(await store.run_pages(run_id))


def test_resume_refuses_a_finished_run_and_an_unknown_one(tmp_path: Path) -> None:
    server = SiteServer(classic_site()).start()
    db = f"sqlite:///{tmp_path}/done.db"
    try:
        for extra in ([], ["--max-pages", "3"]):  # complete; partial with verdicts (a limit was hit)
            done = subprocess.run(
                [str(BIN), "crawl", server.url("/"), *_args(db), *extra],
                capture_output=True,
                text=True,
                env=ENV,
                timeout=180,
            )
            assert done.returncode == 0, done.stderr[-2000:]
    finally:
        server.stop()
    with sqlite3.connect(tmp_path / "done.db") as conn:
        runs = dict(conn.execute("SELECT status, id FROM run").fetchall())
    run_id = runs["complete"]
    again = subprocess.run(
        [str(BIN), "crawl", "--resume", run_id, "--db", db], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert again.returncode == 2
    assert f"run {run_id} is complete" in again.stderr and "Traceback" not in again.stderr
    limited = subprocess.run(
        [str(BIN), "crawl", "--resume", runs["partial"], "--db", db],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert limited.returncode == 2 and "finished with verdicts" in limited.stderr
    unknown = subprocess.run(
        [str(BIN), "crawl", "--resume", "nosuchrun", "--db", db], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert unknown.returncode == 2 and "no run" in unknown.stderr
    both = subprocess.run(
        [str(BIN), "crawl", "https://example.com/", "--resume", run_id, "--db", db],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert both.returncode == 2 and "--resume" in both.stderr
    flags = subprocess.run(
        [str(BIN), "crawl", "--resume", run_id, "--db", db, "--max-pages", "9"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert flags.returncode == 2 and "drop --max-pages" in flags.stderr
