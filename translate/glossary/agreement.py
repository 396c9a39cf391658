"""Agreement around a pinned term: the determiners before it take its gender and number.

An engine cannot see a placeholder's gender: Apertium gives an unknown word the
masculine singular, so "your working class" came out "vuestro clase obrera",
"the living contradiction" "o contradição viva" and "a proletarian revolution"
"un revolución proletaria". The glossary stores each rendering's gender and
number (`grammar`, e.g. "f", "mp"); after unmasking, the article, contraction,
possessive, demonstrative or quantifier right before the term is set to the
form that agrees with it (del→de la, su→sus, o→a, le→l' before a vowel, Italian
lo/gli before s + consonant), and "todo el" becomes "toda la". Adjectives are
not pinned alone (glossary `pos = "adjective"`: their noun phrases are), so the
words after a pinned noun are the engine's own. Languages: es, pt, fr, it, ca,
gl (and ast, an, oc through the tables closest to them: Spanish, Spanish,
Catalan). Each paradigm lists its forms as m, f, mp, fp, and where the language
elides or changes form before a vowel, v (singular) and for Italian z, zp
(before s + consonant, z, gn, ps, x).
"""

from __future__ import annotations

import re
from functools import cache

from translate.glossary.matching import matcher
from translate.glossary.model import Glossary
from translate.languages import base_language, of_language

Paradigm = dict[str, str]


def _p(m: str, f: str, mp: str, fp: str, **more: str) -> Paradigm:
    return {"m": m, "f": f, "mp": mp, "fp": fp, **more}


