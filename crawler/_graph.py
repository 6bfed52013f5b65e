"""The crawl graph: links between pages, redirect aliases, shortest click paths."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

__all__ = ["Edge", "CrawlGraph"]


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    anchor: str
    region: str
    date_hint: str | None = None


@dataclass
class CrawlGraph:
    home: str
    edges: list[Edge] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # requested URL -> final URL

    def add_alias(self, requested: str, final: str) -> None:
        if requested != final:
            self.aliases[requested] = final

    def resolve(self, url: str) -> str:
        seen = set()
        while url in self.aliases and url not in seen:
            seen.add(url)
            url = self.aliases[url]
        return url

    def click_paths(self) -> dict[str, list[str]]:
        """Shortest click path from the home page to every URL a link reaches (BFS)."""
        adjacency: dict[str, list[str]] = {}
        for edge in self.edges:
            adjacency.setdefault(self.resolve(edge.source), []).append(self.resolve(edge.target))
        start = self.resolve(self.home)
        paths: dict[str, list[str]] = {start: [start]}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for target in adjacency.get(current, ()):
                if target not in paths:
                    paths[target] = paths[current] + [target]
                    queue.append(target)
        return paths

    def inbound(self, url: str) -> list[Edge]:
        target = self.resolve(url)
        return [e for e in self.edges if self.resolve(e.target) == target]
