"""Claims, PDFs, off-site evidence, multilingual sites and case-study completeness, end to end."""

from __future__ import annotations

import io
from datetime import UTC, date
from typing import Any

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from auditcrawl.crawler import parse_pdf
from auditcrawl.rules import Claims
from auditcrawl.siteserver import LoopbackTransport, Page

from .sites import AS_OF, classic_site, days_ago, page, published, text


def make_pdf(lines: list[str], *, title: str | None = None, created: date | None = None) -> bytes:
    """A real PDF with a text layer, made with fpdf2."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    if title:
        pdf.set_title(title)
    if created:
        from datetime import datetime

        pdf.set_creation_date(datetime(created.year, created.month, created.day, tzinfo=UTC))
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdf_page(body: bytes) -> Page:
    return Page(body, content_type="application/pdf")


# --- claims ---------------------------------------------------------------------------------------


async def test_claims_get_verdicts_and_feed_the_checks(serve: Any, audit: Any) -> None:
    gated = page(
        "Case study: Adatum",
        """<h1>Case study: Adatum Foods</h1><p>MES roll-out with AWS IoT SiteWise and OPC UA.
        Fill out the form to download.</p><form><input name="n"><input type="email" name="e"><input name="c">
        <button>Download the case study</button></form>""",
    )
    orphan = page(
        "Case study: Northwind Pumps",
        """<article><h1>Case study: Northwind Pumps</h1><p>Predictive maintenance
        with Amazon Lookout for Equipment on pump lines; OEE up 4 points.</p></article>""",
        head=published(days_ago(60)),
    )
    routes = classic_site(**{"/case-studies/adatum/": gated, "/case-studies/northwind-orphan/": orphan})
    server = serve(routes)
    u = server.url
    claims = Claims(
        landing_page=u("/industries/manufacturing/"),
        case_studies=[
            u("/case-studies/contoso-predictive-maintenance/"),
            u("/case-studies/missing/"),
            u("/case-studies/adatum/"),
            u("/case-studies/northwind-orphan/"),
        ],
        thought_leadership=[u("/blog/digital-twins-on-aws/"), u("/blog/cost-optimisation-tips/")],
    )
    result = await audit(u("/"), claims=claims)
    verdicts = {c["url"]: (c["claimed_as"], c["verdict"], c["reasons"][0]) for c in result.document["claims"]}
    assert verdicts == {
        u("/industries/manufacturing/"): ("landing_page", "ok", "public industrial landing page, 1 click(s) from home"),
        u("/case-studies/contoso-predictive-maintenance/"): (
            "case_study",
            "ok",
            f"public industrial case study, 2 click(s) from home, published {days_ago(100)}",
        ),
        u("/case-studies/missing/"): ("case_study", "not_found", "HTTP 404"),
        u("/case-studies/adatum/"): (
            "case_study",
            "not_public",
            "content behind a lead-generation form (3 fields, 'Download the case study')",
        ),
        u("/case-studies/northwind-orphan/"): (
            "case_study",
            "not_linked",
            "no link path from the home page reaches it",
        ),
        u("/blog/digital-twins-on-aws/"): (
            "thought_leadership",
            "ok",
            f"public industrial thought leadership, 2 click(s) from home, published {days_ago(30)}",
        ),
        u("/blog/cost-optimisation-tips/"): (
            "thought_leadership",
            "not_industrial",
            "names no industrial-software category",
        ),
    }
    # the orphaned case study was fetched for its claim, but it is not linked: it does not count
    assert u("/case-studies/northwind-orphan/") not in result.evidence_urls("2.2")
    # of the four claimed case studies only one holds: the practice page cannot link to two of them
    assert result.statuses() == ("not_met", "met", "met")
    reasons = result.rejected("3.1")[u("/industries/manufacturing/")]
    assert reasons[0] == "links to 1 of the claimed case studies, public and live; it must link to 2"
    assert f"claimed case study {u('/case-studies/missing/')}: not found (HTTP 404)" in reasons


async def test_claimed_landing_page_not_linked_makes_3_1_not_met(serve: Any, audit: Any) -> None:
    orphan_lp = page(
        "Industrial IoT on AWS",
        "<h1>Industrial IoT on AWS</h1>"
        "<p>OPC UA, AWS IoT SiteWise, predictive maintenance. AWS Advanced Tier Services Partner.</p>",
    )
    routes = classic_site(**{"/lp/iiot/": orphan_lp, "/industries/manufacturing/": None})
    server = serve(routes)
    result = await audit(server.url("/"), claims=Claims(landing_page=server.url("/lp/iiot/")))
    assert result.status("3.1") == "not_met"
    assert result.document["checks"]["3.1"]["summary"] == "The claimed landing page is not linked"
    assert result.document["checks"]["3.1"]["reasons"][0] == (
        f"claimed landing page {server.url('/lp/iiot/')}: not linked (no link path from the home page reaches it)"
    )


async def test_claimed_url_that_redirects_says_so(serve: Any, audit: Any) -> None:
    routes = classic_site(
        **{
            "/cs/old-contoso": Page(
                "", status=301, headers={"Location": "/case-studies/contoso-predictive-maintenance/"}
            )
        }
    )
    server = serve(routes)
    result = await audit(server.url("/"), claims=Claims(case_studies=[server.url("/cs/old-contoso")]))
    claim = result.document["claims"][0]
    assert claim["verdict"] == "ok"
    assert f"redirects to {server.url('/case-studies/contoso-predictive-maintenance/')}" in claim["reasons"]


# --- PDFs -----------------------------------------------------------------------------------------

CASE_PDF_LINES = [
    "Case study: Fabrikam Industries moves Siemens Teamcenter to AWS",
    "Challenge: engineers waited minutes to open assemblies in the PLM system.",
    "Solution: Teamcenter on Amazon EC2 with Amazon FSx; the bill of materials flows to the MES.",
    "Results: assemblies open 3x faster; engineering change orders close in 4 days instead of 11.",
]


async def test_pdf_case_studies_count_for_2_2(serve: Any, audit: Any) -> None:
    cs_index = page(
        "Case studies",
        '<h1>Case studies</h1><a href="/downloads/fabrikam-case-study.pdf">Fabrikam (PDF)</a> '
        '<a href="/downloads/contoso-case-study.pdf">Contoso (PDF)</a>',
    )
    contoso_pdf = make_pdf(
        [
            "How Contoso Motors cut unplanned downtime with AWS IoT SiteWise",
            "OPC UA data from 120 presses; predictive maintenance with Amazon Lookout for Equipment.",
            "Unplanned downtime fell 30%.",
        ],
        title="Contoso Motors case study",
        created=date(2026, 2, 3),
    )
    routes = classic_site(
        **{
            "/case-studies/": cs_index,
            "/case-studies/contoso-predictive-maintenance/": None,
            "/case-studies/fabrikam-plm/": None,
            "/downloads/fabrikam-case-study.pdf": pdf_page(make_pdf(CASE_PDF_LINES, created=date(2026, 1, 10))),
            "/downloads/contoso-case-study.pdf": pdf_page(contoso_pdf),
        }
    )
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.status("2.2") == "met"
    assert result.evidence_urls("2.2") == {
        server.url("/downloads/fabrikam-case-study.pdf"),
        server.url("/downloads/contoso-case-study.pdf"),
    }
    fabrikam = next(e for e in result.document["checks"]["2.2"]["evidence"] if "fabrikam" in e["url"])
    assert (fabrikam["published"], fabrikam["date_source"]) == ("2026-01-10", "pdf")
    assert fabrikam["title"] == CASE_PDF_LINES[0]
    assert "production_design" in fabrikam["categories"]


def test_unreadable_pdfs_give_notes_not_crashes() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(CASE_PDF_LINES))))
    writer.encrypt(user_password="secret", owner_password="owner")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    image_only = FPDF()
    image_only.add_page()
    image_only.rect(10, 10, 50, 50, style="F")
    cases = {
        "encrypted": (encrypted.getvalue(), "encrypted PDF: its text cannot be read"),
        "image-only": (
            bytes(image_only.output()),
            "PDF has no text layer (image-only?): its content cannot be checked",
        ),
        "corrupt": (make_pdf(CASE_PDF_LINES)[:400], "unreadable PDF"),
        "garbage": (b"%PDF-1.7\n\x00\x01\x02 not really", "unreadable PDF"),
    }
    for name, (body, note) in cases.items():
        parsed = parse_pdf(body, f"https://p.com/{name}.pdf")
        assert parsed.notes and parsed.notes[0].startswith(note), (name, parsed.notes)
        assert parsed.text == ""


# --- off-site evidence --------------------------------------------------------------------------


async def test_youtube_video_and_offsite_press_article_count_for_3_2(serve: Any, audit: Any) -> None:
    video_url = "https://www.youtube.com/watch?v=abc123XYZ"
    press_url = "https://www.industry-today-news.com/2026/04/acme-cloud-interview/"
    news = page(
        "News | Acme Cloud",
        f"""<h1>News</h1><ul><li><a href="{video_url}">Watch our smart factory webinar</a></li>
        <li><a href="{press_url}">Read the interview in Industry Today</a></li></ul>""",
    )
    home = page(
        "Acme Cloud | AWS consulting",
        '<h1>AWS consulting</h1><a href="/industries/manufacturing/">Industrial</a> <a href="/news/">News</a>',
    )
    video = page(
        "The smart factory on AWS - YouTube",
        "<div id='player'></div>",
        nav="",
        footer="",
        head=f"""<meta property="og:type" content="video.other"><meta itemprop="uploadDate" content="{days_ago(45)}">
        <meta name="description" content="Industrial IoT and predictive maintenance on the shop floor with AWS
        IoT SiteWise and OPC UA.">""",
    )
    press = page(
        "Acme Cloud on digital twins for manufacturers | Industry Today",
        """<article><h1>Interview: digital twins for
        manufacturers</h1><p>Acme Cloud explains how a digital twin of a production line, Industrial IoT data and
        predictive maintenance come together.</p></article>""",
        nav="",
        footer="",
        head='<meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{days_ago(70)}">',
    )
    server = serve({})
    routes = classic_site(
        **{"/": home, "/news/": news, "/blog/": None, "/blog/digital-twins-on-aws/": None, "/blog/opc-ua-edge/": None}
    )
    routes.update(
        {
            "www.youtube.com/watch?v=abc123XYZ": video,
            "www.youtube.com/robots.txt": text("User-agent: *\nAllow: /\n"),
            "www.industry-today-news.com/2026/04/acme-cloud-interview/": press,
            "www.industry-today-news.com/robots.txt": text(""),
        }
    )
    server.set_routes(routes)
    transport = LoopbackTransport(server, ["acme-cloud.com", "www.youtube.com", "www.industry-today-news.com"])
    result = await audit(f"http://acme-cloud.com:{server.port}/", transport=transport)
    assert result.status("3.2") == "met"
    assert result.evidence_urls("3.2") == {video_url, press_url}
    evidence = {e["url"]: e for e in result.document["checks"]["3.2"]["evidence"]}
    assert (
        evidence[video_url]["published"] == days_ago(45)
        and evidence[video_url]["title"] == "The smart factory on AWS - YouTube"
    )
    assert evidence[video_url]["click_path"] == [
        f"http://acme-cloud.com:{server.port}/",
        f"http://acme-cloud.com:{server.port}/news/",
        video_url,
    ]
    assert evidence[press_url]["offsite"] is True and evidence[press_url]["published"] == days_ago(70)


