"""An earlier run of the same site, for conditional requests: validators, links and facts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from auditcrawl.crawler import Link
from auditcrawl.rules import PageFacts

from ._models import PageRow
from ._store import Store, page_facts

__all__ = ["StoredCrawl", "load_previous"]


@dataclass
class StoredCrawl:
    run_id: str
    pages: dict[str, PageRow] = field(default_factory=dict)  # by URL and by final URL
    links_by_source: dict[str, list[Link]] = field(default_factory=dict)

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        row = self.pages.get(url)
        if row is None or row.status != 200 or not (row.etag or row.last_modified):
            return None
        return row.etag, row.last_modified

    def links(self, url: str) -> list[Link]:
        return list(self.links_by_source.get(url, []))

    def nofollow(self, url: str) -> bool:
        row = self.pages.get(url)
        return row is not None and bool(row.facts.get("nofollow"))

    def facts(self, url: str) -> PageFacts | None:
        row = self.pages.get(url)
        return page_facts(row) if row is not None else None

    def carried_over(self, url: str, **current: object) -> PageFacts | None:
        """The stored facts of an unchanged page, with what this run knows about reaching it."""
        stored = self.facts(url)
        return dataclasses.replace(stored, not_modified=True, **current) if stored is not None else None  # type: ignore[arg-type]


async def load_previous(store: Store, run_id: str) -> StoredCrawl:
    previous = StoredCrawl(run_id)
    for row in await store.run_pages(run_id):
        previous.pages.setdefault(row.url, row)
        previous.pages.setdefault(row.final_url, row)
    for edge in await store.run_links(run_id):
        previous.links_by_source.setdefault(edge.source, []).append(
            Link(edge.target, edge.anchor, edge.region, edge.date_hint)
        )
    return previous
