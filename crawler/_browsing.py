"""The browser's part in a crawl: rendering the pages whose HTML is not what a visitor sees (see
_render_policy), and trying a page a bot challenge answered once through the browser."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from auditcrawl.settings import CrawlSettings

from ._challenge import challenge_vendor
from ._outcome import CrawlOutcome
from ._page import CrawledPage
from ._parse import parse_html
from ._render import Renderer
from ._render_policy import SiteRenderMemory, render_reason
from ._responses import FetchResult

__all__ = ["Browsing"]


class Browsing:
    def __init__(self, settings: CrawlSettings, renderer: Renderer | None, outcome: CrawlOutcome) -> None:
        self.settings, self.renderer, self.outcome = settings, renderer, outcome
        self.memory = SiteRenderMemory()

    async def past_challenge(self, result: FetchResult) -> FetchResult:
        """A bot challenge answered: with rendering on auto, the browser tries the page once (some
        challenges let a browser through); else, or when it is challenged too, the fetch stays failed."""
        assert result.challenge is not None
        self.outcome.challenges[result.url] = result.challenge
        if self.settings.render != "auto" or self.renderer is None:
            return result
        rendered = await self.renderer.render(result.final_url, result.warc_record_id)
        html = rendered.html.encode("utf-8")
        if rendered.error or challenge_vendor(200, {}, html) is not None or not html.strip():
            return result
        del self.outcome.challenges[result.url]
        self.outcome.pages_rendered += 1
        passed = dataclasses.replace(result, status=200, error=None, challenge=None, body=html)
        passed.content_type = "text/html"
        return passed

    async def render_if_needed(self, page: CrawledPage) -> None:
        """Render the page when its static HTML is not what a visitor sees (see _render_policy)."""
        assert page.parsed is not None
        mode, host = self.settings.render, urlsplit(page.final_url).netloc
        need: str | None
        if mode == "always":
            need = "render=always"
        elif mode == "never":
            reason = render_reason(page.parsed, page.html)
            if reason:
                page.render_reason = f"looks built by scripts ({reason}) but rendering is off"
                self.outcome.unrendered.append(page.final_url)
            return
        else:
            site_mode = self.memory.mode(host)
            if site_mode == "static":
                return
            need = "the site's pages need a browser" if site_mode == "render" else render_reason(page.parsed, page.html)
            if site_mode == "check":
                self.memory.record(host, need is not None)
        if need is None:
            return
        if self.renderer is None:
            page.render_reason = f"needed a browser ({need}) but none is configured"
            self.outcome.render_failures.append(page.final_url)
            return
        result = await self.renderer.render(page.final_url, page.warc_record_id)
        if result.error:
            page.render_reason = f"needed a browser ({need}); kept as served: {result.error}"
            self.outcome.render_failures.append(page.final_url)
            self.outcome.browser_note = self.renderer.unavailable or result.error
            return
        page.html = result.html
        page.parsed = parse_html(result.html, page.final_url)
        page.rendered, page.render_reason = True, need
        self.outcome.pages_rendered += 1
