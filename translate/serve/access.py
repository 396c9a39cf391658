"""Invitations and browser sessions: who may see and change which language.

There are no accounts and no passwords. An organizer runs `translate review
invite Ana --lang es` and sends the printed link; opening it (and pressing the
button on the page it shows, so that a mail scanner fetching the link does not
use it up) turns the invitation into a session: a random token in an HttpOnly,
SameSite=Strict cookie. Both tokens are 256 random bits from `secrets`; only
their SHA-256 is stored, so a copy of this file lets no one in. A fast hash is
enough for such tokens (nothing to guess, unlike a password), and a lookup by
hash needs no per-row salt.

An invitation works once and until it expires; a session lasts
`serve.session_days` and ends at once when its invitation is revoked (every
request reads the row). The file is the project's local state, like a run
lock: it is never committed and nothing rebuilds it, so it sits apart from the
translation memory (`serve.access` in translate.toml).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from translate import languages
from translate.config import Config
from translate.errors import TranslateError, UsageError

ROLES = ("translator", "reviewer")
"""A translator saves drafts; a reviewer also approves (what `translate run` then prints)."""

DEFAULT_ROLE = "reviewer"
DEFAULT_EXPIRY = "14d"
TOKEN_BYTES = 32

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS invitations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        token_hash TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        languages TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('translator', 'reviewer')),
        created TEXT NOT NULL,
        expires TEXT NOT NULL,
        used TEXT,
        revoked TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        token_hash TEXT NOT NULL UNIQUE,
        invitation INTEGER NOT NULL REFERENCES invitations (id),
        csrf_token TEXT NOT NULL,
        created TEXT NOT NULL,
        expires TEXT NOT NULL,
        ended TEXT
    )""",
)

_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}


class InvitationRefused(TranslateError):
    """An invitation link that cannot be used (unknown, used, expired or revoked)."""


MAX_EXPIRY = timedelta(days=366)
"""Longest an invitation link may stay open: a year (a link is a key to the project; send a new one later)."""


def parse_duration(text: str) -> timedelta:
    """'14d', '12h', '30m', '2w' -> a timedelta up to MAX_EXPIRY; anything else is a UsageError saying what is allowed."""
    match = _DURATION.match(text or "")
    if not match or int(match.group(1)) == 0:
        raise UsageError(f"expiry '{text}' is not a duration like 14d, 12h, 30m or 2w")
    seconds = int(match.group(1)) * _SECONDS[match.group(2)]  # whole numbers: no overflow, however long
    if seconds > MAX_EXPIRY.total_seconds():
        raise UsageError(f"expiry '{text.strip()}' is longer than a year ({MAX_EXPIRY.days}d); invite again when it runs out")
    return timedelta(seconds=seconds)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def access_path(config: Config) -> Path:
    """Where a project keeps its invitations and sessions."""
    return (config.root / config.serve.access).resolve()


@contextmanager
def open_access_file(path: Path) -> Iterator[sqlite3.Connection]:
    """The access file (invitations, sessions, API keys), in WAL mode; a damaged one is one line."""
    try:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.Error as err:
        raise UsageError(f"{path}: cannot open the access file ({err})") from None
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA busy_timeout = 30000")
        yield db
    except sqlite3.DatabaseError as err:
        raise UsageError(f"{path}: not a usable access file ({err})") from None
    finally:
        db.close()


def public_url(config: Config) -> str:
    """The address people open: serve.public_url, else http://host:port."""
    if config.serve.public_url:
        return config.serve.public_url.rstrip("/")
    host = config.serve.host
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{config.serve.port}"


def link_base(config: Config, url: str | None = None) -> str:
    """Where invitation links point: `url` (the address the server is reached at, checked),
    else public_url(config)."""
    if not url:
        return public_url(config)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(f"--url must be an http(s) address such as http://127.0.0.1:8000, not '{url}'")
    return url.rstrip("/")


def invitation_link(base: str, token: str) -> str:
    return f"{base}/invite/{token}"


@dataclass(frozen=True)
class Invitation:
    """An invitation as `translate review invitations` lists it (never its token)."""

    id: int
    name: str
    languages: tuple[str, ...]
    role: str
    created: str
    expires: str
    used: str | None
    revoked: str | None
    sessions: int = 0  # sessions still open

    def state(self, now: str) -> str:
        if self.revoked:
            return "revoked"
        if self.used:
            return "used"
        return "expired" if self.expires <= now else "open"


@dataclass(frozen=True)
class Session:
    """A signed-in browser: whose, for which languages, in which role."""

    id: int
    invitation: int
    name: str
    languages: tuple[str, ...]
    role: str
    csrf_token: str
    expires: str

    @property
    def can_approve(self) -> bool:
        return self.role == "reviewer"

    def holds(self, language: str) -> bool:
        return language in self.languages


