from __future__ import annotations

import tomllib
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from auditcrawl import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_config_toml_lists_every_default_with_its_value() -> None:
    from_file = load_settings(ROOT / "config.toml")
    assert from_file == Settings()
    data = tomllib.loads((ROOT / "config.toml").read_text())
    for section, values in asdict(Settings()).items():
        assert set(data[section]) == set(values), f"[{section}] in config.toml differs from the settings fields"


@pytest.mark.parametrize(
    ("file_delay", "env_delay", "flag_delay", "expected"),
    [
        (None, None, None, 1.0),  # default
        (2.5, None, None, 2.5),  # config file beats default
        (2.5, "3", None, 3.0),  # environment beats config file
        (2.5, "3", 0.25, 0.25),  # flag beats environment
        (None, "", None, 1.0),  # an empty variable is not set
    ],
)
def test_precedence_default_config_env_flag(
    tmp_path: Path, file_delay: float | None, env_delay: str | None, flag_delay: float | None, expected: float
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f"[crawl]\ndelay = {file_delay}\n" if file_delay is not None else "")
    env = {"AUDITCRAWL_DELAY": env_delay} if env_delay is not None else {}
    settings = load_settings(config, env, {"delay": flag_delay})
    assert settings.crawl.delay == expected


def test_environment_reads_every_option() -> None:
    env = {
        "AUDITCRAWL_DB": "sqlite:///x.db",
        "AUDITCRAWL_AS_OF": "2026-01-31",
        "AUDITCRAWL_DELAY": "0",
        "AUDITCRAWL_CONCURRENCY": "7",
        "AUDITCRAWL_MAX_PAGES": "9",
        "AUDITCRAWL_RENDER": "never",
        "AUDITCRAWL_USER_AGENT": "probe/1",
        "AUDITCRAWL_ALLOW_PRIVATE": "1",
    }
    s = load_settings(None, env, {})
    assert (s.storage.db, s.audit.as_of, s.crawl.delay, s.crawl.concurrency) == (
        "sqlite:///x.db",
        date(2026, 1, 31),
        0.0,
        7,
    )
    assert (s.crawl.max_pages, s.crawl.render, s.crawl.user_agent, s.crawl.allow_private) == (
        9,
        "never",
        "probe/1",
        True,
    )


@pytest.mark.parametrize(
    ("env", "flags", "config", "message"),
    [
        ({"AUDITCRAWL_DELAY": "soon"}, {}, None, "AUDITCRAWL_DELAY: expected a number, got 'soon'"),
        ({}, {"as_of": "26/11/2026"}, None, "--as-of: expected a date YYYY-MM-DD, got '26/11/2026'"),
        ({}, {"render": "sometimes"}, None, "render must be one of auto, never, always, got 'sometimes'"),
        ({}, {"concurrency": 0}, None, "concurrency must be at least 1"),
        (
            {"AUDITCRAWL_ALLOW_PRIVATE": "maybe"},
            {},
            None,
            "AUDITCRAWL_ALLOW_PRIVATE: expected true or false, got 'maybe'",
        ),
        ({}, {}, "[crawl]\nspeed = 3\n", "unknown setting crawl.speed"),
        ({}, {}, "[crawling]\n", "unknown section [crawling]"),
        ({}, {}, "[crawl\n", "not valid TOML"),
    ],
)
def test_bad_values_name_their_source(
    tmp_path: Path, env: dict[str, str], flags: dict[str, object], config: str | None, message: str
) -> None:
    path = None
    if config is not None:
        path = tmp_path / "bad.toml"
        path.write_text(config)
    with pytest.raises(ConfigError, match=None) as info:
        load_settings(path, env, flags)
    assert message in str(info.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")
