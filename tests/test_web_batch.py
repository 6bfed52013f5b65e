"""A roster uploaded to the workspace, in Chromium: the round runs in the server, its page shows
each applicant and then the summary; it is the same round as `auditcrawl batch` on that roster."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx

from .sites import AS_OF
from .test_batch import BIN, CRAWL, five_sites, write_roster
from .test_web import chromium, workspace


async def test_an_uploaded_roster_runs_the_round_and_offers_its_summary(
    serve: Any, db_url: str, tmp_path: Path
) -> None:
    sites = dict(list(five_sites().items())[:3])
    servers = {name: serve(routes) for name, routes in sites.items()}
    rows = [{"applicant": n, "home_url": s.url("/"), "region": "EU"} for n, s in servers.items()]
    roster = write_roster(tmp_path / "round.csv", rows)
    bad = tmp_path / "bad.csv"
    bad.write_text("applicant,home_url\nA,https://a.example/\nB,not a url\n")

    with workspace(db_url) as base:
        async with chromium() as browser:
            page = await browser.new_page()
            await page.goto(f"{base}/")
            await page.click("nav.top a[href='/batches/new']")
            await page.set_input_files("input[name=roster]", str(bad))
            await page.click("button[type=submit]")
            assert "bad.csv row 3: home_url" in await page.locator("#batch-error").inner_text()

            await page.set_input_files("input[name=roster]", str(roster))
            await page.fill("input[name=as_of]", AS_OF.isoformat())
            await page.fill("input[name=delay]", "0")
            await page.select_option("select[name=render]", "never")
            await page.check("input[name=allow_private]")
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{base}/batches/*")
            for _ in range(300):  # bounded: three loopback crawls take seconds; the page refreshes itself
                if "the round has ended" in await page.locator("#batch-progress").inner_text():
                    break
                await page.wait_for_timeout(500)
            text = await page.locator("#batch").inner_text()
            assert all(name in text for name in servers) and "error" not in text
            summary_link = await page.locator("#summary a", has_text="CSV").get_attribute("href")
            assert summary_link is not None
        with httpx.Client(base_url=base) as client:
            summary = client.get(summary_link)
    assert summary.status_code == 200 and "attachment" in summary.headers["content-disposition"]
    found = list(csv.DictReader(io.StringIO(summary.text)))
    assert [r["applicant"] for r in found] == list(servers)
    assert all(r["status"] == "complete" and r["3.1"] and r["region"] == "EU" for r in found)

    # The command line on the same roster finds the workspace's round: nothing is audited again.
    again = subprocess.run(
        [str(BIN), "batch", str(roster), *CRAWL],
        capture_output=True,
        text=True,
        env={**os.environ, "AUDITCRAWL_DB": db_url, "COLUMNS": "200"},
        cwd=tmp_path,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert "0 audited, 3 kept from before" in again.stdout
