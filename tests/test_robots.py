"""robots.txt: RFC 9309 status handling, the decision, and Google's conformance cases."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from auditcrawl.settings import CrawlSettings
from auditcrawl.siteserver import Page
from crawler import Fetcher, RobotsResponse, RobotsRules, product_token

CASES = Path(__file__).resolve().parents[2] / "shared" / "robots-conformance" / "cases.json"


@pytest.mark.parametrize(
    ("response", "mode", "allowed"),
    [
        (RobotsResponse(404), "allow_all", True),
        (RobotsResponse(410), "allow_all", True),
        (RobotsResponse(401), "allow_all", True),
        (RobotsResponse(503), "disallow_all", False),
        (RobotsResponse(500), "disallow_all", False),
        (RobotsResponse(None), "disallow_all", False),
        (RobotsResponse(200, b"User-agent: *\nDisallow: /private/\n"), "parsed", True),
        (RobotsResponse(200, b"\xef\xbb\xbfUser-agent: *\nDisallow: /x\n"), "parsed", False),  # BOM stripped
        (RobotsResponse(200, b"User-agent: auditcrawl\nDisallow: /x\n\nUser-agent: *\nAllow: /\n"), "parsed", False),
        (RobotsResponse(200, b"<html><body>not robots</body></html>"), "parsed", True),
        (RobotsResponse(200, b"\x00\xff\xfe garbage \x80"), "parsed", True),
    ],
)
def test_status_and_body_handling(response: RobotsResponse, mode: str, allowed: bool) -> None:
    rules = RobotsRules.from_response(response)
    assert rules.mode == mode
    assert rules.allowed("https://p.com/x", "auditcrawl") is allowed


def test_product_token() -> None:
    assert product_token("auditcrawl/0.1 (+https://example.org)") == "auditcrawl"
    assert product_token("FooBot") == "FooBot"


def test_google_conformance_cases() -> None:
    """Google's robots.txt parser tests, read from the shared set. Misses are known Protego behaviour."""
    if not CASES.exists():
        pytest.fail(f"conformance cases not found at {CASES}")
    cases: list[dict[str, Any]] = json.loads(CASES.read_text())
    passed = [
        c for c in cases
        if RobotsRules.from_response(RobotsResponse(200, c["robots_txt"].encode("utf-8"))).allowed(c["url"], c["user_agent"])
        is c["expected_allowed"]
    ]
    assert len(cases) == 145
    assert len(passed) >= 131, f"{len(passed)}/145 robots.txt conformance cases pass"


async def test_robots_fetched_once_per_origin_and_crawl_delay_applied(serve: Any) -> None:
    server = serve({"/robots.txt": Page("User-agent: *\nCrawl-delay: 0.3\nDisallow: /no\n", content_type="text/plain"),
                    "/a": Page("a"), "/b": Page("b"), "/no": Page("secret")})
    async with Fetcher(CrawlSettings(delay=0, retries=0, allow_private=True)) as fetcher:
        started = time.monotonic()
        a = await fetcher.fetch(server.url("/a"), accept=None)
        b = await fetcher.fetch(server.url("/b"), accept=None)
        blocked = await fetcher.fetch(server.url("/no"), accept=None)
        elapsed = time.monotonic() - started
    assert a.ok and b.ok
    assert blocked.robots_blocked and blocked.error == f"robots.txt disallows {server.url('/no')}"
    assert [p for _, p, _ in server.requests] == ["/robots.txt", "/a", "/b"]
    assert elapsed >= 0.3  # the Crawl-delay spaced /a and /b
