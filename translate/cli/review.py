"""`translate review import|status|invite|invitations|revoke` and `translate evaluate`: the review commands.

`app` is mounted as `translate review`; `evaluate` is a plain command function
mounted at the top level (`translate evaluate HYP REF`).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Optional

import typer

from translate import languages
from translate.cli.common import (
    ConfigOption,
    JsonOption,
    fail,
    handle_errors,
    left_out,
    print_json,
    split_list,
    target_list,
)
from translate.config import load_config

app = typer.Typer(
    help=(
        "Human review in PO files: `translate run` writes outputs/<lang>/<text>.po; reviewers "
        "correct drafts and remove the fuzzy flag to approve them; `translate review import` records "
        "their decisions in the translation memory; `translate review status` shows the figures. "
        "Or in a browser: `translate review invite NAME --lang es` prints a link, `translate serve` serves it."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@app.command("import")
@handle_errors
def import_command(
    paths: Annotated[list[Path], typer.Argument(help="PO files, or folders searched for *.po.")],
    reviewer: Annotated[
        Optional[list[str]],
        typer.Option(
            "--reviewer",
            "-r",
            help=(
                "Who reviewed: NAME for every file, or FILE=NAME for one file of a folder (repeat it). "
                "Default: the name in each file's Last-Translator (its e-mail address is never kept)."
            ),
        ),
    ] = None,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Record reviewers' decisions from PO files in the translation memory.

    An entry without the fuzzy flag is approved; a changed text still fuzzy is a
    draft; a changed '# ' comment is kept with the sentence. Importing the same
    file again records nothing, and a file nobody touched is skipped. A decision
    made on an older copy of a sentence someone else has decided since is a
    conflict: the newer text stays, the other is kept as a suggestion, and both
    are listed. One line per file. Exit 1 if a conflict was found or a whole file
    was refused (not valid PO, wrong language, unknown text, no reviewer name).
    Waits while a `translate run` is writing.
    """
    # imported on use, keeps --help fast
    from translate.memory.store import TranslationMemory
    from translate.review.po_import import import_paths
    from translate.run.lock import run_lock

    cfg = load_config(config)
    default, per_file = None, {}
    for value in reviewer or []:
        file, sep, name = value.rpartition("=")
        if sep and file:
            per_file[file] = name
        elif default is None:
            default = value
        else:
            fail("give --reviewer NAME once; for one file of several use --reviewer FILE=NAME", 2)
    with run_lock(cfg.path("memory"), wait=True), TranslationMemory(cfg.path("memory")) as memory:
        result = import_paths(memory, paths, cfg, default, reviewers=per_file)
    if json_out:
        print_json(result.to_dict())
    else:
        for summary in result.per_file:
            typer.echo(summary.describe())
        for c in result.conflicts:
            typer.echo(
                f"conflict in {c.file}: {c.sentence[:70]!r} ({c.language}): {c.current_reviewer}'s newer "
                f"{c.current_text!r} stays; {c.incoming_reviewer}'s {c.incoming_text!r} is kept as a "
                "suggestion",
                err=True,
            )
        for skipped in result.skipped:
            where = f" {skipped.msgid[:60]!r}" if skipped.msgid else ""
            typer.echo(f"skipped {skipped.file}{where}: {skipped.reason}", err=True)
        for warning in result.warnings:
            typer.echo(f"warning: {warning}", err=True)
    raise typer.Exit(result.exit_code)


