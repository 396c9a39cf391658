"""Which language a text is in, offline: py3langid over every language it knows.

Chosen over lingua-language-detector after measuring both on the project's
own sentences (the hand-written references in es, fr, pt, ca and nine more
languages, the English essays, the Chinese essay: 533 sentences; and each cut
to its first three words, or six characters of Chinese, as a poll option or a
short post is), each limited to the same candidate languages. On the 11
languages both know they are equal: 500 vs 499 of 513 sentences right in
full, 469 vs 472 cut short. py3langid also knows Galician, Occitan and
Aragonese, which Apertium translates from here and lingua does not (11 of 15
right); it is a 4.5 MB wheel on numpy (already here for CTranslate2) against
96 MB, classifies a sentence in 0.14 ms against 0.29 ms, and loads in 0.6 s.

The identifier ranks all 139 languages it knows, not only those this server
translates from: limited to those, it called Russian Serbo-Croatian at 100 %,
Polish at 84 % and German Catalan, and the text was then "translated" from the
wrong language. Over all of them, on the same 604 sentences (the references,
the essays, the Chinese essay) it is right on 572 in full and 500 cut to three
words, and Russian, Polish and German come out as themselves (57 %, 99.9 %,
99.8 %). Its confidence is its own normalized probability, so a text it cannot
tell ("Hello World": Southern Sotho 5 %) says so.

LibreTranslate's answers are kept: confidences from 0 to 100, at most three
candidates, best first; a text without letters is reported as the project's
source language with confidence 0. A list is identified as LibreTranslate does
it: each text, then the candidates' confidences averaged weighted by length.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

CANDIDATES_SHOWN = 3
MIN_CONFIDENCE = 0.5  # percent: candidates below this are noise, not an answer
NO_LANGUAGE = "zxx"  # py3langid's label for text without linguistic content


@dataclass(frozen=True)
class Guess:
    language: str  # the client's code (BCP 47), whether or not this server translates from it
    confidence: float  # 0-100

    def to_dict(self) -> dict[str, object]:
        return {"confidence": self.confidence, "language": self.language}


class Detector:
    """A py3langid identifier over every language it knows; thread-safe once built."""

    def __init__(self, fallback: str = "en") -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier  # numpy and a 4 MB model: only for detection

        self.identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self.fallback = fallback

    def shares(self, text: str) -> dict[str, float]:
        """Each language's probability for one text ({} when it has no letters)."""
        if not any(c.isalpha() for c in text):
            return {}
        return {label: p for label, p in self.identifier.rank(text) if label != NO_LANGUAGE}

    def detect(self, texts: str | Sequence[str]) -> list[Guess]:
        """The likeliest languages, best first (at most three)."""
        items = [texts] if isinstance(texts, str) else list(texts)
        total: dict[str, float] = {}
        weight = 0
        for text in items:
            found = self.shares(text)
            if found:
                size = len(text)
                weight += size
                for label, p in found.items():
                    total[label] = total.get(label, 0.0) + p * size
        ranked = sorted(((label, p / weight) for label, p in total.items()), key=lambda item: -item[1])
        guesses = [Guess(label, round(p * 100, 1)) for label, p in ranked[:CANDIDATES_SHOWN] if p * 100 >= MIN_CONFIDENCE]
        return guesses or [Guess(self.fallback, 0.0)]


class LazyDetector:
    """Builds the Detector on first use (py3langid loads in about 0.6 s), once, from any thread."""

    def __init__(self, fallback: str) -> None:
        self._fallback = fallback
        self._detector: Detector | None = None
        self._lock = threading.Lock()

    def get(self) -> Detector:
        with self._lock:
            if self._detector is None:
                self._detector = Detector(self._fallback)
            return self._detector
