"""auditcrawl: evidence for the AWS Industrial Software Competency checks 3.1, 2.2 and 3.2."""

from ._exceptions import (
    AuditcrawlError,
    BodyTooLargeError,
    ConfigError,
    DecisionError,
    FetchError,
    InputFileError,
    InvalidURLError,
    RunNotFoundError,
    StorageError,
    UnsafeDestinationError,
    UsageError,
)
from .settings import AuditSettings, CrawlSettings, Settings, StorageSettings, load_settings

__version__ = "0.1.0"

__all__ = [
    "AuditSettings",
    "AuditcrawlError",
    "BodyTooLargeError",
    "ConfigError",
    "CrawlSettings",
    "DecisionError",
    "FetchError",
    "InputFileError",
    "InvalidURLError",
    "RunNotFoundError",
    "Settings",
    "StorageError",
    "StorageSettings",
    "UnsafeDestinationError",
    "UsageError",
    "__version__",
    "load_settings",
]
