"""Raw CTranslate2: the physical limit `translate text` is measured against.

Reads sentences (one per line, as the project's segmenter cut them), loads the
Argos package's CTranslate2 model and SentencePiece tokenizer, and translates
every sentence in ONE `translate_batch` call with the settings the project's
Argos engine uses (token batches of 512, sorted by length, the same threads,
beam, length penalty and unknown-word replacement), then detokenizes. Nothing
else: no glossary, no document, no memory. Timed from the process's launch by
the benchmark, so Python's start, the imports and the model load count on both
sides.

    python bench/ct2_raw.py SENTENCES.txt --package DIR --beam 4 --output OUT.txt
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sentences", type=Path, help="one sentence per line")
    parser.add_argument("--package", type=Path, required=True, help="an installed Argos package folder")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--batch-tokens", type=int, default=512)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)

    import ctranslate2
    import sentencepiece

    threads = os.cpu_count() or 1
    inter = 2 if threads >= 2 else 1  # as translate.engines.argos.ArgosEngine
    translator = ctranslate2.Translator(
        str(args.package / "model"),
        device="cpu",
        compute_type="auto",
        inter_threads=inter,
        intra_threads=max(1, threads // inter),
    )
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(args.package / "sentencepiece.model"))
    sentences = args.sentences.read_text(encoding="utf-8").split("\n")[:-1]
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    tokens = [tokenizer.encode(sentences[i], out_type=str) for i in order]
    outputs = translator.translate_batch(
        tokens,
        replace_unknowns=True,
        max_batch_size=args.batch_tokens,
        batch_type="tokens",
        beam_size=args.beam,
        num_hypotheses=1,
        length_penalty=0.2,
        max_decoding_length=max(256, 2 * max(map(len, tokens))),
    )
    results = [""] * len(sentences)
    for i, output in zip(order, outputs):
        results[i] = tokenizer.decode_pieces(output.hypotheses[0]).replace("▁", " ").strip()
    args.output.write_text("".join(line.replace("\n", " ") + "\n" for line in results), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
