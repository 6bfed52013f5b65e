"""When is a page's static HTML not what a visitor sees? Cheapest signals first.

The decision is learned per site: once a site's pages are known to need a browser,
its pages are rendered from the start; once they are known to be static, checking stops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._parse import ParsedPage

__all__ = ["SiteRenderMemory", "render_reason"]

_EMPTY_ROOT = re.compile(
    r"<(?:div|main|section)[^>]*\bid=[\"'](?:app|root|__next|__nuxt|___gatsby|svelte|main-app)[\"'][^>]*>\s*</(?:div|main|section)>",
    re.I,
)
_NEEDS_JS = re.compile(
    r"javascript|enable js|requires js|aktivieren sie javascript|activer javascript|javascript を有効", re.I
)
MIN_WORDS = 40
STATIC_AFTER = 5  # pages in a row that were fine as served: stop checking the site
RENDER_AFTER = 2  # pages that needed a browser: render the site's pages from the start


def render_reason(page: ParsedPage, html: str) -> str | None:
    """Why the page needs a browser, or None when its HTML is enough."""
    if page.is_pdf:
        return None
    if _EMPTY_ROOT.search(html):
        return "empty application root: content is built by scripts"
    if page.has_app_data and len(page.links) < 3:
        return "framework page data with almost no links"
    if page.noscript_text and _NEEDS_JS.search(page.noscript_text) and page.word_count < 150:
        return "page asks for JavaScript"
    if page.script_count and page.word_count < MIN_WORDS and len(page.links) < 5:
        return f"{page.word_count} words and {len(page.links)} links without scripts"
    nav_links = sum(1 for link in page.links if link.region in ("nav", "header"))
    if page.nav_count and nav_links == 0 and page.script_count:
        return "navigation without links: menu built by scripts"
    return None


@dataclass
class _Site:
    needed: int = 0
    static_in_a_row: int = 0
    mode: str = "check"  # check | render | static


@dataclass
class SiteRenderMemory:
    """Per-host knowledge: render everything, check each page, or trust the HTML."""

    sites: dict[str, _Site] = field(default_factory=dict)

    def mode(self, host: str) -> str:
        return self.sites.setdefault(host, _Site()).mode

    def record(self, host: str, needed: bool) -> None:
        site = self.sites.setdefault(host, _Site())
        if needed:
            site.needed += 1
            site.static_in_a_row = 0
            if site.needed >= RENDER_AFTER:
                site.mode = "render"
        elif site.mode == "check":
            site.static_in_a_row += 1
            if site.static_in_a_row >= STATIC_AFTER:
                site.mode = "static"
