"""One audit run: seed URL -> crawl -> page facts -> verdicts -> storage."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from auditcrawl.crawler import (
    CrawledPage,
    Crawler,
    CrawlOutcome,
    Fetcher,
    Link,
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
    evaluate,
    evaluate_claims,
    find_facts,
    load_vocabulary,
    score_link,
)
from auditcrawl.storage import Run, Store, StoredCrawl

from ._exceptions import InvalidURLError
from .screenshots import data_folder, screenshot_folder, take_evidence_screenshots
from .settings import Settings

__all__ = [
    "AuditReport",
    "archive_path",
    "audit_run",
    "inspect_urls",
    "run_audit",
    "run_status",
    "this_process",
    "validate_url",
]

log = logging.getLogger(__name__)

FLUSH_EVERY = 100  # pages per database write (the WARC holds the rest if the process dies)
PAGE_NOTES_SHOWN = 20  # pages whose reading notes (truncated text, unreadable PDF) go to the run notes
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
class _Pages:
    """The run's pages in memory. Every page goes to storage; only the facts of pages the checks
    may cite stay here, so a large site costs a key a page, not its facts."""

    facts: dict[str, PageFacts] = field(default_factory=dict)
    stored_only: set[str] = field(default_factory=set)  # keys of pages kept in storage alone
    notes: list[str] = field(default_factory=list)
    candidates: Counter[str] = field(default_factory=Counter)  # industrial pages by kind
    bytes_not_modified: int = 0

    def __contains__(self, key: str) -> bool:
        return key in self.facts or key in self.stored_only

    def add(self, f: PageFacts) -> None:
        self.facts.setdefault(f.key, f)
        if f.industrial:
            self.candidates[f.kind] += 1
        if f.notes and len(self.notes) < PAGE_NOTES_SHOWN:
            self.notes.append(f"{f.final_url}: {'; '.join(f.notes)}")
        if f.not_modified:
            self.bytes_not_modified += f.size

    def stored(self, batch: list[PageFacts]) -> None:
        """These pages are in storage now: those the checks never cite leave memory."""
        for f in batch:
            if not f.evidence_candidate and self.facts.get(f.key) is f:
                del self.facts[f.key]
                self.stored_only.add(f.key)


@dataclass
class AuditReport:
    run_id: str
    status: str
    home_url: str
    checks: dict[str, CheckResult]
    outcome: CrawlOutcome
    facts: dict[str, PageFacts] = field(default_factory=dict)  # the pages the checks may cite; all are in storage
    notes: list[str] = field(default_factory=list)
    claims: list[ClaimVerdict] = field(default_factory=list)


def _notes(outcome: CrawlOutcome) -> list[str]:
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
    notes += [f"{origin}: {note}" for origin, note in sorted(outcome.robots_notes.items())]
    notes += outcome.notes
    if outcome.not_modified:
        notes.append(f"{outcome.not_modified} of {outcome.pages_fetched} pages unchanged since the last run (HTTP 304)")
    if outcome.sitemap_urls:
        notes.append(f"sitemaps listed {outcome.sitemap_urls} further URL(s); sitemaps never count as links from home")
    return notes


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
) -> AuditReport:
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
            "claims_given": claims is not None,
        },
    )
    await store.create_run(run)
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
    """Crawl and decide for a run that is in storage: a new one, or one taken up where it stopped."""
    home, as_of = run.home_url, settings.audit.as_of
    vocab = load_vocabulary("*")  # links are scored in every language the vocabularies know
    pages = _Pages()
    for stored in stored_facts:
        pages.add(stored)
    if claims is None:
        pages.stored(list(pages.facts.values()))
    facts = pages.facts  # the pages the checks may cite (a claim may cite any page: then all stay)
    pending: list[PageFacts] = []
    crawler: Crawler | None = None

    async def flush() -> None:
        nonlocal pending
        batch, pending = pending, []
        new_edges = (
            crawler.outcome.graph.take_new_edges() if crawler is not None and hasattr(crawler, "outcome") else []
        )
        if batch or new_edges:
            await store.add_pages(run.id, batch, new_edges)
        if claims is None:
            pages.stored(batch)

    async def on_page(page: CrawledPage) -> None:
        carried = None
        if page.not_modified and previous is not None:
            carried = previous.carried_over(
                page.final_url, fetched_at=page.fetched_at, depth=page.depth, source=page.source
            )
        f = carried or analyse_page(page, as_of)
        if page.duplicate and f.key in pages:
            return
        pages.add(f)
        pending.append(f)
        if len(pending) >= FLUSH_EVERY:
            await flush()

    def scorer(link: Link, depth: int) -> float:
        return score_link(link, depth, vocab)

    scope = SiteScope(home)

    def browser_scope(url: str, page_url: str) -> str | None:
        """The partner's site, and an off-site evidence page's own site, and nothing else."""
        if scope.contains(url) or SiteScope(page_url).contains(url):
            return None
        return f"outside the partner's site ({scope.domain})"

    warc_path = archive_path(settings.storage.db, run.id)
    archive = WarcArchive(warc_path)
    candidates = pages.candidates
    last_look = (-1, 0)  # candidates and pages at the last full evaluation

    def settled() -> bool:
        """Every check met on what is known so far: more pages cannot undo that (evidence only grows).
        The full evaluation walks the whole link graph, so it runs only when it could answer yes: enough
        candidates, and new ones (or twice the pages, for shorter click paths) since the last look."""
        nonlocal last_look
        assert crawler is not None
        a, fetched = settings.audit, crawler.outcome.pages_fetched
        if candidates["case_study"] < a.min_case_studies or not candidates["thought_leadership"]:
            return False
        found = sum(candidates.values())
        if found == last_look[0] and fetched < 2 * last_look[1]:
            return False
        last_look = (found, fetched)
        return all(c.status == "met" for c in evaluate(facts, crawler.outcome, settings.audit).values())

    # Claims may name pages only a full crawl reaches; --full asks for everything.
    early_stop = None if settings.crawl.full or claims is not None else settled
    async with Fetcher(settings.crawl, network, archive=archive) as fetcher:
        renderer = Renderer(settings.crawl, fetcher, browser_scope)
        crawler = Crawler(
            settings.crawl,
            fetcher,
            on_page=on_page,
            score_link=scorer,
            on_progress=on_progress,
            renderer=None if settings.crawl.render == "never" else renderer,
            previous=previous,
            settled=early_stop,
            max_year=as_of.year + 1,
        )
        try:
            outcome = await crawler.run(home, resume_from)
            if claims is not None:
                await _fetch_claimed(claims, fetcher, pages, pending, outcome, as_of)
            await flush()
            verdicts = evaluate_claims(claims, facts, outcome, settings.audit) if claims is not None else None
            checks = evaluate(facts, outcome, settings.audit, verdicts)
            notes = _notes(outcome)
            if resume_from is not None:
                notes.append(
                    f"resumed after the crawl process stopped: {len(resume_from.pages)} stored pages kept, "
                    f"{len(resume_from.archived)} taken from the archive without fetching them again"
                )
            notes += pages.notes
            if settings.crawl.screenshots:
                folder = screenshot_folder(settings.storage.screenshots_dir, settings.storage.db) / run.id
                notes += await take_evidence_screenshots(checks, renderer, folder)
        except (asyncio.CancelledError, KeyboardInterrupt):
            await asyncio.shield(_close_interrupted(store, run.id, flush))
            raise
        except Exception as exc:
            await flush()
            await store.mark_run(run.id, "failed", f"internal error: {type(exc).__name__}: {exc}", datetime.now(UTC))
            raise
        finally:
            await renderer.close()
            archive.close()
    if renderer.blocked:
        shown = "; ".join(f"{url} ({reason})" for url, reason in list(dict.fromkeys(renderer.blocked))[:10])
        notes.append(f"browser requests refused: {len(renderer.blocked)}: {shown}")
    status = run_status(outcome)
    await store.finish_run(
        run.id,
        status=status,
        finished_at=datetime.now(UTC),
        pages_fetched=outcome.pages_fetched,
        pages_rendered=outcome.pages_rendered,
        notes=notes,
        click_paths=outcome.graph.click_paths(),
        checks=checks,
        claims=verdicts,
        options={"warc": str(warc_path), **_conditional_figures(outcome, pages.bytes_not_modified, previous)},
    )
    return AuditReport(run.id, status, home, checks, outcome, facts, notes, verdicts or [])


def _conditional_figures(outcome: CrawlOutcome, saved: int, previous: StoredCrawl | None) -> dict[str, object]:
    if previous is None:
        return {}
    return {"previous_run": previous.run_id, "not_modified": outcome.not_modified, "bytes_saved": saved}


async def _fetch_claimed(
    claims: Claims, fetcher: Fetcher, pages: _Pages, pending: list[PageFacts], outcome: CrawlOutcome, as_of: date
) -> None:
    """Fetch each claimed URL the crawl did not reach, so every claim gets a verdict."""
    scope = SiteScope(outcome.home_url)
    for url, _kind in claims.items():
        if find_facts(pages.facts, outcome, url) is not None:
            continue
        result = await fetcher.fetch(url)
        if not result.robots_blocked:
            outcome.pages_fetched += 1
        else:
            outcome.robots_blocked.append(url)
        outcome.graph.add_alias(url, result.final_url)
        page = CrawledPage.from_fetch(result, depth=0, source="claim", offsite=not scope.contains(result.final_url))
        f = analyse_page(page, as_of, date_all=True)
        pages.add(f)
        pending.append(f)


async def _close_interrupted(store: Store, run_id: str, flush: Callable[[], Any]) -> None:
    await flush()
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
