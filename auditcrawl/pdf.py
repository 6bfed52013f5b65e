"""The run's report as a PDF for the validation record, printed by Chromium from the same HTML:
A4, the applicant, run id and audit date at the top of every page, page numbers at the foot,
links kept. The report is self-contained (screenshots inlined), so the browser loads nothing."""

from __future__ import annotations

import html
from typing import Any

from auditcrawl.crawler import LAUNCH_ARGS

from ._exceptions import AuditcrawlError

__all__ = ["print_pdf"]

_SMALL = "font-size:8px;color:#555;width:100%;padding:0 12mm;display:flex;justify-content:space-between;"


def _header(run: dict[str, Any]) -> str:
    who = html.escape(str(run.get("applicant") or run.get("home_url") or ""))
    return (
        f'<div style="{_SMALL}"><span>{who}</span>'
        f"<span>run {html.escape(str(run['id']))} · audit date {html.escape(str(run['as_of']))}</span></div>"
    )


_FOOTER = (
    f'<div style="{_SMALL}"><span>auditcrawl: AWS Industrial Software Competency, website evidence</span>'
    '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)


async def print_pdf(report_html: str, run: dict[str, Any], browser_path: str) -> bytes:
    """The report printed to PDF. AuditcrawlError when the browser cannot be started."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        try:
            browser = await playwright.chromium.launch(
                executable_path=browser_path, headless=True, args=LAUNCH_ARGS, timeout=30_000
            )
        except PlaywrightError as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise AuditcrawlError(f"cannot print the PDF: browser unavailable ({browser_path}): {first}") from None
        try:
            page = await browser.new_page()
            await page.route("**/*", lambda route: route.abort())  # nothing to load: all of it is inline
            await page.set_content(report_html, wait_until="load")
            await page.emulate_media(media="print")
            pdf: bytes = await page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template=_header(run),
                footer_template=_FOOTER,
                margin={"top": "18mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
            )
            return pdf
        finally:
            await browser.close()
