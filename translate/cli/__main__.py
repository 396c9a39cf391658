"""`python -m translate.cli`: the same command as `translate`."""

from translate.cli import app

app()
