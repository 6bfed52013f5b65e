"""Shapes of real company websites, on loopback servers: pagination chains, tag pages and legal
pages forbidden by robots.txt, large blogs, language versions, dates in URL paths, claims with a
dead case study. Each must end in the verdict an auditor gives at a glance."""

from __future__ import annotations

from typing import Any

from auditcrawl.rules import Claims
from auditcrawl.siteserver import Page

from . import sites
from .sites import AS_OF, classic_site, days_ago, page, published, text

FORMS_NAV = """<header><nav><a href="/">Home</a> <a href="/services/">Services</a> <a href="/work/">Our work</a>
<a href="/blog/">Blog</a> <a href="/about/">About</a> <a href="/contact/">Contact</a></nav>
<nav class="lang"><a href="/de/">Deutsch</a></nav></header>"""
FORMS_FOOTER = """<footer><a href="/terms/">Terms and conditions</a> <a href="/privacy/">Privacy</a>
<a href="/thank-you/">Newsletter</a><p>Clearform is an AWS Select Tier Services Partner.</p></footer>"""
POSTS_PER_PAGE = 5
CHAIN = 40  # pages of the blog's pagination chain


def forms_page(title: str, body: str, head: str = "") -> Page:
    return page(title, body, head=head, nav=FORMS_NAV, footer=FORMS_FOOTER)


def forms_post(n: int) -> Page:
    return forms_page(
        f"Accessible government forms, part {n}",
        f"<article><h1>Accessible government forms, part {n}</h1><p>Plain language, error messages and "
        "screen readers: what we learned moving benefit forms to the web. Hosted on AWS Lambda.</p>"
        '<p>Tags: <a href="/tags/accessibility/">accessibility</a> '
        f'<a href="/tags/forms-{n % 7}/">forms</a></p></article>',
        head=published(days_ago(3 * n)),
    )


def forms_site(host: str, target: str) -> Page | None:
    """A forms-and-accessibility consultancy: a blog of 200 posts behind a 40-page pagination chain,
    tag pages and a terms page forbidden by robots.txt, a German mirror of the home page, two case
    studies on AWS about public-sector forms. Nothing industrial anywhere."""
    path = target.split("?", 1)[0]
    if path == "/robots.txt":
        return text("User-agent: *\nDisallow: /terms/\nDisallow: /tags/\nDisallow: /thank-you/\n")
    if path in ("/", "/de/"):
        return forms_page(
            "Clearform | Forms people can finish",
            "<h1>Forms people can finish</h1><p>We design and build accessible online forms for public services "
            'on AWS.</p><a href="/work/">See our work</a>',
        )
    if path == "/blog/" or path.startswith("/blog/page/"):
        n = 1 if path == "/blog/" else int(path.rstrip("/").rsplit("/", 1)[1])
        first = (n - 1) * POSTS_PER_PAGE + 1
        cards = "".join(
            f'<li><a href="/blog/forms-{i}/">Accessible government forms, part {i}</a></li>'
            for i in range(first, first + POSTS_PER_PAGE)
        )
        older = f'<a rel="next" href="/blog/page/{n + 1}/">Older posts</a>' if n < CHAIN else ""
        return forms_page(f"Blog | page {n}", f"<h1>Blog</h1><ul>{cards}</ul>{older}")
    if path.startswith("/blog/forms-"):
        n = int(path.rstrip("/").rsplit("-", 1)[1])
        return forms_post(n) if 1 <= n <= CHAIN * POSTS_PER_PAGE else None
    if path == "/work/":
        return forms_page(
            "Our work | Clearform",
            '<h1>Case studies</h1><a href="/work/benefits-portal/">A benefits portal</a> '
            '<a href="/work/permit-applications/">Permit applications</a>',
        )
    if path.startswith("/work/"):
        return forms_page(
            "Case study: a state benefits portal",
            "<article><h1>Case study: a state benefits portal</h1><h2>Challenge</h2><p>Paper forms, long queues.</p>"
            "<h2>Solution</h2><p>Accessible forms on Amazon S3 and AWS Lambda.</p><h2>Results</h2>"
            "<p>Completion up 40%.</p></article>",
            head=published(days_ago(90)),
        )
    simple = {
        "/services/": ("Services | Clearform", "<h1>Services</h1><p>Form audits, design systems, migrations.</p>"),
        "/about/": ("About | Clearform", "<h1>About</h1><p>Twelve people in two cities.</p>"),
        "/contact/": ("Contact | Clearform", "<h1>Contact</h1><form><input type=email name=e></form>"),
        "/privacy/": ("Privacy | Clearform", "<h1>Privacy</h1><p>We keep no cookies.</p>"),
    }
    if path in simple:
        return forms_page(*simple[path])
    return None


