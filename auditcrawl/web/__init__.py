"""The web workspace (`auditcrawl serve`): partners, runs and their reports in the browser."""

from ._app import create_app
from ._security import is_loopback

__all__ = ["create_app", "is_loopback"]
