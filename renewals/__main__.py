"""`python -m renewals` runs the command line."""

from renewals.cli import cli

cli()
