"""Judgments on page shapes met on real partner sites, audited from real loopback servers:
a blog on WordPress-style date paths, a case study about plant historians, and a practice page
whose case-study links are not all alive."""

from __future__ import annotations

from typing import Any

from auditcrawl.siteserver import Page

from .sites import LANDING, classic_site, days_ago, page, published


def _post(title: str, iso: str, body: str) -> Page:
    """A blog post as WordPress themes write it: BlogPosting JSON-LD, the published time, a byline."""
    jsonld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebPage", "name": "x"}, '
        f'{{"@type": "BlogPosting", "headline": "{title}", "datePublished": "{iso}T09:30:00+00:00"}}]}}</script>'
    )
    return page(
        f"{title} | Acme Cloud",
        f"""<article><header><h1>{title}</h1><p class="byline">By Dana Whitfield ·
        <time datetime="{iso}">{iso}</time></p></header>{body}</article>
        <aside><h2>Recent posts</h2><ul><li><a href="/insights/">All insights</a></li></ul></aside>""",
        head=jsonld + published(iso),
    )


async def test_a_blog_on_date_paths_meets_3_2(serve: Any, audit: Any) -> None:
    first, second = days_ago(40), days_ago(120)
    a = f"/insights/{first[:4]}/{first[5:7]}/predictive-maintenance-with-aws-iot-sitewise/"
    b = f"/insights/{second[:4]}/{second[5:7]}/mes-data-on-aws-for-discrete-manufacturers/"
    archive = f"/insights/{first[:4]}/{first[5:7]}/"
    index = page(
        "Insights | Acme Cloud",
        f"""<h1>Insights</h1>
        <article><a href="{a}">Predictive maintenance with AWS IoT SiteWise</a>
        <time datetime="{first}">{first}</time></article>
        <article><a href="{b}">MES data on AWS for discrete manufacturers</a>
        <time datetime="{second}">{second}</time></article>
        <a href="{archive}">This month</a>""",
    )
    routes = classic_site(
        **{
            "/blog/": index,
            "/insights/": index,
            archive: page("Archive | Acme Cloud", f'<h1>Archive</h1><a href="{a}">Predictive maintenance</a>'),
            a: _post(
                "Predictive maintenance with AWS IoT SiteWise",
                first,
                "<p>Vibration and temperature data from CNC spindles flow over OPC UA into AWS IoT SiteWise; "
                "Amazon Lookout for Equipment flags bearings before they fail, and OEE rises.</p>",
            ),
            b: _post(
                "MES data on AWS for discrete manufacturers",
                second,
                "<p>How a manufacturing execution system streams production orders and quality data to a "
                "data lake on AWS for traceability across plants.</p>",
            ),
            "/blog/digital-twins-on-aws/": None,
            "/blog/opc-ua-edge/": None,
            "/blog/cost-optimisation-tips/": None,
        }
    )
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.status("3.2") == "met", result.reasons("3.2")
    assert result.evidence_urls("3.2") == {server.url(a), server.url(b)}
    evidence = {e["url"]: e for e in result.document["checks"]["3.2"]["evidence"]}
    assert evidence[server.url(a)]["published"] == first and evidence[server.url(a)]["date_source"] == "json-ld"
    assert "URL under '/insights/' with a date path" in evidence[server.url(a)]["reasons"]
    kinds = {p.final_url: p.kind for p in result.report.facts.values()}
    assert kinds.get(server.url(archive)) in (None, "listing")  # the month's archive is no article


HISTORIAN_CASE = page(
    "Northwind Chemicals consolidates its plant historians on AWS",
    """<article><h1>Northwind Chemicals consolidates its plant historians on AWS</h1>
    <h2>The challenge</h2><p>Fourteen sites each ran their own AVEVA PI servers; engineers could not compare
    batches across plants, and the historians were reaching end of support.</p>
    <h2>The solution</h2><p>We moved the site historians into one cloud historian: PI System data replicated to
    Amazon Timestream and Amazon S3, with dashboards in Amazon Managed Grafana.</p>
    <h2>Results</h2><p>One view of 40,000 tags across all plants; reports that took a week now take an hour.</p>
    </article>""",
    head=published(days_ago(90)),
)


async def test_a_case_study_about_plant_historians_is_industrial(serve: Any, audit: Any) -> None:
    routes = classic_site(**{"/case-studies/fabrikam-plm/": HISTORIAN_CASE})
    server = serve(routes)
    result = await audit(server.url("/"))
    url = server.url("/case-studies/fabrikam-plm/")
    assert result.status("2.2") == "met"
    assert url in result.evidence_urls("2.2")
    evidence = {e["url"]: e for e in result.document["checks"]["2.2"]["evidence"]}
    assert "production" in evidence[url]["categories"]
    assert "runs on AWS (Amazon Timestream, Amazon S3, Amazon Managed Grafana)" in evidence[url]["reasons"]
    assert "headings of a case study (challenge, solution, results)" in evidence[url]["reasons"]
    terms = result.report.facts[url].category_terms["production"]
    assert {"plant historian", "AVEVA PI", "PI System"} <= set(terms), terms


async def test_a_dead_case_study_link_on_the_practice_page_does_not_count(serve: Any, audit: Any) -> None:
    # The practice page links to Contoso (public) and to a case study that answers 404.
    landing = LANDING.body.replace("/case-studies/fabrikam-plm/", "/case-studies/retired-project/")  # type: ignore[union-attr]
    routes = classic_site(**{"/industries/manufacturing/": Page(landing)})
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.status("3.1") == "met"
    (landing_evidence,) = result.document["checks"]["3.1"]["evidence"]
    reasons = landing_evidence["reasons"]
    assert "links to 1 public case study" in reasons
    dead = server.url("/case-studies/retired-project/")
    assert f"links to a case study that does not count: {dead}: not available: HTTP 404" in reasons

    # Both links dead: the page is no longer enough for 3.1.
    both_dead = landing.replace("/case-studies/contoso-predictive-maintenance/", "/case-studies/gone/")
    server.set_routes(classic_site(**{"/industries/manufacturing/": Page(both_dead)}))
    again = await audit(server.url("/"))
    assert again.status("3.1") == "not_met"
    (rejected,) = [e for e in again.document["checks"]["3.1"]["rejected"] if "/industries/" in e["url"]]
    assert rejected["reasons"][0] == "links to no public case study"
    assert again.document["checks"]["3.1"]["summary"].endswith("does not qualify: links to no public case study")
