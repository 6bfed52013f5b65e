"""The vocabularies under rules/vocab/, loaded once into compiled matchers."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = ["TermMatcher", "Vocabulary", "load_vocabulary", "CATEGORIES"]

CATEGORIES = ("product_design", "production_design", "production", "operations")


class TermMatcher:
    """Finds whole-word occurrences of a list of terms; returns the terms as written in the vocabulary."""

    def __init__(self, terms: Iterable[str], *, case_sensitive: bool = False) -> None:
        self._case_sensitive = case_sensitive
        terms = [t for t in dict.fromkeys(terms) if t]
        self._canonical = {t if case_sensitive else t.lower(): t for t in terms}
        if not terms:
            self._regex: re.Pattern[str] | None = None
            return
        body = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        self._regex = re.compile(rf"(?<![\w-])(?:{body})(?![\w])", 0 if case_sensitive else re.IGNORECASE)

    def find(self, text: str) -> list[str]:
        """Distinct terms found, in order of first appearance."""
        if self._regex is None or not text:
            return []
        found: dict[str, None] = {}
        for match in self._regex.finditer(text):
            key = match.group(0) if self._case_sensitive else match.group(0).lower()
            found.setdefault(self._canonical.get(key, match.group(0)), None)
        return list(found)

    def search(self, text: str) -> bool:
        return self._regex is not None and bool(text) and self._regex.search(text) is not None


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


@dataclass(frozen=True)
class Vocabulary:
    case_study: KindVocab
    thought_leadership: KindVocab
    listing_segments: frozenset[str]
    listing_jsonld_types: frozenset[str]
    industrial_segments: frozenset[str]
    practice_segments: frozenset[str]
    focus_phrases: TermMatcher
    landing_anchor_phrases: TermMatcher
    offsite_patterns: tuple[re.Pattern[str], ...]
    categories: tuple[CategoryVocab, ...]
    aws_partnership: tuple[re.Pattern[str], ...]
    aws_services: TermMatcher
    aws_service_canonical: dict[str, str]
    isv_vendors: TermMatcher
    other_industries: TermMatcher
    login_segments: frozenset[str]
    leadgen_phrases: TermMatcher
    login_phrases: TermMatcher


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("rules").joinpath("vocab", name).read_text(encoding="utf-8"))


def _kind(table: dict[str, Any]) -> KindVocab:
    return KindVocab(
        segments=frozenset(table.get("segments", [])),
        title_phrases=TermMatcher(table.get("title_phrases", [])),
        anchor_phrases=TermMatcher(table.get("anchor_phrases", [])),
        suffixes=tuple(table.get("suffixes", [])),
        title_patterns=tuple(re.compile(p, re.IGNORECASE) for p in table.get("title_patterns", [])),
        subdomains=frozenset(table.get("subdomains", [])),
        jsonld_types=frozenset(table.get("jsonld_types", [])),
    )


@functools.cache
def load_vocabulary() -> Vocabulary:
    kinds, cats, signals = _read("kinds.toml"), _read("categories.toml"), _read("signals.toml")
    services: list[list[str]] = signals["aws_services"]["names"]
    canonical = {alias.lower(): group[0] for group in services for alias in group}
    return Vocabulary(
        case_study=_kind(kinds["case_study"]),
        thought_leadership=_kind(kinds["thought_leadership"]),
        listing_segments=frozenset(kinds["listing"]["segments"]),
        listing_jsonld_types=frozenset(kinds["listing"]["jsonld_types"]),
        industrial_segments=frozenset(kinds["landing_page"]["industrial_segments"]),
        practice_segments=frozenset(kinds["landing_page"]["practice_segments"]),
        focus_phrases=TermMatcher(kinds["landing_page"]["focus_phrases"]),
        landing_anchor_phrases=TermMatcher(kinds["landing_page"]["anchor_phrases"]),
        offsite_patterns=tuple(re.compile(p) for p in kinds["offsite"]["url_patterns"]),
        categories=tuple(
            CategoryVocab(
                name=name,
                label=cats[name]["label"],
                terms=TermMatcher(cats[name]["terms"]),
                acronyms=TermMatcher(cats[name]["acronyms"], case_sensitive=True),
                products=TermMatcher(cats[name]["products"]),
            )
            for name in CATEGORIES
        ),
        aws_partnership=tuple(re.compile(p, re.IGNORECASE) for p in signals["aws_partnership"]["patterns"]),
        aws_services=TermMatcher(alias for group in services for alias in group),
        aws_service_canonical=canonical,
        isv_vendors=TermMatcher(signals["isv"]["vendors"]),
        other_industries=TermMatcher(signals["industries"]["others"]),
        login_segments=frozenset(signals["gating"]["login_path_segments"]),
        leadgen_phrases=TermMatcher(signals["gating"]["leadgen_phrases"]),
        login_phrases=TermMatcher(signals["gating"]["login_phrases"]),
    )