_ES = [
    _p("el", "la", "los", "las"),
    _p("un", "una", "unos", "unas"),
    _p("del", "de la", "de los", "de las"),
    _p("al", "a la", "a los", "a las"),
    _p("este", "esta", "estos", "estas"),
    _p("ese", "esa", "esos", "esas"),
    _p("aquel", "aquella", "aquellos", "aquellas"),
    _p("nuestro", "nuestra", "nuestros", "nuestras"),
    _p("vuestro", "vuestra", "vuestros", "vuestras"),
    _p("su", "su", "sus", "sus"),
    _p("mi", "mi", "mis", "mis"),
    _p("tu", "tu", "tus", "tus"),
    _p("otro", "otra", "otros", "otras"),
    _p("ningún", "ninguna", "ningunos", "ningunas"),
    _p("algún", "alguna", "algunos", "algunas"),
    _p("mucho", "mucha", "muchos", "muchas"),
    _p("nuevo", "nueva", "nuevos", "nuevas"),
]
_PT = [
    _p("o", "a", "os", "as"),
    _p("um", "uma", "uns", "umas"),
    _p("do", "da", "dos", "das"),
    _p("no", "na", "nos", "nas"),
    _p("ao", "à", "aos", "às"),
    _p("pelo", "pela", "pelos", "pelas"),
    _p("dum", "duma", "duns", "dumas"),
    _p("num", "numa", "nuns", "numas"),
    _p("este", "esta", "estes", "estas"),
    _p("esse", "essa", "esses", "essas"),
    _p("aquele", "aquela", "aqueles", "aquelas"),
    _p("deste", "desta", "destes", "destas"),
    _p("neste", "nesta", "nestes", "nestas"),
    _p("seu", "sua", "seus", "suas"),
    _p("nosso", "nossa", "nossos", "nossas"),
    _p("vosso", "vossa", "vossos", "vossas"),
    _p("outro", "outra", "outros", "outras"),
]
_GL = [
    _p("o", "a", "os", "as"),
    _p("un", "unha", "uns", "unhas"),
    _p("do", "da", "dos", "das"),
    _p("no", "na", "nos", "nas"),
    _p("ao", "á", "aos", "ás"),
    _p("polo", "pola", "polos", "polas"),
    _p("este", "esta", "estes", "estas"),
    _p("ese", "esa", "eses", "esas"),
    _p("seu", "súa", "seus", "súas"),
    _p("noso", "nosa", "nosos", "nosas"),
    _p("voso", "vosa", "vosos", "vosas"),
    _p("outro", "outra", "outros", "outras"),
]
_FR = [
    _p("le", "la", "les", "les", v="l'"),
    _p("un", "une", "des", "des"),
    _p("du", "de la", "des", "des", v="de l'"),
    _p("au", "à la", "aux", "aux", v="à l'"),
    _p("ce", "cette", "ces", "ces", v="cet", fv="cette"),
    _p("mon", "ma", "mes", "mes", fv="mon"),
    _p("ton", "ta", "tes", "tes", fv="ton"),
    _p("son", "sa", "ses", "ses", fv="son"),
    _p("notre", "notre", "nos", "nos"),
    _p("votre", "votre", "vos", "vos"),
    _p("leur", "leur", "leurs", "leurs"),
]
_IT = [
    _p("il", "la", "i", "le", v="l'", z="lo", mpv="gli", zp="gli"),
    _p("un", "una", "dei", "delle", fv="un'", z="uno"),
    _p("del", "della", "dei", "delle", v="dell'", z="dello", mpv="degli", zp="degli"),
    _p("al", "alla", "ai", "alle", v="all'", z="allo", mpv="agli", zp="agli"),
    _p("nel", "nella", "nei", "nelle", v="nell'", z="nello", mpv="negli", zp="negli"),
    _p("dal", "dalla", "dai", "dalle", v="dall'", z="dallo", mpv="dagli", zp="dagli"),
    _p("sul", "sulla", "sui", "sulle", v="sull'", z="sullo", mpv="sugli", zp="sugli"),
    _p("questo", "questa", "questi", "queste", v="quest'"),
    _p("quel", "quella", "quei", "quelle", v="quell'", z="quello", mpv="quegli", zp="quegli"),
    _p("suo", "sua", "suoi", "sue"),
    _p("nostro", "nostra", "nostri", "nostre"),
    _p("vostro", "vostra", "vostri", "vostre"),
]
_CA = [
    _p("el", "la", "els", "les", v="l'"),
    _p("un", "una", "uns", "unes"),
    _p("del", "de la", "dels", "de les", v="de l'"),
    _p("al", "a la", "als", "a les", v="a l'"),
    _p("pel", "per la", "pels", "per les", v="per l'"),
    _p("aquest", "aquesta", "aquests", "aquestes"),
    _p("aquell", "aquella", "aquells", "aquelles"),
    _p("seu", "seva", "seus", "seves"),
    _p("nostre", "nostra", "nostres", "nostres"),
    _p("vostre", "vostra", "vostres", "vostres"),
]
_TABLES: dict[str, list[Paradigm]] = {
    "es": _ES,
    "ast": _ES,
    "an": _ES,
    "pt": _PT,
    "gl": _GL,
    "fr": _FR,
    "it": _IT,
    "ca": _CA,
    "oc": _CA,
}
_ALL = {  # quantifiers before the determiner: "todo el" → "toda la"
    "es": _p("todo", "toda", "todos", "todas"),
    "ast": _p("tou", "toa", "toos", "toes"),
    "an": _p("tot", "toda", "totz", "todas"),
    "pt": _p("todo", "toda", "todos", "todas"),
    "gl": _p("todo", "toda", "todos", "todas"),
    "fr": _p("tout", "toute", "tous", "toutes"),
    "it": _p("tutto", "tutta", "tutti", "tutte"),
    "ca": _p("tot", "tota", "tots", "totes"),
    "oc": _p("tot", "tota", "totes", "totas"),
}
_POSSESSIVES = {
    form
    for table in (_ES, _PT, _GL, _FR, _IT, _CA)
    for paradigm in table
    if paradigm["m"]
    in (
        "nuestro",
        "vuestro",
        "su",
        "mi",
        "tu",
        "seu",
        "nosso",
        "vosso",
        "noso",
        "voso",
        "mon",
        "ton",
        "son",
        "notre",
        "votre",
        "leur",
        "suo",
        "nostro",
        "vostro",
        "nostre",
        "vostre",
    )
    for form in paradigm.values()
}
"""Possessives, which an article may precede (la seva, nella vostra): only they pull the article before them along."""
_AMBIGUOUS = {"pt": {"a", "as"}, "gl": {"a", "as"}}
"""Forms that are also prepositions: changed only towards a feminine term (never 'a' → 'o')."""

_OPENING_QUOTE = re.compile(r"(?<=\s)[«“„‘‹\"][\s\u00a0\u202f]*$")
_VOWEL = "aeiouàáâãäèéêëìíîïòóôõöùúûühAEIOUÀÁÂÃÄÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜH"
_IT_Z = re.compile(r"^(?:s[^aeiouàèéìòù]|z|gn|ps|x|y)", re.IGNORECASE)


@cache
def _forms(language: str) -> list[tuple[str, Paradigm]]:
    """Every form of the language's paradigms, longest first (so 'de la' is found before 'la')."""
    table = of_language(_TABLES, language, [])
    found = [(form, paradigm) for paradigm in table for form in paradigm.values()]
    return sorted(found, key=lambda item: -len(item[0]))