async def test_a_site_with_nothing_industrial_is_not_met_three_times_without_a_coverage_doubt(
    serve: Any, audit: Any, db_url: str
) -> None:
    server = serve(forms_site)
    result = await audit(server.url("/"), db=db_url)
    assert result.statuses() == ("not_met", "not_met", "not_met")
    for check in ("3.1", "2.2", "3.2"):
        reasons = " ".join(result.document["checks"][check]["reasons"])
        assert "not read" not in reasons and "limit hit" not in reasons and "robots.txt" not in reasons, reasons
    coverage = result.document["run"]["coverage"]
    assert coverage["unread"] == {"3.1": [], "2.2": [], "3.2": []}, coverage  # known, unread, nobody's evidence
    notes = " ".join(result.document["run"]["notes"])
    # what could not be read is in the notes: the forbidden terms and tag pages, the chain beyond the radius
    assert server.url("/terms/") in notes and "robots.txt disallowed" in notes
    assert "beyond 4 clicks were not read" in notes or "max_depth" in notes
    rejected = result.rejected("2.2")
    assert rejected[server.url("/work/benefits-portal/")][0].startswith("not industrial")


def large_archive(host: str, target: str) -> Page | None:
    """895 pages, 295 of them within 4 clicks of home: eight sections of 25 guides, and an archive by
    year, quarter and month whose 600 posts lie five clicks from home."""
    path = target.split("?", 1)[0]
    nav = '<header><nav><a href="/">Home</a> <a href="/archive/">Archive</a></nav></header>'
    parts = path.strip("/").split("/")
    if path == "/robots.txt":
        return sites.ROBOTS_OPEN
    if path == "/":
        sections = " ".join(f'<a href="/guides/section-{s}/">Guides {s}</a>' for s in range(8))
        return page("Civic Press", f"<h1>Civic Press</h1><p>Guides to public services.</p>{sections}", nav=nav)
    if parts[0] == "guides" and len(parts) == 2:
        items = " ".join(f'<a href="/guides/{parts[1]}/guide-{i}/">Guide {parts[1]}.{i}</a>' for i in range(25))
        return page(f"Guides {parts[1]}", f"<h1>Guides</h1>{items}", nav=nav)
    if parts[0] == "guides" and len(parts) == 3:
        return page(f"Guide {path}", "<h1>Guide</h1><p>How to renew a permit.</p>", nav=nav)
    below = {
        1: [f"{y}/" for y in range(2019, 2024)],
        2: [f"q{q}/" for q in range(1, 5)],
        3: [f"m{m}/" for m in range(1, 4)],
    }
    if parts[0] == "archive" and len(parts) in below:
        links = " ".join(f'<a href="{path}{b}">{b.strip("/")}</a>' for b in below[len(parts)])
        return page(f"Archive {path}", f"<h1>Archive</h1>{links}", nav=nav)
    if parts[0] == "archive" and len(parts) == 4:
        posts = " ".join(f'<a href="{path}post-{i}/">Renewing permits, part {i}</a>' for i in range(10))
        return page(f"Archive {path}", f"<h1>Archive</h1>{posts}", nav=nav)
    if parts[0] == "archive" and len(parts) == 5:
        return page(f"Post {path}", "<article><h1>Renewing permits</h1><p>Forms and deadlines.</p></article>", nav=nav)
    return None


