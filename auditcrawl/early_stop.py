"""Stopping a crawl once every check is met: more pages can only add evidence."""

from __future__ import annotations

from collections import Counter

from auditcrawl.crawler import CrawlOutcome
from auditcrawl.rules import PageFacts, evaluate
from auditcrawl.settings import AuditSettings

__all__ = ["EarlyStop"]


class EarlyStop:
    """Asked by the crawler every few pages whether every check is met on what is known so far.

    The full evaluation walks the whole link graph, so it runs only when it could answer yes:
    enough industrial candidates of each kind, and new ones (or twice the pages, for shorter
    click paths) since the last look."""

    def __init__(self, facts: dict[str, PageFacts], candidates: Counter[str], settings: AuditSettings) -> None:
        self.facts, self.candidates, self.settings = facts, candidates, settings
        self.evaluations = 0
        self._last_look = (-1, 0)  # candidates and pages at the last full evaluation

    def __call__(self, outcome: CrawlOutcome) -> bool:
        candidates, fetched = self.candidates, outcome.pages_fetched
        if candidates["case_study"] < self.settings.min_case_studies or not candidates["thought_leadership"]:
            return False
        found = sum(candidates.values())
        if found == self._last_look[0] and fetched < 2 * self._last_look[1]:
            return False
        self._last_look = (found, fetched)
        self.evaluations += 1
        checks = evaluate(self.facts, outcome, self.settings)
        return all(c.status == "met" for c in checks.values())
