"""One work, one item: pages that are versions of one another count once.

A case study in English and German, a post and its print view, a page whose canonical link names
another crawled page: the checks count each work once and show its other URLs as its versions.
Versions are what a page declares (canonical, hreflang alternates) and what its URL shows (a
language prefix before the same path or the same distinctive slug, a print view).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from ._models import Evidence, PageFacts
from ._vocab import _read

__all__ = ["Works", "language_segment", "one_per_work"]


@functools.cache
def _versions_vocab() -> tuple[frozenset[str], frozenset[str]]:
    table = _read("coverage.toml")["versions"]
    return frozenset(table["language_codes"]), frozenset(table["print_views"])


def language_segment(segment: str) -> bool:
    """Whether a URL path segment names a language (de, en-us, pt_BR)."""
    codes, _ = _versions_vocab()
    return segment.split("-")[0].split("_")[0] in codes and len(segment) in (2, 5)


def _shape(url: str) -> tuple[str, str, str]:
    """(host, path without a language prefix or print view, distinctive slug or "")."""
    parts = urlsplit(url)
    _, prints = _versions_vocab()
    segments = [unquote(s).lower() for s in parts.path.split("/") if s]
    if segments and segments[-1].rsplit(".", 1)[0] in prints:
        segments = segments[:-1]
    if segments and language_segment(segments[0]):
        segments = segments[1:]
    slug = segments[-1].rsplit(".", 1)[0] if segments else ""
    distinctive = slug if slug.count("-") >= 2 and len(slug) >= 12 else ""
    return parts.netloc.lower(), "/".join(segments), distinctive


def _print_view(url: str) -> bool:
    _, prints = _versions_vocab()
    return any(k.lower() in prints for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True))


class Works:
    """Which pages are versions of one work (union-find over the pages the crawl read)."""

    def __init__(self, facts: Iterable[PageFacts]) -> None:
        self._parent: dict[str, str] = {}
        pages = list(facts)
        known = {u for f in pages for u in (f.key, f.url, f.final_url)}
        by_path: dict[tuple[str, str], str] = {}
        by_slug: dict[tuple[str, str], str] = {}
        for f in pages:
            for other in f.versions:
                if other in known:
                    self._join(f.key, other)
            host, path, slug = _shape(f.final_url)
            if _print_view(f.final_url):
                base = f.final_url.split("?", 1)[0]
                if base in known:
                    self._join(f.key, base)
            self._join(f.key, by_path.setdefault((host, path), f.key))
            if slug:
                self._join(f.key, by_slug.setdefault((host, slug), f.key))
        for f in pages:  # the URLs a page was reached by are the page
            self._join(f.url, f.key)
            self._join(f.final_url, f.key)

    def _find(self, url: str) -> str:
        root = self._parent.setdefault(url, url)
        while root != self._parent[root]:
            root = self._parent[root]
        self._parent[url] = root
        return root

    def _join(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def work(self, url: str) -> str:
        return self._find(url)


def one_per_work(items: list[Evidence], works: Works, counted: Iterable[Evidence] = ()) -> list[Evidence]:
    """The items with each work once (the first of its versions, in the order given, stays; the others
    become its `versions`). An item whose work is already among `counted` is folded into that one."""
    kept: dict[str, Evidence] = {works.work(e.url): e for e in counted}
    out: list[Evidence] = []
    for e in items:
        work = works.work(e.url)
        first = kept.get(work)
        if first is None:
            kept[work] = e
            out.append(e)
        else:
            first.extra.setdefault("versions", []).append(e.url)
    return out
