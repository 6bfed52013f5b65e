"""What the crawler hands over about a page, and what a killed run had stored of its pages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from ._graph import Edge
from ._parse import ParsedPage, decode_html, parse_html
from ._pdf import parse_pdf
from ._responses import HTML_TYPES, PDF_TYPES, FetchResult

__all__ = ["CrawledPage", "PageFetch", "ResumePoint", "StoredPage"]


@dataclass(slots=True)
class PageFetch:
    """A page as fetched: what was asked for and where it landed, how the crawl reached it, and what
    came back. The one definition of these fields: CrawledPage carries them with the body,
    the rules' PageFacts with what was found in it, and the page table stores them."""

    url: str
    final_url: str
    status: int | None
    content_type: str
    fetched_at: datetime
    depth: int = 0
    source: str = "seed"  # seed | link | sitemap | offsite | claim
    offsite: bool = False
    error: str | None = None
    robots_blocked: bool = False
    sha256: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    rendered: bool = False
    render_reason: str | None = None  # why it was rendered, or why it needed a browser and was not
    size: int = 0  # body bytes: what a 304 saves next time
    not_modified: bool = False  # 304: the previous run's facts and links stand
    warc_record_id: str | None = None

    def fetch_fields(self) -> dict[str, Any]:
        """These fields by name, to start another shape of the same page from."""
        return {name: getattr(self, name) for name in _FETCH_FIELDS}


_FETCH_FIELDS = tuple(f.name for f in fields(PageFetch))


@dataclass(slots=True)
class CrawledPage(PageFetch):
    """What the crawler hands over: the page as fetched, with its body and parsed content."""

    redirects: list[str] = field(default_factory=list)
    body: bytes = b""
    parsed: ParsedPage | None = None
    duplicate: bool = False  # the final URL was already handed over under another URL
    html: str = ""  # decoded HTML, as served or as rendered; dropped with the body

    @classmethod
    def from_fetch(
        cls, result: FetchResult, *, depth: int = 0, source: str = "seed", offsite: bool = False
    ) -> CrawledPage:
        """The page as fetched, its HTML parsed once here."""
        page = cls(
            url=result.url,
            final_url=result.final_url,
            depth=depth,
            source=source,
            offsite=offsite,
            status=result.status,
            content_type=result.content_type,
            error=result.error,
            robots_blocked=result.robots_blocked,
            fetched_at=result.fetched_at,
            redirects=result.redirects,
            headers=result.headers,
            body=result.body,
            sha256=hashlib.sha256(result.body).hexdigest() if result.body else None,
            warc_record_id=result.warc_record_id,
            size=len(result.body),
        )
        if result.body and result.content_type in HTML_TYPES:
            page.html = decode_html(result.body, result.headers.get("content-type", ""))
            page.parsed = parse_html(page.html, result.final_url)
        elif result.body and result.content_type in PDF_TYPES:
            page.parsed = parse_pdf(result.body, result.final_url)
        return page

    @property
    def follows_links(self) -> bool:
        """Whether crawlers may follow the page's links: no nofollow in its robots meta tag or X-Robots-Tag."""
        return (
            self.parsed is not None
            and not self.parsed.nofollow
            and "nofollow" not in self.headers.get("x-robots-tag", "").lower()
        )


@dataclass(frozen=True)
class StoredPage:
    """A page a killed run had already stored."""

    url: str
    final_url: str
    depth: int
    offsite: bool
    robots_blocked: bool
    nofollow: bool = False  # its links were recorded but not followed
    error: str | None = None
    status: int | None = None


@dataclass
class ResumePoint:
    """Where a killed run stopped: the pages it stored and their links, and the responses it
    archived but had not stored yet (handled again from the archive, never fetched again)."""

    pages: list[StoredPage]
    edges: list[Edge]
    archived: list[FetchResult]
    redirects: dict[str, str]  # requested URL -> where the archive shows it redirected
    home: CrawledPage | None  # None when the home page itself was not stored
