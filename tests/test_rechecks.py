"""Rechecks over time, as an auditor runs them: schedule, recheck, history, diff, alerts, 304s, the scheduler."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from auditcrawl.rechecks import parse_every
from auditcrawl.scheduler import JOB_PREFIX
from auditcrawl.siteserver import Page
from auditcrawl.storage import sync_url, validate_export

from .conftest import WebhookReceiver, default_signals
from .sites import AS_OF, classic_site, page, text, without_links_to

BIN = Path(sys.executable).parent / "auditcrawl"
# Screenshots are tested with rendering; here they would only slow every recheck down.
_CONFIG = Path(tempfile.mkdtemp(prefix="auditcrawl-test-")) / "no-screenshots.toml"
_CONFIG.write_text("[crawl]\nscreenshots = false\n")
ENV = {
    **os.environ,
    "COLUMNS": "200",
    "AUDITCRAWL_DELAY": "0",
    "AUDITCRAWL_ALLOW_PRIVATE": "1",
    "AUDITCRAWL_CONFIG": str(_CONFIG),
}


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=ENV, timeout=timeout, stdin=subprocess.DEVNULL
    )


def site_with_sitemap(server: Any, routes: dict[str, Page]) -> dict[str, Page]:
    routes = dict(routes)
    routes["/sitemap.xml"] = text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.url('/industries/manufacturing/')}</loc></url></urlset>",
        content_type="application/xml",
    )
    return routes


GATED_CONTOSO = page(
    "Contoso Motors case study",
    """<h1>Case study: Contoso Motors</h1><p>Predictive maintenance with AWS IoT SiteWise and OPC UA.
    Fill out the form to download the full case study.</p><form><input name="n"><input type="email" name="e">
    <input name="c"><button>Download the case study</button></form>""",
)


def test_recheck_reports_exactly_the_regressions(serve: Any, db_url: str, webhook: WebhookReceiver) -> None:
    server = serve({})
    server.set_routes(site_with_sitemap(server, classic_site()))
    added = cli(
        "schedule",
        "add",
        server.url("/"),
        "--applicant",
        "Acme Cloud",
        "--every",
        "30d",
        "--webhook",
        webhook.url,
        "--allow-private",
        "--delay",
        "0",
        "--db",
        db_url,
    )
    assert added.returncode == 0, added.stderr
    first = cli("recheck", "--applicant", "Acme Cloud", "--as-of", AS_OF.isoformat(), "--db", db_url)
    assert first.returncode == 0, first.stderr

    changed = classic_site(**{"/case-studies/contoso-predictive-maintenance/": GATED_CONTOSO})
    changed = without_links_to(changed, "/industries/manufacturing/")
    server.set_routes(site_with_sitemap(server, changed))
    second = cli("recheck", "--applicant", "Acme Cloud", "--as-of", AS_OF.isoformat(), "--db", db_url)
    assert second.returncode == 3, (second.stdout, second.stderr)
    assert "3.1 met → not_met" in second.stdout and "2.2 met → not_met" in second.stdout

    runs = json.loads(cli("history", "--applicant", "Acme Cloud", "--json", "--db", db_url).stdout)
    assert [r["checks"] for r in runs] == [
        {"3.1": "not_met", "2.2": "not_met", "3.2": "met"},
        {"3.1": "met", "2.2": "met", "3.2": "met"},
    ]
    new, old = runs[0]["id"], runs[1]["id"]
    diff = json.loads(cli("diff", old, new, "--json", "--db", db_url).stdout)
    landing, contoso = (
        server.url("/industries/manufacturing/"),
        server.url("/case-studies/contoso-predictive-maintenance/"),
    )
    expected = [
        {
            "check": "3.1",
            "from": "met",
            "to": "not_met",
            "regression": True,
            "reasons": [f"{landing}: no longer counts: not linked from the home page (found only in the sitemap)"],
        },
        {
            "check": "2.2",
            "from": "met",
            "to": "not_met",
            "regression": True,
            "reasons": [
                f"{contoso}: no longer counts: not public: content behind a lead-generation form (3 fields, "
                "'Download the case study')"
            ],
        },
    ]
    assert diff["changes"] == expected
    assert len(webhook.received) == 1
    payload = webhook.received[0]
    assert payload["event"] == "regression" and payload["partner"] == "Acme Cloud" and payload["run_id"] == new
    assert payload["previous_run_id"] == old
    assert payload["regressions"] == [{k: c[k] for k in ("check", "from", "to", "reasons")} for c in expected]


def test_unchanged_site_is_rechecked_mostly_with_304s(serve: Any, tmp_path: Path) -> None:
    server = serve(classic_site())
    db = f"sqlite:///{tmp_path}/r.db"
    cli("schedule", "add", server.url("/"), "--applicant", "Acme", "--every", "7d", "--db", db)
    assert cli("recheck", "--applicant", "Acme", "--as-of", AS_OF.isoformat(), "--db", db).returncode == 0
    before = server.not_modified
    again = cli("recheck", "--applicant", "Acme", "--as-of", AS_OF.isoformat(), "--db", db)
    assert again.returncode == 0, again.stderr
    runs = json.loads(cli("history", "--applicant", "Acme", "--json", "--db", db).stdout)
    document = json.loads(cli("export", runs[0]["id"], "--db", db).stdout)
    validate_export(document)
    options = document["run"]["options"]
    share = options["not_modified"] / document["run"]["pages_fetched"]
    print(
        f"second recheck: {options['not_modified']} of {document['run']['pages_fetched']} pages were 304s "
        f"({share:.0%}), {options['bytes_saved']} bytes saved"
    )
    assert share >= 0.8
    assert server.not_modified - before == options["not_modified"]
    assert options["bytes_saved"] > 5000
    assert runs[0]["checks"] == runs[1]["checks"] == {"3.1": "met", "2.2": "met", "3.2": "met"}
    assert runs[0]["status"] == runs[1]["status"] == "complete"
    assert json.loads(cli("diff", runs[1]["id"], runs[0]["id"], "--json", "--db", db).stdout)["changes"] == []


def test_site_down_is_a_failed_run_not_regressions(serve: Any, tmp_path: Path) -> None:
    receiver = WebhookReceiver()
    try:
        server = serve(classic_site())
        db = f"sqlite:///{tmp_path}/d.db"
        cli(
            "schedule",
            "add",
            server.url("/"),
            "--applicant",
            "Acme",
            "--every",
            "7d",
            "--webhook",
            receiver.url,
            "--db",
            db,
        )
        assert cli("recheck", "--applicant", "Acme", "--as-of", AS_OF.isoformat(), "--db", db).returncode == 0
        server.set_routes({"/": Page("down", status=503), "/robots.txt": text("", status=404)})
        down = cli("recheck", "--applicant", "Acme", "--as-of", AS_OF.isoformat(), "--db", db)
        assert down.returncode == 0, down.stdout
        assert "failed" in down.stdout and "not counted as regressions" in down.stdout
        assert receiver.received == []
    finally:
        receiver.stop()


def test_undelivered_alert_is_kept_and_sent_with_the_next_run(serve: Any, tmp_path: Path) -> None:
    receiver = WebhookReceiver(status=500)
    try:
        server = serve({})
        server.set_routes(site_with_sitemap(server, classic_site()))
        db = f"sqlite:///{tmp_path}/a.db"
        cli(
            "schedule",
            "add",
            server.url("/"),
            "--applicant",
            "Acme",
            "--every",
            "7d",
            "--webhook",
            receiver.url,
            "--db",
            db,
        )
        cli("recheck", "--applicant", "Acme", "--as-of", AS_OF.isoformat(), "--db", db)
        server.set_routes(site_with_sitemap(server, without_links_to(classic_site(), "/industries/manufacturing/")))
        failed = cli("recheck", "--applicant", "Acme", "--as-of", AS_OF.isoformat(), "--db", db)
        assert failed.returncode == 3
        assert "alerts: 0 delivered, 1 kept for the next run" in failed.stdout
        assert len(receiver.received) == 3  # three attempts in that run
        receiver.status = 200
        later = cli("recheck", "--applicant", "Acme", "--as-of", AS_OF.isoformat(), "--db", db)
        assert "alerts: 1 delivered, 0 kept for the next run" in later.stdout
        assert receiver.received[-1]["regressions"][0]["check"] == "3.1"
    finally:
        receiver.stop()


def _job_store(db: str) -> Any:
    """The scheduler's own job store on the same database, opened beside it as the scheduler opens it."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    store = SQLAlchemyJobStore(url=sync_url(db))
    store.start(BackgroundScheduler(timezone=UTC), "default")  # never started: it only reads and writes jobs
    return store


