"""Apertium modes kept running: one set of processes per mode, each call a few milliseconds.

`apertium -f txt MODE` starts the mode's whole pipeline for every call: eight
to twelve processes, each loading its transducers and grammars. Measured on
2 cores, that is 0.17-0.53 s per call, most of it start-up, and a batch of ten
sentences for the API takes three to eight calls (the pass with Apertium's
marks, the `-u` pass for sentences with an unknown word, the glossary's
retries). So many small batches, for several language pairs at once, spend
their time starting processes.

Apertium's tools have a null-flush mode (`-z`): each stage finishes what it
has and passes on a NUL. `apertium-wblank-mode -z` writes a mode's pipeline
with it, as `apertium -z` and apertium-apy run it; the same processes then
translate text after text, each ended by a NUL. The text is prepared as the
`apertium` script prepares it (`apertium-destxt`, then `apertium-retxt` on the
result: two small programs, a few milliseconds each), so the output is the
one `apertium -f txt` gives. Measured: the same sentences, byte for byte;
0.008-0.04 s a call once started instead of 0.17-0.53 s.

The processes carry their context from one text into the next (Apertium's
tagger reads the previous word's tag): the first sentence of a call is read as
following the last one of the call before, as each sentence after the first of
one `apertium` call already is. The API, whose batches are whatever requests
arrive together, keeps modes running; `translate run` does not, so that a
run's drafts depend only on its own texts.

A pipeline that does not answer within the engine's timeout, or whose
processes end, is killed (the whole process group) and started afresh on the
next call; the call itself fails with the stages' last words. `close()` ends
them all.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time
from pathlib import Path

from translate.errors import EngineError
from translate.markup import CLOSE, OPEN, has_markers

DEFAULT_DATADIR = "/usr/share/apertium"  # where the `apertium` script looks without -d
STDERR_KEPT = 4_000  # characters of the stages' stderr kept for an error message
CHUNK = 65_536


def mode_file(mode: str, datadir: str | None) -> Path | None:
    """The .mode file `apertium` would run for this mode, or None when there is none."""
    path = Path(datadir or os.environ.get("APERTIUM_DATADIR") or DEFAULT_DATADIR) / "modes" / f"{mode}.mode"
    return path if path.is_file() else None


class Pipeline:
    """One mode's processes, started once, asked one text at a time (the caller holds a lock)."""

    def __init__(self, mode: Path, unknown_marks: bool) -> None:
        script = subprocess.run(
            ["apertium-wblank-mode", "-z", str(mode)], capture_output=True, text=True, encoding="utf-8", timeout=30
        )
        if script.returncode != 0 or not script.stdout.strip():
            raise EngineError(f"apertium-wblank-mode cannot read {mode}: {script.stderr.strip()[-200:]}")
        # $1 is the generator's option, as the `apertium` script sets it: -g marks unknown words, -n (-u) does not
        self._start(["bash", "-c", script.stdout, "bash", "-g" if unknown_marks else "-n", ""])

    @classmethod
    def command(cls, argv: list[str]) -> Pipeline:
        """One null-flush program kept running (`lt-proc -z ANALYSER`: a language's words analysed one by one)."""
        pipeline = cls.__new__(cls)
        pipeline._start(argv)
        return pipeline

    def _start(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        self.stderr = b""
        self.pending = b""  # output read past the last answer: the NULs later stages add

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, text: str, timeout: float) -> str:
        """The programs' answer to one text, as they write it (no format programs around it)."""
        return self._exchange(text.encode("utf-8").rstrip(b"\0") + b"\0", time.monotonic() + timeout).decode("utf-8", "replace")

    def translate(self, text: str, timeout: float) -> str:
        """`apertium -f txt MODE` of the text, through the running processes (markup tokens as blanks)."""
        deadline = time.monotonic() + timeout
        prepared = _run(["apertium-destxt"], text.encode("utf-8"), timeout)
        if has_markers(text):
            prepared = to_stream(prepared.decode("utf-8")).encode("utf-8")
        answer = self._exchange(prepared.rstrip(b"\0") + b"\0", deadline)
        if has_markers(text):
            answer = from_stream(answer.decode("utf-8")).encode("utf-8")
        return _run(["apertium-retxt"], answer, max(1.0, deadline - time.monotonic())).decode("utf-8")

    def _exchange(self, data: bytes, deadline: float) -> bytes:
        """Write the NUL-ended input while reading, until one answer (text up to a NUL) is back."""
        assert self.process.stdin and self.process.stdout and self.process.stderr
        stdin, stdout, stderr = self.process.stdin.fileno(), self.process.stdout.fileno(), self.process.stderr.fileno()
        received, written = bytearray(self.pending), 0
        while True:
            answer = _answer(received)
            if answer is not None:
                body, rest = answer
                self.pending = rest
                return body
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise EngineError(f"apertium did not answer within the timeout{self._last_words()}")
            readers = [stdout, stderr]
            writers = [stdin] if written < len(data) else []
            ready_read, ready_write, _ = select.select(readers, writers, [], remaining)
            if ready_write:
                try:
                    written += os.write(stdin, data[written : written + CHUNK])
                except BrokenPipeError:
                    raise EngineError(f"apertium stopped{self._last_words()}") from None
            for fd in ready_read:
                chunk = os.read(fd, CHUNK)
                if fd == stderr:
                    self.stderr = (self.stderr + chunk)[-STDERR_KEPT:]
                elif not chunk:
                    raise EngineError(f"apertium stopped{self._last_words()}")
                else:
                    received += chunk

    def _last_words(self) -> str:
        lines = [line for line in self.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        return f": {lines[-1].strip()}" if lines else ""

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        self.process.wait()


def _answer(received: bytearray) -> tuple[bytes, bytes] | None:
    """The first answer in what was read (leading NULs, left by the previous answer, skipped), and the rest."""
    start = 0
    while start < len(received) and received[start] == 0:
        start += 1
    end = received.find(b"\0", start)
    if end < 0:
        return None
    return bytes(received[start:end]), bytes(received[end + 1 :])


def _run(argv: list[str], data: bytes, timeout: float) -> bytes:
    """A small format program (apertium-destxt, apertium-retxt) on bytes."""
    done = subprocess.run(argv, input=data, capture_output=True, timeout=timeout)
    if done.returncode != 0:
        raise EngineError(f"{argv[0]} failed: {done.stderr.decode('utf-8', 'replace').strip()[-200:]}")
    return done.stdout


_SPAN = re.compile("([\ue400-\ue7ff])(.*?)([\ue800-\uebff])", re.DOTALL)
_OPAQUE = re.compile("([\ue000-\ue3ff])")
_WORDBOUND = re.compile(r"\[\[t:(\d+)\]\](.*?)\[\[/\]\]", re.DOTALL)


def to_stream(deformatted: str) -> str:
    """A deformatted text (`apertium-destxt`) with its markup tokens as Apertium's blanks (translate/markup.py):
    an opaque token as a superblank (kept in place, never translated), formatting as a wordbound blank on each
    word inside it (the words carry it when the engine reorders them)."""
    stream = _OPAQUE.sub(r"[\1]", deformatted)
    return _SPAN.sub(lambda m: f"[[t:{ord(m.group(1)) - OPEN}]]{m.group(2)}[[/]]", stream)


def from_stream(output: str) -> str:
    """The engine's output stream with its wordbound blanks back as the markers around each word that carries one."""
    return _WORDBOUND.sub(lambda m: chr(OPEN + int(m.group(1))) + m.group(2) + chr(CLOSE + int(m.group(1))), output)
