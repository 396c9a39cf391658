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
    # 2: revisions, translator comments, how a decision arrived, conflicts; the log
    # takes the committed text record's ids, and cannot be overwritten by REPLACE.
    (
        "ALTER TABLE entries ADD COLUMN comment TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE entries ADD COLUMN comment_by TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE entries ADD COLUMN via TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE entries ADD COLUMN decision_id TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE review_log_v2 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            record_id TEXT NOT NULL UNIQUE,
            source_hash TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source_text TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            time TEXT NOT NULL,
            machine_text TEXT,
            final_text TEXT,
            status TEXT NOT NULL
                CHECK (status IN ('approved', 'edited', 'draft', 'rejected', 'comment', 'suggested')),
            via TEXT NOT NULL DEFAULT 'po' CHECK (via IN ('po', 'browser', 'tmx', 'api')),
            base TEXT,
            comment TEXT,
            outcome TEXT NOT NULL DEFAULT 'applied' CHECK (outcome IN ('applied', 'conflict', 'kept')),
            against TEXT NOT NULL DEFAULT '',
            document TEXT NOT NULL DEFAULT '',
            segment_id TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        )""",
        """INSERT INTO review_log_v2 (id, record_id, source_hash, source_lang, target_lang, source_text, reviewer,
                time, machine_text, final_text, status, document, segment_id, note)
           SELECT r.id, substr(r.time, 1, 19) || printf('.%06dZ-legacy', r.id), r.source_hash, r.source_lang, r.target_lang,
                  COALESCE(e.source_text, ''), r.reviewer, r.time, r.machine_text, r.final_text, r.status,
                  r.document, r.segment_id, r.note
           FROM review_log r LEFT JOIN entries e ON e.source_hash = r.source_hash
                AND e.source_lang = r.source_lang AND e.target_lang = r.target_lang""",
        "DROP TABLE review_log",
        "ALTER TABLE review_log_v2 RENAME TO review_log",
        "CREATE INDEX review_log_entry ON review_log (source_hash, source_lang, target_lang)",
        """UPDATE entries SET decision_id = COALESCE((SELECT MAX(r.record_id) FROM review_log r
               WHERE r.source_hash = entries.source_hash AND r.source_lang = entries.source_lang
               AND r.target_lang = entries.target_lang AND r.status IN ('approved', 'edited', 'draft')), 'legacy')
           WHERE status != 'machine'""",
        """CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
        """CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
        # REPLACE deletes the old row without firing DELETE triggers: refuse the insert first.
        """CREATE TRIGGER review_log_no_replace BEFORE INSERT ON review_log
            WHEN EXISTS (SELECT 1 FROM review_log WHERE id = NEW.id OR record_id = NEW.record_id)
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only: that record is already logged'); END""",
        """CREATE TABLE text_record (
            file TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL
        )""",
    ),
]

_BUMP = """UPDATE change_counter SET n = n + 1;
        UPDATE entries SET rev = (SELECT n FROM change_counter)
        WHERE source_hash = NEW.source_hash AND source_lang = NEW.source_lang AND target_lang = NEW.target_lang;"""

