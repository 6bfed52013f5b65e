"""The crawl graph: links between pages, redirect aliases, shortest click paths.

A large site has fifty links a page, so the graph keeps them compact: URLs numbered once,
each page's targets as an array of numbers. Anchors and regions go to storage in batches
(`take_new_edges`); only the edges that carry a listing date stay whole in memory.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Edge", "CrawlGraph"]


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    anchor: str
    region: str
    date_hint: str | None = None


@dataclass
class CrawlGraph:
    home: str
    aliases: dict[str, str] = field(default_factory=dict)  # requested URL -> final URL
    dated_edges: list[Edge] = field(default_factory=list)  # links shown with a date (listing pages)
    _ids: dict[str, int] = field(default_factory=dict, repr=False)
    _urls: list[str] = field(default_factory=list, repr=False)
    _targets: dict[int, array[int]] = field(default_factory=dict, repr=False)
    _new: list[Edge] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, home: str, edges: Iterable[Edge]) -> CrawlGraph:
        graph = cls(home=home)
        graph.add_edges(edges)
        return graph

    def _id(self, url: str) -> int:
        found = self._ids.get(url)
        if found is None:
            found = self._ids[url] = len(self._urls)
            self._urls.append(url)
        return found

    def add_edges(self, edges: Iterable[Edge], *, stored: bool = False) -> None:
        """Record links; `stored` ones (read back from the database) are not handed out again."""
        for edge in edges:
            source = self._id(edge.source)
            targets = self._targets.get(source)
            if targets is None:
                targets = self._targets[source] = array("i")
            targets.append(self._id(edge.target))
            if edge.date_hint:
                self.dated_edges.append(edge)
            if not stored:
                self._new.append(edge)

    def take_new_edges(self) -> list[Edge]:
        """The edges added since the last call, for storage; the graph keeps only their numbers."""
        new, self._new = self._new, []
        return new

    def add_alias(self, requested: str, final: str) -> None:
        if requested != final:
            self.aliases[requested] = final

    def resolve(self, url: str) -> str:
        seen = set()
        while url in self.aliases and url not in seen:
            seen.add(url)
            url = self.aliases[url]
        return url

    def links_from(self, url: str) -> list[str]:
        """The targets a page links to, as URLs (redirects followed)."""
        source = self._ids.get(url)
        if source is None:
            return []
        return [self.resolve(self._urls[t]) for t in self._targets.get(source, ())]

    def click_paths(self) -> dict[str, list[str]]:
        """Shortest click path from the home page to every URL a link reaches (BFS)."""
        # Redirects: each URL number maps to the number of the URL it finally resolves to.
        resolved = [self.resolve(url) if url in self.aliases else url for url in self._urls]
        final = [self._id(url) for url in resolved]
        adjacency: dict[int, list[int]] = {}
        for source, targets in self._targets.items():
            adjacency.setdefault(final[source], []).extend(final[t] for t in targets)
        home = self.resolve(self.home)
        start = self._ids.get(home)
        if start is None:
            return {home: [home]}
        parent: dict[int, int] = {start: start}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for target in adjacency.get(current, ()):
                if target not in parent:
                    parent[target] = current
                    queue.append(target)
        paths: dict[int, list[str]] = {start: [self._urls[start]]}

        def path(node: int) -> list[str]:
            chain = []
            while node not in paths:
                chain.append(node)
                node = parent[node]
            result = paths[node]
            for n in reversed(chain):
                result = [*result, self._urls[n]]
                paths[n] = result
            return result

        return {self._urls[n]: path(n) for n in parent}
