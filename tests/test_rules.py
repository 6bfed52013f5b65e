"""Rules as pure functions: kinds, categories, gating, dates, and verdict edge cases."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest

from auditcrawl.crawler import CrawledPage, FetchResult, parse_html
from auditcrawl.rules import (
    CheckResult,
    ClaimVerdict,
    PageFacts,
    analyse_page,
    classify_kind,
    detect_categories,
    evaluate,
    gate_reason,
    load_vocabulary,
    publication_date,
)
from auditcrawl.settings import AuditSettings

from .factories import facts_for, outcome_of

V = load_vocabulary()
AS_OF = date(2026, 6, 1)


def parsed(title: str = "", body: str = "", head: str = "", url: str = "https://p.com/") -> object:
    return parse_html(f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>", url)


@pytest.mark.parametrize(
    ("url", "title", "head", "kind"),
    [
        ("https://p.com/case-studies/acme-iot/", "Acme", "", "case_study"),
        ("https://p.com/case-studies/", "Case studies", "", "listing"),
        ("https://p.com/case-studies/page/2/", "Case studies", "", "listing"),
        ("https://p.com/work/acme-plant-case-study", "Acme", "", "case_study"),
        ("https://p.com/p/123", "Case study: Acme Motors", "", "case_study"),
        # "How … with AWS" alone is a weak sign (partners title their own posts so too)
        ("https://p.com/p/124", "How Acme cut scrap 20% with AWS IoT SiteWise", "", "other"),
        ("https://p.com/customers/acme/", "How Acme cut scrap 20% with AWS IoT SiteWise", "", "case_study"),
        ("https://p.com/blog/opc-ua/", "OPC UA", "", "thought_leadership"),
        ("https://p.com/blog/", "Blog", "", "listing"),
        ("https://p.com/blog/category/iot/", "IoT", "", "listing"),
        ("https://blog.p.com/2026/05/opc-ua", "OPC UA", "", "thought_leadership"),
        (
            "https://p.com/x",
            "X",
            '<script type="application/ld+json">{"@type": "BlogPosting"}</script>',
            "thought_leadership",
        ),
        ("https://p.com/x", "X", '<meta property="og:type" content="article">', "thought_leadership"),
        ("https://p.com/x", "Webinar: smart factories", "", "thought_leadership"),
        ("https://p.com/industries/manufacturing/", "Manufacturing", "", "landing_page"),
        ("https://p.com/solutions/", "Industrial IoT solutions on AWS", "", "landing_page"),
        ("https://p.com/solutions/", "Cloud solutions", "", "other"),
        ("https://p.com/about/", "About us", "", "other"),
    ],
)
def test_page_kinds(url: str, title: str, head: str, kind: str) -> None:
    """The simplest pages: one signal each (see test_weighed_page_kinds for signals that compete)."""
    page = parse_html(f"<html><head><title>{title}</title>{head}</head><body><h1>{title}</h1></body></html>", url)
    industrial = ["production"]  # kinds other than landing pages do not depend on it
    assert classify_kind(url, page, V, industrial).kind == kind


@pytest.mark.parametrize(
    ("heads", "body", "expected"),
    [
        ("Predictive maintenance", "OPC UA data to AWS IoT SiteWise; OEE up 5%.", {"production"}),
        ("", "Our CAD and CAE team runs Ansys Fluent CFD on HPC clusters.", {"product_design"}),
        ("", "Siemens Teamcenter PLM and the bill of materials.", {"production_design"}),
        ("Industry 4.0", "A digital twin of the connected factory.", {"operations"}),
        ("", "We cut downtime for the web shop and improved the supply chain of parcels.", set()),
        ("", "The cam follower and a mes amis.", set()),  # acronyms are case-sensitive
        ("", "We mention MES once.", set()),  # one weak signal is not a category
    ],
)
def test_categories(heads: str, body: str, expected: set[str]) -> None:
    assert set(detect_categories(heads, body, V)) == expected


LEADGEN = (
    '<form><input name="name"><input type="email" name="email"><input name="company">'
    "<button>Download the case study</button></form>"
)
CONTACT = (
    '<form><input name="name"><input type="email" name="email"><textarea name="msg"></textarea>'
    "<button>Send</button></form>"
)
LONG = "<p>" + "The plant connected its presses and measured results. " * 60 + "</p>"


@pytest.mark.parametrize(
    ("status", "redirects", "body", "gated"),
    [
        (200, [], "<p>Full story.</p>", None),
        (401, [], "", "HTTP 401: authentication required"),
        (403, [], "", "HTTP 403: access forbidden"),
        (
            200,
            ["https://p.com/account/login?next=/cs/a"],
            "<p>Sign in</p>",
            "redirected to a login page (https://p.com/account/login?next=/cs/a)",
        ),
        (
            200,
            [],
            "<p>Teaser.</p>" + LEADGEN,
            "content behind a lead-generation form (3 fields, 'Download the case study')",
        ),
        (200, [], LONG + LEADGEN, None),  # a long page with a form beside it is public
        (200, [], "<p>Short story.</p>" + CONTACT, None),  # a contact form is not a gate
        (200, [], '<form><input name="u"><input type="password" name="p"></form>', "content behind a login form"),
    ],
)
def test_gating(status: int, redirects: list[str], body: str, gated: str | None) -> None:
    page = parse_html(f"<html><body><main>{body}</main></body></html>", "https://p.com/cs/a")
    assert gate_reason(status, "https://p.com/cs/a", redirects, page, V) == gated


BLOG_POSTING = (
    '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": "BlogPosting"}]}</script>'
)
CS_SECTIONS = "<h2>The challenge</h2><p>x</p><h2>Our solution</h2><p>y</p><h2>Results</h2><p>z</p>"


@pytest.mark.parametrize(
    ("url", "title", "head", "body", "kind", "reason"),
    [
        # a date path followed by a slug is an item; the date path alone is an archive
        (
            "https://p.com/insights/2026/10/predictive-maintenance-with-sitewise/",
            "Predictive maintenance with SiteWise",
            "",
            "",
            "thought_leadership",
            "URL under '/insights/' with a date path",
        ),
        ("https://p.com/insights/2026/10/", "October 2026", "", "", "listing", "archive '/insights/2026/10/'"),
        ("https://p.com/blog/2022/june/what-oee-hides", "What OEE hides", "", "", "thought_leadership", None),
        # structured data outweighs a URL that says nothing
        ("https://p.com/x/y", "Notes", BLOG_POSTING, "", "thought_leadership", "structured data type BlogPosting"),
        # a case study told as a blog post is a case study
        (
            "https://p.com/blog/lamna-foods-line-monitoring/",
            "Lamna Foods monitors its lines",
            BLOG_POSTING,
            CS_SECTIONS,
            "case_study",
            "headings of a case study (challenge, solution, results)",
        ),
        # a case study under a resources or post section, written as challenge / solution / results
        (
            "https://p.com/post/how-a-supplier-moved-its-mes",
            "A supplier moves its MES",
            "",
            CS_SECTIONS,
            "case_study",
            None,
        ),
        # company, documentation and product pages are "other", whatever their slug
        ("https://docs.p.com/guide/opc-ua-endpoints.html", "Configuring OPC UA endpoints", "", "", "other", None),
        ("https://p.com/about-us/our-history-since-2011/", "Our history since 2011", "", "", "other", None),
        # an item id in the query of a section page
        ("https://p.com/news.html?id=4711", "Press release", "", "", "thought_leadership", None),
    ],
)
def test_weighed_page_kinds(url: str, title: str, head: str, body: str, kind: str, reason: str | None) -> None:
    html = f"<html><head><title>{title}</title>{head}</head><body><main><h1>{title}</h1>{body}</main></body></html>"
    decision = classify_kind(url, parse_html(html, url), V, [])
    assert decision.kind == kind, decision
    if reason is not None:
        assert reason in decision.reasons, decision.reasons


def test_a_close_call_is_reported_as_a_doubt() -> None:
    # A post URL whose page is mostly a paginated list of dated cards: item or index?
    url = "https://p.com/blog/news-from-our-plants-this-month/"
    cards = "".join(
        f'<article><h3><a href="/blog/post-{i}/">Post {i}</a></h3><time datetime="2026-0{i}-01">1 {i}</time></article>'
        for i in range(1, 4)
    )
    html = (
        "<html><head><title>Roundup</title></head><body><main><h1>Roundup</h1>"
        f'{cards}<a rel="next" href="?page=2">Next</a></main></body></html>'
    )
    decision = classify_kind(url, parse_html(html, url), V, [])
    assert decision.borderline, decision
    assert decision.doubt() == (
        f"page kind uncertain: {decision.kind.replace('_', ' ')} ({decision.score:g}) "
        f"vs {decision.runner_up.replace('_', ' ')} ({decision.runner_up_score:g})"  # type: ignore[union-attr]
    )


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            '<script type="application/ld+json">'
            '{"@type":"Article","datePublished":"2025-03-04","dateModified":"2026-05-30"}</script>',
            "",
            (date(2025, 3, 4), "json-ld"),
        ),
        (
            '<script type="application/ld+json">{"@type":"Article","dateModified":"2026-05-30"}</script>',
            "<p>Posted 2 January 2024</p>",
            (date(2024, 1, 2), "text"),
        ),
        ('<meta property="article:published_time" content="2025-11-20T10:00:00Z">', "", (date(2025, 11, 20), "meta")),
        (
            "",
            "<article><p>Published 12 March 2025</p></article><footer>Last updated: 30 May 2026 © 2026</footer>",
            (date(2025, 3, 12), "text"),
        ),
        ("", "<footer>© 2026 Acme</footer>", None),
        ('<meta property="article:published_time" content="2027-01-01">', "", None),  # after the audit date
        # A UTC timestamp late on the publisher's evening: the page's local stamp of the same instant gives the day.
        (
            '<meta property="article:published_time" content="2025-11-21T02:11:03+00:00">',
            '<time datetime="2025-11-20T21:11:03-05:00">November 20, 2025</time>',
            (date(2025, 11, 20), "meta"),
        ),
        (
            '<meta property="article:published_time" content="2025-11-21T02:11:03Z">',
            '<time datetime="2025-11-19T09:00:00-05:00">November 19</time>',
            (date(2025, 11, 21), "meta"),
        ),  # another instant
        # An article's own footer holds its date; the page's footer is dropped.
        (
            "",
            "<article><h1>Notes</h1><p>Plant-floor notes.</p>"
            '<footer>Posted <time datetime="2025-02-03">3 February 2025</time>'
            "</footer></article><footer>Last updated 30 May 2026 © 2026</footer>",
            (date(2025, 2, 3), "htmldate"),
        ),
        # Reissued: the issue-date meta names a later day, which is also the declared modification.
        (
            '<meta name="date" content="2025-06-01T09:00:00+02:00"><script type="application/ld+json">'
            '{"@type":"NewsArticle","datePublished":"2024-01-10","dateModified":"2025-06-01T07:00:00Z"}</script>',
            "",
            (date(2025, 6, 1), "json-ld, reissued; first published 2024-01-10"),
        ),
        # A later 'date' meta that is not the declared modification is not a reissue.
        (
            '<meta name="date" content="2025-06-01"><script type="application/ld+json">'
            '{"@type":"NewsArticle","datePublished":"2024-01-10","dateModified":"2025-08-09"}</script>',
            "",
            (date(2024, 1, 10), "json-ld"),
        ),
        # Other publication meta names htmldate knows, in the formats they come in.
        ('<meta name="dc.date.created" content="2025-04-02T17:22:48">', "", (date(2025, 4, 2), "meta")),
        ('<meta name="bt:pubdate" content="20250402T08:00:00Z">', "", (date(2025, 4, 2), "meta")),
        ('<meta name="date" content="Wed, 02 Apr 2025 09:12:22 +0100">', "", (date(2025, 4, 2), "meta")),
        # A 'last updated' note the reader sees is blanked in the markup htmldate reads.
        ("", "<div class='date'>Last updated: 30 May 2026</div><article><p>Notes.</p></article>", None),
    ],
)
def test_publication_dates(head: str, body: str, expected: tuple[date, str] | None) -> None:
    html = f"<html><head><title>t</title>{head}</head><body>{body}</body></html>"
    page = parse_html(html, "https://p.com/post")
    found = publication_date(html, "https://p.com/post", page, V, AS_OF)
    assert (found.published, found.source) == expected if found else expected is None


def test_a_page_declaring_its_encoding_in_an_xml_declaration_is_dated() -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html><head><title>t</title></head>'
        '<body><article><time datetime="2025-03-12"></time><p>Plant notes.</p></article></body></html>'
    )
    page = parse_html(html, "https://p.com/post")
    found = publication_date(html, "https://p.com/post", page, V, AS_OF)
    assert found is not None and (found.published, found.source) == (date(2025, 3, 12), "htmldate")


def test_a_reissued_item_first_published_before_the_window_is_for_the_auditor_to_confirm() -> None:
    a, b = "https://p.com/blog/a", "https://p.com/blog/b"
    facts = {a: facts_for(a, "thought_leadership", published=date(2026, 5, 1)), b: facts_for(b, "thought_leadership")}
    facts[b].published, facts[b].first_published = date(2026, 4, 2), "2022-01-10"
    result = evaluate(facts, outcome_of([("https://p.com/", a), ("https://p.com/", b)]), AuditSettings(as_of=AS_OF))[
        "3.2"
    ]
    assert result.status == "needs_review"
    assert [e.url for e in result.evidence] == [a]
    assert result.rejected[0].url == b
    assert result.rejected[0].reasons[0] == (
        "reissued 2026-04-02, first published 2022-01-10: confirm it is new material"
    )
    # First published inside the window: the reissue date is the date, nothing to confirm.
    facts[b].first_published = "2026-01-10"
    result = evaluate(facts, outcome_of([("https://p.com/", a), ("https://p.com/", b)]), AuditSettings(as_of=AS_OF))[
        "3.2"
    ]
    assert result.status == "met" and [e.url for e in result.evidence] == [a, b]


def test_undated_candidates_make_3_2_needs_review() -> None:
    a, b = "https://p.com/blog/a", "https://p.com/blog/b"
    facts = {a: facts_for(a, "thought_leadership", published=date(2026, 5, 1)), b: facts_for(b, "thought_leadership")}
    result = evaluate(facts, outcome_of([("https://p.com/", a), ("https://p.com/", b)]), AuditSettings(as_of=AS_OF))[
        "3.2"
    ]
    assert result.status == "needs_review"
    assert result.rejected[0].url == b and result.rejected[0].reasons[0] == "undated: no publication date on the page"


def test_a_page_limit_that_left_a_case_study_link_unread_turns_2_2_into_needs_review() -> None:
    a, unread = "https://p.com/case-studies/a", "https://p.com/case-studies/b"
    facts = {a: facts_for(a, "case_study")}
    outcome = outcome_of(
        [("https://p.com/", a), ("https://p.com/", unread)], limits=["max_pages (5) reached with 40 URLs still queued"]
    )
    outcome.unvisited, outcome.link_text = [unread], {unread: "Fabrikam case study"}
    result = evaluate(facts, outcome, AuditSettings(as_of=AS_OF))["2.2"]
    assert result.status == "needs_review"
    assert result.reasons[0] == (
        "1 page within 4 clicks that could be this check's evidence was not read: "
        f"{unread} (not fetched: max_pages (5) reached)"
    )


def test_case_study_beyond_the_click_limit_is_not_easily_discoverable() -> None:
    chain = [
        "https://p.com/",
        "https://p.com/1",
        "https://p.com/2",
        "https://p.com/3",
        "https://p.com/4",
        "https://p.com/case-studies/deep",
    ]
    facts = {u: facts_for(u, "case_study") for u in chain[-1:]}
    edges = list(itertools.pairwise(chain))
    result = evaluate(facts, outcome_of(edges), AuditSettings(as_of=AS_OF, min_case_studies=1))["2.2"]
    assert result.status == "not_met"
    assert result.rejected[0].reasons[0] == "5 clicks from the home page (more than 4)"


def test_landing_page_without_aws_mention_needs_review() -> None:
    lp, cs = "https://p.com/industries/manufacturing/", "https://p.com/case-studies/a"
    facts = {lp: facts_for(lp, "landing_page", aws=False), cs: facts_for(cs, "case_study")}
    facts[lp].content_links = [cs]
    result = evaluate(facts, outcome_of([("https://p.com/", lp), (lp, cs)]), AuditSettings(as_of=AS_OF))["3.1"]
    assert result.status == "needs_review"
    assert result.rejected[0].reasons[0] == "does not mention the AWS partnership"


LP, HOME_URL = "https://p.com/industries/manufacturing/", "https://p.com/"


def _landing(
    links: list[tuple[str, str]], pages: dict[str, PageFacts], claims: list[ClaimVerdict] | None = None
) -> CheckResult:
    """3.1 for the practice page LP (linked from home) with these pages and links besides."""
    facts = {LP: facts_for(LP, "landing_page"), **pages}
    facts[LP].content_links = [target for source, target in links if source == LP]
    edges = [(HOME_URL, LP), *links, *((HOME_URL, u) for u in pages)]
    return evaluate(facts, outcome_of(edges), AuditSettings(as_of=AS_OF), claims)["3.1"]


def _case(url: str, status: int = 200, **fields: object) -> PageFacts:
    f = facts_for(url, "case_study")
    f.status = status
    f.clouds, f.aws_services = ["AWS"], ["AWS IoT SiteWise"]
    for name, value in fields.items():
        setattr(f, name, value)
    return f


@pytest.mark.parametrize(
    ("pages", "links", "status", "reason"),
    [
        # one live case study and one dead link: met, and the dead one is named
        (
            {"https://p.com/cs/a": _case("https://p.com/cs/a"), "https://p.com/cs/b": _case("https://p.com/cs/b", 404)},
            [(LP, "https://p.com/cs/a"), (LP, "https://p.com/cs/b")],
            "met",
            "links to a case study that does not count: https://p.com/cs/b: not available: HTTP 404",
        ),
        # every linked case study is dead: not enough
        (
            {"https://p.com/cs/b": _case("https://p.com/cs/b", 404)},
            [(LP, "https://p.com/cs/b")],
            "not_met",
            "links to no public case study",
        ),
        # gated: not public
        (
            {"https://p.com/cs/g": _case("https://p.com/cs/g", gated="content behind a login form")},
            [(LP, "https://p.com/cs/g")],
            "not_met",
            "links to no public case study",
        ),
        # through the case-study index it links to
        (
            {
                "https://p.com/cs/": facts_for("https://p.com/cs/", "listing"),
                "https://p.com/cs/a": _case("https://p.com/cs/a"),
            },
            [(LP, "https://p.com/cs/"), ("https://p.com/cs/", "https://p.com/cs/a")],
            "met",
            "links to 1 public case study (through https://p.com/cs/)",
        ),
    ],
)
def test_the_landing_page_counts_only_live_public_case_study_links(
    pages: dict[str, PageFacts], links: list[tuple[str, str]], status: str, reason: str
) -> None:
    result = _landing(links, pages)
    assert result.status == status
    items = result.evidence or result.rejected
    assert reason in items[0].reasons, items[0].reasons


def test_with_claims_the_landing_page_must_link_to_two_claimed_public_case_studies() -> None:
    a, b, c = "https://p.com/cs/a", "https://p.com/cs/b", "https://p.com/cs/c"
    pages = {a: _case(a), b: _case(b), c: _case(c)}
    claims = [ClaimVerdict(a, "case_study", "ok"), ClaimVerdict(b, "case_study", "ok")]
    both = _landing([(LP, a), (LP, b)], pages, claims)
    assert both.status == "met"
    assert "links to the claimed public case study https://p.com/cs/b" in both.evidence[0].reasons
    only_b = _landing([(LP, b), (LP, c)], pages, claims)
    assert only_b.status == "not_met"
    reasons = only_b.rejected[0].reasons
    assert reasons[0] == "links to 1 of the claimed case studies, public and live; it must link to 2"
    assert "does not link to the claimed public case study https://p.com/cs/a" in reasons


def test_with_claims_a_dead_claimed_case_study_leaves_the_landing_page_one_short() -> None:
    a, dead = "https://p.com/cs/a", "https://p.com/cs/gone"
    claims = [
        ClaimVerdict(a, "case_study", "ok"),
        ClaimVerdict(dead, "case_study", "not_found", ["HTTP 404"]),
    ]
    result = _landing([(LP, a), (LP, dead)], {a: _case(a)}, claims)
    assert result.status == "not_met"
    reasons = result.rejected[0].reasons
    assert reasons[0] == "links to 1 of the claimed case studies, public and live; it must link to 2"
    assert f"claimed case study {dead}: not found (HTTP 404)" in reasons


def test_with_one_claimed_case_study_the_landing_page_links_to_it() -> None:
    a = "https://p.com/cs/a"
    result = _landing([(LP, a)], {a: _case(a)}, [ClaimVerdict(a, "case_study", "ok")])
    assert result.status == "met"


@pytest.mark.parametrize(
    ("clouds", "services", "status", "reason"),
    [
        (["AWS"], ["Amazon EC2"], "met", "runs on AWS (Amazon EC2)"),
        (["Microsoft Azure"], [], "not_met", "names Microsoft Azure and not AWS: not an AWS case study"),
        ([], [], "needs_review", "names no cloud platform: confirm it runs on AWS"),
    ],
)
def test_a_case_study_counts_when_it_runs_on_aws(
    clouds: list[str], services: list[str], status: str, reason: str
) -> None:
    a, b = "https://p.com/cs/a", "https://p.com/cs/b"
    facts = {a: _case(a, clouds=clouds, aws_services=services), b: _case(b, clouds=clouds, aws_services=services)}
    result = evaluate(facts, outcome_of([(HOME_URL, a), (HOME_URL, b)]), AuditSettings(as_of=AS_OF))["2.2"]
    assert result.status == status
    assert reason in (result.evidence or result.rejected)[0].reasons


def test_a_case_study_of_uncertain_kind_is_for_the_auditor_to_confirm() -> None:
    a, b = "https://p.com/cs/a", "https://p.com/cs/b"
    doubt = "page kind uncertain: case study (2.5) vs thought leadership (2)"
    facts = {a: _case(a), b: _case(b, kind_doubt=doubt)}
    result = evaluate(facts, outcome_of([(HOME_URL, a), (HOME_URL, b)]), AuditSettings(as_of=AS_OF))["2.2"]
    assert result.status == "needs_review"
    assert result.summary == "1 public industrial case studies on AWS and 1 to confirm by hand"
    assert result.rejected[0].reasons[0] == doubt


def test_analyse_page_dates_only_candidates() -> None:
    html = (
        b'<html><head><title>About</title><meta property="article:published_time" content="2026-01-01">'
        b"</head><body></body></html>"
    )
    page = CrawledPage.from_fetch(
        FetchResult(
            url="https://p.com/about/",
            final_url="https://p.com/about/",
            status=200,
            content_type="text/html",
            body=html,
        )
    )
    assert analyse_page(page, AS_OF).published is None
    assert analyse_page(page, AS_OF, date_all=True).published == date(2026, 1, 1)


def test_3_2_expiring_when_the_deciding_item_ages_out_soon() -> None:
    a, b, c = "https://p.com/blog/a", "https://p.com/blog/b", "https://p.com/blog/c"
    facts = {
        a: facts_for(a, "thought_leadership", published=date(2026, 5, 20)),
        b: facts_for(b, "thought_leadership", published=date(2025, 6, 20)),  # 346 days before AS_OF
        c: facts_for(c, "thought_leadership", published=date(2024, 1, 1)),
    }
    edges = [("https://p.com/", u) for u in (a, b, c)]
    result = evaluate(facts, outcome_of(edges), AuditSettings(as_of=AS_OF))["3.2"]
    assert result.status == "met"
    assert result.extra == {"lapses_on": "2026-06-21", "expiring": True}
    assert result.reasons[0] == "expiring: without new industrial material, 3.2 lapses on 2026-06-21"
    fresh = {a: facts[a], b: facts_for(b, "thought_leadership", published=date(2026, 1, 5))}
    assert evaluate(fresh, outcome_of(edges[:2]), AuditSettings(as_of=AS_OF))["3.2"].extra["expiring"] is False


@pytest.mark.parametrize(
    ("terms", "case_sensitive", "text", "found"),
    [
        (["digital twin", "digital twins", "twin"], False, "Our Digital Twins and a twin.", ["digital twins", "twin"]),
        (["MES"], True, "製造業向けにMESを導入", ["MES"]),
        (["MES"], True, "x-MES, MESH and mes", []),
        (["MES"], True, "MES.", ["MES"]),
        (["industrie 4.0"], False, "Industrie 4.0 ist da", ["industrie 4.0"]),
        (["industrie 4.0"], False, "Industrie 4.01", []),
        (["c++"], False, "written in C++ code", ["c++"]),
        (["プラント"], False, "化学プラントの", ["プラント"]),
        (["plm", "cad"], False, "PLMx and xCAD", []),
        (["aws iot sitewise", "sitewise edge"], False, "AWS IoT SiteWise Edge", ["aws iot sitewise"]),
    ],
)
def test_term_matcher_with_and_without_prepared_text(
    terms: list[str], case_sensitive: bool, text: str, found: list[str]
) -> None:
    from auditcrawl.rules._terms import TermMatcher, Text

    matcher = TermMatcher(terms, case_sensitive=case_sensitive)
    assert matcher.find(text) == found
    assert matcher.find(Text(text)) == found  # the word-set shortcut never hides a match
    assert matcher.search(Text(text)) is bool(found)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "it", "ja", "*"])
def test_every_partnership_pattern_names_a_cue(lang: str) -> None:
    """Pages without a cue are not searched with the patterns, so a pattern without one would never fire."""
    vocab = load_vocabulary(lang)
    for pattern in vocab.aws_partnership:
        assert any(cue in pattern.pattern.lower() for cue in vocab.aws_cues), pattern.pattern


@pytest.mark.parametrize(
    ("kind", "categories", "source", "candidate"),
    [
        ("other", [], "link", False),
        ("other", ["production"], "link", True),
        ("case_study", [], "link", True),
        ("other", [], "seed", True),
        ("other", [], "claim", True),
        ("listing", [], "sitemap", True),
    ],
)
def test_evidence_candidates(kind: str, categories: list[str], source: str, candidate: bool) -> None:
    """Pages that are not candidates live in storage only during a crawl: the checks never cite them."""
    f = PageFacts(
        url="https://p.com/x",
        final_url="https://p.com/x",
        status=200,
        content_type="text/html",
        fetched_at=datetime.now(UTC),
        depth=1,
        source=source,
        offsite=False,
        kind=kind,
        categories=categories,
    )  # type: ignore[arg-type]
    assert f.evidence_candidate is candidate
