from __future__ import annotations

import gzip

from auditcrawl.crawler import discover_sitemap_urls, parse_sitemap

URLSET = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://p.com/a</loc><lastmod>2026-01-01</lastmod></url><url><loc>/relative</loc></url>
<url><loc>javascript:alert(1)</loc></url></urlset>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://p.com/s1.xml.gz</loc></sitemap><sitemap><loc>https://p.com/s2.xml</loc></sitemap></sitemapindex>"""


def test_urlset_and_index() -> None:
    parsed = parse_sitemap(URLSET, "https://p.com/sitemap.xml")
    assert [(e.url, e.lastmod) for e in parsed.pages] == [
        ("https://p.com/a", "2026-01-01"),
        ("https://p.com/relative", None),
    ]
    index = parse_sitemap(INDEX, "https://p.com/sitemap.xml")
    assert index.children == ["https://p.com/s1.xml.gz", "https://p.com/s2.xml"] and index.pages == []


def test_entities_are_never_expanded() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
    <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><urlset><url><loc>https://p.com/&c;</loc></url></urlset>"""
    parsed = parse_sitemap(bomb, "https://p.com/")
    assert all(len(e.url) < 200 for e in parsed.pages)


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024) + b"</urlset>")
    assert parse_sitemap(bomb, "https://p.com/s.xml.gz").pages == []


async def test_discovery_follows_nested_indexes_within_caps() -> None:
    files = {
        "https://p.com/sitemap.xml": INDEX,
        "https://p.com/s1.xml.gz": gzip.compress(URLSET),
        "https://p.com/s2.xml": b"<urlset><url><loc>https://p.com/b</loc></url><url><loc>https://p.com/c</loc></url></urlset>",
    }

    async def load(url: str) -> bytes | None:
        return files.get(url)

    found = await discover_sitemap_urls(["https://p.com/sitemap.xml"], load, max_files=10, max_urls=100)
    assert [e.url for e in found] == ["https://p.com/a", "https://p.com/relative", "https://p.com/b", "https://p.com/c"]
    capped = await discover_sitemap_urls(["https://p.com/sitemap.xml"], load, max_files=10, max_urls=3)
    assert len(capped) == 3
    one_file = await discover_sitemap_urls(["https://p.com/sitemap.xml"], load, max_files=1, max_urls=100)
    assert one_file == []
