"""Page facts and crawl outcomes built by hand, for rules tested without a crawl."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from auditcrawl.crawler import CrawledPage, CrawlGraph, CrawlOutcome, Edge, FetchResult
from auditcrawl.rules import PageFacts

HOME = "https://p.com/"


def facts_for(
    url: str, kind: str, *, categories: list[str] | None = None, published: date | None = None, aws: bool = True
) -> PageFacts:
    """An industrial page of the given kind, fetched fine, naming AWS and the AWS partnership unless told not to."""
    f = PageFacts(url, url, 200, "text/html", datetime.now(UTC), depth=1, source="link")
    f.kind, f.kind_reasons = kind, ["test"]  # type: ignore[assignment]
    f.categories = categories if categories is not None else ["production"]
    f.published = published
    f.aws_signals = ["AWS Partner"] if aws else []
    f.clouds = ["AWS"] if aws else []
    return f


def outcome_of(edges: list[tuple[str, str]], limits: list[str] | None = None) -> CrawlOutcome:
    """A crawl of https://p.com/ that found these links, its home page fetched fine."""
    outcome = CrawlOutcome(home_url=HOME, graph=CrawlGraph.of(HOME, [Edge(a, b, "", "main") for a, b in edges]))
    outcome.home = CrawledPage.from_fetch(
        FetchResult(url=HOME, final_url=HOME, status=200, content_type="text/html", body=b"<html></html>")
    )
    outcome.limits_hit = limits or []
    return outcome


class DrivenClock:
    """Virtual time for the fetcher: a pause moves it forward at once and is recorded, so tests
    assert on the waits the fetcher asked for, never on how long the machine took."""

    def __init__(self) -> None:
        self.time = 0.0
        self.pauses: list[float] = []

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(round(seconds, 6))
        self.time += seconds
        await asyncio.sleep(0)  # still a point where other tasks run
