"""The committed sample of the corpus that the pipeline tests train on."""

from __future__ import annotations

import pytest

from training.data import NEGATIVE_FILE, POSITIVE_FILE, TEST_SET_FILE, read_lines, read_test_set

from .conftest import SAMPLE_NEGATIVE, SAMPLE_POSITIVE
from .fixtures.sentiment140_sample import COUNT, SAMPLE_DIR, write_sample


def test_sample_has_enough_texts_of_each_label_for_the_tiny_runs():
    for path in (SAMPLE_NEGATIVE, SAMPLE_POSITIVE):
        texts = [e.text for e in read_lines(path, 0)]
        assert len(texts) == COUNT == 300  # tiny_run reads --limit 300 of each label
        assert len(set(texts)) > 290  # a few tweets repeat in the corpus itself
    assert SAMPLE_NEGATIVE.read_bytes().endswith(b"\n") and b"\r" not in SAMPLE_NEGATIVE.read_bytes()


@pytest.mark.corpus
def test_committed_sample_is_exactly_what_the_script_draws_from_the_corpus(corpus_dir, tmp_path):
    for path in write_sample(corpus_dir, tmp_path):
        assert path.read_bytes() == (SAMPLE_DIR / path.name).read_bytes(), path.name


@pytest.mark.corpus
def test_sample_comes_from_the_training_files_and_never_from_the_test_set(corpus_dir):
    test_texts = {e.text for e in read_test_set(corpus_dir / TEST_SET_FILE)}
    for sample, source in ((SAMPLE_NEGATIVE, NEGATIVE_FILE), (SAMPLE_POSITIVE, POSITIVE_FILE)):
        corpus_texts = {e.text for e in read_lines(corpus_dir / source, 0)}
        texts = {e.text for e in read_lines(sample, 0)}
        assert texts <= corpus_texts
        assert texts.isdisjoint(test_texts)
