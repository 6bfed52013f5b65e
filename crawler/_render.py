"""A headless browser (Playwright driving Debian's Chromium) for pages built by JavaScript,
and for screenshots of the evidence.

Every request the browser makes is checked like the fetcher's own: scheme, scope,
robots.txt and destination safety, in a route handler; what fails is aborted.
A browser that is missing or crashes never sinks the run: `render` returns an error
and the caller keeps the page's static result.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditcrawl._exceptions import BodyTooLargeError
from auditcrawl.settings import CrawlSettings

from ._consent import clear_consent
from ._fetch import Fetcher
from ._safety import StaticResolver

__all__ = ["LAUNCH_ARGS", "RenderResult", "Renderer", "ResourceArchiving", "Shot"]

log = logging.getLogger(__name__)

# A root, headless, offline machine: no sandbox, no GPU, no background traffic to Google.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-quic",
]
_ASSETS = frozenset({"image", "media", "font"})
# Elements that open menus on click: tried a few times per page, each bounded.
_MENU_OPENERS = '[aria-haspopup="true"], [aria-expanded="false"], nav button, .menu-toggle, .dropdown-toggle'
MAX_MENU_CLICKS = 10
IDLE_WAIT_MS = 5000

# Why a request may not leave the browser: (request URL, URL of the page being rendered) -> reason or None
ScopeCheck = Callable[[str, str], str | None]


@dataclass
class Shot:
    """How an evidence screenshot went: an error, or what was done to show the content."""

    error: str | None = None
    consent: list[str] = field(default_factory=list)  # banners declined or hidden
    capped: str | None = None  # the page was longer than the cap: what the image holds


@dataclass
class RenderResult:
    url: str
    final_url: str
    html: str = ""
    error: str | None = None


class Renderer:
    """One browser per crawl, started on first use, a small pool of pages."""

    def __init__(self, settings: CrawlSettings, fetcher: Fetcher, scope_check: ScopeCheck, pages: int = 2) -> None:
        self.settings = settings
        self.fetcher = fetcher
        self.scope_check = scope_check
        self.unavailable: str | None = None
        self.blocked: list[tuple[str, str]] = []  # (URL, reason) of every request refused
        self.resources = ResourceArchiving(settings)
        self._slots = asyncio.Semaphore(pages)
        self._lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None

    async def _start(self) -> Any:
        async with self._lock:
            if self._browser is not None or self.unavailable:
                return self._browser
            args = list(LAUNCH_ARGS)
            resolver = self.fetcher.resolver
            if isinstance(resolver, StaticResolver) and resolver.table:
                # the browser must reach the same addresses the fetcher was told about
                rules = ", ".join(f"MAP {host} {ips[0]}" for host, ips in resolver.table.items())
                args.append(f"--host-resolver-rules={rules}")
            try:
                from playwright.async_api import async_playwright

                self._playwright = await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(
                    executable_path=self.settings.browser_path, headless=True, args=args, timeout=30_000
                )
            except Exception as exc:  # any launch failure means "no browser": the crawl goes on without one
                first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                self.unavailable = f"browser unavailable ({self.settings.browser_path}): {first_line[:200]}"
                log.warning("%s", self.unavailable)
                await self._stop_playwright()
            return self._browser

    async def _problem(self, url: str, page_url: str) -> str | None:
        if not url.startswith(("http://", "https://")):
            return None if url.startswith(("data:", "blob:", "about:")) else "not http(s)"
        reason = self.scope_check(url, page_url) or await self.fetcher.destination_problem(url)
        if reason:
            return reason
        rules = await self.fetcher.robots_rules(url)
        return None if rules.allowed(url, self.fetcher.token) else "robots.txt disallows it"

    async def _context(self, page_url: str, block_assets: bool, archive_for: str | None = None) -> Any:
        """A browser context whose every request is checked; with `archive_for` (the page's WARC record),
        what the page loads is fetched here, archived as that page's resources, and handed to the browser."""
        browser = await self._start()
        if browser is None:
            return None
        context = await browser.new_context(
            user_agent=self.settings.user_agent,
            service_workers="block",
            java_script_enabled=True,
            viewport={"width": 1366, "height": 900},
        )
        archiving = archive_for is not None and self.fetcher.archive is not None

        async def route(route: Any) -> None:
            request = route.request
            if block_assets and request.resource_type in _ASSETS:
                await route.abort("blockedbyclient")
                return
            reason = await self._problem(request.url, page_url)
            if reason:
                self.blocked.append((request.url, reason))
                await route.abort("blockedbyclient")
            elif archiving and request.method == "GET" and not request.is_navigation_request():
                await self._archived(route, request.url, archive_for)
            else:
                await route.continue_()  # the page itself: archived when the crawler fetched it

        await context.route("**/*", route)
        return context

    async def _archived(self, route: Any, url: str, page_record: str | None) -> None:
        """Fetch a resource through the fetcher (wire bytes to the WARC), then answer the browser with it."""
        cap = self.resources.room()
        if cap <= 0:
            await route.continue_()  # over the run's budget: loaded, not archived (noted once)
            return
        try:
            result = await self.fetcher.fetch_resource(url, refers_to=page_record, max_bytes=cap)
        except BodyTooLargeError:
            self.resources.too_large(url, cap)
            await route.continue_()
            return
        if result.status is None:
            await route.abort("failed")
            return
        self.resources.took(len(result.body))
        headers = {k: v for k, v in result.headers.items() if k in ("content-type", "location", "last-modified")}
        await route.fulfill(status=result.status, headers=headers, body=result.body)

    async def render(self, url: str, page_record: str | None = None) -> RenderResult:
        """The DOM after scripts ran and menus were opened; an error instead when there is no browser.
        With archive_resources "all", what the page loaded is archived as resources of `page_record`."""
        archive_all = self.settings.archive_resources == "all"
        async with self._slots:
            context = await self._context(
                url, block_assets=not archive_all, archive_for=page_record if archive_all else None
            )
            if context is None:
                return RenderResult(url, url, error=self.unavailable)
            try:
                page = await context.new_page()
                await page.goto(url, wait_until="domcontentloaded", timeout=self.settings.timeout * 1000)
                await self._settle(page)
                await self._open_menus(page)
                return RenderResult(url, page.url, await page.content())
            except Exception as exc:  # a crashed or hung browser: the page keeps its static result
                return RenderResult(
                    url,
                    url,
                    error=f"rendering failed: {_brief(exc)}",
                )
            finally:
                await _quietly(context.close())

    async def screenshot(self, url: str, path: Path, page_record: str | None = None) -> Shot:
        """A full-page PNG of the page as a visitor sees it (images on), consent banners declined or
        hidden, its height capped at `screenshot_max_height`. Unless archive_resources is "never",
        what the page loaded is archived as resources of `page_record`."""
        archive = self.settings.archive_resources != "never" and page_record is not None
        async with self._slots:
            context = await self._context(url, block_assets=False, archive_for=page_record if archive else None)
            if context is None:
                return Shot(error=self.unavailable)
            try:
                page = await context.new_page()
                await page.goto(url, wait_until="domcontentloaded", timeout=self.settings.timeout * 1000)
                await self._settle(page)
                shot = Shot(consent=await clear_consent(page))
                height = int(await page.evaluate("() => document.documentElement.scrollHeight"))
                cap, clip = self.settings.screenshot_max_height, None
                if height > cap:
                    clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": cap}
                    shot.capped = f"the first {cap} px of a {height} px page"
                path.parent.mkdir(parents=True, exist_ok=True)
                await page.screenshot(path=str(path), full_page=True, clip=clip, timeout=self.settings.timeout * 1000)
                return shot
            except Exception as exc:
                return Shot(error=f"screenshot failed: {_brief(exc)}")
            finally:
                await _quietly(context.close())

    @staticmethod
    async def _settle(page: Any) -> None:
        # A page that never goes idle is read as it stands after the wait.
        with contextlib.suppress(Exception):
            await page.wait_for_load_state("networkidle", timeout=IDLE_WAIT_MS)

    @staticmethod
    async def _open_menus(page: Any) -> None:
        """Menus that open on hover or click put their links in the DOM."""
        try:
            openers = await page.query_selector_all(_MENU_OPENERS)
        except Exception:
            return
        for element in openers[:MAX_MENU_CLICKS]:
            try:
                await element.hover(timeout=500)
                if await element.get_attribute("aria-expanded") == "false":
                    await element.click(timeout=500, no_wait_after=True)
            except Exception:
                continue
        with contextlib.suppress(Exception):
            await page.wait_for_load_state("networkidle", timeout=1000)

    async def close(self) -> None:
        if self._browser is not None:
            await _quietly(self._browser.close())
            self._browser = None
        await self._stop_playwright()

    async def _stop_playwright(self) -> None:
        if self._playwright is not None:
            await _quietly(self._playwright.stop())
            self._playwright = None


class ResourceArchiving:
    """The run's budget for archived page resources, and what did not fit (notes for the run)."""

    def __init__(self, settings: CrawlSettings) -> None:
        self.per_resource = settings.archive_resource_max_bytes
        self.per_run = settings.archive_resources_max_bytes
        self.archived = 0
        self.bytes = 0
        self.skipped: list[str] = []  # URLs loaded but not archived: larger than one resource may be
        self.budget_hit = False  # the run's budget could not take one more

    def room(self) -> int:
        """The largest resource that may be archived now (0: the run's budget is spent)."""
        left = self.per_run - self.bytes
        if left <= 0:
            self.budget_hit = True
        return max(0, min(self.per_resource, left))

    def took(self, size: int) -> None:
        self.archived += 1
        self.bytes += size

    def too_large(self, url: str, cap: int) -> None:
        """A resource over `cap` was loaded, not archived: over the per-resource cap, or over what was left."""
        if cap < self.per_resource:
            self.budget_hit = True
        else:
            self.skipped.append(url)

    def notes(self) -> list[str]:
        notes = []
        if self.skipped:
            notes.append(
                f"archive: {len(self.skipped)} page resource(s) over {self.per_resource} bytes loaded, not archived"
                f" (first: {self.skipped[0]})"
            )
        if self.budget_hit:
            notes.append("archive: the run's budget for page resources was spent; later ones were not archived")
        return notes


def _brief(exc: Exception) -> str:
    """A browser error on one line: Playwright's messages run to many lines of call log."""
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {first}"


async def _quietly(closing: Awaitable[Any]) -> None:
    """Shutting a browser part down: one that already died cannot be closed again, and that must not fail the run."""
    with contextlib.suppress(Exception):
        await closing
