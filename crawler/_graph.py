"""The crawl graph: links between pages, redirect aliases, shortest click paths.

A large site has fifty links a page, so the graph keeps them compact: URLs numbered once,
each page's targets as an array of numbers. Anchors and regions go to storage in batches
(`take_new_edges`); only the edges that carry a listing date stay whole in memory.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

__all__ = ["ClickPaths", "CrawlGraph", "Edge"]


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

    def click_paths(self) -> ClickPaths:
        """Shortest click path from the home page to every URL a link reaches (BFS over the link
        arrays as they are: no copy of the graph, so a large site's peak memory stays put)."""
        # Redirects: a requested URL stands for the URL it finally resolves to, links and all.
        final = {self._ids[url]: self._id(self.resolve(url)) for url in self.aliases if url in self._ids}
        merged: dict[int, list[int]] = {}  # a final URL -> the requested URLs that lead to it
        for requested, target in final.items():
            merged.setdefault(target, []).append(requested)
        home = self.resolve(self.home)
        start = self._ids.get(home)
        if start is None:
            return ClickPaths([home], {home: 0}, array("i", [0]))
        parent = array("i", [-1]) * len(self._urls)  # -1: not reached
        parent[start] = start
        queue = deque([start])
        none = array("i")
        while queue:
            current = queue.popleft()
            for source in (current, *merged.get(current, ())):
                for target in self._targets.get(source, none):
                    target = final.get(target, target)
                    if parent[target] < 0:
                        parent[target] = current
                        queue.append(target)
        return ClickPaths(self._urls, self._ids, parent)


class ClickPaths(Mapping[str, list[str]]):
    """Click paths by URL, each made when asked for from one parent number a URL: a large site's
    paths are never all held as lists at once."""

    def __init__(self, urls: list[str], ids: dict[str, int], parent: array[int]) -> None:
        self._urls, self._ids, self._parent = urls, ids, parent

    def _node(self, url: str) -> int | None:
        node = self._ids.get(url)
        return node if node is not None and node < len(self._parent) and self._parent[node] >= 0 else None

    def __getitem__(self, url: str) -> list[str]:
        node = self._node(url)
        if node is None:
            raise KeyError(url)
        chain = [node]
        while self._parent[node] != node:
            node = self._parent[node]
            chain.append(node)
        return [self._urls[n] for n in reversed(chain)]

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and self._node(url) is not None

    def __iter__(self) -> Iterator[str]:
        return (self._urls[n] for n in range(len(self._parent)) if self._parent[n] >= 0)

    def __len__(self) -> int:
        return sum(1 for p in self._parent if p >= 0)
