"""Typed settings, merged default < config file < environment < flags.

The result is one frozen `Settings` object passed down explicitly; no module
reads configuration on its own.
"""

from __future__ import annotations

import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from ._exceptions import ConfigError

__all__ = [
    "DEFAULT_USER_AGENT",
    "OPTION_FIELDS",
    "AuditSettings",
    "CrawlSettings",
    "Settings",
    "StorageSettings",
    "load_settings",
]

DEFAULT_USER_AGENT = "auditcrawl/0.1 (AWS partner validation; +https://example.org/auditcrawl)"
RENDER_MODES = ("auto", "never", "always")
ARCHIVE_RESOURCE_MODES = ("never", "evidence", "all")


@dataclass(frozen=True)
class CrawlSettings:
    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0  # minimum gap between two requests to one host, seconds
    concurrency: int = 4
    max_pages: int = 500
    max_depth: int = 10
    max_seconds: float = 1800.0
    max_offsite_pages: int = 50
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.5
    max_retry_after: float = 60.0
    max_crawl_delay: float = 30.0
    max_body_bytes: int = 5_000_000
    max_redirects: int = 10
    render: str = "auto"
    browser_path: str = "/usr/bin/chromium"
    screenshots: bool = True
    screenshot_max_height: int = 12_000  # px: a longer page's screenshot keeps its top, noted
    # What the browser loaded for a page (stylesheets, images, scripts, fonts, XHR) goes into the WARC:
    # for the evidence pages it visits for screenshots, for every page it renders too, or never.
    archive_resources: str = "evidence"
    archive_resource_max_bytes: int = 5_000_000  # one resource larger than this is loaded, not archived
    archive_resources_max_bytes: int = 200_000_000  # all resources of a run
    allow_private: bool = False
    full: bool = False  # crawl on after every check is met (default: stop there)
    sitemap_max_urls: int = 5000
    sitemap_max_files: int = 20


@dataclass(frozen=True)
class AuditSettings:
    as_of: date = field(default_factory=date.today)
    window_days: int = 365
    min_case_studies: int = 2
    min_thought_leadership: int = 2
    max_clicks: int = 4
    cite: int = 5  # evidence items per check cited with a screenshot; the rest are listed


@dataclass(frozen=True)
class StorageSettings:
    # "~" is expanded by storage when it opens an SQLite file.
    db: str = "sqlite:///~/.local/share/auditcrawl/auditcrawl.db"
    # Evidence screenshots; empty = a "screenshots" folder beside the SQLite file (or in ~/.local/share/auditcrawl)
    screenshots_dir: str = ""


@dataclass(frozen=True)
class Settings:
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    audit: AuditSettings = field(default_factory=AuditSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)

    def as_started(self, options: dict[str, Any], as_of: date) -> Settings:
        """The crawl and audit settings a stored run started with (its `options`); storage as now.
        Values a run stored by another version holds and these settings lack are left out."""

        def known(cls: type[Any], values: dict[str, Any]) -> dict[str, Any]:
            names = {f.name for f in fields(cls)}
            return {k: v for k, v in values.items() if k in names}

        audit = dict(options.get("audit", {}))
        audit["as_of"] = date.fromisoformat(str(audit.get("as_of", as_of.isoformat())))
        return Settings(
            crawl=CrawlSettings(**known(CrawlSettings, options.get("crawl", {}))),
            audit=AuditSettings(**known(AuditSettings, audit)),
            storage=self.storage,
        )


# Command-line option -> (section, field). Each also reads AUDITCRAWL_<OPTION>.
OPTION_FIELDS: dict[str, tuple[str, str]] = {
    "db": ("storage", "db"),
    "as_of": ("audit", "as_of"),
    "delay": ("crawl", "delay"),
    "concurrency": ("crawl", "concurrency"),
    "max_pages": ("crawl", "max_pages"),
    "render": ("crawl", "render"),
    "archive_resources": ("crawl", "archive_resources"),
    "user_agent": ("crawl", "user_agent"),
    "allow_private": ("crawl", "allow_private"),
    "full": ("crawl", "full"),
}

_SECTIONS: dict[str, type[Any]] = {
    "crawl": CrawlSettings,
    "audit": AuditSettings,
    "storage": StorageSettings,
}


