"""Evidence screenshots an auditor can file, in real Chromium: each common consent manager's banner
declined (never accepted) or hidden, the page's content in the picture; a very long page capped."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from auditcrawl.crawler import AddressPolicy, Fetcher, Network, Renderer, Shot
from auditcrawl.siteserver import Page

from .conftest import make_settings
from .consent_pages import BANNER_COLOUR, CONSENT_PAGES, CONTENT_COLOUR

pytestmark = pytest.mark.integration


async def _screenshot(url: str, path: Path, tmp_path: Path) -> Shot:
    settings = make_settings(f"sqlite:///{tmp_path}/s.db")
    async with Fetcher(settings.crawl, Network(policy=AddressPolicy(allow_private=True))) as fetcher:
        renderer = Renderer(settings.crawl, fetcher, lambda url, page: None)
        try:
            return await renderer.screenshot(url, path)
        finally:
            await renderer.close()


def _share(path: Path, colour: tuple[int, int, int]) -> float:
    data = Image.open(path).convert("RGB").tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    return sum(1 for p in pixels if all(abs(a - b) < 12 for a, b in zip(p, colour, strict=True))) / len(pixels)


@pytest.mark.parametrize("manager", list(CONSENT_PAGES))
async def test_the_screenshot_shows_the_content_not_the_banner(serve: Any, tmp_path: Path, manager: str) -> None:
    page, declinable = CONSENT_PAGES[manager]
    server = serve({"/": page, "/consent/accept": Page("ok"), "/consent/decline": Page("ok")})
    path = tmp_path / "shot.png"
    shot = await _screenshot(server.url("/"), path, tmp_path)
    assert shot.error is None, shot.error
    assert _share(path, BANNER_COLOUR) == 0, f"{manager}: the banner is in the screenshot"
    assert _share(path, CONTENT_COLOUR) > 0.3
    for _ in range(50):  # bounded: the decline call is sent as the banner goes
        if not declinable or any(p == "/consent/decline" for _h, p, _a in server.requests):
            break
        time.sleep(0.05)
    paths = [p for _host, p, _agent in server.requests]
    assert "/consent/accept" not in paths, f"{manager}: tracking was accepted"
    if declinable:
        assert "/consent/decline" in paths and shot.consent == [f"declined the {manager} consent banner"]
    else:
        assert shot.consent and shot.consent[0].startswith("hid ")


async def test_a_very_long_page_is_capped_and_says_so(serve: Any, tmp_path: Path) -> None:
    tall = Page(
        '<!doctype html><body style="margin:0"><div style="height:30000px;background:#00aa55">Long</div></body>'
    )
    server = serve({"/": tall})
    path = tmp_path / "tall.png"
    shot = await _screenshot(server.url("/"), path, tmp_path)
    assert shot.error is None and shot.capped == "the first 12000 px of a 30000 px page"
    assert Image.open(path).size[1] == 12000
