"""The web workspace served for real: uvicorn on a loopback port over a real database (SQLite and
PostgreSQL), read through HTTP and through Chromium."""

from __future__ import annotations

import dataclasses
import io
import json
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.async_api import Browser

from auditcrawl.crawler import LAUNCH_ARGS
from auditcrawl.pipeline import run_audit
from auditcrawl.storage import Store, validate_export
from auditcrawl.web import create_app

from .conftest import make_settings
from .sites import classic_site, page, without_links_to

BIN = Path(sys.executable).parent / "auditcrawl"
HOSTILE = 'Acme <script>alert("x")</script> & Co'
HOSTILE_TITLE = "Fabrikam <img src=x onerror=alert(1)> moves Siemens Teamcenter PLM to AWS"


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Debian's Chromium through Playwright, as the renderer launches it; a clear failure when missing."""
    from playwright.async_api import async_playwright

    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def workspace(db_url: str, token: str | None = None, user_header: str | None = None) -> Iterator[str]:
    """The workspace on a random loopback port, stopped at the end."""
    port = _free_port()
    app = create_app(db_url, token, user_header=user_header)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):  # bounded: the server starts in well under a second
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the workspace did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _slow_site(serve: Any) -> Any:
    """The classic site answering each page after 0.3 s: a crawl that is still under way when looked at."""
    slow = {path: dataclasses.replace(p, delay=0.3) for path, p in classic_site().items() if path != "/robots.txt"}
    return serve({**classic_site(), **slow})


async def _two_runs(serve: Any, db_url: str) -> tuple[str, str]:
    """Two audits of one partner: the second after its practice page went missing (3.1 regresses)."""
    hostile_case = page(
        HOSTILE_TITLE,
        """<article><h1>Customer story: Fabrikam</h1><p>Fabrikam migrated its PLM system, Siemens Teamcenter, to
        Amazon EC2 and Amazon FSx; the bill of materials flows to the MES.</p></article>""",
    )
    server = serve(classic_site(**{"/case-studies/fabrikam-plm/": hostile_case}))
    settings = make_settings(db_url)
    async with Store(db_url) as store:
        first = await run_audit(server.url("/"), settings, store, applicant=HOSTILE)
        changed = without_links_to(
            classic_site(**{"/case-studies/fabrikam-plm/": hostile_case}), "/industries/manufacturing/"
        )
        server.set_routes(changed)
        second = await run_audit(server.url("/"), settings, store, applicant=HOSTILE)
    return first.run_id, second.run_id


async def test_pages_and_api(serve: Any, db_url: str) -> None:
    first, second = await _two_runs(serve, db_url)
    with workspace(db_url) as base, httpx.Client(base_url=base, timeout=30) as client:
        runs = client.get("/api/runs").json()
        assert [r["id"] for r in runs] == [second, first]
        document = client.get(f"/api/runs/{second}").json()
        validate_export(document)
        assert document["run"]["id"] == second and document["checks"]["3.1"]["status"] != "met"
        (partner,) = client.get("/api/partners").json()
        assert partner["applicant"] == HOSTILE and partner["runs"] == 2 and partner["regressions"] == ["3.1"]
        assert client.get("/api/runs/nosuchrun000").status_code == 404
        spec = client.get("/api/openapi.json").json()
        assert set(spec["paths"]) == {
            "/api/runs",
            "/api/runs/{run_id}",
            "/api/runs/{run_id}/events",
            "/api/audits",
            "/api/partners",
        }

        page = client.get("/")
        assert page.status_code == 200
        assert "script-src" not in page.headers["content-security-policy"]  # no script may run at all
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "<script>" not in page.text and "Acme &lt;script&gt;" in page.text  # a hostile name is text
        assert "(regressed)" in page.text
        report = client.get(f"/runs/{second}")
        assert report.status_code == 200 and f"/api/runs/{second}" in report.text
        bundle = client.get(f"/runs/{second}/bundle.zip")
        assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
            assert {"export.json", "report.html", "manifest.json", f"{second}.wacz"} <= set(archive.namelist())
        assert f"/runs/{second}/run.wacz" in report.text  # offered beside the JSON and the zip
        wacz = client.get(f"/runs/{second}/run.wacz")
        assert wacz.status_code == 200 and wacz.headers["content-type"] == "application/wacz+zip"
        with zipfile.ZipFile(io.BytesIO(wacz.content)) as archive:
            assert {"datapackage.json", "pages/pages.jsonl", f"archive/{second}.warc.gz"} <= set(archive.namelist())
        assert "<script>alert" not in report.text
        filtered = client.get("/", params={"check": "3.1:met"})
        assert "No partner matches." in filtered.text


