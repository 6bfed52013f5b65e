"""Verdicts 3.1, 2.2 and 3.2: pure functions of page facts and the crawl graph."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from auditcrawl.crawler import CrawlOutcome
from auditcrawl.settings import AuditSettings

from ._claims import Claims, ClaimVerdict, judge_claim
from ._classify import is_dedicated_home
from ._context import AuditContext, find_facts, labels, not_industrial, plural
from ._coverage import Coverage
from ._decided import Decisions
from ._models import CASE_STUDIES, LANDING_PAGE, THOUGHT_LEADERSHIP, CheckResult, Evidence, PageFacts
from ._textdates import parse_date_text
from ._vocab import load_vocabulary
from ._works import one_per_work

__all__ = ["AuditContext", "Judgment", "apply_listing_dates", "evaluate", "evaluate_claims", "find_facts", "judge"]

EXPIRING_DAYS = 30  # 3.2 met but lapsing within a month: flagged "expiring"


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
    claimed = ctx.claimed_public_case_studies()
    claimed_all = ctx.claimed_case_study_problems()
    borderline: list[Evidence] = []
    for f, why in candidates:
        problems = [p for p in (ctx.access_problem(f), ctx.reach_problem(f, max_clicks)) if p]
        links = ctx.case_study_links(f)
        notes = [*why, f"industrial categories: {labels(f.categories)}"]
        notes.append(
            f"names technology partners: {', '.join(f.isvs[:8])}" if f.isvs else "names no technology partner (ISV)"
        )
        notes += links.reasons(claimed)
        if f.aws_signals:
            notes.append(f'highlights the AWS partnership: "{f.aws_signals[0]}"')
        # The practice page links to the partner's case studies, "including the two public case studies
        # submitted": with claims, at least two of the claimed ones (all, if fewer were claimed), public and live.
        if claimed_all:
            linked = [url for url in claimed if url in links.public]
            need = min(ctx.settings.min_case_studies, len(claimed_all))
            if len(linked) < need:
                problems.append(
                    f"links to {len(linked)} of the claimed case studies, public and live; it must link to {need}"
                )
                notes += [f"claimed case study {url}: {why}" for url, why in claimed_all.items() if why]
        elif not links.public:
            problems.append("links to no public case study")
        if not f.aws_signals and not ctx.claims_aws_partnership:
            # The checklist's practice page highlights the AWS partnership; this site claims none anywhere.
            problems.insert(0, "mentions no AWS partnership, and no page of the site does")
        if problems:
            result.rejected.append(ctx.evidence(f, problems + notes))
        elif not f.aws_signals:
            borderline.append(ctx.evidence(f, ["does not mention the AWS partnership", *notes]))
        elif f.kind_doubt:
            borderline.append(ctx.evidence(f, [f.kind_doubt, *notes]))
        else:
            result.evidence.append(ctx.evidence(f, notes))
    result.evidence.sort(key=lambda e: (e.clicks or 0, e.url))
    if result.evidence:
        best = result.evidence[0]
        result.status = "met"
        result.summary = f"Industrial practice page {best.url}, {plural(best.clicks or 0, 'click')} from home"
        result.reasons = [f"{e.url}: {e.reasons[0]}" for e in result.evidence]
        return result
    result.rejected.extend(_to_confirm(borderline))
    if borderline:
        result.status = "needs_review"
        result.summary = f"An industrial practice page exists but {borderline[0].reasons[0]}"
        result.reasons = [f"{e.url}: industrial practice page that {e.reasons[0]}; confirm by hand" for e in borderline]
        return result
    result.reasons = [f"{e.url}: {'; '.join(e.reasons[:1])}" for e in result.rejected]
    trouble = ctx.trouble(LANDING_PAGE)
    if trouble:
        return _undecided(result, trouble)
    if result.rejected:
        result.summary = f"An industrial practice page exists but {_why_not(result.rejected[-1].reasons[0])}"
    else:
        result.summary = "No industrial-software practice page found"
        result.reasons.append("no page on the site describes an industrial-software practice")
    return result


def _to_confirm(items: list[Evidence]) -> list[Evidence]:
    """Candidates only an auditor can settle (undated, of uncertain kind or cloud): the review queue's items."""
    for e in items:
        e.extra["to_confirm"] = True
    return items


