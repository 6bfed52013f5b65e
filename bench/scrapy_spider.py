"""The reference crawler for bench/crawl.py: Scrapy following every same-site link, robots.txt obeyed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.linkextractors import LinkExtractor


class SiteSpider(scrapy.Spider):
    name = "site"
    custom_settings: ClassVar[dict[str, object]] = {
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": int(os.environ.get("BENCH_CONCURRENCY", "16")),
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(os.environ.get("BENCH_CONCURRENCY", "16")),
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "CLOSESPIDER_PAGECOUNT": int(os.environ.get("BENCH_MAX_PAGES", "6000")),
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }

    def __init__(self, start: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start]
        self.allowed_domains = ["127.0.0.1"]
        self.links = LinkExtractor()

    def closed(self, reason: str) -> None:
        stats_file = os.environ.get("BENCH_STATS_FILE")
        if stats_file and self.crawler.stats is not None:
            with open(stats_file, "w") as handle:
                handle.write(str(self.crawler.stats.get_value("response_received_count", 0)))

    def parse(self, response: Any) -> Iterator[Any]:
        for link in self.links.extract_links(response):
            yield response.follow(link.url, callback=self.parse)
