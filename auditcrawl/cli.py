"""The `auditcrawl` command line. The only place that configures logging and prints."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.logging import RichHandler

from auditcrawl.rules import Claims
from auditcrawl.storage import Store, build_export

from . import _cli_batch, _cli_evidence, _cli_review, _cli_web  # noqa: F401  batch; report, bundle, verify, show; review, decide; serve
from ._cli_common import (
    AllowPrivateOpt,
    ArchiveResourcesOpt,
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
    err,
    load_exports,
    out,
    run_async,
    settings_from,
    write_json,
    write_text,
)
from ._cli_rechecks import history  # and registers schedule, scheduler, recheck, diff
from ._exceptions import AuditcrawlError, InputFileError, UsageError
from ._terminal import crawl_progress, print_verdicts
from .claims import load_claims
from .pipeline import inspect_urls, run_audit, validate_url
from .report import render_report
from .resume import resume_audit
from .screenshots import data_folder
from .settings import Settings

__all__ = ["app", "main"]

log = logging.getLogger("auditcrawl")


async def _audit(
    home_url: str | None,
    settings: Settings,
    applicant: str | None,
    json_out: Path | None,
    claims: Claims | None = None,
    resume: str | None = None,
) -> dict[str, Any]:
    async with Store(settings.storage.db) as store:
        with crawl_progress(err, settings.crawl.max_pages) as update:
            # Only the run id is kept: the crawl's pages and graph are freed before the export is built.
            if resume is not None:
                run_id = (await resume_audit(resume, settings, store, on_progress=update)).run_id
            else:
                assert home_url is not None
                run_id = (
                    await run_audit(home_url, settings, store, applicant=applicant, on_progress=update, claims=claims)
                ).run_id
        document = await build_export(store, run_id)
    if json_out is not None:
        write_json(json_out, document)
    print_verdicts(out, document)
    if json_out is not None:
        out.print(f"JSON written to {json_out}")
    return document


@app.callback()
def _root(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv for debug).")] = 0,
) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, format="%(name)s: %(message)s", handlers=[RichHandler(console=err, show_path=False)]
    )
    for noisy in ("httpx", "httpcore", "aiosqlite", "htmldate", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


@app.command()
def crawl(
    home_url: Annotated[
        str | None, typer.Argument(help="The partner's home page URL.", metavar="HOME_URL", show_default=False)
    ] = None,
    applicant: Annotated[str | None, typer.Option(help="The applicant's name, stored with the run.")] = None,
    as_of: AsOfOpt = None,
    claims_file: Annotated[
        Path | None,
        typer.Option("--claims", help="JSON or TOML with the URLs the applicant submitted.", show_default=False),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the JSON export to this file.", show_default=False)
    ] = None,
    db: DbOpt = None,
    max_pages: MaxPagesOpt = None,
    delay: DelayOpt = None,
    concurrency: ConcurrencyOpt = None,
    render: RenderOpt = None,
    archive_resources: ArchiveResourcesOpt = None,
    user_agent: UserAgentOpt = None,
    allow_private: AllowPrivateOpt = None,
    full: Annotated[
        bool | None, typer.Option("--full", help="Crawl on after every check is met.", show_default=False)
    ] = None,
    resume: Annotated[
        str | None,
        typer.Option(
            "--resume",
            metavar="RUN_ID",
            help="Finish a run whose crawl was killed, with the settings it started with.",
            show_default=False,
        ),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Crawl a partner's site and decide 3.1, 2.2 and 3.2 with evidence."""
    settings = settings_from(
        config,
        as_of=as_of,
        db=db,
        max_pages=max_pages,
        delay=delay,
        concurrency=concurrency,
        render=render,
        archive_resources=archive_resources,
        user_agent=user_agent,
        allow_private=allow_private,
        full=full,
    )
    if resume is not None:
        if home_url is not None or claims_file is not None or applicant is not None:
            raise UsageError(
                "--resume takes the home URL, applicant and claims of the run it finishes: give none of them"
            )
        given = [
            name
            for name, value in (
                ("--as-of", as_of),
                ("--max-pages", max_pages),
                ("--delay", delay),
                ("--concurrency", concurrency),
                ("--render", render),
                ("--archive-resources", archive_resources),
                ("--user-agent", user_agent),
                ("--allow-private", allow_private),
                ("--full", full),
            )
            if value is not None
        ]
        if given:
            raise UsageError(f"--resume keeps the run's own settings: drop {', '.join(given)}")
    elif home_url is None:
        raise UsageError("give the partner's home page URL (or --resume RUN_ID)")
    home = validate_url(home_url) if home_url is not None else None
    claims = load_claims(claims_file, home) if claims_file is not None and home is not None else None
    if json_out is not None:
        check_writable(json_out)
    run_async(_audit(home_url, settings, applicant, json_out, claims, resume))


