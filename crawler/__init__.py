"""Crawling: frontier, fetching, parsing. Knows nothing of verdicts."""

from ._crawl import Crawler, CrawlOutcome, LinkScorer, PreviousCrawl
from ._page import CrawledPage, ResumePoint, StoredPage
from ._fetch import HTML_TYPES, PAGE_TYPES, PDF_TYPES, Fetcher, FetchResult, Network
from ._graph import ClickPaths, CrawlGraph, Edge
from ._parse import Form, Link, ParsedPage, decode_html, parse_html
from ._pdf import parse_pdf
from ._replay import ArchivedResponses, read_archive
from ._render import LAUNCH_ARGS, Renderer, RenderResult
from ._render_policy import SiteRenderMemory, render_reason
from ._robots import RobotsCache, RobotsResponse, RobotsRules, product_token
from ._safety import AddressPolicy, Resolver, StaticResolver, SystemResolver, destination_problem, guarded_transport, refusal_reason
from ._sitemaps import SitemapEntry, discover_sitemap_urls, parse_sitemap
from ._traps import trap_reason
from ._urls import SiteScope, canonicalize, registrable_domain
from ._warc import WarcArchive

__all__ = [
    "AddressPolicy",
    "ArchivedResponses",
    "ClickPaths",
    "CrawlGraph",
    "CrawlOutcome",
    "CrawledPage",
    "Crawler",
    "Edge",
    "FetchResult",
    "Fetcher",
    "Network",
    "Form",
    "HTML_TYPES",
    "LAUNCH_ARGS",
    "Link",
    "LinkScorer",
    "PAGE_TYPES",
    "PDF_TYPES",
    "ParsedPage",
    "PreviousCrawl",
    "RenderResult",
    "Renderer",
    "Resolver",
    "ResumePoint",
    "RobotsCache",
    "RobotsResponse",
    "RobotsRules",
    "SiteRenderMemory",
    "SiteScope",
    "SitemapEntry",
    "StaticResolver",
    "StoredPage",
    "WarcArchive",
    "SystemResolver",
    "canonicalize",
    "decode_html",
    "destination_problem",
    "discover_sitemap_urls",
    "guarded_transport",
    "parse_html",
    "parse_pdf",
    "parse_sitemap",
    "read_archive",
    "product_token",
    "refusal_reason",
    "registrable_domain",
    "render_reason",
    "trap_reason",
]
