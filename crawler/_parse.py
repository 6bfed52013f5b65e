"""HTML parsing with selectolax's Lexbor parser: one pass, plain dataclasses out."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ._urls import canonicalize

__all__ = ["REGION_WEIGHT", "Form", "Link", "ParsedPage", "decode_html", "parse_html"]

_REGION_TAGS = {
    "nav": "nav",
    "header": "header",
    "footer": "footer",
    "aside": "aside",
    "main": "main",
    "article": "main",
}
_REGION_ROLES = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "main": "main",
}
# How much a link's place on the page says about its importance (nav menus lead to the main sections).
REGION_WEIGHT = {"nav": 0.5, "header": 0.4, "main": 0.3, "body": 0.2, "aside": 0.1, "footer": 0.1}
_REGION_HINTS = (("footer", "footer"), ("nav", "nav"), ("menu", "nav"), ("header", "header"), ("sidebar", "aside"))
_NON_CONTENT = "script, style, noscript, template, svg, iframe"
# Links to files that are never pages (a set lookup on the last path segment's extension).
_SKIP_EXT = frozenset(
    [
        "jpg",
        "jpeg",
        "png",
        "gif",
        "webp",
        "svg",
        "ico",
        "bmp",
        "tif",
        "tiff",
        "css",
        "js",
        "mjs",
        "json",
        "woff",
        "woff2",
        "ttf",
        "eot",
        "mp3",
        "mp4",
        "m4a",
        "wav",
        "avi",
        "mov",
        "webm",
        "zip",
        "gz",
        "tgz",
        "rar",
        "7z",
        "exe",
        "dmg",
        "msi",
        "iso",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "csv",
        "xml",
        "rss",
        "atom",
    ]
)
MAX_TEXT = 200_000  # characters of content analysed per page: plenty for any real page, bounded for hostile ones
MAX_IMAGE_NAMES = 50  # file names of images without alt text kept per page
MAX_DEPTH = 2_000  # the parser slows down quadratically with nesting; no real page nests this deep
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*?(/?)>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)


@dataclass(frozen=True)
class Link:
    url: str
    anchor: str
    region: str  # nav | header | footer | aside | main | body
    date_hint: str | None = None  # a <time datetime> or short text of the card around the link (listings)


@dataclass(frozen=True)
class Form:
    action: str
    has_password: bool
    has_email: bool
    field_names: tuple[str, ...]
    visible_fields: int
    submit_text: str


@dataclass
class ParsedPage:
    url: str
    title: str | None = None
    description: str | None = None
    canonical: str | None = None
    alternates: list[str] = field(default_factory=list)  # <link rel="alternate" hreflang>: the page in other languages
    refresh_to: str | None = None  # <meta http-equiv="refresh" content="0; url=…">: a redirect written in the page
    lang: str | None = None
    og_type: str | None = None
    h1: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    text: str = ""  # the main content
    visible_text: str = ""  # all the text a visitor sees: menus, sidebars and footers too
    word_count: int = 0
    json_ld: list[dict[str, Any]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    image_alts: list[str] = field(default_factory=list)
    image_names: list[str] = field(default_factory=list)  # file names of images without alt text, as words
    noindex: bool = False
    nofollow: bool = False
    meta: dict[str, str] = field(default_factory=dict)
    media_embeds: list[str] = field(default_factory=list)
    is_pdf: bool = False
    notes: list[str] = field(default_factory=list)  # what could not be read, for the auditor
    script_count: int = 0
    nav_count: int = 0  # <nav> elements and role=navigation: menus a visitor sees
    noscript_text: str = ""
    has_app_data: bool = False  # __NEXT_DATA__, __NUXT__, window.__INITIAL_STATE__...
    # Page structure, for telling an item from an index of items:
    time_count: int = 0  # <time> elements: one by an article's title, many in a list of posts
    article_count: int = 0  # <article> elements: one for a post, one a card on an index page
    has_next: bool = False  # rel="next": one page of a paginated list


def decode_html(body: bytes, content_type_header: str = "") -> str:
    """Decode with the declared charset, then UTF-8, then Windows-1252 (never fails)."""
    declared = re.search(r"charset=[\"']?([\w.:-]+)", content_type_header, re.I)
    in_markup = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", body[:4096], re.I)
    charset = declared.group(1) if declared else in_markup.group(1).decode("ascii", "ignore") if in_markup else None
    for encoding in (charset, "utf-8"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


def _is_file(url: str) -> bool:
    segment = url.split("?", 1)[0].rsplit("/", 1)[-1]
    return "." in segment and segment.rsplit(".", 1)[1].lower() in _SKIP_EXT


def _clean(text: str | None) -> str:
    # str.split() splits on the same whitespace as \s, and is several times faster than re.sub
    return " ".join(text.split()) if text else ""


def _region(node: LexborNode) -> str:
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        tag = parent.tag or ""
        if tag in _REGION_TAGS:
            return _REGION_TAGS[tag]
        attrs = parent.attributes
        role = (attrs.get("role") or "").lower()
        if role in _REGION_ROLES:
            return _REGION_ROLES[role]
        hint = f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower()
        for needle, region in _REGION_HINTS:
            if needle in hint:
                return region
        parent = parent.parent
    return "body"


_CARD_TAGS = frozenset({"li", "article", "tr", "dd", "section", "div", "p"})
_TITLE_TAGS = frozenset({"h2", "h3", "h4", "h5", "strong", "span"})
_MAX_CARD_TEXT = 300


def _date_hint(link: LexborNode) -> str | None:
    """The date shown beside a link on a listing page: the nearest small card's <time> or text."""
    node = link.parent
    while node is not None and node.tag in _TITLE_TAGS:  # a card's linked title: its date is beside the title
        node = node.parent
    for _ in range(3):
        if node is None or node.tag not in _CARD_TAGS:
            return None
        time_node = node.css_first("time[datetime]")
        if time_node is not None:
            return time_node.attributes.get("datetime") or None
        text = _clean(node.text(separator=" "))
        if len(text) > _MAX_CARD_TEXT:
            return None
        if any(ch.isdigit() for ch in text) and len(node.css("a[href]")) <= 3:
            return text
        node = node.parent
    return None


