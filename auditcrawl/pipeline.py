"""One audit run: seed URL -> crawl -> page facts -> verdicts -> storage."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from auditcrawl.crawler import (
    CrawledPage,
    Crawler,
    CrawlGraph,
    CrawlOutcome,
    Fetcher,
    Network,
    Renderer,
    ResumePoint,
    SiteScope,
    WarcArchive,
    canonicalize,
)
from auditcrawl.rules import (
    CheckResult,
    Claims,
    ClaimVerdict,
    PageFacts,
    analyse_page,
    judge,
    load_vocabulary,
    measure_coverage,
    score_link,
)
from auditcrawl.storage import Run, Store, StoredCrawl

from ._exceptions import InvalidURLError
from .claims import fetch_claimed
from .early_stop import EarlyStop
from .review import applying
from .run_pages import RunPages
from .screenshots import data_folder, screenshot_folder, take_evidence_screenshots
from .settings import Settings

__all__ = [
    "AuditReport",
    "archive_path",
    "audit_run",
    "inspect_urls",
    "new_run",
    "run_audit",
    "run_notes",
    "run_status",
    "this_process",
    "validate_url",
]

log = logging.getLogger(__name__)

ProgressHandler = Callable[[int, int, str], None]


def validate_url(url: str) -> str:
    """The canonical form of an absolute http(s) URL, or InvalidURLError with the reason."""
    canonical = canonicalize(url)
    if canonical is None or "://" not in url.strip():
        raise InvalidURLError(f"not an absolute http(s) URL: {url!r}")
    return canonical


def archive_path(db: str, run_id: str) -> Path:
    """The run's WARC file: beside the database, named by the run (a resumed run appends to it)."""
    return data_folder(db) / "warc" / f"{run_id}.warc.gz"


def this_process() -> dict[str, Any]:
    """Which process is crawling a run, stored with it so that a resume can tell whether it still is."""
    return {"pid": os.getpid(), "host": socket.gethostname()}


def run_status(outcome: CrawlOutcome) -> str:
    if outcome.interrupted or outcome.limits_hit:
        return "partial"
    if not outcome.home_ok:
        home = outcome.home
        return "partial" if home is not None and home.robots_blocked else "failed"
    return "complete"


@dataclass
class AuditReport:
    run_id: str
    status: str
    home_url: str
    checks: dict[str, CheckResult]  # the audit's answer: the crawl's findings and the decisions that apply
    outcome: CrawlOutcome
    facts: dict[str, PageFacts] = field(default_factory=dict)  # the pages the checks may cite; all are in storage
    notes: list[str] = field(default_factory=list)
    claims: list[ClaimVerdict] = field(default_factory=list)


def run_notes(outcome: CrawlOutcome, pages: RunPages, resume_from: ResumePoint | None) -> list[str]:
    """What the auditor should know about how the crawl went: limits, browser, robots.txt, 304s, sitemaps."""
    notes = [f"limit hit: {limit}" for limit in outcome.limits_hit]
    if outcome.browser_note:
        notes.append(outcome.browser_note)
    if outcome.render_failures:
        notes.append(f"{len(outcome.render_failures)} page(s) needed a browser and were read as served")
    if outcome.unrendered:
        notes.append(f"{len(outcome.unrendered)} page(s) look built by JavaScript; rendering was off")
    home = outcome.home
    if home is not None and not outcome.home_ok:
        notes.append(f"home page {outcome.home_url}: {home.error or f'HTTP {home.status}'}")
    if outcome.robots_blocked:
        notes.append(f"robots.txt disallowed {len(outcome.robots_blocked)} URL(s)")
    if outcome.challenges:
        shown = "; ".join(f"{vendor} at {url}" for url, vendor in list(outcome.challenges.items())[:10])
        notes.append(f"a bot challenge answered instead of the site for {len(outcome.challenges)} URL(s): {shown}")
    notes += [f"{origin}: {note}" for origin, note in sorted(outcome.robots_notes.items())]
    notes += outcome.notes
    if outcome.not_modified:
        notes.append(f"{outcome.not_modified} of {outcome.pages_fetched} pages unchanged since the last run (HTTP 304)")
    if outcome.sitemap_urls:
        notes.append(f"sitemaps listed {outcome.sitemap_urls} further URL(s); sitemaps never count as links from home")
    if resume_from is not None:
        notes.append(
            f"resumed after the crawl process stopped: {len(resume_from.pages)} stored pages kept, "
            f"{len(resume_from.archived)} taken from the archive without fetching them again"
        )
    return notes + pages.notes


