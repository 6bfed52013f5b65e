"""Verdicts on the URLs the applicant claimed, and how claims feed the checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ._models import Kind, PageFacts

__all__ = ["ClaimVerdict", "Claims", "judge_claim"]

_KIND_WORDS = {"landing_page": "landing page", "case_study": "case study", "thought_leadership": "thought leadership"}


@dataclass(frozen=True)
class Claims:
    landing_page: str | None = None
    case_studies: list[str] = field(default_factory=list)
    thought_leadership: list[str] = field(default_factory=list)

    def items(self) -> list[tuple[str, Kind]]:
        claimed: list[tuple[str, Kind]] = [(self.landing_page, "landing_page")] if self.landing_page else []
        claimed += [(u, "case_study") for u in self.case_studies]
        claimed += [(u, "thought_leadership") for u in self.thought_leadership]
        return claimed


@dataclass
class ClaimVerdict:
    url: str
    claimed_as: Kind
    verdict: str  # ok | not_found | not_public | not_linked | stale | not_industrial | blocked | error
    reasons: list[str] = field(default_factory=list)
    final_url: str | None = None


def judge_claim(
    url: str, claimed_as: Kind, f: PageFacts, path: list[str], *, as_of: date, window_days: int, max_clicks: int
) -> ClaimVerdict:
    """The first failing requirement decides the verdict; every finding is a reason."""
    result = ClaimVerdict(url, claimed_as, "ok", final_url=f.final_url)
    if f.final_url != url:
        result.reasons.append(f"redirects to {f.final_url}")
    if f.kind != claimed_as:
        result.reasons.append(
            f"auditcrawl classifies it as {f.kind.replace('_', ' ')} "
            f"({f.kind_reasons[0] if f.kind_reasons else 'no signal'})"
        )
    window_start = as_of - timedelta(days=window_days)
    clicks = len(path) - 1 if path else None

    def decide(verdict: str, reason: str) -> ClaimVerdict:
        result.verdict = verdict
        result.reasons.insert(0, reason)
        return result

    if f.robots_blocked:
        return decide("blocked", "robots.txt forbids fetching it")
    if f.status is not None and 400 <= f.status < 500 and f.status not in (401, 403, 407):
        return decide("not_found", f"HTTP {f.status}")
    if f.gated:
        return decide("not_public", f.gated)
    if f.status is None or f.status >= 500 or f.error:
        return decide("error", f.error or f"HTTP {f.status}")
    if not f.industrial:
        return decide("not_industrial", f.not_industrial or "names no industrial-software category")
    if claimed_as == "thought_leadership":
        if f.published is None:
            return decide("stale", "no publication date on the page: it cannot be shown to be within the window")
        if f.published < window_start:
            return decide(
                "stale",
                f"published {f.published.isoformat()}, before the window that starts {window_start.isoformat()}",
            )
    if clicks is None:
        return decide("not_linked", "no link path from the home page reaches it")
    if claimed_as != "thought_leadership" and clicks > max_clicks:
        return decide("not_linked", f"{clicks} clicks from the home page (more than {max_clicks})")
    what = _KIND_WORDS[claimed_as]
    dated = f", published {f.published.isoformat()}" if f.published else ""
    result.reasons.insert(0, f"public industrial {what}, {clicks} click(s) from home{dated}")
    return result
