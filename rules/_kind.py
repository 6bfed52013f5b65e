"""A page's kind as a weighed decision: every signal votes for a kind with a weight, and the
decision keeps its votes as reasons.

Structured data (JSON-LD, og:type) outweighs the URL; the URL's deepest marker outweighs its
shallower ones; a page's own structure (case-study sections, a dated byline, a list of items
below it) adds its weight. A kind needs MIN_SCORE to be chosen; a runner-up within CLOSE of
the winner makes the decision borderline, and the checks say so instead of guessing quietly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import unquote, urlsplit

from auditcrawl.crawler import ParsedPage

from ._models import Kind
from ._vocab import KindVocab, Vocabulary

__all__ = ["CLOSE", "MIN_SCORE", "KindDecision", "decide_kind"]

MIN_SCORE = 2.0  # the evidence a kind needs: one strong signal, or two weaker ones
CLOSE = 0.5  # a runner-up closer than this to the winner makes the decision borderline
_PREFERENCE: tuple[Kind, ...] = ("other", "case_study", "thought_leadership", "landing_page", "listing")  # on a tie

_MONTHS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|pdf)$")
_SLUG_WORD = re.compile(r"[^\W\d_]{2,}")
_ITEM_ID = re.compile(r"^\d{4,}(?:[-_].*)?$|^\d+-\d{5,}$")  # 791661, 311510-some-title, 3-11212601
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_MEDIA_TYPES = frozenset({"VideoObject", "PodcastEpisode"})
_QUERY_ID = re.compile(r"(?:^|&)(?:p|id|post|postid|articleid|newsid|story)=[\w-]{3,}", re.IGNORECASE)


ITEM: Literal["item"] = "item"  # signs of one item rather than an index: they back whichever item kind leads


@dataclass(frozen=True, slots=True)
class Vote:
    kind: Kind | Literal["item"]
    weight: float
    reason: str


@dataclass(frozen=True)
class KindDecision:
    kind: Kind
    score: float
    reasons: list[str] = field(default_factory=list)  # the chosen kind's votes, strongest first
    runner_up: Kind | None = None  # a competing kind close enough to make the decision borderline
    runner_up_score: float = 0.0

    @property
    def borderline(self) -> bool:
        return self.runner_up is not None

    def doubt(self) -> str | None:
        """What makes the decision uncertain, for the auditor; None when it is not."""
        if self.runner_up is None:
            return None
        return (
            f"page kind uncertain: {self.kind.replace('_', ' ')} ({self.score:g}) "
            f"vs {self.runner_up.replace('_', ' ')} ({self.runner_up_score:g})"
        )


def decide_kind(url: str, parsed: ParsedPage, vocab: Vocabulary, categories: list[str]) -> KindDecision:
    """The kind with the most weight behind it, with its reasons."""
    scores: dict[Kind, float] = defaultdict(float)
    reasons: dict[Kind, list[tuple[float, str]]] = defaultdict(list)
    items: list[Vote] = []
    for vote in _votes(url, parsed, vocab, categories):
        if vote.kind == ITEM:
            items.append(vote)
            continue
        scores[vote.kind] += vote.weight
        reasons[vote.kind].append((vote.weight, vote.reason))
    # An item is a case study when its own evidence says so (enough of it), else an article.
    cs, tl = scores["case_study"], scores["thought_leadership"]
    item_kind: Kind = "case_study" if cs >= MIN_SCORE and cs > tl else "thought_leadership"
    for vote in items:
        scores[item_kind] += vote.weight
        reasons[item_kind].append((vote.weight, vote.reason))
    ranked = sorted(scores, key=lambda k: (-scores[k], _PREFERENCE.index(k)))
    if ranked and ranked[0] == "other":
        return KindDecision("other", round(scores["other"], 2), [r for _, r in reasons["other"]])
    if not ranked or scores[ranked[0]] < MIN_SCORE:
        weak = [r for _, r in sorted(reasons[ranked[0]], reverse=True)] if ranked else []
        return KindDecision("other", 0.0, ["no decisive page-kind signal", *(f"weak: {r}" for r in weak[:2])])
    kind = ranked[0]
    why = [r for _, r in sorted(reasons[kind], key=lambda wr: -wr[0])]
    second = next((k for k in ranked[1:] if scores[k] >= MIN_SCORE and scores[kind] - scores[k] < CLOSE), None)
    if second is None:
        return KindDecision(kind, round(scores[kind], 2), why)
    return KindDecision(kind, round(scores[kind], 2), why, second, round(scores[second], 2))


def _votes(url: str, parsed: ParsedPage, vocab: Vocabulary, categories: list[str]) -> Iterator[Vote]:
    yield from _structured_votes(parsed, vocab)
    yield from _url_votes(url, vocab)
    yield from _item_votes(url, parsed)
    yield from _title_votes(parsed, vocab)
    yield from _structure_votes(url, parsed, vocab)
    if not parsed.is_pdf:  # a document is never the practice page itself
        yield from _practice_votes(url, parsed, vocab, industrial_page=bool(categories))


def _jsonld_types(parsed: ParsedPage) -> set[str]:
    types: set[str] = set()
    for item in parsed.json_ld:
        value = item.get("@type")
        for t in value if isinstance(value, list) else [value]:
            if isinstance(t, str):
                types.add(t.rsplit("/", 1)[-1])
    return types


def _structured_votes(parsed: ParsedPage, vocab: Vocabulary) -> Iterator[Vote]:
    # Articles and posts are items: what they are about (a case study told as a blog post, or an
    # article) is for the title and the content to say. Videos and podcasts are thought leadership.
    types = _jsonld_types(parsed)
    listing = types & vocab.listing_jsonld_types
    items = types & vocab.thought_leadership.jsonld_types
    media = items & _MEDIA_TYPES
    if media:
        yield Vote("thought_leadership", 3.0, f"structured data type {sorted(media)[0]}")
    elif items:
        yield Vote(ITEM, 3.0, f"structured data type {sorted(items)[0]}")
    elif listing:
        yield Vote("listing", 3.0, f"structured data type {sorted(listing)[0]}")
    og_type = (parsed.og_type or "").lower()
    if og_type == "article":
        yield Vote(ITEM, 2.0, "og:type article")
    elif og_type.startswith("video"):
        yield Vote("thought_leadership", 2.0, "a video (og:type)")
    if parsed.meta.get("article:published_time"):
        yield Vote(ITEM, 1.0, "article:published_time meta tag")


def _segments(url: str) -> list[str]:
    return [unquote(s).lower() for s in urlsplit(url).path.split("/") if s]


def _date_run(segments: list[str], start: int) -> int:
    """How many segments from `start` spell a date path: 2026/10/12, 2026/10, 2022/september, 20200316."""
    if start >= len(segments):
        return 0
    first = segments[start]
    if re.fullmatch(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:[0-3]\d)?", first):
        return 1
    if not re.fullmatch(r"(?:19|20)\d\d", first):
        return 0
    n = 1
    for s in segments[start + 1 : start + 3]:
        if (s.isdigit() and len(s) <= 2) or s in _MONTHS:
            n += 1
        else:
            break
    return n


def _after_marker(kind: Kind, marker: str, rest: list[str], vocab: Vocabulary, *, query_id: bool = False) -> Vote:
    """A kind's marker segment votes by what follows it: nothing or a listing word is an index,
    a date path alone an archive, and a slug, an id or a date path with a slug an item."""
    # A case-study section says what its items are; a blog or news section only that they are items.
    item: Kind | Literal["item"] = kind if kind == "case_study" else ITEM
    item_weight = 2.5 if kind == "case_study" else 2.0
    label = "case-study index" if kind == "case_study" else "index"
    if not rest:
        if query_id:  # /news.html?id=123: one item of the section
            return Vote(item, item_weight, f"URL under '/{marker}/' with an item id")
        return Vote("listing", 2.5, f"{label} '/{marker}/'")
    if rest[0] in vocab.listing_segments:
        return Vote("listing", 2.5, f"{label} '/{marker}/{rest[0]}/'")
    dated = _date_run(rest, 0)
    if dated:
        if dated == len(rest):
            return Vote("listing", 2.5, f"archive '/{marker}/{'/'.join(rest)}/'")
        return Vote(item, item_weight, f"URL under '/{marker}/' with a date path")
    if _PAGE_NUMBER.match(rest[0]) and len(rest) == 1:
        return Vote("listing", 2.5, f"page {rest[0]} of '/{marker}/'")
    return Vote(item, item_weight, f"URL under '/{marker}/'")


def _url_votes(url: str, vocab: Vocabulary) -> Iterator[Vote]:
    segments = _segments(url)
    cs, tl = vocab.case_study, vocab.thought_leadership
    marker: tuple[int, Kind] | None = None  # the deepest kind marker decides what the URL says
    for i, segment in enumerate(segments):
        segment = _EXTENSION.sub("", segment)  # /news.html is the news section
        if segment.endswith(cs.suffixes):
            yield Vote("case_study", 3.0, f"URL ends in '{segment}'")
            return
        if segment in cs.segments:
            marker = (i, "case_study")
        elif segment in tl.segments:
            marker = (i, "thought_leadership")
        elif segment in vocab.other_segments:
            marker = (i, "other")
    host_label = (urlsplit(url).hostname or "").split(".", 1)[0]
    if host_label in vocab.other_subdomains:
        yield Vote("other", 3.0, f"on the {host_label}. subdomain")
        return
    if marker is not None and marker[1] == "other":
        yield Vote("other", 3.0, f"under '/{segments[marker[0]]}/' (company, legal, documentation or product pages)")
        return
    if marker is not None:
        i, kind = marker
        query_id = bool(_QUERY_ID.search(urlsplit(url).query))
        yield _after_marker(kind, _EXTENSION.sub("", segments[i]), segments[i + 1 :], vocab, query_id=query_id)
    else:
        for i in range(len(segments)):
            dated = _date_run(segments, i)
            if dated:
                if i + dated < len(segments):
                    yield Vote(ITEM, 2.0, "a date path followed by a slug in the URL")
                else:
                    yield Vote("listing", 2.0, f"date archive '/{'/'.join(segments[: i + dated])}/'")
                break
    yield from _host_votes(url, segments, tl, vocab)


def _item_votes(url: str, parsed: ParsedPage) -> Iterator[Vote]:
    """Signs that the page is one item (a post, a story) rather than an index: an id, or a slug
    that reads like a title or repeats it."""
    if _QUERY_ID.search(urlsplit(url).query):
        yield Vote(ITEM, 1.0, "an item id in the query (?p=, ?id=)")
    segments = _segments(url)
    if not segments:
        return
    last = segments[-1]
    if _ITEM_ID.match(last):
        yield Vote(ITEM, 1.0, "an item id in the URL")
    slug = [w.lower() for w in _SLUG_WORD.findall(_EXTENSION.sub("", last).replace("-", " ").replace("_", " "))]
    if len(slug) >= 4:
        yield Vote(ITEM, 1.0, "the URL ends in a title-like slug")
    if len(slug) >= 3:
        heads = " ".join([parsed.title or "", *parsed.h1]).lower()
        if sum(w in heads for w in slug) >= 0.6 * len(slug):
            yield Vote(ITEM, 1.5, "the URL slug repeats the title")


def _host_votes(url: str, segments: list[str], tl: KindVocab, vocab: Vocabulary) -> Iterator[Vote]:
    host_label = (urlsplit(url).hostname or "").split(".", 1)[0]
    if host_label not in tl.subdomains:
        return
    if _QUERY_ID.search(urlsplit(url).query) or (
        segments and segments[0] not in vocab.listing_segments and not _PAGE_NUMBER.match(segments[-1])
    ):
        yield Vote(ITEM, 1.5, f"article on the {host_label}. subdomain")
    else:
        yield Vote("listing", 2.5, f"front page of the {host_label}. subdomain")


def _title_votes(parsed: ParsedPage, vocab: Vocabulary) -> Iterator[Vote]:
    title = parsed.title or ""
    heads = " | ".join([title, *parsed.h1])
    cs, tl = vocab.case_study, vocab.thought_leadership
    if cs.title_phrases.search(heads):
        yield Vote("case_study", 2.5, "title names a case study")
    elif any(p.search(h) for p in cs.title_patterns for h in [title, *parsed.h1]):
        yield Vote("case_study", 1.5, "title tells a customer's story ('How … with AWS')")
    elif cs.index_title_phrases.search(heads):
        yield Vote("listing", 1.5, "title names a list of case studies")
    if tl.title_phrases.search(heads):
        yield Vote("thought_leadership", 2.0, "title names a webinar, white paper or press release")


def _section_parts(headings: list[str], parts: tuple[tuple[str, ...], ...]) -> list[str]:
    """Which of a case study's parts (problem, solution, result) have a heading of their own."""
    found = []
    for name, words in zip(("challenge", "solution", "results"), parts, strict=False):
        for heading in headings:
            text = heading.lower().strip(" :.-–—0123456789")
            if len(text.split()) <= 6 and any(text == w or text.startswith((f"{w} ", f"{w}:", f"{w}&")) for w in words):
                found.append(name)
                break
    return found


