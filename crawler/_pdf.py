"""PDF case studies and white papers: title, creation date and text through pypdf.

A PDF that cannot be read (encrypted, corrupt, image-only) gives a note on the page,
never an exception.
"""

from __future__ import annotations

import io
import logging
import re

from ._parse import ParsedPage

__all__ = ["MAX_PDF_PAGES", "parse_pdf"]

log = logging.getLogger(__name__)

MAX_PDF_PAGES = 30  # enough for any case study; keeps text extraction bounded
MAX_PDF_TEXT = 200_000
_WS = re.compile(r"\s+")


def parse_pdf(body: bytes, url: str) -> ParsedPage:
    # pypdf (with its image and crypto stacks) loads on the first PDF: most crawls never meet one
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    page = ParsedPage(url=url, is_pdf=True)
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            page.notes.append("encrypted PDF: its text cannot be read")
            return page
        info = reader.metadata
        if info is not None:
            if info.title and str(info.title).strip():
                page.title = _WS.sub(" ", str(info.title)).strip()
            created = info.creation_date
            if created is not None:
                page.meta["pdf:created"] = created.date().isoformat()
        texts: list[str] = []
        size = 0
        for number, pdf_page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES or size > MAX_PDF_TEXT:
                page.notes.append(f"only the first {number} pages of the PDF were read")
                break
            text = pdf_page.extract_text() or ""
            texts.append(text)
            size += len(text)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        # pypdf reports broken files through assorted errors; any of them means "unreadable"
        log.debug("unreadable PDF %s: %s", url, exc)
        page.notes.append(f"unreadable PDF: {type(exc).__name__}: {str(exc)[:120]}")
        return page
    lines = [_WS.sub(" ", line).strip() for text in texts for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        page.notes.append("PDF has no text layer (image-only?): its content cannot be checked")
        return page
    if page.title is None:
        page.title = lines[0][:200]
    page.h1 = [lines[0][:200]]
    page.headings = [line for line in lines[:40] if len(line) < 90][:10]
    page.text = " ".join(lines)[:MAX_PDF_TEXT]
    page.word_count = len(page.text.split())
    return page
