"""Case-study completeness for checklist items 2.1.3 and 2.1.4.

Eight elements: customer name (anonymised customers flagged), problem, proposed solution,
AWS services, industrial domain knowledge, third-party applications, date of completion,
quantified outcomes; and whether the project was completed within 18 months of the audit.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from auditcrawl.crawler import ParsedPage

from ._textdates import parse_month_year
from ._vocab import Vocabulary

__all__ = ["ELEMENTS", "Completeness", "assess_case_study"]

ELEMENTS = (
    "customer_name",
    "problem",
    "solution",
    "aws_services",
    "industrial_domain",
    "third_party_applications",
    "completion_date",
    "outcomes",
)
MONTHS_18 = timedelta(days=548)

_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_VERBS = (
    r"cuts?|reduc(?:es|ed)|improv(?:es|ed)|mov(?:es|ed)|runs?|ran|buil(?:ds|t)|uses?|used|connect(?:s|ed)|achiev(?:es|ed)|"
    r"gain(?:s|ed)|sav(?:es|ed)|increas(?:es|ed)|boost(?:s|ed)|moderni[sz](?:es|ed)|migrat(?:es|ed)|scal(?:es|ed)|"
    r"transform(?:s|ed)|deliver(?:s|ed)|selects?|selected|rolls? out|rolled out|speeds? up|sped up|"
    r"automat(?:es|ed)|predicts?"
)
_CUSTOMER_PATTERNS = (
    re.compile(
        r"^(?:case study|customer story|success story|fallstudie|kundenreferenz|étude de cas|caso de éxito|"
        r"caso di successo)\s*[:–—-]\s*(?P<c>.{2,60}?)(?:\s+(?:" + _VERBS + r")\b.*)?$",
        re.I,
    ),
    re.compile(r"^how\s+(?P<c>.{2,60}?)\s+(?:" + _VERBS + r")\b", re.I),
    re.compile(
        r"^(?P<c>[A-Z0-9][\w&.'’-]*(?:\s+[A-Z0-9][\w&.'’-]*){0,4})\s*(?::|–|—|\s)\s*(?:case study|customer story)\b",
        re.I,
    ),
    re.compile(r"^(?P<c>[A-Z0-9][\w&.'’-]*(?:\s+[A-Z0-9][\w&.'’-]*){0,4})\s+(?:" + _VERBS + r")\b"),
)
_FIGURE = re.compile(
    r"\d+(?:[.,]\d+)?\s?(?:%|percent|prozent|pour cent|por ciento|per cento|x\b|×|times|hours|hrs|days|weeks|"
    r"months|minutes|"
    r"points|pts|€|\$|k€|m€|million|millionen|millions|stunden|tage|heures|jours|horas|días|ore|giorni|倍|時間|日|割|ポイント)",
    re.I,
)
_CURRENCY_FIRST = re.compile(r"[$€£]\s?\d")


@dataclass
class Completeness:
    elements: dict[str, bool]
    customer: str | None = None
    anonymised: bool = False
    aws_services: list[str] = field(default_factory=list)
    industrial_terms: list[str] = field(default_factory=list)
    third_party_applications: list[str] = field(default_factory=list)
    completed_on: date | None = None
    within_18_months: bool | None = None
    basis: str | None = None  # completion | published: which date within_18_months rests on

    @property
    def missing(self) -> list[str]:
        return [name for name in ELEMENTS if not self.elements[name]]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["completed_on"] = self.completed_on.isoformat() if self.completed_on else None
        data["missing"] = self.missing
        data["complete"] = not self.missing
        return data


def _customer(title: str, h1: list[str]) -> str | None:
    for text in [*h1, title]:
        text = _SITE_SUFFIX.sub("", text.strip())
        for pattern in _CUSTOMER_PATTERNS:
            m = pattern.match(text)
            if m:
                name = m["c"].strip(" :–—-")
                if 1 < len(name) <= 60:
                    return name
    return None


def _completion(text: str, vocab: Vocabulary, as_of: date) -> date | None:
    """A date right after "completed", "went live", "abgeschlossen", "稼働開始"…"""
    for at in vocab.completion_words.positions(text):
        found = parse_month_year(text[at : at + 60], vocab, as_of)
        if found is not None:
            return found
    return None


def assess_case_study(
    page: ParsedPage,
    vocab: Vocabulary,
    *,
    as_of: date,
    aws_services: list[str],
    isvs: list[str],
    category_terms: dict[str, list[str]],
    published: date | None,
) -> Completeness:
    """What of the eight 2.1.4 elements the case study shows; pure text analysis."""
    text = page.text
    heads = " | ".join(page.headings)
    opening = " ".join([page.title or "", *page.h1, text[:1500]])
    customer = _customer(page.title or "", page.h1)
    # "Contoso, a tier-1 supplier" names its customer; "a tier-1 supplier" alone does not.
    anonymised = customer is None and any(p.search(opening) for p in vocab.anonymous_patterns)
    products = [
        name
        for category in vocab.categories
        for name in category.products.find(text)
        if not name.startswith(("AWS ", "Amazon "))
    ]
    applications = list(dict.fromkeys([*isvs, *products]))
    completed = _completion(text, vocab, as_of)
    quantified = bool(_FIGURE.search(text) or _CURRENCY_FIRST.search(text))
    result = Completeness(
        elements={
            "customer_name": customer is not None,
            "problem": vocab.problem_words.search(heads) or vocab.problem_words.search(text),
            "solution": vocab.solution_words.search(heads) or vocab.solution_words.search(text),
            "aws_services": bool(aws_services),
            "industrial_domain": bool(category_terms),
            "third_party_applications": bool(applications),
            "completion_date": completed is not None,
            "outcomes": quantified and (vocab.result_words.search(heads) or vocab.result_words.search(text)),
        },
        customer=customer,
        anonymised=anonymised,
        aws_services=list(aws_services),
        industrial_terms=[t for terms in category_terms.values() for t in terms][:12],
        third_party_applications=applications,
        completed_on=completed,
    )
    basis_date, result.basis = (
        (completed, "completion") if completed else (published, "published") if published else (None, None)
    )
    if basis_date is not None:
        result.within_18_months = as_of - basis_date <= MONTHS_18
    return result
