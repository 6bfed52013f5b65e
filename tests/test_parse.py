from __future__ import annotations

import pytest

from auditcrawl.crawler import decode_html, parse_html

HTML = """<!doctype html><html lang="en-GB"><head>
<title> Acme | Case study </title>
<meta name="description" content="A story">
<meta property="og:type" content="article">
<meta name="robots" content="noindex">
<link rel="canonical" href="/cs/acme?utm_source=x">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"Article","datePublished":"2026-01-02"},{"@type":"Organization"}]}</script>
<script type="application/ld+json">{not json</script>
</head><body>
<header><a href="/">Home</a></header>
<nav><a href="/services/">Services</a><a href="/services/">Services again</a></nav>
<div class="mega-menu"><a href="/industries/manufacturing/">Manufacturing</a></div>
<main><h1>Acme story</h1><h2>Results</h2><p>Downtime fell <a href="/blog/x?utm_medium=y#top">read</a>.</p>
<a href="mailto:x@y.z">mail</a><a href="/brochure.pdf">PDF</a><a href="/logo.png">logo</a>
<img src="/b.png" alt="AWS Advanced Tier Services Partner">
<form action="/dl"><input name="name"><input type="email" name="work_email"><input type="hidden" name="t">
<button type="submit">Download now</button></form>
<form action="/login"><input name="u"><input type="password" name="p"></form>
<script>var x = "not text";</script></main>
<footer><a href="https://www.linkedin.com/company/acme">LinkedIn</a></footer>
<div role="navigation"><a href="/sitemap/">Sitemap</a></div>
</body></html>"""


def test_parse_extracts_what_the_rules_need() -> None:
    page = parse_html(HTML, "https://acme.com/cs/acme")
    assert page.title == "Acme | Case study"
    assert page.lang == "en-gb"
    assert page.description == "A story" and page.og_type == "article" and page.noindex
    assert page.canonical == "https://acme.com/cs/acme"
    assert [item.get("@type") for item in page.json_ld] == ["Article", "Organization", None][
        : len(page.json_ld)
    ] or len(page.json_ld) >= 2
    assert {"Article", "Organization"} <= {item.get("@type") for item in page.json_ld}
    regions = {(link.url, link.region) for link in page.links}
    assert ("https://acme.com/", "header") in regions
    assert ("https://acme.com/services/", "nav") in regions
    assert ("https://acme.com/industries/manufacturing/", "nav") in regions  # class hint "menu"
    assert ("https://acme.com/blog/x", "main") in regions
    assert ("https://www.linkedin.com/company/acme", "footer") in regions
    assert ("https://acme.com/sitemap/", "nav") in regions  # role=navigation
    urls = [link.url for link in page.links]
    assert urls.count("https://acme.com/services/") == 1
    assert "https://acme.com/brochure.pdf" in urls and "https://acme.com/logo.png" not in urls
    assert not any(u.startswith("mailto:") for u in urls)
    assert page.h1 == ["Acme story"] and page.headings == ["Acme story", "Results"]
    assert "not text" not in page.text and "Downtime fell" in page.text
    assert page.image_alts == ["AWS Advanced Tier Services Partner"]
    leadgen, login = page.forms
    assert (
        leadgen.has_email
        and not leadgen.has_password
        and leadgen.visible_fields == 2
        and leadgen.submit_text == "Download now"
    )
    assert login.has_password


def test_decode_html_falls_back_without_failing() -> None:
    assert decode_html("café".encode(), "text/html; charset=utf-8") == "café"
    assert decode_html("café".encode("latin-1"), "text/html; charset=iso-8859-1") == "café"
    assert decode_html('<meta charset="windows-1252">caf\xe9'.encode("latin-1")).endswith("café")
    assert decode_html(b"caf\xe9 \xff", "text/html; charset=bogus-charset") == "café ÿ"


@pytest.mark.parametrize(
    ("content", "target"),
    [
        ("0; url=https://acme.com/new/", "https://acme.com/new/"),
        ("0;URL='/case-studies/new/'", "https://acme.com/case-studies/new/"),
        ("3, url=/new/", "https://acme.com/new/"),
        ("0; url=/old/", None),  # to itself: a reload
        ("5", None),  # a reload every five seconds
        ("60; url=/new/", None),  # a page of its own that moves on after a minute
    ],
)
def test_a_meta_refresh_that_moves_the_visitor_on_is_a_redirect(content: str, target: str | None) -> None:
    page = parse_html(f'<head><meta http-equiv="Refresh" content="{content}"></head>', "https://acme.com/old/")
    assert page.refresh_to == target


def test_versions_and_badges_read_from_the_head_and_images() -> None:
    page = parse_html(
        '<link rel="canonical" href="/a/"><link rel="alternate" hreflang="de" href="/de/a/">'
        '<link rel="alternate" type="application/rss+xml" href="/feed/">'
        '<img src="/img/aws-advanced-tier-services-partner_2024.png?v=3"><img alt="Our team" src="/team.jpg">',
        "https://acme.com/a/",
    )
    assert page.canonical == "https://acme.com/a/" and page.alternates == ["https://acme.com/de/a/"]
    assert page.image_alts == ["Our team"] and page.image_names == ["aws advanced tier services partner"]
