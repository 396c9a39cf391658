"""Headless Chromium: HTML handouts printed to PDF and photographed as PNG.

Chromium is the engine a reader's browser uses, so what the tests look at is
what gets printed. One-off jobs (`html_to_pdf`, `screenshot`) start a browser
each; `ChromiumSession` keeps one running for many pages.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from translate.errors import TranslateError, UsageError
from translate.fileio import atomic_write_bytes

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_TIMEOUT = 90.0
# Chromium logs D-Bus and GPU complaints on a headless server; they are not errors.
_NOISE = re.compile(r"dbus|DBus|gpu|GPU|Fontconfig|bytes written to file|^\s*$")


def paper_size(paper: str) -> str:
    try:
        return PAPER_SIZES[paper.strip().lower()]
    except KeyError:
        raise UsageError(f"unknown paper size '{paper}' (use A4 or Letter)") from None


def chromium_binary() -> str:
    """The Chromium (or Chrome) executable; TRANSLATE_CHROMIUM overrides the search."""
    override = os.environ.get("TRANSLATE_CHROMIUM")
    candidates = [override] if override else list(CHROMIUM_NAMES)
    for name in candidates:
        found = shutil.which(name)
        if found:
            return found
    raise TranslateError(
        "PDF and PNG handouts need headless Chromium, which was not found: "
        "install the Debian package 'chromium' (apt-get install chromium fonts-noto-core fonts-noto-cjk)"
    )


PROFILE_PREFIX = "translate-chromium-"
_OWNER_LOCK = ".translate-owner.lock"
_HALF_MADE_SECONDS = 60  # a profile folder without its lock yet is being made, unless it is older than this


class Profile:
    """A temporary Chromium profile folder (about 2 MB) that is removed even if this process is killed.

    The folder holds a lock file this process keeps locked (flock) while it
    lives; the kernel drops the lock when the process dies, however it dies.
    Every new profile first removes the unlocked ones this user left behind,
    so a killed `translate handouts` leaves its profile only until the next start.
    """

    def __init__(self) -> None:
        remove_stale_profiles()
        self.name, self._lock = "", -1
        try:
            with _signals_held():  # a SIGTERM while the folder is made is handled once its name is known
                self.name = tempfile.mkdtemp(prefix=PROFILE_PREFIX)
            self._lock = os.open(os.path.join(self.name, _OWNER_LOCK), os.O_CREAT | os.O_RDWR, 0o600)
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        except BaseException:  # a SIGTERM or a failed lock too: no profile folder left behind; re-raised
            self.cleanup()
            raise

    def cleanup(self) -> None:
        """Remove the folder, whole: a SIGTERM meanwhile is handled once it is gone (not half-way through)."""
        with _signals_held():
            if self.name:
                _remove_folder(self.name)
            if self._lock >= 0:
                os.close(self._lock)
                self._lock = -1

    def __enter__(self) -> str:
        return self.name

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


_REMOVAL_SECONDS = 10.0


def _remove_folder(folder: str) -> None:
    """Remove a profile folder, again while it reappears: Chromium's helpers (renderer, crash handler) outlive
    the browser process by a moment and may still write into it (a SIGTERM'd handouts left it behind on a
    loaded machine). Bounded: after `_REMOVAL_SECONDS` what is left is removed by the next start."""
    deadline = time.monotonic() + _REMOVAL_SECONDS
    while True:
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.lexists(folder) or time.monotonic() > deadline:
            return
        time.sleep(0.05)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGTERM and SIGINT for a few statements; one that came meanwhile is handled right after."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def remove_stale_profiles(folder: Path | None = None) -> list[Path]:
    """Remove this user's profile folders whose owner process is gone; return them."""
    removed = []
    for candidate in Path(folder or tempfile.gettempdir()).glob(f"{PROFILE_PREFIX}*"):
        try:
            if not candidate.is_dir() or candidate.is_symlink() or candidate.stat().st_uid != os.getuid():
                continue
            fd = os.open(candidate / _OWNER_LOCK, os.O_RDWR)
        except FileNotFoundError:  # no lock file: being made right now, or left by an older version
            if time.time() - candidate.stat().st_mtime > _HALF_MADE_SECONDS:
                shutil.rmtree(candidate, ignore_errors=True)
                removed.append(candidate)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # its process is alive
        finally:
            os.close(fd)
        shutil.rmtree(candidate, ignore_errors=True)
        removed.append(candidate)
    return removed


def _chromium_command(profile: str) -> list[str]:
    return [
        chromium_binary(),
        "--headless",
        "--no-sandbox",  # needed as root and in containers; pages are our own local files
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--mute-audio",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
    ]


def _run_chromium(args: list[str], html_path: Path, out: Path, timeout: float) -> None:
    """Run one headless Chromium job that writes `out`; atomically, with a clear error."""
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise UsageError(f"{html_path}: no such HTML file")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        with Profile() as profile:
            command = _chromium_command(profile) + [a.replace("{OUT}", tmp) for a in args] + [html_path.as_uri()]
            try:
                done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                raise TranslateError(f"chromium took more than {timeout:.0f} s on {html_path.name}") from None
        if done.returncode != 0 or not os.path.exists(tmp) or os.path.getsize(tmp) == 0:
            lines = [ln for ln in done.stderr.splitlines() if not _NOISE.search(ln)]
            detail = "; ".join(lines[-3:]) or f"exit code {done.returncode}"
            raise TranslateError(f"chromium could not render {html_path.name}: {detail}")
        atomic_write_bytes(out, Path(tmp).read_bytes())
    finally:
        Path(tmp).unlink(missing_ok=True)


