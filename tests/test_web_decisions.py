"""Decisions in the web workspace, served for real and used through Chromium: the auditor signs in
with a name, the run page's form (with its CSRF token) records a decision, and the stored rows are
the ones the command line stores for the same decision; the to-review page and the partners page."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from auditcrawl.pipeline import run_audit
from auditcrawl.storage import CheckRow, DecisionRow, Store

from .conftest import _create_database, make_settings
from .sites import days_ago
from .test_decisions import BIN, WEBINAR_PATH, webinar_site
from .test_web import chromium, workspace

FIELDS = ("url", "check_id", "checks", "decision", "facts", "reason", "made_by", "content_digest", "supersedes")


async def _audited(db: str, home: str) -> str:
    async with Store(db) as store:
        report = await run_audit(home, make_settings(db), store, applicant="Acme")
    return report.run_id


async def _stored(db: str, run_id: str) -> tuple[list[tuple[Any, ...]], dict[str, tuple[str, str | None]]]:
    async with Store(db) as store, store.session() as session:
        decisions = (await session.exec(select(DecisionRow).order_by(DecisionRow.id))).all()  # type: ignore[arg-type]
        checks = (await session.exec(select(CheckRow).where(CheckRow.run_id == run_id))).all()
    return [tuple(getattr(d, f) for f in FIELDS) for d in decisions], {
        c.check_id: (c.status, c.tool_status) for c in checks
    }


async def test_a_decision_in_the_workspace_stores_what_the_command_line_stores(
    serve: Any, db_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    server = serve(webinar_site())
    webinar = server.url(WEBINAR_PATH)
    cli_db = (
        f"sqlite:///{tmp_path}/cli.db"
        if db_url.startswith("sqlite")
        else _create_database(request.getfixturevalue("postgres_server"))
    )
    web_run, cli_run = await _audited(db_url, server.url("/")), await _audited(cli_db, server.url("/"))

    with workspace(db_url, token="s3cret-token") as base:
        # A form posted without this browser's CSRF token is refused, and stores nothing.
        with httpx.Client(base_url=base, headers={"Authorization": "Bearer s3cret-token"}) as client:
            forged = client.post(
                f"/runs/{web_run}/decisions", data={"url": webinar, "decision": "accept", "reason": "x"}
            )
            assert forged.status_code == 403
        assert (await _stored(db_url, web_run))[0] == []
        async with chromium() as browser:
            page = await browser.new_page()
            await page.goto(f"{base}/runs/{web_run}")
            assert page.url.startswith(f"{base}/login")
            await page.fill("input[name=name]", "ann")
            await page.fill("input[name=token]", "s3cret-token")
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{base}/")
            await page.click("nav.top a[href='/review']")
            await page.wait_for_url(f"{base}/review")
            assert "Acme" in await page.locator("#to-review").inner_text()
            await page.goto(f"{base}/runs/{web_run}")
            item = page.locator(".to-decide", has=page.locator(f"input[name=url][value='{webinar}']"))
            assert await item.count() == 1
            await item.locator("input[name=reason]").fill("")
            await item.locator("button[value=accept]").click()  # the browser refuses an empty reason
            assert page.url == f"{base}/runs/{web_run}"
            await item.locator("input[name=reason]").fill("aired in April")
            await item.locator("input[name=published]").fill(days_ago(40))
            async with page.expect_navigation():
                await item.locator("button[value=accept]").click()
            assert "The crawl alone found: needs_review" in await page.locator("#check-3\\.2").inner_text()
            assert "aired in April" in await page.locator("#check-3\\.2").inner_text()
            await page.goto(f"{base}/")
            row = await page.locator("#partners tbody tr").first.inner_text()
            assert "met" in row and "to decide" not in row
            await page.goto(f"{base}/review")
            assert "Nothing waits for a decision" in await page.locator("main").inner_text()

    decided = subprocess.run(
        [str(BIN), "decide", cli_run, webinar, "--accept", "--published", days_ago(40), "--reason", "aired in April"],
        capture_output=True,
        text=True,
        env={"AUDITCRAWL_DB": cli_db, "AUDITCRAWL_AUDITOR": "ann", "PATH": str(BIN.parent)},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert decided.returncode == 0, decided.stderr
    web_rows, web_checks = await _stored(db_url, web_run)
    cli_rows, cli_checks = await _stored(cli_db, cli_run)
    assert web_rows == cli_rows and len(web_rows) == 1
    assert web_checks == cli_checks and web_checks["3.2"] == ("met", "needs_review")


async def test_a_trusted_proxy_names_the_auditor(serve: Any, db_url: str) -> None:
    server = serve(webinar_site())
    run_id = await _audited(db_url, server.url("/"))
    with workspace(db_url, user_header="X-Forwarded-User") as base, httpx.Client(base_url=base) as client:
        client.get("/")  # the CSRF cookie
        csrf = client.cookies["auditcrawl_csrf"]
        form = {"csrf": csrf, "check": "3.2", "decision": "met", "reason": "seen the webinar"}
        assert client.post(f"/runs/{run_id}/decisions", data=form).status_code == 403  # no name: refused
        named = client.post(f"/runs/{run_id}/decisions", data=form, headers={"X-Forwarded-User": "bo"})
        assert named.status_code == 303
        empty = client.post(
            f"/runs/{run_id}/decisions", data={**form, "reason": " "}, headers={"X-Forwarded-User": "bo"}
        )
        assert empty.status_code == 400 and "needs a reason" in empty.text
    rows, checks = await _stored(db_url, run_id)
    assert [(r[1], r[3], r[6]) for r in rows] == [("3.2", "met", "bo")] and checks["3.2"] == ("met", "needs_review")
