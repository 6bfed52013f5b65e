"""Page facts: kind, industrial categories, AWS and ISV signals, gating, date.

Each decision is an early-return cascade over the cheapest signals first:
URL, then title and headings, then structured data, then text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

from auditcrawl.crawler import HTML_TYPES, REGION_WEIGHT, CrawledPage, Link, ParsedPage

from ._completeness import assess_case_study
from ._dates import publication_date
from ._digest import content_digest
from ._gating import gate_reason
from ._kind import KindDecision, decide_kind
from ._models import PageFacts
from ._terms import Text
from ._vocab import Vocabulary, detect_language, load_vocabulary

__all__ = ["analyse_page", "classify_kind", "detect_categories", "is_dedicated_home", "score_link"]

CATEGORY_MIN_SCORE = 2
REPEATED = 3  # occurrences of a term in the text that show the page is about it
MAX_CONTENT_LINKS = 200
_DATED_KINDS = ("case_study", "thought_leadership")
_KEPT_HEADERS = ("etag", "last-modified")  # the validators of the next run's conditional requests


def _segments(url: str) -> list[str]:
    return [s.lower() for s in urlsplit(url).path.split("/") if s]


def classify_kind(url: str, parsed: ParsedPage, vocab: Vocabulary, categories: list[str]) -> KindDecision:
    """The page's kind, weighed from its structured data, URL, titles and structure (see _kind)."""
    return decide_kind(url, parsed, vocab, categories)


def detect_categories(heads: str | Text, body: str | Text, vocab: Vocabulary) -> dict[str, list[str]]:
    """Industrial categories with the terms that support them. A term weighs 2 in the title or a
    heading, 1 in the text, and 1 more when the text keeps coming back to it (three times or more)."""
    heads, body = Text(heads) if isinstance(heads, str) else heads, Text(body) if isinstance(body, str) else body
    found: dict[str, list[str]] = {}
    for category in vocab.categories:
        matchers = (category.terms, category.acronyms, category.products)
        in_heads = {t for m in matchers for t in m.find(heads)}
        in_body: dict[str, int] = {}
        for m in matchers:
            in_body.update(m.counts(body))
        terms = list(dict.fromkeys([*sorted(in_heads), *in_body]))
        score = sum((2 if t in in_heads else 1) + (in_body.get(t, 0) >= REPEATED) for t in terms)
        if score >= CATEGORY_MIN_SCORE:
            found[category.name] = terms
    return found


def generic_it_reason(heads: str, category_terms: dict[str, list[str]], vocab: Vocabulary) -> str | None:
    """Why a page about generic IT work is not industrial software, though it names some industrial
    terms (a landing zone or a data-centre exit for a manufacturer): its title or heading names the
    IT work and no industrial term."""
    generic = vocab.generic_it.find(heads)
    if not generic or not category_terms:
        return None
    lowered = heads.lower()
    if any(term.lower() in lowered for terms in category_terms.values() for term in terms):
        return None
    return f"generic IT ({', '.join(generic[:3])}) for an industrial customer, not industrial software"


def _aws_signals(texts: Iterable[Text], vocab: Vocabulary) -> list[str]:
    found: dict[str, None] = {}
    for text in texts:
        if not any(cue in text.lowered for cue in vocab.aws_cues):  # cheap: most pages name no partnership
            continue
        for pattern in vocab.aws_partnership:
            for match in pattern.finditer(text.raw):
                found.setdefault(match.group(0), None)
    return list(found)[:8]


def is_dedicated_home(facts: PageFacts) -> bool:
    """The home page of a dedicated industrial-software consultancy shows that focus itself."""
    return facts.industrial and facts.industrial_focus and len(facts.other_industries) < 2


