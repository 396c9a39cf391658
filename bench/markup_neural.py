"""Inline markup through the neural routes: placeholders around words, or words translated on their own.

Each sentence of the essays (6 words or more) gets, in turn, a link around two words in its middle
([the virtual factory](https://example.org/n)), emphasis on one word (*old*), and an autolink after a
word (<https://example.org/n>). Each variant goes through the project's routes for pt_BR, es and fr
(the en→pt_BR Firefox Translations model, then Apertium) three ways:

- raw: the Markdown as written (what the routes did before placeholders);
- placeholders: `MarkupPlaceholders`, the markup as numbered placeholders (pairs around words), and for a
  pair the engine lost, emptied or turned round, the fallback below;
- apart: the fallback alone: the sentence without the formatting, the formatting's words alone, put
  around the words where found, else the formatting held as one placeholder with its words inside.

Counted per route: variants whose every URL, code span and bracket came back byte for byte; with
placeholders, how many pairs came back around words (no fallback needed); and chrF (sacrebleu) of the
translation with its markup removed against the translation of the sentence without markup: how far
the markup pushed the engine off its own sentence (100: not at all).

    python bench/markup_neural.py [--limit 80]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translate.config import load_config  # noqa: E402
from translate.engines.placeholders import MarkupPlaceholders, locate  # noqa: E402
from translate.engines.registry import Engines  # noqa: E402
from translate.markup import Protected, protect, strip_markers  # noqa: E402
from translate.segment import parse  # noqa: E402

_MD = re.compile(r"\[([^\]]*)\]\([^)]*\)|<https?://[^>]*>|[*_`]")


def variants(sentence: str, n: int) -> dict[str, tuple[str, list[str]]]:
    """The sentence with markup added, and the markup pieces that must come back byte for byte."""
    words = sentence.split(" ")
    middle = len(words) // 2
    link_url = f"https://example.org/n-{n}"
    linked = [*words[: middle - 1], f"[{words[middle - 1]} {words[middle]}]({link_url})", *words[middle + 1 :]]
    alpha = [i for i, w in enumerate(words) if w.isalpha() and len(w) > 3 and i > 0]
    k = alpha[len(alpha) // 2] if alpha else middle
    emphasised = [*words[:k], f"*{words[k]}*", *words[k + 1 :]]
    auto = f"<https://example.org/a-{n}>"
    autolinked = [*words[: middle + 1], auto, *words[middle + 1 :]]
    return {
        "link": (" ".join(linked), [f"]({link_url})", "["]),
        "emphasis": (" ".join(emphasised), ["*"]),
        "autolink": (" ".join(autolinked), [auto]),
    }


def unmarked(text: str) -> str:
    return " ".join(_MD.sub(lambda m: m.group(1) or "", text).split())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=80)
    parser.add_argument("--languages", default="pt_BR,es,fr")
    args = parser.parse_args()
    from sacrebleu.metrics import CHRF  # the benchmark's metric

    config = load_config(ROOT / "translate.toml")
    sentences: list[str] = []
    for path in sorted((ROOT / "texts").iterdir()):
        document = parse(path.read_text(encoding="utf-8"), path.name, "en")
        sentences += [s.text for s in document.segments if len(s.text.split()) >= 6 and not _MD.search(s.text)]
    sentences = sentences[: args.limit]
    engines = Engines(config)
    chrf = CHRF()
    load = os.getloadavg()[0]
    print(f"{len(sentences)} sentences, 3 variants each; {os.cpu_count()} cores, load {load:.1f}")
    try:
        for language in args.languages.split(","):
            engine, route = engines.choose("en", language)
            wrapped = MarkupPlaceholders(engine)
            cases = [(s, kind, v) for n, s in enumerate(sentences) for kind, v in variants(s, n).items()]
            began = time.perf_counter()
            plain = dict(zip(sentences, engine.translate(sentences, route), strict=True))
            raw = engine.translate([text for _, _, (text, _) in cases], route)
            shields: list[Protected] = [protect(text, "md") for _, _, (text, _) in cases]
            asked = [p.text for p in shields]
            direct = [
                wrapped.back(wrapped.to_engine(t), o) is not None
                for t, o in zip(asked, engine.translate([wrapped.to_engine(t).text for t in asked], route), strict=True)
            ]
            placed = [p.restore(t) for p, t in zip(shields, wrapped.translate(asked, route), strict=True)]
            apart = [p.restore(t) for p, t in zip(shields, wrapped.spans_again(asked, route), strict=True)]
            seconds = time.perf_counter() - began
            print(f"\n{route.spec} ({seconds:.0f} s)")
            spans = [(c, re.search(r"\[([^\]]*)\]|\*([^*]*)\*", c[2][0])) for c in cases if c[1] != "autolink"]
            words = [m.group(1) or m.group(2) for _, m in spans if m]
            alone = engine.translate(words, route)
            found = 0
            same = 0
            compared = 0
            for (c, _), w, out, direct_ok, placed_text in zip(
                spans,
                words,
                alone,
                [d for c, d in zip(cases, direct) if c[1] != "autolink"],
                [p for c, p in zip(cases, placed) if c[1] != "autolink"],
                strict=True,
            ):
                where = locate(plain[c[0]], w and out)
                found += where is not None
                inner = re.search(r"\[([^\]]*)\]|\*([^*]*)\*", placed_text)
                if where is not None and direct_ok and inner:
                    compared += 1
                    same += plain[c[0]][where[0] : where[1]].lower() == (inner.group(1) or inner.group(2) or "").lower()
            print(f"  words alone found in the unmarked sentence's translation {found}/{len(words)}", end="; ")
            print(f"where the pair came back around words, the same words {same}/{compared}")
            for name, outputs in (("raw", raw), ("placeholders", placed), ("apart", apart)):
                for kind in ("link", "emphasis", "autolink"):
                    rows = [(c, o) for c, o in zip(cases, outputs, strict=True) if c[1] == kind]
                    kept = sum(
                        all(o.count(piece) >= 1 for piece in c[2][1]) and (kind != "emphasis" or o.count("*") == 2)
                        for c, o in rows
                    )
                    score = chrf.corpus_score(
                        [unmarked(strip_markers(o)) for _, o in rows], [[plain[c[0]] for c, _ in rows]]
                    ).score
                    extra = ""
                    if name == "placeholders":
                        around = sum(d for c, d in zip(cases, direct, strict=True) if c[1] == kind)
                        extra = f", pairs back around words {around}/{len(rows)}"
                    print(
                        f"  {name:12} {kind:9} markup kept {kept}/{len(rows)}, chrF to the unmarked sentence {score:.1f}{extra}"
                    )
    finally:
        engines.close()
    print(f"\n{chrf.get_signature()}")


if __name__ == "__main__":
    main()
