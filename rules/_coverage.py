"""Coverage of the discoverability radius, judged per check.

Only a page within `max_clicks` of home can be evidence. A page there that the crawl did not read
(the page limit came first, robots.txt forbids it, the fetch failed) leaves a check undecided only
when it could have been *that check's* evidence, which its URL and the text of the link to it tell
without fetching it: a terms page is nobody's evidence, a post dated in its URL before the window
is not 3.2's, and a link with no cue of a case study, a practice or industrial content is neither
3.1's nor 2.2's. Any cue keeps the page relevant. Everything else goes to the run's notes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

from auditcrawl.crawler import CrawlOutcome, SiteScope
from auditcrawl.settings import AuditSettings

from ._models import CASE_STUDIES, CHECK_IDS, LANDING_PAGE, THOUGHT_LEADERSHIP
from ._terms import Text
from ._vocab import Vocabulary, _read, load_vocabulary
from ._works import language_segment

__all__ = ["Coverage", "Unread", "measure_coverage", "ruled_out"]

# /2018/08/14/slug, /2018/08/slug, /2018-08-14-slug.html: a date path is the item's publication.
_DATE_PATH = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?=[/-]|\.html?$|$)")
_SPLIT = re.compile(r"[/\-_.]+")


@dataclass(frozen=True)
class NeverEvidence:
    segments: frozenset[str]
    anchors: frozenset[str]
    languages: frozenset[str]


@functools.cache
def _never() -> NeverEvidence:
    table = _read("coverage.toml")["never_evidence"]
    return NeverEvidence(
        frozenset(table["segments"]), frozenset(table["anchor_phrases"]), frozenset(table["languages"])
    )


@dataclass(frozen=True)
class Unread:
    """A page within the radius the crawl did not read: why, and which checks it could serve."""

    url: str
    clicks: int
    why: str  # "not fetched before the crawl ended", "robots.txt forbids it", "fetch failed: …"
    text: str  # the text of the link that led to it
    checks: tuple[str, ...]  # the checks it could be evidence of
    ruled_out: str | None = None  # why it is nobody's evidence


@dataclass
class Coverage:
    radius: int
    fetched: int  # pages within the radius that were read (a 404 is read: it is known to be dead)
    unread: list[Unread] = field(default_factory=list)
    beyond: int = 0  # pages linked beyond the radius and not read: never evidence

    @property
    def known(self) -> int:
        return self.fetched + len(self.unread)

    def relevant(self, check_id: str) -> list[Unread]:
        return [u for u in self.unread if check_id in u.checks]

    def summary(self) -> str:
        return f"pages within {self.radius} clicks of home: {self.fetched} fetched / {self.known} known"

    def notes(self) -> list[str]:
        """For the run's notes: what was not read and could be nobody's evidence, and what lay beyond
        (the summary has a field of its own)."""
        out = []
        idle = [u for u in self.unread if not u.checks]
        if idle:
            shown = "; ".join(f"{u.url} ({u.ruled_out or 'no cue of any check'})" for u in idle[:5])
            more = f" and {len(idle) - 5} more" if len(idle) > 5 else ""
            out.append(f"{len(idle)} unread page(s) within the radius could not be evidence: {shown}{more}")
        if self.beyond:
            out.append(f"{self.beyond} linked page(s) beyond {self.radius} clicks were not read (never evidence)")
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "radius": self.radius,
            "fetched": self.fetched,
            "known": self.known,
            "summary": self.summary(),
            "unread": {c: [u.url for u in self.relevant(c)] for c in CHECK_IDS},
        }

    def as_stored(self) -> dict[str, object]:
        """Everything the checks read of it, for judging the run again later (an auditor's decision)."""
        unread = [[u.url, u.clicks, u.why, u.text, list(u.checks), u.ruled_out] for u in self.unread]
        return {"radius": self.radius, "fetched": self.fetched, "beyond": self.beyond, "unread": unread}

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> Coverage:
        unread = [
            Unread(url, clicks, why, text, tuple(checks), never)
            for url, clicks, why, text, checks, never in stored["unread"]
        ]
        return cls(int(stored["radius"]), int(stored["fetched"]), unread, int(stored["beyond"]))


def _segments(url: str) -> list[str]:
    return [unquote(s).lower() for s in urlsplit(url).path.split("/") if s]


def _words(url: str) -> str:
    return " ".join(w for w in _SPLIT.split(unquote(urlsplit(url).path)) if w)


def ruled_out(url: str, text: str, read_paths: frozenset[str] = frozenset()) -> str | None:
    """Why a page cannot be evidence of any check, from its URL and link text; None when it could."""
    never = _never()
    segments = _segments(url)
    hit = next((s for s in (s.rsplit(".", 1)[0] for s in segments) if s in never.segments), None)
    if hit is not None:
        return f"a '{hit}' page"
    label = " ".join(text.lower().split()).strip(" .:|›»")
    # "Deutsch" is a switcher wherever it points; "IT" or "DE" only when the URL names a language too
    if label in never.languages and (len(label) > 2 or (segments and language_segment(segments[0]))):
        return "a language switcher"
    if label in never.anchors:
        return f"a link named '{text.strip()}'"
    for i, s in enumerate(segments[:-1]):
        if s in ("page", "seite", "pagina") and segments[i + 1].isdigit():
            return "a page of a paginated list"
        if s in ("category", "categories", "kategorie", "categorie"):
            return "a category archive"
    if segments and language_segment(segments[0]) and "/".join(segments[1:]) in read_paths:
        return "a language version of a page that was read"
    return None


def _dated_before(url: str, start: date) -> bool:
    """Whether a date path in the URL ends before the window starts (a month path: at its last day)."""
    found = _DATE_PATH.search(urlsplit(url).path)
    if found is None:
        return False
    year, month, day = int(found[1]), int(found[2]), found[3]
    if day is not None:
        last = date(year, month, int(day))
    else:
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last < start


def _checks_for(url: str, text: str, vocab: Vocabulary, window_start: date) -> tuple[str, ...]:
    """The checks an unread page could serve, from the cues in its URL and link text."""
    segments = _segments(url)
    words = Text(f"{text} {_words(url)}")
    cs = vocab.case_study
    industrial = any(m.search(words) for c in vocab.categories for m in (c.terms, c.acronyms, c.products))
    industrial = (
        industrial or vocab.focus_phrases.search(words) or any(s in vocab.industrial_segments for s in segments)
    )
    case_study = cs.anchor_phrases.search(words) or any(s in cs.segments or s.endswith(cs.suffixes) for s in segments)
    practice = (
        vocab.landing_anchor_phrases.search(words)
        or any(s in vocab.practice_segments for s in segments)
        or any(cue in words.lowered.split() for cue in vocab.aws_cues)
    )
    checks = []
    if practice or industrial or case_study:
        checks.append(LANDING_PAGE)
    if case_study or industrial:
        checks.append(CASE_STUDIES)
    if not _dated_before(url, window_start) and not any(s in vocab.other_segments for s in segments):
        checks.append(THOUGHT_LEADERSHIP)
    return tuple(checks)


def _unread_candidates(outcome: CrawlOutcome) -> dict[str, str]:
    """Every page linked from the site and not read, with why."""
    limit = outcome.limits_hit[0].split(" with ")[0] if outcome.limits_hit else "past max_depth"
    found = {url: f"not fetched: {limit}" for url in outcome.unvisited}
    home = outcome.home.url if outcome.home is not None else outcome.home_url
    found.update({url: "robots.txt forbids it" for url in outcome.robots_blocked if url != home})
    found.update({url: f"fetch failed: {why}" for url, why in outcome.failed.items() if url not in outcome.read})
    return found


def measure_coverage(
    outcome: CrawlOutcome,
    settings: AuditSettings,
    paths: Mapping[str, list[str]] | None = None,
) -> Coverage:
    """How much of the radius the crawl read, and which unread pages could be which check's evidence."""
    radius = settings.max_clicks
    paths = paths if paths is not None else outcome.graph.click_paths()
    site = SiteScope(outcome.home_url)
    vocab = load_vocabulary("*")
    window_start = settings.as_of - timedelta(days=settings.window_days)

    def clicks(url: str) -> int | None:
        path = paths.get(url) or paths.get(outcome.graph.resolve(url))
        return len(path) - 1 if path else None

    unread_why = _unread_candidates(outcome)
    read = [u for u in outcome.read if site.contains(u)]
    read_paths = frozenset("/".join(_segments(u)) for u in read)
    within = {outcome.graph.resolve(u) for u in read if (n := clicks(u)) is not None and n <= radius}
    coverage = Coverage(radius, fetched=len(within))
    for url, why in unread_why.items():
        if not site.contains(url):
            continue
        n = clicks(url)
        if n is None or n > radius:
            coverage.beyond += 1
            continue
        text = outcome.link_text.get(url, "")
        never = ruled_out(url, text, read_paths)
        checks = () if never else _checks_for(url, text, vocab, window_start)
        coverage.unread.append(Unread(url, n, why, text, checks, never))
    coverage.unread.sort(key=lambda u: (u.clicks, u.url))
    return coverage
