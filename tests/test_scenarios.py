"""End-to-end audits of small sites served on loopback: exact verdicts and evidence URLs."""

from __future__ import annotations

from typing import Any

from auditcrawl.crawler import StaticResolver
from auditcrawl.siteserver import LoopbackTransport, Page

from . import sites
from .sites import classic_site, days_ago, page, published, text, without_links_to


async def test_classic_partner_site_meets_all_three(serve: Any, audit: Any) -> None:
    server = serve(classic_site())
    result = await audit(server.url("/"))
    u = server.url
    assert result.statuses() == ("met", "met", "met")
    assert result.evidence_urls("3.1") == {u("/industries/manufacturing/")}
    assert result.evidence_urls("2.2") == {
        u("/case-studies/contoso-predictive-maintenance/"),
        u("/case-studies/fabrikam-plm/"),
    }
    assert result.evidence_urls("3.2") == {u("/blog/digital-twins-on-aws/"), u("/blog/opc-ua-edge/")}
    assert "not industrial" in result.rejected("2.2")[u("/case-studies/woodgrove-bank/")][0]
    assert "not industrial" in result.rejected("3.2")[u("/blog/cost-optimisation-tips/")][0]
    landing = result.document["checks"]["3.1"]["evidence"][0]
    assert landing["click_path"] == [u("/"), u("/industries/manufacturing/")] and landing["clicks"] == 1
    twins = next(e for e in result.document["checks"]["3.2"]["evidence"] if e["url"].endswith("digital-twins-on-aws/"))
    assert twins["published"] == days_ago(30)
    assert twins["click_path"] == [u("/"), u("/blog/"), u("/blog/digital-twins-on-aws/")]
    assert "operations" in twins["categories"]
    assert result.document["run"]["status"] == "complete"


async def test_landing_page_not_linked_from_home_is_not_met(serve: Any, audit: Any) -> None:
    routes = without_links_to(classic_site(), "/industries/manufacturing/")
    server = serve(routes)  # the sitemap must name the server's own port
    routes["/sitemap.xml"] = text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.url('/industries/manufacturing/')}</loc></url></urlset>",
        content_type="application/xml",
    )
    server.set_routes(routes)
    result = await audit(server.url("/"))
    assert result.statuses() == ("not_met", "met", "met")
    landing = server.url("/industries/manufacturing/")
    assert result.evidence_urls("3.1") == set()
    assert result.rejected("3.1")[landing][0] == "not linked from the home page (found only in the sitemap)"
    assert (
        result.document["checks"]["3.1"]["summary"]
        == "An industrial practice page exists but is not reachable from home"
    )


async def test_gated_case_studies_are_not_public(serve: Any, audit: Any) -> None:
    leadgen = page(
        "Contoso Motors case study",
        """<h1>Case study: Contoso Motors</h1><p>Predictive maintenance with AWS IoT SiteWise and OPC UA. Fill out the
        form to download the full case study.</p>
        <form><input name="name"><input name="email" type="email"><input name="company">
        <button type="submit">Download the case study</button></form>""",
    )
    login_redirect = Page("", status=302, headers={"Location": "/account/login?next=/case-studies/fabrikam-plm/"})
    login = page("Sign in", '<h1>Sign in</h1><form><input name="user"><input name="password" type="password"></form>')
    routes = classic_site(
        **{
            "/case-studies/contoso-predictive-maintenance/": leadgen,
            "/case-studies/fabrikam-plm/": login_redirect,
            "/account/login": login,
        }
    )
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.status("2.2") == "not_met"
    assert result.evidence_urls("2.2") == set()
    rejected = result.rejected("2.2")
    assert rejected[server.url("/case-studies/contoso-predictive-maintenance/")][0].startswith(
        "not public: content behind a lead-generation form"
    )
    # The practice page links only to the two gated ones: it links to no public case study.
    assert result.status("3.1") == "not_met" and result.status("3.2") == "met"
    landing = result.rejected("3.1")[server.url("/industries/manufacturing/")]
    assert landing[0] == "links to no public case study"
    assert "0 of the 2 required" in result.document["checks"]["2.2"]["summary"]


async def test_login_redirect_marks_the_case_study_gated(serve: Any, audit: Any) -> None:
    login = page("Sign in", '<h1>Sign in</h1><form><input name="user"><input name="pw" type="password"></form>')
    routes = classic_site(
        **{
            "/case-studies/fabrikam-plm/": Page("", status=302, headers={"Location": "/account/login"}),
            "/account/login": login,
        }
    )
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.status("2.2") == "not_met"
    reasons = result.rejected("2.2")[server.url("/case-studies/fabrikam-plm/")]
    assert reasons[0] == f"not public: redirected to a login page ({server.url('/account/login')})"


