"""The accurate mode: the fine-tuned int8 tagger runs offline on the CPU, its logits line up with spaCy's
tokens and mark where a report's content starts and ends, the boundary refiner only moves boundaries
inside the text and keeps the record valid, `--accurate` reaches every front end through Settings, and
`train --encoder [--fine-tune]` runs end to end on a tiny corpus."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from onrecord import encoder
from onrecord.attribute.found import Found
from onrecord.encoder import bounds, cued, runtime
from onrecord.encoder.mlp import Ranker
from onrecord.settings import ACCURATE_ENV, Settings
from tests.conftest import MINI

pytestmark = pytest.mark.skipif(not runtime.available(), reason="onrecord[encoder] is not installed")


# Made up for this test.
TEXT = (
    "The harbour board said on Tuesday that the ferry to Lindholm would stop running in March.\n"
    "Its chairman, Oskar Vell, told reporters the decision was painful but necessary.\n"
    '"We cannot keep losing money on every crossing," Vell said.\n'
    "Residents of the island, who rely on the ferry, said they would appeal to the regional council."
)


def test_features_cover_the_tokens_of_the_chosen_sentences(nlp):
    doc = nlp(TEXT)
    features = runtime.token_features(doc, [1, 2])
    sents = list(doc.sents)
    wanted = {t.i for s in sents[1:3] for t in s if not t.is_space}
    assert set(features) == wanted
    assert all(v.shape == (runtime.FEATURES,) and np.isfinite(v).all() for v in features.values())
    again = runtime.token_features(doc, [1, 2])
    assert all(np.array_equal(features[i], again[i]) for i in wanted)  # deterministic


def _strongest(doc, features, sentence: int, column: int) -> str:
    sent = list(doc.sents)[sentence]
    return max((t for t in sent if t.i in features), key=lambda t: features[t.i][column]).text


def test_the_tagger_marks_where_a_reported_clause_starts_and_ends(nlp):
    """Made-up reports the tagger never saw: its strongest content start is the reported clause's first
    word, its strongest content end the clause's last word, and a cue verb is tagged as a cue."""
    doc = nlp(
        "The ministry said on Friday that the new bridge would open in late spring.\n"
        "Greta Holm, who chairs the council, told reporters the budget was too small."
    )
    features = runtime.token_features(doc, [0, 1])
    start, end, cue = 0, len(runtime.LABELS) + 1, 3  # first piece's start, last piece's end, first piece's cue
    assert _strongest(doc, features, 0, start) in ("the", "that")
    assert _strongest(doc, features, 0, end) == "spring"
    assert _strongest(doc, features, 0, cue) == "said"
    assert _strongest(doc, features, 1, start) == "the"
    assert _strongest(doc, features, 1, end) == "small"


def test_a_sentence_longer_than_a_window_is_encoded_in_parts(nlp):
    doc = nlp(" ".join(["The council said the plan, which covers roads and bridges and schools,"] * 30) + ".")
    features = runtime.token_features(doc, range(len(list(doc.sents))))
    assert len(features) == sum(not t.is_space for t in doc)


def test_choices_hold_the_current_boundary_and_stay_in_reach(nlp):
    from onrecord.attribute import find_attributions

    doc = nlp(TEXT)
    sent_of = bounds.sentence_numbers(doc)
    found = [f for f in find_attributions(doc) if f.content]
    assert found
    for item in found:
        for choice in bounds.choices(doc, item, sent_of):
            assert choice.current in choice.positions
            assert all(abs(p - choice.current) <= bounds.REACH for p in choice.positions)


def _scanned(rows: dict, lo: int, hi: int, mean_col: int, max_cols: tuple[int, ...]) -> list[float]:
    """A move's summary by a direct scan of the tokens it adds or removes (zeros when none is tagged)."""
    seen = [rows[i] for i in range(lo, hi) if i in rows]
    if not seen:
        return [0.0] * (1 + len(max_cols))
    return [float(np.mean([r[mean_col] for r in seen])), *(float(max(r[c] for r in seen)) for c in max_cols)]


