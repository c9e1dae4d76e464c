"""`onrecord serve`: the web UI and JSON API under uvicorn.

The address is checked before the model loads (seconds to minutes), so a busy port is one line and
exit code 2 at once; uvicorn's own bind failure (the port taken in between) is turned into the same line.
"""

from __future__ import annotations

import errno
import logging
import socket

import click

from onrecord.cli.common import handle_errors, model_option, settings_from
from onrecord.errors import Errors, OptionError
from onrecord.settings import MAX_BODY_ENV


@click.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="Corpus store (DuckDB file) for the speaker, publisher and quote pages; opened read-only.",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind; the default serves this machine only."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to bind.")
@click.option(
    "--max-body-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help=f"Largest request body in MB (env {MAX_BODY_ENV}; default 5); larger gets 413.",
)
@model_option
@handle_errors
def serve(db: str | None, host: str, port: int, max_body_mb: float | None, model: str | None) -> None:
    """Serve the web UI and JSON API: paste an article, see who said what; browse a corpus with --db."""
    import uvicorn

    from onrecord.web.app import create_app

    settings = settings_from(model=model, max_body_mb=max_body_mb)
    check_address(host, port)
    app = create_app(db, settings=settings)
    app.state.analyzer.warm()  # load the model now: a missing model fails here, not on first request
    click.echo(f"onrecord: serving on http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    logging.getLogger("uvicorn.error").addFilter(_no_bind_errors)  # we say it in one line instead
    try:
        server.run()
    except SystemExit:  # uvicorn exits 3 when it cannot bind: the port was taken after the check
        check_address(host, port)
        raise OptionError(Errors.E095.format(host=host, port=port, reason="the server did not start")) from None


def _no_bind_errors(record: logging.LogRecord) -> bool:
    """Drop uvicorn's log line of a failed bind (it logs the OSError itself)."""
    return not isinstance(record.msg, OSError)


def check_address(host: str, port: int) -> None:
    """Bind a socket to the address and close it: OptionError when the port is taken or the host is not ours.

    SO_REUSEADDR as uvicorn sets it, so a port left in TIME_WAIT by a previous server is not reported busy.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise OptionError(Errors.E095.format(host=host, port=port, reason=exc.strerror)) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise OptionError(Errors.E094.format(port=port, host=host)) from None
            raise OptionError(Errors.E095.format(host=host, port=port, reason=exc.strerror or exc)) from None
