"""Bot challenges: a bot-management service answering instead of the site ("Just a moment...", a
captcha, "Access Denied, Reference #"). Such a response is never the page's content: the fetch
fails with the vendor's name, so the checks treat the page as unread and say who answered.

A vendor is named from the markers its challenge page carries, with a challenge status (403, 429,
503) or, for a short 200 interstitial, with the vendor's own response headers; a few headers name a
challenge outright. A page that merely mentions a vendor is not one: the same services serve
ordinary pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["CHALLENGE_STATUSES", "challenge_vendor"]

CHALLENGE_STATUSES = frozenset({403, 429, 503})
_SNIFF = 65_536  # challenge pages are small; a page of content is read no further than this


@dataclass(frozen=True)
class _Vendor:
    name: str
    headers: tuple[tuple[str, str], ...]  # (header, value fragment; "" for any value): the vendor's edge
    strong_headers: tuple[tuple[str, str], ...]  # a challenge whatever the status
    markers: tuple[str, ...]  # in the body (lower case)
    edge_markers: tuple[str, ...] = ()  # generic words that count only with the vendor's headers


_VENDORS = (
    _Vendor(
        "Cloudflare",
        (("server", "cloudflare"), ("cf-ray", "")),
        (("cf-mitigated", "challenge"),),
        ("just a moment...", "cf-browser-verification", "challenge-platform", "cf_chl_opt", "cf-challenge"),
    ),
    _Vendor(
        "Akamai",
        (("server", "akamaighost"), ("x-akamai-transformed", "")),
        (),
        ("reference&#32;&#35;", "errors.edgesuite.net", "sec-if-cpt-container", "_abck", "akamai bot manager"),
        ("access denied",),
    ),
    _Vendor(
        "Imperva",
        (("x-iinfo", ""), ("x-cdn", "imperva"), ("x-cdn", "incapsula")),
        (),
        ("incapsula incident id", "_incapsula_resource", "imperva"),
    ),
    _Vendor(
        "DataDome",
        (("x-datadome", ""), ("x-dd-b", "")),
        (("x-datadome-cid", ""),),
        ("captcha-delivery.com", "datadome"),
    ),
    _Vendor(
        "PerimeterX",
        (("x-px-blocked", ""),),
        (),
        ("px-captcha", "_pxappid", "perimeterx", "press &amp; hold", "press & hold"),
    ),
    _Vendor(
        "AWS WAF",
        (("x-amzn-waf-action", ""),),
        (("x-amzn-waf-action", "challenge"), ("x-amzn-waf-action", "captcha")),
        ("awswafcookiedomainlist",),
    ),
    _Vendor("Sucuri", (("x-sucuri-id", ""), ("server", "sucuri")), (), ("sucuri website firewall",)),
    _Vendor("DDoS-Guard", (("server", "ddos-guard"),), (), ("ddos-guard",)),
)


def _has(headers: Mapping[str, str], pairs: tuple[tuple[str, str], ...]) -> bool:
    return any(name in headers and fragment in str(headers[name]).lower() for name, fragment in pairs)


def challenge_vendor(status: int | None, headers: Mapping[str, str], body: bytes) -> str | None:
    """The bot-management service whose challenge this response is, or None for the site's own answer.
    `headers`: the response's headers (names in lower case, or a case-insensitive mapping)."""
    for vendor in _VENDORS:
        if _has(headers, vendor.strong_headers):
            return vendor.name
    if status not in CHALLENGE_STATUSES and not (status == 200 and len(body) < _SNIFF // 4):
        return None  # a page of content (a long 200) is not a challenge, whatever it mentions
    text = body[:_SNIFF].decode("utf-8", "replace").lower()
    for vendor in _VENDORS:
        edge = _has(headers, vendor.headers)
        marked = any(m in text for m in vendor.markers) or (edge and any(m in text for m in vendor.edge_markers))
        if marked and (status in CHALLENGE_STATUSES or edge):
            return vendor.name
    return None
