"""What a fetch gives back, and the reading of HTTP responses shared by the fetcher and the
archive replay: page media types, redirect statuses, Retry-After, conditional requests."""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = [
    "HTML_TYPES",
    "PAGE_TYPES",
    "PDF_TYPES",
    "REDIRECT_STATUSES",
    "FetchResult",
    "conditional_headers",
    "media_type",
    "retry_after",
    "retryable_status",
]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PDF_TYPES = frozenset({"application/pdf"})
PAGE_TYPES = HTML_TYPES | PDF_TYPES
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)
    error: str | None = None
    robots_blocked: bool = False
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    warc_record_id: str | None = None  # the response record of the final hop, when archiving
    no_such_host: bool = False  # the host's name does not exist: the link is dead, not unknown
    challenge: str | None = None  # the bot-management service that answered instead of the site

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


def retryable_status(status: int) -> bool:
    """A status worth asking again for (after a pause): rate-limited or a server error."""
    return status == 429 or 500 <= status < 600


def media_type(headers: Mapping[str, str], first_bytes: bytes = b"") -> str:
    """The declared media type, else one sniffed from the first bytes (PDF or HTML)."""
    declared = str(headers.get("content-type", "")).split(";", 1)[0].strip().lower()
    if declared:
        return declared
    head = first_bytes[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return ""


def conditional_headers(validators: tuple[str | None, str | None] | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the ETag and Last-Modified an earlier run stored."""
    if validators is None:
        return {}
    etag, last_modified = validators
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks to wait (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
