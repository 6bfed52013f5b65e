"""What a crawl found out about the site: its graph, its home page, what was read and what was not,
the limits it hit and the notes for the auditor. The crawler fills it; the checks read it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._graph import CrawlGraph, Edge
from ._page import CrawledPage, PageFetch
from ._responses import FetchResult

__all__ = ["CrawlOutcome"]


@dataclass
class CrawlOutcome:
    home_url: str
    graph: CrawlGraph
    home: CrawledPage | None = None
    pages_fetched: int = 0
    limits_hit: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    robots_notes: dict[str, str] = field(default_factory=dict)
    robots_blocked: list[str] = field(default_factory=list)
    # In-scope pages linked but never fetched (queued when the crawl ended, or past max_depth), and
    # the text of the link that led to each of those and to each robots-blocked page: what the
    # checks read to tell whether an unfetched page could have been evidence.
    unvisited: list[str] = field(default_factory=list)
    link_text: dict[str, str] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)  # URLs that answered (requested and final), 4xx included
    failed: dict[str, str] = field(default_factory=dict)  # URL -> why no answer came (error, or 5xx after retries)
    sitemap_urls: int = 0
    sitemap_lastmod: dict[str, str] = field(default_factory=dict)  # a weak hint, never a publication date
    pages_rendered: int = 0
    render_failures: list[str] = field(default_factory=list)  # pages that needed a browser and did not get one
    unrendered: list[str] = field(default_factory=list)  # pages that looked built by scripts, with rendering off
    browser_note: str | None = None
    challenges: dict[str, str] = field(default_factory=dict)  # URL -> the bot-management service that answered
    not_modified: int = 0  # pages answered 304 to a conditional request
    stopped_early: bool = False  # every check was met: the rest of the frontier was left
    interrupted: bool = False

    def record(
        self,
        url: str,
        final_url: str,
        *,
        robots_blocked: bool,
        error: str | None,
        status: int | None,
        no_such_host: bool = False,
    ) -> None:
        """What became of one request: read (a 404 is read: the page is known to be dead, and so is a
        page on a host whose name does not exist), or failed."""
        if robots_blocked:
            return
        if not no_such_host and (error is not None or status is None or status >= 500):
            self.failed[url] = error or f"HTTP {status}"
        else:
            self.read.update((url, final_url))

    def record_result(self, url: str, result: FetchResult) -> None:
        self.record(
            url,
            result.final_url,
            robots_blocked=result.robots_blocked,
            error=result.error,
            status=result.status,
            no_such_host=result.no_such_host,
        )

    def for_judging(self, keep: Iterable[str]) -> dict[str, Any]:
        """What the checks read here beyond the stored pages and links, as JSON: kept with the run so
        that its verdicts can be judged again later (an auditor's decision) without crawling.
        `keep`: the URLs whose sitemap dates matter (the pages the checks may cite)."""
        return {
            "home": self.home_as_stored(self.home),
            "aliases": dict(self.graph.aliases),
            "limits_hit": list(self.limits_hit),
            "render_failures": list(self.render_failures),
            "unrendered": list(self.unrendered),
            "browser_note": self.browser_note,
            "interrupted": self.interrupted,
            "sitemap_lastmod": {u: m for u in keep if (m := self.sitemap_lastmod.get(u))},
        }

    @staticmethod
    def home_as_stored(home: PageFetch | None) -> dict[str, Any] | None:
        """What the checks read of the home page's fetch, as JSON."""
        if home is None:
            return None
        return {
            "url": home.url,
            "final_url": home.final_url,
            "status": home.status,
            "content_type": home.content_type,
            "fetched_at": home.fetched_at.isoformat(),
            "error": home.error,
            "robots_blocked": home.robots_blocked,
            "not_modified": home.not_modified,
        }

    @classmethod
    def judged_again(cls, home_url: str, stored: Mapping[str, Any], edges: Iterable[Edge]) -> CrawlOutcome:
        """The outcome `for_judging` kept, with the run's stored links."""
        graph = CrawlGraph.of(home_url, edges)
        graph.aliases.update(stored["aliases"])
        home = stored["home"]
        return cls(
            home_url=home_url,
            graph=graph,
            home=None
            if home is None
            else CrawledPage(**{**home, "fetched_at": datetime.fromisoformat(home["fetched_at"])}),
            limits_hit=list(stored["limits_hit"]),
            render_failures=list(stored["render_failures"]),
            unrendered=list(stored["unrendered"]),
            browser_note=stored["browser_note"],
            interrupted=bool(stored["interrupted"]),
            sitemap_lastmod=dict(stored["sitemap_lastmod"]),
        )

    @property
    def home_ok(self) -> bool:
        home = self.home
        if home is None or home.error is not None or home.status is None:
            return False
        return 200 <= home.status < 300 or home.not_modified
