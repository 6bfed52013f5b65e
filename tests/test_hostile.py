"""Hostile servers: every fault ends as a clear per-page error, the run finishes, memory stays bounded."""

from __future__ import annotations

import resource
from typing import Any

from auditcrawl.storage import Store

from .conftest import default_signals
from .faultserver import FaultServer

FAULTS = {
    # silent servers end at the read timeout or the whole-response limit, whichever the busy loop reaches first
    "/hang": ("timed out: no read progress within 1s", "no complete response within 3s"),
    "/headers-then-hang": ("timed out: no read progress within 1s", "no complete response within 3s"),
    "/trickle": "no complete response within 3s",  # a byte every 0.2 s: only the whole-response limit stops it
    "/short-body": "connection failed",
    "/bad-chunked": "connection failed",
    "/deflate-bomb": "body exceeds the 3000000-byte cap",
    "/gzip-bomb": "body exceeds the 3000000-byte cap",
    "/huge-declared": "body of 10737418240 bytes exceeds the 3000000-byte cap",
    "/chain/1": "more than 10 redirects",
    "/loop": "more than 10 redirects",
    "/to-file": "redirect to an unsupported URL: file:///etc/passwd",
    "/to-ftp": "redirect to an unsupported URL: ftp://127.0.0.1/x",
}
SURVIVED = ["/binary", "/bad-charset", "/long-line", "/deep"]  # odd but readable: parsed without error


async def test_every_fault_is_a_per_page_error_and_the_run_finishes(audit: Any) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with FaultServer(list(FAULTS) + SURVIVED) as server:
        base = f"http://127.0.0.1:{server.port}"
        result = await audit(base + "/", retries=0, timeout=1.0, max_body_bytes=3_000_000, concurrency=8, full=True)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    run = result.document["run"]
    assert run["status"] == "complete"
    async with Store(result.db) as store:  # every page is in storage, evidence or not
        errors = {row.url.replace(base, ""): row.error for row in await store.run_pages(run["id"])}
    for path, expected in FAULTS.items():
        error = errors.get(path) or ""
        assert any(message in error for message in ((expected,) if isinstance(expected, str) else expected)), (
            path,
            error,
        )
    for path in SURVIVED:
        assert path in errors and errors[path] is None, (path, errors.get(path))
    # robots.txt that is an HTML page with garbage: read as having no rules
    assert run["pages_fetched"] == 1 + len(FAULTS) + len(SURVIVED)
    assert grown_mb < 400, f"peak memory grew by {grown_mb:.0f} MB"


def test_ctrl_c_stops_gracefully_and_keeps_what_was_fetched(serve: Any, tmp_path: Any) -> None:
    """SIGINT mid-crawl: exit 130, the run is marked partial, what was fetched is stored and exports."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from auditcrawl.storage import validate_export

    from .sites import classic_site

    server = serve(classic_site())
    binary = Path(sys.executable).parent / "auditcrawl"
    db = f"sqlite:///{tmp_path}/c.db"
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.Popen(
        [str(binary), "crawl", server.url("/"), "--allow-private", "--delay", "0.4", "--db", db],
        env=env,
        preexec_fn=default_signals,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while len(server.requests) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    runs = json.loads(
        subprocess.run([str(binary), "runs", "--json", "--db", db], capture_output=True, text=True, env=env).stdout
    )
    assert [r["status"] for r in runs] == ["partial"]
    document = json.loads(
        subprocess.run(
            [str(binary), "export", runs[0]["id"], "--db", db], capture_output=True, text=True, env=env
        ).stdout
    )
    validate_export(document)
    assert any("interrupted" in note for note in document["run"]["notes"])
