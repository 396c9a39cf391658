"""Typography per language: quotation marks, ¿ ¡, no-break spaces, punctuation placement, titles.

Engines copy the English source's typography into every language: “ ” quotes,
a comma inside the closing quote, no ¿ in Spanish, no space before a French
colon, the source's own stray " ;" and " ,", title case in headings. These
are the pipeline's errors, not the engine's, so they are fixed here, on the
translation only (the source file is never touched; `translate check texts`
points at its slips).

Quotation marks come from CLDR (`cldr_delimiters.py`, made from CLDR's XML
by scripts/cldr_delimiters.py: Babel does not ship CLDR's delimiters); the
rest is a small table of rules per language (`RULES`). French spacing follows
the Imprimerie nationale's rules, as the French references do: a no-break
space (U+00A0) before ':' and inside « », a narrow one (U+202F) before ; ! ?.
Every function here is idempotent: finishing a finished text changes nothing
(tests/test_finish.py checks it on every draft), so a table change can be
re-applied to stored drafts without asking an engine again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.finish.cldr_delimiters import QUOTES
from translate.languages import base_language, normalize

NBSP, NNBSP = "\u00a0", "\u202f"
TYPOGRAPHY_VERSION = "3"
"""Bump with any change to the rules below: stored drafts are finished again (no engine call)."""


@dataclass(frozen=True)
class Rules:
    """What a language's typography asks of a machine translation."""

    cldr: str  # the CLDR locale whose quotation marks the language uses
    inverted: bool = False  # ¿ ¡ open questions and exclamations (es, gl, ast)
    french_spacing: bool = False  # no-break spaces before : ; ! ? and inside « »
    outside: str = ""  # punctuation written after a closing quote, never before it
    sentence_case: bool = True  # headings in sentence case ("La fábrica virtual")
    interrogatives: tuple[str, ...] = ()  # words that open a question inside a sentence (where ¿ goes)


_ES_QUESTION = (
    "qué",
    "quién",
    "quiénes",
    "cómo",
    "cuándo",
    "dónde",
    "adónde",
    "cuál",
    "cuáles",
    "cuánto",
    "cuánta",
    "cuántos",
    "cuántas",
    "por qué",
    "acaso",
)
_GL_QUESTION = ("o que", "que", "quen", "como", "cando", "onde", "cal", "cales", "canto", "canta", "cantos", "cantas", "por que")
_AST_QUESTION = ("qué", "quién", "cómo", "cuándo", "ónde", "cuál", "cuálos", "cuánto", "cuánta", "por qué")

RULES: dict[str, Rules] = {
    "es": Rules("es", inverted=True, outside=".,", interrogatives=_ES_QUESTION),
    "gl": Rules("es", inverted=True, outside=".,", interrogatives=_GL_QUESTION),  # « » as the RAG's norms, not CLDR's “ ”
    "ast": Rules("ast", inverted=True, outside=".,", interrogatives=_AST_QUESTION),
    "an": Rules("es", outside=".,"),  # not in CLDR: Aragonese writes « » as Spanish
    "ca": Rules("ca", outside=".,"),
    "pt": Rules("pt_PT", outside=".,"),  # European Portuguese (the glossary's and references' norm)
    "pt_PT": Rules("pt_PT", outside=".,"),
    "pt_BR": Rules("en", outside=","),  # CLDR's root "pt" is Brazilian: “ ”
    "it": Rules("it", outside=".,"),
    "oc": Rules("fr", outside=".,"),  # not in CLDR: Occitan writes « » without French spacing
    "fr": Rules("fr", french_spacing=True, outside=","),  # a quoted whole sentence keeps its stop inside
    "eo": Rules("eo"),
    "ro": Rules("ro", outside=".,"),
    "de": Rules("de"),
    "en": Rules("en", sentence_case=False),
    "zh": Rules("zh", sentence_case=False),
}
"""Languages not listed get CLDR's quotation marks (when CLDR has them) and no other rule."""


def rules_for(language: str) -> Rules | None:
    code = normalize(language)
    found = RULES.get(code) or RULES.get(base_language(code))
    if found is not None:
        return found
    cldr = code if code in QUOTES else base_language(code)
    return Rules(cldr) if cldr in QUOTES else None


# ---------------------------------------------------------------- quotation marks