# --- multilingual sites --------------------------------------------------------------------------

DE_NAV = """<header><nav><a href="/">Start</a> <a href="/branchen/fertigung/">Fertigung</a>
<a href="/referenzen/">Referenzen</a> <a href="/aktuelles/">Aktuelles</a></nav></header>"""
DE_FOOTER = (
    "<footer><p>Wir sind AWS Advanced Tier Services Partner.</p><p>Zuletzt aktualisiert: 20.05.2026</p></footer>"
)


def _de(title: str, body: str, head: str = "") -> Page:
    return page(title, body, nav=DE_NAV, footer=DE_FOOTER, lang="de", head=head)


async def test_german_site_meets_all_three(serve: Any, audit: Any) -> None:
    routes = {
        "/": _de(
            "Muster IT GmbH | Cloud-Beratung",
            "<h1>Cloud-Beratung für den Mittelstand</h1><p>Wir begleiten Unternehmen auf dem Weg in die Cloud.</p>",
        ),
        "/branchen/fertigung/": _de(
            "Fertigung und Industrie 4.0 | Muster IT",
            """<h1>Industriesoftware für die Fertigung auf AWS</h1>
            <p>Als AWS Advanced Tier Services Partner bringen wir MES, PLM und Industrie 4.0 in die Cloud:
            vorausschauende
            Wartung mit AWS IoT SiteWise, OPC UA-Anbindung der Maschinen und digitale Zwillinge.
            Technologiepartner: Siemens, PTC.</p>
            <p><a href="/referenzen/mueller-maschinenbau/">Referenz: Müller Maschinenbau</a></p>""",
        ),
        "/referenzen/": _de(
            "Referenzen",
            "<h1>Referenzen</h1>"
            '<a href="/referenzen/mueller-maschinenbau/">Müller</a> <a href="/referenzen/schmidt-werke/">Schmidt</a>',
        ),
        "/referenzen/mueller-maschinenbau/": _de(
            "Fallstudie: Müller Maschinenbau",
            """<article><h1>Fallstudie: Müller Maschinenbau</h1>
            <p>Veröffentlicht am 3. Februar 2026.</p><h2>Herausforderung</h2>
            <p>Ungeplante Stillstandszeiten an 40 Fräsmaschinen.</p>
            <h2>Lösung</h2><p>Maschinendaten über OPC UA an AWS IoT SiteWise, vorausschauende Wartung mit
            Amazon SageMaker.</p>
            <h2>Ergebnis</h2><p>Die Stillstandszeiten sanken um 25 %.</p></article>""",
        ),
        "/referenzen/schmidt-werke/": _de(
            "Fallstudie: Schmidt Werke",
            """<article><h1>Fallstudie: Schmidt Werke</h1>
            <p>Siemens Teamcenter (PLM) auf AWS, Stücklisten und Änderungsmanagement für 300 Konstrukteure.</p>
            </article>""",
        ),
        "/aktuelles/": _de(
            "Aktuelles",
            '<h1>Aktuelles</h1><a href="/aktuelles/digitaler-zwilling/">Digitaler Zwilling</a> <a '
            'href="/aktuelles/mes-in-der-cloud/">MES</a>',
        ),
        "/aktuelles/digitaler-zwilling/": _de(
            "Der digitale Zwilling in der Fertigung",
            """<article><h1>Der digitale Zwilling in der Fertigung</h1>
            <p>12. März 2026 · Wie ein digitaler Zwilling der Produktionslinie mit Industrie 4.0-Daten
            arbeitet.</p></article>""",
        ),
        "/aktuelles/mes-in-der-cloud/": _de(
            "MES in der Cloud",
            """<article><h1>MES in der Cloud</h1><p>Veröffentlicht: 03.02.2026</p>
            <p>Fertigungssteuerung und Rückverfolgbarkeit mit MES auf AWS, vernetzt über OPC UA.</p></article>""",
        ),
        "/robots.txt": text(""),
    }
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.statuses() == ("met", "met", "met")
    assert result.evidence_urls("3.1") == {server.url("/branchen/fertigung/")}
    assert result.evidence_urls("2.2") == {
        server.url("/referenzen/mueller-maschinenbau/"),
        server.url("/referenzen/schmidt-werke/"),
    }
    dates = {e["url"]: e["published"] for e in result.document["checks"]["3.2"]["evidence"]}
    assert dates == {
        server.url("/aktuelles/digitaler-zwilling/"): "2026-03-12",
        server.url("/aktuelles/mes-in-der-cloud/"): "2026-02-03",
    }
    # the footer's "Zuletzt aktualisiert: 20.05.2026" is never taken as a publication date


