"""What the crawler hands over about a page, and what a killed run had stored of its pages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from ._fetch import HTML_TYPES, PDF_TYPES, FetchResult
from ._graph import Edge
from ._parse import ParsedPage, decode_html, parse_html
from ._pdf import parse_pdf

__all__ = ["CrawledPage", "ResumePoint", "StoredPage"]


@dataclass
class CrawledPage:
    url: str
    final_url: str
    depth: int
    source: str
    offsite: bool
    status: int | None
    content_type: str
    error: str | None
    robots_blocked: bool
    fetched_at: datetime
    redirects: list[str]
    headers: dict[str, str]
    body: bytes = b""
    sha256: str | None = None
    parsed: ParsedPage | None = None
    duplicate: bool = False  # the final URL was already handed over under another URL
    html: str = ""  # decoded HTML, as served or as rendered; dropped with the body
    rendered: bool = False
    render_reason: str | None = None  # why it was rendered, or why it needed a browser and was not
    not_modified: bool = False  # 304: the previous run's facts and links stand
    warc_record_id: str | None = None

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


@dataclass
class ResumePoint:
    """Where a killed run stopped: the pages it stored and their links, and the responses it
    archived but had not stored yet (handled again from the archive, never fetched again)."""

    pages: list[StoredPage]
    edges: list[Edge]
    archived: list[FetchResult]
    redirects: dict[str, str]  # requested URL -> where the archive shows it redirected
    home: CrawledPage | None  # None when the home page itself was not stored