async def test_a_900_page_site_is_decided_within_the_default_page_limit(serve: Any, audit: Any, db_url: str) -> None:
    server = serve(large_archive)
    result = await audit(server.url("/"), db=db_url)  # the default limit: 500 pages
    run = result.document["run"]
    assert run["pages_fetched"] == 500  # the limit was reached, beyond the radius
    assert run["coverage"]["fetched"] == run["coverage"]["known"] == 295, run["notes"]
    assert result.statuses() == ("not_met", "not_met", "not_met")
    assert any(note.startswith("limit hit: max_pages (500)") for note in run["notes"])


async def test_one_case_study_in_english_and_german_counts_once(serve: Any, audit: Any, db_url: str) -> None:
    en, de = "/case-studies/contoso-predictive-maintenance/", "/de/case-studies/contoso-predictive-maintenance/"
    server = serve({})
    alternates = (
        f'<link rel="alternate" hreflang="en" href="{server.url(en)}">'
        f'<link rel="alternate" hreflang="de" href="{server.url(de)}">'
    )
    english = page(
        "How Contoso Motors cut unplanned downtime with AWS IoT SiteWise",
        "<article><h1>Case study: Contoso Motors</h1><p>120 presses connected via OPC UA to AWS IoT SiteWise; "
        "predictive maintenance with Amazon Lookout for Equipment cut unplanned downtime 30%.</p></article>",
        head=published(days_ago(100)) + alternates,
    )
    german = page(
        "Wie Contoso Motors ungeplante Stillstandszeiten mit AWS IoT SiteWise senkte",
        "<article><h1>Fallstudie: Contoso Motors</h1><p>120 Pressen über OPC UA an AWS IoT SiteWise angebunden; "
        "vorausschauende Wartung mit Amazon Lookout for Equipment senkte ungeplante Stillstandszeiten um 30%.</p>"
        "</article>",
        head=published(days_ago(100)) + alternates,
        lang="de",
    )
    cs_index = page(
        "Case studies | Acme Cloud",
        f'<h1>Case studies</h1><a href="{en}">Contoso Motors</a> <a href="{de}">Contoso Motors (Deutsch)</a> '
        '<a href="/case-studies/woodgrove-bank/">Woodgrove Bank</a>',
    )
    landing = page(
        "Manufacturing and Industrial Software on AWS | Acme Cloud",
        "<h1>Industrial software on AWS</h1><p>Our AWS Industrial Software practice runs MES and Industrial IoT "
        f'workloads. As an AWS Advanced Tier Services Partner we work with Siemens and AVEVA.</p><a href="{en}">'
        f'Contoso</a> <a href="{de}">Contoso (Deutsch)</a>',
    )
    server.set_routes(
        classic_site(
            **{
                "/case-studies/": cs_index,
                "/industries/manufacturing/": landing,
                "/case-studies/fabrikam-plm/": None,
                en: english,
                de: german,
            }
        )
    )
    result = await audit(server.url("/"), db=db_url)
    check = result.document["checks"]["2.2"]
    assert check["status"] == "not_met"  # one customer story, told twice, is one case study
    assert [e["url"] for e in check["evidence"]] == [server.url(en)]
    assert check["evidence"][0]["versions"] == [server.url(de)]
    assert "1 of the 2 required" in check["summary"]


