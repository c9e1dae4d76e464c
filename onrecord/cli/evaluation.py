"""`onrecord evaluate`, `bench` and `train`: the commands that measure and train the analysis."""

from __future__ import annotations

import json
from pathlib import Path

import click

from onrecord.cli.common import handle_errors, model_option, no_model_option, progress, use_model
from onrecord.settings import Settings


@click.command()
@click.option("--gold", "gold_dir", required=True, type=click.Path(), help="Brat corpus: text/, attributions/.")
@click.option("--pred-out", type=click.Path(dir_okay=False), help="Also write the predictions as JSONL.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@model_option
@no_model_option
@handle_errors
def evaluate(gold_dir: str, pred_out: str | None, as_json: bool, model: str | None) -> None:
    """Score the analysis against a PolNeAR-style gold corpus (content, source, end to end)."""
    from onrecord.eval.score import format_table, load_gold, predictions_from_records, score
    from onrecord.inputs import Document
    from onrecord.pipeline import analyze_many

    gold = load_gold(gold_dir)
    documents = [Document(name=g.name, text=g.text) for g in gold]
    settings = Settings.from_env(model=model, use_model=use_model())
    records = analyze_many(progress(documents, "evaluate"), settings=settings)
    named = ((d.name, r.to_dict()) for d, r in zip(documents, records, strict=True))
    predictions = predictions_from_records(named)
    if pred_out:
        Path(pred_out).write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    metrics = score(gold, predictions)
    click.echo(json.dumps(metrics, indent=2) if as_json else format_table(metrics))


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--repeat", default=1, show_default=True, help="Runs of each side; the best is kept.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--ingest", is_flag=True, help="Measure `onrecord ingest` (1 and 2 workers) against raw spaCy instead.")
@model_option
@no_model_option
@handle_errors
def bench(paths: tuple[str, ...], repeat: int, as_json: bool, ingest: bool, model: str | None) -> None:
    """Throughput of the full analysis next to raw spaCy nlp.pipe, same model, same run."""
    from onrecord.eval import bench as benchmarks

    settings = Settings.from_env(model=model, use_model=use_model())
    if ingest:
        report = benchmarks.run_ingest_bench(list(paths), settings=settings, repeat=repeat)
        click.echo(json.dumps(report, indent=2) if as_json else benchmarks.format_ingest_report(report))
        return
    report = benchmarks.run_bench(list(paths), settings=settings, repeat=repeat)
    click.echo(json.dumps(report, indent=2) if as_json else benchmarks.format_report(report))


@click.command()
@click.option(
    "--data", "data_dir", required=True, type=click.Path(), help="Brat training corpus: text/, attributions/."
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write model.npz to.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Training settings (TOML).")
@click.option("--cache", type=click.Path(dir_okay=False), help="DocBin file that keeps the parses between runs.")
@model_option
@handle_errors
def train(data_dir: str, out_dir: str, config_path: str | None, cache: str | None, model: str | None) -> None:
    """Train the cue model on a PolNeAR-style corpus; the analysis uses DIR/model.npz once it is
    copied to onrecord/attribute/data/."""
    from functools import partial

    from onrecord.attribute import train as training
    from onrecord.errors import OptionError

    if config_path and not Path(config_path).is_file():
        raise OptionError(f"--config {config_path} is not a file")
    config = training.Config.read(Path(config_path) if config_path else None)
    settings = Settings.from_env(model=model)
    log = partial(click.echo, err=True)
    training.train(
        data_dir, out_dir, spacy_model=settings.model, config=config, cache=Path(cache) if cache else None, log=log
    )
