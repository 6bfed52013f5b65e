"""Full-page screenshots of the evidence, taken at the end of a run, hashed for the record;
what the browser loaded for them goes into the run's WARC (unless archive_resources is "never")."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sqlalchemy.engine import make_url

from auditcrawl.crawler import Renderer
from auditcrawl.rules import CheckResult

__all__ = ["data_folder", "screenshot_folder", "take_evidence_screenshots"]


def data_folder(db_url: str) -> Path:
    """Where a run's files go (screenshots, WARC): beside the SQLite file, else the user's data folder."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).expanduser().parent
    return Path("~/.local/share/auditcrawl").expanduser()


def screenshot_folder(configured: str, db_url: str) -> Path:
    return Path(configured).expanduser() if configured else data_folder(db_url) / "screenshots"


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.split("://", 1)[-1].lower()).strip("-")[:80] or "page"


async def take_evidence_screenshots(checks: dict[str, CheckResult], renderer: Renderer, folder: Path) -> list[str]:
    """A PNG of every cited evidence page (the landing page among them); path and sha256 go on the item,
    with the consent banners declined or hidden for it and, for a very long page, the height kept.
    The items a check lists beyond the ones it cites get none: a real blog can count 75 posts.

    Returns notes for the run: what could not be taken and why.
    """
    taken: dict[str, dict[str, object]] = {}  # URL -> what goes on its items
    for result in checks.values():
        for item in (e for e in result.evidence if e.extra.get("cited", True)):
            if item.url not in taken:
                path = folder / f"{len(taken) + 1:02d}-{_slug(item.url)}.png"
                shot = await renderer.screenshot(item.url, path, item.extra.get("warc_record_id"))
                taken[item.url] = (
                    {"screenshot_error": shot.error}
                    if shot.error
                    else {
                        "screenshot": str(path),
                        "screenshot_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                        **({"screenshot_consent": shot.consent} if shot.consent else {}),
                        **({"screenshot_capped": shot.capped} if shot.capped else {}),
                    }
                )
            item.extra.update(taken[item.url])
    failures = sorted({str(t["screenshot_error"]) for t in taken.values() if "screenshot_error" in t})
    return [f"screenshots: {failure}" for failure in failures[:5]] + renderer.resources.notes()