async def test_a_token_guards_every_page_and_call(serve: Any, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path}/w.db"
    _, second = await _two_runs(serve, db_url)
    with workspace(db_url, token="s3cret-token") as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/api/runs").status_code == 401
        assert client.get(f"/api/runs/{second}").status_code == 401
        assert client.get("/api/runs", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/runs", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        page = client.get("/", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login"
        # A forged sign-in without the form's CSRF token is refused, even with the right token.
        forged = client.post("/login", data={"token": "s3cret-token"}, follow_redirects=False)
        assert forged.status_code == 403
        form = client.get("/login")
        csrf = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        wrong = client.post("/login", data={"csrf": csrf, "token": "guess"}, follow_redirects=False)
        assert wrong.status_code == 401
        nameless = client.post("/login", data={"csrf": csrf, "token": "s3cret-token"}, follow_redirects=False)
        assert nameless.status_code == 400 and "Give your name" in nameless.text
        signed_in = client.post(
            "/login", data={"csrf": csrf, "token": "s3cret-token", "name": "ann"}, follow_redirects=False
        )
        assert signed_in.status_code == 303
        assert client.get("/").status_code == 200  # the session cookie now opens the pages


@pytest.mark.integration  # the CLI as a process
def test_serve_refuses_an_open_address_without_a_token(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(BIN), "serve", "--host", "0.0.0.0", "--db", f"sqlite:///{tmp_path}/s.db"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: --host 0.0.0.0 is reachable from other machines: give --token (or AUDITCRAWL_TOKEN)"
    )


async def test_an_auditor_signs_in_lists_partners_and_opens_a_run_in_chromium(serve: Any, db_url: str) -> None:
    _, second = await _two_runs(serve, db_url)
    with workspace(db_url, token="s3cret-token") as base:
        async with chromium() as browser:
            page = await browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: dialogs.append(d.message))
            await page.goto(f"{base}/")
            assert page.url == f"{base}/login"
            await page.fill("input[name=name]", "Ann Auditor")
            await page.fill("input[name=token]", "s3cret-token")
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{base}/")
            cells = await page.locator("#partners tbody tr td").all_inner_texts()
            assert HOSTILE in cells[0]  # shown as text
            await page.click(f"a[href='/runs/{second}']")
            await page.wait_for_url(f"{base}/runs/{second}")
            assert "website evidence" in await page.locator("h1").inner_text()
            assert HOSTILE_TITLE in await page.locator("body").inner_text()  # a hostile page title, as text
            assert await page.locator("img[src=x]").count() == 0
            await page.click("nav.workspace a:first-child")
            await page.wait_for_url(f"{base}/")
            assert dialogs == []  # the hostile name ran no script


def _wait_until_finished(client: httpx.Client, run_id: str) -> dict[str, Any]:
    """Poll the run's progress (bounded: a loopback crawl of the classic site takes seconds)."""
    for _ in range(600):
        events = client.get(f"/api/runs/{run_id}/events").json()
        if events["state"] != "running":
            return dict(events)
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still running: {events}")


async def test_an_audit_started_through_the_api_runs_in_the_server(serve: Any, db_url: str) -> None:
    site = serve(classic_site())
    with workspace(db_url) as base, httpx.Client(base_url=base, timeout=30) as client:
        body = {"home_url": site.url("/"), "applicant": "Acme Cloud", "delay": 0, "allow_private": True}
        started = client.post("/api/audits", json=body)
        assert started.status_code == 202, started.text
        run_id = started.json()["run_id"]
        assert _wait_until_finished(client, run_id)["state"] == "finished"
        document = client.get(f"/api/runs/{run_id}").json()
        validate_export(document)
        assert [document["checks"][c]["status"] for c in ("3.1", "2.2", "3.2")] == ["met", "met", "met"]
        # Bad input is refused field by field, and nothing starts.
        bad = client.post("/api/audits", json={"home_url": "ftp://x", "as_of": "yesterday", "delay": "soon"})
        assert bad.status_code == 400
        fields = bad.json()["fields"]
        assert set(fields) == {"home_url", "as_of", "delay"} and "ftp://x" in fields["home_url"]
        assert len(client.get("/api/runs").json()) == 1
        # A form post from a foreign page (no CSRF token) starts nothing.
        forged = client.post("/audits/new", data={"home_url": site.url("/"), "allow_private": "on"})
        assert forged.status_code == 403
        assert len(client.get("/api/runs").json()) == 1


