"""Invitations and browser sessions: who may see and change which language.

There are no accounts and no passwords. An organizer runs `translate review
invite Ana --lang es` and sends the printed link; opening it (and pressing the
button on the page it shows, so that a mail scanner fetching the link does not
use it up) turns the invitation into a session: a random token in an HttpOnly,
SameSite=Strict cookie. Both tokens are 256 random bits from `secrets`; only
their SHA-256 is stored, so a copy of this file lets no one in. A fast hash is
enough for such tokens (nothing to guess, unlike a password), and a lookup by
hash needs no per-row salt.

An invitation opens `devices` browsers (two by default: a phone and a
computer) until it expires, and the organizer can allow one more
(`translate review add-device`); a session lasts `serve.session_days` and ends
at once when its invitation is revoked (every request reads the row). A name
is checked when the invitation is made (translate/human_input.py): an e-mail
address or a name in angle brackets was once accepted, and then every save of
that person failed. The file is the project's local state, like a run
lock: it is never committed and nothing rebuilds it, so it sits apart from the
translation memory (`serve.access` in translate.toml).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import socket
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
from translate.human_input import name_problem

ROLES = ("translator", "reviewer")
"""A translator saves drafts; a reviewer also approves (what `translate run` then prints)."""

DEFAULT_ROLE = "reviewer"
DEFAULT_EXPIRY = "14d"
DEFAULT_DEVICES = 2
"""Browsers one invitation link signs in: a phone and a computer."""
MAX_DEVICES = 10
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


_COLUMNS_ADDED = (
    ("invitations", "devices", "INTEGER NOT NULL DEFAULT 1"),
    ("invitations", "opened", "INTEGER NOT NULL DEFAULT 0"),
)
"""Columns later versions added to a file made before them (CREATE TABLE IF NOT EXISTS keeps an old table)."""


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


WILDCARD_HOSTS = ("0.0.0.0", "::", "")
"""Listening on every network interface: the address alone names no machine a browser can open."""


def network_addresses() -> list[str]:
    """This machine's addresses on its local networks (for invitation links when serving a meeting room),
    found without sending anything: a UDP socket `connect` only picks the outgoing interface."""
    found: list[str] = []
    for probe in ("192.0.2.1", "10.255.255.255"):  # documentation and private ranges: nothing is sent
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.connect((probe, 9))
            found.append(udp.getsockname()[0])
    with contextlib.suppress(OSError):
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    return [a for a in dict.fromkeys(found) if isinstance(a, str) and not a.startswith("127.") and a != "0.0.0.0"]


def link_base(config: Config, url: str | None = None) -> str:
    """Where invitation links point: `url` (the address the server is reached at, checked),
    else public_url(config); refused when that names no machine (serve.host 0.0.0.0 and no public_url)."""
    if not url:
        if config.serve.host in WILDCARD_HOSTS and not config.serve.public_url:
            here = network_addresses()
            example = f"http://{here[0]}:{config.serve.port}" if here else f"http://<this machine's address>:{config.serve.port}"
            raise UsageError(
                f"serve.host is {config.serve.host or 'empty'}, every interface: give the address people open, "
                f"e.g. --url {example}, or set serve.public_url in translate.toml"
            )
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
    used: str | None  # when its last device was signed in
    revoked: str | None
    sessions: int = 0  # sessions still open
    devices: int = 1  # browsers the link may sign in
    opened: int = 0  # browsers it signed in so far

    @property
    def devices_left(self) -> int:
        return max(0, self.devices - self.opened) if not self.used else 0

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
            for table, column, kind in _COLUMNS_ADDED:
                if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def _db(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return open_access_file(self.path)

    def _now(self) -> str:
        return _stamp(self.clock())

    # -- invitations -----------------------------------------------------------

    def invite(
        self,
        name: str,
        langs: list[str],
        role: str = DEFAULT_ROLE,
        expires_in: timedelta | str = DEFAULT_EXPIRY,
        devices: int = DEFAULT_DEVICES,
    ) -> tuple[Invitation, str]:
        """A new invitation and its token (shown once, never stored); the link signs in `devices` browsers."""
        name = " ".join(name.split())
        problem = name_problem(name)
        if problem:
            raise UsageError(f"{problem}, e.g. translate review invite 'Ana García' --lang es")
        if not 1 <= devices <= MAX_DEVICES:
            raise UsageError(f"--devices must be between 1 and {MAX_DEVICES}, not {devices}")
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
                "INSERT INTO invitations (token_hash, name, languages, role, created, expires, devices) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (token_hash(token), name, ",".join(codes), role, _stamp(now), _stamp(now + expires_in), devices),
            )
            number = cursor.lastrowid
        if number is None:  # sqlite3 sets it after every INSERT; without it the row cannot be named
            raise TranslateError(f"{self.path}: the invitation was not stored; try again")
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
                " AND s.expires > ?), i.devices, i.opened FROM invitations i ORDER BY i.id",
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
            raise InvitationRefused(
                f"This invitation link was already used on {invitation.devices} "
                f"{'browser' if invitation.devices == 1 else 'browsers'}, all it may open. To review on another one, "
                "ask your organizer to add a device (translate review add-device)."
            )
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
                "UPDATE invitations SET opened = opened + 1, used = CASE WHEN opened + 1 >= devices THEN ? END "
                "WHERE id = ? AND used IS NULL AND revoked IS NULL AND expires > ? AND opened < devices",
                (_stamp(now), invitation.id, _stamp(now)),
            ).rowcount
            if used != 1:  # another browser used its last device between pending() and here
                db.execute("ROLLBACK")
                raise InvitationRefused("This invitation link was already used. Ask your organizer to add a device.")
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

    def why_signed_out(self, token: str | None) -> str:
        """What to tell a browser whose cookie names no open session: signed out, expired, or revoked."""
        row = None
        if token:
            with self._db() as db:
                row = db.execute(
                    "SELECT s.ended, s.expires, i.revoked FROM sessions s JOIN invitations i ON i.id = s.invitation "
                    "WHERE s.token_hash = ?",
                    (token_hash(token),),
                ).fetchone()
        if row is None:
            return "You are not signed in: open your invitation link, or ask your organizer for one."
        ended, expires, revoked = row
        if revoked:
            return (
                "Your organizer withdrew your invitation, so this browser is signed out; what you saved is kept. "
                "If you should still review, ask them for a new invitation."
            )
        if ended:
            return "You signed out in this browser. To review again, ask your organizer to add a device or for a new invitation."
        return "Your session here has ended (it lasts a few weeks). Ask your organizer for a new invitation."

    def add_device(self, who: str) -> Invitation:
        """Let the newest invitation numbered or named `who` sign in one more browser (its link works once more)."""
        chosen = [i for i in self.invitations() if (who.isdigit() and i.id == int(who)) or i.name == who]
        live = [i for i in chosen if not i.revoked]
        if not live:
            raise UsageError(f"no open invitation numbered or named '{who}' (see translate review invitations)")
        invitation = live[-1]
        if invitation.devices >= MAX_DEVICES:
            raise UsageError(f"invitation {invitation.id} already opens {MAX_DEVICES} browsers; invite again instead")
        fresh = _stamp(self.clock() + parse_duration(DEFAULT_EXPIRY))
        with self._db() as db:  # an expired link is given the usual two weeks again
            db.execute(
                "UPDATE invitations SET devices = devices + 1, used = NULL, expires = MAX(expires, ?) WHERE id = ?",
                (fresh, invitation.id),
            )
        return self._invitation(invitation.id)

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
