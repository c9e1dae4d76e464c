"""The `onrecord` command: a thin click layer over the Python API.

Each command lives at module level in its own module of this package (analyze, evaluation, ingest,
query, serve), so it can be imported and tested alone; this module only groups them.  Every command turns
`OnrecordError` into one line on stderr and exit code 2 (cli/common.handle_errors), and the group turns
click's own usage errors (a missing argument, a bad option value) into one line too, so no user input
makes it print a traceback or a usage screen.
"""

from __future__ import annotations

from typing import Any

import click

from onrecord.cli.analyze import analyze
from onrecord.cli.common import fail
from onrecord.cli.evaluation import bench, evaluate, train
from onrecord.cli.ingest import ingest, spark
from onrecord.cli.query import export, query
from onrecord.cli.serve import serve
from onrecord.cli.speakers import speakers
from onrecord.errors import Errors


class OneLineUsageError(click.UsageError):
    """A usage error shown as the CLI shows every error: one coded line, exit code 2."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(error.format_message(), error.ctx)
        self.exit_code = error.exit_code

    def show(self, file: Any = None) -> None:
        command = self.ctx.command_path if self.ctx else "onrecord"
        fail(Errors.E093.format(message=self.format_message(), command=command))


def _one_line(exc: click.UsageError) -> click.UsageError:
    # `onrecord` or `onrecord query` alone still shows the help it asks for.
    if isinstance(exc, (OneLineUsageError, click.exceptions.NoArgsIsHelpError)):
        return exc
    return OneLineUsageError(exc)


class OnrecordGroup(click.Group):
    """The top group; its subcommands' (and `query`'s) usage errors pass through here."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc) from None


@click.group(cls=OnrecordGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="onrecord")
def main() -> None:
    """onrecord: who said what, to whom, when, and according to whom."""


for command in (analyze, evaluate, bench, train, serve, ingest, query, export, spark):
    main.add_command(command)
main.add_command(speakers)

if __name__ == "__main__":
    main()
