"""Verdicts on real company websites against an auditor's labels (../shared/realsites-dev).

Each site's web root is served on loopback under its own host name (a resolver override; links
to the site's own https origin reach the same copy), audited at the label's audit date with the
default settings (no delay between requests, no screenshots: the verdicts are what is measured),
and each check's verdict is printed beside the auditor's:

    acceptable  the verdict is one the labels accept for that check
    exact       the verdict is the auditor's own
    false met   `met` where the auditor says `not_met` (never acceptable)

    python bench/realsites.py [--sites DIR] [--only NAME ...] [--max-pages N] [--reasons]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from auditcrawl.crawler import Network
from auditcrawl.pipeline import run_audit
from auditcrawl.review import load_run
from auditcrawl.rules import Decisions
from auditcrawl.settings import Settings, load_settings
from auditcrawl.siteserver import LoopbackTransport, SiteServer, folders_resolver
from auditcrawl.storage import Store, build_export

HERE = Path(__file__).resolve().parent
DEFAULT_SITES = HERE.parent.parent / "shared" / "realsites-dev"
CHECKS = ("3.1", "2.2", "3.2")


@dataclass
class Verdict:
    site: str
    check: str
    status: str
    label: str
    accept: list[str]
    reasons: list[str]

    @property
    def acceptable(self) -> bool:
        return self.status in self.accept

    @property
    def exact(self) -> bool:
        return self.status == self.label

    @property
    def false_met(self) -> bool:
        return self.status == "met" and self.label == "not_met"


@dataclass
class SiteRun:
    name: str
    verdicts: list[Verdict]
    pages: int
    seconds: float
    coverage: dict[str, Any]
    judged_again_differs: list[str]  # checks whose verdict differs when the stored run is judged again


def settings_for(db: str, as_of: date, max_pages: int | None) -> Settings:
    flags: dict[str, Any] = {"allow_private": True, "delay": 0.0, "as_of": as_of.isoformat(), "db": db}
    if max_pages is not None:
        flags["max_pages"] = max_pages
    settings = load_settings(None, {}, flags)
    return dataclasses.replace(settings, crawl=dataclasses.replace(settings.crawl, screenshots=False))


async def audit_site(sites: Path, entry: dict[str, Any], labels: dict[str, Any], max_pages: int | None) -> SiteRun:
    name, host = entry["name"], entry["host"]
    names = [host, f"www.{host}"]
    as_of = date.fromisoformat(labels["as_of"])
    with (
        tempfile.TemporaryDirectory(prefix="realsites-") as tmp,
        SiteServer(folders_resolver({n: sites / name for n in names})) as server,
    ):
        settings = settings_for(f"sqlite:///{tmp}/audit.db", as_of, max_pages)
        started = time.perf_counter()
        async with Store(settings.storage.db) as store:
            report = await run_audit(
                f"https://{host}/",
                settings,
                store,
                applicant=name,
                network=Network(transport=LoopbackTransport(server, names)),
            )
            document = await build_export(store, report.run_id)
            seconds = time.perf_counter() - started
            # What `decide` recomputes: the run read back from storage and judged again, with no decision.
            again = (await load_run(store, report.run_id, settings)).judge(Decisions()).final
        differs = [
            c
            for c in CHECKS
            if (again[c].status, again[c].reasons) != (report.checks[c].status, report.checks[c].reasons)
        ]
    verdicts = []
    for check in CHECKS:
        got = document["checks"][check]
        label = labels[check]
        verdicts.append(Verdict(name, check, got["status"], label["verdict"], label["accept"], got["reasons"]))
    run = document["run"]
    return SiteRun(name, verdicts, run["pages_fetched"], seconds, run.get("coverage") or {}, differs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=Path, default=DEFAULT_SITES)
    parser.add_argument("--only", nargs="*", default=None, help="site names to audit (default: all)")
    parser.add_argument("--max-pages", type=int, default=None, help="default: the configured page limit")
    parser.add_argument("--reasons", action="store_true", help="print each verdict's reasons")
    args = parser.parse_args()
    if not (args.sites / "MANIFEST.json").is_file():
        print(f"no realsites set at {args.sites} (MANIFEST.json missing)", file=sys.stderr)
        return 2
    manifest = json.loads((args.sites / "MANIFEST.json").read_text())
    labels = json.loads((args.sites / "LABELS.json").read_text())
    runs = []
    print(f"{'site':14} {'check':5} {'verdict':13} {'auditor':13} {'':10}")
    for entry in manifest:
        if args.only and entry["name"] not in args.only:
            continue
        run = asyncio.run(audit_site(args.sites, entry, labels[entry["name"]], args.max_pages))
        runs.append(run)
        for v in run.verdicts:
            mark = "FALSE MET" if v.false_met else "exact" if v.exact else "accepted" if v.acceptable else "WRONG"
            print(f"{v.site:14} {v.check:5} {v.status:13} {v.label:13} {mark}")
            if args.reasons:
                for reason in v.reasons:
                    print(f"{'':20}- {reason}")
        covered = run.coverage.get("summary", "")
        print(f"{'':14} {run.pages} pages in {run.seconds:.1f} s {covered}")
    verdicts = [v for run in runs for v in run.verdicts]
    print(
        f"summary: {sum(v.acceptable for v in verdicts)}/{len(verdicts)} acceptable, "
        f"{sum(v.exact for v in verdicts)}/{len(verdicts)} exact, {sum(v.false_met for v in verdicts)} false met"
    )
    differing = [f"{run.name} {c}" for run in runs for c in run.judged_again_differs]
    same = len(verdicts) - len(differing)
    print(f"judged again from storage: {same}/{len(verdicts)} verdicts identical {', '.join(differing)}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
