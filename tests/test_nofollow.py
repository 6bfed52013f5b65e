"""nofollow (robots meta tag or X-Robots-Tag): a page's links are recorded, never followed,
in a crawl and in a crawl taken up after its process died."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from auditcrawl.resume import resume_audit
from auditcrawl.siteserver import Page
from auditcrawl.storage import Store, page_facts

from .conftest import make_settings
from .sites import page as site_page
from .test_rechecks import cli


def page(title: str, body: str, head: str = "") -> Page:
    return site_page(title, body, head=head, nav="", footer="")


def _site() -> dict[str, Page]:
    return {
        "/robots.txt": Page("", status=404),
        "/": page("Home | Acme", '<p><a href="/a/">A</a> <a href="/b/">B</a> <a href="/c/">C</a></p>'),
        "/a/": page(
            "A | Acme",
            '<p><a href="/hidden-a/">Hidden A</a></p>',
            head='<meta name="robots" content="index, nofollow">',
        ),
        "/b/": Page(
            page("B | Acme", '<p><a href="/hidden-b/">Hidden B</a></p>').body, headers={"X-Robots-Tag": "nofollow"}
        ),
        "/c/": page("C | Acme", '<p><a href="/d/">D</a></p>'),
        "/d/": page("D | Acme", "<p>The end.</p>"),
        "/hidden-a/": page("Hidden A | Acme", "<p>Only a nofollow page links here.</p>"),
        "/hidden-b/": page("Hidden B | Acme", "<p>Only a nofollow page links here.</p>"),
    }


async def _pages(db: str) -> dict[str, bool]:
    async with Store(db) as store:
        run = (await store.list_runs())[0]
        return {"/" + row.final_url.split("/", 3)[3]: page_facts(row).nofollow for row in await store.run_pages(run.id)}


async def test_links_of_a_nofollow_page_are_recorded_not_followed(serve: Any, audit: Any) -> None:
    server = serve(_site())
    audited = await audit(server.url("/"), full=True)
    assert not {"/hidden-a/", "/hidden-b/"} & {path for _h, path, _ua in server.requests}
    assert await _pages(audited.db) == {"/": False, "/a/": True, "/b/": True, "/c/": False, "/d/": False}
    links = audited.report.outcome.graph.links_from(server.url("/a/"))
    assert links == [server.url("/hidden-a/")]  # recorded all the same


async def test_a_resumed_crawl_does_not_follow_a_stored_nofollow_page(serve: Any, audit: Any, tmp_path: Any) -> None:
    server = serve(_site())
    audited = await audit(server.url("/"), full=True)
    finished = await _pages(audited.db)
    # Turn the finished run back into one whose process died after storing the home page and /a/
    # and /b/ (their pages and links kept; everything after them lost, the archive removed too).
    run_id = audited.report.run_id
    with sqlite3.connect(audited.db.removeprefix("sqlite:///")) as conn:
        kept = tuple(server.url(p) for p in ("/", "/a/", "/b/"))
        conn.execute(f"DELETE FROM page WHERE final_url NOT IN ({','.join('?' * len(kept))})", kept)
        conn.execute(f"DELETE FROM page_links WHERE from_url NOT IN ({','.join('?' * len(kept))})", kept)
        conn.execute("DELETE FROM evidence")
        conn.execute("DELETE FROM check_result")
        conn.execute("UPDATE run SET status = 'running', finished_at = NULL WHERE id = ?", (run_id,))
        warc = conn.execute("SELECT options FROM run WHERE id = ?", (run_id,)).fetchone()[0]
    Path(json.loads(warc)["warc"]).unlink()
    before = len(server.requests)
    settings = make_settings(audited.db, full=True)
    async with Store(audited.db) as store:
        report = await resume_audit(run_id, settings, store)
    again = [path for _h, path, _ua in server.requests[before:] if path not in ("/robots.txt", "/sitemap.xml")]
    assert report.status == "complete"
    assert sorted(again) == ["/c/", "/d/"]  # the hidden pages stay unfetched
    assert await _pages(audited.db) == finished


def test_a_recheck_answered_304_keeps_a_page_nofollow(serve: Any, tmp_path: Path) -> None:
    """An unchanged page (304) keeps the links stored last time, and its nofollow with them."""
    server = serve(_site())
    db = f"sqlite:///{tmp_path}/r.db"
    assert cli("schedule", "add", server.url("/"), "--applicant", "Acme", "--every", "7d", "--db", db).returncode == 0
    for _ in range(2):
        done = cli("recheck", "--applicant", "Acme", "--db", db)
        assert done.returncode == 0, done.stderr
    assert server.not_modified >= 5  # the second recheck was answered with 304s
    assert not {"/hidden-a/", "/hidden-b/"} & {path for _h, path, _ua in server.requests}
