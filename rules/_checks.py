"""Verdicts 3.1, 2.2 and 3.2: pure functions of page facts and the crawl graph."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from auditcrawl.crawler import CrawlOutcome
from auditcrawl.settings import AuditSettings

from ._claims import Claims, ClaimVerdict, judge_claim
from ._classify import is_dedicated_home
from ._models import CASE_STUDIES, LANDING_PAGE, THOUGHT_LEADERSHIP, CheckResult, Evidence, Kind, PageFacts
from ._textdates import parse_date_text
from ._vocab import category_labels, load_vocabulary

__all__ = ["AuditContext", "apply_listing_dates", "evaluate", "evaluate_claims", "find_facts"]

EXPIRING_DAYS = 30  # 3.2 met but lapsing within a month: flagged "expiring"


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") and word[-2:] != "ay" else f"{n} {word}s"


def _labels(categories: list[str]) -> str:
    labels = category_labels()
    return ", ".join(labels.get(c, c) for c in categories)


@dataclass
class AuditContext:
    facts: dict[str, PageFacts]  # by PageFacts.key
    outcome: CrawlOutcome
    settings: AuditSettings
    paths: Mapping[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.paths = self.outcome.graph.click_paths()

    @property
    def home(self) -> PageFacts | None:
        home = self.outcome.home
        return (self.facts.get(home.final_url) or self.facts.get(home.url)) if home is not None else None

    def path(self, f: PageFacts) -> list[str]:
        return self.paths.get(f.final_url) or self.paths.get(f.url) or []

    def of_kind(self, kind: Kind) -> list[PageFacts]:
        return [f for f in self.facts.values() if f.kind == kind]

    def trouble(self) -> list[str]:
        """Why the crawl may not have covered the site; empty when it did."""
        o = self.outcome
        reasons: list[str] = []
        home = o.home
        if home is None or not o.home_ok:
            if home is not None and home.robots_blocked:
                reasons.append(f"robots.txt forbids the home page {o.home_url}: nothing could be checked")
            else:
                detail = (home.error or f"HTTP {home.status}") if home is not None else "not fetched"
                reasons.append(f"home page unreachable ({detail}): nothing could be checked")
        blocked = [u for u in o.robots_blocked if home is None or u != home.url]
        if blocked:
            shown = ", ".join(blocked[:5]) + (f" and {len(blocked) - 5} more" if len(blocked) > 5 else "")
            reasons.append(f"robots.txt forbids {_plural(len(blocked), 'linked page')}: {shown}")
        reasons.extend(f"limit hit before the site was covered: {limit}" for limit in o.limits_hit)
        if o.render_failures:
            cause = f" ({o.browser_note})" if o.browser_note else ""
            reasons.append(
                f"{_plural(len(o.render_failures), 'page')} needed a browser and kept only their served HTML"
                f"{cause}: {', '.join(o.render_failures[:3])}"
            )
        if o.unrendered:
            reasons.append(
                f"{_plural(len(o.unrendered), 'page')} look built by JavaScript and were not rendered "
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
        if f.robots_blocked:
            return "robots.txt forbids it"
        if f.gated:
            return f"not public: {f.gated}"
        if not f.ok:
            return f"not available: {f.error or f'HTTP {f.status}'}"
        return None


def _undecided(result: CheckResult, trouble: list[str]) -> CheckResult:
    """A check that found too little on a crawl that did not cover the site cannot say no."""
    result.status = "needs_review"
    result.reasons = trouble + result.reasons
    result.summary = "Could not decide: " + trouble[0]
    return result


def check_landing_page(ctx: AuditContext) -> CheckResult:
    max_clicks = ctx.settings.max_clicks
    result = CheckResult(LANDING_PAGE, "not_met", "")
    home = ctx.home
    candidates: list[tuple[PageFacts, list[str]]] = []
    if home is not None and home.ok and home.industrial:
        if is_dedicated_home(home):
            candidates.append((home, ["the home page of a dedicated industrial-software consultancy shows that focus"]))
        elif home.kind == "landing_page":
            others = ", ".join(home.other_industries[:5])
            result.rejected.append(
                ctx.evidence(
                    home, [f"home page of a generalist (also serves {others}): it does not count as the practice page"]
                )
            )
    candidates += [(f, list(f.kind_reasons)) for f in ctx.of_kind("landing_page") if not f.offsite and f is not home]
    case_study_urls = {f.final_url for f in ctx.of_kind("case_study")}
    borderline: list[Evidence] = []
    for f, why in candidates:
        problems = [p for p in (ctx.access_problem(f), ctx.reach_problem(f, max_clicks)) if p]
        linked = set(ctx.outcome.graph.links_from(f.final_url))
        notes = [*why, f"industrial categories: {_labels(f.categories)}"]
        notes.append(
            f"names technology partners: {', '.join(f.isvs[:8])}" if f.isvs else "names no technology partner (ISV)"
        )
        notes.append(f"links to {_plural(len(linked & case_study_urls), 'case study')}")
        if f.aws_signals:
            notes.append(f'highlights the AWS partnership: "{f.aws_signals[0]}"')
        if problems:
            result.rejected.append(ctx.evidence(f, problems + notes))
        elif not f.aws_signals:
            borderline.append(ctx.evidence(f, ["does not mention the AWS partnership", *notes]))
        else:
            result.evidence.append(ctx.evidence(f, notes))
    result.evidence.sort(key=lambda e: (e.clicks or 0, e.url))
    if result.evidence:
        best = result.evidence[0]
        result.status = "met"
        result.summary = f"Industrial practice page {best.url}, {_plural(best.clicks or 0, 'click')} from home"
        result.reasons = [f"{e.url}: {e.reasons[0]}" for e in result.evidence]
        return result
    result.rejected.extend(borderline)
    if borderline:
        result.status = "needs_review"
        result.summary = "An industrial practice page exists but does not mention the AWS partnership"
        result.reasons = [
            f"{e.url}: industrial practice page without an AWS partnership mention; confirm by hand" for e in borderline
        ]
        return result
    result.reasons = [f"{e.url}: {'; '.join(e.reasons[:1])}" for e in result.rejected]
    trouble = ctx.trouble()
    if trouble:
        return _undecided(result, trouble)
    if result.rejected:
        result.summary = "An industrial practice page exists but is not reachable from home"
    else:
        result.summary = "No industrial-software practice page found"
        result.reasons.append("no page on the site describes an industrial-software practice")
    return result


def check_case_studies(ctx: AuditContext) -> CheckResult:
    need, max_clicks = ctx.settings.min_case_studies, ctx.settings.max_clicks
    result = CheckResult(CASE_STUDIES, "not_met", "")
    for f in ctx.of_kind("case_study"):
        problems = [p for p in (ctx.access_problem(f), ctx.reach_problem(f, max_clicks)) if p]
        if not f.industrial:
            problems.append("not industrial: names no industrial-software category")
        notes = list(f.kind_reasons)
        if f.industrial:
            notes.append(f"industrial categories: {_labels(f.categories)}")
        (result.rejected if problems else result.evidence).append(ctx.evidence(f, problems + notes))
    result.evidence.sort(key=lambda e: (e.clicks or 0, e.url))
    n = len(result.evidence)
    result.reasons = [
        f"{e.url}: public industrial case study, {_plural(e.clicks or 0, 'click')} from home" for e in result.evidence
    ]
    result.reasons += [f"{e.url}: {e.reasons[0]}" for e in result.rejected]
    if n >= need:
        result.status = "met"
        result.summary = f"{n} public industrial case studies within {max_clicks} clicks of home"
        return result
    trouble = ctx.trouble()
    if trouble:
        return _undecided(result, trouble)
    result.summary = f"{n} of the {need} required public industrial case studies found"
    if not result.rejected and not n:
        result.reasons.append("no case study found on the site")
    return result


def check_thought_leadership(ctx: AuditContext) -> CheckResult:
    s = ctx.settings
    window_start = s.as_of - timedelta(days=s.window_days)
    result = CheckResult(THOUGHT_LEADERSHIP, "not_met", "")
    undated: list[Evidence] = []
    for f in ctx.of_kind("thought_leadership"):
        problems = [p for p in (ctx.access_problem(f), ctx.reach_problem(f, None)) if p]
        if not f.industrial:
            problems.append("not industrial: names no industrial-software category")
        notes = list(f.kind_reasons)
        if f.published is not None:
            notes.append(f"published {f.published.isoformat()} ({f.date_source})")
        if f.industrial:
            notes.append(f"industrial categories: {_labels(f.categories)}")
        if f.published is None:
            lastmod = ctx.outcome.sitemap_lastmod.get(f.final_url)
            if lastmod:
                notes.append(f"sitemap lastmod {lastmod} (a modification date, not a publication date)")
            if not problems:
                undated.append(ctx.evidence(f, ["undated: no publication date on the page", *notes]))
                continue
            problems.append("undated: no publication date on the page")
        elif f.published < window_start:
            problems.append(
                f"published {f.published.isoformat()}, before the window that starts {window_start.isoformat()}"
            )
        (result.rejected if problems else result.evidence).append(ctx.evidence(f, problems + notes))
    result.evidence.sort(key=lambda e: e.published or window_start, reverse=True)
    n = len(result.evidence)
    result.reasons = [f"{e.url}: published {e.published}, industrial" for e in result.evidence]
    result.reasons += [f"{e.url}: {e.reasons[0]}" for e in undated + result.rejected]
    result.rejected = undated + result.rejected
    if n >= s.min_thought_leadership:
        result.status = "met"
        newest = result.evidence[0].published
        result.summary = f"{n} industrial items published since {window_start.isoformat()} (newest {newest})"
        # the check lapses when the n-th newest item leaves the window
        deciding = result.evidence[s.min_thought_leadership - 1].published
        assert deciding is not None
        lapses_on = deciding + timedelta(days=s.window_days + 1)
        result.extra = {"lapses_on": lapses_on.isoformat(), "expiring": (lapses_on - s.as_of).days <= EXPIRING_DAYS}
        if result.extra["expiring"]:
            result.reasons.insert(
                0, f"expiring: without new industrial material, 3.2 lapses on {lapses_on.isoformat()}"
            )
        return result
    if undated and n + len(undated) >= s.min_thought_leadership:
        result.status = "needs_review"
        result.summary = (
            f"{n} dated item(s) in the window and {len(undated)} undated candidate(s): check their dates by hand"
        )
        return result
    trouble = ctx.trouble()
    if trouble:
        return _undecided(result, trouble)
    result.summary = (
        f"{n} of the {s.min_thought_leadership} required industrial items published since {window_start.isoformat()}"
    )
    if not result.rejected:
        result.reasons.append("no blog post, article, press release, video or webinar found")
    return result


def apply_listing_dates(facts: dict[str, PageFacts], outcome: CrawlOutcome, as_of: date) -> None:
    """Date undated items from the date a listing page shows beside the link to them."""
    hints: dict[str, list[str]] = {}
    for edge in outcome.graph.dated_edges:
        if edge.date_hint:
            hints.setdefault(outcome.graph.resolve(edge.target), []).append(edge.date_hint)
    for f in facts.values():
        if f.published is not None or f.kind not in ("case_study", "thought_leadership"):
            continue
        vocab = load_vocabulary(f.lang or "en")
        for hint in hints.get(f.final_url, []):
            found = parse_date_text(hint, vocab, as_of)
            if found is not None:
                f.published, f.date_source = found, "listing"
                break


def find_facts(facts: dict[str, PageFacts], outcome: CrawlOutcome, url: str) -> PageFacts | None:
    """The facts of a URL however it was reached: as fetched, through redirects, or as the link itself."""
    found = facts.get(url) or facts.get(outcome.graph.resolve(url))
    return found or next((f for f in facts.values() if f.url == url), None)


def evaluate_claims(
    claims: Claims, facts: dict[str, PageFacts], outcome: CrawlOutcome, settings: AuditSettings
) -> list[ClaimVerdict]:
    """Judge each claimed URL; a claim that holds makes the page count as what was claimed."""
    apply_listing_dates(facts, outcome, settings.as_of)
    paths = outcome.graph.click_paths()
    verdicts = []
    for url, kind in claims.items():
        f = find_facts(facts, outcome, url)
        if f is None:
            verdicts.append(ClaimVerdict(url, kind, "error", ["it could not be fetched"]))
            continue
        path = paths.get(f.final_url) or paths.get(f.url) or []
        verdict = judge_claim(
            url, kind, f, path, as_of=settings.as_of, window_days=settings.window_days, max_clicks=settings.max_clicks
        )
        if verdict.verdict == "ok" and f.kind != kind:
            f.kind_reasons = [f"claimed by the applicant as {kind.replace('_', ' ')}", *f.kind_reasons]
            f.kind = kind
        verdicts.append(verdict)
    return verdicts


def evaluate(
    facts: dict[str, PageFacts],
    outcome: CrawlOutcome,
    settings: AuditSettings,
    claims: list[ClaimVerdict] | None = None,
) -> dict[str, CheckResult]:
    """The three verdicts (3.1, 2.2, 3.2) from the pages' facts and the crawl graph, each with its
    reasons, evidence and rejected candidates. Pure: reads nothing but its arguments (undated items
    take the date a listing page shows beside the link to them). `claims` are the verdicts of
    evaluate_claims, whose landing-page claim 3.1 reports first."""
    apply_listing_dates(facts, outcome, settings.as_of)
    ctx = AuditContext(facts, outcome, settings)
    checks = {
        LANDING_PAGE: check_landing_page(ctx),
        CASE_STUDIES: check_case_studies(ctx),
        THOUGHT_LEADERSHIP: check_thought_leadership(ctx),
    }
    _apply_landing_claim(checks[LANDING_PAGE], claims or [], ctx)
    return checks


def _apply_landing_claim(result: CheckResult, claims: list[ClaimVerdict], ctx: AuditContext) -> None:
    """The landing page the applicant submitted is what the auditor checks first."""
    for claim in claims:
        if claim.claimed_as != "landing_page" or claim.verdict == "ok":
            continue
        reason = f"claimed landing page {claim.url}: {claim.verdict.replace('_', ' ')} ({claim.reasons[0]})"
        result.reasons.insert(0, reason)
        if result.status == "met":
            result.reasons.insert(
                1, "another page on the site qualifies (see the evidence): the applicant may submit that one"
            )
        elif claim.verdict in ("blocked", "error") or ctx.trouble():
            result.status = "needs_review"
            result.summary = f"The claimed landing page could not be checked ({claim.verdict})"
        else:
            result.status = "not_met"
            result.summary = f"The claimed landing page is {claim.verdict.replace('_', ' ')}"
