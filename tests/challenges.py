"""Bot-challenge pages as each vendor's edge answers them, written for the tests: the status, the
headers and the markers the real ones carry, with text of our own."""

from __future__ import annotations

from auditcrawl.siteserver import Page

CHALLENGES: dict[str, Page] = {
    "Cloudflare": Page(
        """<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>
        <div id="challenge-body"><p>Checking that the connection is safe before going on.</p></div>
        <script>window._cf_chl_opt = {cvId: "3", cType: "managed"};</script>
        <script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>""",
        status=503,
        headers={"Server": "cloudflare", "CF-Ray": "8a1b2c3d4e5f-FRA", "Cache-Control": "no-store"},
    ),
    "Akamai": Page(
        """<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>
        You may not reach "http&#58;&#47;&#47;www&#46;example&#46;com&#47;" from here.<P>
        Reference&#32;&#35;18&#46;4f2d3b17&#46;1733390000&#46;9a1b2c3
        <P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;4f2d3b17</P></BODY></HTML>""",
        status=403,
        headers={"Server": "AkamaiGHost", "Mime-Version": "1.0"},
    ),
    "Imperva": Page(
        """<html><head><meta name="robots" content="noindex,nofollow"></head><body>
        <iframe src="/_Incapsula_Resource?SWUDNSAI=31&xinfo=9-1" frameborder=0 width="100%" height="100%">
        Request unsuccessful. Incapsula incident ID: 1000-2000300040</iframe></body></html>""",
        status=200,
        headers={"X-Iinfo": "9-12345678-0 0NNN RT(1733390000 5) q(0 -1 -1 0) r(0 -1)", "X-CDN": "Imperva"},
    ),
    "DataDome": Page(
        """<html><head><title>example.com</title></head><body>
        <p>Please enable JS and disable any ad blocker</p>
        <script>var dd={'rt':'c','cid':'AHrlqAAAA','hsh':'2211F5','s':4980,'host':'geo.captcha-delivery.com'}</script>
        <script src="https://ct.captcha-delivery.com/c.js"></script></body></html>""",
        status=403,
        headers={"X-DataDome": "protected", "X-DD-B": "2"},
    ),
    "PerimeterX": Page(
        """<!DOCTYPE html><html lang="en"><head><title>Access to this page has been denied</title></head>
        <body><div id="px-captcha"></div><p>Press &amp; Hold to confirm you are a human (and not a bot).</p>
        <script>window._pxAppId = 'PXa1b2c3d4';</script></body></html>""",
        status=403,
    ),
}
