"""Publication dates: cheapest trustworthy signal first, htmldate for the rest.

Never a modification date: JSON-LD dateModified, "last updated" lines,
copyright years and HTTP Last-Modified are not publication dates.
"""

from __future__ import annotations

import email.utils
import functools
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from auditcrawl.crawler import ParsedPage

from ._textdates import find_text_date, url_date
from ._vocab import Vocabulary, modified_note_patterns, without_modified_notes

if TYPE_CHECKING:
    import lxml.html
    from lxml.html import HtmlElement

__all__ = ["DateFinding", "publication_date"]

log = logging.getLogger(__name__)

_JSONLD_KEYS = ("datePublished", "uploadDate", "dateCreated")
_MAIN_ENTITY_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "TechArticle",
        "Report",
        "ScholarlyArticle",
        "VideoObject",
        "PodcastEpisode",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReportageNewsArticle",
        "LiveBlogPosting",
        "Event",
    }
)
_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "publish-date",
    "publish_date",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dcterms.issued",
    "citation_publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "uploaddate",
    "date",
)
_ISSUED_META_KEYS = ("date", "dc.date.issued", "dcterms.issued")
_MODIFIED_META_KEYS = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
)
_COMPACT_DATE = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)(?:T[\d:]+Z?)?$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME_ATTRIBUTE = re.compile(r"""datetime=["']([^"'<>]{10,40})["']""")  # <time datetime="…"> values
MIN_DATE = date(1995, 1, 1)


@dataclass(frozen=True)
class DateFinding:
    published: date
    source: str  # json-ld | meta | htmldate | text | url (| listing, pdf: set elsewhere)
    first_published: date | None = None  # a reissued page: the date it first came out


def _iso(value: Any, as_of: date) -> date | None:
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.search(value)
    if match is None:
        return None
    try:
        found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return found if MIN_DATE <= found <= as_of else None


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type")
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _from_json_ld(items: list[dict[str, Any]], as_of: date) -> tuple[date, str] | None:
    """The date of the item the page is about, not of related items listed beside it (with the value as written)."""
    dated = [item for item in items if any(item.get(key) for key in _JSONLD_KEYS)]
    main = [item for item in dated if _types(item) & _MAIN_ENTITY_TYPES] or dated
    for item in main:
        for key in _JSONLD_KEYS:
            found = _iso(item.get(key), as_of)
            if found:
                return found, str(item[key])
    return None


def _from_meta(meta: dict[str, str], as_of: date) -> tuple[date, str] | None:
    for key in _META_KEYS:  # in order of trust
        found = _iso(meta.get(key), as_of)
        if found:
            return found, meta[key]
    return None


def _from_other_meta(meta: dict[str, str], as_of: date) -> tuple[date, str] | None:
    """The other meta names htmldate knows for a publication date (Dublin Core variants, CMS names),
    in the page's order, read here from the crawler's parse instead of htmldate parsing the page again."""
    from htmldate.core import DATE_ATTRIBUTES

    for key, value in meta.items():
        if key in DATE_ATTRIBUTES:
            found = _iso(value, as_of) or _compact_or_mail_date(value, as_of)
            if found:
                return found, value
    return None


def _compact_or_mail_date(value: str, as_of: date) -> date | None:
    """20231102, 20200316T08:00:00Z or an RFC 2822 date (Wed, 02 Feb 2022 09:12:22 +0100)."""
    if match := _COMPACT_DATE.match(value.strip()):
        return _iso(f"{match[1]}-{match[2]}-{match[3]}", as_of)
    try:
        stamp = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return _iso(stamp.date().isoformat(), as_of)


def publication_date(
    html: str, url: str, page: ParsedPage, vocab: Vocabulary, as_of: date, crawled_on: date | None = None
) -> DateFinding | None:
    """The page's original publication date, or None when the page does not show one.

    Cheapest trustworthy signal first: structured data, meta tags, a full date path in the URL,
    htmldate's markup analysis, a date written in the content, the URL's year and month. A date
    that only a search of the page's text finds and that is the audit day or the crawl day is a
    footer, a build stamp or today's date printed by the site, not a publication date.
    """
    if page.is_pdf:
        created = _iso(page.meta.get("pdf:created"), as_of)
        if created:
            return DateFinding(created, "pdf")
    in_url = url_date(url)
    for source, structured in (
        ("json-ld", _from_json_ld(page.json_ld, as_of)),
        ("meta", _from_meta(page.meta, as_of) or _from_other_meta(page.meta, as_of)),
    ):
        if structured:
            published, written = structured
            return (
                _reissued(published, source, page, as_of)
                or _prefer_url_day(published, in_url)
                or DateFinding(_local_day(written, html, page.meta) or published, source)
            )
    # A full date path (/2018/08/14/slug) is the publisher's own dating: above any guess from the text.
    if in_url is not None and in_url[2] is not None and (day := _url_day(in_url, as_of)) is not None:
        return DateFinding(day, "url")
    today = {as_of, crawled_on}

    def guessed(found: date | None) -> date | None:
        return found if found is not None and found not in today else None

    tree = _without_modification_notes(html, page.visible_text or page.text) if html else None
    if tree is not None and (found := guessed(_from_htmldate(tree, url, as_of, extensive=False))):
        return DateFinding(found, "htmldate")
    found = guessed(find_text_date(without_modified_notes(page.text), vocab, as_of))
    if found:
        return DateFinding(found, "text")
    # htmldate's free-text search last: it costs twice its markup search and reads any date-like text.
    if tree is not None and (found := guessed(_from_htmldate(tree, url, as_of, extensive=True))):
        return DateFinding(found, "htmldate")
    if in_url is not None and str(in_url[0]) in page.text and (found := _url_day(in_url, as_of)) is not None:
        # A year and month alone only when the page itself names that year: URLs can disagree with pages.
        return DateFinding(found, "url")
    return None


