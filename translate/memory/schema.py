"""The translation memory's SQLite schema, as a list of migrations.

A file records its schema version in `PRAGMA user_version`; opening an older
file applies the missing migrations in one transaction (see
`TranslationMemory._migrate`). To change the schema, append a migration: never
edit one that has shipped, since existing files already ran it.
"""

from __future__ import annotations

# Migration n (1-based) brings a file from user_version n-1 to n. Statements are
# run one by one inside a single transaction (executescript would commit early).
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE entries (
            source_hash TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source_text TEXT NOT NULL,
            machine_text TEXT,
            signature TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'machine' CHECK (status IN ('machine', 'draft', 'approved')),
            final_text TEXT,
            reviewer TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '{}',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (source_hash, source_lang, target_lang)
        ) WITHOUT ROWID""",
        "CREATE INDEX entries_pair ON entries (source_lang, target_lang, status)",
        """CREATE TABLE review_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source_hash TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            time TEXT NOT NULL,
            machine_text TEXT,
            final_text TEXT,
            status TEXT NOT NULL CHECK (status IN ('approved', 'edited', 'draft', 'rejected')),
            document TEXT NOT NULL DEFAULT '',
            segment_id TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX review_log_entry ON review_log (source_hash, source_lang, target_lang)",
        """CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
        """CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
        """CREATE TABLE layout_runs (
            document TEXT NOT NULL,
            run INTEGER NOT NULL,
            source_lang TEXT NOT NULL,
            recorded TEXT NOT NULL,
            PRIMARY KEY (document, run)
        )""",
        """CREATE TABLE layout (
            document TEXT NOT NULL,
            run INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            block INTEGER NOT NULL,
            position INTEGER NOT NULL,
            source_hash TEXT NOT NULL,
            source_text TEXT NOT NULL,
            PRIMARY KEY (document, run, idx),
            FOREIGN KEY (document, run) REFERENCES layout_runs (document, run) ON DELETE CASCADE
        )""",
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)
