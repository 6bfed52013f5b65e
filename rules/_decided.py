"""An auditor's decisions as the rules take them: facts about pages, and verdicts set outright.

A decision on a page is a fact the checks then weigh like any other: "published 2026-03-10" dates
an undated webinar, "not a case study" takes a page out of 2.2, "accepted" settles the doubts the
tool listed for the item (its kind, a case study's cloud, a practice page's AWS partnership, a
reissue). What only a fact can settle, the decision must give: accepting an undated item does not
date it. A decision on a check sets its verdict outright, with the auditor's reason first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ._models import AuditorFacts, CheckResult, Kind, PageFacts, Status

__all__ = ["CheckDecision", "Decisions", "PageDecision"]


@dataclass(frozen=True)
class PageDecision:
    url: str  # the item's URL, as the run knows it (PageFacts.key)
    accepted: bool
    by: str
    on: date
    reason: str
    kind: Kind | None = None
    published: date | None = None
    on_aws: bool = False
    industrial: bool | None = None

    @property
    def note(self) -> str:
        return f"{'accepted' if self.accepted else 'rejected'} by {self.by} on {self.on.isoformat()}: {self.reason}"

    def apply(self, f: PageFacts) -> PageFacts:
        """A copy of the page's facts with this decision's facts in them."""
        g = dataclasses.replace(f)
        g.auditor = AuditorFacts(self.note, rejected=not self.accepted, industrial=self.industrial)
        if self.kind is not None:
            g.kind, g.kind_doubt = self.kind, None
            g.kind_reasons = [f"{self.kind.replace('_', ' ')}: {self.note}", *f.kind_reasons]
        if self.published is not None:
            g.published, g.date_source, g.first_published = self.published, "auditor", None
        if self.on_aws and "AWS" not in g.clouds:
            g.clouds = ["AWS", *g.clouds]
        if self.industrial is False:
            g.not_industrial = self.note
        if self.accepted:
            g.kind_doubt, g.first_published = None, None  # the kind and the reissue are confirmed
            if g.kind == "case_study" and not g.clouds:
                g.clouds = ["AWS"]  # the doubt listed was "names no cloud platform: confirm it runs on AWS"
            if g.kind == "landing_page" and not g.aws_signals:
                g.aws_signals = [self.note]  # the doubt listed was "does not mention the AWS partnership"
            g.notes = [*f.notes, self.note]
        return g


@dataclass(frozen=True)
class CheckDecision:
    check_id: str
    verdict: Status
    by: str
    on: date
    reason: str

    def apply(self, result: CheckResult) -> None:
        said = f"set to {self.verdict} by {self.by} on {self.on.isoformat()}: {self.reason}"
        result.reasons.insert(0, f"{said} (the tool found: {result.status}, {result.summary})")
        result.status = self.verdict
        result.summary = said[0].upper() + said[1:]


@dataclass
class Decisions:
    """The decisions that apply to one run: the newest on each page, and the run's check verdicts."""

    pages: list[PageDecision] = field(default_factory=list)
    checks: list[CheckDecision] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.pages or self.checks)

    def apply_to_facts(self, facts: dict[str, PageFacts]) -> dict[str, PageFacts]:
        """The facts the checks see with the decisions in them: decided pages are copies, the rest shared."""
        decided = dict(facts)
        by_url = {d.url: d for d in self.pages}
        for key, f in facts.items():
            d = by_url.get(key) or by_url.get(f.final_url) or by_url.get(f.url)
            if d is not None:
                decided[key] = d.apply(f)
        return decided

    def apply_to_checks(self, checks: dict[str, CheckResult]) -> None:
        for d in self.checks:
            if d.check_id in checks:
                d.apply(checks[d.check_id])

    def replacing(self, new: PageDecision | CheckDecision) -> Decisions:
        """These decisions with `new` in place of the one on the same page (or check)."""
        if isinstance(new, PageDecision):
            return Decisions([*(d for d in self.pages if d.url != new.url), new], self.checks)
        return Decisions(self.pages, [*(d for d in self.checks if d.check_id != new.check_id), new])

    @classmethod
    def of(cls, items: Iterable[PageDecision | CheckDecision]) -> Decisions:
        given = list(items)
        return cls(
            [d for d in given if isinstance(d, PageDecision)], [d for d in given if isinstance(d, CheckDecision)]
        )
