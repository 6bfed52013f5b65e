"""One work, one item: which pages are versions of one another, and how checks count them."""

from __future__ import annotations

from datetime import date

import pytest

from auditcrawl.rules import evaluate
from auditcrawl.rules._works import Works
from auditcrawl.settings import AuditSettings

from .factories import HOME, facts_for, outcome_of


@pytest.mark.parametrize(
    ("a", "b", "declared", "same"),
    [
        ("https://p.com/case-studies/acme/", "https://p.com/de/case-studies/acme/", [], True),
        (
            "https://p.com/case-studies/acme-plant-historian/",
            "https://p.com/de/fallstudien/acme-plant-historian/",
            [],
            True,
        ),
        ("https://p.com/blog/opc-ua/", "https://p.com/blog/opc-ua/?print=1", [], True),
        ("https://p.com/blog/opc-ua/", "https://p.com/blog/opc-ua/print/", [], True),
        ("https://p.com/news/story-1/", "https://p.com/press/kunde-a/", ["https://p.com/news/story-1/"], True),
        ("https://p.com/case-studies/acme/", "https://p.com/case-studies/fabrikam/", [], False),
        ("https://p.com/case-studies/acme/", "https://p.com/ai/case-studies/acme2/", [], False),
        ("https://p.com/blog/mes/", "https://p.com/resources/mes/", [], False),  # a short slug is no work's name
        ("https://p.com/case-studies/acme/", "https://q.com/de/case-studies/acme/", [], False),
    ],
)
def test_versions_of_one_work(a: str, b: str, declared: list[str], same: bool) -> None:
    first, second = facts_for(a, "case_study"), facts_for(b, "case_study")
    second.versions = declared
    works = Works([first, second])
    assert (works.work(a) == works.work(b)) is same


def test_one_case_study_in_two_languages_counts_once() -> None:
    en, de = "https://p.com/case-studies/acme/", "https://p.com/de/case-studies/acme/"
    facts = {u: facts_for(u, "case_study") for u in (en, de)}
    facts[de].versions = [en]
    result = evaluate(facts, outcome_of([(HOME, en), (HOME, de)]), AuditSettings(as_of=date(2026, 6, 1)))["2.2"]
    assert result.status == "not_met"
    assert [e.url for e in result.evidence] == [en]
    assert result.evidence[0].extra["versions"] == [de]
    assert result.reasons[0].endswith(f"(one work, also at {de})")
