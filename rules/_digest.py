"""A page's content digest: what an auditor's decision rests on.

It changes when what the page says changes, and not when only its wrapping does: menus, footers
and their years, session ids and tracking parameters in links, whitespace and markup. It is the
sha256 of the page's title and main text, spaces collapsed and copyright notices left out.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["content_digest"]

# "© 2019-2026 Acme", "(c) 2026", "Copyright 2025 Acme": a year the site prints anew every January.
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?\d{4}", re.IGNORECASE)


def content_digest(title: str | None, text: str) -> str:
    content = f"{title or ''}\n{text}"
    if "©" in content or "(c)" in content or "(C)" in content or "opyright" in content or "OPYRIGHT" in content:
        content = _COPYRIGHT.sub(" ", content)  # most pages hold no notice: no regex over every page's text
    return "sha256:" + hashlib.sha256(" ".join(content.split()).encode("utf-8")).hexdigest()
