"""Crawling: frontier, fetching, parsing. Knows nothing of verdicts."""

from ._crawl import Crawler, CrawlOutcome, LinkScorer, PreviousCrawl
from ._fetch import HTML_TYPES, PAGE_TYPES, PDF_TYPES, Fetcher, FetchResult, Network
from ._graph import ClickPaths, CrawlGraph, Edge
from ._page import CrawledPage, PageFetch, ResumePoint, StoredPage
from ._parse import Form, Link, ParsedPage, decode_html, parse_html
from ._pdf import parse_pdf
from ._render import LAUNCH_ARGS, Renderer, RenderResult
from ._render_policy import SiteRenderMemory, render_reason
from ._replay import ArchivedResponses, read_archive
from ._robots import RobotsCache, RobotsResponse, RobotsRules, product_token
from ._safety import (
    AddressPolicy,
    Resolver,
    StaticResolver,
    SystemResolver,
    destination_problem,
    guarded_transport,
    refusal_reason,
)
from ._sitemaps import SitemapEntry, discover_sitemap_urls, parse_sitemap
from ._traps import trap_reason
from ._urls import SiteScope, canonicalize, registrable_domain
from ._warc import WarcArchive

__all__ = [
    "HTML_TYPES",
    "LAUNCH_ARGS",
    "PAGE_TYPES",
    "PDF_TYPES",
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
    "Form",
    "Link",
    "LinkScorer",
    "Network",
    "PageFetch",
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
    "SystemResolver",
    "WarcArchive",
    "canonicalize",
    "decode_html",
    "destination_problem",
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
