"""A page's content digest changes with what the page says, not with its wrapping."""

from __future__ import annotations

from datetime import date

import pytest

from auditcrawl.crawler import CrawledPage, FetchResult
from auditcrawl.rules import analyse_page

BASE = (
    '<html><title>Case study: Contoso Motors</title><body><nav><a href="/?sid=1">Home</a></nav><main>'
    "<h1>Case study: Contoso Motors</h1><p>120 presses on AWS IoT SiteWise; downtime fell 30%.</p>"
    '<p><a href="/case-studies/?utm_source=mail">More stories</a></p><p>© 2025 Contoso</p></main>'
    "<footer>© 2018-2025 Acme Cloud. Built 2025-12-01.</footer></body></html>"
)


def digest(html: str) -> str | None:
    url = "https://p.com/case-studies/contoso/"
    result = FetchResult(url=url, final_url=url, status=200, content_type="text/html", body=html.encode())
    return analyse_page(CrawledPage.from_fetch(result), date(2026, 6, 1)).content_digest


@pytest.mark.parametrize(
    ("changed", "same"),
    [
        (BASE.replace("sid=1", "sid=8f3a9c"), True),  # a session id in a menu link
        (BASE.replace("utm_source=mail", "utm_source=newsletter"), True),  # a tracking parameter
        (BASE.replace("© 2018-2025 Acme Cloud. Built 2025-12-01.", "© 2018-2026 Acme Cloud. Built 2026-03-02."), True),
        (BASE.replace("© 2025 Contoso", "© 2026 Contoso"), True),  # a copyright year in the content itself
        (BASE.replace("<p>120 presses", "<p>\n  <b>120</b>   presses"), True),  # markup and spacing
        (BASE.replace("fell 30%", "fell 35%"), False),  # what the page says
        (BASE.replace("<title>Case study: Contoso Motors", "<title>Case study: Contoso Trucks"), False),
    ],
)
def test_the_digest_follows_the_content_not_its_wrapping(changed: str, same: bool) -> None:
    assert (digest(changed) == digest(BASE)) is same
