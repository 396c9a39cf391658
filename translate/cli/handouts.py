"""`translate handouts`: print-ready HTML and PDF from the best text in the memory."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from translate.cli.common import ConfigOption, JsonOption, handle_errors, print_json, progress_bars, split_list, target_list
from translate.config import load_config
from translate.errors import TranslateError


@handle_errors
def handouts(
    config: ConfigOption = None,
    only: Annotated[Optional[str], typer.Option(help="Only these texts (comma-separated).")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only these languages, e.g. es,ar.")] = None,
    paper: Annotated[str, typer.Option(help="Paper size: A4 or Letter.")] = "A4",
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also print each page to PDF (needs Chromium).")] = True,
    force: Annotated[
        bool,
        typer.Option("--force", help="Also print drafts for review only (the gate's third state), with a DRAFT banner."),
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Render print-ready handouts (HTML and PDF) from the best text in the memory.

    Approved human translations take precedence over machine drafts; every handout
    says whether it was reviewed and how much ("reviewed: 10 of 109 sentences"), marks
    unreviewed passages the quality checks doubt in the margin, and credits source,
    engine, model and glossary. A text that is a draft for review only (see `translate
    status`: its route scores under review.min_route_chrf on the reference set, or too
    many of its sentences are predicted to need a person) is not built unless --force,
    and then every page carries a DRAFT banner. Files: outputs/<lang>/<text>.html and .pdf.
    """
    from translate.publish.handouts import (  # Jinja2 and Babel: on use, keeps --help fast
        build_handouts,
        handout_count,
        languages_without_text,
    )

    cfg = load_config(config)
    targets = target_list(lang)
    total = handout_count(cfg, split_list(only), targets, force) * (2 if pdf else 1)
    empty = languages_without_text(cfg, split_list(only), targets) if targets else []
    with progress_bars(not json_out) as start_task:
        advance = start_task("handouts", total)
        built = build_handouts(cfg, split_list(only), targets, paper=paper, pdf=pdf, progress=advance, force=force)
    written, withheld = built.written, built.withheld
    if json_out:
        print_json(
            {
                "written": [str(p) for p in written],
                "withheld": [
                    {"text": v.text, "language": v.language, "state": v.state, "reasons": v.reasons, "printed": force}
                    for v in withheld
                ],
                "nothing_to_render": empty,
            }
        )
    else:
        typer.echo(f"{len(written)} handout files written under {cfg.path('outputs')}")
        for v in withheld:
            what = "printed anyway (--force) with a DRAFT banner on every page" if force else "not printed"
            reasons = "; ".join(r for r in v.reasons if not force or "--force" not in r)
            typer.echo(f"{v.state}: {v.language} {v.text}: {reasons}; {what}", err=True)
    if empty:
        codes = ",".join(empty)
        raise TranslateError(
            f"nothing to render for {codes}: the memory holds no translation of any text in "
            f"{'that language' if len(empty) == 1 else 'those languages'}; "
            f"run `translate run --lang {codes}` first (or check --only)"
        )