# 3: change tracking, so a run costs what changed (translate.run.freshness). Every
# entry carries `rev`, the value of one memory-wide counter at its last change: set
# by triggers, so every writer (runs, review import, TMX import, a future one) bumps
# it without knowing. A review decision logged about an entry bumps it too. A table
# whose content the PO or .md outputs show must bump the entry's rev the same way.
# `delivered` records what each output was made from (translate.memory.delivered).
MIGRATIONS.append(
    (
        "ALTER TABLE entries ADD COLUMN rev INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX entries_rev ON entries (source_lang, target_lang, rev)",
        "CREATE TABLE change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
        "INSERT INTO change_counter (id, n) VALUES (1, 0)",
        f"""CREATE TRIGGER entries_rev_insert AFTER INSERT ON entries BEGIN {_BUMP} END""",
        f"""CREATE TRIGGER entries_rev_update AFTER UPDATE OF source_text, machine_text, signature, status,
            final_text, reviewer, notes, created, updated, comment, comment_by, via, decision_id
            ON entries BEGIN {_BUMP} END""",
        f"""CREATE TRIGGER review_log_rev AFTER INSERT ON review_log BEGIN {_BUMP} END""",
        "CREATE INDEX layout_hash ON layout (source_hash)",
        """CREATE TABLE delivered (
            document TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            generation INTEGER NOT NULL,
            files TEXT NOT NULL,
            PRIMARY KEY (document, target_lang)
        ) WITHOUT ROWID""",
        """CREATE TABLE delivered_languages (
            target_lang TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            result TEXT NOT NULL
        ) WITHOUT ROWID""",
    )
)

# 4: credit per contribution and the comment thread. An entry remembers who wrote
# its text (`translator`) apart from who decided it (`reviewer`), and whether its
# draft needs more work; a logged decision may name the author of a text it accepts
# and where its name came from; 'note' (a message of the sentence's thread) and
# 'dismissed' (a suggestion closed) join the statuses. The log is rebuilt to widen
# its CHECK; opening a memory at version 3 then replays its people's side, so the
# new columns hold what the log says (TranslationMemory._migrate).
_LOG_V4_COLUMNS = (
    "id, record_id, source_hash, source_lang, target_lang, source_text, reviewer, time, machine_text, final_text, "
    "status, via, base, comment, outcome, against, document, segment_id, note"
)
MIGRATIONS.append(
    (
        "ALTER TABLE entries ADD COLUMN translator TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE entries ADD COLUMN needs_work INTEGER NOT NULL DEFAULT 0",
        "DROP TRIGGER entries_rev_update",
        f"""CREATE TRIGGER entries_rev_update AFTER UPDATE OF source_text, machine_text, signature, status,
            final_text, reviewer, notes, created, updated, comment, comment_by, via, decision_id, translator, needs_work
            ON entries BEGIN {_BUMP} END""",
        """CREATE TABLE review_log_v4 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            record_id TEXT NOT NULL UNIQUE,
            source_hash TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source_text TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            time TEXT NOT NULL,
            machine_text TEXT,
            final_text TEXT,
            status TEXT NOT NULL CHECK (status IN ('approved', 'edited', 'draft', 'rejected', 'comment', 'suggested',
                                                   'note', 'dismissed')),
            via TEXT NOT NULL DEFAULT 'po' CHECK (via IN ('po', 'browser', 'tmx', 'api')),
            base TEXT,
            comment TEXT,
            outcome TEXT NOT NULL DEFAULT 'applied' CHECK (outcome IN ('applied', 'conflict', 'kept')),
            against TEXT NOT NULL DEFAULT '',
            document TEXT NOT NULL DEFAULT '',
            segment_id TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            name_from TEXT NOT NULL DEFAULT ''
        )""",
        f"INSERT INTO review_log_v4 ({_LOG_V4_COLUMNS}) SELECT {_LOG_V4_COLUMNS} FROM review_log",
        "DROP TABLE review_log",
        "ALTER TABLE review_log_v4 RENAME TO review_log",
        "CREATE INDEX review_log_entry ON review_log (source_hash, source_lang, target_lang)",
        """CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
        """CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END""",
        """CREATE TRIGGER review_log_no_replace BEFORE INSERT ON review_log
            WHEN EXISTS (SELECT 1 FROM review_log WHERE id = NEW.id OR record_id = NEW.record_id)
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only: that record is already logged'); END""",
        f"""CREATE TRIGGER review_log_rev AFTER INSERT ON review_log BEGIN {_BUMP} END""",
    )
)
PEOPLE_REPLAYED_AT = 4
"""Opening a memory older than this replays its people's side (the columns that migration added)."""
SCHEMA_VERSION = len(MIGRATIONS)
