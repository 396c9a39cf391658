"""Degenerate neural output: what a translation that must not be shipped looks like.

Neural models sometimes loop or wander off when a sentence is far from what
they were trained on. Measured on the real zh→en model with one 1,500-character
Chinese sentence: 169 s of decoding, then "to the extent that it is available,"
twenty times over; with repetition penalties it came back as 79 tokens for 891
(most of the sentence dropped). Rule-based engines (Apertium) do neither, so
only engines that say `neural = True` are checked.

`degeneration()` names what is wrong with one output, or returns None:

- too long: more than `max_ratio` times the source's length (plus a few words
  of slack, so that a two-word source may become a short phrase);
- too short: under a fifth of a source of 20 words or more (content dropped);
- stuck: a run of one to eight words repeated four times or more, unless the
  source itself repeats as much ("哈哈哈哈" may well become "ha, ha, ha, ha").

Lengths are in words; in a script written without spaces (Chinese, Japanese,
Thai...) each letter counts as one. Measured on the essays: zh→en outputs run
at 0.4-0.9 English words per Chinese character, Apertium's en→es at 0.9-1.3
words per word, so 3 and 1/5 leave room on both sides.
"""

from __future__ import annotations

import re

from translate.config import LimitsOptions
from translate.languages import is_unspaced

SLACK_WORDS = 8
"""Words an output may exceed the ratio by (short sources vary most)."""

MIN_RATIO = 0.2
"""An output shorter than this share of a source of MIN_SOURCE_WORDS or more has dropped content."""

MIN_SOURCE_WORDS = 20

MAX_PERIOD = 8
"""Longest repeated run looked for, in words."""

MIN_REPEATS = 4
"""A run repeated this many times in a row (and covering STUCK_WORDS words or more) is a loop."""

STUCK_WORDS = 8

_WORD = re.compile(r"\w+")


def words(text: str, language: str) -> list[str]:
    """The words of a text, lower-cased; each letter of an unspaced script is one."""
    if is_unspaced(language):
        return [c for c in text.lower() if c.isalnum()]
    return _WORD.findall(text.lower())


def longest_repeat(units: list[str]) -> tuple[int, list[str]]:
    """The most repeated run of 1..MAX_PERIOD units in a row: (times, the run). Linear for each period."""
    best: tuple[int, list[str]] = (1, [])
    for period in range(1, MAX_PERIOD + 1):
        streak = 0  # units in a row equal to the one a period earlier
        for i in range(period, len(units)):
            if units[i] != units[i - period]:
                streak = 0
                continue
            streak += 1
            times = streak // period + 1
            if times > best[0]:
                best = (times, units[i - period + 1 : i + 1])
    return best


def degeneration(
    source: str, output: str, source_lang: str, target_lang: str, max_ratio: float = LimitsOptions.max_output_ratio
) -> str | None:
    """Why `output` is not a translation of `source` to ship (one short phrase), or None if it may be."""
    source_words, output_words = words(source, source_lang), words(output, target_lang)
    if len(output_words) > max_ratio * len(source_words) + SLACK_WORDS:
        return f"degenerate output: {len(output_words)} words for a source of {len(source_words)}"
    if len(source_words) >= MIN_SOURCE_WORDS and len(output_words) < MIN_RATIO * len(source_words):
        return f"degenerate output: {len(output_words)} words for a source of {len(source_words)} (content dropped)"
    times, run = longest_repeat(output_words)
    if times >= MIN_REPEATS and times * len(run) >= STUCK_WORDS and times > longest_repeat(source_words)[0]:
        return f"degenerate output: “{' '.join(run)}” repeated {times} times"
    return None
