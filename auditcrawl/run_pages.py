"""A run's pages as the crawl hands them over: analysed once, stored in batches, kept in memory
only while the checks may cite them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from auditcrawl.crawler import CrawledPage, CrawlGraph
from auditcrawl.rules import PageFacts, analyse_page
from auditcrawl.storage import Store, StoredCrawl

__all__ = ["FLUSH_EVERY", "PAGE_NOTES_SHOWN", "RunPages"]

FLUSH_EVERY = 100  # pages per database write (the WARC holds the rest if the process dies)
PAGE_NOTES_SHOWN = 20  # pages whose reading notes (truncated text, unreadable PDF) go to the run notes


class RunPages:
    """Every page goes to storage with the crawl graph's new links; only the facts of pages the
    checks may cite stay in `facts`, so a large site costs a key a page, not its facts. With
    `keep_all` (claims were given: a claim may cite any page) every page's facts stay."""

    def __init__(
        self,
        store: Store,
        run_id: str,
        graph: CrawlGraph,
        *,
        as_of: date,
        previous: StoredCrawl | None = None,
        keep_all: bool = False,
    ) -> None:
        self.store, self.run_id, self.graph = store, run_id, graph
        self.as_of, self.previous, self.keep_all = as_of, previous, keep_all
        self.facts: dict[str, PageFacts] = {}  # by PageFacts.key: the pages the checks may cite
        self.stored_only: set[str] = set()  # keys of pages kept in storage alone
        self.notes: list[str] = []
        self.candidates: Counter[str] = Counter()  # industrial pages by kind
        self.bytes_not_modified = 0
        self._pending: list[PageFacts] = []

    def __contains__(self, key: str) -> bool:
        return key in self.facts or key in self.stored_only

    def facts_of(self, page: CrawledPage) -> PageFacts:
        """An unchanged page (304) keeps the previous run's facts; any other is analysed."""
        if page.not_modified and self.previous is not None:
            carried = self.previous.carried_over(
                page.final_url, fetched_at=page.fetched_at, depth=page.depth, source=page.source
            )
            if carried is not None:
                return carried
        return analyse_page(page, self.as_of, date_all=page.source == "claim")  # a claim is dated whatever its kind

    async def take(self, page: CrawledPage) -> None:
        """The crawler's page handler."""
        f = self.facts_of(page)
        if page.duplicate and f.key in self:
            return  # another URL redirected here and was taken already
        self._add(f)
        self._pending.append(f)
        if len(self._pending) >= FLUSH_EVERY:
            await self.flush()

    def restore(self, stored: Iterable[PageFacts]) -> None:
        """The pages a killed run had stored: known again, not stored twice."""
        restored = list(stored)
        for f in restored:
            self._add(f)
        self._forget(restored)

    async def flush(self) -> None:
        """Store the pages taken since the last flush, with the links the graph gained meanwhile."""
        batch, self._pending = self._pending, []
        edges = self.graph.take_new_edges()
        if batch or edges:
            await self.store.add_pages(self.run_id, batch, edges)
        self._forget(batch)

    def _add(self, f: PageFacts) -> None:
        self.facts.setdefault(f.key, f)
        if f.industrial:
            self.candidates[f.kind] += 1
        if f.notes and len(self.notes) < PAGE_NOTES_SHOWN:
            self.notes.append(f"{f.final_url}: {'; '.join(f.notes)}")
        if f.not_modified:
            self.bytes_not_modified += f.size

    def _forget(self, stored: list[PageFacts]) -> None:
        """These pages are in storage: those the checks never cite leave memory."""
        if self.keep_all:
            return
        for f in stored:
            if not f.evidence_candidate and self.facts.get(f.key) is f:
                del self.facts[f.key]
                self.stored_only.add(f.key)
