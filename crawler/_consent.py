"""Consent banners out of the way before an evidence screenshot, by declining, never by accepting.

The common consent managers are recognised by their own markup; a banner is dismissed with the
manager's "reject" / "decline" / "deny" control when it has one, and hidden when it has none (or
the click does not close it). A fixed overlay that speaks of cookies or consent and covers much of
the page is hidden too. What was done is reported for the evidence record.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

__all__ = ["CONSENT_MANAGERS", "clear_consent"]


@dataclass(frozen=True)
class ConsentManager:
    name: str
    banner: str  # CSS selector of its banner (Playwright's CSS reaches into open shadow roots)
    decline: tuple[str, ...]  # its decline controls, most specific first


CONSENT_MANAGERS = (
    ConsentManager("OneTrust", "#onetrust-banner-sdk, .onetrust-pc-dark-filter", ("#onetrust-reject-all-handler",)),
    ConsentManager(
        "Cookiebot",
        "#CybotCookiebotDialog",
        ("#CybotCookiebotDialogBodyButtonDecline", "#CybotCookiebotDialogBodyLevelButtonLevelOptinDeclineAll"),
    ),
    ConsentManager("Usercentrics", "#usercentrics-root, #uc-banner", ('[data-testid="uc-deny-all-button"]',)),
    ConsentManager("Didomi", "#didomi-host, #didomi-notice", ("#didomi-notice-disagree-button",)),
    ConsentManager("HubSpot", "#hs-eu-cookie-confirmation", ("#hs-eu-decline-button",)),
    ConsentManager("CookieYes", ".cky-consent-container", (".cky-btn-reject",)),
    ConsentManager("Complianz", "#cmplz-cookiebanner-container, .cmplz-cookiebanner", (".cmplz-btn.cmplz-deny",)),
    ConsentManager(
        "Quantcast", ".qc-cmp2-container", ('.qc-cmp2-summary-buttons button:has-text("Disagree")', ".qc-cmp2-reject")
    ),
)

# Fixed or sticky elements that speak of cookies or consent and cover a fifth of the viewport or more.
_OVERLAYS = """() => {
  const words = /cookie|consent|gdpr|privacy|datenschutz|cookies/i;
  const area = window.innerWidth * window.innerHeight;
  const hidden = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.position !== 'fixed' && style.position !== 'sticky') continue;
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width * box.height < area / 5 || !words.test(el.innerText || '')) continue;
    el.style.setProperty('display', 'none', 'important');
    hidden.push(el.id || el.className || el.tagName);
  }
  for (const el of [document.documentElement, document.body]) el.style.setProperty('overflow', 'visible', 'important');
  return hidden.length;
}"""

_HIDE = "(els) => { for (const el of els) el.style.setProperty('display', 'none', 'important'); }"


async def _visible(page: Any, selector: str) -> bool:
    """Whether any element the selector matches is shown (a shadow host may be empty, its banner not)."""
    with contextlib.suppress(Exception):
        for element in (await page.locator(selector).all())[:5]:
            if await element.is_visible():
                return True
    return False


async def _click_visible(page: Any, selector: str, timeout_ms: int) -> bool:
    with contextlib.suppress(Exception):
        for element in (await page.locator(selector).all())[:5]:
            if await element.is_visible():
                await element.click(timeout=timeout_ms)
                return True
    return False


async def clear_consent(page: Any, timeout_ms: int = 3000) -> list[str]:
    """Dismiss or hide the consent banners on the page; what was done, for the evidence record."""
    done: list[str] = []
    for manager in CONSENT_MANAGERS:
        if not await _visible(page, manager.banner):
            continue
        declined = False
        for control in manager.decline:
            if await _click_visible(page, control, timeout_ms):
                declined = True
                break
        if declined:
            for _ in range(10):  # bounded: a banner fades out in well under a second
                if not await _visible(page, manager.banner):
                    break
                await page.wait_for_timeout(timeout_ms // 10)
        if declined and not await _visible(page, manager.banner):
            done.append(f"declined the {manager.name} consent banner")
            continue
        with contextlib.suppress(Exception):
            await page.locator(manager.banner).evaluate_all(_HIDE)
        done.append(f"hid the {manager.name} consent banner (it could not be declined)")
    with contextlib.suppress(Exception):
        overlays = int(await page.evaluate(_OVERLAYS))
        if overlays:
            done.append(f"hid {overlays} fixed overlay(s) about cookies or consent")
    return done