async def test_a_date_path_outranks_a_misleading_date_in_the_text(serve: Any, audit: Any, db_url: str) -> None:
    dated_path = "/2018/08/14/opc-ua-at-the-edge/"
    old_post = page(
        "OPC UA at the edge | Acme Cloud",
        "<article><h1>OPC UA at the edge</h1><p>Connecting PLCs and SCADA over OPC UA to AWS IoT Greengrass "
        "in a smart factory.</p><p>Join our next webinar on 12 May 2026.</p></article>",
    )
    stamped = page(
        "Digital twins on AWS | Acme Cloud",
        "<article><h1>Digital twins on AWS</h1><p>A digital twin of a production line with AWS IoT TwinMaker, "
        f"Industrial IoT data from the shop floor and predictive maintenance.</p><p>Page generated "
        f"{AS_OF.strftime('%B')} {AS_OF.day}, {AS_OF.year}.</p></article>",
    )
    blog = page(
        "Blog | Acme Cloud",
        f'<h1>Blog</h1><a href="{dated_path}">OPC UA at the edge</a> <a href="/blog/digital-twins-on-aws/">Digital '
        'twins on AWS</a> <a href="/blog/cost-optimisation-tips/">Ten cost tips</a>',
    )
    server = serve(
        classic_site(
            **{"/blog/": blog, "/blog/opc-ua-edge/": None, dated_path: old_post, "/blog/digital-twins-on-aws/": stamped}
        )
    )
    result = await audit(server.url("/"), db=db_url)
    check = result.document["checks"]["3.2"]
    items = {e["url"]: e for e in check["rejected"]}
    old = items[server.url(dated_path)]
    assert (old["published"], old["date_source"]) == ("2018-08-14", "url")
    assert old["reasons"][0].startswith("published 2018-08-14, before the window")
    twins = items[server.url("/blog/digital-twins-on-aws/")]
    assert twins["published"] is None  # the audit day printed on the page is not its publication date
    assert check["status"] != "met"


async def test_claims_with_a_dead_claimed_case_study_leave_3_1_not_met(serve: Any, audit: Any, db_url: str) -> None:
    gone = "/case-studies/initech-mes/"
    html = str(sites.LANDING.body)
    landing = Page(html.replace('href="/case-studies/fabrikam-plm/">Fabrikam', f'href="{gone}">Initech'))
    server = serve(classic_site(**{"/industries/manufacturing/": landing}))
    u = server.url
    claims = Claims(
        landing_page=u("/industries/manufacturing/"),
        case_studies=[u("/case-studies/contoso-predictive-maintenance/"), u(gone)],
    )
    result = await audit(u("/"), claims=claims, db=db_url)
    check = result.document["checks"]["3.1"]
    assert check["status"] == "not_met"
    reasons = result.rejected("3.1")[u("/industries/manufacturing/")]
    assert reasons[0] == "links to 1 of the claimed case studies, public and live; it must link to 2"
    assert f"claimed case study {u(gone)}: not found (HTTP 404)" in reasons


async def test_a_case_study_behind_an_alias_page_counts_at_its_own_depth(serve: Any, audit: Any) -> None:
    """A static site generator leaves a page with a meta refresh at a case study's old URL; the
    index still links to the old URL. The alias is a redirect: the study counts, two clicks from home."""
    server = serve({})
    new = "/case-studies/fabrikam-plm/"
    alias = Page(
        f'<!doctype html><html><head><title>{server.url(new)}</title><link rel="canonical" href="{server.url(new)}">'
        f'<meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url={server.url(new)}">'
        "</head></html>"
    )
    cs_index = page(
        "Case studies | Acme Cloud",
        '<h1>Case studies</h1><a href="/case-studies/contoso-predictive-maintenance/">Contoso Motors</a> '
        '<a href="/customers/fabrikam/">Fabrikam</a>',
    )
    landing = Page(str(sites.LANDING.body).replace(f'href="{new}"', 'href="/customers/fabrikam/"'))
    server.set_routes(
        classic_site(
            **{"/case-studies/": cs_index, "/customers/fabrikam/": alias, "/industries/manufacturing/": landing}
        )
    )
    result = await audit(server.url("/"))
    assert result.statuses() == ("met", "met", "met")
    fabrikam = next(e for e in result.document["checks"]["2.2"]["evidence"] if e["url"] == server.url(new))
    path = fabrikam["click_path"]  # through the index or the practice page, both link to the old URL
    assert len(path) == 3 and path[1] in (server.url("/case-studies/"), server.url("/industries/manufacturing/"))
    assert path[2] == server.url(new)