class AccessStore:
    """The invitations-and-sessions file. Each call opens its own short connection (thread-safe)."""

    def __init__(self, path: Path | str, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            for statement in _SCHEMA:
                db.execute(statement)

    def _db(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return open_access_file(self.path)

    def _now(self) -> str:
        return _stamp(self.clock())

    # -- invitations -----------------------------------------------------------

    def invite(
        self, name: str, langs: list[str], role: str = DEFAULT_ROLE, expires_in: timedelta | str = DEFAULT_EXPIRY
    ) -> tuple[Invitation, str]:
        """A new invitation and its token (shown once, never stored)."""
        name = " ".join(name.split())
        if not name:
            raise UsageError("give the invited person's name, e.g. translate review invite Ana --lang es")
        if role not in ROLES:
            raise UsageError(f"role '{role}' is not one of {', '.join(ROLES)}")
        codes = tuple(languages.parse_list(langs))
        if not codes:
            raise UsageError("give at least one language, e.g. --lang es")
        if isinstance(expires_in, str):
            expires_in = parse_duration(expires_in)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = self.clock()
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO invitations (token_hash, name, languages, role, created, expires) VALUES (?, ?, ?, ?, ?, ?)",
                (token_hash(token), name, ",".join(codes), role, _stamp(now), _stamp(now + expires_in)),
            )
            number = cursor.lastrowid
        return self._invitation(number), token

    def _invitation(self, number: int) -> Invitation:
        [found] = [i for i in self.invitations() if i.id == number]
        return found

    def invitations(self) -> list[Invitation]:
        """Every invitation, oldest first, with how many of its sessions are open."""
        now = self._now()
        with self._db() as db:
            rows = db.execute(
                "SELECT i.id, i.name, i.languages, i.role, i.created, i.expires, i.used, i.revoked, "
                "(SELECT COUNT(*) FROM sessions s WHERE s.invitation = i.id AND s.ended IS NULL "
                " AND s.expires > ?) FROM invitations i ORDER BY i.id",
                (now,),
            ).fetchall()
        return [Invitation(r[0], r[1], tuple(r[2].split(",")), *r[3:]) for r in rows]

    def pending(self, token: str) -> Invitation:
        """The invitation a link names, if it can still be used; InvitationRefused saying why not."""
        with self._db() as db:
            row = db.execute("SELECT id FROM invitations WHERE token_hash = ?", (token_hash(token),)).fetchone()
        if row is None:
            raise InvitationRefused("This invitation link is not known here. Check that you copied all of it.")
        invitation = self._invitation(row[0])
        state = invitation.state(self._now())
        if state == "used":
            raise InvitationRefused("This invitation link was already used. Ask your organizer for a new one.")
        if state == "expired":
            raise InvitationRefused("This invitation link has expired. Ask your organizer for a new one.")
        if state == "revoked":
            raise InvitationRefused("This invitation was withdrawn by your organizer.")
        return invitation

    def accept(self, token: str, lifetime: timedelta) -> tuple[Session, str]:
        """Use an invitation (once): a new session and its cookie token."""
        invitation = self.pending(token)
        now = self.clock()
        session_token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            used = db.execute(
                "UPDATE invitations SET used = ? WHERE id = ? AND used IS NULL AND revoked IS NULL AND expires > ?",
                (_stamp(now), invitation.id, _stamp(now)),
            ).rowcount
            if used != 1:  # another browser used it between pending() and here
                db.execute("ROLLBACK")
                raise InvitationRefused("This invitation link was already used. Ask your organizer for a new one.")
            db.execute(
                "INSERT INTO sessions (token_hash, invitation, csrf_token, created, expires) VALUES (?, ?, ?, ?, ?)",
                (
                    token_hash(session_token),
                    invitation.id,
                    secrets.token_urlsafe(TOKEN_BYTES),
                    _stamp(now),
                    _stamp(now + lifetime),
                ),
            )
            db.execute("COMMIT")
        session = self.session(session_token)
        assert session is not None
        return session, session_token

    # -- sessions --------------------------------------------------------------

    def session(self, token: str | None) -> Session | None:
        """The open session a cookie names; None when unknown, ended, expired or revoked."""
        if not token:
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT s.id, s.invitation, i.name, i.languages, i.role, s.csrf_token, s.expires "
                "FROM sessions s JOIN invitations i ON i.id = s.invitation "
                "WHERE s.token_hash = ? AND s.ended IS NULL AND i.revoked IS NULL AND s.expires > ?",
                (token_hash(token), self._now()),
            ).fetchone()
        if row is None:
            return None
        return Session(row[0], row[1], row[2], tuple(row[3].split(",")), row[4], row[5], row[6])

    def end_session(self, token: str) -> None:
        """Sign a browser out."""
        with self._db() as db:
            db.execute("UPDATE sessions SET ended = ? WHERE token_hash = ? AND ended IS NULL", (self._now(), token_hash(token)))

    def revoke(self, who: str, by_name: bool = False) -> list[Invitation]:
        """Withdraw invitations and end their sessions at once: one by its number, or with `by_name` (or a
        `who` that is no number) every one of a name. A number is never also read as a name: `revoke 3`
        withdrawing invitation 3 must not withdraw someone called "3" too."""
        number = who.strip().isdigit() and not by_name
        chosen = [i for i in self.invitations() if (i.id == int(who) if number else i.name == " ".join(who.split()))]
        if not chosen:
            hint = " (to withdraw the invitations of someone named so, add --name)" if number else ""
            what = "numbered" if number else "named"
            raise UsageError(f"no invitation {what} '{who}'{hint}; see translate review invitations")
        now = self._now()
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            for invitation in chosen:
                db.execute("UPDATE invitations SET revoked = COALESCE(revoked, ?) WHERE id = ?", (now, invitation.id))
                db.execute("UPDATE sessions SET ended = COALESCE(ended, ?) WHERE invitation = ?", (now, invitation.id))
            db.execute("COMMIT")
        return [self._invitation(i.id) for i in chosen]
