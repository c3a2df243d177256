"""The bundled ONNX model through onnxruntime, as the Java service runs it: one session, one intra-op thread,
texts encoded with the project's Python tokenizer (training/tokenizer.py) and the vocabulary the model file
carries, one ``session.run`` per batch padded to its longest text, softmax in double precision, the first
largest logit wins. The model contract is docs/MODEL_CONTRACT.md."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from training.encoding import known_token_count
from training.tokenizer import SPEC_VERSION, tokenize
from training.vocab import PAD_ID, Vocabulary

from .wire import REPO_ROOT

BUNDLED_MODEL = REPO_ROOT / "src/main/resources/model/sentiment-bilstm.onnx"
CONTRACT = "sentiment-model/1"


class ModelError(RuntimeError):
    """The model file breaks the contract, or the model returned something unusable."""


@dataclass(frozen=True)
class Encoded:
    """A text's token ids (at most max_length of them) and its token count before truncation."""

    ids: list[int]
    token_count: int

    @property
    def known_token_count(self) -> int:
        """The ids the model reads that are in its vocabulary (the Java service's known_token_count)."""
        return known_token_count(self.ids)

    @property
    def truncated(self) -> bool:
        return self.token_count > len(self.ids)


@dataclass(frozen=True)
class Prediction:
    label: str
    probabilities: tuple[float, ...]  # in label order, float32 values as Java's float[] holds them
    logits: tuple[float, ...]


class Classifier:
    """One onnxruntime session over a sentiment-model/1 file and the metadata it carries."""

    def __init__(self, path: Path = BUNDLED_MODEL, threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads != 1:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # as the Java service does
        try:
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own exception types per failure
            raise ModelError(f"{path}: ONNX Runtime cannot load it as a model: {e}") from e
        metadata = dict(self._session.get_modelmeta().custom_metadata_map)
        self.path = path
        self.name, self.version = _require(metadata, path, "sentiment.model_name", "sentiment.model_version")
        contract, tokenizer = _require(metadata, path, "sentiment.contract", "sentiment.tokenizer")
        if contract != CONTRACT or tokenizer != SPEC_VERSION:
            raise ModelError(
                f"{path}: contract {contract} / tokenizer {tokenizer}, expected {CONTRACT} / {SPEC_VERSION}"
            )
        (vocabulary_json,) = _require(metadata, path, "sentiment.vocabulary")
        (digest,) = _require(metadata, path, "sentiment.vocabulary_sha256")
        if hashlib.sha256(vocabulary_json.encode("utf-8")).hexdigest() != digest:
            raise ModelError(f"{path}: the vocabulary does not match its sentiment.vocabulary_sha256")
        self.vocabulary = Vocabulary.from_json(vocabulary_json)
        self.labels: tuple[str, ...] = tuple(json.loads(_require(metadata, path, "sentiment.labels")[0]))
        self.max_length = int(_require(metadata, path, "sentiment.max_length")[0])
        self.pad_id = int(metadata.get("sentiment.pad_id", PAD_ID))
        if not self.labels or self.max_length < 1:
            raise ModelError(f"{path}: no labels, or max_length {self.max_length} below 1")

    def encode(self, text: str) -> Encoded:
        tokens = tokenize(text)
        return Encoded(self.vocabulary.ids(tokens[: self.max_length]), len(tokens))

    def logits(self, batch: Sequence[Encoded]) -> np.ndarray:
        """float32 [len(batch), labels] from one session run; every element needs at least one id."""
        lengths = np.fromiter((len(e.ids) for e in batch), dtype=np.int64, count=len(batch))
        if lengths.size == 0 or lengths.min() < 1:
            raise ValueError("every batch element needs at least one token id")
        ids = np.full((len(batch), int(lengths.max())), self.pad_id, dtype=np.int64)
        for row, encoded in enumerate(batch):
            ids[row, : len(encoded.ids)] = encoded.ids
        (out,) = self._session.run(["logits"], {"ids": ids, "lengths": lengths})
        return out

    def classify(self, batch: Sequence[Encoded]) -> list[Prediction]:
        if not batch:
            return []
        return [self._predict(row) for row in self.logits(batch).tolist()]

    def _predict(self, logits: list[float]) -> Prediction:
        if len(logits) != len(self.labels) or not all(math.isfinite(x) for x in logits):
            raise ModelError(f"the model returned logits {logits} for the labels {self.labels}")
        best = max(range(len(logits)), key=logits.__getitem__)  # the first of equal maxima, as in Java
        exps = [math.exp(x - logits[best]) for x in logits]
        total = sum(exps)
        probabilities = tuple(float(np.float32(e / total)) for e in exps)
        return Prediction(self.labels[best], probabilities, tuple(logits))


def _require(metadata: dict[str, str], path: Path, *keys: str) -> list[str]:
    missing = [k for k in keys if k not in metadata]
    if missing:
        raise ModelError(f"{path}: metadata property {missing[0]} is missing")
    return [metadata[k] for k in keys]
