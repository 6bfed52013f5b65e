"""Schema upgrades: a newer auditcrawl opens an older database without losing data.

A fresh database gets the current tables from the models and the current version.
An older one gets the statements of each later version, in order, in one transaction.
Only additive changes (new tables come from the models; new columns from here).
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

# version -> statements that bring version - 1 up to it (portable SQL for SQLite and PostgreSQL)
MIGRATIONS: dict[int, list[str]] = {
    2: ["ALTER TABLE link ADD COLUMN date_hint VARCHAR"],
    3: [
        "ALTER TABLE page ADD COLUMN rendered BOOLEAN NOT NULL DEFAULT FALSE",
        "ALTER TABLE page ADD COLUMN render_reason VARCHAR",
    ],
    4: [
        "ALTER TABLE applicant ADD COLUMN status VARCHAR NOT NULL DEFAULT 'applicant'",
        "ALTER TABLE applicant ADD COLUMN webhook VARCHAR",
        "ALTER TABLE applicant ADD COLUMN claims JSON",
        "ALTER TABLE page ADD COLUMN size INTEGER NOT NULL DEFAULT 0",
    ],
    5: ["ALTER TABLE check_result ADD COLUMN extra JSON"],
    6: ["ALTER TABLE page ADD COLUMN warc_record_id VARCHAR"],
    7: [],  # the page_links table (from the models); older runs' links stay in link and are read from there
    8: ["ALTER TABLE schedule ADD COLUMN every VARCHAR"],
    9: ["ALTER TABLE check_result ADD COLUMN tool_status VARCHAR"],  # and the decision table (from the models)
}
