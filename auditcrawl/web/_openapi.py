"""The API's description (OpenAPI 3.1) for other tools: the same documents as the command line."""

from __future__ import annotations

from typing import Any

__all__ = ["OPENAPI"]

_JSON = "application/json"


def _get(summary: str, schema: dict[str, Any], parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters or [],
            "responses": {
                "200": {"description": "OK", "content": {_JSON: {"schema": schema}}},
                "401": {"description": "the workspace has an access token and the request did not carry it"},
                "404": {"description": "no such run"},
            },
        }
    }


_RUN_ID = {"name": "run_id", "in": "path", "required": True, "schema": {"type": "string"}}
_APPLICANT = {"name": "applicant", "in": "query", "required": False, "schema": {"type": "string"}}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "auditcrawl workspace API", "version": "1"},
    "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    "security": [{"token": []}],
    "paths": {
        "/api/runs": _get(
            "Stored runs, newest first, with their three verdicts (as `auditcrawl runs --json`)",
            {"type": "array", "items": {"type": "object"}},
            [_APPLICANT],
        ),
        "/api/runs/{run_id}": _get(
            "A run's JSON export (schema_version 1, as `auditcrawl export`)", {"type": "object"}, [_RUN_ID]
        ),
        "/api/runs/{run_id}/events": _get(
            "A run's progress: state (running, finished, failed), pages fetched and queued, the URL being fetched",
            {"type": "object"},
            [_RUN_ID],
        ),
        "/api/audits": {
            "post": {
                "summary": "Start an audit (crawled in the server process); answers with its run id at once",
                "requestBody": {
                    "required": True,
                    "content": {
                        _JSON: {
                            "schema": {
                                "type": "object",
                                "required": ["home_url"],
                                "properties": {
                                    "home_url": {"type": "string"},
                                    "applicant": {"type": "string"},
                                    "as_of": {"type": "string", "format": "date"},
                                    "max_pages": {"type": "integer"},
                                    "delay": {"type": "number"},
                                    "concurrency": {"type": "integer"},
                                    "render": {"enum": ["auto", "never", "always"]},
                                    "allow_private": {"type": "boolean"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "202": {"description": "started: run_id and the events URL"},
                    "400": {"description": "bad input: error, and a message per field"},
                    "409": {"description": "the partner is being audited already"},
                },
            }
        },
        "/api/partners": _get(
            "Applicants and partners with their latest verdicts, regressions and 3.2 lapse dates",
            {"type": "array", "items": {"type": "object"}},
        ),
    },
}
