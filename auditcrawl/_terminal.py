"""Terminal rendering with rich: live crawl progress and the verdict table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from auditcrawl.rules import CASE_STUDIES, CHECK_IDS

from .report import ELEMENT_LABELS, short_path

__all__ = ["STATUS_STYLE", "crawl_progress", "print_runs", "print_verdicts"]

STATUS_STYLE = {"met": "bold green", "not_met": "bold red", "needs_review": "bold yellow"}


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
    for note in run["notes"]:
        console.print(Text(f"  note: {note}", style="dim"))
    table = Table(expand=True)
    table.add_column("Check", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Summary", overflow="fold")
    for check_id, check in document["checks"].items():
        table.add_row(check_id, Text(check["status"], style=STATUS_STYLE.get(check["status"], "")), check["summary"])
    console.print(table)
    for check_id, check in document["checks"].items():
        console.print(Text(f"{check_id}  {check['status']}", style=STATUS_STYLE.get(check["status"], "bold")))
        for item in check["evidence"]:
            date = f"  published {item['published']}" if item.get("published") else ""
            console.print(Text(f"  + {item['url']}{date}", style="green"), overflow="fold")
            path = item.get("click_path") or []
            if len(path) > 1:
                console.print(
                    Text("      path: " + " > ".join(short_path(u, home) for u in path), style="dim"), overflow="fold"
                )
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
    """2.1.3 / 2.1.4: the eight elements of each counted case study."""
    items = [e for e in document["checks"][CASE_STUDIES]["evidence"] if e.get("completeness")]
    if not items:
        return
    table = Table(title="Case-study completeness (2.1.4) and recency (2.1.3)", expand=True)
    table.add_column("case study", overflow="fold")
    for _, header in ELEMENT_LABELS:
        table.add_column(header, justify="center")
    table.add_column("≤18 months", justify="center")
    for item in items:
        c = item["completeness"]
        marks = [
            Text("yes", style="green") if c["elements"][key] else Text("no", style="red") for key, _ in ELEMENT_LABELS
        ]
        if c.get("anonymised"):
            marks[0] = Text("anonymised", style="yellow")
        recent = {True: Text("yes", style="green"), False: Text("no", style="red"), None: Text("?", style="yellow")}[
            c.get("within_18_months")
        ]
        table.add_row(short_path(item["url"], home), *marks, recent)
    console.print(table)


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
    table = Table()
    for column in ("id", "applicant", "home_url", "as_of", "started_at", "status", *CHECK_IDS):
        table.add_column(column)
    for run in runs:
        checks = run.get("checks", {})
        table.add_row(
            run["id"],
            run.get("applicant") or "",
            run["home_url"],
            run["as_of"],
            run["started_at"],
            run["status"],
            *(Text(checks.get(c, "-"), style=STATUS_STYLE.get(checks.get(c, ""), "")) for c in CHECK_IDS),
        )
    console.print(table)
