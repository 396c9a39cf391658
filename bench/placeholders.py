"""Which placeholder shapes survive which engine: the order of DEFAULT_SHAPES.

Every sentence of the essays that holds a glossary term is masked with each shape
(all terms masked) and translated: by `apertium` (direct pairs and pivots through
Spanish, called as a subprocess) and, if TRANSLATE_ZH_EN_MODEL names the Argos
zh->en package, by the real neural model on a Chinese paragraph. A sentence
counts as surviving when every placeholder comes back exactly once.

    python bench/placeholders.py [--limit 60]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translate.glossary.files import load  # noqa: E402
from translate.glossary.pinning import KNOWN_SHAPES_TEXT, Shape, mask, unmask  # noqa: E402
from translate.segment import parse  # noqa: E402

ROUTES = {
    "es": ["eng-spa"],
    "ca": ["eng-cat"],
    "gl": ["en-gl"],
    "eo": ["en-eo"],
    "sr": ["eng-hbs_SR"],
    "hr": ["eng-hbs_HR"],
    "pt": ["eng-spa", "es-pt"],
    "fr": ["eng-spa", "es-fr"],
    "it": ["eng-spa", "spa-ita"],
    "oc": ["eng-spa", "es-oc"],
    "ast": ["eng-spa", "spa-ast"],
    "an": ["eng-spa", "spa-arg"],
}
_BLANK = re.compile(r"\n[ \t]*\n")


def apertium(modes: list[str]):
    """translate_batch through one apertium process per hop; sentences joined by blank lines."""

    def translate_batch(sentences: list[str]) -> list[str]:
        texts = [" ".join(s.split()) for s in sentences]
        for mode in modes:
            done = subprocess.run(
                ["apertium", "-u", "-f", "txt", mode],
                input="\n\n".join(texts) + "\n",
                capture_output=True,
                text=True,
                check=True,
            )
            texts = [t.strip() for t in _BLANK.split(done.stdout.strip("\n"))]
            if len(texts) != len(sentences):
                raise RuntimeError(f"apertium {mode}: {len(texts)} outputs for {len(sentences)} inputs")
        return texts

    return translate_batch


def survival(sentences: list[str], translate_batch, glossary, source: str, target: str, shape: str):
    """(sentences surviving, sentences masked, placeholders kept, placeholders sent)."""
    masked = [mask(s, glossary, source, target, shape) for s in sentences]
    masked = [m for m in masked if m.pins]
    outputs = translate_batch([m.text for m in masked])
    ok = kept = sent = 0
    parsed = Shape.parse(shape)
    for m, out in zip(masked, outputs, strict=True):
        ok += unmask(out, m, [parsed], target) is not None
        sent += len(m.pins)
        kept += sum(len(parsed.pattern(p.index).findall(out)) == 1 for p in m.pins)
    return ok, len(masked), kept, sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=60, help="sentences per text at most")
    args = parser.parse_args()
    glossary = load(ROOT / "glossaries" / "marxism.toml")
    sentences = []
    for path in sorted((ROOT / "texts").iterdir()):
        doc = parse(path.read_text(encoding="utf-8"), path.name, "en")
        sentences += [s.text for s in doc.segments][: args.limit]
    shapes = list(KNOWN_SHAPES_TEXT)
    print(f"{len(sentences)} English sentences; cells: sentences with every placeholder back / masked\n")
    print("| route | " + " | ".join(f"`{s}`" for s in shapes) + " |")
    print("|---" * (len(shapes) + 1) + "|")
    if shutil.which("apertium"):
        for target, modes in ROUTES.items():
            cells = []
            began = time.perf_counter()
            for shape in shapes:
                try:
                    ok, total, kept, sent = survival(sentences, apertium(modes), glossary, "en", target, shape)
                    cells.append(f"{ok}/{total}")
                except (subprocess.CalledProcessError, RuntimeError) as err:
                    cells.append(f"error: {str(err)[:30]}")
            route = " → ".join(modes)
            print(f"| {route} ({target}) | " + " | ".join(cells) + f" |  <!-- {time.perf_counter() - began:.1f} s -->")
    if os.environ.get("TRANSLATE_ZH_EN_MODEL"):
        from glossary_accuracy import PARAGRAPH, zh_en_translator

        translate_batch = zh_en_translator()
        cells = []
        for shape in shapes:
            ok, total, kept, sent = survival(PARAGRAPH, translate_batch, glossary, "zh", "en", shape)
            cells.append(f"{ok}/{total}")
        print("| argos zh→en (real model) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