async def test_an_auditor_starts_an_audit_from_the_form_and_watches_it_finish(serve: Any, db_url: str) -> None:
    site = serve(classic_site())
    with workspace(db_url) as base:
        async with chromium() as browser:
            page = await browser.new_page()
            await page.goto(f"{base}/audits/new")
            await page.fill("input[name=home_url]", "not a url")
            await page.fill("input[name=as_of]", "2026-13-40")
            await page.click("button[type=submit]")
            errors = await page.locator(".error").all_inner_texts()
            assert any("not an absolute http(s) URL" in e for e in errors), errors
            assert any("as_of" in e or "date" in e for e in errors), errors
            await page.fill("input[name=home_url]", site.url("/"))
            await page.fill("input[name=as_of]", "2026-06-01")
            await page.fill("input[name=applicant]", "Acme Cloud")
            await page.fill("input[name=delay]", "0")
            await page.check("input[name=allow_private]")
            await page.click("button[type=submit]")
            # The progress page refreshes itself until the crawl ends, then shows the report.
            await page.wait_for_selector("text=website evidence", timeout=120_000)
            statuses = await page.locator("h2 .status").all_inner_texts()
            assert statuses and all(s.strip().lower().replace("_", " ") == "met" for s in statuses), statuses


async def test_an_auditor_compares_two_runs_and_manages_a_schedule_in_chromium(serve: Any, db_url: str) -> None:
    first, second = await _two_runs(serve, db_url)
    with workspace(db_url) as base:
        async with chromium() as browser:
            page = await browser.new_page()
            await page.goto(f"{base}/")
            await page.click("#partners tbody tr td a")  # the partner's runs
            await page.wait_for_selector("#chart")
            assert await page.locator("#chart rect").count() == 6  # two runs, three checks
            await page.select_option("select[name=from]", first)
            await page.select_option("select[name=to]", second)
            await page.click("#compare button")
            await page.wait_for_selector("#changes")
            row = await page.locator("#changes tr.regressed").first.inner_text()
            assert row.startswith("3.1") and "(regression)" in row

            await page.goto(f"{base}/schedules")
            await page.fill("form.add input[name=applicant]", "Fabrikam")
            await page.fill("form.add input[name=home_url]", "https://www.fabrikam.example/")
            await page.fill("form.add input[name=every]", "fortnightly")
            await page.click("form.add button")
            assert "--every: expected a number and a unit" in await page.locator(".error").first.inner_text()
            await page.fill("form.add input[name=every]", "14d")
            await page.click("form.add button")
            await page.wait_for_selector("#schedules")
            assert await page.locator("#schedules input[name=every]").input_value() == "14d"  # as given
            await page.goto(f"{base}/")  # the approved partner is listed before its first audit
            fabrikam = await page.locator("#partners tr", has_text="Fabrikam").inner_text()
            assert "approved" in fabrikam and "every 14.0 days, next" in fabrikam and "not audited yet" in fabrikam
            await page.goto(f"{base}/schedules")
            await page.fill("#schedules input[name=every]", "30d")  # change it
            await page.click("#schedules form.change button")
            await page.wait_for_selector("#schedules")
            assert await page.locator("#schedules input[name=every]").input_value() == "30d"
            await page.click("#schedules button[aria-label^='remove']")
            await page.wait_for_selector("text=No partner is rechecked on a schedule yet.")
    cli = subprocess.run(
        [str(BIN), "schedule", "list", "--json", "--db", db_url], capture_output=True, text=True, timeout=60
    )
    assert cli.returncode == 0 and cli.stdout.strip() == "[]"  # the command line sees the same database


