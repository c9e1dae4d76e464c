"""The WordPiece cut (plain Python) behaves as the encoder's own uncased BERT tokenizer."""

from __future__ import annotations

import pytest

from onrecord.encoder import runtime
from onrecord.encoder.wordpiece import UNKNOWN, WordPiece, words

# Made up for this test.
TEXT = "Mayor Zoë Brandtmeier-Holt said: “We’ll reopen the Ørsted bridge in May.”\tDon't\x07panic!"


@pytest.fixture(scope="module")
def wp():
    return WordPiece(runtime.VOCAB)


def test_pieces_map_back_to_the_text(wp):
    ids, offsets = wp.encode(TEXT)
    vocab = {i: w for w, i in wp.ids.items()}
    assert len(ids) == len(offsets) and ids
    for piece_id, (start, end) in zip(ids, offsets, strict=True):
        piece = vocab[piece_id].removeprefix("##")
        assert piece == UNKNOWN or words(TEXT[start:end])[0][2].startswith(piece)


def test_words_split_at_punctuation_fold_case_and_accents():
    folded = [w for _, _, w, _ in words(TEXT)]
    assert folded[:4] == ["mayor", "zoe", "brandtmeier", "-"]
    assert "“" in folded and "’" in folded and "'" in folded
    # the control character is dropped, not a word break, so the words on both sides of it join
    assert "tpanic" in folded and "panic" not in folded


def test_a_lone_combining_mark_folds_away(wp):
    for text in ("\u0301", "a \u0301\u0300 b", "\u0301abc", "x\u0301"):
        ids, offsets = wp.encode(text)
        assert len(ids) == len(offsets) and all(0 <= a < b <= len(text) for a, b in offsets)
    assert [w for _, _, w, _ in words("a \u0301\u0300 b")] == ["a", "b"]


def test_a_word_with_no_pieces_or_too_long_is_unknown(wp):
    ids, offsets = wp.encode("x" * 101 + " ok")
    assert ids[0] == wp.unknown and offsets[0] == (0, 101)
    assert wp.ids[UNKNOWN] == wp.unknown


def test_same_as_the_reference_tokenizer_where_it_is_installed(wp):
    tokenizers = pytest.importorskip("tokenizers")
    reference = tokenizers.BertWordPieceTokenizer(str(runtime.VOCAB), lowercase=True, clean_text=True)
    for text in (TEXT, "Ünïcode façade — naïve coöperation; ＦＵＬＬ width 東京 2026?!"):
        encoding = reference.encode(text, add_special_tokens=False)
        assert wp.encode(text) == (list(encoding.ids), [tuple(o) for o in encoding.offsets])