def _children(url: str, parsed: ParsedPage) -> int:
    """Links in the page's content to distinct pages below its own path: the items of an index."""
    path = urlsplit(url).path.rstrip("/") + "/"
    if path == "/":
        return 0
    below = {
        link.url.split("?", 1)[0].rstrip("/")
        for link in parsed.links
        if link.region in ("main", "body") and urlsplit(link.url).path.startswith(path)
    }
    below.discard(url.split("?", 1)[0].rstrip("/"))
    return len(below)


def _structure_votes(url: str, parsed: ParsedPage, vocab: Vocabulary) -> Iterator[Vote]:
    parts = _section_parts(parsed.headings, vocab.case_study.sections)
    if len(parts) >= 2:
        yield Vote("case_study", 1.0 + len(parts) / 2, f"headings of a case study ({', '.join(parts)})")
    children = _children(url, parsed)
    if children >= 3:
        yield Vote("listing", 2.5, f"links to {children} pages below it")
    dated_cards = sum(1 for link in parsed.links if link.date_hint)
    if dated_cards >= 3:  # an article's sidebar of recent posts has a few: weighs more as they grow
        yield Vote("listing", 1.0 if dated_cards < 10 else 1.5, f"{dated_cards} links shown with a date")
    if parsed.article_count >= 3:
        yield Vote("listing", 1.0, f"{parsed.article_count} <article> cards")
    if parsed.has_next:
        yield Vote("listing", 1.0, "paginated (rel=next)")
    if 1 <= parsed.time_count <= 2 and parsed.article_count <= 1 and dated_cards < 3:
        yield Vote(ITEM, 1.0, "a dated byline (<time>)")
    elif parsed.time_count >= 5:
        yield Vote("listing", 1.0, f"{parsed.time_count} dates on the page")


