"""Calibration: ECE, the temperature fit, the threshold rules and the temperature baked into a model file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from training import calibration
from training.calibration import Scored
from training.encoding import encode, known_token_count, pad_batch
from training.export import OnnxClassifier
from training.vocab import UNK_ID

from .conftest import BUNDLED_MODEL


def _synthetic(overconfidence: float, n: int = 20000) -> tuple[np.ndarray, np.ndarray]:
    """Logits of a model whose true log-odds are z, written as overconfidence * z; labels drawn from z."""
    rng = np.random.default_rng(3)
    z = rng.normal(0.0, 2.0, n)
    labels = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    logits = np.stack([np.zeros(n), overconfidence * z], axis=1)
    return logits, labels


def test_calibrated_probabilities_have_a_small_ece_and_overconfident_ones_a_large_one():
    calibrated, labels = _synthetic(1.0)
    overconfident, _ = _synthetic(3.0)
    for logits, bound in ((calibrated, 0.02), (overconfident, None)):
        p = calibration.probabilities(logits)
        value = calibration.ece(p.max(1), p.argmax(1) == labels)
        if bound is not None:
            assert value < bound
        else:
            assert value > 0.08


def test_temperature_fit_recovers_the_overconfidence_and_never_changes_a_label():
    logits, labels = _synthetic(2.5)
    temperature = calibration.fit_temperature(logits, labels)
    assert temperature == pytest.approx(2.5, rel=0.06)
    before, after = calibration.probabilities(logits), calibration.probabilities(logits, temperature)
    assert (before.argmax(1) == after.argmax(1)).all()
    assert calibration.ece(after.max(1), after.argmax(1) == labels) < calibration.ece(
        before.max(1), before.argmax(1) == labels)


def test_probability_threshold_is_the_lowest_that_reaches_the_target_accuracy():
    confidence = np.array([0.55, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 0.99, 0.99])
    correct = np.array([False, False, False, True, True, True, True, True, True, True])
    # 0.61 keeps 8 texts, 7 right (0.875); 0.71 keeps 7, all right
    assert calibration.choose_min_probability(confidence, correct) == 0.71


def test_known_token_threshold_flags_the_counts_classified_like_guesses():
    known = np.array([0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 5, 9])
    correct = np.array([True, False, True, False, False, True, True, True, True, True, True, True])
    # fewer than 2 known: 2 right of 5 (0.4) -> flagged; fewer than 3: 5 of 8 (0.625) -> still flagged;
    # fewer than 4: 7 of 10 (0.7) -> not
    assert calibration.choose_min_known_tokens(known, correct) == 3
    assert calibration.choose_min_known_tokens(np.array([0, 4, 5]), np.array([True, True, True])) == 1


def test_risk_coverage_counts_neutral_rows_flagged_and_accuracy_of_the_kept_rows():
    logits = np.log(np.array([[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.55, 0.45], [0.1, 0.9]]))
    scored = Scored(logits, np.array([0, 0, 1, 2, 2]), np.array([3, 3, 3, 3, 0]), 0)
    row = calibration.risk_coverage(scored, 1.0, 1, (0.7,))[0]
    assert row == {"threshold": 0.7, "neutral": 2, "neutral_flagged": 2, "binary": 3, "binary_kept": 2,
                   "accuracy_kept": 1.0}


def test_known_token_count_counts_ids_other_than_unknown(bundled):
    ids, _ = encode("i love \u0645\u0631\u062d\u0628\u0627 zzqqxx", bundled.vocabulary, bundled.max_length)
    assert ids[-2:] == [UNK_ID, UNK_ID]
    assert known_token_count(ids) == 2


def test_baked_temperature_divides_the_logits_and_keeps_the_contract(bundled, tmp_path):
    target = tmp_path / "calibrated.onnx"
    calibration.bake_temperature(BUNDLED_MODEL, target, 1.25, "9.9.9", {"temperature": 1.25})
    baked = OnnxClassifier(target)
    rows = [encode(t, bundled.vocabulary, bundled.max_length)[0] for t in ("i love it", "worst day ever", "ok")]
    batch = pad_batch(rows)
    np.testing.assert_allclose(baked.logits(*batch), bundled.logits(*batch) / 1.25, rtol=1e-5, atol=1e-6)
    assert baked.metadata["sentiment.model_version"] == "9.9.9"
    assert json.loads(baked.metadata["sentiment.calibration"]) == {"temperature": 1.25}
    assert baked.metadata["sentiment.vocabulary_sha256"] == bundled.metadata["sentiment.vocabulary_sha256"]
