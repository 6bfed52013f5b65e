"""Date-extraction benchmark over ../shared/dates-dev (300 real pages with true publication dates).

Prints exact-date accuracy and milliseconds per page for auditcrawl's extraction and for
plain htmldate (fast and extensive, original_date=True) on the same pages. Not a test.

    .venv/bin/python bench/dates.py [--data ../shared/dates-dev]
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    print(f"{len(gold)} pages from {args.data}")
    print(f"{'method':<20} {'exact':>7} {'accuracy':>9} {'undated':>8} {'ms/page':>8}")
    for name, method in methods.items():
        exact = undated = 0
        _forget_seen_pages()
        started = time.perf_counter()
        for page_name, truth in gold.items():
            found = method(pages[page_name], urls[page_name])
            exact += found == truth
            undated += found is None
        elapsed = (time.perf_counter() - started) / len(gold) * 1000
        print(f"{name:<20} {exact:>7} {exact / len(gold):>9.3f} {undated:>8} {elapsed:>8.1f}")
    print(
        "(auditcrawl's crawler parses each page once for links, text and metadata: "
        f"{parse_ms:.1f} ms/page, not counted above)"
    )


if __name__ == "__main__":
    main()
