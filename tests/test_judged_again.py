"""A finished run judged again from storage, with no decision, gives the verdicts the crawl gave:
what `decide` recomputes rests on the same facts, links, coverage and limits as the crawl."""

from __future__ import annotations

from typing import Any

import pytest

from auditcrawl.rules import CHECK_IDS, Claims, Decisions
from auditcrawl.storage import Store

from .conftest import make_settings
from .sites import classic_site, text, without_links_to
from .test_decisions import WEBINAR_PATH, webinar_site


def _shapes(url: Any) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    unlinked = without_links_to(classic_site(), "/industries/manufacturing/")
    unlinked["/sitemap.xml"] = text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{url('/industries/manufacturing/')}</loc></url></urlset>",
        content_type="application/xml",
    )
    home_down = classic_site()
    home_down["/"] = text("busy", status=503)
    claims = Claims(
        landing_page=url("/industries/manufacturing/"),
        case_studies=[url("/case-studies/contoso-predictive-maintenance/"), url("/case-studies/woodgrove-bank/")],
        thought_leadership=[url(WEBINAR_PATH)],
    )
    return {
        "met": (classic_site(), {}),
        "undated webinar": (webinar_site(), {}),
        "practice page only in the sitemap": (unlinked, {}),
        "page limit": (classic_site(), {"max_pages": 4}),
        "home page down": (home_down, {}),
        "claims": (webinar_site(), {"claims": claims}),
    }


@pytest.mark.parametrize(
    "shape",
    ["met", "undated webinar", "practice page only in the sitemap", "page limit", "home page down", "claims"],
)
async def test_a_stored_run_judged_again_gives_the_crawls_verdicts(serve: Any, audit: Any, shape: str) -> None:
    from auditcrawl.review import load_run

    server = serve({})
    routes, options = _shapes(server.url)[shape]
    server.set_routes(routes)
    result = await audit(server.url("/"), **options)
    async with Store(result.db) as store:
        stored = await load_run(store, result.report.run_id, make_settings(result.db))
        judgment = stored.judge(Decisions())
    for check_id in CHECK_IDS:
        crawl, again = result.report.checks[check_id], judgment.final[check_id]
        assert (again.status, again.summary, again.reasons) == (crawl.status, crawl.summary, crawl.reasons), check_id
        assert [e.url for e in again.evidence] == [e.url for e in crawl.evidence]
        assert [(e.url, e.reasons) for e in again.rejected] == [(e.url, e.reasons) for e in crawl.rejected]