def html_to_pdf(html_path: Path, pdf_path: Path, *, paper: str = "A4", timeout: float = CHROMIUM_TIMEOUT) -> Path:
    """Print an HTML file to PDF; the page size comes from the page's CSS (@page size).

    `paper` is checked here so that a caller's typo fails loudly; render the HTML
    with the same paper so that its @page rule matches.
    """
    paper_size(paper)
    flags = ["--no-pdf-header-footer", "--print-to-pdf-no-header", "--print-to-pdf={OUT}"]
    _run_chromium(flags, Path(html_path), Path(pdf_path), timeout)
    return Path(pdf_path)


def screenshot(
    html_path: Path, png_path: Path, *, width: int = 1000, height: int = 1400, timeout: float = CHROMIUM_TIMEOUT
) -> Path:
    """A PNG of the page as a browser window of width x height shows it."""
    flags = [f"--window-size={int(width)},{int(height)}", "--screenshot={OUT}"]
    _run_chromium(flags, Path(html_path), Path(png_path), timeout)
    return Path(png_path)


class ChromiumSession:
    """One headless Chromium for many pages, driven over --remote-debugging-pipe.

    Starting Chromium costs about a second; a run that prints every language's
    handout pays it once. The DevTools protocol travels as NUL-terminated JSON on
    file descriptors 3 (to Chromium) and 4 (from it): no network port, no extra
    library.
    """

    def __init__(self, timeout: float = CHROMIUM_TIMEOUT) -> None:
        self.timeout = timeout
        profile: Profile | None = None
        try:
            with _signals_held():
                profile = Profile()
            self._profile = profile
            self._start()
        except BaseException:  # a failed start, or SIGTERM meanwhile: no browser and no profile left behind
            process = getattr(self, "_process", None)
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
            if profile is not None:
                profile.cleanup()
            raise

    def _start(self) -> None:
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def wire_fds() -> None:  # runs in the child before exec
            read_end, write_end = os.dup(to_child), os.dup(from_child)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        command = _chromium_command(self._profile.name) + ["--remote-debugging-pipe", "about:blank"]
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=wire_fds,
                pass_fds=(3, 4),
            )
        finally:
            os.close(to_child)
            os.close(from_child)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []  # events are not needed; kept until the page closes
        self._target = ""

    def __enter__(self) -> ChromiumSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the browser and remove its profile, even when a SIGTERM interrupts the polite close."""
        try:
            if self._process.poll() is None:
                try:
                    self._send("Browser.close")
                    self._process.wait(timeout=10)
                except (TranslateError, OSError, subprocess.TimeoutExpired):
                    pass
        finally:
            if self._process.poll() is None:  # did not close, or a signal came first: it must not outlive us
                self._process.kill()
                self._process.wait()
            for fd in (self._write, self._read):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._profile.cleanup()

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its answer (events met meanwhile are kept)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise TranslateError(f"chromium: {method} failed: {reply['error'].get('message')}")
                return reply.get("result", {})
            self._events.append(reply)

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._read], [], [], self.timeout)
            chunk = os.read(self._read, 1 << 20) if ready else b""
            if not chunk:
                raise TranslateError("chromium stopped answering (crashed or timed out)")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _open(self, html_path: Path, width: int = 1000, height: int = 1400) -> str:
        html_path = Path(html_path).resolve()
        if not html_path.is_file():
            raise UsageError(f"{html_path}: no such HTML file")
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self._send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        url = html_path.as_uri()
        self._send("Page.navigate", {"url": url}, session)
        # Wait until the new document, and its fonts, are loaded.
        ready = (
            "new Promise(r => (document.readyState === 'complete' ? r() : addEventListener('load', () => r())))"
            ".then(() => document.fonts.ready).then(() => location.href)"
        )
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._send("Runtime.evaluate", {"expression": ready, "awaitPromise": True}, session)
            if answer.get("result", {}).get("value") == url:
                break
            if time.monotonic() > deadline:
                raise TranslateError(f"chromium did not load {html_path.name}")
            time.sleep(0.05)
        self._target = target
        return session

    def _done(self) -> None:
        self._send("Target.closeTarget", {"targetId": self._target})
        self._events.clear()

    def pdf(self, html_path: Path, pdf_path: Path) -> Path:
        session = self._open(html_path)
        result = self._send(
            "Page.printToPDF",
            {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False},
            session,
        )
        self._done()
        atomic_write_bytes(pdf_path, base64.b64decode(result["data"]))
        return Path(pdf_path)

    def screenshot(self, html_path: Path, png_path: Path, *, width: int = 1000, height: int = 1400) -> Path:
        session = self._open(html_path, width, height)
        result = self._send("Page.captureScreenshot", {"format": "png"}, session)
        self._done()
        atomic_write_bytes(png_path, base64.b64decode(result["data"]))
        return Path(png_path)