def test_dense_rows_match_a_direct_scan_of_each_move(nlp):
    """The running summaries (one pass a side) give each candidate what scanning its own move gives."""
    from onrecord.attribute import find_attributions

    doc = nlp(TEXT)
    sent_of = bounds.sentence_numbers(doc)
    found = [f for f in find_attributions(doc) if f.content]
    features = runtime.token_features(doc, sorted(bounds.sentences_needed(doc, found, sent_of)))
    views = cued.features(doc, [(sent_of[f.head], [f.cue]) for f in found if f.cue is not None])
    mine = dict(zip([id(f) for f in found if f.cue is not None], views, strict=True))
    width = 3 * runtime.FEATURES
    checked = 0
    for item in found:
        view = mine.get(id(item), {})
        for choice in bounds.choices(doc, item, sent_of):
            rows = bounds.dense(features, choice, view)
            assert rows.shape[0] == len(choice.positions) and np.isfinite(rows).all()
            start = choice.side == "start"
            for row, position in zip(rows, choice.positions, strict=True):
                inner = position if start else position - 1
                assert np.array_equal(row[: runtime.FEATURES], features.get(inner, np.zeros(runtime.FEATURES)))
                lo, hi = sorted((position, choice.current))
                adds = (position < choice.current) == start
                between = row[width : width + bounds.BETWEEN]
                wanted = _scanned(features, lo, hi, 2, (3, 4, 0 if start else 1))
                half = between[:4] if adds else between[4:]
                assert half == pytest.approx(wanted, abs=1e-5)
                checked += position != choice.current
    assert checked > 20


def test_refine_keeps_every_span_inside_the_text_and_the_record_valid(analyze):
    import jsonschema

    schema = json.loads((Path(encoder.__file__).parents[1] / "article.schema.json").read_text(encoding="utf-8"))
    fast = analyze(TEXT)
    accurate = analyze(TEXT, settings=Settings(accurate=True))
    jsonschema.validate(accurate.to_dict(), schema)
    assert len(accurate.attributions) == len(fast.attributions)
    for a in accurate.attributions:
        assert 0 <= a.content.start < a.content.end <= len(TEXT)
        assert TEXT[a.content.start : a.content.end] == a.content.text


# Made up for this test: reports inside reports, the outer content opening with the inner speaker.
NESTED = (
    "The harbour board said on Tuesday that its chairman believes the ferry to Lindholm will stop in March.\n"
    "Residents told reporters they think the regional council will refuse the appeal."
)


def test_a_nested_report_keeps_its_own_content_in_the_accurate_mode(analyze):
    """The ranker learned outermost reports: let loose on "believes" it would widen that content to the
    outer one, "that its chairman believes …", which then reports itself."""
    fast = {(a.cue.text, a.content.text) for a in analyze(NESTED).attributions if a.parent}
    accurate = analyze(NESTED, settings=Settings(accurate=True))
    by_id = {a.id: a for a in accurate.attributions}
    nested = [a for a in accurate.attributions if a.parent]
    assert {(a.cue.text, a.content.text) for a in nested} == fast
    assert {"believes", "think"} <= {a.cue.text for a in nested}
    for a in nested:
        outer = by_id[a.parent]
        assert outer.id != a.id
        assert outer.content.start <= a.content.start and a.cue.end <= a.content.start
        assert a.content.text != outer.content.text


def test_the_refiner_never_leaves_a_content_of_punctuation_only(nlp):
    text = "Prices will keep rising, the bank predicts, ''for the next few years.''"
    doc = nlp(text)
    start = text.index("''for")
    item = Found([(start, len(text))], None, "", None, "")
    sides = bounds.choices(doc, item, bounds.sentence_numbers(doc))
    assert sides
    for choice in sides:
        mask = bounds.allowed(doc, item, choice)
        assert not mask.all()  # the closing quotation marks alone are among the candidates, and refused
        for p in (p for p, ok in zip(choice.positions, mask, strict=True) if ok):
            kept = doc[p : len(doc)] if choice.side == "start" else doc[doc.char_span(start, start + 2).start : p]
            assert any(t.is_alpha for t in kept), (choice.side, kept.text)


def test_a_nested_report_ending_with_its_parent_follows_the_parents_new_end():
    outer = Found([(0, 60)], (5, 9), "say", None, "")
    inner = Found([(20, 60)], (12, 18), "think", None, "", parent=outer)
    alone = Found([(30, 45)], (25, 29), "hope", None, "", parent=outer)
    drawn = {id(outer): [(0, 60)]}
    outer.content = [(0, 50)]
    encoder._follow_parents([outer, inner, alone], drawn)
    assert inner.content == [(20, 50)]
    assert alone.content == [(30, 45)]


def _recut(text: str, cue: str, source: str | None, old: str, new: str) -> Found:
    """A row whose content `old` the refiner widened to `new` (both given by their words)."""
    at = text.index(cue)
    speaker = (text.index(source), text.index(source) + len(source)) if source else None
    item = Found([(text.index(new), text.index(new) + len(new))], (at, at + len(cue)), cue, speaker, "")
    bounds.split_around_own_words(text, item, [(text.index(old), text.index(old) + len(old))])
    return item


def test_a_content_widened_over_its_cue_between_commas_is_split_around_it():
    text = "The new timetable, she said, is the council's answer to the complaints."
    item = _recut(text, "said", "she", "is the council's answer to the complaints", text[:-1])
    assert [text[a:b] for a, b in item.content] == ["The new timetable", "is the council's answer to the complaints"]


