"""The vocabularies under rules/vocab/, loaded once into compiled matchers."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ._terms import TermMatcher, Text

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "Vocabulary",
    "category_labels",
    "detect_language",
    "load_vocabulary",
    "modified_note_patterns",
    "without_modified_notes",
]

CATEGORIES = ("product_design", "production_design", "production", "operations")


@dataclass(frozen=True)
class CategoryVocab:
    name: str
    label: str
    terms: TermMatcher
    acronyms: TermMatcher
    products: TermMatcher


@dataclass(frozen=True)
class KindVocab:
    segments: frozenset[str]
    title_phrases: TermMatcher
    anchor_phrases: TermMatcher
    suffixes: tuple[str, ...] = ()
    title_patterns: tuple[re.Pattern[str], ...] = ()
    subdomains: frozenset[str] = frozenset()
    jsonld_types: frozenset[str] = frozenset()
    sections: tuple[tuple[str, ...], ...] = ()  # headings of a case study's parts: problem, solution, result
    index_title_phrases: TermMatcher = field(default_factory=lambda: TermMatcher(()))  # titles of an index


@dataclass(frozen=True)
class Vocabulary:
    lang: str
    case_study: KindVocab
    thought_leadership: KindVocab
    listing_segments: frozenset[str]
    listing_jsonld_types: frozenset[str]
    other_segments: frozenset[str]
    other_subdomains: frozenset[str]
    industrial_segments: frozenset[str]
    practice_segments: frozenset[str]
    focus_phrases: TermMatcher
    landing_anchor_phrases: TermMatcher
    offsite_patterns: tuple[re.Pattern[str], ...]
    categories: tuple[CategoryVocab, ...]
    aws_partnership: tuple[re.Pattern[str], ...]
    aws_cues: tuple[str, ...]
    aws_services: TermMatcher
    aws_service_canonical: dict[str, str]
    clouds: TermMatcher
    cloud_canonical: dict[str, str]
    isv_vendors: TermMatcher
    generic_it: TermMatcher
    other_industries: TermMatcher
    login_segments: frozenset[str]
    leadgen_phrases: TermMatcher
    login_phrases: TermMatcher
    date_order: str  # mdy | dmy | ymd
    months: tuple[tuple[str, ...], ...]  # twelve lists of names, January first
    published_words: tuple[str, ...]
    problem_words: TermMatcher
    solution_words: TermMatcher
    result_words: TermMatcher
    completion_words: TermMatcher
    anonymous_patterns: tuple[re.Pattern[str], ...]
    other_meanings: re.Pattern[str] | None = None  # words of the vocabularies in another sense (see signals.toml)
    other_meaning_cues: frozenset[bytes] = frozenset()  # a word of every such use: most pages need no regex

    def without_other_meanings(self, text: str | Text) -> str:
        """The text with each use of a vocabulary word in another sense blanked (same length)."""
        prepared = text if isinstance(text, Text) else Text(text)
        if self.other_meanings is None or not self.other_meaning_cues & prepared.words:
            return prepared.raw
        return self.other_meanings.sub(lambda m: " " * len(m.group(0)), prepared.raw)


LANGUAGES = ("en", "de", "fr", "es", "it", "ja")


def _read(*parts: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("auditcrawl.rules").joinpath("vocab", *parts).read_text(encoding="utf-8"))


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Tables merge, lists extend, other values are replaced by the later file."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *(v for v in value if v not in merged[key])]
        else:
            merged[key] = value
    return merged


def _kind(table: dict[str, Any]) -> KindVocab:
    return KindVocab(
        segments=frozenset(table.get("segments", [])),
        title_phrases=TermMatcher(table.get("title_phrases", [])),
        anchor_phrases=TermMatcher(table.get("anchor_phrases", [])),
        suffixes=tuple(table.get("suffixes", [])),
        title_patterns=tuple(re.compile(p, re.IGNORECASE) for p in table.get("title_patterns", [])),
        subdomains=frozenset(table.get("subdomains", [])),
        jsonld_types=frozenset(table.get("jsonld_types", [])),
        index_title_phrases=TermMatcher(table.get("index_title_phrases", [])),
        sections=tuple(tuple(table["sections"][part]) for part in ("problem", "solution", "result"))
        if "sections" in table
        else (),
    )


@functools.cache
def _raw(lang: str) -> dict[str, Any]:
    base = {**_read("kinds.toml"), "categories": _read("categories.toml"), **_read("signals.toml")}
    languages = LANGUAGES if lang == "*" else ("en",) if lang == "en" else ("en", lang)
    for code in languages:
        extra = _read("lang", f"{code}.toml")
        dates = extra.pop("dates", None)  # a language's date conventions replace English ones
        base = _merge(base, extra)
        if dates is not None:
            base["dates"] = dates
    return base


@functools.cache
def load_vocabulary(lang: str = "en") -> Vocabulary:
    """The vocabulary for one language (English terms always included); "*" merges every language."""
    if lang != "*" and lang not in LANGUAGES:
        lang = "en"
    raw = _raw(lang)
    services: list[list[str]] = raw["aws_services"]["names"]
    clouds: list[list[str]] = raw["clouds"]["names"]
    cats, landing, gating, words = raw["categories"], raw["landing_page"], raw["gating"], raw["completeness"]
    return Vocabulary(
        lang=lang,
        case_study=_kind(raw["case_study"]),
        thought_leadership=_kind(raw["thought_leadership"]),
        listing_segments=frozenset(raw["listing"]["segments"]),
        listing_jsonld_types=frozenset(raw["listing"]["jsonld_types"]),
        other_segments=frozenset(raw["other"]["segments"]),
        other_subdomains=frozenset(raw["other"]["subdomains"]),
        industrial_segments=frozenset(landing["industrial_segments"]),
        practice_segments=frozenset(landing["practice_segments"]),
        focus_phrases=TermMatcher(landing["focus_phrases"]),
        landing_anchor_phrases=TermMatcher(landing["anchor_phrases"]),
        offsite_patterns=tuple(re.compile(p) for p in raw["offsite"]["url_patterns"]),
        categories=tuple(
            CategoryVocab(
                name=name,
                label=cats[name]["label"],
                terms=TermMatcher(cats[name].get("terms", []), inflect=True),
                acronyms=TermMatcher(cats[name].get("acronyms", []), case_sensitive=True),
                products=TermMatcher(cats[name].get("products", [])),
            )
            for name in CATEGORIES
        ),
        aws_partnership=tuple(re.compile(p, re.IGNORECASE) for p in raw["aws_partnership"]["patterns"]),
        aws_cues=tuple(raw["aws_partnership"]["cues"]),
        aws_services=TermMatcher(alias for group in services for alias in group),
        aws_service_canonical={alias.lower(): group[0] for group in services for alias in group},
        clouds=TermMatcher(alias for group in clouds for alias in group),
        cloud_canonical={alias.lower(): group[0] for group in clouds for alias in group},
        isv_vendors=TermMatcher(raw["isv"]["vendors"]),
        generic_it=TermMatcher(raw["generic_it"]["terms"], inflect=True),
        other_industries=TermMatcher(raw["industries"]["others"]),
        login_segments=frozenset(gating["login_path_segments"]),
        leadgen_phrases=TermMatcher(gating["leadgen_phrases"]),
        login_phrases=TermMatcher(gating["login_phrases"]),
        date_order=raw["dates"]["order"] if lang != "*" else "dmy",
        months=tuple(tuple(names) for names in raw["dates"]["months"][:12]) if lang != "*" else _all_months(),
        published_words=tuple(raw["dates"]["published_words"]) if lang != "*" else _all_published_words(),
        problem_words=TermMatcher(words["problem_words"]),
        solution_words=TermMatcher(words["solution_words"]),
        result_words=TermMatcher(words["result_words"]),
        completion_words=TermMatcher(words["completion_words"]),
        anonymous_patterns=tuple(re.compile(p, re.IGNORECASE) for p in words["anonymous_patterns"]),
        other_meanings=re.compile("|".join(f"(?:{p})" for p in raw["other_meanings"]["patterns"]), re.IGNORECASE),
        other_meaning_cues=frozenset(cue.encode() for cue in raw["other_meanings"]["cues"]),
    )


def category_labels() -> dict[str, str]:
    """ "product_design" -> "Product Design": the checklist's wording, from categories.toml."""
    return {category.name: category.label for category in load_vocabulary().categories}


