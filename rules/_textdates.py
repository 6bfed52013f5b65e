"""Dates written out in text, in the page's language: "12. März 2026", "3 juin 2026",
"2026年3月12日", "03.03.2026", "March 12, 2026". Used when no machine-readable date exists.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from ._vocab import Vocabulary

__all__ = ["find_text_date", "parse_date_text", "parse_month_year", "url_date"]

MIN_YEAR = 1995
_CJK = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_YMD = re.compile(r"(?<![\d.])(?P<y>\d{4})[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})(?![\d])")
_NUMERIC = re.compile(r"(?<![\d.:/])(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<y>\d{4})(?![\d])")
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>0?[1-9]|1[0-2])/(?:(?P<d>0?[1-9]|[12]\d|3[01])/)?")


@dataclass(frozen=True)
class _Compiled:
    day_month_year: re.Pattern[str]
    month_day_year: re.Pattern[str]
    month_index: dict[str, int]


@functools.cache
def _compiled(months: tuple[tuple[str, ...], ...]) -> _Compiled:
    index = {name.lower(): i + 1 for i, names in enumerate(months) for name in names}
    names = "|".join(re.escape(n) for n in sorted(index, key=len, reverse=True))
    return _Compiled(
        # 12. März 2026 · 3 juin 2026 · 12 de marzo de 2026 · 12 March 2026 · 1er mai 2026
        re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s*(?:de\s+)?(?P<m>{names})\.?,?\s*(?:de\s+)?(?P<y>\d{{4}})(?!\d)",
            re.I,
        ),
        # March 12, 2026 · Mar 12 2026
        re.compile(rf"(?<![\w])(?P<m>{names})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
        index,
    )


def _valid(y: int, m: int, d: int, as_of: date) -> date | None:
    try:
        found = date(y, m, d)
    except ValueError:
        return None
    return found if date(MIN_YEAR, 1, 1) <= found <= as_of else None


def _candidates(text: str, vocab: Vocabulary, as_of: date) -> list[tuple[int, date]]:
    found: list[tuple[int, date]] = []
    for pattern in (_CJK, _ISO, _YMD):
        for m in pattern.finditer(text):
            if (d := _valid(int(m["y"]), int(m["m"]), int(m["d"]), as_of)) is not None:
                found.append((m.start(), d))
    for m in _NUMERIC.finditer(text):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        month, day = (a, b) if vocab.date_order == "mdy" else (b, a)
        if (d := _valid(y, month, day, as_of)) is not None:
            found.append((m.start(), d))
    compiled = _compiled(vocab.months)
    for pattern in (compiled.day_month_year, compiled.month_day_year):
        for m in pattern.finditer(text):
            named = compiled.month_index.get(m["m"].lower().rstrip("."))
            if named and (d := _valid(int(m["y"]), named, int(m["d"]), as_of)) is not None:
                found.append((m.start(), d))
    return sorted(found)


def parse_date_text(text: str, vocab: Vocabulary, as_of: date) -> date | None:
    """The first date written in a short text (a card beside a link, a byline)."""
    found = _candidates(text, vocab, as_of)
    return found[0][1] if found else None


def find_text_date(text: str, vocab: Vocabulary, as_of: date, window: int = 800) -> date | None:
    """The date after a "published" word, else the first date near the start of the content."""
    lowered = text.lower()
    for word in vocab.published_words:
        at = lowered.find(word.lower())
        if at >= 0:
            found = parse_date_text(text[at : at + 80], vocab, as_of)
            if found:
                return found
    return parse_date_text(text[:window], vocab, as_of)


_CJK_MONTH = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月")
_NUMERIC_MONTH = re.compile(r"(?<![\d./])(?P<m>\d{1,2})[./](?P<y>\d{4})(?![\d./])")


def parse_month_year(text: str, vocab: Vocabulary, as_of: date) -> date | None:
    """A day, or failing that a month ("in March 2026", "2026年3月", "03/2026"), as the month's first day."""
    full = parse_date_text(text, vocab, as_of)
    if full is not None:
        return full
    compiled = _compiled(vocab.months)
    names = "|".join(re.escape(n) for n in sorted(compiled.month_index, key=len, reverse=True))
    found: list[tuple[int, date]] = []
    for m in re.finditer(rf"(?<![\w])(?P<m>{names})\.?\s+(?:de\s+)?(?P<y>\d{{4}})(?!\d)", text, re.I):
        month = compiled.month_index.get(m["m"].lower().rstrip("."))
        if month and (d := _valid(int(m["y"]), month, 1, as_of)) is not None:
            found.append((m.start(), d))
    for pattern in (_CJK_MONTH, _NUMERIC_MONTH):
        for m in pattern.finditer(text):
            if (d := _valid(int(m["y"]), int(m["m"]), 1, as_of)) is not None:
                found.append((m.start(), d))
    return min(found)[1] if found else None


def url_date(url: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) from a /2026/03/12/ style path."""
    m = _URL_DATE.search(url)
    if m is None:
        return None
    return int(m["y"]), int(m["m"]), int(m["d"]) if m["d"] else None
