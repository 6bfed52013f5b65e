"""The crawl loop: seed -> frontier -> fetch -> parse -> hand each page to the caller."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from auditcrawl.settings import CrawlSettings

from ._browsing import Browsing
from ._fetch import Fetcher
from ._frontier import Frontier, FrontierEntry
from ._graph import CrawlGraph, Edge
from ._outcome import CrawlOutcome
from ._page import CrawledPage, ResumePoint
from ._parse import REGION_WEIGHT, Link, ParsedPage
from ._render import Renderer
from ._responses import FetchResult
from ._sitemaps import discover_sitemap_urls
from ._traps import trap_reason
from ._urls import SiteScope, canonicalize

__all__ = ["Crawler", "LinkScorer", "PreviousCrawl", "Settled"]

log = logging.getLogger(__name__)


class PreviousCrawl(Protocol):
    """What an earlier run of the same site knew, for conditional requests."""

    def validators(self, url: str) -> tuple[str | None, str | None] | None: ...

    def links(self, url: str) -> list[Link]: ...

    def nofollow(self, url: str) -> bool: ...


# Scores a link found on a page at the given depth; higher is fetched sooner.
LinkScorer = Callable[[Link, int], float]
PageHandler = Callable[["CrawledPage"], Awaitable[None]]
# Whether every check is already met on what the crawl found: more pages could only add evidence.
Settled = Callable[["CrawlOutcome"], bool]
ProgressHandler = Callable[[int, int, str], None]

OFFSITE_MIN_SCORE = 1.0  # an off-site link is fetched (one hop) only with an evidence cue
SETTLE_CHECK_EVERY = 10  # pages between two looks at whether every check is already met


def _default_scorer(link: Link, depth: int) -> float:
    return REGION_WEIGHT.get(link.region, 0.0)


class Crawler:
    """Crawls one partner site, best first, within the limits of the settings.

    The crawl's record (`outcome`) exists from construction: its graph is the one given, which
    the caller may read as the crawl goes (storage takes its new links in batches)."""

    def __init__(
        self,
        settings: CrawlSettings,
        fetcher: Fetcher,
        graph: CrawlGraph,
        *,
        on_page: PageHandler,
        score_link: LinkScorer = _default_scorer,
        on_progress: ProgressHandler | None = None,
        renderer: Renderer | None = None,
        previous: PreviousCrawl | None = None,
        settled: Settled | None = None,
        min_year: int = 1995,
        max_year: int = 2100,
        radius: int = 4,
    ) -> None:
        self.outcome = CrawlOutcome(home_url=graph.home, graph=graph)
        self.scope = SiteScope(graph.home)
        self.settings = settings
        self.fetcher = fetcher
        self.on_page = on_page
        self.score_link = score_link
        self.on_progress = on_progress
        self.previous = previous
        self.settled = settled
        self._since_settle_check = 0
        self.browsing = Browsing(settings, renderer, self.outcome)
        self.frontier = Frontier(radius)
        self.years = (min_year, max_year)
        self._final_seen: set[str] = set()
        self._offsite_queued = 0
        self._depth_skipped: dict[str, str] = {}  # URL -> link text
        self._traps: dict[str, int] = {}

    async def run(self, resume_from: ResumePoint | None = None) -> CrawlOutcome:
        """Crawl from the home page, or carry on from where a killed run stopped."""
        s, outcome = self.settings, self.outcome
        home = outcome.home_url
        started = time.monotonic()
        running: set[asyncio.Task[None]] = set()
        try:
            if resume_from is not None:
                await self._restore(resume_from)
            if outcome.home is None:
                # The home page alone first: robots.txt, scope and sitemaps hinge on it.
                self.frontier.mark_seen(home)
                await self._process(FrontierEntry((0.0, 0, 0), home, 0, "seed"))
            if outcome.home_ok:
                await self._seed_sitemaps()
            while True:
                if self.settled is not None and self._since_settle_check >= SETTLE_CHECK_EVERY and len(self.frontier):
                    self._since_settle_check = 0
                    outcome.stopped_early = self.settled(outcome)
                out_of_time = time.monotonic() - started > s.max_seconds
                while (
                    not out_of_time
                    and not outcome.stopped_early
                    and len(running) < s.concurrency
                    and outcome.pages_fetched + len(running) < s.max_pages
                ):
                    entry = self.frontier.pop()
                    if entry is None:
                        break
                    running.add(asyncio.create_task(self._process(entry)))
                if not running:
                    break
                done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()
        except (asyncio.CancelledError, KeyboardInterrupt):
            outcome.interrupted = True
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            raise
        finally:
            self._finish(outcome, started)
        return outcome

    async def fetch_extra(self, url: str, *, source: str) -> None:
        """One URL outside the crawl order (a claimed page the crawl did not reach): counted and
        handed over like a crawled page, its redirects known to the graph; its links are not followed."""
        outcome = self.outcome
        result = await self.fetcher.fetch(url)
        if result.robots_blocked:
            outcome.robots_blocked.append(url)
        else:
            outcome.pages_fetched += 1
        outcome.record_result(url, result)
        outcome.graph.add_alias(url, result.final_url)
        offsite = not self.scope.contains(result.final_url)
        await self.on_page(CrawledPage.from_fetch(result, depth=0, source=source, offsite=offsite))

    def _finish(self, outcome: CrawlOutcome, started: float) -> None:
        s = self.settings
        remaining = len(self.frontier)
        if outcome.stopped_early:
            outcome.notes.append(
                f"stopped early: all checks met after {outcome.pages_fetched} pages, "
                f"{remaining} URLs left unvisited (--full visits them)"
            )
        elif remaining and outcome.pages_fetched >= s.max_pages:
            outcome.limits_hit.append(f"max_pages ({s.max_pages}) reached with {remaining} URLs still queued")
        elif remaining and time.monotonic() - started > s.max_seconds:
            outcome.limits_hit.append(f"max_seconds ({s.max_seconds:.0f}) reached with {remaining} URLs still queued")
        left = [e for e in self.frontier.remaining() if not e.offsite]
        too_deep = {u: text for u, text in self._depth_skipped.items() if not self.frontier.seen(u)}
        outcome.unvisited = [e.url for e in left] + list(too_deep)
        outcome.link_text.update({e.url: e.anchor for e in left})
        outcome.link_text.update(too_deep)
        if too_deep:
            outcome.notes.append(f"max_depth ({s.max_depth}) left {len(too_deep)} linked URLs unvisited")
        if self._traps:
            total = sum(self._traps.values())
            outcome.notes.append(f"{total} URLs skipped as crawler traps ({'; '.join(sorted(self._traps))})")
        for origin, rules in self.fetcher.robots.known().items():
            if rules.note:
                outcome.robots_notes[origin] = rules.note

    async def _seed_sitemaps(self) -> None:
        s = self.settings
        rules = await self.fetcher.robots_rules(self.outcome.home_url)
        roots = [u for u in (canonicalize(x) for x in rules.sitemaps) if u and self.scope.contains(u)]
        roots.append(canonicalize("/sitemap.xml", base=self.outcome.home_url) or "")

        async def load(url: str) -> bytes | None:
            result = await self.fetcher.fetch(url, accept=None, max_bytes=s.max_body_bytes * 2)
            return result.body if result.ok else None

        entries = await discover_sitemap_urls([r for r in roots if r], load, s.sitemap_max_files, s.sitemap_max_urls)
        added = 0
        for entry in entries:
            if entry.lastmod:
                self.outcome.sitemap_lastmod[entry.url] = entry.lastmod[:10]
            if self.scope.contains(entry.url) and not self._is_trap(entry.url):
                added += self.frontier.push(entry.url, priority=0.05, depth=s.max_depth, source="sitemap")
        self.outcome.sitemap_urls = added

    def _is_trap(self, url: str) -> bool:
        reason = trap_reason(url, *self.years)
        if reason:
            key = reason.split(" ", 2)[0] + " " + reason.split(" ", 2)[1]
            self._traps[key] = self._traps.get(key, 0) + 1
            return True
        return False

    async def _restore(self, point: ResumePoint) -> None:
        """Take up a killed run: what it stored counts as fetched, the links of its pages are queued
        again, and what it archived without storing is handled from the archive."""
        outcome, frontier = self.outcome, self.frontier
        outcome.graph.add_edges(point.edges, stored=True)
        depth: dict[str, int] = {}  # of the stored pages whose links were followed
        for p in point.pages:
            frontier.mark_seen(p.url)
            frontier.mark_seen(p.final_url)
            self._final_seen.add(p.final_url)
            outcome.graph.add_alias(p.url, p.final_url)
            if not p.nofollow:
                depth.setdefault(p.final_url, p.depth)
            if p.robots_blocked:
                outcome.robots_blocked.append(p.url)
            else:
                outcome.pages_fetched += 1
            outcome.record(p.url, p.final_url, robots_blocked=p.robots_blocked, error=p.error, status=p.status)
            self._offsite_queued += p.offsite  # the off-site budget is the run's, not this process's
        for requested, final in point.redirects.items():
            frontier.mark_seen(requested)
            outcome.graph.add_alias(requested, final)
        for result in point.archived:
            frontier.mark_seen(result.url)
        outcome.home = point.home
        link_depth: dict[str, int] = {}
        for edge in point.edges:
            if edge.source in depth:
                d = depth[edge.source] + 1
                link_depth[edge.target] = min(d, link_depth.get(edge.target, d))
                self._enqueue(Link(edge.target, edge.anchor, edge.region, edge.date_hint), d)
        # In archive order, which is fetch order: a page's depth is known from pages handled before it.
        for result in point.archived:
            seed = result.url == outcome.home_url
            d = (
                0
                if seed
                else link_depth.get(
                    result.url, link_depth.get(outcome.graph.resolve(result.url), self.settings.max_depth)
                )
            )
            entry = FrontierEntry((0.0, d, 0), result.url, d, "seed" if seed else "link")
            page = await self._handle(entry, result, offsite=not self.scope.contains(result.final_url))
            for link in (
                page.parsed.links if page.parsed is not None and page.follows_links and not page.offsite else ()
            ):
                link_depth[link.url] = min(d + 1, link_depth.get(link.url, d + 1))

    async def _process(self, entry: FrontierEntry) -> None:
        if self.on_progress:
            self.on_progress(self.outcome.pages_fetched, len(self.frontier), entry.url)
        if entry.url in self._final_seen:
            return  # already fetched as the target of a redirect
        validators = self.previous.validators(entry.url) if self.previous is not None else None
        result = await self.fetcher.fetch(
            entry.url, hop_filter=None if entry.offsite else self._hop_filter, validators=validators
        )
        await self._handle(entry, result, offsite=entry.offsite or not self.scope.contains(result.final_url))

    async def _handle(self, entry: FrontierEntry, result: FetchResult, *, offsite: bool) -> CrawledPage:
        """One fetched (or archived) response: parse, render if needed, queue its links, hand it over."""
        outcome = self.outcome
        if not result.robots_blocked:
            outcome.pages_fetched += 1
            self._since_settle_check += 1
        outcome.graph.add_alias(entry.url, result.final_url)
        self.frontier.mark_seen(result.final_url)
        if result.robots_blocked:
            outcome.robots_blocked.append(entry.url)
            outcome.link_text[entry.url] = entry.anchor
        challenge = result.challenge
        if challenge is not None:
            result = await self.browsing.past_challenge(result)
        outcome.record_result(entry.url, result)
        page = CrawledPage.from_fetch(result, depth=entry.depth, source=entry.source, offsite=offsite)
        if challenge is not None and result.challenge is None:
            page.rendered, page.render_reason = True, f"a bot challenge ({challenge}) let the browser through"
        # Another URL already led here (a redirect): the handler decides; links are not queued twice.
        page.duplicate = result.final_url in self._final_seen
        self._final_seen.add(result.final_url)
        if result.not_modified and self.previous is not None:
            # unchanged since the last run: its links are the ones stored then
            page.not_modified = True
            url = result.final_url
            page.parsed = ParsedPage(url=url, links=self.previous.links(url), nofollow=self.previous.nofollow(url))
            outcome.not_modified += 1
        if entry.source == "seed":
            outcome.home = page
        if (
            page.parsed is not None
            and not page.parsed.is_pdf
            and not (page.duplicate or page.not_modified or page.rendered)
        ):
            await self.browsing.render_if_needed(page)
        if page.parsed is not None and not page.parsed.is_pdf and not offsite and not page.duplicate:
            self._follow_refresh(page, entry.anchor)
            self._queue_links(page)
        await self.on_page(page)
        page.body, page.html = b"", ""  # the handler has what it needs; keep memory flat
        return page

    def _hop_filter(self, url: str) -> str | None:
        """A redirect off the partner's site is one off-site hop, within the off-site budget."""
        if self.scope.contains(url):
            return None
        if self._offsite_queued >= self.settings.max_offsite_pages:
            return "outside the partner's site, and the off-site budget is used up"
        self._offsite_queued += 1
        return None

    def _follow_refresh(self, page: CrawledPage, anchor: str) -> None:
        """A page that sends the visitor on with a meta refresh (an alias a static site generator
        left at an old URL) is a redirect: links to it are links to its target, at the same depth."""
        assert page.parsed is not None
        target = page.parsed.refresh_to
        if target is None or not self.scope.contains(target) or self.outcome.graph.resolve(target) == page.final_url:
            return
        self.outcome.graph.add_alias(page.final_url, target)
        self._enqueue(Link(target, anchor, "body"), page.depth)

    def _queue_links(self, page: CrawledPage) -> None:
        assert page.parsed is not None
        graph = self.outcome.graph
        depth = page.depth + 1
        graph.add_edges(
            [Edge(page.final_url, link.url, link.anchor, link.region, link.date_hint) for link in page.parsed.links]
        )
        if page.follows_links:
            for link in page.parsed.links:
                self._enqueue(link, depth)

    def _enqueue(self, link: Link, depth: int) -> None:
        """Queue a link found at `depth` clicks: in scope, not a trap, within the limits."""
        s = self.settings
        if self.frontier.seen(link.url) and not self.frontier.shorter(link.url, depth):
            return
        score = self.score_link(link, depth)
        if not self.scope.contains(link.url):
            if score >= OFFSITE_MIN_SCORE and self._offsite_queued < s.max_offsite_pages:
                self._offsite_queued += 1
                self.frontier.push(
                    link.url, priority=score, depth=depth, source="offsite", offsite=True, anchor=link.anchor
                )
            return
        if depth > s.max_depth:
            self._depth_skipped.setdefault(link.url, link.anchor)
            return
        if self._is_trap(link.url):
            self.frontier.mark_seen(link.url)
            return
        self.frontier.push(link.url, priority=score, depth=depth, source="link", anchor=link.anchor)
