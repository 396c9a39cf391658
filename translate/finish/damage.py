"""What the pipeline changed in a sentence against the raw engine, and whether a reader is worse off.

The glossary layer and finishing change the engine's sentence; each change is
classified here, word by word, with the target language's own Apertium
morphology rather than word lists: its analyser (gender, number, part of
speech of every word: `lt-proc` with an installed `.automorf.bin`) and its
post-generator (the engine's own elision and contraction rules, `lt-proc -p`:
"~que intellectuels" → "qu'intellectuels", "~de el" → "del").

Classes, per sentence:

- term-pinned: a glossary term the raw engine missed is rendered as pinned;
- typography: only quotation marks, spaces, punctuation differ;
- agreement-repaired / agreement-broken: a determiner or adjective and its noun,
  or a finite verb and its subject noun, agree in gender and number in one text
  and not in the other ("el viejo modos", "Capitalistes ne peut pas");
- order-repaired / order-broken: an adjective before its noun where the
  language puts it after (or the other way round), against the raw engine, or a
  pinned adjective left where English puts it ("dialéctico desarrollo");
- elision-repaired / elision-broken: a pair of words the language's
  post-generator would elide or contract ("que intellectuels", "de usine");
- possessive-broken: the source's "X's N" lost the preposition the raw engine
  gave X ("Yasha Levine búsqueda");
- casing-repaired / casing-broken: a word's capital changed inside a sentence
  ("Plusvalía Está producido"; "Mano Invisible" against a lower-case glossary);
- other: any other change of words (a choice the engine made in another context).

A class ending in "-broken" is damage: the run keeps the engine's sentence
instead (translate.run.pipeline), and `make bench` counts them per language; they
must be 0. An issue found in both texts is the engine's, not the pipeline's, and so is a
disagreement between a pinned noun and a word the engine wrote where the engine's own noun
disagreed with that word too ('La plusvalía es producido', raw 'El más-valía es producido').
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from translate.engines.lttoolbox import LtProc, Reading, escape
from translate.languages import adjective_before_noun

CLASSES = (
    "term-pinned",
    "typography",
    "agreement-repaired",
    "agreement-broken",
    "order-repaired",
    "order-broken",
    "elision-repaired",
    "elision-broken",
    "possessive-broken",
    "casing-repaired",
    "casing-broken",
    "other",
)
BROKEN = tuple(c for c in CLASSES if c.endswith("-broken"))

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_NOMINAL = {"n", "np"}
_DETERMINER = {"det", "predet"}
_FINITE = {"pri", "pii", "ifi", "fti", "cni", "prs", "pis", "fts", "pres", "past", "cond", "fut", "imp"}
_VERBS = {"vblex", "vbser", "vbhaver", "vbmod", "vaux"}
_SKIP_BEFORE_VERB = {"adv", "prn", "neg", "cm"}
_GENDERS = {"m", "f", "nt", "mf", "GD", "mi", "ma"}
_NUMBERS = {"sg", "pl", "sp", "ND"}
_SENTENCE_END = re.compile(r"[.!?:;»«\"“”—–(\[]\s*$")
_POSSESSIVE = re.compile(r"(\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)['’]s?\b")


@dataclass(frozen=True)
class Issue:
    """A grammar problem in one text: its kind, the words it is between (lower case) and where they are."""

    kind: str  # agreement | order | elision | adjective-before | adjective-after
    words: tuple[str, ...]
    at: tuple[int, ...] = field(default=(), compare=False)  # token indices


@dataclass(frozen=True)
class Token:
    """A unit of an analysed text (word or punctuation) and where it is in the text."""

    surface: str
    readings: tuple[Reading, ...]
    start: int
    end: int

    @property
    def word(self) -> bool:
        return bool(_WORD.search(self.surface))

    def has(self, *categories: str) -> bool:
        return any(r.category in categories for r in self.readings)

    def readings_of(self, categories: set[str]) -> list[Reading]:
        return [r for r in self.readings if r.category in categories]


@dataclass
class Verdict:
    """The classified changes of one sentence (class -> the words that show it)."""

    changes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, evidence: str) -> None:
        self.changes.setdefault(kind, []).append(evidence)

    @property
    def broken(self) -> list[str]:
        return [kind for kind in BROKEN if kind in self.changes]

    def describe(self) -> str:
        return "; ".join(f"{kind}: {', '.join(words)}" for kind, words in self.changes.items())


def _gender(reading: Reading) -> str:
    return next((t for t in reading.tags if t in _GENDERS), "")


def _number(reading: Reading) -> str:
    return next((t for t in reading.tags if t in _NUMBERS), "")


def _compatible(a: str, b: str, loose: set[str]) -> bool:
    return not a or not b or a == b or a in loose or b in loose


def agree(first: Reading, second: Reading, gender: bool = True) -> bool:
    """Whether two readings agree in gender (when asked) and number; unmarked or either-gender tags agree."""
    same_number = _compatible(_number(first), _number(second), {"sp", "ND"})
    if not gender:
        return same_number
    g1, g2 = _gender(first), _gender(second)
    if {g1, g2} <= {"m", "mi", "ma"}:
        g1 = g2 = "m"
    return same_number and _compatible(g1, g2, {"mf", "GD"})


def _lexical(reading: Reading) -> str:
    """A reading as a generator reads it: '^que<cnjsub>$' (the lemma's reserved characters escaped)."""
    return "^" + escape(reading.lemma) + "".join(f"<{t}>" for t in reading.tags) + "$"


def _prepositional(token: Token) -> bool:
    return token.has("pr") or any(p[1][:1] == ("pr",) for r in token.readings for p in r.parts)


class Judge:
    """Classifies the changes between a raw engine sentence and the pipeline's, in one language.

    `renderings`: the glossary's renderings in the language (what a problem found wholly inside one of
    them is not the pipeline's: the glossary's own wording); `phrases`: those of its titles, clauses
    and quotations, which no elision or contraction joins ("de O capital")."""

    def __init__(
        self,
        language: str,
        analyser: LtProc | None,
        postgenerator: LtProc | None = None,
        pinned_adjectives: Sequence[str] = (),
        renderings: Sequence[str] = (),
        phrases: Sequence[str] = (),
        generator: LtProc | None = None,
    ) -> None:
        self.language = language
        self.analyser = analyser
        self.postgenerator = postgenerator
        self.generator = generator
        self.pinned_adjectives = {a.lower() for a in pinned_adjectives}
        self.renderings = sorted({r for r in renderings if " " in r}, key=len, reverse=True)
        self.phrases = sorted(set(phrases), key=len, reverse=True)
        self.after = not adjective_before_noun(language)

    # ---------------------------------------------------------------- reading a text

    def tokens(self, texts: Sequence[str]) -> list[list[Token]]:
        """Each text's words and punctuation as the analyser reads them (one process for all texts)."""
        normalized = [" ".join(t.split()) for t in texts]
        if self.analyser is None:
            return [[Token(m.group(), (), m.start(), m.end()) for m in _WORD.finditer(t)] for t in normalized]
        out = []
        for text, units in zip(normalized, self.analyser.analyse([escape(t) for t in normalized]), strict=True):
            tokens, cursor = [], 0
            for unit in units:
                at = text.find(unit.surface, cursor)
                if at < 0:
                    at = cursor
                tokens.append(Token(unit.surface, unit.readings, at, at + len(unit.surface)))
                cursor = at + len(unit.surface)
            out.append(tokens)
        return out

    def issues(self, tokens: Sequence[Token]) -> set[Issue]:
        """Agreement, order and elision problems in one analysed text."""
        return self._noun_phrases(tokens) | self._subjects(tokens) | self._elisions(tokens) | self._doubled(tokens)

    def _noun_phrases(self, tokens: Sequence[Token]) -> set[Issue]:
        found: set[Issue] = set()
        for i, token in enumerate(tokens):
            nouns = token.readings_of({"n"})
            if not nouns or any(r.category in _VERBS and ("p3" in r.tags or r.category != "vblex") for r in token.readings):
                continue  # a noun that may as well be a verb ('son'): nothing to be sure of
            found |= self._before_noun(tokens, i, nouns)
            if self.after:  # elsewhere an adjective after a noun is a predicate, or the next noun's
                found |= self._after_noun(tokens, i, nouns)
        return found

    def _before_noun(self, tokens: Sequence[Token], i: int, nouns: list[Reading]) -> set[Issue]:
        """Determiners and adjectives right before a noun (adjectives in between) agree with it."""
        found: set[Issue] = set()
        j = i - 1
        while j >= 0 and tokens[j].word:
            before = tokens[j]
            dets, adjs = before.readings_of(_DETERMINER), before.readings_of({"adj"})
            if not dets and (not adjs or before.has("n", "pr", "prn", "rel", "cnjsub", "cnjcoo", "adv", "num", *_VERBS)):
                break
            words, at = (before.surface.lower(), tokens[i].surface.lower()), (j, i)
            if not any(agree(c, n) for c in dets or adjs for n in nouns):
                found.add(Issue("agreement", words, at))
            if not dets:
                if self.after and words[0] in self.pinned_adjectives:
                    found.add(Issue("order", words, at))
                found.add(Issue("adjective-before", (adjs[0].lemma.lower(), nouns[0].lemma.lower()), at))
                j -= 1
                continue
            break
        return found

    def _after_noun(self, tokens: Sequence[Token], i: int, nouns: list[Reading]) -> set[Issue]:
        """Adjectives right after a noun agree with it, or with the noun its complement hangs on
        ('modos de producción viejos')."""
        found: set[Issue] = set()
        k = i + 1
        while k < len(tokens) and tokens[k].word:
            after = tokens[k]
            adjs = after.readings_of({"adj"})
            if not adjs or after.has("n", "det", "pr", "prn", "rel", "adv", *_VERBS):
                break
            if not any(agree(a, n) for a in adjs for n in nouns + _governor(tokens, i)):
                found.add(Issue("agreement", (tokens[i].surface.lower(), after.surface.lower()), (i, k)))
            found.add(Issue("adjective-after", (adjs[0].lemma.lower(), nouns[0].lemma.lower()), (k, i)))
            k += 1
        return found

    def _subjects(self, tokens: Sequence[Token]) -> set[Issue]:
        """A finite verb in the third person and the noun heading its subject (the nearest noun before
        it in its clause, past a complement 'de los comunistas') must agree in number; a subject of
        several nouns ('Lenin, Stalin e Mao') is not judged."""
        found = set()
        for i, token in enumerate(tokens):
            verbs = [r for r in token.readings if r.category in _VERBS and "p3" in r.tags and set(r.tags) & _FINITE]
            if not verbs or not all(r.category in _VERBS for r in token.readings if not r.parts):
                continue  # only a word that can be nothing but a verb
            head = _subject(tokens, i)
            if head is None:
                continue
            nouns = tokens[head].readings_of(_NOMINAL)
            if not any(agree(v, n, gender=False) for v in verbs for n in nouns):
                found.add(Issue("agreement", (tokens[head].surface.lower(), token.surface.lower()), (head, i)))
            participle = _participle_after(tokens, i) if any(v.category == "vbser" for v in verbs) else None
            if participle is not None and not any(
                agree(p, n) for p in tokens[participle].readings if "pp" in p.tags for n in nouns
            ):
                found.add(
                    Issue("agreement", (tokens[head].surface.lower(), tokens[participle].surface.lower()), (head, participle))
                )
        return found

    def _marked(self, token: Token) -> bool:
        """Whether the generator writes this word with the post-generator's mark ('~que', '~de'): only such
        a word is elided or contracted by the engine, and then as the post-generator says."""
        if self.generator is None or not token.readings:
            return False
        readings = [_lexical(r) for r in token.readings if not r.parts]
        made = [m for m in self.generator.run(readings) if m and "#" not in m] if readings else []
        # marked in every reading it may have ('de', 'que'); 'en' the preposition is not, 'en' the pronoun is
        return bool(made) and all(m.startswith("~") and m[1:].lower() == token.surface.lower() for m in made)

    def _doubled(self, tokens: Sequence[Token]) -> set[Issue]:
        """A subject said twice: a noun, then the personal pronoun standing for it, then its verb ("ces
        technologies ils ont")."""
        found = set()
        for i in range(1, len(tokens) - 1):
            pronoun, noun, verb = tokens[i], tokens[i - 1], tokens[i + 1]
            personal = [r for r in pronoun.readings if r.category == "prn" and "p3" in r.tags and "tn" in r.tags]
            if not personal or len(personal) != len(pronoun.readings) or not noun.readings_of({"n"}):
                continue
            finite = [r for r in verb.readings if r.category in _VERBS and set(r.tags) & _FINITE]
            if finite and any(agree(p, n, gender=False) for p in personal for n in noun.readings_of({"n"})):
                found.add(Issue("agreement", (noun.surface.lower(), pronoun.surface.lower()), (i - 1, i)))
        return found

    def _elisions(self, tokens: Sequence[Token]) -> set[Issue]:
        """Pairs of words the engine's post-generator would elide or contract ('que intellectuels'), each
        word marked as the engine's generator marks it ('~di ~una' stays, '~de usine' does not)."""
        if self.postgenerator is None or self.generator is None:
            return set()
        marked = [t.word and self._marked(t) for t in tokens]
        pairs = [(n, n + 1) for n in range(len(tokens) - 1) if marked[n] and tokens[n + 1].word]
        if not pairs:
            return set()
        lines = [f"~{escape(tokens[a].surface)} {'~' if marked[b] else ''}{escape(tokens[b].surface)}" for a, b in pairs]
        found = set()
        for (a, b), made in zip(pairs, self.postgenerator.run(lines), strict=True):
            said = f"{tokens[a].surface} {tokens[b].surface}"
            if made.strip() and made.strip().replace("~", "") != said:
                found.add(Issue("elision", (tokens[a].surface.lower(), tokens[b].surface.lower()), (a, b)))
        return found

    # ---------------------------------------------------------------- comparing

    def judge(self, source: str, raw: str, draft: str, pinned: Sequence[str] = (), engine: Sequence[str] = ()) -> Verdict:
        """The changes from `raw` to `draft` (the pipeline's sentence), classified. `pinned`: the
        concepts the draft renders as the glossary says and the raw engine did not; `engine`: other
        texts the engine itself wrote for the sentence (with the glossary in its dictionaries, or with
        placeholders): a pair of words they hold was elided or not by the engine's own post-generator."""
        return self.judge_many([(source, raw, draft, pinned)], [engine])[0]

    def judge_many(
        self, cases: Sequence[tuple[str, str, str, Sequence[str]]], engine: Sequence[Sequence[str]] = ()
    ) -> list[Verdict]:
        analysed = self.tokens([text for _, raw, draft, _ in cases for text in (raw, draft)])
        if self.generator is not None:  # every word's marks in one process (cached for `_marked`)
            readings = {_lexical(r) for tokens in analysed for t in tokens for r in t.readings if not r.parts}
            self.generator.run(sorted(readings))
        written = list(engine) + [()] * (len(cases) - len(engine))
        return [
            self._compare(source, raw, draft, pinned, analysed[2 * n], analysed[2 * n + 1], written[n])
            for n, (source, raw, draft, pinned) in enumerate(cases)
        ]

    def _own_wording(self, text: str, tokens: Sequence[Token]) -> tuple[list[set[int]], set[int]]:
        """The token indices of each glossary rendering found in a text, and the first tokens of its phrases."""
        lowered = " ".join(text.split()).lower()
        spans, openings = [], set()
        for rendering, is_phrase in [(r, False) for r in self.renderings] + [(p, True) for p in self.phrases]:
            for m in re.finditer(r"(?<!\w)" + re.escape(rendering.lower()) + r"\w{0,3}(?!\w)", lowered):
                inside = {n for n, t in enumerate(tokens) if t.start >= m.start() and t.end <= m.end()}
                if inside:
                    spans.append(inside)
                    if is_phrase:
                        openings.add(min(inside))
        return spans, openings

    def _compare(
        self,
        source: str,
        raw: str,
        draft: str,
        pinned: Sequence[str],
        raw_tokens: list[Token],
        draft_tokens: list[Token],
        engine: Sequence[str] = (),
    ) -> Verdict:
        verdict = Verdict()
        if raw == draft:
            return verdict
        for concept in pinned:
            verdict.add("term-pinned", concept)
        raw_words, draft_words = _WORD.findall(raw), _WORD.findall(draft)
        if raw_words == draft_words:
            verdict.add("typography", "")
            return verdict
        spans, openings = self._own_wording(draft, draft_tokens)

        written = " ".join(" ".join(t.split()).lower() for t in (raw, *engine))

        def the_glossarys(issue: Issue) -> bool:
            if any(set(issue.at) <= span for span in spans):
                return True  # wholly inside a rendering: the glossary's own wording
            if issue.kind == "elision" and " ".join(issue.words) in written:
                return True  # the engine wrote the pair itself, through its own post-generator
            return issue.kind == "elision" and issue.at[-1] in openings  # a title or quotation is not elided into

        aligned = _aligned(raw_tokens, draft_tokens)
        unknown = _in_place_of_unknown(raw_tokens, aligned)

        def had_nothing_right(issue: Issue) -> bool:
            return issue.kind == "agreement" and bool(set(issue.at) & unknown)

        found = {i for i in self.issues(draft_tokens) if not the_glossarys(i) and not had_nothing_right(i)}
        engines = {i: pair for i in found if (pair := _wrong_in_raw_too(i, raw_tokens, draft_tokens, aligned))}
        after = found - set(engines)
        before = {  # a disagreement both texts have is the engine's: neither broken nor repaired
            i
            for i in self.issues(raw_tokens)
            if not any(
                i.kind == "agreement" and shared in i.at and set(i.at) - {shared} <= set(span)
                for shared, span in engines.values()
            )
        }
        for issue in sorted(after - before, key=str):
            if issue.kind in ("agreement", "order", "elision"):
                verdict.add(f"{issue.kind}-broken", " ".join(issue.words))
        for issue in sorted(before - after, key=str):
            if issue.kind in ("agreement", "order", "elision"):
                verdict.add(f"{issue.kind}-repaired", " ".join(issue.words))
        self._order(verdict, before, after)
        self._casing(verdict, source, raw, draft)
        self._possessive(verdict, source, raw_tokens, draft_tokens)
        if not verdict.changes or set(verdict.changes) <= {"term-pinned"}:
            changed = [w for w in draft_words if w.lower() not in {r.lower() for r in raw_words}]
            if changed:
                verdict.add("other", " ".join(changed[:6]))
        return verdict

    def _order(self, verdict: Verdict, before: set[Issue], after: set[Issue]) -> None:
        """An adjective and its noun (by lemma) whose order the pipeline turned around."""
        wrong, right = ("adjective-before", "adjective-after") if self.after else ("adjective-after", "adjective-before")
        for issue in after:
            if issue.kind == wrong and Issue(right, issue.words) in before:
                verdict.add("order-broken", " ".join(issue.words))
            elif issue.kind == right and Issue(wrong, issue.words) in before:
                verdict.add("order-repaired", " ".join(issue.words))

    def _casing(self, verdict: Verdict, source: str, raw: str, draft: str) -> None:
        """A word's capital changed inside a sentence, the words around it the same (a name the source
        writes with a capital, 'Marx', is right capitalised)."""
        names = {w for w in re.findall(r"[^\W\d_]+", source) if w[:1].isupper()}
        raw_tokens = [(m.group(), _starts(raw, m.start())) for m in _WORD.finditer(raw)]
        draft_tokens = [(m.group(), _starts(draft, m.start())) for m in _WORD.finditer(draft)]
        matcher = difflib.SequenceMatcher(
            a=[w.lower() for w, _ in raw_tokens], b=[w.lower() for w, _ in draft_tokens], autojunk=False
        )
        for tag, a0, a1, b0, b1 in matcher.get_opcodes():
            if tag != "equal":
                continue
            for (old, old_start), (new, new_start) in zip(raw_tokens[a0:a1], draft_tokens[b0:b1], strict=True):
                if old == new or old_start or new_start or old.isupper() or new.isupper():
                    continue
                if new[:1].isupper() and old[:1].islower():
                    verdict.add("casing-repaired" if new in names else "casing-broken", new)
                elif new[:1].islower() and old[:1].isupper():
                    verdict.add("casing-repaired", new)

    def _possessive(self, verdict: Verdict, source: str, raw_tokens: list[Token], draft_tokens: list[Token]) -> None:
        """'Yasha Levine's research': the raw engine put a preposition before the owner; the draft must too."""
        for match in _POSSESSIVE.finditer(source):
            owner = match.group(1).split()[-1]
            if _introduced(raw_tokens, owner) and not _introduced(draft_tokens, owner):
                verdict.add("possessive-broken", match.group(0))


def _aligned(raw: Sequence[Token], draft: Sequence[Token]) -> dict[int, tuple[bool, range]]:
    """Each draft token's counterpart in the raw text: (True, its one token) where both texts have the same
    word there, (False, the raw tokens it stands in place of) where the pipeline changed the words."""
    matcher = difflib.SequenceMatcher(a=[t.surface.lower() for t in raw], b=[t.surface.lower() for t in draft], autojunk=False)
    out: dict[int, tuple[bool, range]] = {}
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        for b in range(b0, b1):
            out[b] = (True, range(a0 + b - b0, a0 + b - b0 + 1)) if tag == "equal" else (False, range(a0, a1))
    return out


def _in_place_of_unknown(raw: Sequence[Token], aligned: dict[int, tuple[bool, range]]) -> set[int]:
    """The draft's tokens that stand where the raw engine left a word it did not know ('star mode' →
    'star načini'): the raw engine had no agreement there to break."""
    return {b for b, (same, span) in aligned.items() if not same and any(raw[a].word and not raw[a].readings for a in span)}


def _wrong_in_raw_too(
    issue: Issue, raw: Sequence[Token], draft: Sequence[Token], aligned: dict[int, tuple[bool, range]]
) -> tuple[int, range] | None:
    """For a disagreement between a noun the pipeline put in place of other words and a word both texts
    share: that word's raw index and the replaced raw tokens, when no noun among those agreed with it either
    ('La plusvalía es producido' against 'El más-valía es producido': the engine's participle, not the
    pipeline's; the analyser may not have seen it in the raw text, taking 'valía' for a verb)."""
    if issue.kind != "agreement" or len(issue.at) != 2:
        return None
    for noun, partner in (issue.at, issue.at[::-1]):
        noun_same, replaced = aligned.get(noun, (True, range(0)))
        partner_same, shared = aligned.get(partner, (False, range(0)))
        if noun_same or not partner_same or not draft[noun].readings_of(_NOMINAL):
            continue
        nouns = [n for a in replaced for n in raw[a].readings_of(_NOMINAL)]
        if nouns and not any(agree(p, n) for p in raw[shared[0]].readings for n in nouns):
            return shared[0], replaced
    return None


def _governor(tokens: Sequence[Token], noun: int) -> list[Reading]:
    """The noun a complement hangs on ('modos' in 'modos de producción viejos'): an adjective after the
    complement may agree with it instead."""
    for j in range(noun - 1, max(noun - 4, -1), -1):
        if not tokens[j].word:
            return []
        if _prepositional(tokens[j]):
            for k in range(j - 1, max(j - 3, -1), -1):
                found = tokens[k].readings_of({"n"})
                if found:
                    return found
            return []
    return []


def _participle_after(tokens: Sequence[Token], verb: int) -> int | None:
    """A participle after a form of 'to be' ("sono in nessun modo basate"), past adverbs and a short
    adverbial phrase: it agrees with the subject in gender and number."""
    for j in range(verb + 1, min(verb + 6, len(tokens))):
        token = tokens[j]
        if not token.word:
            return None
        readings = [r for r in token.readings if not r.parts]
        if any(r.category in _VERBS and "pp" in r.tags and any(t in _GENDERS for t in r.tags) for r in readings):
            return j if all(r.category in _VERBS or r.category == "adj" for r in readings) else None
        if not token.has("adv", "pr", "det", "n", "adj", "neg"):
            return None
    return None


def _subject(tokens: Sequence[Token], verb: int) -> int | None:
    """The index of the noun heading the subject of the verb at `verb`, when it can be told."""
    j = verb - 1
    while j >= 0 and tokens[j].word and (not tokens[j].readings or tokens[j].has(*_SKIP_BEFORE_VERB)):
        if not tokens[j].readings:
            return None
        j -= 1
    candidate = None
    while j >= 0 and tokens[j].word:
        token = tokens[j]
        if token.has(*_NOMINAL) and not token.has(*(_VERBS | {"pr", "cnjsub", "cnjcoo", "det", "prn", "rel", "adv"})):
            candidate = j
        elif _prepositional(token) and candidate is not None:
            candidate = None  # "de los comunistas": the head is before the preposition
        elif not token.has("adj", "adv", *_DETERMINER):
            break
        j -= 1
    if candidate is None:
        return None
    before = tokens[candidate - 1] if candidate else None
    if before is not None and (not before.word or before.has("cnjcoo")):
        return None  # 'Lenin, Stalin e Mao': several nouns
    return candidate


def _starts(text: str, index: int) -> bool:
    """Whether a word at `index` starts a sentence (or a quotation, a label, a parenthesis)."""
    return not text[:index].strip() or bool(_SENTENCE_END.search(text[:index]))


def _introduced(tokens: Sequence[Token], owner: str) -> bool:
    """Whether a preposition (or a contraction with one) comes right before the owner's name, within three words."""
    for i, token in enumerate(tokens):
        if token.surface != owner and not token.surface.endswith(" " + owner):
            continue
        return any(_prepositional(tokens[j]) for j in range(max(0, i - 3), i))
    return True  # the owner is not there as a word: nothing to compare