def _versions(e: Evidence) -> str:
    versions = e.extra.get("versions") or []
    return f" (one work, also at {', '.join(versions)})" if versions else ""


def _why_not(reason: str) -> str:
    """A rejected practice page's first problem, as the end of a summary sentence."""
    if reason.startswith("not linked") or "clicks from the home page" in reason:
        return "is not reachable from home"
    return f"does not qualify: {reason}"


def _platform(f: PageFacts) -> tuple[str | None, str | None]:
    """A case study's cloud: a note when it runs on AWS, or why it does not count (another cloud
    and no AWS), or what to confirm by hand (no platform named)."""
    if "AWS" in f.clouds:
        services = ", ".join(f.aws_services[:4])
        return f"runs on AWS ({services})" if services else "runs on AWS", None
    others = [c for c in f.clouds if c != "AWS"]
    if others:
        return None, f"names {', '.join(others)} and not AWS: not an AWS case study"
    return None, None


def check_case_studies(ctx: AuditContext) -> CheckResult:
    need, max_clicks = ctx.settings.min_case_studies, ctx.settings.max_clicks
    result = CheckResult(CASE_STUDIES, "not_met", "")
    to_confirm: list[Evidence] = []  # public and industrial, but on no named cloud or of uncertain kind
    for f in ctx.of_kind("case_study"):
        problems = [p for p in (ctx.case_study_problem(f), ctx.reach_problem(f, max_clicks)) if p]
        if not f.industrial:
            problems.append(not_industrial(f))
        on_aws, other_cloud = _platform(f)
        if other_cloud:
            problems.append(other_cloud)
        notes = list(f.kind_reasons)
        if f.industrial:
            notes.append(f"industrial categories: {labels(f.categories)}")
        if on_aws:
            notes.append(on_aws)
        if not on_aws and not other_cloud and not ctx.claims_aws_partnership:
            # No cloud named, and no AWS partnership claimed anywhere: nothing makes it an AWS customer case study.
            problems.append("names no cloud platform, and no page of the site mentions an AWS partnership")
        doubts = [d for d in (None if on_aws else "names no cloud platform: confirm it runs on AWS", f.kind_doubt) if d]
        if problems:
            result.rejected.append(ctx.evidence(f, problems + notes))
        elif doubts:
            to_confirm.append(ctx.evidence(f, doubts + notes))
        else:
            result.evidence.append(ctx.evidence(f, notes))
    result.evidence.sort(key=lambda e: (e.clicks or 0, e.url))
    result.evidence = one_per_work(result.evidence, ctx.works)
    to_confirm = one_per_work(to_confirm, ctx.works, counted=result.evidence)
    n = len(result.evidence)
    result.reasons = [
        f"{e.url}: public industrial case study on AWS, {plural(e.clicks or 0, 'click')} from home{_versions(e)}"
        for e in result.evidence
    ]
    result.reasons += [f"{e.url}: {e.reasons[0]}" for e in to_confirm + result.rejected]
    result.rejected = _to_confirm(to_confirm) + result.rejected
    if n >= need:
        result.status = "met"
        result.summary = f"{n} public industrial case studies on AWS within {max_clicks} clicks of home"
        return result
    if to_confirm and n + len(to_confirm) >= need:
        result.status = "needs_review"
        result.summary = f"{n} public industrial case studies on AWS and {len(to_confirm)} to confirm by hand"
        return result
    trouble = ctx.trouble(CASE_STUDIES)
    if trouble:
        return _undecided(result, trouble)
    result.summary = f"{n} of the {need} required public industrial case studies on AWS found"
    if not result.rejected and not n:
        result.reasons.append("no case study found on the site")
    return result


