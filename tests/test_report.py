"""The auditor's record: HTML report in real Chromium, the WARC read back, the bundle and its verification."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright
from warcio.archiveiterator import ArchiveIterator

from auditcrawl.crawler import LAUNCH_ARGS
from auditcrawl.report import link, render_report

from .sites import AS_OF, classic_site, days_ago, page, published

BIN = Path(sys.executable).parent / "auditcrawl"
ARTIFACTS = Path(os.environ.get("AUDITCRAWL_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))
HOSTILE_1 = "<script>window.__pwned = 1</script>Contoso case study"
HOSTILE_2 = '"><img src=x onerror="window.__pwned = 2">Fabrikam case study'


def hostile_site() -> dict[str, Any]:
    from html import escape

    routes = classic_site()
    routes["/case-studies/contoso-predictive-maintenance/"] = page(
        escape(HOSTILE_1),
        """<article><h1>Case study: Contoso Motors</h1><p>OPC UA data to AWS IoT SiteWise;
        predictive maintenance cut unplanned downtime 30%.</p></article>""",
        head=published(days_ago(100)),
    )
    routes["/case-studies/fabrikam-plm/"] = page(
        escape(HOSTILE_2),
        """<article><h1>Customer story: Fabrikam</h1><p>Siemens Teamcenter PLM on Amazon EC2; the bill
        of materials flows to the MES.</p></article>""",
        head=published(days_ago(200)),
    )
    return routes


async def test_report_shows_verdicts_and_hostile_titles_as_text(serve: Any, audit: Any, tmp_path: Path) -> None:
    server = serve(hostile_site())
    result = await audit(server.url("/"), screenshots=True)
    titles = {e["title"] for e in result.document["checks"]["2.2"]["evidence"]}
    assert HOSTILE_1 in titles and HOSTILE_2 in titles  # read as plain text from the pages
    html = render_report(result.document)
    report = tmp_path / "report.html"
    report.write_text(html)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        try:
            tab = await browser.new_page(viewport={"width": 1280, "height": 900})
            await tab.goto(report.as_uri())
            assert await tab.evaluate("typeof window.__pwned") == "undefined"  # no script ran
            assert await tab.evaluate("document.querySelectorAll('script').length") == 0
            assert await tab.evaluate("document.querySelector('img[src=\"x\"]')") is None  # no injected element
            body = await tab.inner_text("body")
            assert HOSTILE_1 in body and HOSTILE_2 in body  # shown as text
            badges = await tab.eval_on_selector_all(".card .status", "els => els.map(e => e.textContent)")
            assert badges == ["met", "met", "met"]
            thumbs = await tab.eval_on_selector_all("img.thumb", "els => els.map(e => e.naturalWidth)")
            assert len(thumbs) == 5 and all(width > 0 for width in thumbs)  # embedded screenshots load offline
            hrefs = await tab.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
            assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
            await tab.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        finally:
            await browser.close()
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000


def test_report_links_are_http_only() -> None:
    assert str(link("javascript:alert(1)")) == "javascript:alert(1)"
    assert (
        str(link('https://p.com/a"><b>'))
        == '<a href="https://p.com/a&#34;&gt;&lt;b&gt;" rel="noopener noreferrer">https://p.com/a&#34;&gt;&lt;b&gt;</a>'
    )


async def test_warc_has_a_response_for_every_evidence_url(serve: Any, audit: Any, tmp_path: Path) -> None:
    server = serve(classic_site())
    result = await audit(server.url("/"))
    warc = Path(result.document["run"]["options"]["warc"])
    responses: dict[str, str] = {}
    requests = 0
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                responses[record.rec_headers.get_header("WARC-Target-URI")] = record.rec_headers.get_header(
                    "WARC-Record-ID"
                )
                assert record.http_headers.get_statuscode()
            elif record.rec_type == "request":
                requests += 1
    evidence = {e["url"]: e for c in ("3.1", "2.2", "3.2") for e in result.document["checks"][c]["evidence"]}
    assert evidence and set(evidence) <= set(responses)
    assert server.url("/robots.txt") in responses and requests == len(responses)
    for url, item in evidence.items():
        assert item["warc_record_id"] == responses[url]


def test_bundle_verifies_and_a_tampered_one_fails(serve: Any, tmp_path: Path) -> None:
    server = serve(classic_site())
    db = f"sqlite:///{tmp_path}/b.db"
    env = {**os.environ, "COLUMNS": "200"}
    crawl = subprocess.run(
        [
            str(BIN),
            "crawl",
            server.url("/"),
            "--db",
            db,
            "--allow-private",
            "--delay",
            "0",
            "--as-of",
            AS_OF.isoformat(),
            "--json",
            str(tmp_path / "run.json"),
            "--applicant",
            "Acme Industrial",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert crawl.returncode == 0, crawl.stderr
    run_id = json.loads((tmp_path / "run.json").read_text())["run"]["id"]
    bundle = tmp_path / "evidence.zip"
    made = subprocess.run(
        [str(BIN), "bundle", run_id, "--out", str(bundle), "--db", db], capture_output=True, text=True, env=env
    )
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert {"export.json", "report.html", "report.pdf", f"{run_id}.warc.gz", "manifest.json"} <= names
    assert len([n for n in names if n.startswith("screenshots/")]) == 5
    assert manifest["run_id"] == run_id and {f["path"] for f in manifest["files"]} == names - {"manifest.json"}
    ok = subprocess.run([str(BIN), "verify", str(bundle)], capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and ok.stdout.startswith(f"OK: {len(names) - 1} files of run {run_id}")

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "export.json":
                data = data.replace(b'"met"', b'"not_met"', 1)
            target.writestr(name, data)
    bad = subprocess.run([str(BIN), "verify", str(tampered)], capture_output=True, text=True, env=env)
    assert bad.returncode == 1
    assert "MISMATCH export.json: sha256 or size does not match the manifest" in bad.stdout

    shown = subprocess.run([str(BIN), "show", run_id, "--db", db], capture_output=True, text=True, env=env)
    assert shown.returncode == 0 and "3.1  met" in shown.stdout and "3.2  met" in shown.stdout
    report_file = tmp_path / "r.html"
    reported = subprocess.run(
        [str(BIN), "report", run_id, "--out", str(report_file), "--db", db], capture_output=True, text=True, env=env
    )
    assert reported.returncode == 0 and "<!doctype html>" in report_file.read_text()

    # The PDF for the record: the applicant, the verdicts and every evidence URL in its text.
    pdf_file = tmp_path / "r.pdf"
    printed = subprocess.run(
        [str(BIN), "report", run_id, "--pdf", "--out", str(pdf_file), "--db", db],
        capture_output=True,
        text=True,
        env=env,
    )
    assert printed.returncode == 0, printed.stderr
    assert pdf_file.read_bytes().startswith(b"%PDF-")
    assert shutil.which("pdftotext"), "pdftotext is missing: `make test` installs Debian's poppler-utils"
    text = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())  # long URLs wrap across lines
    document = json.loads((tmp_path / "run.json").read_text())
    assert "Acme Industrial" in text and f"run {run_id}" in text and f"audit date {AS_OF.isoformat()}" in text
    for check_id, check in document["checks"].items():
        assert f"{check_id}" in text and check["status"].replace("_", " ") in text
        for item in check["evidence"]:
            assert item["url"] in flat, item["url"]
    assert "page 1 of" in text


async def test_a_check_cites_its_strongest_items_with_screenshots_and_lists_the_rest(
    serve: Any, audit: Any, tmp_path: Path
) -> None:
    """Seven industrial posts in the window: the five newest are cited with screenshots, two listed."""
    routes = classic_site()
    posts = [f"/blog/opc-ua-note-{i}/" for i in range(7)]
    blog = "".join(f'<a href="{p}">OPC UA note {i}</a> ' for i, p in enumerate(posts))
    routes["/blog/"] = page("Blog | Acme Cloud", f"<h1>Blog</h1>{blog}")
    for i, path in enumerate(posts):
        routes[path] = page(
            f"OPC UA note {i} | Acme Cloud",
            f"<article><h1>OPC UA note {i}</h1><p>PLCs and SCADA over OPC UA to AWS IoT SiteWise for OEE "
            "dashboards on the shop floor.</p></article>",
            head=published(days_ago(10 + 7 * i)),
        )
    server = serve(routes)
    result = await audit(server.url("/"), screenshots=True, full=True)
    items = result.document["checks"]["3.2"]["evidence"]
    assert len(items) == 7
    cited = [e for e in items if e["cited"]]
    assert len(cited) == 5 and all(e.get("screenshot") for e in cited)
    listed = [e for e in items if not e["cited"]]
    assert len(listed) == 2 and not any(e.get("screenshot") for e in listed)
    assert max(e["published"] for e in listed) <= min(e["published"] for e in cited)  # the newest are cited
    html = render_report(result.document)
    assert "2 more counted, not cited" in html
    assert f"<dt>Coverage</dt><dd>{result.document['run']['coverage']['summary']}</dd>" in html
