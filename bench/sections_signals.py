"""Benchmark section "signals": do the flag and the review queue point at the sentences readers judged bad?

bench/labels/ holds a bilingual reading of every sentence of both essays in es, fr and
pt-BR (OK / light / heavy / wrong, one line of reason each; see its README). A sentence
is *bad* when the reader called it heavy or wrong. The drafts are today's, from the
project's memory (its committed text record, opened in scratch space); a label whose
draft differs from today's is counted apart (the reading is of another draft) and left
out of the figures.

For each labelled draft the section takes the measures a run stores
(translate.run.crosscheck: round trip back to English through independent engines,
chrF between two routes' drafts, the agreement judge), and reports per language:
precision and recall of bad for the checks' flag, for `needs_person`
(translate.review.prediction), and for the top third of the review queue as
`review_queue` orders it; the AUC of each signal on its own and of the combined risk
(in-sample, and with the model fitted on the other two languages); and, in the notes under
the tables, the logistic coefficients fitted on all three languages, which prediction.py carries.
Issue 24's target: recall ≥ 0.7 at precision ≥ 0.8 for the top third of the queue.
"""

from __future__ import annotations

import csv
import math
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from common import Context, Row, figure, section

from translate.review.prediction import COEFFICIENTS

LABELS = Path(__file__).resolve().parent / "labels"
LANGUAGES = {"es": "es", "fr": "fr", "pt-BR": "pt_BR"}  # label file name → project language code
BAD = {"heavy", "wrong"}
SIGNALS = ("checks", "flagged", "roundtrip", "disagreement", "agreement", "words")
"""Each signal's AUC is reported (within one language, where a route's length does not vary)."""
MODEL = tuple(name for name in COEFFICIENTS if name != "intercept")
"""The model's inputs, as translate.review.prediction weighs them."""


@dataclass
class Labelled:
    language: str
    source: str
    draft: str  # today's draft
    bad: bool
    features: dict[str, float]
    flagged: bool
    needs_person: bool
    risk: float
    sure: bool  # a glossary term missing or left untranslated: first in the queue


