"""Sitemaps feed candidate URLs to the frontier; they never prove reachability."""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from ._urls import canonicalize

__all__ = ["SitemapEntry", "discover_sitemap_urls", "parse_sitemap"]

log = logging.getLogger(__name__)

MAX_DECOMPRESSED = 50 * 1024 * 1024  # the sitemaps.org limit for one file
MAX_NESTING = 3


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str | None = None


@dataclass
class ParsedSitemap:
    pages: list[SitemapEntry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


def _gunzip(data: bytes, limit: int) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = decompressor.decompress(data, limit + 1)
    if len(out) > limit:
        raise ValueError(f"sitemap expands beyond {limit} bytes")
    return out


def parse_sitemap(data: bytes, base: str) -> ParsedSitemap:
    """Parse a sitemap or sitemap index (gzip or plain); entities never resolved."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data, MAX_DECOMPRESSED)
        except (ValueError, zlib.error, gzip.BadGzipFile) as exc:
            log.info("sitemap %s not read: %s", base, exc)
            return ParsedSitemap()
    from lxml import etree  # loaded when a site has a sitemap

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        root = None
    result = ParsedSitemap()
    if root is None:
        return result
    is_index = etree.QName(root).localname == "sitemapindex"
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = lastmod = None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip() or None
        url = canonicalize(loc, base=base) if loc else None
        if url is None:
            continue
        if is_index:
            result.children.append(url)
        else:
            result.pages.append(SitemapEntry(url, lastmod))
    return result


async def discover_sitemap_urls(
    roots: list[str],
    load: Callable[[str], Awaitable[bytes | None]],
    max_files: int,
    max_urls: int,
) -> list[SitemapEntry]:
    """Walk sitemaps and indexes breadth-first within the file and URL caps."""
    queue = [(url, 0) for url in dict.fromkeys(roots)]
    visited: set[str] = set()
    entries: dict[str, SitemapEntry] = {}
    while queue and len(visited) < max_files and len(entries) < max_urls:
        url, level = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        data = await load(url)
        if not data:
            continue
        parsed = parse_sitemap(data, url)
        for entry in parsed.pages:
            if len(entries) >= max_urls:
                break
            entries.setdefault(entry.url, entry)
        if level < MAX_NESTING:
            queue.extend((child, level + 1) for child in parsed.children)
    return list(entries.values())