def test_scheduler_restart_keeps_the_schedule_and_catches_up_once(serve: Any, tmp_path: Path) -> None:
    """No clock is waited on: the schedule's next run is moved three intervals into the past in the
    job store while the scheduler is down, as if it had missed three runs; on restart it catches
    up once and keeps the schedule's rhythm."""
    server = serve(classic_site())
    db = f"sqlite:///{tmp_path}/s.db"
    added = cli("schedule", "add", server.url("/"), "--applicant", "Acme", "--every", "1h", "--db", db)
    assert added.returncode == 0, added.stderr
    job_id = f"{JOB_PREFIX}{json.loads(cli('schedule', 'list', '--json', '--db', db).stdout)[0]['id']}"
    log = tmp_path / "scheduler.log"

    def runs() -> list[dict[str, Any]]:
        return list(json.loads(cli("history", "--applicant", "Acme", "--json", "--db", db).stdout))

    def next_run_time() -> datetime | None:
        store = _job_store(db)
        try:
            job = store.lookup_job(job_id)
            return job.next_run_time if job is not None else None
        finally:
            store.shutdown()

    def scheduler_until(done: Callable[[], bool], what: str) -> None:
        """Run the scheduler until `done()` holds (polled a bounded number of times), then stop it."""
        proc = subprocess.Popen(
            [str(BIN), "-v", "scheduler", "--db", db],
            env=ENV,
            preexec_fn=default_signals,
            text=True,
            stdout=log.open("a"),  # a file, not a pipe nobody reads: a full pipe would block the scheduler
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            for _ in range(600):
                if done():
                    break
                assert proc.poll() is None, f"the scheduler exited:\n{log.read_text()[-3000:]}"
                time.sleep(0.2)
            else:
                raise AssertionError(f"{what} did not happen:\n{log.read_text()[-3000:]}")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise AssertionError(f"the scheduler did not stop on SIGTERM:\n{log.read_text()[-3000:]}") from None

    scheduler_until(lambda: next_run_time() is not None, "the schedule reaching the job store")
    regular = next_run_time()
    assert regular is not None and runs() == []  # the first run is an hour away

    store = _job_store(db)  # the scheduler is down: three due runs go by
    job = store.lookup_job(job_id)
    job._modify(next_run_time=regular - timedelta(hours=3))
    store.update_job(job)
    store.shutdown()

    scheduler_until(lambda: any(r["status"] == "complete" for r in runs()), "the catch-up run")
    history = runs()
    assert [r["status"] for r in history] == ["complete"], history  # three missed runs, one catch-up: coalesced
    assert next_run_time() == regular  # the next run is the schedule's own, an hour after the last missed one


def test_two_processes_writing_at_once_lose_nothing(serve: Any, db_url: str) -> None:
    server = serve(classic_site())
    procs = [
        subprocess.Popen(
            [str(BIN), "crawl", server.url("/"), "--applicant", f"P{i}", "--as-of", AS_OF.isoformat(), "--db", db_url],
            env=ENV,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(2)
    ]
    for proc in procs:
        _, stderr = proc.communicate(timeout=180)
        assert proc.returncode == 0, stderr
    runs = json.loads(cli("history", "--json", "--db", db_url).stdout)
    assert sorted(r["applicant"] for r in runs) == ["P0", "P1"]
    for run in runs:
        document = json.loads(cli("export", run["id"], "--db", db_url).stdout)
        assert document["run"]["pages_fetched"] == 12  # twelve pages besides robots.txt
        assert run["checks"] == {"3.1": "met", "2.2": "met", "3.2": "met"}


@pytest.mark.parametrize(
    ("text_", "seconds"), [("30d", 2592000), ("12h", 43200), ("90m", 5400), ("45s", 45), ("2w", 1209600)]
)
def test_every(text_: str, seconds: int) -> None:
    assert parse_every(text_) == seconds


@pytest.mark.integration  # the CLI as a process
def test_bad_every_is_exit_2(tmp_path: Path) -> None:
    result = cli(
        "schedule",
        "add",
        "https://p.com/",
        "--applicant",
        "P",
        "--every",
        "monthly",
        "--db",
        f"sqlite:///{tmp_path}/e.db",
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "error: --every: expected a number and a unit (s, m, h, d, w), like 30d; got 'monthly'"
    )


def test_schedule_list_shows_intervals_as_given_and_options_as_flags(db_url: str) -> None:
    home = "https://www.acme-cloud.example/"
    added = cli(
        "schedule", "add", home, "--applicant", "Acme", "--every", "14d", "--delay", "0.5", "--allow-private",
        "--user-agent", "auditcrawl (audit team; +https://audits.example)", "--db", db_url,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = cli("schedule", "list", "--db", db_url)
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if "Acme" in line)
    assert "14d" in row and "1209600" not in row and "{" not in listed.stdout
    assert "--delay 0.5 --user-agent 'auditcrawl (audit team; +https://audits.example)' --allow-private" in " ".join(
        listed.stdout.replace("│", " ").split()
    )
    (schedule,) = json.loads(cli("schedule", "list", "--json", "--db", db_url).stdout)
    assert (schedule["every"], schedule["every_seconds"]) == ("14d", 14 * 86400)
    assert schedule["options"] == {
        "delay": 0.5,
        "allow_private": True,
        "user_agent": "auditcrawl (audit team; +https://audits.example)",
    }