@app.command()
def inspect(
    urls: Annotated[list[str] | None, typer.Argument(help="URLs to fetch and analyse.", show_default=False)] = None,
    urls_file: Annotated[
        Path | None, typer.Option("--urls-file", help="A file with one URL per line.", show_default=False)
    ] = None,
    as_of: AsOfOpt = None,
    delay: DelayOpt = None,
    concurrency: ConcurrencyOpt = None,
    user_agent: UserAgentOpt = None,
    allow_private: AllowPrivateOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Fetch each URL (obeying robots.txt) and print one JSON object per line."""
    settings = settings_from(
        config, as_of=as_of, delay=delay, concurrency=concurrency, user_agent=user_agent, allow_private=allow_private
    )
    targets = list(urls or [])
    if urls_file is not None:
        try:
            lines = urls_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(f"{urls_file}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
        targets += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not targets:
        raise UsageError("give at least one URL, or --urls-file")

    async def go() -> None:
        async for record in inspect_urls(targets, settings):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            sys.stdout.flush()

    run_async(go())


@app.command()
def export(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix of at least 4 characters).")],
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of standard output.", show_default=False)
    ] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Print a run's JSON document (schema_version 1)."""
    if out_file is not None:
        check_writable(out_file)
    (document,) = load_exports(settings_from(config, db=db), run_id)
    if out_file is None:
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        write_json(out_file, document)


@app.command()
def runs(
    applicant: Annotated[str | None, typer.Option(help="Only this applicant's runs.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List stored runs, newest first, with their three verdicts."""
    history(applicant=applicant, as_json=as_json, db=db, config=config)


@app.command()
def demo(
    db: DbOpt = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the JSON export to this file.", show_default=False)
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Serve the bundled sample partner site on 127.0.0.1 and audit it."""
    from .demo import DemoSite

    settings = settings_from(config, db=db, delay=0.0, allow_private=True)
    if json_out is not None:
        check_writable(json_out)
    with DemoSite() as site:
        out.print(f"Serving the sample partner site at {site.url}")
        document = run_async(_audit(site.url, settings, "Northwind Cloud Partners (demo)", json_out))
    report_path = data_folder(settings.storage.db) / "reports" / f"{document['run']['id']}.html"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    write_text(report_path, render_report(document))
    out.print(f"HTML report: {report_path}")
    db_flag = "" if db is None else f" --db {db}"
    out.print(
        f"Web workspace: run `auditcrawl serve{db_flag}` and open http://127.0.0.1:8000/runs/{document['run']['id']}"
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point: exit 0 when the run finished, 2 for bad input, 1 for an internal failure."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="auditcrawl", standalone_mode=False)
    except typer.Abort:
        err.print("aborted", markup=False)
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: unknown flag, missing argument, bad value
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        err.print(f"error: {message}", markup=False)
        sys.exit(getattr(exc, "exit_code", 2))
    except KeyboardInterrupt:
        err.print("interrupted: what was fetched is stored; the run is marked partial", markup=False)
        sys.exit(130)
    except AuditcrawlError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except Exception as exc:  # an internal failure: one line here, the traceback with -vv
        log.debug("internal failure", exc_info=True)
        err.print(f"internal error: {type(exc).__name__}: {exc} (run with -vv for details)", markup=False)
        sys.exit(1)
    if code == 130:  # typer turns Ctrl-C into exit code 130 before it reaches us
        err.print("interrupted: what was fetched is stored; the run is marked partial", markup=False)
    sys.exit(code if isinstance(code, int) else 0)
