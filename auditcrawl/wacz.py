"""A run's evidence as a WACZ package (webrecorder's py-wacz): the run's WARC, a CDXJ index,
`pages/pages.jsonl` (evidence pages first, with titles and capture times) and `datapackage.json`
with each file's hash, the package ReplayWeb.page and Browsertrix open. Verified here by the
package's own validation and by the digests of every WARC record."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from auditcrawl.crawler import SUPPORT_FIELD

from ._exceptions import InputFileError

__all__ = ["is_wacz", "replay_link", "verify_wacz", "write_wacz"]

REPLAY_APP = "https://replayweb.page/"


def _timestamp(iso: str) -> str:
    """2026-12-02T00:34:45Z -> 20261202003445, the form web archives address captures by."""
    return "".join(ch for ch in iso if ch.isdigit())[:14]


def replay_link(source: str, url: str, captured_at: str) -> str:
    """ReplayWeb.page opening the package `source` (its URL or file name) at one page and capture time."""
    where = f"url={quote(url, safe='')}&ts={_timestamp(captured_at)}"
    return f"{REPLAY_APP}?source={quote(source, safe='')}#view=pages&{where}"


def _pages(document: dict[str, Any], warc: Path) -> list[dict[str, str]]:
    """The evidence pages first (as the checks cite them), then every other page the WARC holds."""
    from warcio.archiveiterator import ArchiveIterator

    pages: dict[str, dict[str, str]] = {}
    for check in document["checks"].values():
        for item in check["evidence"]:
            if item.get("captured_at") and item["url"] not in pages:
                pages[item["url"]] = {"url": item["url"], "ts": item["captured_at"], "title": item["title"] or ""}
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
            not_a_page = record.rec_headers.get_header(SUPPORT_FIELD)  # robots.txt, a sitemap, a resource
            if url in pages or not_a_page or record.http_headers.get_statuscode() != "200" or mime != "text/html":
                continue
            pages[url] = {"url": url, "ts": record.rec_headers.get_header("WARC-Date"), "title": url}
    return [{"id": f"p{n}", **page} for n, page in enumerate(pages.values(), 1)]


def write_wacz(document: dict[str, Any], out: Path) -> int:
    """Write the run's WACZ; returns how many pages it lists. The run's WARC must be on this machine."""
    from wacz.main import main as wacz_main

    warc = Path(document["run"].get("options", {}).get("warc") or "")
    if not warc.is_file():
        raise InputFileError(f"the run's WARC file is not on this machine: {warc}")
    pages = _pages(document, warc)
    header = {"format": "json-pages-1.0", "id": "pages", "title": f"auditcrawl run {document['run']['id']}"}
    with tempfile.TemporaryDirectory() as folder:
        listed = Path(folder) / "pages.jsonl"
        listed.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in [header, *pages]) + "\n")
        # The name inside the package is the run's, whatever the file is called here.
        named = Path(folder) / f"{document['run']['id']}.warc.gz"
        named.symlink_to(warc.resolve())
        chatter = io.StringIO()  # py-wacz prints its progress; the CLI says what happened itself
        with contextlib.redirect_stdout(chatter):
            code = wacz_main(["create", "-o", str(out), "-p", str(listed), "--copy-pages", str(named)])
    if code:
        raise InputFileError(f"the WACZ could not be written: {chatter.getvalue().strip().splitlines()[-1:]}")
    return len(pages)


def is_wacz(path: Path) -> bool:
    """A WACZ package (a zip with a datapackage.json), not an evidence bundle."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "datapackage.json" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return path.suffix.lower() == ".wacz"  # unreadable either way: the WACZ check says why


def verify_wacz(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The package's own checks (contents, paths, file hashes, datapackage digest) and every WARC
    record's block and payload digests; returns the datapackage and the problems found."""
    from wacz.validate import Validation

    try:
        with zipfile.ZipFile(path) as archive:
            datapackage = json.loads(archive.read("datapackage.json"))
            warcs = [name for name in archive.namelist() if name.startswith("archive/")]
            problems = [problem for name in warcs for problem in _record_problems(name, archive.read(name))]
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputFileError(f"{path}: not a readable WACZ package ({exc})") from None
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        validation = Validation(str(path))
        checks = [
            validation.check_required_contents,
            validation.check_file_paths,
            validation.check_file_hashes,
            validation.check_data_package_hash_and_sig,
        ]
        passed = all(check() is not False for check in checks)
    if not passed:
        problems.insert(0, f"package: {' '.join(said.getvalue().split()) or 'validation failed'}")
    return datapackage, problems


def _record_problems(name: str, data: bytes) -> list[str]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    problems = []
    try:
        records = ArchiveIterator(io.BytesIO(data), check_digests=True)
        for record in records:
            record.content_stream().read()
            if record.digest_checker.passed is False:
                where = record.rec_headers.get_header("WARC-Target-URI")
                problems.append(f"{name}: record for {where}: {'; '.join(map(str, record.digest_checker.problems))}")
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as exc:
        problems.append(f"{name}: unreadable record ({exc})")
    return problems