def _coerce(value: Any, typ: Any, where: str) -> Any:
    """Turn a TOML, environment or flag value into the field's type, or say why not."""
    if typ is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    if typ is int or typ is float:
        wrong = ConfigError(f"{where}: expected {'a whole number' if typ is int else 'a number'}, got {value!r}")
        if isinstance(value, bool):  # TOML true is not 1
            raise wrong
        try:
            return typ(value)
        except (TypeError, ValueError):
            raise wrong from None
    if typ is date:
        if isinstance(value, date):
            return value
        if isinstance(value, str) and value.strip().lower() == "today":
            return date.today()
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ConfigError(f"{where}: expected a date YYYY-MM-DD, got {value!r}") from None
    if typ is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected text, got {value!r}")
        return value
    raise AssertionError(f"unsupported settings type {typ!r}")


def _validate(settings: Settings) -> None:
    c, a = settings.crawl, settings.audit
    checks: list[tuple[bool, str]] = [
        (c.delay >= 0, "delay must be 0 or more seconds"),
        (c.concurrency >= 1, "concurrency must be at least 1"),
        (c.max_pages >= 1, "max_pages must be at least 1"),
        (c.max_depth >= 0, "max_depth must be 0 or more"),
        (c.timeout > 0, "timeout must be more than 0 seconds"),
        (c.retries >= 0, "retries must be 0 or more"),
        (c.max_body_bytes >= 1024, "max_body_bytes must be at least 1024"),
        (c.screenshot_max_height >= 1000, "screenshot_max_height must be at least 1000"),
        (c.render in RENDER_MODES, f"render must be one of {', '.join(RENDER_MODES)}, got {c.render!r}"),
        (
            c.archive_resources in ARCHIVE_RESOURCE_MODES,
            f"archive_resources must be one of {', '.join(ARCHIVE_RESOURCE_MODES)}, got {c.archive_resources!r}",
        ),
        (c.archive_resource_max_bytes >= 0, "archive_resource_max_bytes must be 0 or more"),
        (c.archive_resources_max_bytes >= 0, "archive_resources_max_bytes must be 0 or more"),
        (bool(c.user_agent.strip()), "user_agent must not be empty"),
        (a.window_days >= 1, "window_days must be at least 1"),
        (a.min_case_studies >= 1, "min_case_studies must be at least 1"),
        (a.min_thought_leadership >= 1, "min_thought_leadership must be at least 1"),
        (a.max_clicks >= 0, "max_clicks must be 0 or more"),
        (a.cite >= 1, "cite must be at least 1"),
        (bool(settings.storage.db.strip()), "db must not be empty"),
    ]
    for ok, message in checks:
        if not ok:
            raise ConfigError(message)


def _apply(section_values: dict[str, dict[str, Any]], section: str, name: str, value: Any, where: str) -> None:
    cls = _SECTIONS[section]
    hints = typing.get_type_hints(cls)
    if name not in hints:
        raise ConfigError(f"{where}: unknown setting {section}.{name}")
    section_values.setdefault(section, {})[name] = _coerce(value, hints[name], where)


def _read_config_file(path: Path, values: dict[str, dict[str, Any]]) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    for section, table in data.items():
        if section not in _SECTIONS or not isinstance(table, dict):
            raise ConfigError(f"{path}: unknown section [{section}]")
        for name, value in table.items():
            _apply(values, section, name, value, f"{path}: {section}.{name}")


def load_settings(
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge defaults < config file < AUDITCRAWL_* environment < flags (None = not given)."""
    values: dict[str, dict[str, Any]] = {}
    if config_file is not None:
        _read_config_file(config_file, values)
    for option, (section, name) in OPTION_FIELDS.items():
        env_name = f"AUDITCRAWL_{option.upper()}"
        if env is not None and env.get(env_name, "") != "":
            _apply(values, section, name, env[env_name], env_name)
    for option, value in (flags or {}).items():
        if value is None:
            continue
        if option not in OPTION_FIELDS:
            raise AssertionError(f"flag {option!r} has no settings field")
        section, name = OPTION_FIELDS[option]
        _apply(values, section, name, value, "--" + option.replace("_", "-"))
    settings = Settings(**{s: cls(**values.get(s, {})) for s, cls in _SECTIONS.items()})
    _validate(settings)
    return settings
