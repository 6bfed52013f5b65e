"""The run's WARC as evidence: wire bytes with their Content-Encoding, digests that verify, and what
the browser loaded for the evidence pages archived beside them."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from auditcrawl.crawler import read_archive
from auditcrawl.siteserver import Page

from .sites import classic_site

pytestmark = pytest.mark.integration

STYLE = b"body { font-family: serif; color: #123456; } h1 { border-bottom: 4px solid #0a0; }"
SCRIPT = b"document.documentElement.dataset.loaded = 'yes';"
# A 1x1 GIF: an image the screenshot must show.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
ASSETS = {"/assets/site.css": (STYLE, "text/css"), "/assets/app.js": (SCRIPT, "text/javascript")}
TAGS = '<link rel="stylesheet" href="/assets/site.css"><script src="/assets/app.js" defer></script></head>'
IMAGE = '<img src="/assets/plant.gif" alt="The plant" width="40" height="40"></main>'


def gzipped_site() -> tuple[dict[str, Page], dict[str, bytes]]:
    """The classic site with every HTML page (and the stylesheet) served gzip-compressed, each page
    using a stylesheet, a script and an image. Also returns each page's HTML as written."""
    routes: dict[str, Page] = {}
    html_of: dict[str, bytes] = {}
    for path, p in classic_site().items():
        if not p.content_type.startswith("text/html"):
            routes[path] = p
            continue
        body = p.body.encode() if isinstance(p.body, str) else p.body
        body = body.replace(b"</head>", TAGS.encode(), 1).replace(b"</main>", IMAGE.encode(), 1)
        html_of[path] = body
        routes[path] = Page(gzip.compress(body), content_type=p.content_type, headers={"Content-Encoding": "gzip"})
    for path, (body, mime) in ASSETS.items():
        encoded = {"Content-Encoding": "gzip"} if mime == "text/css" else {}
        routes[path] = Page(gzip.compress(body) if encoded else body, content_type=mime, headers=encoded)
    routes["/assets/plant.gif"] = Page(PIXEL, content_type="image/gif")
    return routes, html_of


def records(warc: Path) -> list[dict[str, Any]]:
    """Every record of the file, its digests checked by warcio as it reads."""
    found = []
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests=True):
            raw = record.raw_stream.read()
            found.append(
                {
                    "type": record.rec_type,
                    "url": record.rec_headers.get_header("WARC-Target-URI"),
                    "id": record.rec_headers.get_header("WARC-Record-ID"),
                    "refers_to": record.rec_headers.get_header("WARC-Refers-To"),
                    "for": record.rec_headers.get_header("Auditcrawl-Fetched-For"),
                    "encoding": record.http_headers.get_header("Content-Encoding") if record.http_headers else None,
                    "raw": raw,
                    "digests_ok": record.digest_checker.passed,
                    "has_digests": bool(record.rec_headers.get_header("WARC-Block-Digest")),
                }
            )
    return found


async def test_evidence_pages_are_archived_as_sent_with_what_the_browser_loaded(serve: Any, audit: Any) -> None:
    routes, html_of = gzipped_site()
    server = serve(routes)
    result = await audit(server.url("/"), screenshots=True)
    assert result.statuses() == ("met", "met", "met")
    warc = Path(result.document["run"]["options"]["warc"])
    found = records(warc)
    assert found and all(r["has_digests"] and r["digests_ok"] is True for r in found), [
        (r["url"], r["digests_ok"]) for r in found if r["digests_ok"] is not True
    ]
    responses = {r["id"]: r for r in found if r["type"] == "response"}
    evidence = [e for check in result.document["checks"].values() for e in check["evidence"]]
    assert len(evidence) >= 5
    for item in evidence:
        record = responses[item["warc_record_id"]]
        path = "/" + item["url"].split("/", 3)[3]
        # The body as the server sent it: still gzip, the header kept, and it opens to the page as written.
        assert record["encoding"] == "gzip" and record["raw"][:2] == b"\x1f\x8b"
        assert gzip.decompress(record["raw"]) == html_of[path]
        assert item["screenshot"] and Path(item["screenshot"]).is_file()
    # The browser's stylesheet, script and image for the evidence pages, each a resource of its page.
    evidence_ids = {item["warc_record_id"] for item in evidence}
    resources = [r for r in found if r["type"] == "response" and r["for"] == "page resource"]
    assert {r["url"] for r in resources} == {server.url(p) for p in (*ASSETS, "/assets/plant.gif")}
    assert {r["refers_to"] for r in resources} == evidence_ids  # every evidence page has its own
    for r in resources:
        if r["url"].endswith(".css"):
            assert r["encoding"] == "gzip" and gzip.decompress(r["raw"]) == STYLE
        if r["url"].endswith(".gif"):
            assert r["encoding"] is None and r["raw"] == PIXEL
    requests = [r for r in found if r["type"] == "request"]
    assert len(requests) == len(responses)
    # A resumed crawl reads pages from the archive, decoded as the crawler reads them, never the resources.
    archived = read_archive(warc)
    assert not any("/assets/" in url for url in archived.results)
    contoso = server.url("/case-studies/contoso-predictive-maintenance/")
    assert archived.results[contoso].body == html_of["/case-studies/contoso-predictive-maintenance/"]


