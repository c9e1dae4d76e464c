"""The trained cue model: the shipped weights load offline and change the analysis, confidences are
probabilities, `--no-model` falls back to the rules, and training runs end to end on a tiny corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from onrecord.attribute import model as cue_model
from onrecord.settings import NO_MODEL_ENV, Settings
from tests.conftest import MINI

# Made up for this test: the rules' cue table leaves out "supports" with an object and "made the case"
# (too often no attribution in the training split); the model takes them from their context.
TEXT = (
    "Senator Maria Lopez supports the new tariff plan.\n"
    "The union pushed for higher wages in the contract talks.\n"
    "Mayor Ilse Brandt made the case for a new harbour bridge at the council meeting.\n"
    "The bridge reopened after two years of repairs."
)


def _attributions(analyze, use_model: bool):
    article = analyze(TEXT, settings=Settings(use_model=use_model))
    return [(a.cue.text if a.cue else None, a.content.text, a.confidence) for a in article.attributions]


def test_shipped_model_loads_offline():
    model = cue_model.shipped()
    assert model is not None, "onrecord/attribute/data/model.npz is missing"
    assert cue_model.WEIGHTS.stat().st_size <= 25 * 1024 * 1024
    assert 0 < model.threshold < 1
    assert set(model.scorers()) == {"cue", "source", "bound"}
    assert all(len(s.vocab) == len(s.weights) > 0 for s in model.scorers().values())
    assert model.meta["articles"] > 0 and "cross_validation" in model.meta


def test_model_changes_results_and_confidences_are_probabilities(analyze):
    hybrid = _attributions(analyze, use_model=True)
    rules = _attributions(analyze, use_model=False)
    assert ("supports", "the new tariff plan") in [(cue, content) for cue, content, _ in hybrid]
    assert "supports" not in [cue for cue, _, _ in rules]
    assert len(hybrid) > len(rules)
    assert all(0.0 <= confidence <= 1.0 for _, _, confidence in hybrid)
    assert not any(content.startswith("The bridge") for _, content, _ in hybrid)


def test_no_model_setting_from_environment(monkeypatch):
    monkeypatch.setenv(NO_MODEL_ENV, "1")
    assert Settings.from_env().use_model is False
    assert Settings.from_env(use_model=True).use_model is True
    monkeypatch.setenv(NO_MODEL_ENV, "0")
    assert Settings.from_env().use_model is True
    monkeypatch.delenv(NO_MODEL_ENV)
    assert Settings.from_env().use_model is True


def test_cli_no_model_flag(tmp_path):
    from onrecord.cli import main

    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    runner = CliRunner()
    hybrid = runner.invoke(main, ["analyze", str(path), "--format", "jsonl"])
    rules = runner.invoke(main, ["analyze", str(path), "--format", "jsonl", "--no-model"])
    assert hybrid.exit_code == rules.exit_code == 0, hybrid.output + rules.output
    assert hybrid.output != rules.output


def test_no_model_flag_reaches_ingest_workers(tmp_path):
    """Workers are separate processes: the flag must travel in the settings they are started with."""
    from onrecord.cli import main
    from onrecord.store.db import Store

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article.txt").write_text(TEXT, encoding="utf-8")
    cues = {}
    for label, flags in (("hybrid", []), ("rules", ["--no-model"])):
        db = tmp_path / f"{label}.db"
        result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--workers", "1", *flags])
        assert result.exit_code == 0, result.output
        with Store.open(db, read_only=True) as store:
            cues[label] = {r[0] for r in store.con.execute("SELECT cue_text FROM attributions").fetchall()}
    assert "supports" in cues["hybrid"] and "supports" not in cues["rules"]


def test_save_and_load_round_trip(tmp_path):
    vocab = ["bias", "left=\n\n", 'lem="quoted"', "lem=naïve"]
    linear = cue_model.Linear(vocab, np.array([0.5, -1.25, 2.0, 0.0]))
    model = cue_model.CueModel(linear, None, linear, {"threshold": 0.42})
    model.save(tmp_path / "model.npz")
    loaded = cue_model.CueModel.load(tmp_path / "model.npz")
    assert loaded.cue.vocab == vocab and loaded.source is None and loaded.bound.vocab == vocab
    assert loaded.threshold == pytest.approx(0.42)
    assert loaded.cue.probabilities([["bias", "lem=naïve"], ["left=\n\n", "unknown"]]) == pytest.approx(
        [1 / (1 + np.exp(-0.5)), 1 / (1 + np.exp(1.25))], rel=1e-3
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory, nlp):
    """`onrecord train` on the three made-up articles, into a temporary folder."""
    from onrecord.cli import main

    out = tmp_path_factory.mktemp("model")
    result = CliRunner().invoke(main, ["train", "--data", str(MINI), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "model.npz"


def test_train_end_to_end_and_load(trained, nlp):
    from onrecord.attribute import find_attributions

    model = cue_model.CueModel.load(trained)
    assert model.meta["articles"] == 3 and model.meta["threshold"] in model.meta["config"]["thresholds"]
    doc = nlp("The minister said that the harbour would stay open.")
    found = find_attributions(doc, model=model)
    assert all(0.0 <= f.confidence <= 1.0 for f in found)


def test_training_is_reproducible(trained, tmp_path):
    from onrecord.eval import train

    meta = train.train(MINI, tmp_path, spacy_model=Settings().model, log=lambda _: None)
    again = cue_model.CueModel.load(tmp_path / "model.npz")
    first = cue_model.CueModel.load(trained)
    assert meta["threshold"] == first.threshold
    for name, scorer in first.scorers().items():
        assert again.scorers()[name].vocab == scorer.vocab
        assert np.array_equal(again.scorers()[name].weights, scorer.weights)


def test_train_rejects_a_folder_that_is_no_corpus(tmp_path):
    from onrecord.cli import main

    result = CliRunner().invoke(main, ["train", "--data", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "error" in result.output and "Traceback" not in result.output


def test_setting_and_card_documented():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert NO_MODEL_ENV in readme and "onrecord train" in readme
    card = (root / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "onrecord train --data ../shared/eval/polnear/train --out onrecord/attribute/data" in card
