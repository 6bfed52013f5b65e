"""Small partner sites for the integration tests, written as routes for SiteServer.

Dates are relative to AS_OF so verdicts do not drift with the calendar.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from auditcrawl.siteserver import Page

AS_OF = date(2026, 6, 1)


def days_ago(n: int) -> str:
    return (AS_OF - timedelta(days=n)).isoformat()


NAV = """<header><nav>
<a href="/">Home</a> <a href="/solutions/">Solutions</a> <a href="/industries/manufacturing/">Manufacturing</a>
<a href="/case-studies/">Case studies</a> <a href="/blog/">Blog</a> <a href="/about/">About</a>
</nav></header>"""
FOOTER = """<footer><p>Acme Cloud is an AWS Advanced Tier Services Partner.</p><p>© 2018-2026 Acme Cloud</p></footer>"""


def page(
    title: str, body: str, *, head: str = "", nav: str = NAV, footer: str = FOOTER, status: int = 200, lang: str = "en"
) -> Page:
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body>{nav}<main>{body}</main>{footer}</body></html>"
    )
    return Page(html, status=status)


def published(iso: str) -> str:
    return f'<meta property="article:published_time" content="{iso}T08:00:00Z">'


def text(body: str, content_type: str = "text/plain; charset=utf-8", status: int = 200) -> Page:
    return Page(body, status=status, content_type=content_type)


HOME = page(
    "Acme Cloud | AWS consulting",
    """<h1>AWS consulting for growing companies</h1>
    <p>Acme Cloud helps companies plan, migrate and run workloads on AWS, from retail and healthcare to
    manufacturing.</p>
    <p><a href="/industries/manufacturing/">Industrial software on AWS</a></p>""",
)
LANDING = page(
    "Manufacturing and Industrial Software on AWS | Acme Cloud",
    """<h1>Industrial software on AWS</h1>
    <p>Our AWS Industrial Software practice runs PLM, MES and Industrial IoT workloads for manufacturers.
    As an AWS Advanced Tier Services Partner we work with Siemens, PTC and AVEVA.</p>
    <h2>MES and Industrial IoT</h2>
    <p>OPC UA connectivity to AWS IoT SiteWise, OEE dashboards, predictive maintenance.</p>
    <h2>PLM</h2><p>Siemens Teamcenter and PTC Windchill on AWS; bill of materials and engineering change.</p>
    <p><a href="/case-studies/contoso-predictive-maintenance/">Contoso case study</a>
    <a href="/case-studies/fabrikam-plm/">Fabrikam case study</a></p>""",
)
SOLUTIONS = page(
    "Solutions | Acme Cloud", '<h1>Solutions</h1><p><a href="/industries/manufacturing/">Manufacturing</a></p>'
)
ABOUT = page("About | Acme Cloud", "<h1>About Acme Cloud</h1><p>Founded 2018. 80 engineers.</p>")
CS_INDEX = page(
    "Case studies | Acme Cloud",
    """<h1>Case studies</h1>
    <a href="/case-studies/contoso-predictive-maintenance/">Contoso Motors</a>
    <a href="/case-studies/fabrikam-plm/">Fabrikam</a>
    <a href="/case-studies/woodgrove-bank/">Woodgrove Bank</a>""",
)
CS_CONTOSO = page(
    "How Contoso Motors cut unplanned downtime with AWS IoT SiteWise",
    """<article><h1>Case study: Contoso Motors</h1>
    <p>Contoso Motors connected 120 presses via OPC UA to AWS IoT SiteWise and used Amazon Lookout for Equipment
    for predictive maintenance. Unplanned downtime fell 30% and OEE rose 6 points.</p></article>""",
    head=published(days_ago(100)),
)
CS_FABRIKAM = page(
    "Fabrikam moves Siemens Teamcenter PLM to AWS",
    """<article><h1>Customer story: Fabrikam</h1>
    <p>Fabrikam migrated its PLM system, Siemens Teamcenter, to Amazon EC2 and Amazon FSx. The bill of materials
    now flows from engineering to the MES through a digital thread.</p></article>""",
    head=published(days_ago(200)),
)
CS_WOODGROVE = page(
    "Woodgrove Bank builds a data lake on AWS",
    "<article><h1>Case study: Woodgrove Bank</h1>"
    "<p>A data lake on Amazon S3 and AWS Glue for regulatory reporting.</p></article>",
    head=published(days_ago(50)),
)
BLOG_INDEX = page(
    "Blog | Acme Cloud",
    """<h1>Blog</h1>
    <a href="/blog/digital-twins-on-aws/">Digital twins on AWS</a>
    <a href="/blog/opc-ua-edge/">OPC UA at the edge</a>
    <a href="/blog/cost-optimisation-tips/">Ten cost tips</a>""",
)
POST_TWINS = page(
    "Digital twins on AWS | Acme Cloud",
    """<article><h1>Digital twins on AWS</h1><p>How a digital twin of a production line uses AWS IoT TwinMaker,
    Industrial IoT data from the shop floor and predictive maintenance models.</p></article>""",
    head=published(days_ago(30)),
)
POST_OPCUA = page(
    "OPC UA at the edge | Acme Cloud",
    """<article><h1>OPC UA at the edge</h1><p>Connecting PLCs and SCADA over OPC UA to AWS IoT Greengrass for
    edge computing in a smart factory.</p></article>""",
    head=published(days_ago(90)),
)
POST_COST = page(
    "Ten cost tips | Acme Cloud",
    "<article><h1>Ten cost optimisation tips</h1><p>Savings Plans, rightsizing and storage tiers.</p></article>",
    head=published(days_ago(10)),
)
ROBOTS_OPEN = text("User-agent: *\nDisallow: /private/\n")


def classic_site(**replace: Page | None) -> dict[str, Page]:
    """A tidy partner site that meets all three checks; keyword arguments replace or (None) drop routes."""
    routes: dict[str, Page | None] = {
        "/": HOME,
        "/robots.txt": ROBOTS_OPEN,
        "/solutions/": SOLUTIONS,
        "/industries/manufacturing/": LANDING,
        "/about/": ABOUT,
        "/case-studies/": CS_INDEX,
        "/case-studies/contoso-predictive-maintenance/": CS_CONTOSO,
        "/case-studies/fabrikam-plm/": CS_FABRIKAM,
        "/case-studies/woodgrove-bank/": CS_WOODGROVE,
        "/blog/": BLOG_INDEX,
        "/blog/digital-twins-on-aws/": POST_TWINS,
        "/blog/opc-ua-edge/": POST_OPCUA,
        "/blog/cost-optimisation-tips/": POST_COST,
    }
    for key, value in replace.items():
        routes[key] = value
    return {k: v for k, v in routes.items() if v is not None}


def without_links_to(routes: Mapping[str, Page], target: str) -> dict[str, Page]:
    """The same site with every link to `target` removed (the page itself stays)."""
    out: dict[str, Page] = {}
    for path, p in routes.items():
        body = p.body.decode() if isinstance(p.body, bytes) else p.body
        body = re.sub(rf'<a href="{re.escape(target)}">[^<]*</a>', "", body)
        out[path] = Page(body, status=p.status, content_type=p.content_type, headers=p.headers)
    return out
