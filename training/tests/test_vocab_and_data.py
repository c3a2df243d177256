from __future__ import annotations

from collections import Counter

import pytest

from training.data import TEST_SET_FILE, Example, read_test_set, stratified_split
from training.tokenizer import RESERVED
from training.vocab import UNK_ID, Vocabulary


def test_vocabulary_reserves_special_ids_and_orders_by_count_then_code_point():
    vocab = Vocabulary.build([["b", "a", "c"], ["a", "b"], ["a", "z"], ["rare"]], min_count=2, max_size=100)
    assert vocab.tokens[: len(RESERVED)] == RESERVED
    assert vocab.tokens[len(RESERVED):] == ("a", "b")
    assert vocab.ids(["a", "b", "rare", "<url>"]) == [6, 7, UNK_ID, 2]


def test_vocabulary_respects_max_size_and_round_trips_through_json():
    vocab = Vocabulary.build([[f"t{i}" for i in range(50)]] * 2, min_count=1, max_size=10)
    assert len(vocab) == 10
    again = Vocabulary.from_json(vocab.to_json())
    assert again == vocab and again.sha256() == vocab.sha256()


def test_vocabulary_refuses_a_list_without_reserved_tokens():
    with pytest.raises(ValueError, match="reserved"):
        Vocabulary(("a", "b"))


def test_split_is_stratified_and_seeded():
    examples = [Example(f"n{i}", 0) for i in range(300)] + [Example(f"p{i}", 1) for i in range(700)]
    train, validation = stratified_split(examples, 0.1, seed=42)
    assert Counter(e.label for e in validation) == {0: 30, 1: 70}
    assert len(train) == 900
    assert {e.text for e in train}.isdisjoint(e.text for e in validation)
    assert stratified_split(examples, 0.1, seed=42) == (train, validation)
    assert stratified_split(examples, 0.1, seed=43)[1] != validation


def test_test_set_reader_keeps_only_negative_and_positive_rows(tmp_path):
    path = tmp_path / "hand-labelled.csv"
    path.write_text('0,"bad, sad"\n2,neutral\n4,good\n4,"""quoted"" joy"\nnot a row\n', encoding="utf-8")
    assert read_test_set(path) == [Example("bad, sad", 0), Example("good", 1), Example('"quoted" joy', 1)]


@pytest.mark.corpus
def test_corpus_test_set_keeps_only_positive_and_negative_rows(corpus_dir):
    rows = read_test_set(corpus_dir / TEST_SET_FILE)
    assert Counter(e.label for e in rows) == {0: 177, 1: 182}
