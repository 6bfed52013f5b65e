"""Judgment benchmark: page kind and industrial-or-not on a labelled corpus of partner-site page
shapes, and article recognition on the 300 real articles of ../shared/dates-dev.

The corpus (bench/corpus/*.toml) holds pages written for this benchmark, each with the kind, the
industrial yes/no and the categories an auditor gives it. They reproduce the shapes of real
partner sites (URL patterns, page templates, headings, structured data, languages): the same
text is rendered through the template its entry names, as a CMS would serve it. Each page is
read as `auditcrawl inspect` reads a page: fetched bytes at its real URL, parsed and analysed.

    python bench/judgments.py [--corpus DIR] [--dates DIR] [--misses]
"""

from __future__ import annotations

import argparse
import html
import json
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from auditcrawl.crawler import CrawledPage, FetchResult
from auditcrawl.rules import PageFacts, analyse_page

HERE = Path(__file__).resolve().parent
AS_OF = date(2026, 12, 1)
USABLE = ("case_study", "thought_leadership")


@dataclass
class Entry:
    url: str
    kind: str
    industrial: bool
    title: str
    template: str = "plain"
    lang: str = "en"
    categories: list[str] = field(default_factory=list)
    date: str | None = None
    jsonld: str | None = None
    og: str | None = None
    author: str = ""
    sections: list[list[str]] = field(default_factory=list)  # [heading, text]; "" heading: a plain paragraph
    items: list[list[str]] = field(default_factory=list)  # listing pages: [path, title, date]
    links: list[list[str]] = field(default_factory=list)  # [path, anchor] in the content
    why: str = ""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _body(e: Entry) -> str:
    parts = []
    for heading, text in e.sections:
        if heading:
            parts.append(f"<h2>{_esc(heading)}</h2>")
        parts.append(f"<p>{_esc(text)}</p>")
    parts += [f'<p><a href="{_esc(path)}">{_esc(anchor)}</a></p>' for path, anchor in e.links]
    return "\n".join(parts)


def _cards(e: Entry, *, tag: str = "article") -> str:
    cards = []
    for path, title, when in e.items:
        stamp = f'<time datetime="{when}">{when}</time>' if when else ""
        cards.append(f'<{tag} class="card"><h3><a href="{_esc(path)}">{_esc(title)}</a></h3>{stamp}</{tag}>')
    return "\n".join(cards)


def _head(e: Entry) -> str:
    head = [f"<title>{_esc(e.title)}</title>", '<meta charset="utf-8">']
    if e.og:
        head.append(f'<meta property="og:type" content="{e.og}">')
    if e.date and e.og == "article":
        head.append(f'<meta property="article:published_time" content="{e.date}T08:00:00+00:00">')
    if e.jsonld:
        item: dict[str, Any] = {"@type": e.jsonld, "headline": e.title}
        if e.date:
            item["datePublished"] = e.date
        graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "site"}, item]}
        head.append(f'<script type="application/ld+json">{json.dumps(graph)}</script>')
    return "".join(head)


NAV = """<header class="site-header"><nav class="main-menu"><ul>
<li><a href="/">Home</a></li><li><a href="/services/">Services</a></li><li><a href="/industries/">Industries</a></li>
<li><a href="/case-studies/">Case studies</a></li><li><a href="/blog/">Blog</a></li>
<li><a href="/about-us/">About us</a></li><li><a href="/contact/">Contact</a></li></ul></nav></header>"""
FOOTER = """<footer class="site-footer"><p>© 2026 All rights reserved.</p><ul><li><a href="/privacy/">Privacy</a></li>
<li><a href="/imprint/">Imprint</a></li><li><a href="/careers/">Careers</a></li></ul></footer>"""
RELATED = """<aside class="related"><h3>Related posts</h3><ul>
<li><a href="/blog/cloud-cost-basics/">Cloud cost basics</a> <span>2026-02-02</span></li>
<li><a href="/blog/team-news/">Team news</a> <span>2026-01-12</span></li></ul></aside>"""


def _wordpress(e: Entry) -> str:
    """A WordPress post or page: <article>, a byline with <time>, a sidebar of recent posts."""
    byline = ""
    if e.date:
        by = f"By {_esc(e.author)} · " if e.author else ""
        byline = f'<p class="entry-meta">{by}<time class="entry-date" datetime="{e.date}">{e.date}</time></p>'
    return (
        f'{NAV}<main id="primary"><article class="post"><header class="entry-header"><h1>{_esc(e.title)}</h1>'
        f'{byline}</header><div class="entry-content">{_body(e)}</div></article>{RELATED}</main>{FOOTER}'
    )


def _hubspot(e: Entry) -> str:
    """A HubSpot-style blog: divs only, the date as text beside the author."""
    meta = f'<div class="blog-post__meta">{_esc(e.author or "Editorial team")} · {e.date}</div>' if e.date else ""
    return (
        f'{NAV}<div class="body-container"><div class="blog-post"><h1 class="blog-post__title">{_esc(e.title)}</h1>'
        f'{meta}<div class="blog-post__body">{_body(e)}</div></div></div>{FOOTER}'
    )


