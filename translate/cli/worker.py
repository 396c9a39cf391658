"""`translate worker`: this machine takes `translate run --cluster` jobs from a Dask scheduler, until stopped."""

from __future__ import annotations

import logging
import os
from typing import Annotated, Optional

import typer

from translate.cli.common import ConfigOption, handle_errors
from translate.config import check_cluster, find_config, load_config


@handle_errors
def worker(
    scheduler: Annotated[str, typer.Argument(help="The Dask scheduler's address, e.g. tcp://10.0.0.2:8786.")],
    nthreads: Annotated[
        int, typer.Option(min=1, max=256, help="Jobs at once in this process (one per core: start one worker per core).")
    ] = 1,
    name: Annotated[Optional[str], typer.Option(help="A name for this worker in reports (default: its address).")] = None,
    host: Annotated[
        Optional[str], typer.Option(help="The address this worker listens on, which the scheduler and coordinator reach.")
    ] = None,
    config: ConfigOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="Show Dask's own log lines too.")] = False,
) -> None:
    """Take jobs of `translate run --cluster` from a Dask scheduler until Ctrl-C (or SIGTERM).

    Start the scheduler once (`dask scheduler`, in this environment), then one
    worker per core on each machine. Each run checks every worker before giving it
    a job: a worker whose engines, models, Apertium pairs or translate version
    would make other drafts than the coordinator's is refused with one line saying
    what differs, and exits 2 (restart it only once fixed). Everything that changes
    a draft (engine options, limits, glossary) comes from the coordinator; this
    machine's own translate.toml (--config, else the nearest one) gives only what is
    local to it: [argos] packages_dir and engine.threads.
    """
    from translate.run.cluster import WORKER_CONFIG, describe_here, serve_worker  # Dask: only for this command

    check_cluster(scheduler, "the scheduler's address")
    own = config or find_config()
    if own is not None:
        os.environ[WORKER_CONFIG] = str(os.path.abspath(own))
    cfg = load_config(own)
    if not verbose:
        logging.getLogger("distributed").setLevel(logging.ERROR)
    typer.echo(f"this machine: {describe_here(cfg)}", err=True)
    raise typer.Exit(serve_worker(scheduler, nthreads, name, host))