def _slot(paradigm: Paradigm, grammar: str, term: str, language: str) -> str:
    plural = grammar.endswith("p")
    feminine = grammar.startswith("f")
    vowel = term[:1] in _VOWEL
    key = ("f" if feminine else "m") + ("p" if plural else "")
    if language == "it" and not feminine:
        if _IT_Z.match(term):
            key = ("zp" if plural else "z") if ("zp" if plural else "z") in paradigm else key
        elif vowel and plural and "mpv" in paradigm:
            key = "mpv"
    if vowel and not plural:
        if feminine and "fv" in paradigm:
            key = "fv"
        elif "v" in paradigm and not (language == "it" and feminine and paradigm.get("v", "").startswith("quest")):
            key = "v"
    return paradigm.get(key, paradigm["fp" if plural and feminine else "mp" if plural else key[0]])


def _match_case(new: str, old: str) -> str:
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def agree(before: str, term: str, grammar: str, language: str) -> str:
    """The text before a pinned term, its last determiner (and a quantifier before that) made to agree."""
    language = base_language(language)
    if not grammar or language not in _TABLES:
        return before
    quote = _OPENING_QUOTE.search(before)
    if quote:  # "nella mano del « Stato operaio »": the determiner before the quotation agrees
        return agree(before[: quote.start()], term, grammar, language) + before[quote.start() :]
    before, changed = _agree_last(before, term, grammar, language, _forms(language))
    if changed is None:
        return before
    article = None
    if changed.strip() in _POSSESSIVES:  # an article before a possessive (nella vostra, la seva, a sua) agrees too,
        # not any determiner before a determiner ("per quello la fabbrica" stays)
        before, article = _agree_last(before, changed, grammar, language, _forms(language), gap=changed)
    gap = (article or "") + changed
    if language in _ALL:  # todo el → toda la
        quantifier = _ALL[language]
        before, _ = _agree_last(before, gap, grammar, language, [(f, quantifier) for f in quantifier.values()], gap=gap)
    return before


def _agree_last(before: str, term: str, grammar: str, language: str, forms, gap: str = "") -> tuple[str, str | None]:
    """Rewrite the form ending `before` (then `gap`, the determiner just set) to agree; returns the new text
    and the form set (None when nothing was found)."""
    lowered = before.lower()
    body = lowered[: len(lowered) - len(gap)] if gap else lowered
    for form, paradigm in forms:
        glue = "" if form.endswith("'") else " "
        tail = form + glue
        if not body.endswith(tail):
            continue
        start = len(body) - len(tail)
        if start and (body[start - 1].isalnum() or body[start - 1] == "-"):
            continue
        if form in of_language(_AMBIGUOUS, language, set()) and not grammar.startswith("f"):
            return before, None
        new = _slot(paradigm, grammar, term, language)
        new_glue = "" if new.endswith("'") else " "
        old = before[start : start + len(tail)]
        return before[:start] + _match_case(new, old) + new_glue + before[len(body) :], new + new_glue
    return before, None


REPAIR = True
"""Switch for `make bench`, which measures the drafts with and without the repair; always on in a run."""


def repair(before: str, term: str, grammar: str, language: str) -> str:
    """`agree`, unless the benchmark switched the repair off."""
    return agree(before, term, grammar, language) if REPAIR else before


def agree_with_renderings(text: str, sentence: str, glossary: Glossary, source: str, target: str) -> str:
    """`text` with the determiners before the engine's own rendering of each noun `sentence` names
    made to agree: the glossary accepts the rendering, but the engine may not know its gender either
    ("las Comunistas" for "the Communists", in es, pt, ca and gl)."""
    if not REPAIR or base_language(target) not in _TABLES:
        return text
    renderings = [
        (term, termset.grammar_of(term))
        for match in matcher(glossary, source).find(sentence)
        if match.concept.pos != "adjective" and (termset := match.concept.languages.get(target))
        for term in termset.terms
    ]
    for term, grammar in renderings:
        if not grammar:
            continue
        for m in reversed(list(re.finditer(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text, re.IGNORECASE))):
            text = agree(text[: m.start()], m.group(), grammar, target) + text[m.start() :]
    return text


def disagreements(text: str, terms: list[tuple[str, str]], language: str) -> list[str]:
    """The determiner-and-term pairs of `text` that do not agree ('vuestro clase obrera'), for the
    pinned terms given as (term, grammar) pairs: what `make bench` counts before and after the repair."""
    found = []
    for term, grammar in terms:
        if not grammar:
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text, re.IGNORECASE):
            before = text[: m.start()]
            if agree(before, m.group(), grammar, language) != before:
                words = before.split()
                found.append(f"{words[-1] if words else ''} {m.group()}")
    return found
