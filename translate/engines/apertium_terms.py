"""The glossary in Apertium's own dictionaries: pinned terms that the engine inflects and agrees with.

Masking a term (a placeholder the engine passes through) costs the sentence its
grammar: Apertium cannot inflect or agree with a word it cannot see ("el viejo
modos de producción", "Plusvalía Está producido", "Yasha Levine búsqueda").
Given the term as a word of its own dictionaries instead, it does all of that by
itself: "Surplus value is produced" → "La plusvalía está producida", "Yasha
Levine's superb research" → "La búsqueda magnífica de Yasha Levine".

For each hop of a route (a mode, A → B) this module writes three small
dictionaries in lttoolbox's XML, compiles them with `lt-comp` and appends them
to copies of the pair's own with `lt-append`:

- the analyser of A learns each term it does not read as one word: multiword
  terms ("surplus value" → surplus value<n><sg>), names ("Yasha Levine" →
  <np><ant>) and unknown words ("commodified" → <adj>);
- the bilingual dictionary maps each such lemma to the pinned rendering, with
  the gender the glossary gives (→ plusvalía<n><f>); where A's word is known
  and the pair prefers another translation ("spectacle" → ojera), a lexical
  selection rule (`lrx-comp`, run after the pair's own) picks the pinned one;
- the generator of B learns every form of a rendering it does not know, made by
  B's own morphology: the words of the rendering are analysed by B's installed
  analysers, an unknown word by its longest known ending ("plusvalía" as
  "valía" → "plusvalías"; "mercantilizado" as "izado"), and each form generated
  from the analysis by the same dictionary inverted (`lt-invert`). Only the
  words of the head phrase inflect: "fuerza de trabajo" → "fuerzas de trabajo",
  "clase obrera" → "clases obreras".

The next hop of a pivot route learns the renderings of the previous one as its
source words (Spanish "plusvalía" → Portuguese "mais-valia"), only where the
pair would not translate them to the pinned rendering by itself. Clauses
(glossary `pos = "phrase"`) are not dictionary words and stay with masking.

A mode file pointing at the new dictionaries (and at the pair's own for the
rest) is written into a cache folder named by a hash of everything it was made
from: the glossary's version, the mode, the pair's files, TERMS_VERSION. A
folder is built once, under a temporary name renamed into place, so runs in
parallel never see half of one. `make bench` (section "damage") measures this
against masking on both essays, sentence by sentence.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate.engines.lttoolbox import LtProc, Reading, Stage, analyser_of, generator_of, mode_stages, stages_text
from translate.errors import EngineError
from translate.fileio import stamp_text
from translate.glossary.model import Concept, Glossary
from translate.languages import adjective_before_noun

TERMS_VERSION = "6"
"""Raised when the dictionaries this module writes change for the same glossary and pairs."""

NUMBERS = ("sg", "pl")
NUMBER_TAGS = {"sg", "pl", "sp", "ND"}
CASES = ("nom", "gen", "dat", "acc", "voc", "loc", "ins")
GENDERS = ("m", "f", "nt")
GENDER_TAGS = {"m", "f", "nt", "mf", "GD", "ma", "mi", "mn", "fn"}
_FUNCTION = {"pr", "det", "cnjcoo", "cnjsub", "cnjadv", "rel", "prn", "vblex", "vbser", "vbhaver", "vbmod", "adv"}
_MIN_ENDING = 3


def cache_root() -> Path:
    """Where built dictionaries are kept between runs (XDG's cache folder)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "translate" / "apertium-terms"


def _run(argv: list[str]) -> None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as err:
        raise EngineError(f"{argv[0]} failed: {err}") from None
    if done.returncode != 0:
        raise EngineError(f"{' '.join(argv[:2])} failed: {(done.stderr or done.stdout).strip()[-300:]}")


def _lexical(lemma: str, tags: Iterable[str]) -> str:
    return lemma + "".join(f"<{t}>" for t in tags)


def _varying(tags: Sequence[str], adjectival: bool) -> tuple[str, ...]:
    """The tags that vary between a word's forms: number and case, and an adjective's own gender."""
    return tuple(t for t in tags if t in NUMBER_TAGS or t in CASES or (adjectival and t in GENDERS))


def _fixed(tags: Sequence[str], adjectival: bool) -> tuple[str, ...]:
    """The tags every form of a word shares, category excluded (a noun's gender; 'mf' of an adjective)."""
    varying = set(_varying(tags, adjectival))
    return tuple(t for t in tags[1:] if t not in varying)


def _substitute(tags: Sequence[str], number: str | None, case: str | None, gender: str | None) -> tuple[str, ...]:
    out = []
    for tag in tags:
        if number and tag in NUMBER_TAGS and tag != "sp":
            tag = number
        elif case and tag in CASES:
            tag = case
        elif gender and tag in GENDERS:
            tag = gender
        out.append(tag)
    return tuple(out)


def _view(reading: Reading, category: str) -> Reading | None:
    """A reading as a term's category: an adjective may be read as a participle ('mercantilizado')."""
    if reading.category == category and not reading.parts:
        return reading
    if category == "adj" and reading.category in ("vblex", "vbser") and "pp" in reading.tags and not reading.parts:
        keep = GENDER_TAGS | NUMBER_TAGS | set(CASES)
        return Reading(reading.lemma, ("adj", *(t for t in reading.tags if t in keep)))
    return None


def _case_like(surface: str, model: str) -> str:
    return surface[:1].upper() + surface[1:] if model[:1].isupper() else surface


# ---------------------------------------------------------------- entries


@dataclass(frozen=True)
class Entry:
    """A term as a word of one language's dictionary: lemma, part of speech, the tags every form
    shares (a noun's gender) and each form by the tags that vary (number, case; an adjective's
    gender). `known`: the pair's own dictionary has it as it is."""

    concept: str
    lemma: str
    category: str  # n | adj | np
    fixed: tuple[str, ...]
    forms: tuple[tuple[tuple[str, ...], str], ...]
    known: bool = False

    def surfaces(self) -> list[str]:
        return list(dict.fromkeys(surface for _, surface in self.forms))

    def lexical(self, varying: Sequence[str] = ()) -> str:
        return _lexical(self.lemma, (self.category, *self.fixed, *varying))

    def stem(self) -> str:
        """What a bilingual dictionary names it by: lemma, category and shared tags."""
        return _lexical(self.lemma, (self.category, *self.fixed))


@dataclass
class Morphology:
    """A language's installed analysers (largest first), for reading a rendering's words and making
    their forms: each analyser is inverted (lt-invert) into a generator of exactly its own words, so
    a form is made by the dictionary that read the word."""

    analysers: list[str]
    workdir: Path
    _proc: dict[str, LtProc] = field(default_factory=dict)
    _inverted: dict[str, LtProc] = field(default_factory=dict)

    def read(self, words: Sequence[str]) -> dict[str, list[tuple[str, Reading]]]:
        """Every reading of each word read as one unit, by analyser: [(analyser, reading)]."""
        found: dict[str, list[tuple[str, Reading]]] = {w: [] for w in words}
        for path in self.analysers:
            proc = self._proc.setdefault(path, LtProc(path))
            for word, units in zip(words, proc.analyse(list(words)), strict=True):
                if len(units) == 1 and units[0].surface == word:
                    found[word] += [(path, r) for r in units[0].readings if not r.parts]
        return found

    def prefetch(self, words: Iterable[str]) -> None:
        """Read every ending of these words, and make every form of what was read, in one process per
        dictionary (each word alone would cost a process per dictionary)."""
        endings = list(dict.fromkeys(e for w in words for e in _endings(w)))
        wanted: dict[str, list[str]] = {}
        for readings in self.read(endings).values():
            for analyser, reading in readings:
                for category in ("n", "adj"):
                    if _view(reading, category) is not None:
                        for tags in _variants(reading, category == "adj"):
                            wanted.setdefault(analyser, []).append(_lexical(reading.lemma, tags))
        for analyser, lexicals in wanted.items():
            self.make(analyser, lexicals)

    def make(self, analyser: str, lexicals: list[str]) -> list[str | None]:
        if analyser not in self._inverted:
            out = self.workdir / f"inverted-{len(self._inverted)}.bin"
            _run(["lt-invert", analyser, str(out)])
            self._inverted[analyser] = LtProc(out, ("-g",))
        return self._inverted[analyser].generate(lexicals)


@dataclass(frozen=True)
class WordForms:
    """One inflecting word of a rendering: its lemma and shared tags in the term's category, and its
    surface per varying tags. `whole`: read as the word itself, not by one of its endings."""

    lemma: str
    fixed: tuple[str, ...]
    forms: dict[tuple[str, ...], str]
    whole: bool


def _endings(word: str) -> list[str]:
    return [word] + [word[i:] for i in range(1, len(word) - _MIN_ENDING + 1)]


def word_forms(word: str, category: str, gender: str, morphology: Morphology) -> WordForms | None:
    """A word's forms in `category` (n or adj), from the first dictionary that reads it, else from its
    longest ending a dictionary reads ('plusvalía' as 'valía' gives 'plusvalías'). `gender` ('m', 'f',
    from the glossary) picks the reading of a noun when it is known."""
    endings = _endings(word)
    found = morphology.read(endings)
    for ending in endings:
        for analyser, reading in found[ending]:
            view = _view(reading, category)
            if view is None or not any(t in NUMBER_TAGS for t in view.tags):
                continue
            if category == "n" and gender[:1] in GENDERS and not {gender[:1], "mf"} & set(view.tags):
                continue
            forms = _inflect(reading, category == "adj", analyser, morphology, ending)
            if not forms:
                continue
            prefix = word[: len(word) - len(ending)]
            made = {tags: prefix + (surface.lower() if prefix else surface) for tags, surface in forms.items()}
            whole = not prefix and view is reading
            return WordForms(reading.lemma if whole else word, _fixed(view.tags, category == "adj"), made, whole)
    return None


def _inflect(
    reading: Reading, adjectival: bool, analyser: str, morphology: Morphology, surface: str
) -> dict[tuple[str, ...], str]:
    """Every form of a reading's lemma that differs from it only in number, case (and an adjective's
    gender), by those tags; {} when the inverted dictionary does not give `surface` back for it."""
    wanted = _variants(reading, adjectival)
    made = morphology.make(analyser, [_lexical(reading.lemma, tags) for tags in wanted])
    forms = {_varying(tags, adjectival): out for tags, out in zip(wanted, made, strict=True) if out}
    if forms.get(_varying(reading.tags, adjectival), "").lower() != surface.lower():
        return {}
    return forms


def _variants(reading: Reading, adjectival: bool) -> list[tuple[str, ...]]:
    """A reading's tags in every number (case, and an adjective's gender)."""
    cases: tuple[str | None, ...] = CASES if any(t in CASES for t in reading.tags) else (None,)
    genders: tuple[str | None, ...] = ("m", "f") if adjectival and any(t in ("m", "f") for t in reading.tags) else (None,)
    return list(dict.fromkeys(_substitute(reading.tags, *combo) for combo in itertools.product(NUMBERS, cases, genders)))


def _categories(word: str, found: dict[str, list[tuple[str, Reading]]]) -> set[str]:
    """The parts of speech a word may be, by the word or, when unknown, by its longest known ending."""
    for ending in _endings(word):
        cats = {r.category for _, r in found.get(ending, [])}
        cats |= {"adj" for _, r in found.get(ending, []) if _view(r, "adj") is not None}
        if cats:
            return cats if ending == word else cats & {"n", "adj"}
    return set()


def head_phrase(words: Sequence[str], found: dict[str, list[tuple[str, Reading]]], language: str) -> tuple[int, int, int] | None:
    """(first, noun, last) indices of the words ADJ* N ADJ* that inflect, before any function word:
    the last noun in a language that puts adjectives first ('labour power'), else the first
    ('fuerza de trabajo', 'clase obrera'); a second noun after it is a complement ('višak vrednosti')."""
    categories = [_categories(w, found) for w in words]
    end = len(words)
    for i, cats in enumerate(categories):
        if i and cats and not cats & {"n", "adj"}:
            end = i
            break
    nouns = [i for i in range(end) if "n" in categories[i] or not categories[i]]
    if not nouns:
        return None
    noun = nouns[-1] if adjective_before_noun(language) else nouns[0]
    first, last = noun, noun
    while first > 0 and "adj" in categories[first - 1]:
        first -= 1
    while last + 1 < end and "adj" in categories[last + 1] and "n" not in categories[last + 1] - {"adj"}:
        last += 1
    return first, noun, last


def target_entry(concept: Concept, language: str, morphology: Morphology) -> Entry | None:
    """A concept's pinned rendering in `language` as a word of its dictionaries, with all its forms:
    made by the language's own morphology (a multiword rendering inflects its head phrase: 'fuerzas de
    trabajo', 'clases obreras'), else the forms the glossary itself lists with their gender and
    number; None when neither can tell."""
    termset = concept.languages[language]
    term = termset.preferred
    made = _made_entry(concept, term, language, morphology, termset.grammar_of(term))
    listed = glossary_entry(concept, language)
    if made is not None and listed is not None and made.category == "adj" and "mf" not in made.fixed:  # the glossary fills
        forms = {**dict(listed.forms), **dict(made.forms)}
        return Entry(made.concept, made.lemma, made.category, made.fixed, tuple(sorted(forms.items())))
    return made or listed


def glossary_entry(concept: Concept, language: str) -> Entry | None:
    """The rendering's forms as the glossary lists them ('marchandisé' m, 'marchandisée' f...), for a
    word no installed dictionary knows; only the forms of the pinned rendering's own gender (a noun)."""
    termset = concept.languages[language]
    category = "adj" if concept.pos == "adjective" else "n"
    pinned = termset.grammar_of(termset.preferred)
    if category == "n" and (not pinned or pinned == "p"):
        return None  # a noun's forms are of one gender: the glossary must say it
    if category == "adj" and not any(termset.grammar):
        return None
    forms: list[tuple[tuple[str, ...], str]] = []
    listed = list(zip(termset.terms, termset.grammar, strict=False))
    for term, grammar in reversed(listed):  # the pinned rendering last: its forms win over a variant's
        if not grammar and category == "n":
            continue
        number = "pl" if grammar.endswith("p") else "sg"
        gender = grammar.rstrip("p")
        if category == "n" and gender == pinned.rstrip("p"):
            forms.append(((number,), term))
        elif category == "adj":
            forms += [((g, number), term) for g in ([gender] if gender else ["m", "f"])]
    if not forms:
        return None
    fixed = (pinned.rstrip("p"),) if category == "n" else ()
    lemma = next((t for v, t in forms if "sg" in v), termset.preferred)
    return Entry(concept.id, lemma, category, fixed, tuple(sorted(dict(forms).items())))


def _made_entry(concept: Concept, term: str, language: str, morphology: Morphology, grammar: str) -> Entry | None:
    """`term` with its forms made by the installed dictionaries of `language`."""
    category = "adj" if concept.pos == "adjective" else "n"
    gender = grammar[:1] if grammar[:1] in GENDERS else ""
    words = term.split(" ")
    if len(words) == 1:
        made = word_forms(term, category, gender, morphology)
        if made is None:
            return None
        fixed = _settle_gender(made.fixed, gender)
        lemma = made.lemma if made.whole and fixed == made.fixed else term
        made_forms = tuple(sorted((tags, _case_like(surface, term)) for tags, surface in made.forms.items()))
        return Entry(concept.id, _singular_lemma(lemma, made_forms, grammar), category, fixed, made_forms)
    if category != "n":
        return None
    found = morphology.read([e for w in words for e in _endings(w)])
    head = head_phrase(words, found, language)
    if head is None:
        return None
    first, noun, last = head
    noun_forms = word_forms(words[noun], "n", gender, morphology)
    if noun_forms is None:
        return None
    fixed = _settle_gender(noun_forms.fixed, gender)
    agree = next((t for t in fixed if t in GENDERS), None)
    adjectives: dict[int, dict[tuple[str, ...], str]] = {}
    for i in range(first, last + 1):
        if i == noun:
            continue
        adjective = word_forms(words[i], "adj", "", morphology)
        if adjective is None:
            return None
        adjectives[i] = {
            tuple(t for t in tags if t not in GENDERS): surface
            for tags, surface in adjective.forms.items()
            if agree is None or agree in tags or not set(GENDERS) & set(tags)
        }
    forms: list[tuple[tuple[str, ...], str]] = []
    for tags, surface in noun_forms.forms.items():
        if all(tags in inflected for inflected in adjectives.values()):
            out = list(words)
            out[noun] = _case_like(surface, words[noun])
            for i, inflected in adjectives.items():
                out[i] = _case_like(inflected[tags], words[i])
            forms.append((tags, " ".join(out)))
    if not forms:
        return None
    return Entry(concept.id, _singular_lemma(term, tuple(sorted(forms)), grammar), "n", fixed, tuple(sorted(forms)))


def _settle_gender(fixed: tuple[str, ...], gender: str) -> tuple[str, ...]:
    """A noun of either gender ('capitalista', 'frente': mf) takes the one the glossary gives it."""
    if gender and "mf" in fixed:
        return tuple(gender if t == "mf" else t for t in fixed)
    return fixed


def _singular_lemma(lemma: str, forms: tuple[tuple[tuple[str, ...], str], ...], grammar: str) -> str:
    """A rendering pinned in the plural ('frentes únicos') is named by its singular, as its singular concept is."""
    if not grammar.endswith("p"):
        return lemma
    singular = [surface for tags, surface in forms if "sg" in tags and (not set(CASES) & set(tags) or "nom" in tags)]
    return singular[0] if singular else lemma


def source_entries(
    concept: Concept, surfaces: Sequence[str], analyser: LtProc, language: str, name_tags: tuple[str, ...], plural: bool
) -> list[Entry]:
    """A concept's source terms as words of the pair's analyser: one it reads as a single word of the
    concept's category is known (nothing to add); the others become entries of one lemma per concept,
    numbered as their head noun (or, when the analyser cannot tell, as the rendering: `plural`)."""
    category = "np" if not concept.translate else "adj" if concept.pos == "adjective" else "n"
    lemma = surfaces[0]
    entries = []
    for surface, units in zip(surfaces, analyser.analyse(list(surfaces)), strict=True):
        if len(units) == 1 and units[0].surface == surface:
            matching = [r for r in units[0].readings if r.category == category and not r.parts]
            if matching:
                reading = matching[0]
                forms = ((_varying(reading.tags, False), surface),)
                entries.append(Entry(concept.id, reading.lemma, category, _fixed(reading.tags, False), forms, True))
                continue
        if category == "np":
            entries.append(Entry(concept.id, lemma, "np", (), ((name_tags[1:], surface),)))
        elif category == "adj":
            entries.append(Entry(concept.id, lemma, "adj", (), (((), surface),)))
        else:
            number = _number(surface, analyser, language) or ("pl" if plural else "sg")
            entries.append(Entry(concept.id, lemma, "n", (), (((number,), surface),)))
    return entries


def _number(surface: str, analyser: LtProc, language: str) -> str | None:
    """The number of a source term as the analyser reads its head noun; None when it cannot tell."""
    words = [w for w in re.split(r"[ \-]", surface) if w]
    found = {w: [("", r) for u in units for r in u.readings] for w, units in zip(words, analyser.analyse(words), strict=True)}
    head = head_phrase(words, found, language)
    if head is None:
        return None
    numbers = [t for _, r in found[words[head[1]]] if r.category == "n" for t in r.tags if t in ("sg", "pl")]
    return numbers[0] if numbers else None


def pivot_entries(concept: Concept, entry: Entry, analyser: LtProc, numbers: set[str] | None = None) -> list[Entry]:
    """The previous hop's rendering of a concept as this hop's source words: known where the pair's
    analyser reads a form as one word of the category, else an entry with the same lemma and tags.
    `numbers`: the numbers the source wrote the concept in (a plural-only concept, "capitalists", does
    not make "capitalista" a noun of this hop: the adjective keeps its reading); None: every form."""
    out = []
    adjectival = entry.category == "adj"
    forms = [(v, f) for v, f in entry.forms if numbers is None or not set(v) & NUMBER_TAGS or set(v) & numbers]
    for (varying, surface), units in zip(forms, analyser.analyse([s for _, s in forms]), strict=True):
        if len(units) == 1 and units[0].surface == surface:
            views = [v for r in units[0].readings if (v := _view(r, entry.category)) is not None]
            matching = [v for v in views if _varying(v.tags, adjectival) == varying]
            if matching:
                reading = matching[0]
                one = ((varying, surface),)
                out.append(Entry(concept.id, reading.lemma, entry.category, _fixed(reading.tags, adjectival), one, True))
                continue
        out.append(Entry(concept.id, entry.lemma, entry.category, entry.fixed, ((varying, surface),)))
    return out


def _name_tags(names: list[Concept], analyser: LtProc, language: str, source_language: str) -> tuple[str, ...]:
    """How the pair's analyser tags a person's name (np, ant or cog, number), as it reads the glossary's
    own one-word names."""
    terms = [t for c in names for t in (c.terms(language) or c.terms(source_language))[:1] if " " not in t]
    for units in analyser.analyse(terms) if terms else []:
        for unit in units:
            for reading in unit.readings:
                if reading.category == "np" and not reading.parts:
                    return reading.tags
    return ("np", "ant", "m", "sg")


# ---------------------------------------------------------------- one hop


@dataclass
class HopTerms:
    """What one hop learns: analyser entries, bilingual pairs, selection rules, generator entries,
    and each concept's entry in the hop's target language (the next hop's source words)."""

    analysis: list[tuple[str, str]] = field(default_factory=list)  # surface, lexical form
    bilingual: list[tuple[str, str]] = field(default_factory=list)  # A lemma<cat><fixed>, B lemma<cat><fixed>
    rules: list[tuple[str, str, str]] = field(default_factory=list)  # A lemma, category, B lemma
    generation: list[tuple[str, str]] = field(default_factory=list)  # surface, lexical form
    targets: dict[str, Entry] = field(default_factory=dict)
    numbers: dict[str, set[str] | None] = field(default_factory=dict)  # concept -> the numbers its source has

    def empty(self) -> bool:
        return not (self.analysis or self.bilingual or self.generation)


def hop_terms(
    glossary: Glossary,
    stages: list[Stage],
    source: str,
    target: str,
    previous: HopTerms | None,
    analysers: dict[str, list[str]],
    work: Path,
) -> HopTerms:
    """Every entry one hop (source → target) needs for the glossary. `previous`: what the hop before
    learnt (its renderings are this hop's source words), None for a route's first hop."""
    terms = HopTerms()
    analyser_path, generator_path = analyser_of(stages), generator_of(stages)
    if analyser_path is None or generator_path is None:
        return terms
    analyser = LtProc(analyser_path)
    generator = LtProc(generator_path, ("-g",))
    bidix = next((LtProc(s.files(".autobil.bin")[0], ("-b",)) for s in stages if s.files(".autobil.bin")), None)
    morphology = Morphology(list(analysers.get(target, [])), work)
    names = [c for c in glossary.concepts if not c.translate]
    name_tags = _name_tags(names, analyser, source, glossary.source_language)
    links: list[tuple[list[Entry], Entry]] = []
    renderings = [t for c in glossary.concepts if c.translate and c.pos != "phrase" for t in c.terms(target)[:1]]
    morphology.prefetch(w for t in renderings for w in t.split(" "))
    if previous is None:
        surfaces = [t for c in glossary.concepts if c.pos != "phrase" for t in c.terms(source)]
        analyser.run(surfaces + [w for t in surfaces for w in re.split(r"[ \-]", t) if w])
    else:
        analyser.run([s for e in previous.targets.values() for s in e.surfaces()])
    for concept in glossary.concepts:
        if concept.pos == "phrase":
            continue
        before = previous.targets.get(concept.id) if previous else None
        if previous is None:
            surfaces = list(concept.terms(source))
        else:
            surfaces = before.surfaces() if before else list(concept.terms(source)[:1] or concept.terms(glossary.source_language))
        if not surfaces:
            continue
        if not concept.translate:
            rendering = concept.preferred(target) or surfaces[0]
            name = Entry(concept.id, rendering, "np", (), ((name_tags[1:], rendering),))
            terms.targets[concept.id] = name
            # A name of several words is one word to the engine ("Yasha Levine's research": its possessive kept);
            # a one-word name it does not know stays unknown, as the raw engine leaves it ("on Xinjiang" is not
            # a person's "encima"), unless the target spells it otherwise (Stalin → Staline).
            if " " in surfaces[0] or rendering != surfaces[0]:
                links.append((source_entries(concept, surfaces[:1], analyser, source, name_tags, False), name))
            continue
        termset = concept.languages.get(target)
        if termset is None:
            continue
        grammar = termset.grammar_of(termset.preferred)
        entry = target_entry(concept, target, morphology)
        if entry is None:
            continue
        terms.targets[concept.id] = entry
        if previous is None:
            sources = source_entries(concept, surfaces, analyser, source, name_tags, grammar.endswith("p"))
            used = [set(v) & NUMBER_TAGS for e in sources for v, _ in e.forms]
            terms.numbers[concept.id] = set().union(*used) if used and all(used) else None
            links.append((sources, entry))
        elif before is not None:
            terms.numbers[concept.id] = previous.numbers.get(concept.id)
            links.append((pivot_entries(concept, before, analyser, terms.numbers[concept.id]), entry))
    known = [e.lexical(e.forms[0][0]) for sources, _ in links for e in sources if e.known]
    looked_up = dict(zip(known, bidix.run([f"^{k}$" for k in known]) if bidix else [""] * len(known), strict=True))
    generator.generate([t.lexical(v) for _, t in links for v, _ in t.forms])
    for sources, entry in links:
        _connect(terms, sources, entry, looked_up, generator)
    return terms


def _connect(terms: HopTerms, sources: list[Entry], target: Entry, looked_up: dict[str, str], generator: LtProc) -> None:
    """Analyser, bilingual and generator entries (and selection rules) that take a concept's source
    words to its rendering; nothing where the pair does it already."""
    pairs = []
    for entry in sources:
        if entry.known:
            out = looked_up.get(entry.lexical(entry.forms[0][0]), "")
            first = out.split("/")[1] if out.count("/") else ""
            if first.split("<")[0] == target.lemma:
                continue
            terms.rules.append((entry.lemma, entry.category, target.lemma))
        else:
            terms.analysis += [(surface, entry.lexical(varying)) for varying, surface in entry.forms]
        pairs.append((entry.stem(), target.stem()))
    if not pairs:
        return
    terms.bilingual += pairs
    made = generator.generate([target.lexical(varying) for varying, _ in target.forms])
    terms.generation += [
        (surface, target.lexical(varying)) for (varying, surface), out in zip(target.forms, made, strict=True) if out != surface
    ]


# ---------------------------------------------------------------- compiling


def _xml_tags(tags: Iterable[str]) -> str:
    return "".join(f'<s n="{html.escape(t)}"/>' for t in tags)


def _xml_text(text: str) -> str:
    return html.escape(text, quote=False).replace(" ", "<b/>")


def _dictionary(entries: Iterable[tuple[str, str]], alphabet: bool) -> str:
    """An lttoolbox dictionary of (left, right) pairs of surface or lexical forms."""
    tags: set[str] = set()
    letters: set[str] = set()
    body = []
    for left, right in dict.fromkeys(entries):
        parts = []
        for text in (left, right):
            cut = text.find("<")
            word, tagtext = (text, "") if cut < 0 else (text[:cut], text[cut:])
            found = re.findall(r"<([^<>]+)>", tagtext)
            tags.update(found)
            letters.update(c for c in word if c.isalpha())
            parts.append(_xml_text(word) + _xml_tags(found))
        body.append(f"<e><p><l>{parts[0]}</l><r>{parts[1]}</r></p></e>")
    letters_text = "".join(sorted(letters)) if alphabet else ""
    sdefs = "".join(f'<sdef n="{html.escape(t)}"/>' for t in sorted(tags))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<dictionary>\n'
        f"<alphabet>{html.escape(letters_text, quote=False)}</alphabet>\n<sdefs>{sdefs}</sdefs>\n"
        '<section id="glossary" type="standard">\n' + "\n".join(body) + "\n</section>\n</dictionary>\n"
    )