JA_NAV = """<header><nav><a href="/">ホーム</a> <a href="/solutions/manufacturing/">製造業向けソリューション</a>
<a href="/case/">導入事例</a> <a href="/column/">コラム</a></nav></header>"""
JA_FOOTER = "<footer><p>当社はAWSアドバンストティアサービスパートナーです。</p></footer>"


def _ja(title: str, body: str) -> Page:
    return page(title, body, nav=JA_NAV, footer=JA_FOOTER, lang="ja")


async def test_japanese_site_meets_all_three(serve: Any, audit: Any) -> None:
    routes = {
        "/": _ja("サンプルクラウド株式会社", "<h1>クラウドで事業を加速</h1><p>AWSの導入と運用を支援します。</p>"),
        "/solutions/manufacturing/": _ja(
            "製造業向けソリューション | サンプルクラウド",
            """<h1>製造業向けAWSソリューション</h1>
            <p>AWSパートナーとして、スマートファクトリー、予知保全、MESのクラウド化を支援します。AWS IoT SiteWiseとOPC
            UAで工場の設備データを収集し、デジタルツインを構築します。</p>
            <p><a href="/case/abc-seisakusho/">導入事例：ABC製作所様</a></p>""",
        ),
        "/case/": _ja(
            "導入事例一覧",
            '<h1>導入事例</h1><a href="/case/abc-seisakusho/">ABC製作所</a> <a href="/case/xyz-kogyo/">XYZ工業</a>',
        ),
        "/case/abc-seisakusho/": _ja(
            "導入事例：ABC製作所様",
            """<article><h1>導入事例：ABC製作所様</h1><p>公開日：2026年2月10日</p>
            <h2>課題</h2><p>生産ラインの設備停止が多発していました。</p><h2>解決策</h2>
            <p>AWS IoT SiteWiseで稼働監視と予知保全を実現。</p>
            <h2>効果</h2><p>停止時間を30%削減しました。</p></article>""",
        ),
        "/case/xyz-kogyo/": _ja(
            "導入事例：XYZ工業様",
            """<article><h1>導入事例：XYZ工業様</h1><p>公開日：2025年12月1日</p>
            <p>製造実行システム（MES）をAWSへ移行し、トレーサビリティと品質管理を強化しました。</p></article>""",
        ),
        "/column/": _ja(
            "コラム",
            '<h1>コラム</h1><a href="/column/smart-factory/">スマートファクトリー入門</a> <a '
            'href="/column/digital-twin/">デジタルツイン</a>',
        ),
        "/column/smart-factory/": _ja(
            "スマートファクトリー入門",
            """<article><h1>スマートファクトリー入門</h1><p>2026年3月12日</p>
            <p>インダストリー4.0とスマートファクトリーの基本、エッジコンピューティングの役割を解説します。</p></article>""",
        ),
        "/column/digital-twin/": _ja(
            "製造業のデジタルツイン",
            """<article><h1>製造業のデジタルツイン</h1><p>2026.04.20</p>
            <p>デジタルツインと予知保全で工場の稼働率を向上させる方法。</p></article>""",
        ),
        "/robots.txt": text(""),
    }
    server = serve(routes)
    result = await audit(server.url("/"))
    assert result.statuses() == ("met", "met", "met")
    assert result.evidence_urls("3.1") == {server.url("/solutions/manufacturing/")}
    assert result.evidence_urls("2.2") == {server.url("/case/abc-seisakusho/"), server.url("/case/xyz-kogyo/")}
    dates = {e["url"]: e["published"] for e in result.document["checks"]["3.2"]["evidence"]}
    assert dates == {
        server.url("/column/smart-factory/"): "2026-03-12",
        server.url("/column/digital-twin/"): "2026-04-20",
    }


