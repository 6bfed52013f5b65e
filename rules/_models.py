"""What the rules produce: facts about each page, then evidence and check results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args

from auditcrawl.crawler import PageFetch

__all__ = [
    "CASE_STUDIES",
    "CHECK_IDS",
    "CHECK_TITLES",
    "KINDS",
    "LANDING_PAGE",
    "THOUGHT_LEADERSHIP",
    "AuditorFacts",
    "CheckResult",
    "Evidence",
    "Kind",
    "PageFacts",
    "Status",
]

Status = Literal["met", "not_met", "needs_review"]
Kind = Literal["landing_page", "case_study", "thought_leadership", "listing", "other"]
KINDS: tuple[Kind, ...] = get_args(Kind)
# The checklist items auditcrawl answers, in the order they are shown.
LANDING_PAGE, CASE_STUDIES, THOUGHT_LEADERSHIP = "3.1", "2.2", "3.2"
CHECK_IDS = (LANDING_PAGE, CASE_STUDIES, THOUGHT_LEADERSHIP)
CHECK_TITLES = {
    LANDING_PAGE: "Practice landing page",
    CASE_STUDIES: "Public industrial case studies",
    THOUGHT_LEADERSHIP: "Industrial thought leadership",
}


@dataclass(frozen=True)
class AuditorFacts:
    """What an auditor's decision on a page tells the rules (see _decided)."""

    note: str  # "accepted by NAME on DATE: REASON", shown with the item
    rejected: bool = False
    industrial: bool | None = None  # None: as the page's own categories say


@dataclass(slots=True)  # one per page of a large site: no per-instance dict
class PageFacts(PageFetch):
    """Everything the checks need to know about one fetched page: the page as fetched (its
    validator headers only), and what the rules found in it. No page body."""

    title: str | None = None
    lang: str | None = None
    kind: Kind = "other"
    kind_reasons: list[str] = field(default_factory=list)
    kind_doubt: str | None = None  # the decision was close: which other kind nearly won
    categories: list[str] = field(default_factory=list)
    category_terms: dict[str, list[str]] = field(default_factory=dict)
    not_industrial: str | None = None  # why industrial terms on the page do not make it industrial
    industrial_focus: bool = False
    other_industries: list[str] = field(default_factory=list)
    aws_signals: list[str] = field(default_factory=list)
    aws_services: list[str] = field(default_factory=list)
    clouds: list[str] = field(default_factory=list)  # cloud platforms named: "AWS", "Microsoft Azure", ...
    isvs: list[str] = field(default_factory=list)
    gated: str | None = None
    published: date | None = None
    date_source: str | None = None
    first_published: str | None = None  # a reissued page's first publication (ISO date; kept in the JSON facts)
    word_count: int = 0
    notes: list[str] = field(default_factory=list)  # what could not be read (PDF text, ...)
    completeness: dict[str, Any] | None = None  # 2.1.3 / 2.1.4, for pages that may be case studies
    nofollow: bool = False  # its links were recorded but not followed (robots meta tag or X-Robots-Tag)
    content_links: list[str] = field(default_factory=list)  # an industrial page's links outside menus and footer
    versions: list[str] = field(default_factory=list)  # other URLs of the same work: canonical, hreflang alternates
    content_digest: str | None = None  # what a page the checks may cite says (see _digest): changes only when that does
    auditor: AuditorFacts | None = None  # an auditor's decision on the page, when one applies (never stored with it)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def evidence_candidate(self) -> bool:
        """A page the checks may cite: an evidence kind, or industrial (a claim may make it one)."""
        return self.kind != "other" or self.industrial or self.source in ("seed", "claim")

    @property
    def industrial(self) -> bool:
        if self.auditor is not None and self.auditor.industrial is not None:
            return self.auditor.industrial
        return bool(self.categories)

    @property
    def key(self) -> str:
        """The URL this page is known by: where it landed, or the link itself when it landed on a gate."""
        return self.url if self.gated and self.url != self.final_url else self.final_url


@dataclass
class Evidence:
    url: str
    kind: Kind
    title: str | None
    published: date | None
    click_path: list[str]
    reasons: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    date_source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def clicks(self) -> int | None:
        return len(self.click_path) - 1 if self.click_path else None


@dataclass
class CheckResult:
    check_id: str
    status: Status
    summary: str
    reasons: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    rejected: list[Evidence] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. 3.2's "expiring" and "lapses_on"