def _rules(rules: Iterable[tuple[str, str, str]]) -> str:
    """Lexical selection rules (apertium-lex-tools): the pinned translation of a word the pair knows."""
    body = [
        f'<rule weight="1.0"><match lemma="{html.escape(a)}" tags="{html.escape(c)}.*">'
        f'<select lemma="{html.escape(b)}" tags="{html.escape(c)}.*"/></match></rule>'
        for a, c, b in dict.fromkeys(rules)
    ]
    return "<rules>\n" + "\n".join(body) + "\n</rules>\n"


def write_folder(folder: Path, mode: str, stages: list[Stage], terms: HopTerms, work: Path) -> None:
    """Compile the hop's dictionaries, append them to copies of the pair's and write the mode, in a
    temporary folder renamed into place (a folder another run finished first is kept). The mode
    names the final folder's files."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        (building / "modes").mkdir()
        (building / "targets.json").write_text(_targets_json(terms), encoding="utf-8")
        if not terms.empty():
            _compile_into(building, folder, mode, stages, terms, work)
        try:
            building.rename(folder)
        except OSError:  # another run built it meanwhile: the same files
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:  # an interrupt too: no half-built folder left behind; re-raised
        shutil.rmtree(building, ignore_errors=True)
        raise


_SUFFIX = {"analysis": "automorf.bin", "bilingual": "autobil.bin", "generation": "autogen.bin"}


def _compile_into(building: Path, folder: Path, mode: str, stages: list[Stage], terms: HopTerms, work: Path) -> None:
    """The compiled dictionaries and the mode, written into `building`; the mode names `folder`'s files."""
    rules = None
    if terms.rules:
        (work / "rules.lrx").write_text(_rules(terms.rules), encoding="utf-8")
        _run(["lrx-comp", str(work / "rules.lrx"), str(building / "rules.bin")])
        rules = Stage(("lrx-proc", "-m", str(folder / "rules.bin")))

    def appended(name: str, entries: list[tuple[str, str]], direction: str, original: str) -> str:
        if not entries:
            return original
        source = work / f"{name}.dix"
        source.write_text(_dictionary(entries, alphabet=name == "analysis"), encoding="utf-8")
        _run(["lt-comp", direction, str(source), str(work / f"{name}.bin")])
        # named as the pair's own (*.automorf.bin...): `apertium` finds its stages by these names to carry
        # formatting attached to words through them (apertium-wblank-mode)
        final = f"terms.{_SUFFIX[name]}"
        _run(["lt-append", original, str(work / f"{name}.bin"), str(building / final)])
        return str(folder / final)

    selection = any(s.program == "lrx-proc" for s in stages)
    new: list[Stage] = []
    for n, stage in enumerate(stages):
        argv = list(stage.argv)
        if n == 0 and stage.files(".automorf.bin"):
            argv[-1] = appended("analysis", terms.analysis, "lr", argv[-1])
        elif stage.program == "lt-proc" and stage.files(".autogen.bin"):
            argv[-1] = appended("generation", terms.generation, "rl", argv[-1])
        elif stage.program == "lt-proc" and "-b" in argv and stage.files(".autobil.bin"):
            argv[-1] = appended("bilingual", terms.bilingual, "lr", argv[-1])
        elif stage.program == "apertium-transfer" and stage.files(".autobil.bin") and "-b" not in argv:
            # A transfer that looks words up itself: the lookup becomes a stage of its own, so that the
            # selection rules can run before the transfer (the same output: tests/test_apertium_terms.py).
            bidix = stage.files(".autobil.bin")[0]
            new.append(Stage(("lt-proc", "-b", appended("bilingual", terms.bilingual, "lr", bidix))))
            new += [rules] if rules else []
            new.append(Stage(("apertium-transfer", "-b", *[a for a in argv[1:] if a != bidix])))
            continue
        new.append(Stage(tuple(argv)))
        if rules and (stage.program == "lrx-proc" or (not selection and "-b" in argv and stage.program == "lt-proc")):
            new.append(rules)
    (building / "modes" / f"{mode}.mode").write_text(stages_text(new), encoding="utf-8")


