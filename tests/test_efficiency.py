"""Best-first ordering and early stop on a large site: verdicts settle long before the site is covered."""

from __future__ import annotations

from typing import Any

from auditcrawl.siteserver import Page

from . import sites
from .sites import page

PRODUCTS_PER_CATALOG = 100
CATALOGS = 30  # 3,000 product pages


def large_site(host: str, target: str) -> Page | None:
    """3,000+ pages: a product catalog, and evidence two or three clicks from home."""
    path = target.split("?", 1)[0]
    nav = """<header><nav><a href="/">Home</a> <a href="/catalog/1/">Products</a> <a href="/company/">Company</a>
    <a href="/resources/">Resources</a></nav></header>"""
    if path == "/":
        catalog_links = " ".join(f'<a href="/catalog/{i}/">Catalog {i}</a>' for i in range(1, CATALOGS + 1))
        return page("Acme Cloud", f"<h1>Acme Cloud</h1><p>Cloud services.</p>{catalog_links}", nav=nav)
    if path.startswith("/catalog/"):
        n = int(path.split("/")[2])
        items = " ".join(f'<a href="/products/{n}-{j}/">Product {n}-{j}</a>' for j in range(PRODUCTS_PER_CATALOG))
        return page(f"Catalog {n}", f"<h1>Catalog {n}</h1>{items}", nav=nav)
    if path.startswith("/products/"):
        return page(f"Product {path}", f"<h1>Product</h1><p>A product page {path}.</p>", nav=nav)
    if path == "/company/":
        return page("Company", '<h1>Company</h1><a href="/company/industries/">Industries we serve</a>', nav=nav)
    if path == "/company/industries/":
        return page("Industries", '<h1>Industries</h1><a href="/industries/manufacturing/">Manufacturing</a>', nav=nav)
    if path == "/resources/":
        return page(
            "Resources",
            '<h1>Resources</h1><a href="/case-studies/">Case studies</a> <a href="/blog/">Blog</a>',
            nav=nav,
        )
    evidence = {
        "/industries/manufacturing/": sites.LANDING,
        "/case-studies/": sites.CS_INDEX,
        "/case-studies/contoso-predictive-maintenance/": sites.CS_CONTOSO,
        "/case-studies/fabrikam-plm/": sites.CS_FABRIKAM,
        "/case-studies/woodgrove-bank/": sites.CS_WOODGROVE,
        "/blog/": sites.BLOG_INDEX,
        "/blog/digital-twins-on-aws/": sites.POST_TWINS,
        "/blog/opc-ua-edge/": sites.POST_OPCUA,
        "/blog/cost-optimisation-tips/": sites.POST_COST,
        "/robots.txt": sites.ROBOTS_OPEN,
    }
    return evidence.get(path)


async def test_verdicts_settle_within_a_fifth_of_a_large_site(serve: Any, audit: Any) -> None:
    server = serve(large_site)
    site_pages = 1 + CATALOGS + CATALOGS * PRODUCTS_PER_CATALOG + 12
    result = await audit(server.url("/"), max_pages=4000, concurrency=8)
    assert result.statuses() == ("met", "met", "met")
    fetched = result.document["run"]["pages_fetched"]
    share = fetched / site_pages
    print(f"verdicts settled after {fetched} of {site_pages} pages ({share:.1%})")
    assert share <= 0.2
    notes = " ".join(result.document["run"]["notes"])
    assert f"stopped early: all checks met after {fetched} pages" in notes
    assert result.document["run"]["status"] == "complete"
    landing = result.document["checks"]["3.1"]["evidence"][0]
    assert landing["clicks"] == 3  # home > company > industries > manufacturing


async def test_full_visits_everything_it_is_allowed_to(serve: Any, audit: Any) -> None:
    server = serve(sites.classic_site())
    quick = await audit(server.url("/"))
    full = await audit(server.url("/"), full=True)
    assert full.document["run"]["pages_fetched"] >= quick.document["run"]["pages_fetched"]
    assert "stopped early" not in " ".join(full.document["run"]["notes"])
