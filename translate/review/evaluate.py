"""Score a translation against a reference with sacrebleu: BLEU, chrF and TER.

Each score comes with sacrebleu's signature (tokenizer, smoothing, version...)
so that a figure quoted elsewhere can be reproduced exactly. `translate evaluate`
is a thin layer over `evaluate_files`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from translate import languages
from translate.errors import UsageError
from translate.fileio import read_source


@dataclass
class Score:
    metric: str
    score: float
    signature: str
    text: str  # sacrebleu's one-line summary


@dataclass
class Evaluation:
    hypothesis: str
    reference: str
    unit: str  # 'line' | 'document'
    segments: int
    scores: list[Score]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _read_lines(path: Path) -> list[str]:
    return read_source(path).splitlines()


def evaluate_texts(hypotheses: list[str], references: list[str], language: str | None = None) -> list[Score]:
    """BLEU, chrF and TER of aligned segments, each with its sacrebleu signature."""
    from sacrebleu.metrics import BLEU, CHRF, TER  # sacrebleu takes ~0.1 s to import: only when scoring

    if len(hypotheses) != len(references):
        raise UsageError(f"{len(hypotheses)} hypothesis segments but {len(references)} reference segments")
    asian = languages.base_language(language) in languages.CJK_LANGUAGES if language else False
    metrics = [
        ("BLEU", BLEU(trg_lang=languages.base_language(language) if language else "")),
        ("chrF", CHRF()),
        ("TER", TER(asian_support=asian, case_sensitive=True)),  # chrF sees case: so must TER
    ]
    scores = []
    for label, metric in metrics:
        result = metric.corpus_score(hypotheses, [references])
        scores.append(Score(label, round(result.score, 2), str(metric.get_signature()), str(result)))
    return scores


def evaluate_files(hyp: Path | str, ref: Path | str, unit: str = "auto", language: str | None = None) -> Evaluation:
    """Score a hypothesis file against a reference: line by line, or as whole documents.

    unit 'auto' compares line by line when both files have the same number of
    lines, else each file as one document.
    """
    hyp, ref = Path(hyp), Path(ref)
    hyp_lines, ref_lines = _read_lines(hyp), _read_lines(ref)
    if unit == "auto":
        unit = "line" if len(hyp_lines) == len(ref_lines) else "document"
    if unit == "line":
        hyps, refs = hyp_lines, ref_lines
    elif unit == "document":
        hyps, refs = [" ".join(" ".join(hyp_lines).split())], [" ".join(" ".join(ref_lines).split())]
    else:
        raise UsageError(f"unit must be auto, line or document, not {unit!r}")
    return Evaluation(str(hyp), str(ref), unit, len(hyps), evaluate_texts(hyps, refs, language))
