"""A WARC archive of every response fetched in a run (warcio; request and response records,
each gzip-compressed on its own). Bodies are stored as they came over the wire: a chunked
transfer encoding undone (as the WARC standard asks), a Content-Encoding kept with the
compressed body; Content-Length is set to the stored body. warcio adds the block and
payload digests; readers (warcio, replay tools) undo the Content-Encoding themselves."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

from isal import isal_zlib
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

__all__ = ["RESOURCE", "SUPPORT", "SUPPORT_FIELD", "WarcArchive"]

_DROPPED = frozenset({"transfer-encoding", "content-length"})
# An extension field (WARC 1.1, section 5) on responses that are not pages (robots.txt, a
# sitemap, a page's stylesheet or image): a resumed crawl takes pages from the archive.
SUPPORT_FIELD = "Auditcrawl-Fetched-For"
SUPPORT = "robots.txt or sitemap"
RESOURCE = "page resource"
GZIP_LEVEL = 1  # ISA-L's level 1: smaller than zlib's level 1 and about five times faster


class WarcArchive:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = path.open("ab")
        # warcio builds each record into a buffer; each is then gzipped here as its own member (the
        # WARC convention warcio follows too) with ISA-L: zlib's level 9 (warcio's) cost a tenth of
        # a crawl's time, zlib's level 1 still a twentieth.
        self._buffer = io.BytesIO()
        self._writer = WARCWriter(self._buffer, gzip=False)
        self._lock = threading.Lock()
        self.records = 0
        self.bytes_written = self._file.tell()

    def _gzipped(self, record: Any) -> bytes:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.write_record(record)
        return isal_zlib.compress(self._buffer.getvalue(), GZIP_LEVEL, wbits=isal_zlib.MAX_WBITS | 16)

    def record(
        self,
        url: str,
        request_headers: list[tuple[str, str]],
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        fetched_for: str | None = None,
        refers_to: str | None = None,
    ) -> str:
        """Write a request and its response (body as on the wire); returns the response's WARC-Record-ID.
        `fetched_for` marks a response that is not a page; `refers_to` names the page a resource was loaded for."""
        kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED]
        if not body:  # a body not kept (a redirect, a type not read): no encoding to undo
            kept = [(k, v) for k, v in kept if k.lower() != "content-encoding"]
        kept.append(("Content-Length", str(len(body))))
        response = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1"),
        )
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        request = self._writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(f"GET /{path} HTTP/1.1", request_headers, is_http_request=True),
        )
        if fetched_for:
            response.rec_headers.add_header(SUPPORT_FIELD, fetched_for)
        if refers_to:
            response.rec_headers.add_header("WARC-Refers-To", refers_to)
        record_id = str(response.rec_headers.get_header("WARC-Record-ID"))
        request.rec_headers.add_header("WARC-Concurrent-To", record_id)
        with self._lock:
            self._file.write(self._gzipped(response) + self._gzipped(request))
            self._file.flush()  # a crash loses at most the record being written
            self.records += 1
            self.bytes_written = self._file.tell()
        return record_id

    def close(self) -> None:
        with self._lock:
            self._file.close()
