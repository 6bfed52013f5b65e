"""Crawling: frontier, fetching, parsing. Knows nothing of verdicts."""

from ._crawl import Crawler
from ._fetch import Fetcher, Network
from ._graph import CrawlGraph, Edge
from ._outcome import CrawlOutcome
from ._page import CrawledPage, PageFetch, ResumePoint, StoredPage
from ._parse import REGION_WEIGHT, Link, ParsedPage, decode_html, parse_html
from ._pdf import parse_pdf
from ._render import LAUNCH_ARGS, Renderer, Shot
from ._render_policy import render_reason
from ._replay import read_archive
from ._responses import HTML_TYPES, FetchResult
from ._robots import RobotsResponse, RobotsRules, product_token
from ._safety import (
    AddressPolicy,
    Resolver,
    StaticResolver,
    guarded_transport,
    refusal_reason,
)
from ._sitemaps import discover_sitemap_urls, parse_sitemap
from ._traps import trap_reason
from ._urls import SiteScope, canonicalize, registrable_domain
from ._warc import SUPPORT_FIELD, WarcArchive

__all__ = [
    "HTML_TYPES",
    "LAUNCH_ARGS",
    "REGION_WEIGHT",
    "SUPPORT_FIELD",
    "AddressPolicy",
    "CrawlGraph",
    "CrawlOutcome",
    "CrawledPage",
    "Crawler",
    "Edge",
    "FetchResult",
    "Fetcher",
    "Link",
    "Network",
    "PageFetch",
    "ParsedPage",
    "Renderer",
    "Resolver",
    "ResumePoint",
    "RobotsResponse",
    "RobotsRules",
    "Shot",
    "SiteScope",
    "StaticResolver",
    "StoredPage",
    "WarcArchive",
    "canonicalize",
    "decode_html",
    "discover_sitemap_urls",
    "guarded_transport",
    "parse_html",
    "parse_pdf",
    "parse_sitemap",
    "product_token",
    "read_archive",
    "refusal_reason",
    "registrable_domain",
    "render_reason",
    "trap_reason",
]