def test_an_agentless_passive_keeps_its_cue_inside_the_content():
    text = "Mr. Vell is widely seen as the likely winner of the vote."
    item = _recut(text, "seen", None, "the likely winner of the vote", text[:-1])
    assert [text[a:b] for a, b in item.content] == [text[:-1]]


def test_a_re_cut_quotation_is_classified_by_its_new_words(nlp):
    text = 'As the old saying goes, "slow and steady wins the race," the coach told his players.'
    doc = nlp(text)
    quote = text.index('"slow')
    item = Found([(quote, text.index(",", quote) + 2)], None, "", None, "", type="direct")
    item.content = [(0, item.end)]
    encoder._reclassify(doc, [item])
    assert item.type == "mixed"


def _start_candidates(nlp, text: str, cue: str, source: str, content: str) -> list[str]:
    doc = nlp(text)
    at, who, what = text.index(cue), text.index(source), text.index(content)
    item = Found([(what, what + len(content))], (at, at + len(cue)), cue, (who, who + len(source)), source)
    sides = [c for c in bounds.choices(doc, item, bounds.sentence_numbers(doc)) if c.side == "start"]
    return [doc[p].text for c in sides for p, ok in zip(c.positions, bounds.allowed(doc, item, c), strict=True) if ok]


def test_a_content_never_grows_over_its_own_speaker(nlp):
    text = "The singer told the magazine that Dion had never loved her body as a teenager."
    starts = _start_candidates(nlp, text, "loved", "Dion", "her body as a teenager")
    assert starts and "Dion" not in starts and "that" not in starts and "her" in starts


def test_a_speaker_between_commas_may_be_taken_in_as_a_split_content(nlp):
    text = "The new timetable, she said, is the council's answer to the complaints."
    starts = _start_candidates(nlp, text, "said", "she", "is the council's answer to the complaints")
    assert "The" in starts


def test_the_margin_keeps_the_current_boundary_on_weak_evidence():
    scores = np.array([0.2, 1.0, 0.9])
    assert bounds.choose(scores, current=2, margin=0.5) == 2
    assert bounds.choose(scores, current=2, margin=0.05) == 1
    assert bounds.choose(scores, current=0, margin=0.5) == 1


def test_ranker_round_trip(tmp_path):
    rng = np.random.default_rng(3)
    ranker = Ranker(
        {"a": 0, "b": 1},
        np.zeros(4, np.float32),
        np.ones(4, np.float32),
        rng.standard_normal((4, 3)).astype(np.float32),
        np.zeros(3, np.float32),
        rng.standard_normal((2, 3)).astype(np.float32),
        rng.standard_normal(3).astype(np.float32),
        np.array([0.5, -0.5], np.float32),
    )
    ranker.save(tmp_path / "b.npz", {"margin": 0.25})
    loaded, meta = Ranker.load(tmp_path / "b.npz")
    dense = rng.standard_normal((2, 4)).astype(np.float32)
    assert meta == {"margin": 0.25}
    assert loaded.scores(dense, [["a"], ["b", "unknown"]]) == pytest.approx(
        ranker.scores(dense, [["a"], ["b", "unknown"]]), abs=1e-2
    )


def test_damaged_weights_are_one_clear_error(tmp_path):
    from onrecord.errors import ModelError

    bad = tmp_path / "bounds.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="E053"):
        Ranker.load(bad)


def test_accurate_from_flag_and_environment(tmp_path, monkeypatch):
    from onrecord.cli import main

    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    flag = CliRunner().invoke(main, ["analyze", str(article), "--accurate", "--format", "json"])
    assert flag.exit_code == 0, flag.output
    monkeypatch.setenv(ACCURATE_ENV, "1")
    assert Settings.from_env().accurate
    env = CliRunner().invoke(main, ["analyze", str(article), "--format", "json"])
    assert env.exit_code == 0 and json.loads(env.output) == json.loads(flag.output)


# every article of the tiny corpus trains the ranker: the shipped tagger never saw them
ALL_HELD_OUT = "[encoder]\nholdout = 1\nepochs = 2\n"


