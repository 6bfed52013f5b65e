"""What every command of the CLI shares: the app, consoles, crawl options and file helpers."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from ._exceptions import InputFileError
from .settings import Settings, load_settings

if TYPE_CHECKING:
    from auditcrawl.storage import Store

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
err = Console(stderr=True, highlight=False, soft_wrap=True)  # an error stays one line, however long

# Options shared by the commands that crawl. Each also reads AUDITCRAWL_<NAME> (see settings.py).
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="TOML config file (default: AUDITCRAWL_CONFIG).", show_default=False)
]
DbOpt = Annotated[
    str | None, typer.Option("--db", help="SQLAlchemy database URL (default: an SQLite file).", show_default=False)
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Audit date YYYY-MM-DD (default: today).", show_default=False)
]
DelayOpt = Annotated[
    float | None, typer.Option("--delay", help="Minimum seconds between two requests to one host.", show_default=False)
]
ConcurrencyOpt = Annotated[
    int | None, typer.Option("--concurrency", help="Requests in flight at once.", show_default=False)
]
UserAgentOpt = Annotated[
    str | None,
    typer.Option(
        "--user-agent", help="User-Agent header; its product token is matched in robots.txt.", show_default=False
    ),
]
MaxPagesOpt = Annotated[int | None, typer.Option("--max-pages", help="Pages to fetch at most.", show_default=False)]
RenderOpt = Annotated[str | None, typer.Option("--render", help="auto | never | always", show_default=False)]
ArchiveResourcesOpt = Annotated[
    str | None,
    typer.Option(
        "--archive-resources",
        help="Archive what the browser loads (styles, images, scripts) for: evidence (default) | all | never.",
        show_default=False,
    ),
]
AllowPrivateOpt = Annotated[
    bool | None,
    typer.Option(
        "--allow-private", help="Allow loopback, private, link-local and reserved destinations.", show_default=False
    ),
]


def settings_from(config: Path | None, **flags: Any) -> Settings:
    config_path = config or (Path(os.environ["AUDITCRAWL_CONFIG"]) if os.environ.get("AUDITCRAWL_CONFIG") else None)
    return load_settings(config_path, os.environ, flags)


def with_store(settings: Settings, work: Callable[[Store], Awaitable[T]]) -> T:
    """Open the configured database, do one piece of work with it, and close it."""
    from auditcrawl.storage import Store  # loaded when a command needs the database, not at start

    async def go() -> T:
        async with Store(settings.storage.db) as store:
            return await work(store)

    return run_async(go())


def load_exports(settings: Settings, *run_ids: str) -> list[dict[str, Any]]:
    """The JSON documents of stored runs (ids or unique prefixes), validated."""
    from auditcrawl.storage import build_export

    async def exports(store: Store) -> list[dict[str, Any]]:
        return [await build_export(store, run_id) for run_id in run_ids]

    return with_store(settings, exports)


def run_async(coro: Awaitable[T]) -> T:
    # What is loaded by now (modules, settings) lives as long as the process: kept out of the
    # collector's full passes, which otherwise walk it again and again during a long crawl.
    gc.freeze()
    # A page makes thousands of short-lived objects, few of them cycles: a young-generation pass
    # every 10,000 allocations, not every 700, halves the collector's share of a crawl.
    gc.set_threshold(10_000, 10, 10)
    return asyncio.run(coro)  # type: ignore[arg-type]


def check_writable(path: Path) -> None:
    """Fail before a long crawl, not after it, when the output cannot be written."""
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, not a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputFileError(f"{path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputFileError(f"{path}: not writable")


def write_json(path: Path, document: Any) -> None:
    write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write atomically: a reader never sees half a file, a failure leaves the old one."""
    check_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputFileError(f"{path}: cannot write ({exc.strerror})") from None
