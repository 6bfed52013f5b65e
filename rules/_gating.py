"""Is the content behind a login or a lead-generation form? Cheapest signal first."""

from __future__ import annotations

from urllib.parse import urlsplit

from auditcrawl.crawler import ParsedPage

from ._terms import Text
from ._vocab import Vocabulary

__all__ = ["gate_reason"]

# Below this many words of content, a form on the page is what the visitor gets.
TEASER_WORDS = 250


def _login_url(url: str, vocab: Vocabulary) -> bool:
    segments = {s.lower() for s in urlsplit(url).path.split("/") if s}
    return bool(segments & vocab.login_segments)


def gate_reason(
    status: int | None,
    requested: str,
    redirects: list[str],
    parsed: ParsedPage | None,
    vocab: Vocabulary,
    text: Text | None = None,
) -> str | None:
    """Why the page's content is not public, or None when it is."""
    if status in (401, 407):
        return f"HTTP {status}: authentication required"
    if status == 403:
        return "HTTP 403: access forbidden"
    for hop in redirects:
        if _login_url(hop, vocab) and not _login_url(requested, vocab):
            return f"redirected to a login page ({hop})"
    if parsed is None:
        return None
    short = parsed.word_count < TEASER_WORDS
    body = text if text is not None else Text(parsed.text)
    if any(form.has_password for form in parsed.forms) and (short or vocab.login_phrases.search(body)):
        return "content behind a login form"
    if short and vocab.login_phrases.search(body):
        return "page asks the visitor to sign in to read"
    for form in parsed.forms:
        # A contact form beside real content is not a gate; a download form in front of a teaser is.
        if not (form.has_email and short):
            continue
        if vocab.leadgen_phrases.search(form.submit_text) or vocab.leadgen_phrases.search(body):
            submit = form.submit_text or "submit"
            return f"content behind a lead-generation form ({form.visible_fields} fields, '{submit}')"
    return None
