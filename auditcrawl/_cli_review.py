"""Commands for the auditor's decisions: review (what needs one) and decide (record one)."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated

import typer
from rich.markup import escape

from auditcrawl.storage import Store

from ._cli_common import ConfigOpt, DbOpt, app, out, settings_from, with_store
from ._exceptions import DecisionError
from .review import DecisionRequest, Recorded, ReviewItem, auditor_name, decide, review_queue

__all__ = ["decide_command", "review"]


@app.command()
def review(
    run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="Run id (or a unique prefix).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List what needs an auditor's decision in a run, the items that would change a verdict first."""
    settings = settings_from(config, db=db)

    async def work(store: Store) -> tuple[str, list[ReviewItem]]:
        stored, items = await review_queue(store, run_id, settings)
        return stored.run.id, items

    found_run, items = with_store(settings, work)
    if as_json:
        sys.stdout.write(json.dumps([i.as_dict() for i in items], indent=2, ensure_ascii=False) + "\n")
        return
    if not items:
        out.print(f"run {found_run}: nothing waits for a decision")
        return
    out.print(f"run {found_run}: {len(items)} item(s) wait for a decision")
    for item in items:
        target = item.url or f"the check {item.check_id} itself"
        flag = " [bold](changes a verdict)[/bold]" if item.changes_verdict else ""
        out.print(f"\n{item.check_id} ({item.status}) {escape(target)}{flag}")
        if item.changed_since:
            out.print(f"  {escape(item.changed_since)}")
        for line in item.why:
            out.print(f"  - {escape(line)}")
        for line in item.would:
            out.print(f"  {escape(line)}")


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DecisionError(f"--published {value!r} is not a date YYYY-MM-DD") from None


@app.command("decide")
def decide_command(
    run_id: Annotated[str, typer.Argument(metavar="RUN_ID", help="Run id (or a unique prefix).")],
    url: Annotated[str | None, typer.Argument(metavar="URL", help="The item decided on.", show_default=False)] = None,
    accept: Annotated[
        bool | None, typer.Option("--accept/--reject", help="Accept or reject the item.", show_default=False)
    ] = None,
    reason: Annotated[str, typer.Option(help="Why (required).", show_default=False)] = "",
    by: Annotated[str | None, typer.Option(help="Who decides (default: AUDITCRAWL_AUDITOR, else the OS user).")] = None,
    published: Annotated[str | None, typer.Option(help="The item's publication date, YYYY-MM-DD.")] = None,
    on_aws: Annotated[bool, typer.Option("--on-aws", help="The item runs on AWS.")] = False,
    kind: Annotated[
        str | None, typer.Option(help="landing_page | case_study | thought_leadership | listing | other")
    ] = None,
    industrial: Annotated[
        bool | None, typer.Option("--industrial/--not-industrial", help="Industrial or not.", show_default=False)
    ] = None,
    check: Annotated[str | None, typer.Option("--check", help="Set this check's verdict (3.1, 2.2, 3.2).")] = None,
    verdict: Annotated[str | None, typer.Option(help="met | not_met (with --check).")] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Record a decision on an item (or a check's verdict) and print each check's status before -> after."""
    if (url is None) == (check is None):
        raise DecisionError("decide on a page (RUN_ID URL --accept|--reject) or on a check (--check ID --verdict)")
    request = DecisionRequest(
        run_id=run_id,
        reason=reason,
        by=auditor_name(by),
        url=url,
        accept=accept,
        published=_date(published),
        on_aws=on_aws,
        kind=kind,
        industrial=industrial,
        check_id=check,
        verdict=verdict,
    )
    settings = settings_from(config, db=db)

    async def work(store: Store) -> Recorded:
        return await decide(store, request, settings)

    recorded = with_store(settings, work)
    d = recorded.decision
    target = d.url or f"check {d.check_id}"
    out.print(f"decision {d.id} recorded: {d.decision} {escape(target)} by {escape(d.made_by)}")
    for check_id, before in recorded.before.items():
        after = recorded.after[check_id]
        mark = "" if before == after else "  (changed)"
        out.print(f"{check_id}: {before} -> {after}{mark}")
    for run_id, (before_later, after_later) in recorded.later.items():
        changes = [f"{c} {before_later.get(c)} -> {s}" for c, s in after_later.items() if before_later.get(c) != s]
        out.print(f"also applies to the later run {run_id}" + (f": {', '.join(changes)}" if changes else ""))
    for hint in recorded.hints:
        out.print(f"note: {hint}")