def _browser_notes(renderer: Renderer) -> list[str]:
    if not renderer.blocked:
        return []
    shown = "; ".join(f"{url} ({reason})" for url, reason in list(dict.fromkeys(renderer.blocked))[:10])
    return [f"browser requests refused: {len(renderer.blocked)}: {shown}"]


class BrowserScope:
    """Where the browser may go: the partner's site, and an off-site evidence page's own site."""

    def __init__(self, home: str) -> None:
        self.site = SiteScope(home)

    def __call__(self, url: str, page_url: str) -> str | None:
        if self.site.contains(url) or SiteScope(page_url).contains(url):
            return None
        return f"outside the partner's site ({self.site.domain})"


async def new_run(
    home_url: str,
    settings: Settings,
    store: Store,
    *,
    applicant: str | None = None,
    claims_given: bool = False,
    tags: dict[str, Any] | None = None,
) -> Run:
    """A run in storage, about to be crawled (by audit_run), with the settings it starts with and
    `tags` in its options (a batch names its runs so that running it again finds them)."""
    home = validate_url(home_url)
    as_of = settings.audit.as_of
    run = Run(
        id=uuid.uuid4().hex[:12],
        applicant=applicant,
        home_url=home,
        as_of=as_of,
        options={
            "crawl": asdict(settings.crawl),
            "audit": {**asdict(settings.audit), "as_of": as_of.isoformat()},
            "process": this_process(),
            "claims_given": claims_given,
            **(tags or {}),
        },
    )
    await store.create_run(run)
    return run


async def run_audit(
    home_url: str,
    settings: Settings,
    store: Store,
    *,
    applicant: str | None = None,
    network: Network = Network(),
    on_progress: ProgressHandler | None = None,
    claims: Claims | None = None,
    previous: StoredCrawl | None = None,
    tags: dict[str, Any] | None = None,
) -> AuditReport:
    """Audit a partner's site from its home page: the run is created in storage under a new id, the
    site crawled and the three checks decided (see audit_run). Raises InvalidURLError for a home
    URL that is not absolute http(s); crawl trouble ends as notes and needs_review, not errors."""
    run = await new_run(home_url, settings, store, applicant=applicant, claims_given=claims is not None, tags=tags)
    return await audit_run(
        run, settings, store, network=network, on_progress=on_progress, claims=claims, previous=previous
    )


