"""Industrial terms as words: whole words in their own sense, never a stem inside another word
or a vocabulary word used in another sense (software supply chains, the American Welding Society)."""

from __future__ import annotations

from datetime import date

import pytest

from auditcrawl.crawler import CrawledPage, FetchResult
from auditcrawl.rules import PageFacts, analyse_page


def analysed(title: str, body: str, lang: str = "en") -> PageFacts:
    html = f'<!doctype html><html lang="{lang}"><title>{title}</title><main><h1>{title}</h1>{body}</main></html>'
    url = "https://p.com/blog/a-post/"
    result = FetchResult(url=url, final_url=url, status=200, content_type="text/html", body=html.encode())
    return analyse_page(CrawledPage.from_fetch(result), date(2026, 6, 1))


@pytest.mark.parametrize(
    ("title", "body", "lang", "categories"),
    [
        (
            "Shift left: supply chain attacks hit developers",
            "<p>Software supply chain security for npm packages. Supply chain attacks and supply chain "
            "incidents: sign your builds.</p>",
            "en",
            [],
        ),
        (
            "Container-Tooling im Alltag",
            "<p>Wir simulieren Lastspitzen, berechnen die Kosten und sichern die Lieferkette Ihrer Software ab. "
            "Die Konstruktion unserer Pipelines ist einfach.</p>",
            "de",
            [],
        ),
        (
            "Supply chain visibility for manufacturers",
            "<p>Connected plants give planners supply chain visibility from the shop floor to the warehouse.</p>",
            "en",
            ["production"],
        ),
        (
            "How a CNC machine builder uses machine sensor data",
            "<p>Machine monitoring across 400 CNC machines: spindle load and vibration as machine sensor data, "
            "condition monitoring of every machine tool.</p>",
            "en",
            ["production_design", "production"],
        ),
        (
            "Strömungssimulation in der Produktentwicklung",
            "<p>Strömungssimulation und Struktursimulation auf Hochleistungsrechnen.</p>",
            "de",
            ["product_design"],
        ),
    ],
)
def test_terms_count_only_in_their_own_sense(title: str, body: str, lang: str, categories: list[str]) -> None:
    assert sorted(analysed(title, body, lang).categories) == sorted(categories)


def test_aws_as_the_american_welding_society_is_not_the_cloud() -> None:
    facts = analysed(
        "Heavy equipment welding",
        "<h2>Weld quality to AWS D1.1 and D14.3</h2><p>Welds must meet AWS D1.1 (Structural Welding Code). "
        "Procedures qualified per AWS standards; inspection by AWS CWI inspectors; the American Welding "
        "Society (AWS) codes apply.</p>",
    )
    assert facts.clouds == [] and facts.aws_signals == []


def test_aws_the_cloud_is_still_aws_beside_a_welding_code() -> None:
    facts = analysed("Weld analytics", "<p>Welds to AWS D1.1, with weld data on AWS IoT SiteWise and Amazon S3.</p>")
    assert facts.clouds == ["AWS"]
