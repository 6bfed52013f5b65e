"""The auditor's decisions, end to end on a loopback site and both databases, through the command line:
a 3.2 resting on an undated webinar, decided; the decision carried to rechecks while the page is
unchanged and back in review when it changed; bad decisions refused with nothing stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from auditcrawl.siteserver import Page
from auditcrawl.storage import validate_export

from .sites import AS_OF, BLOG_INDEX, classic_site, days_ago, page

BIN = Path(sys.executable).parent / "auditcrawl"
pytestmark = pytest.mark.integration

WEBINAR_PATH = "/blog/webinar-mes-on-aws/"
WEBINAR_TEXT = """<article><h1>Webinar: running MES on AWS</h1><p>Our on-demand webinar shows how manufacturers
run a manufacturing execution system (MES) on AWS, with AWS IoT SiteWise collecting OPC UA data from the
shop floor and OEE dashboards for every production line.</p>{more}</article>"""


def webinar_site(more: str = "") -> dict[str, Page]:
    """The tidy site, its 3.2 resting on one dated post and one undated industrial webinar."""
    index = BLOG_INDEX.body.decode() if isinstance(BLOG_INDEX.body, bytes) else BLOG_INDEX.body
    index = index.replace('href="/blog/opc-ua-edge/">OPC UA at the edge', f'href="{WEBINAR_PATH}">MES webinar')
    return classic_site(
        **{
            "/blog/": Page(index),
            "/blog/opc-ua-edge/": None,
            WEBINAR_PATH: page("Webinar: MES on AWS | Acme Cloud", WEBINAR_TEXT.format(more=more)),
        }
    )


def cli(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "AUDITCRAWL_DB": db, "AUDITCRAWL_AUDITOR": "ann"}
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, timeout=180, stdin=subprocess.DEVNULL
    )


CRAWL = ["--as-of", AS_OF.isoformat(), "--delay", "0", "--allow-private", "--render", "never"]


def export(run_id: str, db: str) -> dict[str, Any]:
    result = cli("export", run_id, db=db)
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    validate_export(document)
    return document


def newest_run(db: str) -> str:
    result = cli("runs", "--applicant", "Acme", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)[0]["id"])


def refused(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_a_decision_settles_3_2_and_holds_on_rechecks_until_the_page_changes(
    serve: Any, db_url: str, tmp_path: Path
) -> None:
    server = serve(webinar_site())
    webinar = server.url(WEBINAR_PATH)
    assert cli("crawl", server.url("/"), "--applicant", "Acme", *CRAWL, db=db_url).returncode == 0
    first = newest_run(db_url)
    document = export(first, db_url)
    assert document["checks"]["3.2"]["status"] == "needs_review"
    assert document["checks"]["3.2"]["tool_status"] == "needs_review"

    queue = cli("review", first, "--json", db=db_url)
    assert queue.returncode == 0, queue.stderr
    items = json.loads(queue.stdout)
    assert items[0]["url"] == webinar and items[0]["check_id"] == "3.2" and items[0]["changes_verdict"]
    assert any("needs_review -> met" in line for line in items[0]["would"])

    # Bad input: one line, exit 2, nothing stored.
    refused(cli("decide", "nosuchrun", webinar, "--accept", "--reason", "x", db=db_url), "no run")
    refused(cli("decide", first, server.url("/nowhere/"), "--accept", "--reason", "x", db=db_url), "not a page")
    late = "2026-06-02"  # the day after the audit date
    refused(cli("decide", first, webinar, "--accept", "--published", late, "--reason", "x", db=db_url), "after")
    refused(cli("decide", first, webinar, "--accept", "--reason", "  ", db=db_url), "reason")
    refused(cli("decide", first, webinar, "--reject", "--kind", "essay", "--reason", "x", db=db_url), "not a kind")
    refused(cli("decide", first, "--check", "3.2", "--verdict", "met", db=db_url), "reason")
    assert export(first, db_url)["decisions"] == []

    decided = cli(
        "decide", first, webinar, "--accept", "--published", days_ago(40), "--reason", "aired in April", db=db_url
    )
    assert decided.returncode == 0, decided.stderr
    assert "3.2: needs_review -> met" in decided.stdout
    document = export(first, db_url)
    check = document["checks"]["3.2"]
    assert (check["status"], check["tool_status"]) == ("met", "needs_review")
    (decision,) = check["decisions"]
    assert decision["by"] == "ann" and decision["decision"] == "accept" and decision["applies"]
    assert decision["facts"] == {"published": days_ago(40)} and decision["reason"] == "aired in April"
    assert decision["content_digest"].startswith("sha256:") and decision["supersedes"] is None
    assert webinar in [e["url"] for e in check["evidence"]]
    report = cli("report", first, "--out", str(tmp_path / "report.html"), db=db_url)
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "report.html").read_text()
    assert "aired in April" in html and "The crawl alone found: needs_review" in html

    # The evidence bundle carries them, and verify holds the manifest to the export.
    bundle = tmp_path / "evidence.zip"
    assert cli("bundle", first, "--out", str(bundle), db=db_url).returncode == 0
    verified = cli("verify", str(bundle), db=db_url)
    assert verified.returncode == 0, verified.stdout
    assert "3.2 met (the crawl alone: needs_review); 1 decision(s) on record" in verified.stdout
    with zipfile.ZipFile(bundle) as archive:
        assert json.loads(archive.read("decisions.json")) == document["decisions"]
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    manifest["verdicts"]["3.2"]["tool_status"] = "met"  # as if the crawl alone had found it
    with zipfile.ZipFile(tmp_path / "edited.zip", "w") as archive:
        for name, data in {**files, "manifest.json": json.dumps(manifest).encode()}.items():
            archive.writestr(name, data)
    edited = cli("verify", str(tmp_path / "edited.zip"), db=db_url)
    assert edited.returncode == 1 and "the verdict of 3.2 differs from export.json" in edited.stdout

    # A recheck with the page unchanged: met without asking.
    assert cli("recheck", "--applicant", "Acme", *CRAWL, db=db_url).returncode == 0
    second = newest_run(db_url)
    assert second != first
    check = export(second, db_url)["checks"]["3.2"]
    assert (check["status"], check["tool_status"]) == ("met", "needs_review")
    assert [d["applies"] for d in check["decisions"]] == [True]
    assert json.loads(cli("review", second, "--json", db=db_url).stdout) == []

    # The webinar's text changes: back in review, and review says why.
    server.set_routes(webinar_site(more="<p>Now with a second part on Industrial IoT edge gateways.</p>"))
    regressed = cli("recheck", "--applicant", "Acme", *CRAWL, db=db_url)
    assert regressed.returncode == 3, regressed.stderr  # 3.2 met -> needs_review: a regression
    third = newest_run(db_url)
    document = export(third, db_url)
    assert document["checks"]["3.2"]["status"] == "needs_review"
    (decision,) = document["decisions"]
    assert not decision["applies"] and decision["not_applied"].startswith("changed since decided on")
    text = cli("review", third, db=db_url)
    assert text.returncode == 0, text.stderr
    assert webinar in text.stdout and "changed since decided on" in text.stdout and "by ann" in text.stdout


def test_a_verdict_on_a_check_needs_a_reason_and_supersedes_the_one_before(serve: Any, db_url: str) -> None:
    server = serve(webinar_site())
    assert cli("crawl", server.url("/"), "--applicant", "Acme", *CRAWL, db=db_url).returncode == 0
    run_id = newest_run(db_url)
    refused(cli("decide", run_id, "--check", "3.2", "--verdict", "met", "--reason", "", db=db_url), "reason")
    refused(cli("decide", run_id, "--check", "3.3", "--verdict", "met", "--reason", "x", db=db_url), "no check")
    first = cli(
        "decide", run_id, "--check", "3.2", "--verdict", "not_met", "--reason", "webinar is a sales demo", db=db_url
    )
    assert first.returncode == 0 and "3.2: needs_review -> not_met" in first.stdout, first.stderr
    second = cli(
        "decide", run_id, "--check", "3.2", "--verdict", "met", "--reason", "second look", "--by", "bo", db=db_url
    )
    assert second.returncode == 0 and "3.2: not_met -> met" in second.stdout, second.stderr
    document = export(run_id, db_url)
    check = document["checks"]["3.2"]
    assert check["status"] == "met" and check["tool_status"] == "needs_review"
    old, new = document["decisions"]
    assert (old["by"], old["applies"], new["by"], new["applies"]) == ("ann", False, "bo", True)
    assert new["supersedes"] == old["id"] and old["not_applied"] == f"superseded by decision {new['id']}"
    assert check["summary"].startswith("Set to met by bo")


def test_a_decision_on_an_earlier_run_settles_the_later_runs_that_read_the_same_page(serve: Any, db_url: str) -> None:
    server = serve(webinar_site())
    webinar = server.url(WEBINAR_PATH)
    assert cli("crawl", server.url("/"), "--applicant", "Acme", *CRAWL, db=db_url).returncode == 0
    earlier = newest_run(db_url)
    assert cli("crawl", server.url("/"), "--applicant", "Acme", *CRAWL, db=db_url).returncode == 0
    later = newest_run(db_url)
    decided = cli("decide", earlier, webinar, "--accept", "--published", days_ago(40), "--reason", "aired", db=db_url)
    assert decided.returncode == 0, decided.stderr
    assert f"also applies to the later run {later}: 3.2 needs_review -> met" in decided.stdout
    check = export(later, db_url)["checks"]["3.2"]
    assert (check["status"], check["tool_status"]) == ("met", "needs_review")
    assert [d["applies"] for d in check["decisions"]] == [True]