def _url_day(in_url: tuple[int, int, int | None], as_of: date) -> date | None:
    year, month, day = in_url
    try:
        found = date(year, month, day or 1)
    except ValueError:
        return None
    return found if MIN_DATE <= found <= as_of else None


def _reissued(published: date, source: str, page: ParsedPage, as_of: date) -> DateFinding | None:
    """A page the publisher issued again: its issue-date meta (`date`, `DC.date.issued`) names a later
    day than datePublished, and that day is the declared modification. The page presents itself as
    of that day (that is the date readers and search engines are given); the note keeps the first one."""
    modified = {_iso(item.get("dateModified"), as_of) for item in page.json_ld} | {
        _iso(page.meta.get(key), as_of) for key in _MODIFIED_META_KEYS
    }
    for key in _ISSUED_META_KEYS:
        issued = _iso(page.meta.get(key), as_of)
        if issued is not None and issued > published and issued in modified:
            return DateFinding(issued, f"{source}, reissued; first published {published.isoformat()}", published)
    return None


def _local_day(written: str, html: str, meta: dict[str, str]) -> date | None:
    """A UTC timestamp falls on the next day for a publisher west of Greenwich late in the evening
    (or the day before, east of it after midnight): when the page writes the same instant with
    the publisher's own offset (a meta tag, a <time datetime>), that local day is the date."""
    stamp = _timestamp(written)
    if stamp is None or stamp.utcoffset() != timedelta(0) or "T" not in written:
        return None
    for value in (*meta.values(), *_TIME_ATTRIBUTE.findall(html)):
        other = _timestamp(value) if "T" in value else None
        if other is not None and other.utcoffset() and abs((other - stamp).total_seconds()) <= 60:
            return other.date()
    return None


def _timestamp(value: str) -> datetime | None:
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else None


def _prefer_url_day(found: date, in_url: tuple[int, int, int | None] | None) -> DateFinding | None:
    """A UTC timestamp can fall on the next day; a /2023/11/08/ path a day off is the local date."""
    if in_url is None or in_url[2] is None:
        return None
    try:
        local = date(*in_url)  # type: ignore[arg-type]
    except ValueError:
        return None
    return DateFinding(local, "url") if abs((found - local).days) == 1 else None


def _from_htmldate(tree: HtmlElement, url: str, as_of: date, extensive: bool) -> date | None:
    from htmldate import find_date
    from lxml.etree import ParserError

    try:
        written = find_date(
            tree,
            original_date=True,
            extensive_search=extensive,
            min_date=datetime(MIN_DATE.year, 1, 1),
            max_date=datetime(as_of.year, as_of.month, as_of.day),
        )
    except (ParserError, ValueError):
        return None
    except Exception as exc:  # htmldate raises assorted errors on broken markup
        log.debug("htmldate failed on %s: %s", url, exc)
        return None
    if not written:
        return None
    found = date.fromisoformat(written)
    if found.month == 1 and found.day == 1:
        # htmldate's fallback to a copyright or bare year: not a publication date.
        return None
    return found


def _without_modification_notes(html: str, text: str) -> HtmlElement:
    """The page without its footer and 'last updated' notes, which are never publication dates.
    An article's own <footer> stays: it often holds the byline and the date."""
    # lxml (with htmldate, about 20 MB) loads on the first page that needs it: most pages never do.
    import lxml.html

    if without_modified_notes(text) is not text:  # a visitor sees a note: blank it in the markup too
        html = _blank_notes(html)
    # As UTF-8 bytes with the encoding given: lxml refuses a str that declares its encoding (<?xml … encoding=…?>).
    tree = lxml.html.fromstring(html.encode("utf-8", "replace"), parser=_utf8_parser())
    for footer in tree.xpath("//footer[not(ancestor::article)] | //*[@role='contentinfo']"):
        footer.drop_tree()
    return tree


def _blank_notes(html: str) -> str:
    """Blank each 'last updated …' note found in the markup's text (not in tags, scripts or styles).
    Working on the string costs a tenth of walking every text node of the tree."""
    lowered = html.lower()
    if len(lowered) != len(html):  # a few characters lowercase to two: positions would drift
        return html
    words, note = modified_note_patterns()
    pieces, kept = [], 0
    for match in words.finditer(lowered):
        if match.start() < kept or not _in_text(lowered, match.start()):
            continue
        blanked = note.match(html, match.start())
        if blanked is None:
            continue
        pieces += [html[kept : match.start()], " "]
        kept = blanked.end()
    return "".join(pieces) + html[kept:] if pieces else html


def _in_text(lowered: str, at: int) -> bool:
    """Whether a position lies in text a reader sees: after a tag's end, outside <script> and <style>."""
    opened = lowered.rfind("<", 0, at)
    if opened < 0:
        return True
    if lowered.rfind(">", 0, at) < opened:
        return False  # inside a tag
    return not lowered.startswith(("<script", "<style"), opened)


@functools.cache
def _utf8_parser() -> lxml.html.HTMLParser:
    import lxml.html

    # As htmldate parses: ids are never looked up, so no id table is built.
    return lxml.html.HTMLParser(encoding="utf-8", collect_ids=False, default_doctype=False, remove_pis=True)
