"""Destination safety: the address table, and real connections refused through the transport."""

from __future__ import annotations

import ipaddress
from typing import Any

import httpx
import pytest

from auditcrawl.crawler import (
    AddressPolicy,
    Fetcher,
    Network,
    StaticResolver,
    canonicalize,
    guarded_transport,
    refusal_reason,
)
from auditcrawl.settings import CrawlSettings
from auditcrawl.siteserver import Page


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "non-public"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("::ffff:127.0.0.1", "loopback address 127.0.0.1 (wrapped"),
        ("::ffff:10.0.0.1", "private address 10.0.0.1 (wrapped"),
        ("2002:7f00:1::", "loopback address 127.0.0.1 (wrapped"),  # 6to4 of 127.0.0.1
        ("2002:c0a8:101::", "private address 192.168.1.1 (wrapped"),
        ("64:ff9b::7f00:1", "loopback address 127.0.0.1 (wrapped"),  # NAT64
        ("64:ff9b::a00:1", "private address 10.0.0.1 (wrapped"),
        ("240.0.0.1", "reserved"),
        ("93.184.215.14", None),
        ("2606:4700:4700::1111", None),
        ("64:ff9b::808:808", None),  # NAT64 of 8.8.8.8
    ],
)
def test_address_table(address: str, refused: str | None) -> None:
    reason = refusal_reason(ipaddress.ip_address(address))
    if refused is None:
        assert reason is None
    else:
        assert reason is not None and refused in reason


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "localhost", "[::1]", "private.example"]
)
async def test_loopback_spellings_and_names_are_refused_by_default(serve: Any, host: str) -> None:
    server = serve({"/": Page("hello")})
    resolver = StaticResolver({"private.example": "127.0.0.1"})
    async with Fetcher(CrawlSettings(delay=0, retries=0), Network(resolver=resolver)) as fetcher:
        url = canonicalize(f"http://{host}:{server.port}/")
        assert url is not None
        result = await fetcher.fetch(url, obey_robots=False)
    assert result.status is None
    assert result.error is not None and result.error.startswith("refused destination")
    assert server.requests == []


class _OnlyTheTestServer(AddressPolicy):
    """Lets 127.0.0.1 through (the test server stands in for a public site) and refuses the rest as usual."""

    def __init__(self) -> None:
        super().__init__(allow_private=False)

    def check(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        return None if str(ip) == "127.0.0.1" else refusal_reason(ip)


@pytest.mark.parametrize("internal", ["10.0.0.5", "169.254.169.254", "::ffff:192.168.0.1"])
async def test_redirect_hop_to_a_private_address_is_refused(serve: Any, internal: str) -> None:
    public = serve({"/": Page("", status=302, headers={"Location": "http://internal.example/secret"})})
    resolver = StaticResolver({"public.example": "127.0.0.1", "internal.example": internal}, strict=True)
    transport = guarded_transport(resolver, _OnlyTheTestServer(), httpx.Limits())
    async with Fetcher(CrawlSettings(delay=0, retries=0), Network(transport=transport)) as fetcher:
        result = await fetcher.fetch(f"http://public.example:{public.port}/", obey_robots=False)
    assert result.redirects == ["http://internal.example/secret"]
    assert result.status is None
    assert result.error is not None and result.error.startswith("refused destination internal.example")
    assert [path for _, path, _ in public.requests] == ["/"]
