"""Which language a text is in, offline: py3langid, limited to the languages this server translates from.

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

LibreTranslate's answers are kept: confidences from 0 to 100, at most three
candidates, best first; a text without letters is reported as the project's
source language with confidence 0.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from translate.languages import base_language

CANDIDATES_SHOWN = 3
MIN_CONFIDENCE = 0.5  # percent: candidates below this are noise, not an answer
LABELS = {"zt": ("zh",), "hbs": ("hr", "sr", "bs", "sh")}
"""py3langid's labels for project codes that are not a language part of their own."""


@dataclass(frozen=True)
class Guess:
    language: str  # a project code this server translates from
    confidence: float  # 0-100

    def to_dict(self, code: str) -> dict[str, object]:
        return {"confidence": self.confidence, "language": code}


class Detector:
    """A py3langid identifier limited to `languages` (project codes); thread-safe once built."""

    def __init__(self, languages: Iterable[str], fallback: str = "en") -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier  # numpy and a 4 MB model: only for detection

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        known = set(identifier.labels)
        self.codes: dict[str, str] = {}  # py3langid label -> project code
        for code in sorted(languages, key=lambda c: ("_" in c, c)):  # 'pt' before 'pt_BR'
            for label in LABELS.get(code, (base_language(code),)):
                if label in known:
                    self.codes.setdefault(label, code)
        if self.codes:
            identifier.set_languages(sorted(self.codes))
        self.identifier = identifier
        self.fallback = fallback

    def detect(self, text: str) -> list[Guess]:
        """The likeliest languages, best first (at most three)."""
        if not self.codes or not any(c.isalpha() for c in text):
            return [Guess(self.fallback, 0.0)]
        shares: dict[str, float] = {}
        for label, p in self.identifier.rank(text):
            if label in self.codes:
                code = self.codes[label]
                shares[code] = shares.get(code, 0.0) + p
        ranked = sorted(shares.items(), key=lambda item: -item[1])[:CANDIDATES_SHOWN]
        guesses = [Guess(code, round(p * 100, 1)) for code, p in ranked if p * 100 >= MIN_CONFIDENCE]
        return guesses or [Guess(self.fallback, 0.0)]


class LazyDetector:
    """Builds the Detector on first use (py3langid loads in about 0.6 s), once, from any thread."""

    def __init__(self, languages: Callable[[], Iterable[str]], fallback: str) -> None:
        self._languages = languages
        self._fallback = fallback
        self._detector: Detector | None = None
        self._lock = threading.Lock()

    def get(self) -> Detector:
        with self._lock:
            if self._detector is None:
                self._detector = Detector(self._languages(), self._fallback)
            return self._detector
