"""Pages with a consent banner of each common consent manager, written for the tests: each banner
uses its manager's element ids and classes, is a magenta block fixed over the page, and reports a
click on its buttons to the server (/consent/accept or /consent/decline)."""

from __future__ import annotations

from auditcrawl.siteserver import Page

BANNER_COLOUR = (255, 0, 255)
CONTENT_COLOUR = (0, 170, 85)
_BOX = "position:fixed;left:0;right:0;bottom:0;height:60vh;background:#ff00ff;z-index:9999;"
_SAY = "fetch('/consent/{choice}');"
_GONE = "document.querySelectorAll('[data-banner]').forEach(e => e.remove());"


def _button(attributes: str, text: str, choice: str) -> str:
    action = _SAY.format(choice=choice) + (_GONE if choice == "decline" else "")
    return f'<button {attributes} onclick="{action}">{text}</button>'


def _page(banner: str, script: str = "") -> Page:
    return Page(
        f"""<!doctype html><html><head><title>Predictive maintenance on AWS</title></head><body style="margin:0">
        <main><h1>Predictive maintenance on AWS</h1>
        <div style="height:900px;background:#00aa55">Sensor data from the press line flows to AWS IoT SiteWise.</div>
        </main>{banner}<script>{script}</script></body></html>"""
    )


def _plain(outer: str, inner_accept: str, inner_decline: str | None) -> str:
    decline = _button(inner_decline, "Reject all", "decline") if inner_decline else ""
    return (
        f'<div {outer} data-banner style="{_BOX}"><p>We use cookies to improve your visit.</p>'
        f"{_button(inner_accept, 'Accept all', 'accept')}{decline}</div>"
    )


# The managers by name: the page, and whether the banner offers a way to decline.
CONSENT_PAGES: dict[str, tuple[Page, bool]] = {
    "OneTrust": (
        _page(
            _plain('id="onetrust-banner-sdk"', 'id="onetrust-accept-btn-handler"', 'id="onetrust-reject-all-handler"')
        ),
        True,
    ),
    "Cookiebot": (
        _page(
            _plain(
                'id="CybotCookiebotDialog"',
                'id="CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll"',
                'id="CybotCookiebotDialogBodyButtonDecline"',
            )
        ),
        True,
    ),
    "Usercentrics": (
        _page(
            '<div id="usercentrics-root" data-banner></div>',
            f"""const root = document.getElementById('usercentrics-root').attachShadow({{mode: 'open'}});
            root.innerHTML = `<div id="uc-banner" style="{_BOX}"><p>Privacy settings</p>
              <button data-testid="uc-accept-all-button" onclick="fetch('/consent/accept')">Accept all</button>
              <button data-testid="uc-deny-all-button"
                onclick="fetch('/consent/decline'); document.getElementById('usercentrics-root').remove()">Deny</button>
            </div>`;""",
        ),
        True,
    ),
    "Didomi": (
        _page(
            '<div id="didomi-host" data-banner><div id="didomi-notice" style="'
            + _BOX
            + '"><p>With your agreement, we and our partners use cookies.</p>'
            + _button('id="didomi-notice-agree-button"', "Agree and close", "accept")
            + _button('id="didomi-notice-disagree-button"', "Disagree", "decline")
            + "</div></div>"
        ),
        True,
    ),
    "HubSpot": (_page(_plain('id="hs-eu-cookie-confirmation"', 'id="hs-eu-confirmation-button"', None)), False),
    "CookieYes": (
        _page(
            _plain('class="cky-consent-container"', 'class="cky-btn cky-btn-accept"', 'class="cky-btn cky-btn-reject"')
        ),
        True,
    ),
    "Complianz": (
        _page(
            _plain(
                'id="cmplz-cookiebanner-container"', 'class="cmplz-btn cmplz-accept"', 'class="cmplz-btn cmplz-deny"'
            )
        ),
        True,
    ),
    "Quantcast": (
        _page(
            f'<div class="qc-cmp2-container" data-banner style="{_BOX}"><p>We value your privacy</p>'
            '<div class="qc-cmp2-summary-buttons">'
            + _button('mode="secondary"', "Disagree", "decline")
            + _button('mode="primary"', "Agree", "accept")
            + "</div></div>"
        ),
        True,
    ),
    "a fixed overlay": (
        _page(f'<div class="site-notice" style="{_BOX}"><p>This site uses cookies. <a href="#">OK</a></p></div>'),
        False,
    ),
}