def _json_ld(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(deep=True) or "null", strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
                items.append(item)
    return items


def _forms(tree: LexborHTMLParser) -> list[Form]:
    forms = []
    for form in tree.css("form"):
        names: list[str] = []
        has_password = has_email = False
        visible = 0
        for field_node in form.css("input, select, textarea"):
            attrs = field_node.attributes
            kind = (attrs.get("type") or "text").lower()
            if kind in ("hidden", "submit", "button", "image", "reset"):
                continue
            visible += 1
            name = (attrs.get("name") or attrs.get("id") or "").lower()
            names.append(name)
            has_password |= kind == "password"
            has_email |= kind == "email" or "email" in name
        submit = form.css_first('button, input[type="submit"]')
        submit_text = ""
        if submit is not None:
            submit_text = _clean(submit.text(deep=True)) or (submit.attributes.get("value") or "")
        forms.append(
            Form(
                action=form.attributes.get("action") or "",
                has_password=has_password,
                has_email=has_email,
                field_names=tuple(names),
                visible_fields=visible,
                submit_text=submit_text[:100],
            )
        )
    return forms


def _cut_at_depth(html: str) -> tuple[str, bool]:
    """The document up to where its elements nest deeper than MAX_DEPTH (a cheap count first)."""
    if html.count("<") < 10 * MAX_DEPTH:
        return html, False
    depth = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                return html[: m.start()], True
    return html, False


_REFRESH = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*[;,]\s*(?:url\s*=\s*)?['\"]?([^'\"]+)", re.IGNORECASE)
MAX_REFRESH_SECONDS = 10  # a page that moves the visitor on within this is a redirect, not a page of its own


def _refresh_target(content: str, base: str, url: str) -> str | None:
    """Where a meta refresh sends the visitor ("0; url=/new/"), when it does so promptly and elsewhere."""
    found = _REFRESH.match(content)
    if found is None or float(found[1]) > MAX_REFRESH_SECONDS:
        return None
    target = canonicalize(found[2].strip(), base=base)
    return target if target and target != url else None


def parse_html(html: str, url: str) -> ParsedPage:
    html, cut = _cut_at_depth(html)
    tree = LexborHTMLParser(html)
    page = ParsedPage(url=url)
    if cut:
        page.notes.append(f"HTML nested deeper than {MAX_DEPTH} levels: read up to that point")
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = canonicalize(base_node.attributes.get("href") or "", base=url) or url
    title = tree.css_first("title")
    page.title = _clean(title.text()) if title is not None else None
    html_node = tree.css_first("html")
    if html_node is not None:
        page.lang = (html_node.attributes.get("lang") or "").strip().lower() or None
    for meta in tree.css("meta"):
        attrs = meta.attributes
        key = (
            (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or attrs.get("http-equiv") or "")
            .strip()
            .lower()
        )
        content = attrs.get("content")
        if key and content is not None and key not in page.meta:
            page.meta[key] = content.strip()
    page.refresh_to = _refresh_target(page.meta.get("refresh", ""), base, url)
    page.description = page.meta.get("description") or page.meta.get("og:description")
    page.og_type = page.meta.get("og:type")
    robots = page.meta.get("robots", "").lower()
    page.noindex, page.nofollow = "noindex" in robots, "nofollow" in robots
    if page.lang is None and page.meta.get("content-language"):
        page.lang = page.meta["content-language"].split(",")[0].strip().lower()
    for node in tree.css("link[rel]"):  # one query for the canonical link and the language alternates
        attrs = node.attributes
        rel = (attrs.get("rel") or "").lower()
        if rel == "canonical" and page.canonical is None:
            page.canonical = canonicalize(attrs.get("href") or "", base=base)
        elif rel == "alternate" and attrs.get("hreflang"):
            href = canonicalize(attrs.get("href") or "", base=base)
            if href and href != url and href not in page.alternates:
                page.alternates.append(href)
    page.json_ld = _json_ld(tree)
    page.forms = _forms(tree)
    for frame in tree.css("iframe[src], video source[src], video[src]"):
        src = canonicalize(frame.attributes.get("src") or "", base=base)
        if src:
            page.media_embeds.append(src)
    for img in tree.css("img"):
        alt = _clean(img.attributes.get("alt"))
        if alt:
            page.image_alts.append(alt)
        elif len(page.image_names) < MAX_IMAGE_NAMES:
            # A partner badge is often an image with no alt text: its file name still says what it is.
            stem = (img.attributes.get("src") or "").split("?", 1)[0].rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if stem and not stem.startswith("data:"):
                page.image_names.append(re.sub(r"[-_.+%\d]+", " ", stem).strip())

    seen: set[tuple[str, str]] = set()
    regions: dict[int, str] = {}  # by parent element: a menu's forty links share one walk up the tree
    for a in tree.css("a[href]"):
        target = canonicalize(a.attributes.get("href") or "", base=base)
        if target is None or _is_file(target):
            continue
        anchor = (
            _clean(a.text(deep=True)) or _clean(a.attributes.get("title")) or _clean(a.attributes.get("aria-label"))
        )
        parent = a.parent
        parent_id = parent.mem_id if parent is not None else 0
        region = regions.get(parent_id)
        if region is None:
            region = regions[parent_id] = _region(a)
        if (target, region) in seen:
            continue
        seen.add((target, region))
        hint = _date_hint(a) if region in ("main", "body") else None
        page.links.append(Link(url=target, anchor=anchor[:200], region=region, date_hint=hint))

    page.time_count = len(tree.css("time"))
    page.article_count = len(tree.css("article"))
    page.has_next = tree.css_first('link[rel="next"], a[rel="next"]') is not None
    page.script_count = len(tree.css("script"))
    page.nav_count = len(tree.css('nav, [role="navigation"]'))
    page.noscript_text = " ".join(_clean(n.text()) for n in tree.css("noscript"))[:500]
    page.has_app_data = (
        tree.css_first("script#__NEXT_DATA__") is not None or "__NUXT__" in html or "__INITIAL_STATE__" in html
    )
    tree.strip_tags(_NON_CONTENT.split(", "))
    page.h1 = [_clean(h.text()) for h in tree.css("h1") if _clean(h.text())]
    page.headings = [_clean(h.text()) for h in tree.css("h1, h2, h3") if _clean(h.text())]
    # As the parser gives it (whitespace not tidied: a split and join of every page's whole text costs
    # more than the few pages that read it save).
    page.visible_text = tree.body.text(separator=" ")[:MAX_TEXT] if tree.body is not None else ""
    main = tree.css_first("main") or tree.css_first("article")
    if main is None:
        for chrome in tree.css("nav, header, footer"):
            chrome.decompose()
        main = tree.body
    words = main.text(separator=" ").split() if main is not None else []
    page.text, page.word_count = " ".join(words), len(words)
    if len(page.text) > MAX_TEXT:
        page.text = page.text[:MAX_TEXT]
        page.notes.append(f"only the first {MAX_TEXT} characters of the text were analysed")
    return page
