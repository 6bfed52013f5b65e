"""Matching vocabulary terms in page texts: whole words, near forms, many terms at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["TermMatcher", "Text", "near_forms", "words"]


# Boundaries are ASCII letters and digits: cheap for the regex engine, and right for CJK text
# (no spaces). A Latin term touching an accented letter ("Fabrikänderung") is the rare miss.
_NON_CJK_WORD = r"[A-Za-z0-9_]"
_NON_WORD_TO_SPACE = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))


def words(lowered: str) -> list[bytes]:
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
            self._words = frozenset(words(self.lowered))
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
            needed = words(term.lower())
            if not needed:
                self._always = True
            else:
                self._words_by_first.setdefault(needed[0], []).append(frozenset(needed))
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
