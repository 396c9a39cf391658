"""A variant step: Brazilian Portuguese made European, by rules, as the last hop of a route.

The Firefox Translations model writes Brazilian Portuguese; the project's `pt` is
European. Chained after it (`bergamot:en>pt_BR + variant:pt_BR>pt`), this engine
rewrites what European Portuguese writes otherwise and a rule can tell without
doubt. The rules and what they did on the essays' 57 European reference sentences
(neural draft 73.2 chrF / 44.6 BLEU; every rule made no sentence worse):

- the article before a possessive: "de sua própria" → "da sua própria", "em
  nossos corações" → "nos nossos corações" (9 sentences; 73.6 / 45.9), and
  after a verb or a conjunction too: "definem seus preços" → "definem os seus
  preços" (on the held-out field set: 11 sentences, chrF 69.4 → 69.7; two of
  them 0.1 and 0.2 lower, "tem a sua influência", "a sua fábrica no seu bolso",
  which read as European Portuguese should);
- "em um(a)" → "num(a)" (5 sentences; 73.3 / 45.2);
- estar (ficar, continuar) + gerund → + a + infinitive: "estão ficando" →
  "estão a ficar" (2 sentences; 73.3 / 44.8);
- words Brazil writes otherwise: fato → facto (a Brazilian text never means the
  suit), conosco → connosco, bilhões → milhares de milhões, mídias sociais → redes
  sociais, monitoramento → monitorização, usuário → utilizador... (4 sentences;
  73.5 / 45.1).

Together with the European spelling the finishing step gives every `pt` draft
(`finish/spelling.py`: econômico → económico, contato → contacto): 74.3 / 47.5.
What no rule can do safely is left to the reviewer and to the quality checks:
pronoun placement (Brazil's "se tornaram" against Portugal's "tornaram-se"
depends on what comes before), "você" against a dropped subject, word choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from translate.config import Config
from translate.engines.base import Engine, Progress, Route
from translate.errors import ModelError
from translate.languages import normalize

RULES_VERSION = "2"
"""Bump with any change to the rules: signatures (and the memory) notice."""

_POSSESSIVES = {
    "meu": "o",
    "minha": "a",
    "meus": "os",
    "minhas": "as",
    "teu": "o",
    "tua": "a",
    "teus": "os",
    "tuas": "as",
    "seu": "o",
    "sua": "a",
    "seus": "os",
    "suas": "as",
    "nosso": "o",
    "nossa": "a",
    "nossos": "os",
    "nossas": "as",
    "vosso": "o",
    "vossa": "a",
    "vossos": "os",
    "vossas": "as",
}
_CONTRACTIONS = {
    "de": {"o": "do", "a": "da", "os": "dos", "as": "das"},
    "em": {"o": "no", "a": "na", "os": "nos", "as": "nas"},
    "por": {"o": "pelo", "a": "pela", "os": "pelos", "as": "pelas"},
}
_POSSESSIVE = re.compile(r"\b(de|em|por) (" + "|".join(_POSSESSIVES) + r")\b", re.IGNORECASE)
_EM_UM = re.compile(r"\b(em) (um|uma|uns|umas)\b", re.IGNORECASE)
_PROGRESSIVE = re.compile(
    r"\b((?:estou|estás|está|estamos|estão|estava|estavas|estávamos|estavam|estive|esteve|estivemos|estiveram"
    r"|estarei|estará|estaremos|estarão|estaria|estaríamos|estariam|esteja|estejamos|estejam|estivesse|estivessem"
    r"|estar|estando|fica|ficam|ficava|ficavam|ficar|continua|continuam|continuava|continuavam|continuar))"
    r" ([^\W\d_]+(?:ando|endo|indo)|[^\W\d_]*pondo)\b",
    re.IGNORECASE,
)
_GERUND_ENDINGS = {"ando": "ar", "endo": "er", "indo": "ir", "ondo": "or"}
NOT_GERUNDS = frozenset({"lindo", "brando", "tremendo", "estupendo", "horrendo", "comando", "mando", "bando", "memorando"})
"""Words ending like a gerund that are adjectives or nouns ("está lindo")."""

WORDS: dict[str, str] = {
    "fato": "facto",
    "fatos": "factos",
    "conosco": "connosco",
    "bilhão": "mil milhões",
    "bilhões": "milhares de milhões",
    "monitoramento": "monitorização",
    "usuário": "utilizador",
    "usuários": "utilizadores",
    "usuária": "utilizadora",
    "usuárias": "utilizadoras",
    "equipe": "equipa",
    "equipes": "equipas",
    "registro": "registo",
    "registros": "registos",
    "planejamento": "planeamento",
    "planejar": "planear",
    "planejado": "planeado",
    "planejada": "planeada",
    "trem": "comboio",
    "ônibus": "autocarro",
    "celular": "telemóvel",
    "celulares": "telemóveis",
    "esporte": "desporto",
    "esportes": "desportos",
}
"""Words Brazil writes otherwise, each with no other sense in a Brazilian text (fato is never the suit there)."""
PHRASES = {"mídias sociais": "redes sociais", "mídia social": "rede social"}
_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, (*WORDS, *PHRASES)), key=len, reverse=True)) + r")\b", re.I)


def _same_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _possessive(match: re.Match[str]) -> str:
    preposition, possessive = match.group(1), match.group(2)
    contracted = _CONTRACTIONS[preposition.lower()][_POSSESSIVES[possessive.lower()]]
    return f"{_same_case(preposition, contracted)} {possessive}"


_BARE = re.compile(r"\b(" + "|".join(_POSSESSIVES) + r")\b")
_PREVIOUS = re.compile(r"([^\W\d_]+)[ \u00a0]+$")
NO_ARTICLE_AFTER = frozenset(
    "o a os as do da dos das no na nos nas ao à aos às pelo pela pelos pelas um uma uns umas num numa nuns numas "
    "este esta estes estas esse essa esses essas aquele aquela aqueles aquelas todo toda todos todas de em por "
    "é era foi ser são eram foram seja sejam será serão".split()
)
"""Words after which a possessive takes no article of its own (it has one, or it is a predicate: "é seu")."""


def _bare_possessives(text: str) -> str:
    """An article before a possessive that follows a verb or a conjunction ("mas suas correntes")."""

    def article(match: re.Match[str]) -> str:
        previous = _PREVIOUS.search(text, 0, match.start())
        if previous is None or previous.group(1).lower() in NO_ARTICLE_AFTER:
            return match.group(0)
        return f"{_POSSESSIVES[match.group(1)]} {match.group(1)}"

    return _BARE.sub(article, text)


def _em_um(match: re.Match[str]) -> str:
    return _same_case(match.group(1), "n" + match.group(2).lower())


def _progressive(match: re.Match[str]) -> str:
    verb, gerund = match.group(1), match.group(2)
    if gerund.lower() in NOT_GERUNDS:
        return match.group(0)
    infinitive = gerund[:-4] + _GERUND_ENDINGS[gerund[-4:].lower()]
    if infinitive.lower().endswith("por"):  # pondo → pôr, compondo → compor
        infinitive = infinitive[:-3] + ("pôr" if len(infinitive) == 3 else "por")
    return f"{verb} a {infinitive}"


def _words(match: re.Match[str]) -> str:
    found = match.group(1)
    return _same_case(found, WORDS.get(found.lower()) or PHRASES[found.lower()])


def european_portuguese(text: str) -> str:
    """Brazilian Portuguese rewritten where European Portuguese writes otherwise (see the module)."""
    text = _POSSESSIVE.sub(_possessive, text)
    text = _bare_possessives(text)
    text = _EM_UM.sub(_em_um, text)
    text = _PROGRESSIVE.sub(_progressive, text)
    return _WORD.sub(_words, text)


STEPS: dict[tuple[str, str], Callable[[str], str]] = {("pt_BR", "pt"): european_portuguese}
"""Every variant step this engine knows, by (from, to)."""


class VariantEngine(Engine):
    """Rule-based steps from one variant of a language to another (pt_BR → pt)."""

    name = "variant"

    @classmethod
    def environment(cls, config: Config) -> str | None:
        return f"rules={RULES_VERSION}"

    def version(self) -> str:
        return f"rules-{RULES_VERSION}"

    def sources(self) -> set[str]:
        return {source for source, _ in STEPS}

    def routes(self, source: str) -> dict[str, Route]:
        source = normalize(source)
        return {
            target: Route(self.name, (source, target), (f"{source}>{target}-rules@{RULES_VERSION}",))
            for (start, target) in STEPS
            if start == source
        }

    def translate(self, sentences: Sequence[str], route: Route, progress: Progress | None = None) -> list[str]:
        step = STEPS.get((route.source, route.target))
        if step is None or len(route.steps) != 2:
            raise ModelError(f"no variant step {'→'.join(route.steps)} (known: {', '.join('→'.join(k) for k in STEPS)})")
        if progress:
            progress(len(sentences))
        return [step(sentence) for sentence in sentences]
