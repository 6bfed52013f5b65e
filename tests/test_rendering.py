"""JavaScript-built sites through real Chromium: auto mode, never mode, screenshots, blocked requests."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest

from auditcrawl.crawler import AddressPolicy, StaticResolver, parse_html, refusal_reason, render_reason
from auditcrawl.siteserver import Page, SiteServer

from .sites import classic_site, days_ago, text

if not Path("/usr/bin/chromium").exists():
    pytest.fail(
        "Debian's chromium is not installed at /usr/bin/chromium: run `make test`, which installs it", pytrace=False
    )

SHELL = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Industrial Cloud</title>
<script src="/app.js" defer></script></head><body><div id="app"></div>
<noscript>Please enable JavaScript to use this site.</noscript></body></html>"""

CONTENT = {
    "/": "<h1>AWS consulting</h1><p>We help companies run on AWS.</p>",
    "/industries/manufacturing/": """<h1>Industrial software on AWS</h1><p>Our manufacturing practice: MES, PLM and
        Industrial IoT on AWS. AWS Advanced Tier Services Partner working with Siemens and PTC. OPC UA connectivity to
        AWS IoT SiteWise and predictive maintenance.</p><a href="/case-studies/contoso/">Contoso case study</a>""",
    "/case-studies/": "<h1>Case studies</h1>"
    '<a href="/case-studies/contoso/">Contoso</a> <a href="/case-studies/fabrikam/">Fabrikam</a>',
    "/case-studies/contoso/": """<h1>Case study: Contoso Motors</h1><p>Predictive maintenance with AWS IoT SiteWise and
        OPC UA across 4 plants; OEE up 6 points, unplanned downtime down 30%.</p>""",
    "/case-studies/fabrikam/": """<h1>Case study: Fabrikam</h1><p>Siemens Teamcenter PLM on Amazon EC2; the bill of
        materials flows into the MES through the digital thread.</p>""",
    "/blog/": '<h1>Blog</h1><a href="/blog/digital-twins/">Digital twins</a> <a href="/blog/opc-ua/">OPC UA</a>',
    "/blog/digital-twins/": f"""<article><h1>Digital twins on AWS</h1>
    <p>Published <time datetime="{days_ago(30)}">{days_ago(30)}</time></p>
        <p>A digital twin of a production line with AWS IoT TwinMaker and Industrial IoT data.</p></article>""",
    "/blog/opc-ua/": f"""<article><h1>OPC UA at the edge</h1>
    <p>Published <time datetime="{days_ago(90)}">{days_ago(90)}</time></p>
        <p>Connecting PLCs and SCADA over OPC UA to AWS IoT Greengrass in a smart factory.</p></article>""",
}

# The menu is built by the script; the Industries entry only fills its submenu when clicked.
APP_JS = (
    "const CONTENT = "
    + json.dumps(CONTENT)
    + ";\n"
    + """document.addEventListener('DOMContentLoaded', () => {
  const app = document.getElementById('app');
  app.innerHTML = `<header><nav>
      <a href="/">Home</a>
      <button class="dropdown-toggle" aria-expanded="false" id="industries">Industries</button><ul id="sub"></ul>
      <a href="/case-studies/">Case studies</a> <a href="/blog/">Blog</a></nav></header>
    <main>${CONTENT[location.pathname] || '<h1>Not found</h1>'}</main>
    <footer>AWS Advanced Tier Services Partner</footer>`;
  document.getElementById('industries').addEventListener('click', (e) => {
    e.target.setAttribute('aria-expanded', 'true');
    document.getElementById('sub').innerHTML = '<li><a href="/industries/manufacturing/">Manufacturing</a></li>';
  });
});
"""
)


def js_site(extra_js: str = "") -> dict[str, Page]:
    routes: dict[str, Page] = {path: Page(SHELL) for path in CONTENT}
    routes["/app.js"] = Page(APP_JS + extra_js, content_type="application/javascript")
    routes["/robots.txt"] = text("User-agent: *\nAllow: /\n")
    return routes


async def test_javascript_site_meets_all_three_in_auto_mode(serve: Any, audit: Any) -> None:
    server = serve(js_site())
    u = server.url
    result = await audit(u("/"), render="auto")
    assert result.statuses() == ("met", "met", "met")
    assert result.evidence_urls("3.1") == {u("/industries/manufacturing/")}
    landing = result.document["checks"]["3.1"]["evidence"][0]
    assert landing["click_path"] == [u("/"), u("/industries/manufacturing/")]  # reached through the clicked menu
    assert landing["rendered"] is True
    assert result.evidence_urls("2.2") == {u("/case-studies/contoso/"), u("/case-studies/fabrikam/")}
    assert result.evidence_urls("3.2") == {u("/blog/digital-twins/"), u("/blog/opc-ua/")}
    assert result.document["run"]["pages_rendered"] >= 8


async def test_the_same_site_with_rendering_off_gets_the_honest_static_answer(serve: Any, audit: Any) -> None:
    server = serve(js_site())
    result = await audit(server.url("/"), render="never")
    assert result.statuses() == ("needs_review", "needs_review", "needs_review")
    assert "look built by JavaScript and were not rendered (--render never)" in result.reasons("2.2")
    assert result.document["run"]["pages_rendered"] == 0
    assert [path for _, path, _ in server.requests if path != "/robots.txt" and not path.startswith("/sitemap")] == [
        "/"
    ]


