"""Term accuracy of the real Chinese -> English model, without and with the glossary.

A Chinese paragraph (written for this benchmark, about the virtual factory) uses
glossary terms; each (sentence, concept) occurrence counts as right when the
English output contains the concept's pinned English term or an accepted variant.

    TRANSLATE_ZH_EN_MODEL=path/to/translate-zh_en-1_9.argosmodel python bench/glossary_accuracy.py

The model is the Argos package (OPUS-MT derived, CC-BY 4.0), run with CTranslate2
and SentencePiece directly.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translate.glossary.compliance import check_compliance  # noqa: E402
from translate.glossary.files import load  # noqa: E402
from translate.glossary.matching import matcher  # noqa: E402
from translate.glossary.model import Glossary  # noqa: E402
from translate.glossary.pinning import KNOWN_SHAPES, translate_pinned  # noqa: E402

PARAGRAPH = [
    "在虚拟工厂里，资本家们无偿占有用户创造的剩余价值。",
    "社交媒体把我们的社会关系变成商品，这就是新的商品拜物教。",
    "无产阶级出卖的不再只是劳动力，还有自己的注意力。",
    "平台垄断了数字时代的生产资料。",
    "德波所说的景观，正是这种积累的形式。",
    "阶级斗争并没有消失，它只是转移到了网络上。",
    "马克思主义的辩证法告诉我们，资本主义为自己的毁灭埋下了种子。",
    "我们的目标不是逃离网络，而是建立新的统一战线。",
]


def zh_en_translator(package: str | Path | None = None):
    """A translate_batch callable for the Argos zh->en package (CTranslate2 + SentencePiece)."""
    import ctranslate2
    import sentencepiece

    package = Path(package or os.environ.get("TRANSLATE_ZH_EN_MODEL", ""))
    if not package.is_file():
        raise SystemExit("set TRANSLATE_ZH_EN_MODEL to the translate-zh_en-1_9.argosmodel file")
    unpacked = Path(tempfile.mkdtemp(prefix="zh-en-"))
    with zipfile.ZipFile(package) as archive:
        archive.extractall(unpacked)
    pkgdir = next(p.parent for p in unpacked.rglob("sentencepiece.model"))
    translator = ctranslate2.Translator(str(pkgdir / "model"), device="cpu", inter_threads=1, intra_threads=2)
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(pkgdir / "sentencepiece.model"))

    def translate_batch(sentences: list[str]) -> list[str]:
        tokens = [tokenizer.encode(s, out_type=str) for s in sentences]
        results = translator.translate_batch(tokens, beam_size=4, max_batch_size=1024, batch_type="tokens")
        return [tokenizer.decode_pieces(r.hypotheses[0]).replace("▁", " ").strip() for r in results]

    return translate_batch


def term_accuracy(sources: list[str], outputs: list[str], glossary: Glossary) -> tuple[int, int]:
    """(right, total) over every glossary concept occurring in each source sentence."""
    total = right = 0
    for source, output in zip(sources, outputs, strict=True):
        concepts = {m.concept.id for m in matcher(glossary, "zh").find(source)}
        missing = {v.concept for v in check_compliance(source, output, glossary, "zh", "en")}
        total += len(concepts)
        right += len(concepts - missing)
    return right, total


def main() -> None:
    glossary = load(ROOT / "glossaries" / "marxism.toml")
    translate_batch = zh_en_translator()
    calls: list[int] = []

    def counted(batch: list[str]) -> list[str]:
        calls.append(len(batch))
        return translate_batch(batch)

    began = time.perf_counter()
    plain = translate_batch(PARAGRAPH)
    plain_seconds = time.perf_counter() - began
    right, total = term_accuracy(PARAGRAPH, plain, glossary)
    print(f"glossary {glossary.version}; {len(PARAGRAPH)} sentences, {total} term occurrences\n")
    print(f"without glossary: {right}/{total} terms right ({right / total:.0%}), {plain_seconds:.1f} s")
    shown = {}
    for strategy in ("check-first", "mask-first"):
        calls.clear()
        began = time.perf_counter()
        pinned = translate_pinned(PARAGRAPH, counted, glossary, "zh", "en", strategy=strategy)
        seconds = time.perf_counter() - began
        shown[strategy] = pinned
        texts = [r.text for r in pinned]
        right, total = term_accuracy(PARAGRAPH, texts, glossary)
        leaked = sum(1 for t in texts for shape in KNOWN_SHAPES if shape.pattern().search(t))
        print(
            f"with glossary ({strategy}): {right}/{total} terms right ({right / total:.0%}), "
            f"{sum(r.flagged for r in pinned)} flagged, {leaked} outputs with a placeholder, "
            f"engine calls {calls}, {seconds:.1f} s"
        )
    print("\nsentence by sentence (without | check-first):")
    for source, before, after in zip(PARAGRAPH, plain, shown["check-first"], strict=True):
        print(f"- {source}\n    {before}\n    {after.text}  [{after.method}{', FLAGGED' if after.flagged else ''}]")


if __name__ == "__main__":
    main()