@app.command("status")
@handle_errors
def status_command(
    only: Annotated[Optional[str], typer.Option(help="Only these texts (file or stem names, comma-separated).")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Only these languages, e.g. es,fr.")] = None,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Per text and language, then per person: what is approved, drafted, waiting, and who did it.

    Languages without any draft (no engine here serves them) are left out and named.
    TER (edits per reference word, 0 = none) and chrF (100 = identical) compare the
    machine drafts with the approved texts, both case-sensitive (--json gives their
    sacrebleu signatures). Per person: sentences whose text in force they wrote
    (translated), whose approval is theirs (approved), their drafts, their texts
    still open as suggestions, and their comments.
    """
    # imported on use, keeps --help fast
    from translate.memory.store import TranslationMemory
    from translate.review.status import people_status, review_status
    from translate.texts import load_batch

    cfg = load_config(config)
    batch = load_batch(cfg, split_list(only))
    texts, problems = batch.texts, batch.problems
    left_out(problems)
    targets = target_list(lang) or cfg.targets
    with TranslationMemory(cfg.path("memory"), readonly=True) as memory:
        rows = review_status(memory, texts, targets, drafted_only=True)
        shown = list(dict.fromkeys(r.language for r in rows))
        people = people_status(memory, texts, shown)
    undrafted = [t for t in targets if t not in shown]
    threshold = cfg.review.publish_threshold
    if json_out:
        signatures = {"ter": rows[0].ter_signature, "chrf": rows[0].chrf_signature} if rows else {}
        print_json(
            {
                "publish_threshold": threshold,
                "signatures": signatures,
                "rows": [dict(r.to_dict(), reviewed=r.approved_share >= threshold) for r in rows],
                "people": [p.to_dict() for p in people],
                "languages_without_drafts": undrafted,
            }
        )
        raise typer.Exit(1 if problems else 0)
    _print_status_table(rows, threshold)
    if not rows:  # nothing translated yet: say so for each text, rather than an empty table
        for text in texts:
            typer.echo(f"{text.path.name}: no drafts yet in {', '.join(targets)}; `translate run` makes them")
    elif undrafted:
        typer.echo(f"no drafts yet (no engine here serves them): {', '.join(undrafted)}")
    typer.echo("")
    if not people:
        typer.echo("people: no one has reviewed yet")
        raise typer.Exit(1 if problems else 0)
    typer.echo(
        f"{'person':24} {'language':8} {'translated':>10} {'approved':>8} {'drafts':>6} {'open suggestions':>16} {'comments':>8}"
    )
    for p in people:
        typer.echo(
            f"{p.name[:24]:24} {p.language:8} {p.translated:>10} {p.approved:>8} {p.drafts:>6} {p.suggestions:>16} "
            f"{p.comments:>8}"
        )
    if problems:
        raise typer.Exit(1)


def _print_status_table(rows: list, threshold: float) -> None:
    """Per text and language, with every column named in full."""

    def fmt(value, pct=False):
        return "-" if value is None else f"{value * 100:.0f}%" if pct else f"{value:.1f}"

    typer.echo(
        f"{'text':30} {'language':8} {'sentences':>9} {'approved':>8} {'of them edited':>14} {'drafts':>6} "
        f"{'needs work':>10} {'no decision':>11} {'TER':>5} {'chrF':>5} {'kept as machine':>15}  state"
    )
    for r in rows:
        reviewed = r.approved_share >= threshold and r.segments
        state = "reviewed" if reviewed else f"{r.approved_share:.0%} approved"
        typer.echo(
            f"{r.text[:30]:30} {r.language:8} {r.segments:>9} {r.approved + r.edited:>8} {r.edited:>14} {r.draft:>6} "
            f"{r.needs_work:>10} {r.pending:>11} {fmt(r.ter):>5} {fmt(r.chrf):>5} {fmt(r.share_unchanged, True):>15}  {state}"
        )


@app.command("invite")
@handle_errors
def invite_command(
    name: Annotated[str, typer.Argument(help="The person's name, as the review log and the credits will show it.")],
    lang: Annotated[str, typer.Option("--lang", help="Languages they may review, e.g. es or es,fr.")],
    role: Annotated[
        str, typer.Option(help="translator (saves drafts) or reviewer (also approves what gets printed).")
    ] = "reviewer",
    expires: Annotated[str, typer.Option(help="How long the link can be opened: e.g. 14d, 12h, 2w.")] = "14d",
    devices: Annotated[
        int, typer.Option(help="How many browsers the link signs in (a phone and a computer: 2). One more later: add-device.")
    ] = 2,
    url: Annotated[
        Optional[str],
        typer.Option(
            help="The address the server is reached at, when it is not serve.public_url "
            "or http://serve.host:serve.port (e.g. `translate serve --port 8100`)."
        ),
    ] = None,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Invite someone to review in a browser: prints a link that works once, until it expires.

    Send the link to the person; opening it signs their browser in for the
    languages given (see `translate serve`). Only a hash of the link's token is
    kept, so the link is shown this once. `translate review invitations` lists
    invitations, `translate review revoke` withdraws one and signs its browser out.
    """
    # imported on use, keeps --help fast
    from translate.serve.access import AccessStore, access_path, invitation_link, link_base

    cfg = load_config(config)
    base = link_base(cfg, url)  # checked before an invitation is made
    store = AccessStore(access_path(cfg))
    invitation, token = store.invite(name, languages.parse_list(lang), role, expires, devices)
    link = invitation_link(base, token)
    if json_out:
        print_json({"invitation": asdict(invitation), "link": link})
        return
    typer.echo(
        f"Invitation {invitation.id} for {invitation.name} ({invitation.role}, "
        f"{', '.join(invitation.languages)}), for {invitation.devices} "
        f"{'browser' if invitation.devices == 1 else 'browsers'}, valid until {invitation.expires}:",
        err=True,
    )
    typer.echo(link)


@app.command("add-device")
@handle_errors
def add_device_command(
    who: Annotated[str, typer.Argument(help="An invitation number, or a name (that person's newest invitation).")],
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Let an invitation's link sign in one more browser (a new phone, a borrowed computer).

    The person opens the same link again on the new device; an expired link gets two more weeks.
    """
    from translate.serve.access import AccessStore, access_path  # imported on use, keeps --help fast

    cfg = load_config(config)
    invitation = AccessStore(access_path(cfg)).add_device(who)
    if json_out:
        print_json(asdict(invitation))
        return
    typer.echo(
        f"invitation {invitation.id} ({invitation.name}) may sign in one more browser: {invitation.devices_left} left "
        f"of {invitation.devices}, until {invitation.expires}; the person opens the same link on the new device"
    )


@app.command("invitations")
@handle_errors
def invitations_command(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """List invitations: who, which languages and role, open / used / expired / revoked, browsers signed in."""
    # imported on use, keeps --help fast
    from translate.clock import utc_now
    from translate.serve.access import AccessStore, access_path

    cfg = load_config(config)
    rows = AccessStore(access_path(cfg)).invitations()
    now = utc_now()
    if json_out:
        print_json([asdict(r) | {"state": r.state(now)} for r in rows])
        return
    if not rows:
        typer.echo("no invitations yet: translate review invite NAME --lang es")
        return
    typer.echo(f"{'no':>4}  {'name':24} {'role':10} {'languages':12} {'state':8} {'devices':>7} {'signed in':>9}  expires")
    for r in rows:
        typer.echo(
            f"{r.id:>4}  {r.name[:24]:24} {r.role:10} {','.join(r.languages)[:12]:12} {r.state(now):8} "
            f"{f'{r.opened}/{r.devices}':>7} {r.sessions:>9}  {r.expires}"
        )


@app.command("revoke")
@handle_errors
def revoke_command(
    who: Annotated[str, typer.Argument(help="An invitation number, or a name (every invitation of that name).")],
    name: Annotated[bool, typer.Option("--name", help="WHO is a name even if it looks like a number.")] = False,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Withdraw invitations and sign their browsers out at once (their recorded decisions stay).

    A number names one invitation (see `translate review invitations`), never also a
    person called by that number: for that, add --name."""
    from translate.serve.access import AccessStore, access_path  # imported on use, keeps --help fast

    cfg = load_config(config)
    revoked = AccessStore(access_path(cfg)).revoke(who, by_name=name)
    if json_out:
        print_json([asdict(r) for r in revoked])
        return
    for r in revoked:
        typer.echo(f"revoked invitation {r.id} ({r.name}); its browsers are signed out")


@app.command("next")
@handle_errors
def next_command(
    lang: Annotated[str, typer.Option("--lang", "-l", help="The language to review, e.g. es.")],
    count: Annotated[int, typer.Option("-n", "--count", min=1, max=1_000_000, help="How many sentences to show.")] = 10,
    only: Annotated[Optional[str], typer.Option(help="Only these texts (file or stem names, comma-separated).")] = None,
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """The N sentences of a language most in need of a person, worst first, with the reasons.

    Sentences whose machine drafts carry the heaviest quality signals come first
    (a glossary term not as pinned, engine errors, unknown or pivot-language words);
    'flagged' ones are the front of the queue. Approved sentences are left out. Find
    a sentence in the PO file by its msgctxt, or by file and line.
    """
    # imported on use, keeps --help fast
    from translate.errors import UsageError
    from translate.memory import health
    from translate.memory.store import TranslationMemory
    from translate.review.queue import front_count, review_queue
    from translate.texts import load_batch

    cfg = load_config(config)
    target = languages.validate(lang)
    batch = load_batch(cfg, split_list(only))
    texts, problems = batch.texts, batch.problems
    left_out(problems)
    path = cfg.path("memory")
    if not health.present(path):
        raise UsageError(f"no translation memory at {path}; run `translate run` first")
    with TranslationMemory(path, readonly=True) as memory:
        queue = review_queue(memory, texts, target, cfg.source_language)
    shown = queue[:count]
    if json_out:
        print_json(
            {
                "language": target,
                "waiting": len(queue),
                "flagged": front_count(queue),
                "items": [item.to_dict() for item in shown],
            }
        )
        raise typer.Exit(1 if problems else 0)
    typer.echo(
        f"{languages.language_name(target)} ({target}): {len(queue)} sentences wait for review, "
        f"{front_count(queue)} flagged; the {len(shown)} most in need of a person:"
    )
    for item in shown:
        mark = "flagged" if item.flagged else item.status
        typer.echo(
            f"\n{item.position}. {item.text}:{item.line}  risk {item.risk:.0%}, score {item.score:g}  {mark}  [{item.msgctxt}]"
        )
        typer.echo(f"   source: {item.source}")
        typer.echo(f"   draft:  {item.translation}")
        for reason in item.reasons:
            typer.echo(f"   check:  {reason}")
    if problems:
        raise typer.Exit(1)


@handle_errors
def evaluate(
    hyp: Annotated[Path, typer.Argument(help="Hypothesis: the translation to score.")],
    ref: Annotated[Path, typer.Argument(help="Reference: the translation to compare with.")],
    unit: Annotated[str, typer.Option(help="line (one segment per line), document (whole files), or auto.")] = "auto",
    language: Annotated[Optional[str], typer.Option("--language", "-l", help="Target language (picks BLEU's tokenizer).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Score a translation against a reference with sacrebleu: BLEU, chrF and TER with their signatures.

    With the same number of lines in both files, lines are aligned segments;
    otherwise (or with --unit document) each file is one document.
    """
    from translate.review.evaluate import evaluate_files  # imported on use, keeps --help fast

    result = evaluate_files(hyp, ref, unit, language)
    if json_out:
        print_json(result.to_dict())
        return
    typer.echo(f"{result.segments} segment(s), compared by {result.unit}")
    for score in result.scores:
        typer.echo(f"{score.text}\n    {score.signature}")
