"""Batch benchmark: a roster of local sites audited as one round, against the same audits one after
another.

    .venv/bin/python bench/batch.py [--sites 20] [--delay 0.2] [--latency 0.05] [--concurrency 4]

Serves N copies of the bundled demo site on loopback ports (each page answered after `--latency`
seconds, as a remote server would), then audits them twice into fresh SQLite files: one `crawl`
after another, and as one `batch` round (the crawl concurrency shared out among the sites, each
site's politeness `--delay` kept). Prints both wall times, the ratio, and whether the verdicts agree.
Screenshots are off in both. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from auditcrawl.batch import read_roster, run_batch
from auditcrawl.demo import demo_routes
from auditcrawl.pipeline import run_audit
from auditcrawl.settings import Settings, load_settings
from auditcrawl.siteserver import SiteServer
from auditcrawl.storage import Store


def settings_for(db: str, args: argparse.Namespace) -> Settings:
    flags: dict[str, Any] = {"db": db, "delay": args.delay, "concurrency": args.concurrency, "allow_private": True}
    settings = load_settings(None, {}, flags)
    return dataclasses.replace(settings, crawl=dataclasses.replace(settings.crawl, screenshots=False, render="never"))


async def one_after_another(urls: list[str], db: str, args: argparse.Namespace) -> dict[str, tuple[str, ...]]:
    verdicts = {}
    async with Store(db) as store:
        for i, url in enumerate(urls):
            report = await run_audit(url, settings_for(db, args), store, applicant=f"Partner {i:02d}")
            verdicts[f"Partner {i:02d}"] = tuple(report.checks[c].status for c in ("3.1", "2.2", "3.2"))
    return verdicts


async def as_a_round(roster: Path, db: str, args: argparse.Namespace) -> dict[str, tuple[str, ...]]:
    async with Store(db) as store:
        states = await run_batch(read_roster(roster), settings_for(db, args), store)
    return {s.row.applicant: tuple(s.checks[c] for c in ("3.1", "2.2", "3.2")) for s in states}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2, help="politeness: seconds between requests to one host")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds each page takes to answer")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    servers = [SiteServer({}).start() for _ in range(args.sites)]
    try:
        for server in servers:
            routes = demo_routes(server.base_url)
            server.set_routes({path: dataclasses.replace(p, delay=args.latency) for path, p in routes.items()})
        urls = [server.base_url + "/" for server in servers]
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
            roster = Path(tmp) / "roster.csv"
            with roster.open("w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["applicant", "home_url"])
                writer.writerows([f"Partner {i:02d}", url] for i, url in enumerate(urls))
            started = time.perf_counter()
            alone = asyncio.run(one_after_another(urls, f"sqlite:///{tmp}/alone.db", args))
            sequential = time.perf_counter() - started
            started = time.perf_counter()
            together = asyncio.run(as_a_round(roster, f"sqlite:///{tmp}/round.db", args))
            batch = time.perf_counter() - started
    finally:
        for server in servers:
            server.stop()
    same = sum(alone[name] == together.get(name) for name in alone)
    print(f"{args.sites} sites, delay {args.delay}s, latency {args.latency}s, concurrency {args.concurrency}")
    print(f"one after another: {sequential:.1f} s")
    print(f"as one batch round: {batch:.1f} s (x{batch / sequential:.2f})")
    print(f"verdicts alike: {same}/{len(alone)}")
    return 0 if same == len(alone) else 1


if __name__ == "__main__":
    sys.exit(main())
