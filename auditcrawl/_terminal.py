"""Terminal rendering with rich: live crawl progress and the verdict table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from auditcrawl.rules import CASE_STUDIES, CHECK_IDS

from .report import ELEMENT_LABELS, short_path

__all__ = ["STATUS_STYLE", "crawl_progress", "print_runs", "print_verdicts"]

STATUS_STYLE = {"met": "bold green", "not_met": "bold red", "needs_review": "bold yellow"}
STATUS_SHORT = {"met": "met", "not_met": "not met", "needs_review": "review"}  # for tables in 80 columns
RECENT_SHORT = "≤18m"


@contextmanager
def crawl_progress(console: Console, max_pages: int) -> Iterator[Any]:
    """A live line: pages fetched / queued and the URL being fetched. Yields the update callback."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]crawling[/]"),
        BarColumn(),
        TextColumn("{task.completed} fetched, {task.fields[queued]} queued"),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.fields[url]}", justify="left"),
        console=console,
        transient=True,
    )
    task = progress.add_task("crawl", total=max_pages, queued=0, url="")

    def update(fetched: int, queued: int, url: str) -> None:
        progress.update(task, completed=fetched, queued=queued, url=url[-70:])

    with progress:
        yield update


def print_verdicts(console: Console, document: Mapping[str, Any]) -> None:
    """The verdict table, then each check's evidence with click paths and what was rejected."""
    run = document["run"]
    home = run["home_url"]
    console.print(
        Text.assemble(
            ("Run ", "bold"),
            (run["id"], "bold cyan"),
            f"  {run['home_url']}  as of {run['as_of']}  ",
            (run["status"], "bold"),
            f"  {run['pages_fetched']} pages fetched",
        )
    )
    if run.get("coverage"):
        console.print(Text(f"  coverage: {run['coverage']['summary']}"), overflow="fold")
    for note in run["notes"]:
        console.print(Text(f"  note: {note}", style="dim"))
    table = Table(expand=True)
    table.add_column("Check", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Summary", overflow="fold")
    for check_id, check in document["checks"].items():
        status = Text(check["status"], style=STATUS_STYLE.get(check["status"], ""))
        if check.get("tool_status", check["status"]) != check["status"]:
            status.append(f" (crawl alone: {check['tool_status']})", style="dim")  # an auditor's decision applies
        table.add_row(check_id, status, check["summary"])
    console.print(table)
    for check_id, check in document["checks"].items():
        console.print(Text(f"{check_id}  {check['status']}", style=STATUS_STYLE.get(check["status"], "bold")))
        cited = [e for e in check["evidence"] if e.get("cited", True)]
        for item in cited:
            date = f"  published {item['published']}" if item.get("published") else ""
            console.print(Text(f"  + {item['url']}{date}", style="green"), overflow="fold")
            path = item.get("click_path") or []
            if len(path) > 1:
                console.print(
                    Text("      path: " + " > ".join(short_path(u, home) for u in path), style="dim"), overflow="fold"
                )
        listed = len(check["evidence"]) - len(cited)
        if listed:
            console.print(Text(f"  + … {listed} more counted (listed in the export and the report)", style="green"))
        for item in check["rejected"][:8]:
            reason = item["reasons"][0] if item["reasons"] else ""
            console.print(Text(f"  - {short_path(item['url'], home)}: {reason}", style="red"), overflow="fold")
        if len(check["rejected"]) > 8:
            console.print(Text(f"    … {len(check['rejected']) - 8} more rejected (see the JSON export)", style="dim"))
        if check["status"] != "met":
            for reason in check["reasons"][:5]:
                console.print(Text(f"  ! {reason}", style="yellow"), overflow="fold")
    _print_completeness(console, document, home)
    _print_claims(console, document, home)


def _print_completeness(console: Console, document: Mapping[str, Any], home: str) -> None:
    """2.1.3 / 2.1.4: the eight elements of each counted case study. Short column names, explained
    in a legend below, keep the table readable in an 80-column terminal."""
    items = [e for e in document["checks"][CASE_STUDIES]["evidence"] if e.get("completeness")]
    if not items:
        return
    table = Table(title="Case-study completeness (2.1.4) and recency (2.1.3)", box=box.SIMPLE_HEAD)
    table.add_column("case study", overflow="fold", ratio=1)
    for _, _, short in ELEMENT_LABELS:
        table.add_column(short, justify="center", no_wrap=True)
    table.add_column(RECENT_SHORT, justify="center", no_wrap=True)
    yes, no, unknown = Text("yes", style="green"), Text("no", style="red"), Text("?", style="yellow")
    for item in items:
        c = item["completeness"]
        marks = [yes if c["elements"][key] else no for key, _, _ in ELEMENT_LABELS]
        if c.get("anonymised"):
            marks[0] = Text("anon", style="yellow")
        recent = {True: yes, False: no, None: unknown}[c.get("within_18_months")]
        table.add_row(short_path(item["url"], home), *marks, recent)
    console.print(table)
    legend = [f"{short}: {label}" for _, label, short in ELEMENT_LABELS]
    legend.append(f"{RECENT_SHORT}: completed within 18 months · anon: customer anonymised")
    console.print(Text("  " + " · ".join(legend), style="dim"))


def _print_claims(console: Console, document: Mapping[str, Any], home: str) -> None:
    if "claims" not in document:
        return
    table = Table(title="Applicant claims", expand=True)
    for column in ("claimed as", "URL", "verdict", "why"):
        table.add_column(column, overflow="fold")
    for claim in document["claims"]:
        style = "green" if claim["verdict"] == "ok" else "red"
        table.add_row(
            claim["claimed_as"].replace("_", " "),
            short_path(claim["url"], home),
            Text(claim["verdict"], style=style),
            "; ".join(claim["reasons"][:2]),
        )
    console.print(table)


def print_runs(console: Console, runs: Sequence[Mapping[str, Any]]) -> None:
    """Stored runs, newest first. The id is always shown whole (it is what export, report and
    --resume take); applicant, site and start share one column that wraps, so 80 columns suffice."""
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("run id", no_wrap=True, min_width=12)
    table.add_column("applicant, site, started", overflow="fold", ratio=1)
    table.add_column("as of", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for check_id in CHECK_IDS:
        table.add_column(check_id, no_wrap=True)
    for run in runs:
        checks = run.get("checks", {})
        started = str(run["started_at"]).replace("T", " ")[:16]
        who = "\n".join(filter(None, [run.get("applicant"), run["home_url"], f"started {started}"]))
        table.add_row(
            run["id"],
            who,
            run["as_of"],
            run["status"],
            *(
                Text(STATUS_SHORT.get(checks.get(c, ""), "-"), style=STATUS_STYLE.get(checks.get(c, ""), ""))
                for c in CHECK_IDS
            ),
        )
    console.print(table)
