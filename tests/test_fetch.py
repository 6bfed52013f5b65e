"""The fetcher: retries, Retry-After, hop-by-hop redirects, size caps, content types.

Unit tests mock the transport with pytest-httpx; the last ones use real loopback servers.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from auditcrawl.crawler import AddressPolicy, Fetcher, Network, StaticResolver
from auditcrawl.settings import CrawlSettings
from auditcrawl.siteserver import Page

from .factories import DrivenClock

FAST = CrawlSettings(delay=0, retries=2, backoff=0.01, allow_private=True, timeout=5)
HTML = {"content-type": "text/html; charset=utf-8"}


@pytest.fixture
def robots_open(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://p.com/robots.txt", status_code=404, is_optional=True, is_reusable=True)


@pytest.mark.usefixtures("robots_open")
async def test_retries_5xx_then_succeeds(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://p.com/a", status_code=503)
    httpx_mock.add_response(url="https://p.com/a", status_code=200, text="<html>ok</html>", headers=HTML)
    async with Fetcher(FAST) as fetcher:
        result = await fetcher.fetch("https://p.com/a")
    assert result.ok and result.body == b"<html>ok</html>"


@pytest.mark.usefixtures("robots_open")
async def test_gives_up_after_the_retries_with_the_last_status(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://p.com/a", status_code=502, is_reusable=True)
    async with Fetcher(FAST) as fetcher:
        result = await fetcher.fetch("https://p.com/a")
    assert result.status == 502 and not result.ok
    assert len([r for r in httpx_mock.get_requests() if r.url.path == "/a"]) == 3


@pytest.mark.usefixtures("robots_open")
async def test_retry_after_is_honoured_and_a_long_one_gives_up(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://p.com/a", status_code=429, headers={"Retry-After": "1"})
    httpx_mock.add_response(url="https://p.com/a", status_code=200, text="ok", headers=HTML)
    httpx_mock.add_response(url="https://p.com/b", status_code=429, headers={"Retry-After": "3600"})
    clock = DrivenClock()
    async with Fetcher(FAST, Network(clock=clock)) as fetcher:
        a = await fetcher.fetch("https://p.com/a")
        assert clock.pauses == [1.0]  # as the server asked, not the backoff
        b = await fetcher.fetch("https://p.com/b")
    assert a.ok and clock.pauses == [1.0]
    assert b.status == 429 and b.error == "HTTP 429, Retry-After 3600s is too long"


@pytest.mark.usefixtures("robots_open")
async def test_connection_errors_are_retried_then_reported(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ConnectError("connection refused"), url="https://p.com/a", is_reusable=True)
    async with Fetcher(FAST) as fetcher:
        result = await fetcher.fetch("https://p.com/a")
    assert result.status is None and result.error == "connection failed: connection refused"


@pytest.mark.usefixtures("robots_open")
async def test_redirects_are_followed_hop_by_hop_and_filtered(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://p.com/old", status_code=301, headers={"Location": "/new?utm_source=x"})
    httpx_mock.add_response(url="https://p.com/new", status_code=302, headers={"Location": "ftp://p.com/file"})
    async with Fetcher(FAST) as fetcher:
        result = await fetcher.fetch("https://p.com/old")
    assert result.redirects == ["https://p.com/new"]
    assert result.error == "redirect to an unsupported URL: ftp://p.com/file"


@pytest.mark.usefixtures("robots_open")
async def test_redirect_loops_end(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://p.com/a", status_code=302, headers={"Location": "/b"}, is_reusable=True)
    httpx_mock.add_response(url="https://p.com/b", status_code=302, headers={"Location": "/a"}, is_reusable=True)
    async with Fetcher(FAST) as fetcher:
        result = await fetcher.fetch("https://p.com/a")
    assert result.error == f"more than {FAST.max_redirects} redirects"


@pytest.mark.usefixtures("robots_open")
async def test_hop_filter_can_refuse_a_hop(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://p.com/a", status_code=302, headers={"Location": "https://elsewhere.net/"})
    async with Fetcher(FAST) as fetcher:
        result = await fetcher.fetch(
            "https://p.com/a", hop_filter=lambda url: "out of scope" if "elsewhere" in url else None
        )
    assert result.error == "redirected to https://elsewhere.net/: out of scope"


@pytest.mark.usefixtures("robots_open")
async def test_declared_size_cap(httpx_mock: HTTPXMock) -> None:
    settings = CrawlSettings(delay=0, retries=0, allow_private=True, max_body_bytes=2048)
    httpx_mock.add_response(
        url="https://p.com/big", headers={**HTML, "Content-Length": str(10 * 1024**3)}, content=b"x"
    )
    async with Fetcher(settings) as fetcher:
        big = await fetcher.fetch("https://p.com/big")
    assert big.error == "body of 10737418240 bytes exceeds the 2048-byte cap" and big.body == b""


async def test_streamed_size_cap_counts_decompressed_bytes(serve: Any) -> None:
    bomb = gzip.compress(b"<html>" + b"a" * 5_000_000)
    server = serve({"/bomb": Page(bomb, headers={"Content-Encoding": "gzip"}), "/small": Page("<html>" + "b" * 1000)})
    settings = CrawlSettings(delay=0, retries=0, allow_private=True, max_body_bytes=100_000)
    async with Fetcher(settings) as fetcher:
        result = await fetcher.fetch(server.url("/bomb"), obey_robots=False)
        small = await fetcher.fetch(server.url("/small"), obey_robots=False)
    assert len(bomb) < 100_000  # the wire size is under the cap, the decoded size is not
    assert result.error == "body exceeds the 100000-byte cap" and result.body == b""
    assert small.ok and len(small.body) == 1006


@pytest.mark.usefixtures("robots_open")
async def test_only_html_and_pdf_bodies_are_kept(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://p.com/img", headers={"content-type": "image/png"}, content=b"\x89PNG....")
    httpx_mock.add_response(
        url="https://p.com/doc", headers={"content-type": "application/pdf"}, content=b"%PDF-1.7 ..."
    )
    httpx_mock.add_response(url="https://p.com/sniff", content=b"<!DOCTYPE html><title>x</title>")
    async with Fetcher(FAST) as fetcher:
        img = await fetcher.fetch("https://p.com/img")
        doc = await fetcher.fetch("https://p.com/doc")
        sniffed = await fetcher.fetch("https://p.com/sniff")
    assert img.body == b"" and img.error == "not kept: content type image/png"
    assert doc.ok and doc.content_type == "application/pdf"
    assert sniffed.ok and sniffed.content_type == "text/html"


async def test_politeness_delay_between_requests_to_one_host(serve: Any) -> None:
    server = serve({"/robots.txt": Page("", status=404), "/a": Page("a"), "/b": Page("b"), "/c": Page("c")})
    settings = CrawlSettings(delay=0.25, retries=0, allow_private=True, concurrency=4)
    clock = DrivenClock()
    async with Fetcher(settings, Network(clock=clock)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url(p)) for p in ("/a", "/b", "/c")))
    assert all(r.ok for r in results)
    assert clock.pauses == [0.25, 0.25, 0.25]  # robots.txt, then three pages, each start 0.25 s after the last
    paths = [p for _, p, _ in server.requests]
    assert paths[0] == "/robots.txt" and sorted(paths[1:]) == ["/a", "/b", "/c"]  # the three in any order


async def test_user_agent_is_sent(serve: Any) -> None:
    server = serve({"/": Page("<html></html>")})
    async with Fetcher(
        CrawlSettings(delay=0, allow_private=True, user_agent="probe/2.0 (+https://example.org/x)")
    ) as fetcher:
        await fetcher.fetch(server.url("/"))
    assert {ua for _, _, ua in server.requests} == {"probe/2.0 (+https://example.org/x)"}


class _KeepAliveServer:
    """A raw HTTP/1.1 server on loopback that keeps connections open, counts them, and records
    the most requests it had in hand at once. `respond` maps a request head to status, headers, body."""

    def __init__(self, respond: Callable[[bytes], tuple[str, dict[str, str], bytes]]) -> None:
        self.respond = respond
        self.connections = self.in_flight = self.peak = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> _KeepAliveServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                self.in_flight += 1
                self.peak = max(self.peak, self.in_flight)
                await asyncio.sleep(0.02)  # long enough for every slot to be busy at once
                self.in_flight -= 1
                status, headers, body = self.respond(head)
                lines = "".join(f"{k}: {v}\r\n" for k, v in {"Content-Type": "text/html", **headers}.items())
                writer.write(f"HTTP/1.1 {status}\r\n{lines}Content-Length: {len(body)}\r\n\r\n".encode() + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def _pages(head: bytes) -> tuple[str, dict[str, str], bytes]:
    return ("404 Not Found" if head.startswith(b"GET /robots.txt") else "200 OK"), {}, b"<html><title>x</title></html>"


@pytest.mark.integration  # a real keep-alive server on loopback
async def test_concurrency_is_capped_and_connections_are_kept_alive() -> None:
    """Never more requests in flight than the concurrency, and each slot reuses its connection."""
    settings = CrawlSettings(delay=0, retries=0, allow_private=True, concurrency=3)
    async with _KeepAliveServer(_pages) as server, Fetcher(settings) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url(f"/p/{i}")) for i in range(30)))
    assert all(r.ok for r in results)
    assert server.peak == 3  # the cap was reached and never passed
    assert server.connections <= 3  # robots.txt and 30 pages over at most one connection a slot


def _consent(head: bytes) -> tuple[str, dict[str, str], bytes]:
    if head.startswith(b"GET /robots.txt"):
        return "404 Not Found", {}, b""
    if head.startswith(b"GET /consent"):  # sets the cookie and sends the visitor on, like a consent wall
        return "302 Found", {"Set-Cookie": "consent=yes; Path=/", "Location": "/p/0"}, b""
    if b"\r\ncookie: consent=yes" in head.lower():
        return "200 OK", {}, b"<html><title>in</title></html>"
    return "403 Forbidden", {}, b"no consent cookie"


@pytest.mark.integration
async def test_a_cookie_goes_with_every_later_request_whichever_slot_sends_it() -> None:
    settings = CrawlSettings(delay=0, retries=0, allow_private=True, concurrency=4)
    async with _KeepAliveServer(_consent) as server, Fetcher(settings) as fetcher:
        first = await fetcher.fetch(server.url("/consent"))
        later = await asyncio.gather(*(fetcher.fetch(server.url(f"/p/{i}")) for i in range(1, 13)))
    assert first.ok and first.redirects == [server.url("/p/0")]
    assert [r.status for r in later] == [200] * 12


@pytest.mark.integration  # the second case connects to a closed loopback port
@pytest.mark.parametrize(
    ("names", "no_such_host"),
    [
        ({}, True),  # the name does not exist: a dead link, as a 404 is
        ({"partner.test": "127.0.0.1"}, False),  # it exists (nothing listens on port 9): trouble, maybe passing
    ],
)
async def test_a_host_whose_name_does_not_exist_is_told_apart_from_one_that_does_not_answer(
    names: dict[str, str], no_such_host: bool
) -> None:
    network = Network(StaticResolver(names, strict=True), AddressPolicy(allow_private=True))
    async with Fetcher(CrawlSettings(retries=0, delay=0, allow_private=True), network) as fetcher:
        page = await fetcher.fetch("http://partner.test:9/case-studies/acme/")
    assert page.status is None and page.error is not None
    assert page.no_such_host is no_such_host, page.error