async def test_stale_posts_with_recent_last_updated_footer(serve: Any, audit: Any) -> None:
    footer = f"<footer><p>AWS Advanced Tier Services Partner.</p><p>Last updated: {days_ago(2)}</p></footer>"
    old_twins = page(
        "Digital twins on AWS",
        """<article><h1>Digital twins on AWS</h1><p>A digital twin of a production line with AWS IoT TwinMaker,
        Industrial IoT data from the shop floor and predictive maintenance.</p></article>""",
        head=published(days_ago(400)),
        footer=footer,
    )
    old_opcua = page(
        "OPC UA at the edge",
        f"""<article><h1>OPC UA at the edge</h1><p>Published {days_ago(500)}</p><p>Connecting PLCs over OPC UA
        to AWS IoT Greengrass for edge computing in a smart factory.</p></article>""",
        footer=footer,
    )
    routes = classic_site(**{"/blog/digital-twins-on-aws/": old_twins, "/blog/opc-ua-edge/": old_opcua})
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.status("3.2") == "not_met"
    rejected = result.rejected("3.2")
    assert rejected[server.url("/blog/digital-twins-on-aws/")][0].startswith(
        f"published {days_ago(400)}, before the window"
    )
    assert rejected[server.url("/blog/opc-ua-edge/")][0].startswith(f"published {days_ago(500)}, before the window")


async def test_dedicated_industrial_consultancy_home_counts(serve: Any, audit: Any) -> None:
    home = page(
        "Forge Industrial | Industrial software consulting on AWS",
        """<h1>Industrial software consulting for manufacturers</h1>
        <p>We are an AWS Advanced Tier Services Partner that only serves manufacturing: MES, PLM and Industrial
        IoT on AWS with Siemens Opcenter, PTC ThingWorx and AWS IoT SiteWise.</p>
        <a href="/case-studies/">Case studies</a> <a href="/blog/">Blog</a>""",
        nav="",
    )
    routes = classic_site(**{"/": home, "/industries/manufacturing/": None})
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.statuses() == ("met", "met", "met")
    evidence = result.document["checks"]["3.1"]["evidence"]
    assert [e["url"] for e in evidence] == [server.url("/")]
    assert evidence[0]["clicks"] == 0
    assert "dedicated industrial-software consultancy" in evidence[0]["reasons"][0]


async def test_generic_it_partner_meets_nothing(serve: Any, audit: Any) -> None:
    nav = (
        '<nav><a href="/">Home</a> <a href="/services/">Services</a> <a href="/customers/">Customers</a> '
        '<a href="/blog/">Blog</a></nav>'
    )
    home = page(
        "Bluesky IT | AWS consulting", "<h1>Cloud for every business</h1><p>Migrations, DevOps, data.</p>", nav=nav
    )
    routes = {
        "/": home,
        "/services/": page(
            "Services",
            "<h1>Services</h1><p>Cloud migration, DevOps, managed services for retail and banking.</p>",
            nav=nav,
        ),
        "/customers/": page(
            "Customers",
            '<h1>Customers</h1><a href="/customers/shopco/">ShopCo</a> <a href="/customers/bankco/">BankCo</a>',
            nav=nav,
        ),
        "/customers/shopco/": page(
            "ShopCo case study",
            "<h1>Case study: ShopCo</h1><p>An e-commerce site on Amazon ECS.</p>",
            nav=nav,
            head=published(days_ago(40)),
        ),
        "/customers/bankco/": page(
            "BankCo case study",
            "<h1>Case study: BankCo</h1><p>A data warehouse on Amazon Redshift.</p>",
            nav=nav,
            head=published(days_ago(60)),
        ),
        "/blog/": page("Blog", '<h1>Blog</h1><a href="/blog/kubernetes-tips/">Kubernetes tips</a>', nav=nav),
        "/blog/kubernetes-tips/": page(
            "Kubernetes tips",
            "<h1>Kubernetes tips</h1><p>Five tips for EKS.</p>",
            nav=nav,
            head=published(days_ago(20)),
        ),
    }
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.statuses() == ("not_met", "not_met", "not_met")
    assert set(result.rejected("2.2")) == {server.url("/customers/shopco/"), server.url("/customers/bankco/")}
    assert result.document["checks"]["3.1"]["summary"] == "No industrial-software practice page found"


async def test_home_page_503_needs_review_and_run_failed(serve: Any, audit: Any) -> None:
    server = serve({"/": page("Down", "<h1>Maintenance</h1>", status=503), "/robots.txt": sites.ROBOTS_OPEN})
    result = await audit(server.url("/"), retries=1, backoff=0.01)
    assert result.statuses() == ("needs_review", "needs_review", "needs_review")
    assert "home page unreachable (HTTP 503)" in result.reasons("3.1")
    assert result.document["run"]["status"] == "failed"
    home_requests = [r for r in server.requests if r[1] == "/"]
    assert len(home_requests) == 2  # one retry, then it gives up


async def test_robots_txt_forbidding_everything_needs_review(serve: Any, audit: Any) -> None:
    routes = classic_site(**{"/robots.txt": text("User-agent: *\nDisallow: /\n")})
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.statuses() == ("needs_review", "needs_review", "needs_review")
    assert "robots.txt forbids the home page" in result.reasons("2.2")
    assert result.document["run"]["status"] == "partial"
    assert [r[1] for r in server.requests] == ["/robots.txt"]  # nothing else was requested