async def test_server_rendered_site_is_rarely_rendered_in_auto_mode(serve: Any, audit: Any) -> None:
    analytics = '<script src="/analytics.js" async></script>'
    routes = {
        path: Page(str(p.body).replace("</head>", analytics + "</head>"), p.status, p.content_type)
        if p.content_type.startswith("text/html")
        else p
        for path, p in classic_site().items()
    }
    routes["/analytics.js"] = Page("window.dataLayer = [];", content_type="application/javascript")
    server = serve(routes)
    result = await audit(server.url("/"), render="auto")
    run = result.document["run"]
    share = run["pages_rendered"] / run["pages_fetched"]
    print(
        f"auto mode rendered {run['pages_rendered']} of {run['pages_fetched']} pages ({share:.0%}) of a "
        "server-rendered site"
    )
    assert share < 0.3
    assert result.statuses() == ("met", "met", "met")


async def test_evidence_screenshots_are_pngs_whose_hashes_match_the_export(
    serve: Any, audit: Any, tmp_path: Path
) -> None:
    server = serve(classic_site())
    result = await audit(server.url("/"), screenshots=True)
    items = [e for c in ("3.1", "2.2", "3.2") for e in result.document["checks"][c]["evidence"]]
    assert len(items) == 5
    for item in items:
        path = Path(item["screenshot"])
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", item["url"]
        assert hashlib.sha256(data).hexdigest() == item["screenshot_sha256"]
        assert path.parent.name == result.document["run"]["id"]


class _OnlyTheSite(AddressPolicy):
    """The partner site stands on 127.0.0.2; every other private address stays refused."""

    def __init__(self) -> None:
        super().__init__(allow_private=False)

    def check(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        return None if str(ip) == "127.0.0.2" else refusal_reason(ip)


async def test_rendered_page_cannot_reach_loopback_or_out_of_scope_hosts(serve: Any, audit: Any) -> None:
    with SiteServer({"/secret.js": Page("window.leaked = true;", content_type="application/javascript")}) as internal:
        leak = f"""
        fetch('http://127.0.0.1:{internal.port}/secret.js').catch(() => {{}});
        fetch('http://tracker.example/collect').catch(() => {{}});
        fetch('http://static.partner.test:{internal.port}/secret.js').catch(() => {{}});
        const s = document.createElement('script'); s.src = 'http://127.0.0.1:{internal.port}/secret.js';
        document.head.appendChild(s);
        """
        site = SiteServer(js_site(leak), host="127.0.0.2").start()
        try:
            names = {"partner.test": "127.0.0.2", "tracker.example": "127.0.0.2", "static.partner.test": "127.0.0.1"}
            resolver = StaticResolver(names, strict=True)
            result = await audit(
                f"http://partner.test:{site.port}/", resolver=resolver, policy=_OnlyTheSite(), allow_private=False
            )
        finally:
            site.stop()
        assert internal.requests == []
        assert result.status("2.2") == "met"  # the site itself rendered fine
        notes = " ".join(result.document["run"]["notes"])
        # in scope but resolving to loopback: refused by destination safety
        assert (
            f"http://static.partner.test:{internal.port}/secret.js (refused destination static.partner.test: "
            "loopback address 127.0.0.1)" in notes
        )
        # a bare loopback address is not the partner's site either
        assert f"http://127.0.0.1:{internal.port}/secret.js (outside the partner's site (partner.test))" in notes
        assert "http://tracker.example/collect (outside the partner's site (partner.test))" in notes


async def test_missing_browser_falls_back_to_static_and_asks_for_review(serve: Any, audit: Any) -> None:
    server = serve(js_site())
    result = await audit(server.url("/"), render="auto", browser_path="/nonexistent/chromium")
    assert result.document["run"]["status"] in ("complete", "partial")
    notes = " ".join(result.document["run"]["notes"])
    assert "browser unavailable (/nonexistent/chromium)" in notes
    assert result.statuses() == ("needs_review", "needs_review", "needs_review")
    assert "needed a browser and kept only their served HTML" in result.reasons("3.1")


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (SHELL, "empty application root: content is built by scripts"),
        (
            '<html><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">{}</script>'
            "</body></html>",
            "empty application root: content is built by scripts",
        ),
        (
            "<html><body><noscript>You need to enable JavaScript to run this app.</noscript><p>Loading</p>"
            "<script src=a.js></script></body></html>",
            "page asks for JavaScript",
        ),
        (
            "<html><body><nav><button>Menu</button></nav><main>"
            + "<p>Plenty of server-rendered words here. </p>" * 20
            + "<a href=/a>a</a></main><script src=m.js></script></body></html>",
            "navigation without links: menu built by scripts",
        ),
        (
            "<html><body><nav><a href=/a>A</a><a href=/b>B</a></nav><main>"
            + "<p>Server-rendered article text. </p>" * 20
            + "</main><script src=x.js></script></body></html>",
            None,
        ),
        ("<html><body><p>Short page without any scripts.</p></body></html>", None),
    ],
)
def test_render_decision(html: str, reason: str | None) -> None:
    assert render_reason(parse_html(html, "https://p.com/"), html) == reason