def _all_months() -> tuple[tuple[str, ...], ...]:
    per_language = [_read("lang", f"{code}.toml")["dates"]["months"] for code in LANGUAGES]
    return tuple(tuple(dict.fromkeys(n for months in per_language for n in months[i])) for i in range(12))


@functools.cache
def modified_note_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The words that open a 'Last updated: …' note in any known language, as a plain alternation
    for lowercased text (ten times faster than a case-insensitive search), and the note with the
    40 characters after its word (where its date is), to blank it out."""
    words = sorted(
        {w.lower() for code in LANGUAGES for w in _read("lang", f"{code}.toml")["dates"]["modified_words"]},
        key=len,
        reverse=True,
    )
    alternation = "|".join(re.escape(w) for w in words)
    return re.compile(alternation), re.compile(rf"(?:{alternation})[^.\n|<]{{0,40}}", re.IGNORECASE)


def without_modified_notes(text: str) -> str:
    """The text with its 'last updated: …' notes blanked out; the same string when it has none."""
    words, note = modified_note_patterns()
    return note.sub(" ", text) if words.search(text.lower()) else text


def _all_published_words() -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(w for code in LANGUAGES for w in _read("lang", f"{code}.toml")["dates"]["published_words"])
    )


@functools.cache
def _stopwords() -> dict[str, frozenset[str]]:
    return {code: frozenset(_read("lang", f"{code}.toml")["detection"]["stopwords"]) for code in LANGUAGES}


_KANA = re.compile(r"[\u3040-\u30ff]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(declared: str | None, text: str) -> str:
    """The page's language among those with vocabularies: declared (html lang) first, then the text."""
    if declared:
        code = declared.strip().lower().replace("_", "-").split("-", 1)[0]
        if code in LANGUAGES:
            return code
    sample = text[:3000]
    if len(_KANA.findall(sample)) >= 5:
        return "ja"
    words = [w.lower() for w in _WORD.findall(sample)]
    scores = {code: sum(w in stops for w in words) for code, stops in _stopwords().items() if code != "ja"}
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] >= 5 and scores[best] > scores["en"] else "en"
