"""The `onrecord` command: a thin click layer over the Python API.

Each command lives at module level in its own module of this package (analyze, evaluation, corpus,
serve), so it can be imported and tested alone; this module only groups them.  Every command turns
`OnrecordError` into one line on stderr and exit code 2; no user input can make it print a traceback.
"""

from __future__ import annotations

import click

from onrecord.cli.analyze import analyze
from onrecord.cli.evaluation import bench, evaluate, train
from onrecord.cli.ingest import ingest, spark
from onrecord.cli.query import export, query
from onrecord.cli.serve import serve
from onrecord.cli.speakers import speakers


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="onrecord")
def main() -> None:
    """onrecord: who said what, to whom, when, and according to whom."""


for command in (analyze, evaluate, bench, train, serve, ingest, query, export, spark):
    main.add_command(command)
main.add_command(speakers)

if __name__ == "__main__":
    main()
