"""The auditor's report: one self-contained HTML file (Jinja2, autoescaped, no external assets)."""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup

if TYPE_CHECKING:
    from jinja2 import Environment

from auditcrawl.rules import CASE_STUDIES, CHECK_TITLES, category_labels

from ._exceptions import AuditcrawlError
from .pdf import print_pdf
from .wacz import replay_link

__all__ = [
    "ELEMENT_LABELS",
    "MAX_EMBEDDED_IMAGE",
    "render_report",
    "report_pdf",
    "report_pdf_or_why",
    "screenshot_files",
    "short_path",
    "templates",
]

MAX_EMBEDDED_IMAGE = 4 * 1024 * 1024  # a screenshot larger than this is left out of the HTML (the bundle has it)
# The eight elements of a case study (2.1.4): key in the export, label, short label for narrow terminals.
ELEMENT_LABELS = [
    ("customer_name", "Customer", "Cust"),
    ("problem", "Problem", "Prob"),
    ("solution", "Solution", "Sol"),
    ("aws_services", "AWS services", "AWS"),
    ("industrial_domain", "Industrial domain", "Dom"),
    ("third_party_applications", "ISV applications", "ISV"),
    ("completion_date", "Completion date", "Date"),
    ("outcomes", "Outcomes", "Out"),
]


def link(url: str) -> Markup:
    """A link only for http(s) URLs; anything else is shown as text. Always escaped."""
    if urlsplit(url).scheme in ("http", "https"):
        return Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url)
    return Markup("{0}").format(url)


def short_path(url: str, home: str) -> str:
    """Same-site URLs as paths, so click paths fit on a line; off-site URLs in full."""
    origin = "/".join(home.split("/")[:3])
    return url[len(origin) :] or "/" if url.startswith(origin + "/") or url == origin else url


def _data_uri(path: str) -> str | None:
    file = Path(path)
    if not file.is_file() or file.stat().st_size > MAX_EMBEDDED_IMAGE:
        return None
    data = file.read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii") if data.startswith(b"\x89PNG") else None


@functools.cache
def templates() -> Environment:
    """The package's Jinja2 templates, autoescaped: everything read from a site is shown as text."""
    from jinja2 import Environment, PackageLoader, select_autoescape  # loaded for reports and the workspace only

    env = Environment(loader=PackageLoader("auditcrawl", "templates"), autoescape=select_autoescape(["html", "j2"]))
    env.filters["short_path"] = short_path
    env.globals["link"] = link
    env.filters["path_segment"] = lambda value: quote(str(value), safe="")  # a name as one URL path segment
    return env


def screenshot_files(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The run's screenshots as (evidence URL, file path), each page once, in report order."""
    seen: dict[str, str] = {}
    for check in document["checks"].values():
        for item in check["evidence"]:
            if item.get("screenshot"):
                seen.setdefault(item["url"], item["screenshot"])
    return list(seen.items())


def render_report(
    document: dict[str, Any],
    *,
    workspace: bool = False,
    replay_source: str | None = None,
    decide: dict[str, Any] | None = None,
    for_print: bool = False,
) -> str:
    """The run's report as one self-contained HTML page (screenshots inlined); in the web
    workspace, with its links, and screenshots served from the data folder. With `replay_source`
    (the run's WACZ: its file name in a bundle, or its URL), each evidence item links to its replay.
    With `decide` (the workspace: csrf, auditor, kinds, error), items and checks get decision forms;
    `for_print` opens every folded list (a PDF cannot unfold them)."""
    env = templates()
    screenshots: dict[str, str] = {}
    for number, (url, path) in enumerate(screenshot_files(document)):
        uri = f"/runs/{document['run']['id']}/screenshots/{number}" if workspace else _data_uri(path)
        if uri:
            screenshots[url] = uri
    completeness = [
        (e["url"], e["completeness"]) for e in document["checks"][CASE_STUDIES]["evidence"] if e.get("completeness")
    ]
    return env.get_template("report.html.j2").render(
        run=document["run"],
        checks=list(document["checks"].items()),
        claims=document.get("claims"),
        titles=CHECK_TITLES,
        case_studies=CASE_STUDIES,
        category_labels=category_labels(),
        element_labels=ELEMENT_LABELS,
        completeness=completeness,
        screenshots=screenshots,
        workspace=workspace,
        replay_source=replay_source,
        replay_link=replay_link,
        decide=decide,
        for_print=for_print,
    )


async def report_pdf(document: dict[str, Any], browser_path: str) -> bytes:
    """The run's report printed to PDF (every folded list open)."""
    return await print_pdf(render_report(document, for_print=True), document["run"], browser_path)


async def report_pdf_or_why(document: dict[str, Any], browser_path: str) -> bytes | str:
    """The PDF for a bundle, or why there is none (a bundle is still worth having without it)."""
    try:
        return await report_pdf(document, browser_path)
    except AuditcrawlError as exc:
        return str(exc)
