"""What the checks look at: the pages' facts, the crawl graph and its click paths, and the
questions every check asks of a page (reachable? public? which case studies does it link to?)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC

from auditcrawl.crawler import CrawlOutcome, SiteScope
from auditcrawl.settings import AuditSettings

from ._claims import ClaimVerdict
from ._coverage import Coverage, measure_coverage
from ._models import Evidence, Kind, PageFacts
from ._vocab import category_labels
from ._works import Works

__all__ = ["AuditContext", "CaseStudyLinks", "find_facts", "labels", "not_industrial", "plural"]


def find_facts(facts: dict[str, PageFacts], outcome: CrawlOutcome, url: str) -> PageFacts | None:
    """The facts of a URL however it was reached: as fetched, through redirects, or as the link itself."""
    found = facts.get(url) or facts.get(outcome.graph.resolve(url))
    return found or next((f for f in facts.values() if f.url == url), None)


def not_industrial(f: PageFacts) -> str:
    """Why a page does not count as industrial, for the auditor."""
    return f"not industrial: {f.not_industrial or 'names no industrial-software category'}"


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") and word[-2:] != "ay" else f"{n} {word}s"


def labels(categories: list[str]) -> str:
    if not categories:
        return "none named on the page (industrial by the auditor's decision)"
    names = category_labels()
    return ", ".join(names.get(c, c) for c in categories)


@dataclass
class CaseStudyLinks:
    """The case studies a page links to, directly or through a case-study index it links to."""

    public: dict[str, PageFacts] = field(default_factory=dict)  # by URL
    not_public: dict[str, str] = field(default_factory=dict)  # URL -> why it does not count
    through: list[str] = field(default_factory=list)  # the indexes that led to some of them

    def reasons(self, claimed: list[str] | None = None) -> list[str]:
        """What the auditor reads: how many public case studies are linked, which links are dead
        or gated, and, with claims, which claimed public case studies are linked and which are not."""
        out = [f"links to {plural(len(self.public), 'public case study')}"]
        if self.through:
            out[0] += f" (through {', '.join(self.through[:2])})"
        out += [f"links to a case study that does not count: {url}: {why}" for url, why in self.not_public.items()]
        for url in claimed or []:
            linked = "links to" if url in self.public else "does not link to"
            out.append(f"{linked} the claimed public case study {url}")
        return out


@dataclass
class AuditContext:
    facts: dict[str, PageFacts]  # by PageFacts.key
    outcome: CrawlOutcome
    settings: AuditSettings
    claims: list[ClaimVerdict] = field(default_factory=list)
    paths: Mapping[str, list[str]] = field(default_factory=dict)
    measured: Coverage | None = None  # the crawl's coverage, when measured before the checks

    def __post_init__(self) -> None:
        self.paths = self.outcome.graph.click_paths()
        self.site = SiteScope(self.outcome.home_url)

    def claimed_public_case_studies(self) -> list[str]:
        """The case studies the applicant claimed and that hold, as the URLs the crawl knows them by."""
        found = []
        for claim in self.claims:
            if claim.claimed_as == "case_study" and claim.verdict == "ok":
                f = find_facts(self.facts, self.outcome, claim.url)
                found.append(f.key if f is not None else claim.url)
        return found

    def claimed_case_study_problems(self) -> dict[str, str | None]:
        """Every case study the applicant claimed, with why it does not hold (None when it does)."""
        return {
            c.url: None if c.verdict == "ok" else f"{c.verdict.replace('_', ' ')} ({'; '.join(c.reasons[:1])})"
            for c in self.claims
            if c.claimed_as == "case_study"
        }

    def case_study_problem(self, f: PageFacts) -> str | None:
        """Why a case-study page is not one of the partner's public case studies; None when it is."""
        problem = self.access_problem(f)
        if problem is not None:
            return problem
        if f.offsite and self.site.contains(f.url):
            return f"redirected away from the site to {f.final_url}"
        return None

    def case_study_links(self, f: PageFacts) -> CaseStudyLinks:
        """From the page's own content (menus and footers link everywhere on every page)."""
        found = CaseStudyLinks()
        graph = self.outcome.graph
        for target in map(graph.resolve, f.content_links):
            linked = find_facts(self.facts, self.outcome, target)
            if linked is None or linked is f:
                continue
            if linked.kind == "case_study":
                self._sort_case_study(linked, found)
            elif linked.kind == "listing":  # a case-study index: its case studies count as linked
                before = len(found.public)
                for item in graph.links_from(linked.final_url):
                    listed = find_facts(self.facts, self.outcome, item)
                    if listed is not None and listed.kind == "case_study":
                        self._sort_case_study(listed, found)
                if len(found.public) > before:
                    found.through.append(linked.key)
        return found

    def _sort_case_study(self, f: PageFacts, found: CaseStudyLinks) -> None:
        problem = self.case_study_problem(f)
        if problem is None:
            found.public[f.key] = f
        else:
            found.not_public.setdefault(f.key, problem)

    @property
    def home(self) -> PageFacts | None:
        home = self.outcome.home
        return (self.facts.get(home.final_url) or self.facts.get(home.url)) if home is not None else None

    def path(self, f: PageFacts) -> list[str]:
        return self.paths.get(f.final_url) or self.paths.get(f.url) or []

    def of_kind(self, kind: Kind) -> list[PageFacts]:
        return [f for f in self.facts.values() if f.kind == kind]

    @functools.cached_property
    def claims_aws_partnership(self) -> bool:
        """Whether any page of the partner's own site speaks of an AWS partnership (text, badge alt text
        or a badge's file name). Writing about AWS as a technology is not a partnership."""
        return any(f.aws_signals and not f.offsite and self.site.contains(f.url) for f in self.facts.values())

    @functools.cached_property
    def works(self) -> Works:
        return Works(self.facts.values())

    @functools.cached_property
    def coverage(self) -> Coverage:
        return self.measured or measure_coverage(self.outcome, self.settings, self.paths)

    def trouble(self, check_id: str) -> list[str]:
        """Why the crawl may not have covered what could be this check's evidence; empty when it did."""
        o = self.outcome
        reasons: list[str] = []
        home = o.home
        if home is None or not o.home_ok:
            if home is not None and home.robots_blocked:
                reasons.append(f"robots.txt forbids the home page {o.home_url}: nothing could be checked")
            else:
                detail = (home.error or f"HTTP {home.status}") if home is not None else "not fetched"
                reasons.append(f"home page unreachable ({detail}): nothing could be checked")
        unread = self.coverage.relevant(check_id)
        if unread:
            shown = "; ".join(f"{u.url} ({u.why})" for u in unread[:5])
            more = f" and {len(unread) - 5} more" if len(unread) > 5 else ""
            reasons.append(
                f"{plural(len(unread), 'page')} within {self.settings.max_clicks} clicks that could be this "
                f"check's evidence {'was' if len(unread) == 1 else 'were'} not read: {shown}{more}"
            )
        if o.render_failures:
            cause = f" ({o.browser_note})" if o.browser_note else ""
            reasons.append(
                f"{plural(len(o.render_failures), 'page')} needed a browser and kept only their served HTML"
                f"{cause}: {', '.join(o.render_failures[:3])}"
            )
        if o.unrendered:
            reasons.append(
                f"{plural(len(o.unrendered), 'page')} look built by JavaScript and were not rendered "
                f"(--render never): {', '.join(o.unrendered[:3])}"
            )
        if o.interrupted:
            reasons.append("the crawl was interrupted before it finished")
        return reasons

    def evidence(self, f: PageFacts, reasons: list[str]) -> Evidence:
        kind: Kind = f.kind if f.kind in ("landing_page", "case_study", "thought_leadership") else "landing_page"
        return Evidence(
            url=f.key,
            kind=kind,
            title=f.title,
            published=f.published,
            click_path=self.path(f),
            reasons=[*reasons, *f.notes],
            categories=list(f.categories),
            date_source=f.date_source,
            extra={
                "aws_services": f.aws_services,
                "isvs": f.isvs,
                "offsite": f.offsite,
                "rendered": f.rendered,
                "warc_record_id": f.warc_record_id,
                "content_digest": f.content_digest,
                "captured_at": f.fetched_at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
                **({"completeness": f.completeness} if kind == "case_study" and f.completeness else {}),
            },
        )

    def reach_problem(self, f: PageFacts, max_clicks: int | None) -> str | None:
        path = self.path(f)
        if not path:
            found = {"sitemap": " (found only in the sitemap)", "offsite": ""}.get(f.source, "")
            return f"not linked from the home page{found}"
        clicks = len(path) - 1
        if max_clicks is not None and clicks > max_clicks:
            return f"{clicks} clicks from the home page (more than {max_clicks})"
        return None

    def access_problem(self, f: PageFacts) -> str | None:
        if f.auditor is not None and f.auditor.rejected:
            return f.auditor.note
        if f.robots_blocked:
            return "robots.txt forbids it"
        if f.gated:
            return f"not public: {f.gated}"
        if not f.ok:
            return f"not available: {f.error or f'HTTP {f.status}'}"
        return None
