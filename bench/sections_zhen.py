"""Benchmark section "zhen": `translate text` zh→en against raw CTranslate2, at beams 1, 2 and 4.

Both sides translate the sentences of `bench/zh/virtual-factory.zh.txt` as the
project's segmenter cuts them (204), each in its own process timed from launch:

- raw: `bench/ct2_raw.py`, one `translate_batch` call with the engine's batch
  settings: the physical limit here;
- `translate text --json` with `engine.beam_size` set, the glossary on: its
  report says how many sentences an n-best hypothesis served, how many still went
  to the masked retry and how many stay flagged.

Runs alternate (raw, text, raw, text...) so a busy moment hits both; medians of
`--repeat`. chrF (sacrebleu defaults, whole document: the Chinese text has more
paragraphs than the original) against the English original the Chinese text
translates, `texts/the-virtual-factory.txt`: the evidence for the default beam.
"""

from __future__ import annotations

import json
import sys

from common import HERE, ZH_TEXT, ChildRun, Context, Row, chrf, figure, run_child, section, tail

BEAMS = (1, 2, 4)
RATIO_TARGET = 1.15
MEMORY_TARGET_MB = 1536
REFERENCE = "the-virtual-factory.txt"


@section("zhen")
def zhen(ctx: Context) -> list[Row]:
    from translate.segment import parse

    package = next(p.parent for p in ctx.packages_dir().rglob("metadata.json"))
    document = parse(ZH_TEXT.read_text(encoding="utf-8"), ZH_TEXT.name, "zh")
    sentences_file = ctx.scratch / "zh-sentences.txt"
    sentences_file.write_text("".join(s.text.replace("\n", " ") + "\n" for s in document.segments), encoding="utf-8")
    blocks = [s.block for s in document.segments]
    reference = (ctx.repo / "texts" / REFERENCE).read_text(encoding="utf-8")
    rows: list[Row] = []
    evidence = {}
    for beam in BEAMS:
        config = ctx.scratch / f"beam{beam}" / "translate.toml"
        config.parent.mkdir(exist_ok=True)
        config.write_text(
            f'[project]\nsource_language = "zh"\ntargets = ["en"]\nglossary = "{ctx.repo / "glossaries"}"\n'
            f"[engine]\nbeam_size = {beam}\n",
            encoding="utf-8",
        )
        raw_out = ctx.scratch / f"raw-beam{beam}.txt"
        raws: list[ChildRun] = []
        clis: list[ChildRun] = []
        for _ in range(max(1, ctx.repeat)):
            raws.append(
                run_child(
                    [
                        sys.executable,
                        str(HERE / "ct2_raw.py"),
                        str(sentences_file),
                        "--package",
                        str(package),
                        "--beam",
                        str(beam),
                        "--output",
                        str(raw_out),
                    ],
                    env=ctx.fresh_env(f"raw{beam}"),
                    cwd=ctx.repo,
                )
            )
            clis.append(
                run_child(
                    [
                        ctx.translate_command,
                        "text",
                        str(ZH_TEXT),
                        "--from",
                        "zh",
                        "--to",
                        "en",
                        "--json",
                        "--config",
                        str(config),
                    ],
                    env=ctx.fresh_env(f"text{beam}"),
                    cwd=ctx.repo,
                )
            )
            for run, what in ((raws[-1], "raw CTranslate2"), (clis[-1], "translate text")):
                if not run.ok:
                    raise RuntimeError(f"{what} at beam {beam} failed (exit {run.returncode}): {tail(run.stderr)}")
        raw, cli = _median(raws), _median(clis)
        answer = json.loads(cli.stdout)
        output = answer["translations"]["en"]
        use = answer.get("glossary", {}).get("en", {})
        raw_lines = raw_out.read_text(encoding="utf-8").split("\n")[:-1]
        raw_text = "\n\n".join(
            " ".join(line for line, b in zip(raw_lines, blocks) if b == block) for block in dict.fromkeys(blocks)
        )
        ctx.save(f"zh-en-beam{beam}.txt", output)
        raw_chrf, signature = chrf(raw_text, reference)
        text_chrf, _ = chrf(output, reference)
        ctx.notes["zhen_chrf_signature"] = signature
        ratio = cli.seconds / raw.seconds
        evidence[beam] = {"chrF": round(text_chrf, 1), "seconds": round(cli.seconds, 2)}
        rows += [
            figure(f"beam {beam}: raw CTranslate2, {len(raw_lines)} sentences", round(raw.seconds, 2), "s"),
            figure(f"beam {beam}: translate text, glossary on", round(cli.seconds, 2), "s"),
            figure(f"beam {beam}: ratio text / raw (wall)", round(ratio, 3), "x", f"<= {RATIO_TARGET}", ratio <= RATIO_TARGET),
            figure(f"beam {beam}: CPU time raw / text", f"{raw.cpu_seconds:.2f} / {cli.cpu_seconds:.2f}", "s"),
            figure(f"beam {beam}: ratio text / raw (CPU)", round(cli.cpu_seconds / raw.cpu_seconds, 3), "x"),
            figure(f"beam {beam}: chrF raw / text vs the English original", f"{raw_chrf:.1f} / {text_chrf:.1f}"),
            figure(
                f"beam {beam}: sentences kept from the n-best list / sent to the masked retry / flagged",
                f"{use.get('n-best', '?')} / {use.get('retried', '?')} / {use.get('flagged', '?')}",
                "",
                "flagged: terms not pinned",
            ),
            figure(f"beam {beam}: engine calls (sentences each)", str(use.get("engine_calls", "?"))),
            figure(
                f"beam {beam}: peak RSS raw / text",
                f"{raw.peak_rss_mb:.0f} / {cli.peak_rss_mb:.0f}",
                "MB",
                f"<= {MEMORY_TARGET_MB}",
                max(raw.peak_rss_mb, cli.peak_rss_mb) <= MEMORY_TARGET_MB,
            ),
        ]
        ctx.notes[f"zhen_beam{beam}_runs"] = {
            "raw_seconds": [round(r.seconds, 3) for r in raws],
            "text_seconds": [round(r.seconds, 3) for r in clis],
        }
    ctx.notes["zhen_beam_evidence"] = evidence
    return rows


def _median(runs: list[ChildRun]) -> ChildRun:
    """The run with the median wall time (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda r: r.seconds)
    return ordered[(len(ordered) - 1) // 2]