_OPENERS = "“«„‘‚"
_CLOSERS = "”»“’‘"
_BEFORE_OPENING = " \t\n\u00a0\u202f([{—–-/¿¡\"'«“„‘‚"


@dataclass(frozen=True)
class QuotePair:
    start: int  # index of the opening mark
    end: int  # index of the closing mark
    depth: int  # 0: outermost


def quote_pairs(text: str) -> list[QuotePair]:
    """The quotation-mark pairs of a sentence, whatever marks it uses.

    An apostrophe (’ inside or after a word: l’usine, radicals’) is not a closing
    quote unless a ‘ is open; „ and ‚ close with “ and ‘ (German, Serbian), so a
    finished text parses as the draft did.
    """
    stack: list[tuple[str, int]] = []
    pairs: list[QuotePair] = []
    for i, char in enumerate(text):
        previous = text[i - 1] if i else " "
        following = text[i + 1] if i + 1 < len(text) else " "
        top = stack[-1][0] if stack else ""
        if char in "”»" or (char == "“" and top == "„") or (char == "‘" and top in "‚‘" and top and not previous.isspace()):
            if stack and (char != "»" or top == "«") and (char != "”" or top in "“„"):
                _, start = stack.pop()
                pairs.append(QuotePair(start, i, len(stack)))
            continue
        if char == "’":
            if top in "‘‚" and top and not following.isalnum():
                _, start = stack.pop()
                pairs.append(QuotePair(start, i, len(stack)))
            continue
        if char == '"':
            if top == '"':
                _, start = stack.pop()
                pairs.append(QuotePair(start, i, len(stack)))
            elif previous in _BEFORE_OPENING:
                stack.append((char, i))
            continue
        if char in "“«„‚" or (char == "‘" and previous in _BEFORE_OPENING):
            stack.append((char, i))
    return sorted(pairs, key=lambda p: p.start)


def set_quotes(text: str, rules: Rules) -> str:
    """Every paired quotation mark in the language's own (alternate marks inside),
    with French no-break spaces inside « » or no space inside for the others."""
    marks = QUOTES.get(rules.cldr)
    pairs = quote_pairs(text)
    if marks is None or not pairs:
        return text
    chars = list(text)
    for pair in pairs:
        opening, closing = (marks[0], marks[1]) if pair.depth % 2 == 0 else (marks[2], marks[3])
        chars[pair.start], chars[pair.end] = opening, closing
    out = "".join(chars)
    if quote_pairs(out) != pairs:  # the language's marks would read differently (‘ ‘ in Serbian): leave them
        return text
    # Spaces inside the marks: French takes a no-break space, the others none.
    inside = NBSP if rules.french_spacing else ""
    for opening, closing in {(marks[0], marks[1]), (marks[2], marks[3])}:
        if opening == "«" or not rules.french_spacing:
            fill = inside if opening == "«" else ""
            out = re.sub(f"(?<![\\w{re.escape(closing)}]){re.escape(opening)}[ \u00a0\u202f]*(?=\\S)", opening + fill, out)
            out = re.sub(f"(?<=\\S)[ \u00a0\u202f]*{re.escape(closing)}(?![\\w{re.escape(opening)}])", fill + closing, out)
    return out


def punctuation_outside(text: str, rules: Rules) -> str:
    """'«… voluntad.»' → '«… voluntad».', '‘… viva,’' → '«… viva»,' (not an ellipsis, not before other punctuation)."""
    if not rules.outside:
        return text
    chars = list(text)
    for pair in reversed(quote_pairs(text)):
        at = pair.end - 1
        if at > pair.start and chars[at] in NBSP + NNBSP:
            at -= 1
        following = chars[pair.end + 1] if pair.end + 1 < len(chars) else ""
        if (
            at <= pair.start
            or chars[at] not in rules.outside
            or chars[at - 1] in ".…"
            or (following and following in ".,;:!?…" + _CLOSERS)
        ):
            continue
        mark = chars.pop(at)
        chars.insert(pair.end, mark)
    out = "".join(chars)
    return out if len(quote_pairs(out)) == len(quote_pairs(text)) else text


# ---------------------------------------------------------------- spaces around punctuation

_STRAY_SPACE = re.compile(r"[ \t]+(?=[,.](?!\.)|[;:!?](?!\w))")


