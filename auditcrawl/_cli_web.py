"""`auditcrawl serve`: the web workspace over the configured database."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ._cli_common import ConfigOpt, DbOpt, app, out, run_async, settings_from
from ._exceptions import UsageError
from .settings import Settings

__all__ = ["serve"]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; loopback unless a token is given.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(help="Access token every page and API call needs (or AUDITCRAWL_TOKEN).", show_default=False),
    ] = None,
    user_header: Annotated[
        str | None,
        typer.Option(
            help="Take the auditor's name from this request header, set by a trusted reverse proxy (off by default).",
            show_default=False,
        ),
    ] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Serve the web workspace: partners, their runs and reports, decisions, and a JSON API."""
    import uvicorn  # the server loads only for this command

    from .web import create_app, is_loopback

    settings = settings_from(config, db=db)
    token = token or os.environ.get("AUDITCRAWL_TOKEN") or None
    if not is_loopback(host) and token is None:
        raise UsageError(f"--host {host} is reachable from other machines: give --token (or AUDITCRAWL_TOKEN)")
    if not 0 < port < 65536:
        raise UsageError(f"--port: expected 1-65535, got {port}")

    def settings_for(flags: dict[str, object]) -> Settings:
        """A new audit's settings: defaults < config file < environment < this server's --db < the form."""
        return settings_from(config, db=settings.storage.db, **flags)

    workspace = create_app(settings.storage.db, token, settings_for, user_header=user_header)
    server = uvicorn.Server(uvicorn.Config(workspace, host=host, port=port, log_level="warning"))
    shown = f"[{host}]" if ":" in host else host
    out.print(f"auditcrawl workspace: http://{shown}:{port}/" + (" (access token required)" if token else ""))
    run_async(server.serve())