# --- completeness --------------------------------------------------------------------------------


async def test_case_study_without_customer_name_is_reported_incomplete(serve: Any, audit: Any) -> None:
    anonymous = page(
        "Predictive maintenance for a Fortune 500 manufacturer",
        """<article><h1>Predictive maintenance for a Fortune 500 manufacturer</h1><h2>Challenge</h2><p>A leading global
        manufacturer lost hours to unplanned downtime.</p><h2>Solution</h2><p>OPC UA data into AWS IoT SiteWise and
        Amazon Lookout for Equipment; Siemens Opcenter MES integration. The project went live in March 2026.</p>
        <h2>Results</h2><p>Downtime fell 28%.</p></article>""",
        head=published(days_ago(40)),
    )
    routes = classic_site(**{"/case-studies/fabrikam-plm/": anonymous})
    server = serve(routes)
    result = await audit(server.url("/"))
    evidence = {e["url"]: e for e in result.document["checks"]["2.2"]["evidence"]}
    anon = evidence[server.url("/case-studies/fabrikam-plm/")]["completeness"]
    assert anon["anonymised"] is True and anon["customer"] is None
    assert anon["missing"] == ["customer_name"] and anon["complete"] is False
    assert anon["completed_on"] == "2026-03-01" and anon["within_18_months"] is True and anon["basis"] == "completion"
    assert {"Siemens", "Siemens Opcenter"} <= set(anon["third_party_applications"])  # the product by its full name
    named = evidence[server.url("/case-studies/contoso-predictive-maintenance/")]["completeness"]
    assert named["customer"] == "Contoso Motors" and named["anonymised"] is False


@pytest.mark.parametrize(
    ("lang", "text_", "expected"),
    [
        ("de", "Veröffentlicht am 12. März 2026", date(2026, 3, 12)),
        ("fr", "Publié le 3 juin 2025", date(2025, 6, 3)),
        ("es", "Publicado el 12 de marzo de 2026", date(2026, 3, 12)),
        ("it", "Pubblicato il 12 marzo 2026", date(2026, 3, 12)),
        ("ja", "公開日：2026年3月12日", date(2026, 3, 12)),
        ("ja", "2022.12.23", date(2022, 12, 23)),
        ("de", "03.03.2026", date(2026, 3, 3)),
        ("en", "03/04/2026", date(2026, 3, 4)),
        ("fr", "03/04/2026", date(2026, 4, 3)),
        ("en", "Posted on May 2, 2026", date(2026, 5, 2)),
        ("en", "Published 9 July 2031", None),  # after the audit date
    ],
)
def test_written_dates_in_each_language(lang: str, text_: str, expected: date | None) -> None:
    from auditcrawl.rules._textdates import find_text_date
    from auditcrawl.rules._vocab import load_vocabulary

    assert find_text_date(text_, load_vocabulary(lang), AS_OF) == expected