@pytest.fixture(scope="module")
def trained(tmp_path_factory, nlp):
    from onrecord.cli import main

    out = tmp_path_factory.mktemp("encoder")
    config = out / "encoder.toml"
    config.write_text(ALL_HELD_OUT, encoding="utf-8")
    args = ["train", "--encoder", "--data", str(MINI), "--out", str(out), "--config", str(config)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out / "bounds.npz"


def test_train_encoder_end_to_end_and_reproducible(trained, tmp_path, nlp):
    from onrecord.attribute import find_attributions
    from onrecord.eval import train_encoder

    ranker, meta = Ranker.load(trained)
    assert meta["articles"] == meta["held_out"] == 3 and meta["decisions"] > 0
    assert meta["margin"] in meta["config"]["margins"] and meta["tagger"] == encoder.fingerprint(runtime.TAGGER)
    assert meta["cued"] == encoder.fingerprint(cued.GRAPH)
    config = train_encoder.EncoderConfig(holdout=1, epochs=2)
    train_encoder.train(MINI, tmp_path, spacy_model=Settings().model, config=config, log=lambda _: None)
    again, _ = Ranker.load(tmp_path / "bounds.npz")
    assert again.vocab == ranker.vocab and np.array_equal(again.w1, ranker.w1)
    doc = nlp(TEXT)
    found = encoder.refine(doc, find_attributions(doc), (ranker, meta["margin"]))
    assert all(f.start < f.end for f in found if f.content)


def test_fit_learns_which_candidate_is_right():
    """A made-up decision set where the right candidate carries the feature "mark": the ranker learns it."""
    from onrecord.eval.train_encoder import Decision, EncoderConfig, fit

    rng = np.random.default_rng(5)
    decisions = []
    for n in range(200):
        k, right = 5, int(rng.integers(5))
        rows = [["mark"] if i == right else ["plain"] for i in range(k)]
        labels = np.array([i == right for i in range(k)])
        dense = rng.standard_normal((k, 6)).astype(np.float16)
        decisions.append(Decision(n, dense, rows, labels, 0))
    ranker = fit(decisions[:150], EncoderConfig(epochs=20, hidden=8, min_count=1, batch=16, learning_rate=0.05))
    picked = [int(np.argmax(ranker.scores(d.dense, d.rows))) for d in decisions[150:]]
    assert np.mean([bool(d.labels[p]) for d, p in zip(decisions[150:], picked, strict=True)]) > 0.95


@pytest.mark.parametrize("which", ["tagger", "cued"])
def test_a_ranker_of_another_tagger_is_one_clear_error(which, trained, tmp_path, monkeypatch):
    from onrecord.errors import ModelError

    module, original = (runtime, runtime.TAGGER) if which == "tagger" else (cued, cued.GRAPH)
    other = tmp_path / original.name
    other.write_bytes(original.read_bytes() + b"\0")
    monkeypatch.setattr(encoder, "WEIGHTS", trained)
    monkeypatch.setattr(module, "TAGGER" if which == "tagger" else "GRAPH", other)
    encoder.shipped.cache_clear()
    try:
        with pytest.raises(ModelError, match="E054"):
            encoder.check()
    finally:
        encoder.shipped.cache_clear()


def test_fine_tune_needs_encoder_and_its_packages(tmp_path):
    from onrecord.cli import main
    from onrecord.eval import finetune

    alone = CliRunner().invoke(main, ["train", "--fine-tune", "--data", str(MINI), "--out", str(tmp_path)])
    assert alone.exit_code == 2 and "E081" in alone.output and "Traceback" not in alone.output
    try:
        finetune.check()
    except Exception as exc:  # the training extra is not installed here: one clear line, exit 2
        args = ["train", "--encoder", "--fine-tune", "--data", str(MINI), "--out", str(tmp_path)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and "E055" in result.output and "E055" in str(exc)


@pytest.mark.slow
def test_fine_tune_end_to_end_on_a_tiny_corpus(tmp_path, nlp):
    """The whole training, tagger first: article 1 tunes it, articles 0 and 2 train the ranker on its
    logits; the result loads and runs as the shipped pair does."""
    from onrecord.cli import main
    from onrecord.eval import finetune

    pytest.importorskip("torch", reason="onrecord[train-encoder] is not installed")
    finetune.check()
    config = tmp_path / "encoder.toml"
    config.write_text("[encoder]\nholdout = 2\nepochs = 2\n[fine_tune]\nepochs = 1\nbatch_pieces = 512\n")
    args = ["train", "--encoder", "--fine-tune", "--data", str(MINI), "--out", str(tmp_path), "--config", str(config)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    _, meta = Ranker.load(tmp_path / "bounds.npz")
    graph = tmp_path / "tagger.onnx"
    assert meta["held_out"] == 2 and meta["fine_tune"]["sentence"]["windows"] >= 1
    assert meta["fine_tune"]["cued"]["windows"] >= 1
    assert meta["tagger"] == encoder.fingerprint(graph)
    assert meta["cued"] == encoder.fingerprint(tmp_path / "cued.onnx")
    doc = nlp(TEXT)
    features = runtime.token_features(doc, [0], graph)
    assert len(features) == sum(not t.is_space for t in next(iter(doc.sents)))
    said = next(t for t in doc if t.text == "said")
    (view,) = cued.features(doc, [(0, [(said.idx, said.idx + len(said))])], tmp_path / "cued.onnx")
    assert view and all(v.shape == (cued.FEATURES,) for v in view.values())
