"""Responses read back from a run's WARC file: what a killed run fetched, for `crawl --resume`."""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._decode import BoundedDecoder, UnsupportedEncoding
from ._responses import PAGE_TYPES, REDIRECT_STATUSES, FetchResult, media_type, retryable_status
from ._urls import canonicalize
from ._warc import SUPPORT_FIELD

__all__ = ["ArchivedResponses", "read_archive"]

log = logging.getLogger(__name__)


@dataclass
class ArchivedResponses:
    results: dict[str, FetchResult] = field(default_factory=dict)  # by canonical URL, last record wins
    redirects: dict[str, str] = field(default_factory=dict)  # requested URL -> Location
    truncated: bool = False  # the last record was cut short (the process died while writing it)
    complete_bytes: int = 0  # where the last whole record ends: appending starts there


def read_archive(path: Path) -> ArchivedResponses:
    """Every page response of the file (robots.txt and sitemaps left out); a record cut short at
    the end is dropped, not an error."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = ArchivedResponses()
    if not path.exists():
        return found
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                if (
                    record.rec_type == "response"
                    and record.http_headers is not None
                    and not record.rec_headers.get_header(SUPPORT_FIELD)
                ):
                    _take(found, record)
                records.read_to_end(record)
                found.complete_bytes = records.get_record_offset() + records.get_record_length()
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as exc:
            found.truncated = True
            log.info("%s: stopped at a damaged record (%s)", path, exc)
    found.truncated = found.truncated or found.complete_bytes < path.stat().st_size
    return found


def _take(found: ArchivedResponses, record: Any) -> None:
    """One response record: a redirect, a page, or a failure due for a retry."""
    url = canonicalize(record.rec_headers.get_header("WARC-Target-URI") or "")
    if url is None:
        return
    status = int(record.http_headers.get_statuscode() or 0)
    headers = {k.lower(): v for k, v in record.http_headers.headers}
    try:  # the body as the fetcher reads it: the archive keeps it as sent, compressed or not
        decoder = BoundedDecoder(headers.get("content-encoding", ""))
        body = b"".join(decoder.feed(record.raw_stream.read()))
    except (UnsupportedEncoding, zlib.error):
        return  # a body the fetcher could not have read either: fetched again

    if retryable_status(status):
        found.results.pop(url, None)  # a retry was due: the page is fetched again
        return
    location = headers.get("location")
    if status in REDIRECT_STATUSES and location:
        target = canonicalize(location, base=url)
        if target is not None:
            found.redirects[url] = target
        return
    found.results[url] = _result(url, status, headers, body, record.rec_headers)


def _result(url: str, status: int, headers: dict[str, str], body: bytes, rec_headers: Any) -> FetchResult:
    """The fetch result the archived response stands for, typed and checked as the fetcher does."""
    mime = media_type(headers, body)
    try:
        fetched_at = datetime.fromisoformat(str(rec_headers.get_header("WARC-Date")).replace("Z", "+00:00"))
    except ValueError:
        fetched_at = datetime.now(UTC)
    error = None
    if not body and mime not in PAGE_TYPES and 200 <= status < 300:
        error = f"not kept: content type {mime or 'unknown'}"
    return FetchResult(
        url=url,
        final_url=url,
        status=status,
        content_type=mime,
        body=body,
        headers=headers,
        error=error,
        fetched_at=fetched_at,
        warc_record_id=rec_headers.get_header("WARC-Record-ID"),
    )
