"""HTTP fetching: politeness, retries, hop-by-hop redirects, streamed size caps."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from urllib.parse import urlsplit

import httpx

from auditcrawl._exceptions import BodyTooLargeError, UnsafeDestinationError
from auditcrawl.settings import CrawlSettings

from ._challenge import CHALLENGE_STATUSES, challenge_vendor
from ._clock import Clock, LoopClock
from ._decode import ACCEPT_ENCODING, BoundedDecoder, UnsupportedEncoding
from ._responses import (
    PAGE_TYPES,
    REDIRECT_STATUSES,
    FetchResult,
    conditional_headers,
    media_type,
    retry_after,
    retryable_status,
)
from ._robots import RobotsCache, RobotsResponse, RobotsRules, product_token
from ._safety import (
    AddressPolicy,
    NoSuchHostError,
    Resolver,
    SystemResolver,
    destination_problem,
    guarded_transport,
)
from ._slots import SlotTable
from ._urls import canonicalize
from ._warc import RESOURCE, SUPPORT, WarcArchive

__all__ = ["Fetcher", "HopFilter", "Network"]

log = logging.getLogger(__name__)

_KEPT_HEADERS = ("content-type", "content-language", "etag", "last-modified", "x-robots-tag", "location")

# A hop filter returns why a URL may not be requested, or None.
HopFilter = Callable[[str], str | None]


@dataclass(frozen=True)
class Network:
    """How sites are reached: name resolution, which addresses may be connected to (by default
    from the allow_private setting), and a transport standing in for the network (tests)."""

    resolver: Resolver | None = None
    policy: AddressPolicy | None = None
    transport: httpx.AsyncBaseTransport | None = None
    clock: Clock | None = None  # politeness gaps and retry pauses (tests drive time with their own)


@dataclass
class _Response:
    status: int | None
    headers: dict[str, str]
    body: bytes = b""
    content_type: str = ""
    error: str | None = None
    retryable: bool = False
    warc_record_id: str | None = None
    wire: bytes = b""  # the body as it came over the wire (still compressed), for the archive
    too_large: bool = False  # the body passed the byte cap
    no_such_host: bool = False
    challenge: str | None = None  # a bot-management service answered instead of the site (see _challenge)

    def into(self, result: FetchResult) -> FetchResult:
        """What this response tells the caller, written into `result` (the hop's answer, fetched now)."""
        result.status, result.headers = self.status, self.headers
        result.content_type, result.body, result.error = self.content_type, self.body, self.error
        result.warc_record_id, result.no_such_host = self.warc_record_id, self.no_such_host
        result.challenge = self.challenge
        result.fetched_at = datetime.now(UTC)
        return result


def _challenged(status: int, headers: dict[str, str], vendor: str, wire: bytes = b"") -> _Response:
    """A bot challenge: archived as it came, but no content for the checks to judge."""
    return _Response(status, headers, error=f"bot challenge: {vendor} (HTTP {status})", challenge=vendor, wire=wire)


async def _first_bytes(r: httpx.Response, limit: int = 65_536) -> bytes:
    """Enough of a small error body to tell a challenge page by its markers."""
    data = b""
    async for chunk in r.aiter_bytes():
        data += chunk
        if len(data) >= limit:
            break
    return data[:limit]


class Fetcher:
    """Fetches URLs politely and safely. Use as an async context manager."""

    def __init__(
        self,
        settings: CrawlSettings,
        network: Network = Network(),
        archive: WarcArchive | None = None,
    ) -> None:
        self.settings = settings
        self.token = product_token(settings.user_agent)
        self.archive = archive
        self.resolver = network.resolver or SystemResolver()
        self.policy = network.policy or AddressPolicy(settings.allow_private)
        transport = network.transport
        # A client of one connection for each concurrent request, taken from a free list: one pool
        # of N connections costs N x N checks each time a request starts or ends (httpcore scans
        # every waiting request against every connection), a third of a fast crawl's fetching.
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        context = httpx.create_ssl_context()  # loading the CA bundle once, not once a client
        # One cookie jar for every slot: a cookie set on one response goes with the next request,
        # whichever slot sends it (the next hop of a consent redirect among them).
        cookies = CookieJar()
        t = settings.timeout
        self._clients = [
            httpx.AsyncClient(
                transport=transport or guarded_transport(self.resolver, self.policy, limits, context),
                follow_redirects=False,  # every hop is re-checked here
                cookies=cookies,
                timeout=httpx.Timeout(connect=min(t, 10.0), read=t, write=t, pool=None),
                headers={
                    "User-Agent": settings.user_agent,
                    "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5",
                    "Accept-Encoding": ACCEPT_ENCODING,  # decoded here, in bounded steps (see _decode.py)
                },
                trust_env=False,
            )
            for _ in range(settings.concurrency)
        ]
        self._idle = list(self._clients)
        self._semaphore = asyncio.Semaphore(settings.concurrency)  # a client is idle whenever it is acquired
        self.clock = network.clock or LoopClock()
        self._slots = SlotTable(self.clock)
        self.robots = RobotsCache(self._load_robots)
        self.requests_made = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for client in self._clients:
            await client.aclose()

    async def _load_robots(self, url: str) -> RobotsResponse:
        result = await self.fetch(url, accept=None, obey_robots=False, max_bytes=512 * 1024)
        if result.status is not None and result.status >= 400:
            return RobotsResponse(status=result.status)
        if result.error:  # unreachable, redirected away, too large
            return RobotsResponse(status=None, error=result.error, no_such_host=result.no_such_host)
        return RobotsResponse(status=result.status, body=result.body)

    async def destination_problem(self, url: str) -> str | None:
        """Why this fetcher would refuse to connect for a URL, or None."""
        parts = urlsplit(url)
        if parts.hostname is None:
            return "no host"
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return await destination_problem(self.resolver, self.policy, parts.hostname, port)

    async def robots_rules(self, url: str) -> RobotsRules:
        rules = await self.robots.rules_for(url)
        delay = rules.crawl_delay(self.token)
        if delay:
            host = urlsplit(url).netloc
            self._slots.get(host).delay = min(delay, self.settings.max_crawl_delay)
        return rules

    async def fetch(
        self,
        url: str,
        *,
        accept: frozenset[str] | None = PAGE_TYPES,
        obey_robots: bool = True,
        hop_filter: HopFilter | None = None,
        max_bytes: int | None = None,
        validators: tuple[str | None, str | None] | None = None,
    ) -> FetchResult:
        """GET a URL, following redirects hop by hop; never raises for network trouble."""
        result = FetchResult(url=url, final_url=url)
        current = url
        for hop in range(self.settings.max_redirects + 1):
            if hop > 0 and hop_filter is not None:
                reason = hop_filter(current)
                if reason:
                    result.error = f"redirected to {current}: {reason}"
                    return result
            if obey_robots:
                rules = await self.robots_rules(current)
                if not rules.allowed(current, self.token):
                    # A rule that names the URL is a robots block; a robots.txt that could not be had is a site failure.
                    result.robots_blocked = rules.mode == "parsed"
                    result.error = f"robots.txt disallows {current}" if result.robots_blocked else rules.note
                    result.no_such_host = rules.no_such_host
                    return result
            # ETag / Last-Modified from an earlier run: an unchanged page costs a 304 (first hop only)
            conditional = conditional_headers(validators) if hop == 0 else {}
            response = await self._request(current, accept, max_bytes or self.settings.max_body_bytes, conditional)
            response.into(result)
            location = response.headers.get("location")
            if response.status in REDIRECT_STATUSES and location is not None:
                target = canonicalize(location, base=current)
                if target is None:
                    result.error = f"redirect to an unsupported URL: {location[:200]}"
                    return result
                result.redirects.append(target)
                result.final_url = current = target
                continue
            return result
        result.error = f"more than {self.settings.max_redirects} redirects"
        return result

    async def fetch_resource(self, url: str, *, refers_to: str | None, max_bytes: int) -> FetchResult:
        """One GET for the browser (a stylesheet, an image, a script of a page it shows), archived as a
        resource of the page record `refers_to`. One hop, no retry and no politeness gap: the browser
        asks for these at once, as any visitor's does; its route handler has checked scope and robots.
        Raises BodyTooLargeError for a body over `max_bytes` (nothing is archived then)."""
        response = await self._request(url, None, max_bytes, {}, refers_to=refers_to, polite=False)
        if response.too_large:
            raise BodyTooLargeError(response.error or f"body exceeds the {max_bytes}-byte cap")
        return response.into(FetchResult(url=url, final_url=url))

    async def _request(
        self,
        url: str,
        accept: frozenset[str] | None,
        max_bytes: int,
        headers: dict[str, str],
        *,
        refers_to: str | None = None,
        polite: bool = True,
    ) -> _Response:
        s = self.settings
        slot = self._slots.get(urlsplit(url).netloc)
        response = _Response(status=None, headers={})
        for attempt in range(s.retries + 1 if polite else 1):
            if polite:
                await slot.wait(s.delay)
            async with self._semaphore:
                self.requests_made += 1
                client = self._idle.pop()
                try:
                    async with asyncio.timeout(s.timeout * 3):  # a trickling server ends here
                        response = await self._stream(client, url, accept, max_bytes, headers, refers_to)
                except (
                    UnsafeDestinationError,
                    BodyTooLargeError,
                    TimeoutError,
                    httpx.HTTPError,
                    httpx.InvalidURL,
                ) as exc:
                    response = self._failure(exc)
                finally:
                    self._idle.append(client)
            if not response.retryable or attempt == s.retries:
                return response
            wait = retry_after(response.headers.get("retry-after")) if response.status else None
            if wait is None:
                wait = s.backoff * (2**attempt)
            if wait > s.max_retry_after:
                response.error = f"HTTP {response.status}, Retry-After {wait:.0f}s is too long"
                return response
            log.debug("retrying %s in %.1fs (%s)", url, wait, response.error or response.status)
            await self.clock.sleep(wait)
        return response

    def _failure(self, exc: Exception) -> _Response:
        """What a request that raised tells the caller; network trouble is worth a retry."""
        if isinstance(exc, UnsafeDestinationError | BodyTooLargeError):
            return _Response(None, {}, error=str(exc), too_large=isinstance(exc, BodyTooLargeError))
        if isinstance(exc, TimeoutError):
            return _Response(
                None, {}, error=f"no complete response within {self.settings.timeout * 3:.0f}s", retryable=True
            )
        if isinstance(exc, httpx.TimeoutException):
            phase = type(exc).__name__.removesuffix("Timeout").lower() or "request"
            return _Response(
                None, {}, error=f"timed out: no {phase} progress within {self.settings.timeout:g}s", retryable=True
            )
        if isinstance(exc, httpx.ConnectError) and isinstance(exc.__cause__, NoSuchHostError):
            return _Response(None, {}, error=f"connection failed: {exc}", no_such_host=True)  # asking again won't help
        if isinstance(exc, httpx.TransportError):
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return _Response(None, {}, error=f"connection failed: {message[:200]}", retryable=True)
        if isinstance(exc, httpx.InvalidURL):
            return _Response(None, {}, error=f"invalid URL: {exc}")
        return _Response(None, {}, error=f"{type(exc).__name__}: {str(exc)[:200]}")  # decoding errors

    async def _stream(
        self,
        client: httpx.AsyncClient,
        url: str,
        accept: frozenset[str] | None,
        max_bytes: int,
        headers: dict[str, str],
        refers_to: str | None = None,
    ) -> _Response:
        started = time.monotonic()
        archived = functools.partial(self._archived, accept=accept, refers_to=refers_to)
        async with client.stream("GET", url, headers=headers) as r:
            headers = {k: r.headers[k] for k in _KEPT_HEADERS if k in r.headers}
            if "retry-after" in r.headers:
                headers["retry-after"] = r.headers["retry-after"]
            status = r.status_code
            retryable = retryable_status(status)
            if retryable and status in CHALLENGE_STATUSES:
                vendor = challenge_vendor(status, r.headers, await _first_bytes(r))
                if vendor is not None:  # asking again gets the same challenge
                    return archived(r, _challenged(status, headers, vendor))
            if status in REDIRECT_STATUSES or retryable or status == 304:
                return archived(
                    r,
                    _Response(status, headers, retryable=retryable, error=None if not retryable else f"HTTP {status}"),
                )
            declared = r.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise BodyTooLargeError(f"body of {int(declared)} bytes exceeds the {max_bytes}-byte cap")
            chunks: list[bytes] = []
            wire: list[bytes] = []  # as sent (chunking undone, compression kept): what the archive keeps
            total = 0
            mime = media_type(r.headers)
            try:
                decoder = BoundedDecoder(r.headers.get("content-encoding", ""))
            except UnsupportedEncoding as exc:
                return _Response(status, headers, content_type=mime, error=str(exc))
            try:
                keep_wire = self.archive is not None and decoder.coding is not None  # else the body is the wire
                async for raw in r.aiter_raw():
                    if keep_wire:
                        wire.append(raw)
                    for chunk in decoder.feed(raw):  # decoded step by step: the cap counts decompressed bytes
                        if not chunks and not mime:
                            mime = media_type(r.headers, chunk)
                        if accept is not None and mime not in accept:
                            return archived(
                                r,
                                _Response(
                                    status,
                                    headers,
                                    content_type=mime,
                                    error=f"not kept: content type {mime or 'unknown'}",
                                ),
                            )
                        total += len(chunk)
                        if total > max_bytes:
                            raise BodyTooLargeError(f"body exceeds the {max_bytes}-byte cap")
                        chunks.append(chunk)
            except zlib.error as exc:
                return _Response(status, headers, content_type=mime, error=f"corrupt {decoder.coding} body: {exc}")
            if accept is not None and mime not in accept and not chunks:
                return _Response(
                    status, headers, content_type=mime, error=f"not kept: content type {mime or 'unknown'}"
                )
            log.debug("GET %s %s %d bytes %.2fs", url, status, total, time.monotonic() - started)
            body = b"".join(chunks)
            vendor = challenge_vendor(status, r.headers, body)
            if vendor is not None:
                return archived(r, _challenged(status, headers, vendor, wire=b"".join(wire) if keep_wire else body))
            return archived(r, _Response(status, headers, body, mime, wire=b"".join(wire) if keep_wire else body))

    def _archived(
        self, r: httpx.Response, response: _Response, *, accept: frozenset[str] | None, refers_to: str | None
    ) -> _Response:
        """Write the exchange to the run's WARC file, when there is one."""
        if self.archive is not None and response.status is not None:
            # Inline: a record pair costs about 0.5 ms, and writing it on a thread was measured slower
            # (the GIL hand-offs cost more than the work they moved; see the README's Performance).
            response.warc_record_id = self.archive.record(
                str(r.request.url),
                list(r.request.headers.items()),
                response.status,
                r.reason_phrase,
                list(r.headers.items()),
                response.wire,
                fetched_for=RESOURCE if refers_to else None if accept is not None else SUPPORT,
                refers_to=refers_to,
            )
        return response
