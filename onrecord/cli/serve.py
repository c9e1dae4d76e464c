"""`onrecord serve`: the click command, registered on the main group by one line in onrecord/cli.py.

It imports nothing from onrecord.cli (that module imports this one) and nothing heavy until it runs.
"""

from __future__ import annotations

import sys

import click

from onrecord.errors import OnrecordError
from onrecord.settings import MODEL_ENV


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
    type=float,
    default=None,
    help="Largest request body in MB (env ONRECORD_MAX_BODY_MB; default 5); larger gets 413.",
)
@click.option("--model", envvar=MODEL_ENV, default=None, help=f"spaCy pipeline package or path (env {MODEL_ENV}).")
def serve(db: str | None, host: str, port: int, max_body_mb: float | None, model: str | None) -> None:
    """Serve the web UI and JSON API: paste an article, see who said what; browse a corpus with --db."""
    try:
        import uvicorn

        from onrecord.settings import Settings
        from onrecord.web.app import create_app

        app = create_app(db, settings=Settings.from_env(model=model), max_body_mb=max_body_mb)
        app.state.analyzer.warm()  # load the model now: a missing model fails here, not on first request
    except OnrecordError as exc:
        click.echo(f"onrecord: error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"onrecord: serving on http://{host}:{port}/  (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