def read_labels(path: Path) -> dict[str, tuple[str, str]]:
    """Source sentence → (the draft read, label), from a file with a `text id en draft label reason` header."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return {row["en"]: (row["draft"], row["label"].strip().lower()) for row in rows if row.get("en") and row.get("label")}


def auc(scores: Sequence[float], bad: Sequence[bool]) -> float:
    """The chance a bad sentence scores above a good one (ties half): 0.5 is no better than chance."""
    pos = [s for s, b in zip(scores, bad, strict=True) if b]
    neg = [s for s, b in zip(scores, bad, strict=True) if not b]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def fit_logistic(
    rows: Sequence[dict[str, float]], bad: Sequence[bool], l2: float = 1.0, names: Sequence[str] = MODEL
) -> dict[str, float]:
    """Logistic regression by Newton's method on standardized features (ridge `l2`), returned in raw units."""
    import numpy as np

    x = np.array([[r[f] for f in names] for r in rows], dtype=float)
    y = np.array(bad, dtype=float)
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / std])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = z.T @ (z * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    raw = {f: float(w[i + 1] / std[i]) for i, f in enumerate(names)}
    raw["intercept"] = float(w[0] - sum(w[i + 1] * mean[i] / std[i] for i in range(len(names))))
    return raw


def logistic(coefficients: dict[str, float], features: dict[str, float]) -> float:
    zed = coefficients["intercept"] + sum(weight * features[f] for f, weight in coefficients.items() if f != "intercept")
    return 1 / (1 + math.exp(-zed))


def _pr(chosen: Sequence[bool], bad: Sequence[bool]) -> tuple[str, str, float, float]:
    hit = sum(c and b for c, b in zip(chosen, bad, strict=True))
    picked, total = sum(chosen), sum(bad)
    precision = hit / picked if picked else 0.0
    recall = hit / total if total else 0.0
    return f"{hit}/{picked} = {precision:.2f}", f"{hit}/{total} = {recall:.2f}", precision, recall


def labelled_drafts(ctx: Context) -> tuple[dict[str, list[Labelled]], dict[str, int], dict[str, float], list[str]]:
    """Every labelled sentence with today's draft and its signals; labels on another draft, per language;
    the cross-check's seconds per language; its routes."""
    from translate.config import load_config
    from translate.engines.registry import Engines
    from translate.memory.store import TranslationMemory
    from translate.review.prediction import features, predict
    from translate.run.crosscheck import measure
    from translate.run.pipeline import load_project_glossary

    scratch = ctx.scratch / "signals"
    if scratch.exists():
        shutil.rmtree(scratch)
    (scratch / "memory").mkdir(parents=True)
    shutil.copytree(ctx.repo / "memory" / "translate.drafts", scratch / "memory" / "translate.drafts")
    config = load_config(ctx.repo / "translate.toml")
    glossary = load_project_glossary(config)
    found: dict[str, list[Labelled]] = {}
    other: dict[str, int] = {}
    seconds: dict[str, float] = {}
    routes: list[str] = []
    with TranslationMemory(scratch / "memory" / "translate.sqlite") as memory:
        engines = Engines(config)
        try:
            for name, language in LANGUAGES.items():
                path = LABELS / f"{name}.tsv"
                if not path.exists():
                    continue
                labels = read_labels(path)
                entries = memory.lookup(list(labels), "en", language)
                same = [s for s, (draft, _) in labels.items() if s in entries and entries[s].best_text == draft]
                other[name] = len(labels) - len(same)
                _, route = engines.choose("en", language)
                drafts = [entries[s].best_text or "" for s in same]
                began = time.perf_counter()
                measured = measure(engines, route, same, drafts, glossary)
                seconds[name] = time.perf_counter() - began
                routes += [f"{name}: {route.spec}; {'; '.join(measured.routes)}"]
                rows = []
                for source, draft, taken in zip(same, drafts, measured.measures, strict=True):
                    notes = replace(entries[source].notes, measures=taken or None)
                    signature = entries[source].signature
                    predicted = predict(notes, source, signature)
                    rows.append(
                        Labelled(
                            name,
                            source,
                            draft,
                            labels[source][1] in BAD,
                            features(notes, source, signature),
                            bool(notes.flagged),
                            predicted.needs_person,
                            predicted.risk,
                            bool(notes.violations or notes.left_untranslated),
                        )
                    )
                found[name] = rows
        finally:
            engines.close()
    return found, other, seconds, routes


@section("signals")
def signals(ctx: Context) -> list[Row]:
    """Precision/recall of the flag, needs_person and the queue's top third against the readings; AUC per signal."""
    if not any((LABELS / f"{name}.tsv").exists() for name in LANGUAGES):
        return [figure("signals", "skipped", "", "no labelled set in bench/labels/")]
    found, other, seconds, routes = labelled_drafts(ctx)
    everything = [item for rows in found.values() for item in rows]
    pooled = fit_logistic([i.features for i in everything], [i.bad for i in everything])
    ctx.notes["signals routes"] = routes
    out: list[Row] = []
    for name, rows in found.items():
        bad = [i.bad for i in rows]
        others = [i for n, r in found.items() if n != name for i in r]
        held_out = fit_logistic([i.features for i in others], [i.bad for i in others]) if others else pooled
        third = math.ceil(len(rows) / 3)
        order = sorted(
            range(len(rows)), key=lambda k: (not rows[k].sure, not rows[k].needs_person, -rows[k].risk)
        )  # as review_queue
        top = [False] * len(rows)
        for k in order[:third]:
            top[k] = True
        by_score = sorted(range(len(rows)), key=lambda k: -rows[k].features["checks"])  # the queue before: score, reading order
        before = [False] * len(rows)
        for k in by_score[:third]:
            before[k] = True
        flag_p, flag_r, _, _ = _pr([i.flagged for i in rows], bad)
        need_p, need_r, _, _ = _pr([i.needs_person for i in rows], bad)
        top_p, top_r, precision, recall = _pr(top, bad)
        best_recall = min(1.0, third / sum(bad)) if sum(bad) else 0.0
        row: Row = {
            "lang": name,
            "labelled": len(rows) + other[name],
            "other draft": other[name],
            "bad": f"{sum(bad)}/{len(rows)}",
            "flag P": flag_p,
            "flag R": flag_r,
            "needs_person P": need_p,
            "needs_person R": need_r,
            "top third P": top_p,
            "top third R": top_r,
            "top-third R possible": f"{best_recall:.2f}",
            "top third by score (before) R": _pr(before, bad)[1],
            "target": "R≥0.70 at P≥0.80",
            "met": recall >= 0.7 and precision >= 0.8,
        }
        for feature in SIGNALS:
            sign = -1.0 if feature in ("roundtrip", "disagreement") else 1.0
            row[f"AUC {feature}"] = round(auc([sign * i.features[feature] for i in rows], bad), 2)
        row["AUC risk"] = round(auc([i.risk for i in rows], bad), 2)
        row["AUC held-out fit"] = round(auc([logistic(held_out, i.features) for i in rows], bad), 2)
        row["cross-check s/sentence"] = round(seconds[name] / max(len(rows), 1), 3)
        out.append(row)
    ctx.notes["signals fit (all languages)"] = {k: round(v, 4) for k, v in pooled.items()}
    return out
