"""`translate routes ...`: choosing each language's route on a reference set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from translate.cli.common import ConfigOption, JsonOption, handle_errors, print_json, progress_bars, target_list
from translate.config import load_config

app = typer.Typer(help="Routes: each language's candidate routes scored on a reference set, and the route file.")


@app.command("evaluate")
@handle_errors
def evaluate(
    refs: Annotated[
        Path, typer.Option("--refs", help="A folder of <lang>.tsv reference files (en<TAB>lang or id<TAB>en<TAB>lang).")
    ],
    lang: Annotated[
        Optional[str], typer.Option(help="Only these languages, e.g. es,pt_BR (default: the configured targets the set has).")
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Write the chosen routes and every figure into the route file (routes.toml).")
    ] = False,
    save: Annotated[
        Optional[Path],
        typer.Option("--save", help="Write each route's drafts beside the references into this folder, for reading."),
    ] = None,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Translate a reference set through every candidate route of each language and print BLEU, chrF and words/s.

    Candidates are every route the engines here offer: direct Apertium pairs, Apertium pivots, a
    neural first hop (Firefox Translations) followed by Apertium or a variant step, Argos where
    installed. Each runs as `translate run` would (guards, glossary, finishing) on engines of its own.
    The best chrF is chosen unless the route file holds a route chosen by reading (chosen_by =
    "reading"); --write records the choice and every figure, with the set's name and sacrebleu's
    signatures, in the route file that run, text and the API follow.
    """
    import datetime as dt  # imported on use, keeps --help fast

    from translate.review.route_evaluation import evaluate_routes, save_drafts, write_route_file  # (the same reason)

    cfg = load_config(config)
    with progress_bars(not json_out) as start_task:
        evaluation = evaluate_routes(cfg, refs, target_list(lang), start_task)
    written = write_route_file(cfg, evaluation, dt.date.today().isoformat()) if write else None
    saved = save_drafts(evaluation, save) if save else []
    if json_out:
        print_json(
            {
                "references": evaluation.references,
                "machine": evaluation.machine,
                "signatures": evaluation.signatures,
                "languages": [
                    {
                        "language": item.language,
                        "sentences": len(item.references),
                        "chosen": item.chosen,
                        "chosen_by": item.chosen_by,
                        "routes": [
                            {
                                "route": r.route,
                                "bleu": round(r.bleu, 2),
                                "chrf": round(r.chrf, 2),
                                "words_per_second": round(r.words_per_second),
                                "seconds": round(r.seconds, 2),
                                "flagged": r.flagged,
                                "error": r.error,
                            }
                            for r in item.results
                        ],
                    }
                    for item in evaluation.languages
                ],
                "route_file": str(written) if written else None,
                "drafts": [str(p) for p in saved],
            }
        )
        return
    typer.echo(f"References: {evaluation.references} ({refs}); {evaluation.machine}")
    for item in evaluation.languages:
        typer.echo(f"\n{item.language} ({len(item.references)} sentences)")
        typer.echo(f"  {'':2}{'route':<52} {'BLEU':>5} {'chrF':>5} {'words/s':>8}")
        for r in item.results:
            mark = "*" if r.route == item.chosen else " "
            if r.error:
                typer.echo(f"  {mark} {r.route:<52} {r.error}")
            else:
                typer.echo(f"  {mark} {r.route:<52} {r.bleu:>5.1f} {r.chrf:>5.1f} {r.words_per_second:>8.0f}")
        if item.chosen:
            typer.echo(f"  chosen ({item.chosen_by}): {item.chosen}")
    for name, signature in sorted(evaluation.signatures.items()):
        typer.echo(f"{name}: {signature}")
    if written:
        typer.echo(f"route file written: {written}")
    if saved:
        typer.echo(f"drafts: {len(saved)} files in {save}")
