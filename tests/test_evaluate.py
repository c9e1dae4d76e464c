"""Tests for `onrecord.eval.score`: brat loading, hand-computed scores, and agreement with the
shared reference scorer on the PolNeAR dev split (skipped when ../shared is absent)."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from onrecord.errors import GoldError
from onrecord.eval.score import (
    METRICS,
    GoldArticle,
    load_gold,
    predictions_from_records,
    score,
)
from onrecord.eval.score import format_table as format_metrics

MINI = Path(__file__).parent / "data" / "gold_mini"
SHARED = Path(__file__).resolve().parents[2] / "shared"
REFERENCE_SCORER = SHARED / "eval" / "score.py"
DEV = SHARED / "eval" / "polnear" / "dev"

# Our metric names -> the reference scorer's.
REFERENCE_NAMES = {name: name for name in METRICS} | {"end_to_end": "attribution_e2e"}
RATE_KEYS = ("p", "r", "f1")
COUNT_KEYS = ("tp_pred", "n_pred", "tp_gold", "n_gold")


def span(start: int, end: int) -> dict[str, int]:
    return {"start": start, "end": end}


def attribution(
    content: tuple[int, int],
    source: tuple[int, int] | None = None,
    cue: tuple[int, int] | None = None,
) -> dict[str, Any]:
    return {
        "content": span(*content),
        "source": None if source is None else {"mention": span(*source)},
        "cue": None if cue is None else span(*cue),
    }


def gold_as_predictions(gold: list[GoldArticle]) -> list[dict[str, Any]]:
    """Gold fed back: content envelopes, first source and cue segments."""
    return [
        {
            "article": article.name,
            "attributions": [
                attribution(
                    (g.content[0][0], g.content[-1][1]),
                    g.source[0] if g.source else None,
                    g.cue[0] if g.cue else None,
                )
                for g in article.attributions
            ],
        }
        for article in gold
    ]


def prf(metrics: dict[str, Any]) -> tuple[float, float, float]:
    return metrics["p"], metrics["r"], metrics["f1"]


@pytest.fixture(scope="module")
def mini() -> list[GoldArticle]:
    return load_gold(MINI)


# ------------------------------------------------------------------------------- loading ---


def test_the_gold_reader_lives_in_eval_brat() -> None:
    from onrecord.eval import brat
    from onrecord.eval import score as scoring

    assert scoring.load_gold is brat.load_gold and scoring.GoldArticle is brat.GoldArticle


def test_load_gold_reads_articles_in_name_order(mini: list[GoldArticle]) -> None:
    assert [a.name for a in mini] == ["alpha", "beta", "gamma"]  # delta.ann has no text
    assert [len(a.attributions) for a in mini] == [3, 2, 0]


def test_load_gold_keeps_discontinuous_segments_and_skips_continuation_lines(
    mini: list[GoldArticle],
) -> None:
    alpha = mini[0]
    split = alpha.attributions[1]
    assert split.content == [(41, 58), (70, 85)]
    assert alpha.text[70:85] == '"and it\nworks."'
    assert split.source == [(59, 62)]
    assert alpha.attributions[2].source == []  # Attribution-no-source
    assert alpha.attributions[2].cue == [(89, 101)]


def test_load_gold_uses_first_annotator_and_skips_events_without_content(
    mini: list[GoldArticle],
) -> None:
    beta = mini[1]
    assert [a.content for a in beta.attributions] == [
        [(15, 36)],
        [(51, 67)],
    ]  # not beta_zz


def test_load_gold_keeps_carriage_returns_in_offsets(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "crlf.txt").write_bytes(b"Hi.\r\nBob said no.\r\n")
    (tmp_path / "attributions" / "crlf_x.ann").write_text(
        "T1\tContent 14 16\tno\nT2\tSource 5 8\tBob\nE1\tAttribution:T2 Content:T1 Content2:T2\n"
    )
    (article,) = load_gold(tmp_path)
    assert article.text[14:16] == "no"
    assert article.attributions[0].content == [
        (5, 8),
        (14, 16),
    ]  # Content2 adds a segment


@pytest.mark.parametrize("layout", ["missing", "empty", "no_attributions", "no_texts"])
def test_load_gold_rejects_wrong_folder(tmp_path: Path, layout: str) -> None:
    root = tmp_path / "corpus"
    if layout != "missing":
        root.mkdir()
    if layout in ("no_attributions", "no_texts"):
        (root / "text").mkdir()
    if layout == "no_attributions":
        (root / "text" / "a.txt").write_text("x")
    if layout == "no_texts":
        (root / "attributions").mkdir()
    with pytest.raises(GoldError):
        load_gold(root)


def test_load_gold_rejects_malformed_offsets(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text("some text")
    (tmp_path / "attributions" / "a_x.ann").write_text("T1\tContent zero 4\tsome\n")
    with pytest.raises(GoldError, match=r"a_x\.ann:1"):
        load_gold(tmp_path)


# ------------------------------------------------------------------- hand-computed scores ---


def test_perfect_predictions(mini: list[GoldArticle]) -> None:
    metrics = score(mini, gold_as_predictions(mini))
    for name in METRICS:
        if name != "content_tokens":
            assert prf(metrics[name]) == (1.0, 1.0, 1.0), name
            assert prf(metrics["direct"][name]) == (1.0, 1.0, 1.0), name
    # the envelope of the split quote also covers "she added": 23 predicted tokens, 21 gold
    assert prf(metrics["content_tokens"]) == pytest.approx((21 / 23, 1.0, 42 / 44))
    assert prf(metrics["direct"]["content_tokens"]) == pytest.approx((10 / 12, 1.0, 20 / 22))
    assert metrics["counts"]["gold_attributions"] == 5
    assert metrics["counts"]["gold_with_source"] == 4
    assert metrics["counts"]["gold_direct"] == 2


def test_empty_predictions(mini: list[GoldArticle]) -> None:
    metrics = score(mini, [])
    for name in METRICS:
        assert prf(metrics[name]) == (0.0, 0.0, 0.0)
        if name not in (
            "source_given_content",
            "cue_given_content",
        ):  # over matched pairs
            assert metrics[name]["n_gold"] > 0
        assert prf(metrics["direct"][name]) == (0.0, 0.0, 0.0)
    assert metrics["counts"]["missing_articles"] == 3


PARTIAL = [
    {
        "article": "alpha",
        "attributions": [
            attribution((1, 16), source=(19, 24)),  # exact once trimmed; right source
            attribution((41, 58), source=(19, 24)),  # first half of the split quote; wrong source
        ],
    },
    {
        "article": "beta.txt",
        "attributions": [
            attribution((19, 26), source=(0, 5)),  # "economy": partial, right source
            attribution((38, 57)),  # overlaps "growth will slow" by 6 of min 16: below 0.5
        ],
    },
    {"article": "gamma", "attributions": [attribution((0, 26))]},  # no gold there
    {"article": "nowhere", "attributions": [attribution((0, 3))]},  # unknown: ignored
]


def test_partial_predictions(mini: list[GoldArticle]) -> None:
    metrics = score(mini, PARTIAL)
    assert prf(metrics["content_exact"]) == pytest.approx((0.2, 0.2, 0.2))
    assert prf(metrics["content_partial"]) == pytest.approx((0.6, 0.6, 0.6))
    assert prf(metrics["content_any_overlap"]) == pytest.approx((0.8, 0.8, 0.8))
    assert prf(metrics["source_given_content"]) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert prf(metrics["end_to_end"]) == pytest.approx((0.4, 0.4, 0.4))
    assert prf(metrics["cue_given_content"]) == (0.0, 0.0, 0.0)
    assert metrics["cue_given_content"]["n_gold"] == 3
    p, r = 9 / 16, 9 / 21
    assert prf(metrics["content_tokens"]) == pytest.approx((p, r, 2 * p * r / (p + r)))
    assert metrics["unknown_articles"] == ["nowhere"]
    assert metrics["counts"]["predictions"] == 5


def test_partial_predictions_direct_subset(mini: list[GoldArticle]) -> None:
    direct = score(mini, PARTIAL)["direct"]
    assert direct["content_partial"]["n_pred"] == 2
    assert prf(direct["content_exact"]) == pytest.approx((0.5, 0.5, 0.5))
    assert prf(direct["content_partial"]) == pytest.approx((1.0, 1.0, 1.0))
    assert prf(direct["source_given_content"]) == pytest.approx((0.5, 0.5, 0.5))
    assert prf(direct["end_to_end"]) == pytest.approx((0.5, 0.5, 0.5))
    assert prf(direct["content_tokens"]) == pytest.approx((1.0, 0.7, 14 / 17))


def test_partial_threshold_is_configurable(mini: list[GoldArticle]) -> None:
    metrics = score(mini, PARTIAL, partial_threshold=0.3)
    assert prf(metrics["content_partial"]) == pytest.approx((0.8, 0.8, 0.8))
    assert prf(metrics["source_given_content"])[:2] == pytest.approx((2 / 3, 0.5))


def test_nosource_policy(mini: list[GoldArticle]) -> None:
    preds = [{"article": "alpha", "attributions": [attribution((102, 125), source=(19, 24))]}]
    assert score(mini, preds)["end_to_end"]["tp_pred"] == 1
    assert score(mini, preds, nosource_policy="null")["end_to_end"]["tp_pred"] == 0


def test_bad_offsets_are_clipped_and_counted(mini: list[GoldArticle]) -> None:
    preds = [
        {
            "article": "beta",
            "attributions": [attribution((67, 51)), attribution((51, 999))],
        }
    ]
    metrics = score(mini, preds)
    assert metrics["counts"]["swapped_spans"] == 1
    assert metrics["counts"]["clipped_spans"] == 1
    assert metrics["content_any_overlap"]["tp_pred"] == 1


def test_format_table_lists_every_metric(mini: list[GoldArticle]) -> None:
    table = format_metrics(score(mini, PARTIAL))
    assert "[ALL attributions]" in table and "[DIRECT subset]" in table
    assert "content partial >=0.5" in table
    assert "nowhere" in table
    assert table.count("end to end") == 2


# ----------------------------------------------------------------------- record conversion ---


def test_predictions_from_records_uses_envelope_and_mention() -> None:
    record = {
        "attributions": [
            {
                "content": {
                    "start": 10,
                    "end": 40,
                    "text": "...",
                    "segments": [
                        {"start": 10, "end": 20, "text": "..."},
                        {"start": 30, "end": 40, "text": "..."},
                    ],
                },
                "cue": {"start": 22, "end": 26, "text": "said", "lemma": "say"},
                "source": {
                    "mention": {"start": 0, "end": 5, "text": "Smith"},
                    "name": "Smith",
                },
            },
            {
                "content": {"start": 50, "end": 60, "text": "..."},
                "cue": None,
                "source": {"mention": None, "name": "officials"},
            },
        ]
    }
    (line,) = predictions_from_records([("dir/alpha.txt", record)])
    assert line == {
        "article": "alpha",
        "attributions": [
            {
                "content": span(10, 40),
                "source": {"mention": span(0, 5)},
                "cue": span(22, 26),
            },
            {"content": span(50, 60), "source": None, "cue": None},
        ],
    }


def test_gold_fed_back_scores_close_to_one(mini: list[GoldArticle]) -> None:
    assert score(mini, gold_as_predictions(mini))["content_partial"]["f1"] > 0.99


# ------------------------------------------------------------ cross-check with reference ---


def quote_sentence_predictions(gold: list[GoldArticle]) -> list[dict[str, Any]]:
    """Every sentence with a double quote mark as content, the capitalised word before it as
    source and the next word as cue; odd offsets and article names on purpose."""
    lines = []
    for k, article in enumerate(gold):
        items = [_quote_item(article.text, m) for m in _SENTENCE.finditer(article.text)]
        items = [item for item in items if item is not None]
        if k % 9 == 1 and items:  # reversed and out-of-range offsets
            items[0]["content"] = span(items[0]["content"]["end"], items[0]["content"]["start"])
            items[-1]["content"]["end"] += 50
        name = article.name + (".txt" if k % 5 == 0 else "")
        if k % 7 == 3:  # one article over two lines
            lines.append({"article": name, "attributions": items[:2]})
            items = items[2:]
        if k % 11 != 4:  # some articles missing
            lines.append({"article": name, "attributions": items})
    lines.append({"article": "no-such-article", "attributions": [attribution((0, 5))]})
    return lines


_SENTENCE = re.compile(r"[^\n.!?]+[.!?]*[\"'\u201d]*")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
_WORD = re.compile(r"\w+")


def _quote_item(text: str, sentence: re.Match[str]) -> dict[str, Any] | None:
    chunk = sentence.group()
    if not any(q in chunk for q in ('"', "\u201c", "\u201d", "''")):
        return None
    start, end = sentence.span()
    before = list(_CAPITALISED.finditer(text, max(0, start - 200), start))
    after = _WORD.search(text, end)
    return attribution(
        (start, end),
        before[-1].span() if before else None,
        after.span() if after else None,
    )


def perturbed_gold_predictions(gold: list[GoldArticle], seed: int) -> list[dict[str, Any]]:
    """Gold with shifted boundaries, dropped and split attributions, moved sources and noise."""
    rng = random.Random(seed)
    lines = []
    for article in gold:
        items = []
        for g in article.attributions:
            items += _perturbed(g.content, g.source, g.cue, rng)
        for _ in range(rng.randint(0, 3)):  # spurious predictions
            start = rng.randrange(len(article.text))
            items.append(attribution((start, start + rng.randint(0, 120))))
        rng.shuffle(items)
        lines.append({"article": article.name, "attributions": items})
    return lines


def _perturbed(
    content: list[tuple[int, int]],
    source: list[tuple[int, int]],
    cue: list[tuple[int, int]],
    rng: random.Random,
) -> list[dict[str, Any]]:
    if rng.random() < 0.15:
        return []
    pieces = content if len(content) > 1 and rng.random() < 0.4 else [(content[0][0], content[-1][1])]
    items = [
        attribution(
            (start + _jitter(rng), end + _jitter(rng)),
            _moved(source, rng),
            _moved(cue, rng),
        )
        for start, end in pieces
    ]
    return items * 2 if rng.random() < 0.05 else items  # duplicates test one-to-one matching


def _jitter(rng: random.Random) -> int:
    return 0 if rng.random() < 0.4 else rng.randint(-10, 10)


def _moved(segments: list[tuple[int, int]], rng: random.Random) -> tuple[int, int] | None:
    roll = rng.random()
    if not segments or roll < 0.1:
        return None
    start, end = segments[0]
    if roll < 0.2:
        return start + 300, end + 300  # somewhere else
    if roll < 0.25:
        return start, start  # empty: names nothing
    return start + rng.randint(-2, 2), end + rng.randint(-2, 2)


def reference_metrics(predictions: list[dict[str, Any]], tmp_path: Path, *options: str) -> dict:
    pred_file = tmp_path / "pred.jsonl"
    pred_file.write_text("".join(json.dumps(line) + "\n" for line in predictions))
    command = [
        sys.executable,
        str(REFERENCE_SCORER),
        "--gold",
        str(DEV),
        "--pred",
        str(pred_file),
    ]
    done = subprocess.run(
        [*command, "--json", *options],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def dev_gold() -> list[GoldArticle]:
    if not (REFERENCE_SCORER.is_file() and DEV.is_dir()):
        pytest.skip(f"reference scorer and PolNeAR dev not available under {SHARED}")
    return load_gold(DEV)


CROSS_CHECKS = {
    "quote-sentences": (quote_sentence_predictions, 0.5, "any"),
    "perturbed-gold": (
        lambda gold: perturbed_gold_predictions(gold, seed=7),
        0.5,
        "any",
    ),
    "perturbed-gold-strict": (
        lambda gold: perturbed_gold_predictions(gold, seed=8),
        0.3,
        "null",
    ),
    "gold-fed-back": (gold_as_predictions, 0.5, "any"),
}


@pytest.mark.parametrize("case", list(CROSS_CHECKS))
def test_agrees_with_reference_scorer_on_dev(dev_gold: list[GoldArticle], tmp_path: Path, case: str) -> None:
    make, threshold, policy = CROSS_CHECKS[case]
    predictions = make(dev_gold)
    ours = score(dev_gold, predictions, partial_threshold=threshold, nosource_policy=policy)
    options = ("--partial-threshold", str(threshold), "--nosource-policy", policy)
    reference = reference_metrics(predictions, tmp_path, *options)
    theirs = reference["metrics"]
    for subset, mine in (("all", ours), ("direct", ours["direct"])):
        for name, their_name in REFERENCE_NAMES.items():
            for key in RATE_KEYS:
                assert mine[name][key] == pytest.approx(theirs[subset][their_name][key], abs=1e-6)
            for key in COUNT_KEYS:
                assert mine[name][key] == theirs[subset][their_name][key], (
                    subset,
                    name,
                    key,
                )
    fragments = theirs["diagnostics"]["unmatched_pred_inside_matched_gold"]
    assert ours["counts"]["fragments_inside_matched_gold"] == fragments
    assert ours["counts"]["gold_attributions"] == reference["gold"]["attributions"]
    assert ours["counts"]["gold_direct"] == reference["gold"]["direct"]
    assert ours["unknown_articles"] == reference["predictions"]["unknown_articles"]
    assert ours["content_partial"]["n_pred"] > 100


def test_gold_fed_back_on_dev_scores_close_to_one(dev_gold: list[GoldArticle]) -> None:
    """Contiguous envelopes cannot express every discontinuous gold span: close to 1, not 1."""
    f1 = score(dev_gold, gold_as_predictions(dev_gold))["content_partial"]["f1"]
    assert 0.999 < f1 <= 1.0