def fix_spacing(text: str, rules: Rules) -> str:
    """No space before , . ; : ! ? (the source's ' ;' and ' ,'); French: the no-break ones."""
    if rules.french_spacing:
        text = re.sub(r"[ \t\u00a0\u202f]+(?=[,.])", "", text)
        text = re.sub(
            r"(?<=[^\s\u00a0\u202f!?;:])[ \t\u00a0\u202f]*([;!?]+)(?=[\s\u00a0\u202f»)\]]|$)", lambda m: NNBSP + m.group(1), text
        )
        text = re.sub(r"(?<=[^\s\u00a0\u202f:])[ \t\u00a0\u202f]*:(?=[\s\u00a0»]|$)", NBSP + ":", text)
        return text
    return _STRAY_SPACE.sub("", text)


# ---------------------------------------------------------------- ¿ ¡

SENTENCE_PART = re.compile(r"[^.?!…]*[?!]+")
"""A question or an exclamation up to its marks (finish/defects.py counts the ¿ ¡ it misses with it too)."""
_CLAUSE_BREAK = re.compile(r"(?:^|[,;:—–(«“\"]\s*|\s[—–]\s*)")


def inverted_marks(text: str, rules: Rules) -> str:
    """Open each question with ¿ and each exclamation with ¡ where it starts: at an interrogative
    word after a comma, colon or dash ('Quizás yo, ¿quién sabe?'), else at its sentence's start."""
    if not rules.inverted or not re.search(r"[?!]", text):
        return text
    out: list[str] = []
    cursor = 0
    for match in SENTENCE_PART.finditer(text):
        part = match.group()
        end_mark = part.rstrip()[-1]
        opening = "¿" if end_mark == "?" else "¡"
        if opening in part:
            continue
        start = _question_start(part, rules)
        if start is None:
            continue
        position = match.start() + start
        out.append(text[cursor:position] + opening)
        cursor = position
    out.append(text[cursor:])
    return "".join(out)


def _question_start(part: str, rules: Rules) -> int | None:
    """Where in a sentence part ending in ? or ! the inverted mark goes (None: nowhere sensible)."""
    body = part.rstrip("?! \u00a0")
    lower = body.lower()
    best = None
    for m in _CLAUSE_BREAK.finditer(lower):
        head = lower[m.end() :]
        if m.start() and any(
            head.startswith(word) and not head[len(word) : len(word) + 1].isalpha() for word in rules.interrogatives
        ):
            best = m.end()
    if best is not None:
        return best
    lead = len(part) - len(part.lstrip(" \t\n\u00a0\"'«“„‘—–-"))
    if lead >= len(body) or not body[lead:].strip():
        return None
    return lead


# ---------------------------------------------------------------- titles


def sentence_case(title: str, lowercase_ok) -> str:
    """'La Fábrica Virtual' → 'La fábrica virtual', for a title in English title case (most of its
    words after the first capitalised): a capitalised word is lowered when `lowercase_ok(word)` says
    the language writes it in lower case (a dictionary knows the lower-case form), so names stay."""
    words = list(re.finditer(r"\w[\w-]*", title))[1:]
    capitalised = [m for m in words if m.group()[:1].isupper() and not m.group().isupper()]
    long_words = [m for m in words if len(m.group()) > 3]
    if not long_words or sum(1 for m in long_words if m in capitalised) * 3 < len(long_words) * 2:
        return title
    out = title
    for m in capitalised:
        word = m.group()
        if word[1:] == word[1:].lower() and lowercase_ok(word):
            out = out[: m.start()] + word[:1].lower() + word[1:] + out[m.end() :]
    return out


def typeset(text: str, language: str, *, heading: bool = False, lowercase_ok=None) -> str:
    """A machine translation in its language's typography (idempotent: the rules are applied
    until nothing changes, which one pass reaches on real text; odd strings may take two)."""
    rules = rules_for(language)
    if rules is None:
        return text
    for _ in range(4):
        done = _typeset_once(text, rules)
        if done == text:
            break
        text = done
    if heading and rules.sentence_case and lowercase_ok is not None:
        text = sentence_case(text, lowercase_ok)
    return text


def _typeset_once(text: str, rules: Rules) -> str:
    text = fix_spacing(text, rules)
    text = set_quotes(text, rules)
    text = punctuation_outside(text, rules)
    text = inverted_marks(text, rules)
    return fix_spacing(text, rules) if rules.french_spacing else text
