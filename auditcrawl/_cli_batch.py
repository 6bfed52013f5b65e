"""`auditcrawl batch`: a roster of applicants audited in one round, with a live display and a summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Group
from rich.live import Live
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from auditcrawl.rules import CHECK_IDS
from auditcrawl.storage import Store

from ._cli_common import (
    AllowPrivateOpt,
    AsOfOpt,
    ConcurrencyOpt,
    ConfigOpt,
    DbOpt,
    DelayOpt,
    MaxPagesOpt,
    RenderOpt,
    UserAgentOpt,
    app,
    check_writable,
    out,
    run_async,
    settings_from,
    write_bytes,
)
from ._exceptions import InputFileError
from ._terminal import STATUS_STYLE
from .batch import SUMMARY_FORMATS, RowState, read_roster, run_batch, summary_bytes, summary_rows

__all__ = ["batch"]


def _table(states: list[RowState]) -> Table:
    """One line per applicant: what it is doing, pages, time, and the verdicts once they settle."""
    now = time.monotonic()
    table = Table(expand=True)
    for column in ("Applicant", "State", "Pages", "Time", "3.1", "2.2", "3.2", "Run"):
        table.add_column(column, overflow="fold")
    for s in states:
        verdicts = [Text(s.checks.get(c, ""), style=STATUS_STYLE.get(s.checks.get(c, ""), "")) for c in CHECK_IDS]
        state = Text(s.error[:60], style="red") if s.error else Text(s.state)
        table.add_row(s.row.applicant, state, str(s.pages), f"{s.elapsed(now):.0f}s", *verdicts, s.run_id or "")
    return table


@app.command()
def batch(
    roster_file: Annotated[Path, typer.Argument(metavar="ROSTER.(csv|xlsx)", help="The applicants, one a row.")],
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write the summary here (.csv, .xlsx or .json).", show_default=False),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Write each applicant's report as a PDF.")] = False,
    reports: Annotated[
        Path | None,
        typer.Option(
            help="Folder of the reports (default: auditcrawl-reports beside the summary).", show_default=False
        ),
    ] = None,
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    max_pages: MaxPagesOpt = None,
    delay: DelayOpt = None,
    concurrency: ConcurrencyOpt = None,
    render: RenderOpt = None,
    user_agent: UserAgentOpt = None,
    allow_private: AllowPrivateOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Audit every applicant of a roster: one run each, a summary row each, a report each.
    Run it again after an interruption: finished applicants are kept, the others finished."""
    if out_file is not None:
        if out_file.suffix.lower() not in SUMMARY_FORMATS:
            raise InputFileError(f"{out_file}: a summary is {', '.join(SUMMARY_FORMATS)}")
        check_writable(out_file)
    settings = settings_from(
        config,
        db=db,
        as_of=as_of,
        max_pages=max_pages,
        delay=delay,
        concurrency=concurrency,
        render=render,
        user_agent=user_agent,
        allow_private=allow_private,
    )
    roster = read_roster(roster_file)  # the whole roster is checked before anything starts
    folder = reports or (out_file.parent if out_file is not None else Path(".")) / "auditcrawl-reports"
    overall = Progress(TextColumn("[bold]applicants"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    task = overall.add_task("round", total=len(roster.rows))
    states: list[RowState] = []

    with Live(console=out, refresh_per_second=4, transient=False) as live:

        def update(state: RowState) -> None:
            if state not in states:
                states.append(state)
            overall.update(task, completed=sum(s.finished is not None for s in states))
            live.update(Group(_table(states), overall))

        async def go() -> list[RowState]:
            async with Store(settings.storage.db) as store:
                return await run_batch(roster, settings, store, update=update, reports=folder, pdf=pdf)

        finished = run_async(go())
    rows = summary_rows(roster, finished)
    if out_file is not None:
        write_bytes(out_file, summary_bytes(out_file, roster, rows))
        out.print(f"summary written to {out_file}")
    kept = sum(s.state == "kept" for s in finished)
    errors = sum(s.state == "error" for s in finished)
    out.print(
        f"{len(finished)} applicant(s): {len(finished) - kept - errors} audited, {kept} kept from before, "
        f"{errors} failed; reports in {folder}"
    )
