"""Commands for rechecks over time: schedule, scheduler, recheck, history, diff."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from auditcrawl.rules import diff_runs
from auditcrawl.storage import (
    Store,
    due_schedules,
    get_partner,
    list_schedules,
    remove_schedule,
)

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
    load_exports,
    out,
    run_async,
    settings_from,
    with_store,
)
from ._exceptions import UsageError
from ._terminal import STATUS_STYLE, print_runs
from .claims import load_claims
from .overview import run_rows, schedule_rows
from .pipeline import validate_url
from .rechecks import REGRESSION_EXIT_CODE, RecheckOutcome, parse_every, recheck_partner, schedule_recheck
from .settings import OPTION_FIELDS

__all__: list[str] = []  # commands only (registered on the app)

schedule_app = typer.Typer(help="Rechecks of approved partners on a schedule.", no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")


def _flags(**given: Any) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v is not None and k in OPTION_FIELDS}


@schedule_app.command("add")
def schedule_add(
    home_url: Annotated[str, typer.Argument(metavar="HOME_URL", show_default=False)],
    applicant: Annotated[str, typer.Option(help="The partner's name.", show_default=False)],
    every: Annotated[str, typer.Option(help="Interval: 30d, 12h, 90m…", show_default=False)],
    webhook: Annotated[
        str | None, typer.Option(help="POST regression alerts (JSON) to this URL.", show_default=False)
    ] = None,
    claims_file: Annotated[
        Path | None, typer.Option("--claims", help="The partner's claims (JSON or TOML).", show_default=False)
    ] = None,
    db: DbOpt = None,
    delay: DelayOpt = None,
    concurrency: ConcurrencyOpt = None,
    max_pages: MaxPagesOpt = None,
    render: RenderOpt = None,
    user_agent: UserAgentOpt = None,
    allow_private: AllowPrivateOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Mark a partner approved and recheck it every interval, with the crawl options given here."""
    home = validate_url(home_url)
    seconds = parse_every(every)
    if webhook is not None:
        validate_url(webhook)
    claims = load_claims(claims_file, home) if claims_file is not None else None
    options = _flags(
        delay=delay,
        concurrency=concurrency,
        max_pages=max_pages,
        render=render,
        user_agent=user_agent,
        allow_private=allow_private,
    )
    settings = settings_from(config, db=db, **options)  # checks the values now, not at the first recheck

    schedule_id = with_store(
        settings,
        lambda store: schedule_recheck(
            store, applicant, home, seconds, every=every.strip(), webhook=webhook, options=options, claims=claims
        ),
    )
    out.print(f"schedule {schedule_id}: {applicant} ({home}) every {every}")


@schedule_app.command("list")
def schedule_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List schedules with the options each was added with."""
    rows = with_store(settings_from(config, db=db), schedule_rows)
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table()
    for column in ("id", "applicant", "home_url", "every", "webhook", "options"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["applicant"],
            row["home_url"],
            row["every"],
            row["webhook"] or "",
            row["flags"] or "(defaults)",
        )
    out.print(table if rows else "no schedules")


@schedule_app.command("remove")
def schedule_remove(
    schedule_id: Annotated[int, typer.Argument(metavar="ID")], db: DbOpt = None, config: ConfigOpt = None
) -> None:
    """Stop rechecking a partner (its runs stay in the history)."""
    with_store(settings_from(config, db=db), lambda store: remove_schedule(store, schedule_id))
    out.print(f"schedule {schedule_id} removed")


@app.command()
def scheduler(
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    delay: DelayOpt = None,
    concurrency: ConcurrencyOpt = None,
    render: RenderOpt = None,
    user_agent: UserAgentOpt = None,
    allow_private: AllowPrivateOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Run due rechecks until stopped (SIGTERM or Ctrl-C); schedules live in the database.

    Crawl flags given here apply to every recheck, under each schedule's own options."""
    given = _flags(
        as_of=as_of,
        delay=delay,
        concurrency=concurrency,
        render=render,
        user_agent=user_agent,
        allow_private=allow_private,
    )
    settings = settings_from(config, db=db, **given)
    from .scheduler import run_scheduler  # APScheduler loads for the scheduler command only

    run_async(run_scheduler(settings.storage.db, given))


