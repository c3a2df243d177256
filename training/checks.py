"""Export-time checks of docs/MODEL_CONTRACT.md: PyTorch/ONNX parity and batch invariance."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .encoding import pad_batch
from .export import OnnxClassifier, torch_logits
from .model import BiLSTMClassifier

TOLERANCE = 1e-5


@dataclass(frozen=True)
class CheckResult:
    name: str
    texts: int
    max_abs_diff: float

    @property
    def passed(self) -> bool:
        return self.max_abs_diff <= TOLERANCE

    def __str__(self) -> str:
        verdict = "ok" if self.passed else "FAILED"
        return f"{self.name}: {self.texts} texts, max abs difference {self.max_abs_diff:.3g} ({verdict})"


def _batches(rows: Sequence[Sequence[int]], size: int) -> list[list[int]]:
    order = list(range(len(rows)))
    return [order[i : i + size] for i in range(0, len(order), size)]


def parity(model: BiLSTMClassifier, onnx_model: OnnxClassifier, rows: Sequence[Sequence[int]]) -> CheckResult:
    """ONNX Runtime vs PyTorch (packed sequences) on the same padded batches of mixed lengths."""
    worst = 0.0
    for batch in _batches(rows, 256):
        ids, lengths = pad_batch([rows[i] for i in batch])
        diff = np.abs(onnx_model.logits(ids, lengths) - torch_logits(model, ids, lengths)).max()
        worst = max(worst, float(diff))
    return CheckResult("parity onnxruntime vs pytorch", len(rows), worst)


def batch_invariance(onnx_model: OnnxClassifier, rows: Sequence[Sequence[int]], seed: int = 42) -> CheckResult:
    """Each text alone vs inside shuffled batches padded to longer, random widths."""
    rng = random.Random(seed)
    alone = np.stack([onnx_model.logits(*pad_batch([r]))[0] for r in rows])
    order = list(range(len(rows)))
    rng.shuffle(order)
    worst = 0.0
    start = 0
    while start < len(order):
        size = rng.choice([2, 3, 8, 17, 32, 64])
        batch = order[start : start + size]
        start += size
        longest = max(len(rows[i]) for i in batch)
        ids, lengths = pad_batch([rows[i] for i in batch], time=longest + rng.randint(0, 20))
        out = onnx_model.logits(ids, lengths)
        worst = max(worst, float(np.abs(out - alone[batch]).max()))
    return CheckResult("batch invariance", len(rows), worst)