def analyse_page(page: CrawledPage, as_of: date, *, date_all: bool = False) -> PageFacts:
    """Facts about one page, with the vocabulary of the page's language."""
    validators = {k: v for k, v in page.headers.items() if k in _KEPT_HEADERS}
    facts = PageFacts(
        **{**page.fetch_fields(), "headers": validators},
        nofollow=page.parsed is not None and not page.follows_links,
    )
    parsed = page.parsed
    if parsed is None:
        facts.gated = gate_reason(page.status, page.url, page.redirects, None, load_vocabulary())
        return facts
    declared = parsed.lang or page.headers.get("content-language")
    vocab = load_vocabulary(detect_language(declared, parsed.text))
    facts.title, facts.lang, facts.word_count = parsed.title, vocab.lang, parsed.word_count
    declared_versions = [parsed.canonical, *parsed.alternates]
    facts.versions = list(dict.fromkeys(v for v in declared_versions if v and v not in (page.url, page.final_url)))
    facts.notes = list(parsed.notes)
    plain = vocab.without_other_meanings  # "software supply chain", "AWS D1.1": words in another sense
    heads = plain(" | ".join([parsed.title or "", *parsed.headings]))
    focus_text = plain(" | ".join([parsed.title or "", *parsed.h1, parsed.description or ""]))
    text = Text(parsed.text)  # lowercased and split into words once for every matcher below
    if (plain_text := plain(text)) is not parsed.text:
        text = Text(plain_text)
    category_terms = detect_categories(heads, text.prefixed(plain(parsed.description or "")), vocab)
    facts.not_industrial = generic_it_reason(focus_text, category_terms, vocab)
    if facts.not_industrial is not None:
        category_terms = {}
    facts.categories, facts.category_terms = list(category_terms), category_terms
    if facts.categories:  # what a practice page links to from its own content (not the site's menus)
        content = (link.url for link in parsed.links if link.region in ("main", "body"))
        facts.content_links = list(dict.fromkeys(content))[:MAX_CONTENT_LINKS]
    facts.industrial_focus = vocab.focus_phrases.search(focus_text)
    facts.other_industries = vocab.other_industries.find(f"{focus_text} {parsed.text[:5000]}")
    facts.gated = gate_reason(page.status, page.url, page.redirects, parsed, vocab, text)
    decision = classify_kind(page.final_url, parsed, vocab, facts.categories)
    if facts.gated and page.url != page.final_url:
        # A link to a case study that lands on a login page is still that case study, gated.
        decision = classify_kind(page.url, parsed, vocab, facts.categories)
    facts.kind, facts.kind_reasons, facts.kind_doubt = decision.kind, decision.reasons, decision.doubt()
    images = [*parsed.image_alts, *parsed.image_names]
    facts.aws_signals = _aws_signals([Text(parsed.title or ""), text, *map(Text, images)], vocab)
    services = vocab.aws_services.find(text)
    facts.aws_services = list(dict.fromkeys(vocab.aws_service_canonical.get(s.lower(), s) for s in services))
    clouds = [vocab.cloud_canonical.get(c.lower(), c) for c in vocab.clouds.find(text)]
    facts.clouds = list(dict.fromkeys(["AWS"] * bool(facts.aws_services) + clouds))  # an AWS service names AWS
    facts.isvs = vocab.isv_vendors.find(text)
    if date_all or facts.kind in _DATED_KINDS:  # dating costs a few ms a page: only where it matters
        html = page.html if page.content_type in HTML_TYPES else ""
        finding = publication_date(html, page.final_url, parsed, vocab, as_of, page.fetched_at.date())
        if finding is not None:
            facts.published, facts.date_source = finding.published, finding.source
            if finding.first_published is not None:
                facts.first_published = finding.first_published.isoformat()
    if facts.evidence_candidate:  # what a decision on the page would rest on; other pages never need it
        facts.content_digest = content_digest(parsed.title, parsed.text)
    if facts.kind in ("case_study", "other") and facts.industrial:  # "other": a claim may make it a case study
        facts.completeness = assess_case_study(
            parsed,
            vocab,
            as_of=as_of,
            aws_services=facts.aws_services,
            isvs=facts.isvs,
            category_terms=facts.category_terms,
            published=facts.published,
        ).as_dict()
    return facts


def score_link(link: Link, depth: int, vocab: Vocabulary) -> float:
    """Frontier priority of a link: evidence cues in anchor and URL, then page region."""
    segments = _segments(link.url)
    anchor = link.anchor
    score = REGION_WEIGHT.get(link.region, 0.0) - 0.02 * depth
    if any(p.search(link.url) for p in vocab.offsite_patterns):
        return score + 1.2
    cs, tl = vocab.case_study, vocab.thought_leadership
    if cs.anchor_phrases.search(anchor) or any(s in cs.segments or s.endswith(cs.suffixes) for s in segments):
        return score + 1.1
    if vocab.landing_anchor_phrases.search(anchor) or any(s in vocab.industrial_segments for s in segments):
        return score + 1.0
    if tl.anchor_phrases.search(anchor) or any(s in tl.segments for s in segments):
        return score + 0.9
    if any(s in vocab.practice_segments for s in segments):
        return score + 0.5
    return score