async def test_blog_on_a_subdomain_counts_as_the_partners_site(serve: Any, audit: Any) -> None:
    host, blog = "acme-cloud.com", "blog.acme-cloud.com"
    server = serve({})
    blog_home = f"http://{blog}:{server.port}/"
    home = page(
        "Acme Cloud | AWS consulting",
        "<h1>AWS consulting</h1><p>"
        f'<a href="/industries/manufacturing/">Industrial software</a> <a href="{blog_home}">Our blog</a></p>',
    )
    routes = classic_site(
        **{"/": home, "/blog/": None, "/blog/digital-twins-on-aws/": None, "/blog/opc-ua-edge/": None}
    )
    routes.update(
        {
            f"{blog}/": page(
                "Acme blog",
                '<h1>Blog</h1><a href="/2026/digital-twins/">Digital twins</a> <a href="/2026/opc-ua/">OPC UA</a>',
            ),
            f"{blog}/2026/digital-twins/": sites.POST_TWINS,
            f"{blog}/2026/opc-ua/": sites.POST_OPCUA,
            f"{blog}/robots.txt": sites.ROBOTS_OPEN,
        }
    )
    server.set_routes(routes)
    resolver = StaticResolver({host: "127.0.0.1", blog: "127.0.0.1"}, strict=True)
    result = await audit(f"http://{host}:{server.port}/", resolver=resolver)
    assert result.statuses() == ("met", "met", "met")
    assert result.evidence_urls("3.2") == {f"{blog_home}2026/digital-twins/", f"{blog_home}2026/opc-ua/"}
    twins = next(e for e in result.document["checks"]["3.2"]["evidence"] if "digital-twins" in e["url"])
    assert twins["click_path"] == [f"http://{host}:{server.port}/", blog_home, twins["url"]]
    assert {h for h, _, _ in server.requests} == {host, blog}


async def test_robots_txt_answering_503_means_nothing_may_be_fetched(serve: Any, audit: Any) -> None:
    server = serve(classic_site(**{"/robots.txt": text("busy", status=503)}))
    result = await audit(server.url("/"), retries=0)
    assert result.statuses() == ("needs_review", "needs_review", "needs_review")
    assert "robots.txt answered 503: treated as disallow all" in result.reasons("3.2")
    assert [path for _, path, _ in server.requests] == ["/robots.txt"]
    assert result.document["run"]["status"] == "failed"


async def test_off_site_evidence_is_fetched_one_hop(serve: Any, audit: Any) -> None:
    """An AWS-hosted case study linked from the site counts; its own links are not crawled."""
    aws_case = "https://aws.amazon.com/solutions/case-studies/contoso-motors/"
    aws_page = page(
        "Contoso Motors case study | AWS",
        """<h1>Contoso Motors improves OEE with AWS IoT SiteWise</h1><p>With partner Acme Cloud, Contoso connected
        its presses over OPC UA to AWS IoT SiteWise; predictive maintenance cut unplanned downtime 25%.</p>
        <a href="https://aws.amazon.com/solutions/case-studies/other-customer/">Another story</a>""",
        head=published(days_ago(120)),
        nav="",
        footer="",
    )
    cs_index = page(
        "Case studies | Acme Cloud",
        "<h1>Case studies</h1>"
        f'<a href="/case-studies/contoso-predictive-maintenance/">Contoso</a> <a href="{aws_case}">Contoso on '
        "the AWS site</a>",
    )
    server = serve({})
    routes = classic_site(**{"/case-studies/": cs_index, "/case-studies/fabrikam-plm/": None})
    routes["aws.amazon.com/solutions/case-studies/contoso-motors/"] = aws_page
    routes["aws.amazon.com/robots.txt"] = sites.ROBOTS_OPEN
    server.set_routes(routes)
    transport = LoopbackTransport(server, ["aws.amazon.com", "acme-cloud.com"])
    result = await audit(f"http://acme-cloud.com:{server.port}/", transport=transport)
    assert result.status("2.2") == "met"
    assert aws_case in result.evidence_urls("2.2")
    evidence = next(e for e in result.document["checks"]["2.2"]["evidence"] if e["url"] == aws_case)
    assert evidence["click_path"][-2:] == [f"http://acme-cloud.com:{server.port}/case-studies/", aws_case]
    assert evidence["offsite"] is True
    assert ("aws.amazon.com", "/solutions/case-studies/other-customer/") not in [(h, p) for h, p, _ in server.requests]


async def test_page_limit_hit_gives_partial_run_and_no_false_not_met(serve: Any, audit: Any) -> None:
    server = serve(classic_site())
    result = await audit(server.url("/"), max_pages=3)
    assert result.document["run"]["status"] == "partial"
    assert result.document["run"]["pages_fetched"] == 3
    assert any(note.startswith("limit hit: max_pages (3) reached") for note in result.document["run"]["notes"])
    assert "not_met" not in result.statuses()
    assert "needs_review" in result.statuses()
