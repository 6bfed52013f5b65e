"""The vocabularies under rules/vocab/, loaded once into compiled matchers."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "TermMatcher",
    "Text",
    "Vocabulary",
    "category_labels",
    "detect_language",
    "load_vocabulary",
    "near_forms",
    "without_modified_notes",
]

CATEGORIES = ("product_design", "production_design", "production", "operations")


# Boundaries are ASCII letters and digits: cheap for the regex engine, and right for CJK text
# (no spaces). A Latin term touching an accented letter ("Fabrikänderung") is the rare miss.
_NON_CJK_WORD = r"[A-Za-z0-9_]"
_NON_WORD_TO_SPACE = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))


def _words(lowered: str) -> list[bytes]:
    """The runs of ASCII letters and digits in a lowercased text, in order (for terms and texts
    alike). bytes.translate then split: twice as fast as a regex's findall."""
    return lowered.encode("utf-8", "surrogatepass").translate(_NON_WORD_TO_SPACE).split()


def _is_cjk(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff" or "\u3400" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def _is_edge(char: str) -> bool:
    """A term edge that needs a word boundary: a letter or digit of a spaced script
    (CJK text has no spaces, so "MES" stands as a word in "製造業向けにMESを")."""
    return char.isalnum() and not _is_cjk(char)


def _trie_pattern(terms: list[str]) -> str:
    """The terms as one regex shaped like a trie: each position of the text costs one branch per
    character rather than one try per term, and the engine skips to possible first characters.
    Longer terms are tried before their prefixes, so the longest term at a position wins."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = True

    def rest(node: dict[str, Any], last: str) -> str:
        alternatives = [re.escape(char) + rest(child, char) for char, child in sorted(node.items()) if char]
        if "" in node:
            alternatives.append(rf"(?!{_NON_CJK_WORD})" if _is_edge(last) else "")
        return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"

    # The start boundary sits after the first character, (?<!x.), so every branch starts with a literal.
    return "|".join(
        re.escape(char) + (rf"(?<!{_NON_CJK_WORD}.|-.)" if _is_edge(char) else "") + rest(child, char)
        for char, child in sorted(trie.items())
    )


class Text:
    """A text prepared once for many matchers: lowercased, with its ASCII words as a set."""

    __slots__ = ("_words", "lowered", "raw")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.lowered = raw.lower()
        self._words: frozenset[bytes] | None = None

    def prefixed(self, prefix: str) -> Text:
        """`prefix` + " " + this text, reusing this text's words."""
        joined = Text(f"{prefix} {self.raw}")
        joined._words = self.words | Text(prefix).words
        return joined

    @property
    def words(self) -> frozenset[bytes]:
        if self._words is None:
            self._words = frozenset(_words(self.lowered))
        return self._words


def near_forms(term: str) -> list[str]:
    """A term as pages also write it: with its last word in the plural (historian -> historians,
    factory -> factories) and with hyphens as spaces or spaces as hyphens. Latin script only."""
    if not term.isascii() or not term[-1:].isalpha():
        return [term]
    if term.endswith("s"):
        plural = term
    elif term.endswith("y") and term[-2:-1] not in "aeiou":
        plural = term[:-1] + "ies"
    elif term.endswith(("ch", "sh", "x", "z")):
        plural = term + "es"
    else:
        plural = term + "s"
    forms = [term, plural]
    for form in (term, plural):
        forms += [form.replace("-", " "), form.replace(" ", "-")]
    return list(dict.fromkeys(forms))


class TermMatcher:
    """Finds whole-word occurrences of a list of terms; returns the terms as written in the vocabulary.
    With `inflect`, a term's near forms (plural, hyphenated or not) are found as that term."""

    def __init__(self, terms: Iterable[str], *, case_sensitive: bool = False, inflect: bool = False) -> None:
        self._case_sensitive = case_sensitive
        base = [t for t in dict.fromkeys(terms) if t]
        forms = {form: t for t in base for form in (near_forms(t) if inflect else [t])}
        terms = list(forms)
        self._canonical = {form if case_sensitive else form.lower(): t for form, t in forms.items()}
        # A term can match only where the text has each of its ASCII words (see Text), so most
        # texts are ruled out by set lookups before any scan. Terms without one (CJK) always scan.
        self._always = False
        self._words_by_first: dict[bytes, list[frozenset[bytes]]] = {}
        for term in terms:
            words = _words(term.lower())
            if not words:
                self._always = True
            else:
                self._words_by_first.setdefault(words[0], []).append(frozenset(words))
        self._first_words = frozenset(self._words_by_first)
        if not terms:
            self._regex: re.Pattern[str] | None = None
            return
        # Case-insensitive matchers search lowercased text: much faster than re.IGNORECASE on long alternations.
        self._regex = re.compile(_trie_pattern(terms if case_sensitive else [t.lower() for t in terms]), re.S)

    def _target(self, text: str | Text) -> str | None:
        """The string to scan, or None when the text cannot hold any term."""
        if self._regex is None or not (text.raw if isinstance(text, Text) else text):
            return None
        if isinstance(text, Text):
            if not self._always and not self._may_match(text.words):
                return None
            return text.raw if self._case_sensitive else text.lowered
        return text if self._case_sensitive else text.lower()

    def _may_match(self, words: frozenset[bytes]) -> bool:
        return any(needed <= words for first in self._first_words & words for needed in self._words_by_first[first])

    def find(self, text: str | Text) -> list[str]:
        """Distinct terms found, in order of first appearance."""
        target = self._target(text)
        if target is None or self._regex is None:
            return []
        found: dict[str, None] = {}
        for match in self._regex.finditer(target):
            found.setdefault(self._canonical.get(match.group(0), match.group(0)), None)
        return list(found)

    def counts(self, text: str | Text) -> dict[str, int]:
        """How often each term occurs, by the term as written in the vocabulary."""
        target = self._target(text)
        found: dict[str, int] = {}
        if target is not None and self._regex is not None:
            for match in self._regex.finditer(target):
                term = self._canonical.get(match.group(0), match.group(0))
                found[term] = found.get(term, 0) + 1
        return found

    def positions(self, text: str | Text) -> list[int]:
        """Where the terms start in the text."""
        # positions in the lowercased text are positions in the text (lower() keeps lengths for the scripts used here)
        target = self._target(text)
        return (
            [m.start() for m in self._regex.finditer(target)] if target is not None and self._regex is not None else []
        )

    def search(self, text: str | Text) -> bool:
        target = self._target(text)
        return target is not None and self._regex is not None and self._regex.search(target) is not None


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
    )


def category_labels() -> dict[str, str]:
    """ "product_design" -> "Product Design": the checklist's wording, from categories.toml."""
    return {category.name: category.label for category in load_vocabulary().categories}


def _all_months() -> tuple[tuple[str, ...], ...]:
    per_language = [_read("lang", f"{code}.toml")["dates"]["months"] for code in LANGUAGES]
    return tuple(tuple(dict.fromkeys(n for months in per_language for n in months[i])) for i in range(12))


@functools.cache
def _modified_notes() -> tuple[re.Pattern[str], re.Pattern[str]]:
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
    words, note = _modified_notes()
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
