"""The `auditcrawl` command line. The only place that configures logging and prints."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import tempfile
from collections.abc import Awaitable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler

from rules import Claims
from storage import Store, build_export

from ._exceptions import AuditcrawlError, InputFileError, UsageError
from ._terminal import crawl_progress, print_runs, print_verdicts
from .claims import load_claims
from .pipeline import inspect_urls, run_audit, validate_url
from .settings import Settings, load_settings

__all__ = ["app", "main"]

log = logging.getLogger("auditcrawl")
T = TypeVar("T")

app = typer.Typer(
    name="auditcrawl",
    help="Audit a partner's public website for AWS Industrial Software Competency checks 3.1, 2.2 and 3.2.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

# Options shared by the commands that crawl. Each also reads AUDITCRAWL_<NAME> (see settings.py).
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML config file (default: AUDITCRAWL_CONFIG).", show_default=False)]
DbOpt = Annotated[str | None, typer.Option("--db", help="SQLAlchemy database URL (default: an SQLite file).", show_default=False)]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Audit date YYYY-MM-DD (default: today).", show_default=False)]
DelayOpt = Annotated[float | None, typer.Option("--delay", help="Minimum seconds between two requests to one host.", show_default=False)]
ConcurrencyOpt = Annotated[int | None, typer.Option("--concurrency", help="Requests in flight at once.", show_default=False)]
UserAgentOpt = Annotated[str | None, typer.Option("--user-agent", help="User-Agent header; its product token is matched in robots.txt.", show_default=False)]
AllowPrivateOpt = Annotated[bool | None, typer.Option("--allow-private", help="Allow loopback, private, link-local and reserved destinations.", show_default=False)]


def _settings(config: Path | None, **flags: Any) -> Settings:
    config_path = config or (Path(os.environ["AUDITCRAWL_CONFIG"]) if os.environ.get("AUDITCRAWL_CONFIG") else None)
    return load_settings(config_path, os.environ, flags)


def _run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


def _check_writable(path: Path) -> None:
    """Fail before a long crawl, not after it, when the output cannot be written."""
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, not a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputFileError(f"{path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputFileError(f"{path}: not writable")


def _write_json(path: Path, document: Any) -> None:
    """Write atomically: a reader never sees half a file, a failure leaves the old one."""
    _check_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputFileError(f"{path}: cannot write ({exc.strerror})") from None


async def _audit(
    home_url: str, settings: Settings, applicant: str | None, json_out: Path | None, claims: Claims | None = None
) -> dict[str, Any]:
    async with Store(settings.storage.db) as store:
        with crawl_progress(err, settings.crawl.max_pages) as update:
            report = await run_audit(home_url, settings, store, applicant=applicant, on_progress=update, claims=claims)
        document = await build_export(store, report.run_id)
    if json_out is not None:
        _write_json(json_out, document)
    print_verdicts(out, document)
    if json_out is not None:
        out.print(f"JSON written to {json_out}")
    return document


@app.callback()
def _root(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv for debug).")] = 0,
) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(name)s: %(message)s", handlers=[RichHandler(console=err, show_path=False)])
    for noisy in ("httpx", "httpcore", "aiosqlite", "htmldate", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


@app.command()
def crawl(
    home_url: Annotated[str, typer.Argument(help="The partner's home page URL.", metavar="HOME_URL", show_default=False)],
    applicant: Annotated[str | None, typer.Option(help="The applicant's name, stored with the run.")] = None,
    as_of: AsOfOpt = None,
    claims_file: Annotated[Path | None, typer.Option("--claims", help="JSON or TOML with the URLs the applicant submitted.", show_default=False)] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the JSON export to this file.", show_default=False)] = None,
    db: DbOpt = None,
    max_pages: Annotated[int | None, typer.Option("--max-pages", help="Pages to fetch at most.", show_default=False)] = None,
    delay: DelayOpt = None,
    concurrency: ConcurrencyOpt = None,
    render: Annotated[str | None, typer.Option("--render", help="auto | never | always", show_default=False)] = None,
    user_agent: UserAgentOpt = None,
    allow_private: AllowPrivateOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Crawl a partner's site and decide 3.1, 2.2 and 3.2 with evidence."""
    settings = _settings(
        config, as_of=as_of, db=db, max_pages=max_pages, delay=delay, concurrency=concurrency,
        render=render, user_agent=user_agent, allow_private=allow_private,
    )
    home = validate_url(home_url)
    claims = load_claims(claims_file, home) if claims_file is not None else None
    if json_out is not None:
        _check_writable(json_out)
    _run(_audit(home_url, settings, applicant, json_out, claims))


@app.command()
def inspect(
    urls: Annotated[list[str] | None, typer.Argument(help="URLs to fetch and analyse.", show_default=False)] = None,
    urls_file: Annotated[Path | None, typer.Option("--urls-file", help="A file with one URL per line.", show_default=False)] = None,
    as_of: AsOfOpt = None,
    delay: DelayOpt = None,
    concurrency: ConcurrencyOpt = None,
    user_agent: UserAgentOpt = None,
    allow_private: AllowPrivateOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Fetch each URL (obeying robots.txt) and print one JSON object per line."""
    settings = _settings(config, as_of=as_of, delay=delay, concurrency=concurrency, user_agent=user_agent, allow_private=allow_private)
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

    _run(go())


@app.command()
def export(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix of at least 4 characters).")],
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of standard output.", show_default=False)] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Print a run's JSON document (schema_version 1)."""
    settings = _settings(config, db=db)

    async def go() -> dict[str, Any]:
        async with Store(settings.storage.db) as store:
            return await build_export(store, run_id)

    if out_file is not None:
        _check_writable(out_file)
    document = _run(go())
    if out_file is None:
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        _write_json(out_file, document)


@app.command()
def runs(
    applicant: Annotated[str | None, typer.Option(help="Only this applicant's runs.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List stored runs, newest first, with their three verdicts."""
    settings = _settings(config, db=db)

    async def go() -> list[dict[str, Any]]:
        async with Store(settings.storage.db) as store:
            rows = []
            for run in await store.list_runs(applicant):
                checks, _ = await store.run_checks(run.id)
                rows.append(
                    {
                        "id": run.id,
                        "applicant": run.applicant,
                        "home_url": run.home_url,
                        "as_of": run.as_of.isoformat(),
                        "started_at": run.started_at.isoformat(timespec="seconds"),
                        "status": run.status,
                        "pages_fetched": run.pages_fetched,
                        "checks": {c.check_id: c.status for c in checks},
                    }
                )
            return rows

    rows = _run(go())
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    elif rows:
        print_runs(out, rows)
    else:
        out.print("no runs stored" + (f" for {applicant}" if applicant else ""))


@app.command()
def demo(
    db: DbOpt = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the JSON export to this file.", show_default=False)] = None,
    config: ConfigOpt = None,
) -> None:
    """Serve the bundled sample partner site on 127.0.0.1 and audit it."""
    from .demo import DemoSite

    settings = _settings(config, db=db, delay=0.0, allow_private=True)
    if json_out is not None:
        _check_writable(json_out)
    with DemoSite() as site:
        out.print(f"Serving the sample partner site at {site.url}")
        _run(_audit(site.url, settings, "Northwind Cloud Partners (demo)", json_out))


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
    sys.exit(code if isinstance(code, int) else 0)


