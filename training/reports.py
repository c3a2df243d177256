"""The JSON records a run writes and reads back: search and run reports, and the model's training-data metadata.

They are `TypedDict`s because they are JSON on disk (`training/reports/*.json`, the model's metadata) and are
read back by `--from-search` and `python -m training.card`. Keys marked `NotRequired` are absent from reports
written by earlier versions of the pipeline (`size-comparison.json` predates dropout, learning-rate and
weight-decay comparisons); the card renders those reports too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NotRequired, TypedDict


class SettingsRecord(TypedDict):
    """`Settings` as written in a report (tuples become JSON arrays)."""

    sizes: Sequence[int]
    epochs: int
    patience: int
    batch_size: int
    min_count: int
    max_vocab: int
    max_length: int
    w2v_epochs: int
    validation_fraction: float
    seed: int
    threads: int
    selection_margin: float
    max_steps: int | None
    dropouts: NotRequired[Sequence[float]]
    learning_rates: NotRequired[Sequence[float]]
    weight_decays: NotRequired[Sequence[float]]
    lr_decay: NotRequired[float]
    evals_per_epoch: NotRequired[int]
    dropout: NotRequired[float]  # reports before model 1.0.0: one dropout rate for every size
    learning_rate: NotRequired[float]  # reports before model 1.0.0: one learning rate


class CandidateRecord(TypedDict):
    """One trained candidate of a comparison."""

    embedding_dim: int
    hidden_size: int
    validation_accuracy: float
    validation_loss: float
    best_epoch: float
    epochs_run: int
    train_seconds: float
    dropout: NotRequired[float]
    learning_rate: NotRequired[float]
    weight_decay: NotRequired[float]


class CheckRecord(TypedDict):
    name: str
    texts: int
    max_abs_diff: float


class Evaluation(TypedDict):
    """The figures of the exported model (also stored in its `sentiment.evaluation` metadata)."""

    validation_accuracy: float
    validation_loss: float
    validation_texts: int
    final_fit: NotRequired[str]
    final_fit_texts: NotRequired[int]
    final_fit_epochs: NotRequired[float]
    test_set: NotRequired[str]
    test_accuracy: NotRequired[float]
    test_texts: NotRequired[int]
    test_texts_without_tokens: NotRequired[int]


class SearchOrigin(TypedDict):
    """Where a final fit's choice came from: the validation-only search it was given."""

    report: str
    command: str
    run_seconds: float


class SearchReport(TypedDict):
    """A comparison of candidates on the validation split: what `--validate-only` writes, and the part of every
    run report that the card cites as an earlier run."""

    settings: SettingsRecord
    candidates: list[CandidateRecord]
    chosen: CandidateRecord
    vocabulary_size: int
    run_seconds: float
    torch: str
    threads: int
    command: str


class RunReport(SearchReport):
    """A run that exported a model."""

    evaluation: Evaluation
    checks: list[CheckRecord]
    model_bytes: int
    training_seconds_before_export: float
    search: NotRequired[SearchOrigin]


class TrainingData(TypedDict):
    """The model's `sentiment.training_data` metadata."""

    negative: str
    positive: str
    texts: int
    training_texts: int
    validation_texts: int
    split_seed: int
    validation_fraction: float
    selection_training_texts: NotRequired[int]  # absent from models before 1.1.0 (no final fit on every text)


class Architecture(TypedDict):
    """The model's `sentiment.architecture` metadata."""

    embedding_dim: int
    hidden_size: int
    vocabulary_size: int
    dropout: float
    layers: int
    bidirectional: bool