def _targets_json(terms: HopTerms) -> str:
    """What the next hop needs of this one: each concept's entry and the numbers its source has."""
    entries = {c: [e.lemma, e.category, list(e.fixed), [[list(t), f] for t, f in e.forms]] for c, e in terms.targets.items()}
    numbers = {c: sorted(n) if n is not None else None for c, n in terms.numbers.items()}
    return json.dumps({"targets": entries, "numbers": numbers}, ensure_ascii=False, sort_keys=True)


def _read_targets(path: Path) -> HopTerms | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        targets = {
            concept: Entry(concept, lemma, category, tuple(fixed), tuple((tuple(tags), form) for tags, form in forms))
            for concept, (lemma, category, fixed, forms) in data["targets"].items()
        }
        numbers = {c: set(n) if n is not None else None for c, n in data["numbers"].items()}
        return HopTerms(targets=targets, numbers=numbers)
    except (OSError, ValueError, TypeError, KeyError):
        return None


class TermDictionaries:
    """The glossary compiled into the hops of routes: each hop built once per glossary, pair and
    TERMS_VERSION, and kept in the cache between runs. `analysers`: each language's installed
    analysers, largest first (what a rendering's forms are made with)."""

    def __init__(self, glossary: Glossary, analysers: dict[str, list[str]], datadir: str, root: Path | None = None) -> None:
        self.glossary = glossary
        self.analysers = analysers
        self.datadir = datadir
        self.root = root or cache_root()
        self._lock = threading.RLock()  # one build at a time: a hop is built once, for every language that needs it
        self._built: dict[tuple[str, ...], tuple[str | None, HopTerms]] = {}

    def folder(self, modes: Sequence[str], steps: Sequence[str], hop: int) -> str | None:
        """The folder to give `apertium -d` for hop `hop` of a route: its mode with the glossary in its
        dictionaries; None when the glossary adds nothing to that hop."""
        return self.hop(tuple(modes[: hop + 1]), tuple(steps[: hop + 2]))[0]

    def unglue(self, modes: Sequence[str], steps: Sequence[str], hop: int, texts: list[str]) -> list[str]:
        """The texts a hop wrote, with a space put back where Apertium glued a rendering to the next word:
        its transfer loses the blank in "an absolute, abstract negation" → "una negaciónabsoluta, abstracta".
        Only where the glued word is unknown to the language's analyser and the rest is a word it knows."""
        terms = self.hop(tuple(modes[: hop + 1]), tuple(steps[: hop + 2]))[1]
        forms = sorted({s for e in terms.targets.values() if e.category != "np" for s in e.surfaces()}, key=len)
        analysers = self.analysers.get(steps[hop + 1], [])
        if not forms or not analysers:
            return texts
        glued = re.compile(
            r"(?<![^\W\d_])(" + "|".join(re.escape(f) for f in reversed(forms)) + r")([^\W\d_]{3,})", re.IGNORECASE
        )
        found = {(m.group(), m.group(2)) for text in texts for m in glued.finditer(text)}
        if not found:
            return texts
        words = sorted({w for pair in found for w in pair})
        known = {w for w, units in zip(words, LtProc(analysers[0]).analyse(words), strict=True) if all(u.known for u in units)}
        split = {whole: len(whole) - len(rest) for whole, rest in found if whole not in known and rest in known}
        return [glued.sub(lambda m: m.group(1) + " " + m.group(2) if m.group() in split else m.group(), t) for t in texts]

    def hop(self, modes: tuple[str, ...], steps: tuple[str, ...]) -> tuple[str | None, HopTerms]:
        """The folder and what the last of `modes` learnt, after the ones before it (a pivot's renderings)."""
        with self._lock:
            done = self._built.get(modes)
            return done if done is not None else self._build(modes, steps)

    def _build(self, modes: tuple[str, ...], steps: tuple[str, ...]) -> tuple[str | None, HopTerms]:
        previous = self.hop(modes[:-1], steps[:-1])[1] if len(modes) > 1 else None
        mode = modes[-1]
        text = (Path(self.datadir) / "modes" / f"{mode}.mode").read_text(encoding="utf-8")
        stages = mode_stages(text)
        made_from = [TERMS_VERSION, self.glossary.version, ">".join(steps), *modes, text]
        made_from += [f"{f} {stamp_text(f)}" for f in sorted({a for s in stages for a in s.argv if a.endswith(".bin")})]
        made_from += [f"{a} {stamp_text(a)}" for language in steps for a in self.analysers.get(language, [])]
        folder = self.root / hashlib.sha256("\n".join(made_from).encode()).hexdigest()[:24]
        cached = _read_targets(folder / "targets.json")
        if cached is not None:  # built by an earlier run: only what the next hop needs is read back
            result: tuple[str | None, HopTerms] = (
                str(folder) if (folder / "modes" / f"{mode}.mode").is_file() else None,
                cached,
            )
        else:
            with tempfile.TemporaryDirectory(prefix="translate-terms-") as work:
                terms = hop_terms(self.glossary, stages, steps[-2], steps[-1], previous, self.analysers, Path(work))
                write_folder(folder, mode, stages, terms, Path(work))
            result = (None if terms.empty() else str(folder), terms)
        self._built[modes] = result
        return result