async def test_a_new_audit_takes_the_applicants_claims_file(serve: Any, db_url: str) -> None:
    site = serve(classic_site())
    home = site.url("/")
    with workspace(db_url) as base, httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/audits/new").text
        csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        fields = {"csrf": csrf, "home_url": home, "as_of": "2026-06-01", "delay": "0", "allow_private": "on"}
        bad = client.post("/audits/new", data=fields, files={"claims": ("claims.json", b'{"landing": 1}')})
        assert bad.status_code == 400 and "claims.json: unknown field &#39;landing&#39;" in bad.text
        assert client.get("/api/runs").json() == []  # nothing started
        claims = {"case_studies": [site.url("/case-studies/contoso-predictive-maintenance/")]}
        started = client.post(
            "/audits/new",
            data=fields,
            files={"claims": ("claims.json", json.dumps(claims).encode())},
            follow_redirects=False,
        )
        assert started.status_code == 303, started.text
        run_id = started.headers["location"].rsplit("/", 1)[1]
        assert _wait_until_finished(client, run_id)["state"] == "finished"
        document = client.get(f"/api/runs/{run_id}").json()
        assert [c["verdict"] for c in document["claims"]] == ["ok"]


async def test_stopping_the_server_leaves_a_running_audit_partial_and_resumable(serve: Any, db_url: str) -> None:
    site = _slow_site(serve)
    with workspace(db_url) as base, httpx.Client(base_url=base, timeout=30) as client:
        body = {"home_url": site.url("/"), "delay": 0, "concurrency": 1, "allow_private": True, "as_of": "2026-06-01"}
        run_id = client.post("/api/audits", json=body).json()["run_id"]
        for _ in range(300):  # bounded: until the crawl is under way
            if client.get(f"/api/runs/{run_id}/events").json()["pages_fetched"] >= 2:
                break
            time.sleep(0.1)
    # The server stopped mid-crawl (leaving the with block): the run is partial, not lost.
    async with Store(db_url) as store:
        run = await store.get_run(run_id)
    assert run.status == "partial" and run.finished_at is not None
    resumed = subprocess.run(
        [str(BIN), "crawl", "--resume", run_id, "--db", db_url],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert resumed.returncode == 0, resumed.stderr
    async with Store(db_url) as store:
        assert (await store.get_run(run_id)).status == "complete"


async def test_screenshots_a_failed_crawl_and_the_crawl_lock(serve: Any, db_url: str) -> None:
    site = serve(classic_site())
    async with Store(db_url) as store:
        shot = await run_audit(site.url("/"), make_settings(db_url, screenshots=True), store, applicant="Shots")
    with workspace(db_url) as base, httpx.Client(base_url=base, timeout=30) as client:
        # Screenshots come from the data folder, and only the ones the run names.
        report = client.get(f"/runs/{shot.run_id}").text
        assert f'src="/runs/{shot.run_id}/screenshots/0"' in report
        image = client.get(f"/runs/{shot.run_id}/screenshots/0")
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
        assert client.get(f"/runs/{shot.run_id}/screenshots/99").status_code == 404
        async with chromium() as browser:  # and the page's own policy lets the browser show them
            tab = await browser.new_page()
            await tab.goto(f"{base}/runs/{shot.run_id}", wait_until="load")
            widths = await tab.eval_on_selector_all("img.thumb", "imgs => imgs.map(i => i.naturalWidth)")
            assert widths and all(w > 0 for w in widths), widths

        # A crawl whose home page cannot be reached says why on its run page.
        closed = f"http://127.0.0.1:{_free_port()}/"
        body = {"home_url": closed, "applicant": "Gone", "delay": 0, "allow_private": True}
        failed = client.post("/api/audits", json=body).json()["run_id"]
        _wait_until_finished(client, failed)
        page_text = client.get(f"/runs/{failed}").text
        assert "failed" in page_text and "home page unreachable" in page_text

        # One crawl per partner at a time: a second one for the same partner waits its turn.
        slow_site = _slow_site(serve)
        body = {"home_url": slow_site.url("/"), "applicant": "Busy", "delay": 0, "allow_private": True}
        first = client.post("/api/audits", json=body)
        second = client.post("/api/audits", json=body)
        assert first.status_code == 202 and second.status_code == 409
        assert second.json()["error"] == "Busy is being audited already: wait for that crawl to finish"
        _wait_until_finished(client, first.json()["run_id"])
        assert client.post("/api/audits", json=body).status_code == 202  # free again once it ended
