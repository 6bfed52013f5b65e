"""Bot challenges: told apart from the site's own answers (table-driven), and on a loopback site never
judged as content: the run names who answered and the checks that depend on the page say so."""

from __future__ import annotations

from typing import Any

import pytest

from auditcrawl.crawler._challenge import challenge_vendor

from .challenges import CHALLENGES
from .sites import classic_site

POST = b"<html><body><article><h1>Why we moved our CDN to Cloudflare</h1>" + b"<p>Edge caching for OPC UA.</p>" * 700


def _body(p: Any) -> bytes:
    return p.body.encode() if isinstance(p.body, str) else p.body


@pytest.mark.parametrize(
    ("status", "headers", "body", "vendor"),
    [
        *[(p.status, {k.lower(): v for k, v in p.headers.items()}, _body(p), name) for name, p in CHALLENGES.items()],
        (403, {"cf-mitigated": "challenge"}, b"", "Cloudflare"),
        (405, {"x-amzn-waf-action": "captcha"}, b"", "AWS WAF"),
        (403, {"server": "nginx"}, b"<html><h1>403 Forbidden</h1></html>", None),
        (503, {"server": "cloudflare"}, b"<html><h1>Down for maintenance</h1></html>", None),
        (200, {"server": "cloudflare", "cf-ray": "1-FRA"}, POST, None),  # a page served through Cloudflare
        (200, {}, b"<html><p>We use Imperva and DataDome.</p></html>", None),  # mentions, no edge headers
        (404, {"server": "AkamaiGHost"}, b"<html>Access Denied</html>", None),
    ],
)
def test_a_challenge_is_told_from_the_sites_own_answer(
    status: int, headers: dict[str, str], body: bytes, vendor: str | None
) -> None:
    assert challenge_vendor(status, headers, body) == vendor


@pytest.mark.parametrize("vendor", list(CHALLENGES))
async def test_a_challenged_home_page_leaves_every_check_undecided_naming_the_vendor(
    serve: Any, audit: Any, vendor: str
) -> None:
    server = serve(classic_site(**{"/": CHALLENGES[vendor]}))
    result = await audit(server.url("/"), render="never")
    assert result.statuses() == ("needs_review", "needs_review", "needs_review")
    for check in result.document["checks"].values():
        assert f"bot challenge: {vendor}" in check["reasons"][0]
    assert any(n.startswith("a bot challenge answered") and vendor in n for n in result.document["run"]["notes"])
    # asked once: a challenge is not retried
    assert sum(1 for _host, path, _ in server.requests if path == "/") == 1


async def test_a_challenged_case_study_is_unread_not_judged(serve: Any, audit: Any) -> None:
    routes = classic_site(**{"/case-studies/fabrikam-plm/": CHALLENGES["PerimeterX"]})
    server = serve(routes)
    result = await audit(server.url("/"), render="never")
    fabrikam = server.url("/case-studies/fabrikam-plm/")
    assert result.status("2.2") == "needs_review"
    assert any(fabrikam in r and "bot challenge: PerimeterX" in r for r in result.document["checks"]["2.2"]["reasons"])
    assert result.status("3.1") in ("met", "needs_review") and result.status("3.2") == "met"
    judged = [e["url"] for c in result.document["checks"].values() for e in c["evidence"] + c["rejected"]]
    assert fabrikam not in judged  # its challenge page was never taken for content


async def test_with_rendering_on_auto_the_browser_tries_a_challenged_page_once(serve: Any, audit: Any) -> None:
    """A challenge the browser gets through: the crawler's request meets it, the browser's passes."""
    routes = classic_site()
    path = "/case-studies/fabrikam-plm/"
    asked: list[str] = []

    def resolver(host: str, target: str) -> Any:
        if target.split("?")[0] == path:
            asked.append(target)
            return CHALLENGES["Cloudflare"] if len(asked) == 1 else routes[path]
        return routes.get(target.split("?")[0])

    server = serve({})
    server.set_routes(resolver)
    result = await audit(server.url("/"), render="auto")
    fabrikam = server.url(path)
    assert len(asked) >= 2  # the crawler's request, then the browser's
    assert result.status("2.2") == "met" and fabrikam in result.evidence_urls("2.2")
    assert not any(n.startswith("a bot challenge answered") for n in result.document["run"]["notes"])

    asked.clear()
    never = await audit(server.url("/"), render="never")  # without a browser the challenge stands
    assert len(asked) == 1 and fabrikam not in never.evidence_urls("2.2")
