"""The frontier: the discoverability radius first, then the rest of the site.

Pages within `radius` clicks of home are the only ones that can be evidence, so the page budget
is spent on them first: links with an evidence cue (best first), then every other linked page in
order of click depth. Deeper pages, sitemap-only URLs and off-site evidence hops come after,
best first. A URL found again by a shorter path moves up to that depth.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["CUE_SCORE", "Frontier", "FrontierEntry"]

MAX_QUERY_VARIANTS_PER_PATH = 25
CUE_SCORE = 0.9  # a link scored at least this carries an evidence cue (see rules.score_link)


@dataclass(order=True)
class FrontierEntry:
    sort_key: tuple[float, ...]
    url: str = field(compare=False)
    depth: int = field(compare=False)
    source: str = field(compare=False)  # seed | link | sitemap | offsite
    offsite: bool = field(compare=False, default=False)
    anchor: str = field(compare=False, default="")


class Frontier:
    def __init__(self, radius: int = 4) -> None:
        self.radius = radius
        self._heap: list[FrontierEntry] = []
        self._seen: set[str] = set()
        self._queued: dict[str, int] = {}  # URL -> the depth its live entry has
        self._query_variants: Counter[str] = Counter()
        self._seq = 0
        self.skipped: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._queued)

    def seen(self, url: str) -> bool:
        return url in self._seen

    def shorter(self, url: str, depth: int) -> bool:
        """Whether `depth` is a shorter path to a URL still waiting in the queue."""
        queued = self._queued.get(url)
        return queued is not None and depth < queued

    def mark_seen(self, url: str) -> None:
        self._seen.add(url)

    def _key(self, priority: float, depth: int, source: str) -> tuple[float, ...]:
        if source == "link" and depth <= self.radius:
            if priority >= CUE_SCORE:
                return (0, -priority, depth, self._seq)
            return (1, depth, -priority, self._seq)
        return (2, -priority, depth, self._seq)

    def push(
        self, url: str, *, priority: float, depth: int, source: str, offsite: bool = False, anchor: str = ""
    ) -> bool:
        """Queue a URL once (again only when found by a shorter path); False when it was seen
        before or is one query variant too many."""
        if source == "link" and self.shorter(url, depth):
            pass  # a shorter path to a queued page: the new entry replaces the old one
        elif url in self._seen:
            return False
        else:
            parts = urlsplit(url)
            if parts.query:
                path_key = f"{parts.netloc}{parts.path}"
                if self._query_variants[path_key] >= MAX_QUERY_VARIANTS_PER_PATH:
                    self.skipped["query variants"] += 1
                    return False
                self._query_variants[path_key] += 1
        self._seen.add(url)
        self._queued[url] = depth
        self._seq += 1
        entry = FrontierEntry(self._key(priority, depth, source), url, depth, source, offsite, anchor)
        heapq.heappush(self._heap, entry)
        return True

    def pop(self) -> FrontierEntry | None:
        while self._heap:
            entry = heapq.heappop(self._heap)
            if self._queued.get(entry.url) == entry.depth:
                del self._queued[entry.url]
                return entry
        return None

    def remaining(self) -> list[FrontierEntry]:
        """The live entries left, in no particular order."""
        return [e for e in self._heap if self._queued.get(e.url) == e.depth]
