"""Best-first frontier: highest priority first, then fewest clicks, then discovery order."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["Frontier", "FrontierEntry"]

MAX_QUERY_VARIANTS_PER_PATH = 25


@dataclass(order=True)
class FrontierEntry:
    sort_key: tuple[float, int, int]
    url: str = field(compare=False)
    depth: int = field(compare=False)
    source: str = field(compare=False)  # seed | link | sitemap | offsite
    offsite: bool = field(compare=False, default=False)


class Frontier:
    def __init__(self) -> None:
        self._heap: list[FrontierEntry] = []
        self._seen: set[str] = set()
        self._query_variants: Counter[str] = Counter()
        self._seq = 0
        self.skipped: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._heap)

    def seen(self, url: str) -> bool:
        return url in self._seen

    def mark_seen(self, url: str) -> None:
        self._seen.add(url)

    def push(self, url: str, *, priority: float, depth: int, source: str, offsite: bool = False) -> bool:
        """Queue a URL once; False when it was seen before or is one query variant too many."""
        if url in self._seen:
            return False
        parts = urlsplit(url)
        if parts.query:
            path_key = f"{parts.netloc}{parts.path}"
            if self._query_variants[path_key] >= MAX_QUERY_VARIANTS_PER_PATH:
                self.skipped["query variants"] += 1
                return False
            self._query_variants[path_key] += 1
        self._seen.add(url)
        self._seq += 1
        heapq.heappush(self._heap, FrontierEntry((-priority, depth, self._seq), url, depth, source, offsite))
        return True

    def pop(self) -> FrontierEntry | None:
        return heapq.heappop(self._heap) if self._heap else None