def _print_outcome(outcome: RecheckOutcome) -> None:
    if outcome.skipped:
        out.print(f"{outcome.partner}: skipped ({outcome.skipped})")
        return
    line = Text(f"{outcome.partner}: run {outcome.run_id} {outcome.run_status}")
    if outcome.run_status == "failed":
        line.append("  the run failed (site unreachable?): not counted as regressions", style="yellow")
    for change in (outcome.diff or {}).get("changes", []):
        style = "bold red" if change["regression"] else STATUS_STYLE.get(change["to"], "")
        line.append(f"\n  {change['check']} {change['from']} → {change['to']}", style=style)
        for reason in change["reasons"][:4]:
            line.append(f"\n      {reason}")
    delivered, failed = outcome.alerts
    if delivered or failed:
        line.append(f"\n  alerts: {delivered} delivered, {failed} kept for the next run")
    out.print(line)


@app.command()
def recheck(
    applicant: Annotated[
        str | None, typer.Option(help="Recheck this partner now, due or not.", show_default=False)
    ] = None,
    all_due: Annotated[bool, typer.Option("--all", help="Recheck every partner whose schedule is due.")] = False,
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    delay: DelayOpt = None,
    concurrency: ConcurrencyOpt = None,
    render: RenderOpt = None,
    user_agent: UserAgentOpt = None,
    allow_private: AllowPrivateOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Recheck now (for cron). Exit 0 when nothing regressed, 3 when a check regressed."""
    if (applicant is None) == (not all_due):
        raise UsageError("give either --applicant NAME or --all")
    given = _flags(
        as_of=as_of,
        delay=delay,
        concurrency=concurrency,
        render=render,
        user_agent=user_agent,
        allow_private=allow_private,
    )
    base = settings_from(config, db=db, **given)

    async def go() -> list[RecheckOutcome]:
        async with Store(base.storage.db) as store:
            if applicant is not None:
                partner = await get_partner(store, applicant)
                stored = {p.id: s.options for s, p in await list_schedules(store)}.get(partner.id, {})
                targets = [(partner, stored)]
            else:
                targets = [(p, s.options) for s, p in await due_schedules(store)]
            outcomes = []
            for partner, options in targets:
                # the schedule's options, then this command's flags
                settings = settings_from(config, **{**options, **given, "db": base.storage.db})
                outcomes.append(await recheck_partner(store, partner, settings))
            return outcomes

    outcomes = run_async(go())
    if not outcomes:
        out.print("nothing due")
    for outcome in outcomes:
        _print_outcome(outcome)
    if any(o.regressions for o in outcomes):
        raise typer.Exit(REGRESSION_EXIT_CODE)


@app.command()
def history(
    applicant: Annotated[str | None, typer.Option(help="Only this partner's runs.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Runs newest first with their three verdicts (`runs` is the same list)."""
    rows = with_store(settings_from(config, db=db), lambda store: run_rows(store, applicant))
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    elif rows:
        print_runs(out, rows)
    else:
        out.print("no runs stored" + (f" for {applicant}" if applicant else ""))


@app.command()
def diff(
    run_a: Annotated[str, typer.Argument(metavar="RUN_A")],
    run_b: Annotated[str, typer.Argument(metavar="RUN_B")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """What changed from RUN_A to RUN_B: per check, the status and the evidence."""
    before, after = load_exports(settings_from(config, db=db), run_a, run_b)
    result = diff_runs(before, after)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    out.print(f"{result['from_run']} → {result['to_run']} ({result['to_run_status']})")
    if not result["changes"]:
        out.print("no changes")
    for change in result["changes"]:
        style = "bold red" if change["regression"] else ""
        out.print(Text(f"{change['check']}  {change['from']} → {change['to']}", style=style))
        for reason in change["reasons"]:
            out.print(Text(f"    {reason}"), overflow="fold")
