"""Date-extraction benchmark over ../shared/dates-dev (300 real pages with true publication dates).

Prints exact-date accuracy, CPU milliseconds per page (median of interleaved rounds) for auditcrawl's extraction and for
plain htmldate (fast and extensive, original_date=True) on the same pages. Not a test.

    .venv/bin/python bench/dates.py [--data ../shared/dates-dev]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from htmldate import find_date

from auditcrawl.crawler import ParsedPage, decode_html, parse_html
from auditcrawl.rules import detect_language, load_vocabulary, publication_date

AS_OF = date(2030, 1, 1)  # after every page of the set: the audit date must not cut anything off


def _auditcrawl(parsed: dict[str, ParsedPage]) -> Callable[[str, str], str | None]:
    """The date step on a page the crawler has already parsed (it parses every page once, for everything)."""

    def run(html: str, url: str) -> str | None:
        page = parsed[url]
        found = publication_date(html, url, page, load_vocabulary(detect_language(page.lang, page.text)), AS_OF)
        return found.published.isoformat() if found else None

    return run


def _htmldate(extensive: bool) -> Callable[[str, str], str | None]:
    def run(html: str, url: str) -> str | None:
        try:
            return find_date(html, url=url, original_date=True, extensive_search=extensive)
        except Exception:
            return None

    return run


def _forget_seen_pages() -> None:
    """Empty htmldate's caches keyed by the text it has seen (not its set-up caches), so that no
    method is timed on dates an earlier one already worked out: a crawler meets each page once."""
    import htmldate.core
    import htmldate.extractors
    import htmldate.meta
    import htmldate.validators

    for module in (htmldate.core, htmldate.extractors, htmldate.meta, htmldate.validators):
        for name in ("try_date_expr", "filter_ymd_candidate", "is_valid_format", "_parse_and_validate"):
            cached = getattr(module, name, None)
            if cached is not None and hasattr(cached, "cache_clear"):
                cached.cache_clear()


def found_by_htmldate(found: dict[str, dict[str, str | None]], page_name: str) -> set[str | None]:
    return {found[name][page_name] for name in found if name.startswith("htmldate")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per method (the median is printed)")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "dates-dev")
    args = parser.parse_args()
    gold: dict[str, str] = json.loads((args.data / "gold.json").read_text())
    urls: dict[str, str] = json.loads((args.data / "urls.json").read_text())
    pages = {name: decode_html((args.data / "pages" / name).read_bytes()) for name in gold}
    load_vocabulary("*")
    for code in ("en", "de", "fr", "es", "it", "ja"):
        load_vocabulary(code)  # compiled once, outside the timing
    started = time.perf_counter()
    parsed = {urls[name]: parse_html(html, urls[name]) for name, html in pages.items()}
    parse_ms = (time.perf_counter() - started) / len(pages) * 1000
    methods: dict[str, Callable[[str, str], str | None]] = {
        "auditcrawl": _auditcrawl(parsed),
        "htmldate fast": _htmldate(False),
        "htmldate extensive": _htmldate(True),
    }
    for method in methods.values():  # imports and caches warm up outside the timing, for every method alike
        for page_name in list(gold)[:30]:
            method(pages[page_name], urls[page_name])
    print(f"{len(gold)} pages from {args.data}, {args.rounds} timed rounds (median CPU time)")
    print(f"{'method':<20} {'exact':>7} {'accuracy':>9} {'undated':>8} {'ms/page':>8}")
    # Rounds interleave the methods, and CPU time is the measure: on a shared machine one pass of
    # each, timed by the wall clock, ranks them by what else was running.
    timings: dict[str, list[float]] = {name: [] for name in methods}
    found: dict[str, dict[str, str | None]] = {}
    for _ in range(args.rounds):
        for name, method in methods.items():
            _forget_seen_pages()
            started = time.process_time()
            found[name] = {page_name: method(pages[page_name], urls[page_name]) for page_name in gold}
            timings[name].append((time.process_time() - started) / len(gold) * 1000)
    for name in methods:
        exact = sum(found[name][page_name] == truth for page_name, truth in gold.items())
        undated = sum(value is None for value in found[name].values())
        ms = statistics.median(timings[name])
        print(f"{name:<20} {exact:>7} {exact / len(gold):>9.3f} {undated:>8} {ms:>8.1f}")
    lost = [p for p, truth in gold.items() if found["auditcrawl"][p] != truth and truth in found_by_htmldate(found, p)]
    print(
        f"pages htmldate dates right and auditcrawl does not: {len(lost)}" + (f" ({', '.join(lost)})" if lost else "")
    )
    print(
        "(auditcrawl's crawler parses each page once for links, text and metadata: "
        f"{parse_ms:.1f} ms/page, not counted above)"
    )


if __name__ == "__main__":
    main()