async def audit_run(
    run: Run,
    settings: Settings,
    store: Store,
    *,
    network: Network = Network(),
    on_progress: ProgressHandler | None = None,
    claims: Claims | None = None,
    previous: StoredCrawl | None = None,
    resume_from: ResumePoint | None = None,
    stored_facts: Iterable[PageFacts] = (),
) -> AuditReport:
    """Crawl and decide for a run that is in storage: a new one, or one taken up where it stopped.

    The steps: crawl the site (each page analysed and stored as it comes), fetch claimed pages
    the crawl did not reach, decide the three checks, take screenshots of the evidence, and
    store the verdicts with the click paths."""
    as_of = settings.audit.as_of
    vocab = load_vocabulary("*")  # links are scored in every language the vocabularies know
    graph = CrawlGraph(home=run.home_url)
    # Claims may cite any page (all facts stay in memory) and name pages only a full crawl reaches.
    pages = RunPages(store, run.id, graph, as_of=as_of, previous=previous, keep_all=claims is not None)
    pages.restore(stored_facts)
    early_stop = (
        None if settings.crawl.full or claims is not None else EarlyStop(pages.facts, pages.candidates, settings.audit)
    )
    warc_path = archive_path(settings.storage.db, run.id)
    archive = WarcArchive(warc_path)
    async with Fetcher(settings.crawl, network, archive=archive) as fetcher:
        renderer = Renderer(settings.crawl, fetcher, BrowserScope(run.home_url))
        crawler = Crawler(
            settings.crawl,
            fetcher,
            graph,
            on_page=pages.take,
            score_link=lambda link, depth: score_link(link, depth, vocab),
            on_progress=on_progress,
            renderer=None if settings.crawl.render == "never" else renderer,
            previous=previous,
            settled=early_stop,
            max_year=as_of.year + 1,
            radius=settings.audit.max_clicks,
        )
        try:
            outcome = await crawler.run(resume_from)
            if claims is not None:
                await fetch_claimed(claims, crawler, pages.facts)
            await pages.flush()
            coverage = measure_coverage(outcome, settings.audit)
            _history, _standings, decisions = await applying(store, run)  # the partner's, from earlier runs
            judgment = judge(pages.facts, outcome, settings.audit, decisions, claims=claims, coverage=coverage)
            checks, verdicts = judgment.final, judgment.claims
            notes = coverage.notes() + run_notes(outcome, pages, resume_from)
            if settings.crawl.screenshots:
                folder = screenshot_folder(settings.storage.screenshots_dir, settings.storage.db) / run.id
                notes += await take_evidence_screenshots(checks, renderer, folder)
        except (asyncio.CancelledError, KeyboardInterrupt):
            await asyncio.shield(_keep_interrupted(store, run.id, pages))
            raise
        except Exception as exc:
            await pages.flush()
            await store.mark_run(run.id, "failed", f"internal error: {type(exc).__name__}: {exc}", datetime.now(UTC))
            raise
        finally:
            await renderer.close()
            archive.close()
    notes += _browser_notes(renderer)
    status = run_status(outcome)
    await store.finish_run(
        run.id,
        status=status,
        finished_at=datetime.now(UTC),
        pages_fetched=outcome.pages_fetched,
        pages_rendered=outcome.pages_rendered,
        notes=notes,
        click_paths=outcome.graph.click_paths(),
        checks=judgment.found,
        final=checks,
        claims=verdicts,
        options={
            "warc": str(warc_path),
            "coverage": coverage.as_dict(),
            # what the checks read beyond pages and links: an auditor's decision judges the run again
            "judging": {
                "outcome": outcome.for_judging(f.final_url for f in pages.facts.values()),
                "coverage": coverage.as_stored(),
            },
            **_conditional_figures(outcome, pages.bytes_not_modified, previous),
        },
    )
    return AuditReport(run.id, status, run.home_url, checks, outcome, pages.facts, notes, verdicts or [])


def _conditional_figures(outcome: CrawlOutcome, saved: int, previous: StoredCrawl | None) -> dict[str, object]:
    if previous is None:
        return {}
    return {"previous_run": previous.run_id, "not_modified": outcome.not_modified, "bytes_saved": saved}


async def _keep_interrupted(store: Store, run_id: str, pages: RunPages) -> None:
    """Ctrl-C or a cancelled task: what was fetched is stored, the run is marked partial (resumable)."""
    await pages.flush()
    await store.mark_run(
        run_id, "partial", "interrupted before the crawl finished; verdicts were not computed", datetime.now(UTC)
    )


async def inspect_urls(
    urls: list[str], settings: Settings, *, network: Network = Network()
) -> AsyncIterator[dict[str, Any]]:
    """Fetch and analyse each URL on its own (robots.txt obeyed); one record per URL, in order."""
    canonical = [validate_url(u) for u in urls]
    as_of = settings.audit.as_of

    async def one(fetcher: Fetcher, given: str, url: str) -> dict[str, Any]:
        result = await fetcher.fetch(url)
        f = analyse_page(CrawledPage.from_fetch(result), as_of, date_all=True)
        return {
            "url": given,
            "final_url": result.final_url,
            "status": result.status,
            "robots": "disallowed" if result.robots_blocked else "allowed",
            "kind": f.kind,
            "title": f.title,
            "published": f.published.isoformat() if f.published else None,
            "date_source": f.date_source,
            "categories": f.categories,
            "content_type": result.content_type or None,
            "gated": f.gated,
            "aws_signals": f.aws_signals,
            "error": result.error,
        }

    async with Fetcher(settings.crawl, network) as fetcher:
        tasks = [asyncio.create_task(one(fetcher, given, url)) for given, url in zip(urls, canonical, strict=True)]
        try:
            for task in tasks:
                yield await task
        finally:
            for task in tasks:
                task.cancel()