def _corporate(e: Entry) -> str:
    """A corporate CMS page (practice pages, case studies): sections of divs, no dates."""
    return (
        f'{NAV}<div id="content"><section class="hero"><h1>{_esc(e.title)}</h1></section>'
        f'<section class="content-block">{_body(e)}</section></div>{FOOTER}'
    )


def _nextjs(e: Entry) -> str:
    """A React site rendered on the server: the same page, with its data blob."""
    return f'{_corporate(e)}<script id="__NEXT_DATA__" type="application/json">{{"props":{{}}}}</script>'


def _index(e: Entry) -> str:
    """A listing page: cards of items, pagination."""
    return (
        f'{NAV}<main><h1>{_esc(e.title)}</h1>{_body(e)}<div class="cards">{_cards(e)}</div>'
        f'<nav class="pagination"><a rel="next" href="page/2/">Next</a></nav></main>{FOOTER}'
    )


def _plain(e: Entry) -> str:
    return f"{NAV}<main><h1>{_esc(e.title)}</h1>{_body(e)}</main>{FOOTER}"


TEMPLATES = {
    "wordpress": _wordpress,
    "hubspot": _hubspot,
    "corporate": _corporate,
    "nextjs": _nextjs,
    "index": _index,
    "plain": _plain,
}


def render(e: Entry) -> bytes:
    body = TEMPLATES[e.template](e)
    return f'<!doctype html><html lang="{e.lang}"><head>{_head(e)}</head><body>{body}</body></html>'.encode()


def load_corpus(folder: Path) -> list[Entry]:
    entries = []
    for path in sorted(folder.glob("*.toml")):
        for raw in tomllib.loads(path.read_text(encoding="utf-8"))["page"]:
            entries.append(Entry(**raw))
    return entries


def read(url: str, body: bytes) -> PageFacts:
    result = FetchResult(
        url=url, final_url=url, status=200, content_type="text/html", body=body, headers={"content-type": "text/html"}
    )
    return analyse_page(CrawledPage.from_fetch(result), AS_OF)


def usable(kind: str, industrial: bool) -> bool:
    return kind in USABLE and industrial


def judge_corpus(entries: list[Entry], show_misses: bool) -> None:
    kinds_agree = tp = fp = fn = 0
    usable_expected = usable_found = usable_false = 0
    confusion: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    for e in entries:
        f = read(e.url, render(e))
        industrial = f.industrial
        kinds_agree += f.kind == e.kind
        confusion[(e.kind, f.kind)] += 1
        if e.kind != "listing":  # an index is never evidence: whether it is "industrial" decides nothing
            tp += industrial and e.industrial
            fp += industrial and not e.industrial
            fn += e.industrial and not industrial
        expected, found = usable(e.kind, e.industrial), usable(f.kind, industrial)
        usable_expected += expected
        usable_found += expected and found and f.kind == e.kind
        usable_false += found and not expected
        if show_misses and (f.kind != e.kind or (industrial != e.industrial and e.kind != "listing")):
            print(f"  {e.url}\n    expected {e.kind}/{e.industrial}, got {f.kind}/{industrial} {f.kind_reasons[:3]}")
    ms = (time.perf_counter() - started) * 1000 / max(1, len(entries))
    n = len(entries)
    print(f"corpus: {n} pages ({sum(e.industrial for e in entries)} industrial) from {HERE / 'corpus'}")
    print("(industrial precision and recall leave out listing pages, which are never evidence)")
    print(f"kind agreement          {kinds_agree}/{n} = {kinds_agree / n:.3f}")
    print(f"industrial precision    {tp}/{tp + fp} = {tp / max(1, tp + fp):.3f}")
    print(f"industrial recall       {tp}/{tp + fn} = {tp / max(1, tp + fn):.3f}")
    print(f"usable-evidence recall  {usable_found}/{usable_expected} = {usable_found / max(1, usable_expected):.3f}")
    print(f"usable false positives  {usable_false} (pages taken as usable evidence that are not)")
    print(f"time                    {ms:.1f} ms/page (render, parse, analyse)")
    wrong = {pair: count for pair, count in confusion.items() if pair[0] != pair[1]}
    if wrong:
        print("kind confusions (expected -> got): " + ", ".join(f"{a}->{b} {c}" for (a, b), c in sorted(wrong.items())))


def judge_dates_dev(folder: Path, show_misses: bool) -> None:
    urls: dict[str, str] = json.loads((folder / "urls.json").read_text())
    kinds: Counter[str] = Counter()
    for name, url in sorted(urls.items()):
        f = read(url, (folder / "pages" / name).read_bytes())
        kinds[f.kind] += 1
        if show_misses and f.kind != "thought_leadership":
            print(f"  {url}: {f.kind} {f.kind_reasons[:2]}")
    n = sum(kinds.values())
    articles = kinds["thought_leadership"]
    print(f"dates-dev: {articles}/{n} articles recognised as articles = {articles / n:.3f} ({dict(kinds)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--dates", type=Path, default=HERE.parents[1] / "shared" / "dates-dev")
    parser.add_argument("--misses", action="store_true", help="list every page judged otherwise")
    args = parser.parse_args()
    judge_corpus(load_corpus(args.corpus), args.misses)
    if args.dates.is_dir():
        judge_dates_dev(args.dates, args.misses)
    else:
        print(f"dates-dev: skipped, no folder {args.dates}")


if __name__ == "__main__":
    main()
