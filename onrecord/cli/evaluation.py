"""`onrecord evaluate`, `bench` and `train`: the commands that measure and train the analysis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from onrecord.cli.common import analysis_options, handle_errors, model_option, progress, settings_from
from onrecord.errors import Errors, ModelError, OptionError


@click.command()
@click.option("--gold", "gold_dir", required=True, type=click.Path(), help="Brat corpus: text/, attributions/.")
@click.option("--pred-out", type=click.Path(dir_okay=False), help="Also write the predictions as JSONL.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@analysis_options
@handle_errors
def evaluate(gold_dir: str, pred_out: str | None, as_json: bool, model: str | None, no_model: bool) -> None:
    """Score the analysis against a PolNeAR-style gold corpus (content, source, end to end)."""
    from onrecord.eval.score import format_table, load_gold, predictions_from_records, score
    from onrecord.inputs import Document
    from onrecord.pipeline import analyze_many

    settings = settings_from(model=model, no_model=no_model)
    gold = load_gold(gold_dir)
    if pred_out:
        _check_writable(Path(pred_out))  # before the analysis, which takes minutes
    documents = [Document(name=g.name, text=g.text) for g in gold]
    records = analyze_many(progress(documents, "evaluate"), settings=settings)
    named = ((d.name, r.to_dict()) for d, r in zip(documents, records, strict=True))
    predictions = predictions_from_records(named)
    if pred_out:
        _write_predictions(Path(pred_out), predictions)
    metrics = score(gold, predictions)
    click.echo(json.dumps(metrics, indent=2) if as_json else format_table(metrics))


def _check_writable(path: Path) -> None:
    """Refuse a --pred-out that cannot be written (missing folder, a folder, no permission) up front."""
    if not path.parent.is_dir():
        raise OptionError(Errors.E076.format(path=path, reason=f"no folder {path.parent}"))
    if path.is_dir():
        raise OptionError(Errors.E076.format(path=path, reason="it is a folder"))


def _write_predictions(path: Path, predictions: list[dict[str, Any]]) -> None:
    try:
        path.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    except OSError as exc:
        raise OptionError(Errors.E076.format(path=path, reason=exc.strerror or exc)) from None


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--repeat", default=1, show_default=True, type=click.IntRange(min=1), help="Runs of each side; the best is kept."
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--ingest", is_flag=True, help="Measure `onrecord ingest` (1 and 2 workers) against raw spaCy instead.")
@analysis_options
@handle_errors
def bench(paths: tuple[str, ...], repeat: int, as_json: bool, ingest: bool, model: str | None, no_model: bool) -> None:
    """Throughput of the full analysis next to raw spaCy nlp.pipe, same model, same run."""
    from onrecord.eval import bench as benchmarks

    settings = settings_from(model=model, no_model=no_model)
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
@click.option(
    "--encoder",
    is_flag=True,
    help="Train the accurate mode's boundary refiner (bounds.npz) instead of the cue model; needs onrecord[encoder].",
)
@click.option(
    "--fine-tune",
    is_flag=True,
    help=(
        "With --encoder: first fine-tune the encoder into new taggers (tagger.onnx, cued.onnx); "
        "needs onrecord[train-encoder]."
    ),
)
@model_option
@handle_errors
def train(
    data_dir: str,
    out_dir: str,
    config_path: str | None,
    cache: str | None,
    encoder: bool,
    fine_tune: bool,
    model: str | None,
) -> None:
    """Train the cue model (or, with --encoder, the boundary refiner) on a PolNeAR-style corpus; the
    analysis uses DIR/model.npz once it is copied to onrecord/attribute/data/ (DIR/bounds.npz,
    DIR/tagger.onnx and DIR/cued.onnx: to onrecord/encoder/data/)."""
    from functools import partial

    from onrecord.eval import train as training

    settings = settings_from(model=model)
    if config_path and not Path(config_path).is_file():
        raise OptionError(Errors.E078.format(path=config_path))
    log = partial(click.echo, err=True)
    config = Path(config_path) if config_path else None
    parses = Path(cache) if cache else None
    if fine_tune and not encoder:
        raise OptionError(Errors.E081)
    if encoder:
        from onrecord.encoder import runtime
        from onrecord.eval import finetune, train_encoder

        if not runtime.available():
            raise ModelError(Errors.E052)
        if fine_tune:
            finetune.check()
        train_encoder.train(
            data_dir,
            out_dir,
            spacy_model=settings.model,
            config=train_encoder.EncoderConfig.read(config),
            cache=parses,
            log=log,
            fine_tune=finetune.TuneConfig.read(config) if fine_tune else None,
        )
        return
    training.train(
        data_dir,
        out_dir,
        spacy_model=settings.model,
        config=training.Config.read(config),
        cache=parses,
        log=log,
    )
