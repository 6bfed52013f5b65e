"""One exception tree. Every user-facing error carries a one-line message the CLI prints.

AuditcrawlError
 ├── UsageError            bad input from the person running the tool (exit 2)
 │    ├── ConfigError      config file, environment variable or flag value
 │    ├── InvalidURLError  a URL that is not an absolute http(s) URL
 │    ├── InputFileError   an input file that cannot be read or parsed
 │    └── DecisionError    a decision that cannot be recorded (no reason, unknown URL, ...)
 ├── FetchError            a request that could not be completed
 │    ├── UnsafeDestinationError  refused by the destination-safety rules
 │    └── BodyTooLargeError       the body exceeded the size cap
 ├── StorageError          the database could not be opened or written
 └── RunNotFoundError      a run id that the database does not hold (exit 2)
"""

from __future__ import annotations

__all__ = [
    "AuditcrawlError",
    "BodyTooLargeError",
    "ConfigError",
    "DecisionError",
    "FetchError",
    "InputFileError",
    "InvalidURLError",
    "ResumeError",
    "RunNotFoundError",
    "StorageError",
    "UnsafeDestinationError",
    "UsageError",
]


class AuditcrawlError(Exception):
    """Base of every error auditcrawl raises on purpose."""

    exit_code = 1


class UsageError(AuditcrawlError):
    exit_code = 2


class ConfigError(UsageError):
    pass


class InvalidURLError(UsageError):
    pass


class InputFileError(UsageError):
    pass


class DecisionError(UsageError):
    pass


class FetchError(AuditcrawlError):
    pass


class UnsafeDestinationError(FetchError):
    pass


class BodyTooLargeError(FetchError):
    pass


class StorageError(AuditcrawlError):
    pass


class RunNotFoundError(AuditcrawlError):
    exit_code = 2


class ResumeError(UsageError):
    """A run that cannot be taken up: finished, or still crawling in another process."""