def check_thought_leadership(ctx: AuditContext) -> CheckResult:
    s = ctx.settings
    window_start = s.as_of - timedelta(days=s.window_days)
    result = CheckResult(THOUGHT_LEADERSHIP, "not_met", "")
    undated: list[Evidence] = []  # and items of uncertain kind: both for the auditor to confirm
    for f in ctx.of_kind("thought_leadership"):
        problems = [p for p in (ctx.access_problem(f), ctx.reach_problem(f, None)) if p]
        if not f.industrial:
            problems.append(not_industrial(f))
        notes = list(f.kind_reasons)
        if f.published is not None:
            notes.append(f"published {f.published.isoformat()} ({f.date_source})")
        if f.industrial:
            notes.append(f"industrial categories: {labels(f.categories)}")
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
        if not problems and f.kind_doubt:
            undated.append(ctx.evidence(f, [f.kind_doubt, *notes]))
            continue
        if not problems and f.first_published is not None and date.fromisoformat(f.first_published) < window_start:
            # The publisher dated it anew; whether it is new material is the auditor's call.
            reissue = f"reissued {f.published}, first published {f.first_published}: confirm it is new material"
            undated.append(ctx.evidence(f, [reissue, *notes]))
            continue
        (result.rejected if problems else result.evidence).append(ctx.evidence(f, problems + notes))
    result.evidence.sort(key=lambda e: e.published or window_start, reverse=True)
    result.evidence = one_per_work(result.evidence, ctx.works)
    undated = one_per_work(undated, ctx.works, counted=result.evidence)
    n = len(result.evidence)
    result.reasons = [f"{e.url}: published {e.published}, industrial{_versions(e)}" for e in result.evidence]
    result.reasons += [f"{e.url}: {e.reasons[0]}" for e in undated + result.rejected]
    result.rejected = _to_confirm(undated) + result.rejected
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
            f"{n} dated item(s) in the window and {len(undated)} candidate(s) to confirm by hand "
            "(undated, reissued, or of uncertain kind)"
        )
        return result
    trouble = ctx.trouble(THOUGHT_LEADERSHIP)
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
    *,
    coverage: Coverage | None = None,
) -> dict[str, CheckResult]:
    """The three verdicts (3.1, 2.2, 3.2) from the pages' facts and the crawl graph, each with its
    reasons, evidence and rejected candidates. Pure: reads nothing but its arguments (undated items
    take the date a listing page shows beside the link to them). `claims` are the verdicts of
    evaluate_claims, whose landing-page claim 3.1 reports first; `coverage` the crawl's, when it was
    measured already (else it is measured when a check needs it)."""
    apply_listing_dates(facts, outcome, settings.as_of)
    ctx = AuditContext(facts, outcome, settings, claims or [], measured=coverage)
    checks = {
        LANDING_PAGE: check_landing_page(ctx),
        CASE_STUDIES: check_case_studies(ctx),
        THOUGHT_LEADERSHIP: check_thought_leadership(ctx),
    }
    _apply_landing_claim(checks[LANDING_PAGE], claims or [], ctx)
    for result in checks.values():  # each check's evidence is in order of strength: the first few are cited
        for i, item in enumerate(result.evidence):
            item.extra["cited"] = i < settings.cite
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
        elif claim.verdict in ("blocked", "error") or ctx.trouble(LANDING_PAGE):
            result.status = "needs_review"
            result.summary = f"The claimed landing page could not be checked ({claim.verdict})"
        else:
            result.status = "not_met"
            result.summary = f"The claimed landing page is {claim.verdict.replace('_', ' ')}"


@dataclass
class Judgment:
    found: dict[str, CheckResult]  # what the crawl alone found
    final: dict[str, CheckResult]  # the audit's answer: the auditor's decisions applied
    claims: list[ClaimVerdict] | None  # the crawl's verdicts on the applicant's claims, when given


def judge(
    facts: dict[str, PageFacts],
    outcome: CrawlOutcome,
    settings: AuditSettings,
    decisions: Decisions,
    *,
    claims: Claims | None = None,
    coverage: Coverage | None = None,
) -> Judgment:
    """What the crawl alone found, and the audit's answer with the auditor's decisions applied
    (the same results when there are none). The decided pages are copies: `facts` keeps the crawl's."""
    verdicts = evaluate_claims(claims, facts, outcome, settings) if claims is not None else None
    found = evaluate(facts, outcome, settings, verdicts, coverage=coverage)
    if not decisions:
        return Judgment(found, found, verdicts)
    decided = decisions.apply_to_facts(facts)
    decided_claims = evaluate_claims(claims, decided, outcome, settings) if claims is not None else None
    final = evaluate(decided, outcome, settings, decided_claims, coverage=coverage)
    decisions.apply_to_checks(final)
    return Judgment(found, final, verdicts)