async def test_archive_resources_all_archives_what_rendered_pages_load(serve: Any, audit: Any) -> None:
    routes, _ = gzipped_site()
    server = serve(routes)
    result = await audit(server.url("/"), render="always", archive_resources="all")  # no screenshots
    found = records(Path(result.document["run"]["options"]["warc"]))
    pages = {r["url"]: r["id"] for r in found if r["type"] == "response" and r["for"] is None}
    resources = [r for r in found if r["for"] == "page resource"]
    # The home page is rendered, not evidence: its stylesheet, script and image are archived for it.
    home = {r["url"] for r in resources if r["refers_to"] == pages[server.url("/")]}
    assert home == {server.url(p) for p in (*ASSETS, "/assets/plant.gif")}
    assert all(r["digests_ok"] is True for r in found)


async def test_archive_resources_never_keeps_only_the_pages(serve: Any, audit: Any) -> None:
    routes, _ = gzipped_site()
    server = serve(routes)
    result = await audit(server.url("/"), screenshots=True, archive_resources="never")
    found = records(Path(result.document["run"]["options"]["warc"]))
    assert not [r for r in found if r["for"] == "page resource"]
    assert all(item["screenshot"] for check in result.document["checks"].values() for item in check["evidence"])


async def test_a_resource_over_the_cap_is_loaded_not_archived_and_noted(serve: Any, audit: Any) -> None:
    routes, _ = gzipped_site()
    server = serve(routes)
    result = await audit(server.url("/"), screenshots=True, archive_resource_max_bytes=len(SCRIPT) + 10)
    found = records(Path(result.document["run"]["options"]["warc"]))
    archived = {r["url"] for r in found if r["for"] == "page resource"}
    assert server.url("/assets/app.js") in archived  # under the cap
    assert server.url("/assets/site.css") not in archived  # decoded, it is larger than the cap
    notes = " | ".join(result.document["run"]["notes"])
    assert f"over {len(SCRIPT) + 10} bytes loaded, not archived" in notes


def test_demo_run_wacz_validates_and_a_changed_byte_fails_verify(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys
    import zipfile

    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "COLUMNS": "200"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bin_dir / "auditcrawl"), *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL
        )

    db = f"sqlite:///{tmp_path}/demo.db"
    demo = run("demo", "--db", db, "--json", str(tmp_path / "demo.json"))
    assert demo.returncode == 0, demo.stderr
    document = json.loads((tmp_path / "demo.json").read_text())
    run_id = document["run"]["id"]
    package = tmp_path / "demo.wacz"
    made = run("bundle", run_id, "--wacz", "--out", str(package), "--db", db)
    assert made.returncode == 0, made.stderr
    # The package's own validator.
    validated = subprocess.run([str(bin_dir / "wacz"), "validate", "-f", str(package)], capture_output=True, text=True)
    assert validated.returncode == 0 and "Validation succeeded" in validated.stdout, validated.stdout
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        listed = [json.loads(line) for line in archive.read("pages/pages.jsonl").decode().splitlines()]
        warc_name = next(n for n in names if n.startswith("archive/"))
        warc = archive.read(warc_name)
    assert {"datapackage.json", "indexes/index.cdx.gz", f"archive/{run_id}.warc.gz"} <= set(names)
    evidence = list(dict.fromkeys(e["url"] for c in document["checks"].values() for e in c["evidence"]))
    assert [p["url"] for p in listed[1 : len(evidence) + 1]] == evidence  # evidence first, in report order
    assert all(p["ts"] and p["title"] for p in listed[1:])
    ok = run("verify", str(package))
    assert ok.returncode == 0 and ok.stdout.startswith("OK: "), ok.stdout

    # One byte changed in the WARC: the package's hash no longer matches, nor does the record.
    tampered = tmp_path / "tampered.wacz"
    middle = len(warc) // 2
    changed = warc[:middle] + bytes([warc[middle] ^ 0x01]) + warc[middle + 1 :]
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            target.writestr(info, changed if info.filename == warc_name else source.read(info.filename))
    bad = run("verify", str(tampered))
    assert bad.returncode == 1, bad.stdout
    assert "MISMATCH package:" in bad.stdout and "hash does not match" in bad.stdout
    assert f"MISMATCH {warc_name}:" in bad.stdout  # the WARC itself no longer reads as it was written

    # The zip bundle carries the WACZ, names it in its manifest, and its report links to each replay.
    bundle = tmp_path / "evidence.zip"
    zipped = run("bundle", run_id, "--out", str(bundle), "--db", db)
    assert zipped.returncode == 0, zipped.stderr
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        report = archive.read("report.html").decode()
        inner = archive.read(f"{run_id}.wacz")
    assert manifest["wacz"] == f"{run_id}.wacz" and f"{run_id}.wacz" in {f["path"] for f in manifest["files"]}
    assert inner[:2] == b"PK"
    first = document["checks"]["3.1"]["evidence"][0]
    assert first["warc_record_id"].strip("<>") in report and first["captured_at"] in report
    assert f"https://replayweb.page/?source={run_id}.wacz#view=pages&amp;url=" in report
    assert run("verify", str(bundle)).returncode == 0