def _practice_votes(url: str, parsed: ParsedPage, vocab: Vocabulary, *, industrial_page: bool) -> Iterator[Vote]:
    """Practice pages: a page of its own under the site's practice sections, or one whose URL or
    title names an industrial focus. Any practice page is one; only an industrial one counts for 3.1."""
    segments = [_EXTENSION.sub("", s) for s in _segments(url)]
    cs, tl = vocab.case_study, vocab.thought_leadership
    # Under a case-study or article section the page is an item there, whatever its slug says.
    if any(s in cs.segments or s in tl.segments for s in segments):
        return
    practice = next((i for i, s in enumerate(segments) if s in vocab.practice_segments), None)
    own_page = practice is not None and practice + 1 < len(segments) and segments[-1] not in vocab.listing_segments
    if own_page:
        yield Vote("landing_page", 2.0, f"a page of its own under '/{segments[practice or 0]}/'")
    if not industrial_page:
        return
    last = segments[-1] if segments else ""
    named = next((s for s in reversed(segments) if s in vocab.industrial_segments), None)
    if named is not None and named == last:
        yield Vote("landing_page", 2.5, f"industrial practice URL '/{named}'")
    elif named is not None:  # a page below the practice page: a sub-practice, or an article kept there
        yield Vote("landing_page", 1.0, f"under the industrial practice '/{named}/'")
    elif set(last.split("-")) & vocab.industrial_segments:  # /manufacturing-analytics/
        yield Vote("landing_page", 2.0, f"industrial practice URL '/{last}'")
    heads = " | ".join([parsed.title or "", *parsed.h1])
    if vocab.focus_phrases.search(heads):
        yield Vote("landing_page", 1.5, "industrial focus in title or heading")  # articles name it too
        if practice is not None and not own_page:
            yield Vote("landing_page", 1.0, "a practice section of the site")
