"""Trains the BiLSTM on Sentiment140, picks its size on the validation split, exports and checks the ONNX model.

    python -m training.train                      # compare the default grid, choose, export
    python -m training.train --validate-only ...  # a search on the validation split only (exports nothing)
    python -m training.train --from-search S.json # the final fit of a search's choice, export
    python -m training.train --help               # every option

training/README.md gives the two commands that made the bundled model.

Writes the model (atomically, only after it passes every check), the shared test vectors, the model card
and a JSON report of the run.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import numpy as np
import torch
from torch import nn

from . import card, vectors
from .checks import CheckResult, batch_invariance, parity
from .data import (
    LABELS,
    NEGATIVE_FILE,
    POSITIVE_FILE,
    REPO_ROOT,
    TEST_SET_FILE,
    CorpusNotFoundError,
    Example,
    default_data_dir,
    read_lines,
    read_test_set,
    require_file,
    stratified_split,
)
from .embeddings import train_word2vec
from .encoding import pad_batch
from .export import InvalidModelError, OnnxClassifier, build_graph, contract_metadata, torch_logits, write_atomically
from .model import BiLSTMClassifier
from .reports import (
    Architecture,
    CandidateRecord,
    CheckRecord,
    Evaluation,
    RunReport,
    SearchOrigin,
    SearchReport,
    SettingsRecord,
    TrainingData,
)
from .tokenizer import tokenize
from .vocab import Vocabulary

log = logging.getLogger("training.train")

DEFAULT_MODEL = REPO_ROOT / "src/main/resources/model/sentiment-bilstm.onnx"
DEFAULT_VECTORS = REPO_ROOT / "src/test/resources/model"

_Number = TypeVar("_Number", int, float)


class TrainingInputError(ValueError):
    """An option value or a search report that a run cannot use."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """What the model is trained and chosen with (written to every report; `--from-search` reads it back)."""

    sizes: tuple[int, ...] = (64, 128, 192)
    dropouts: tuple[float, ...] = (0.1,)
    epochs: int = 4
    patience: int = 1
    batch_size: int = 128
    learning_rates: tuple[float, ...] = (1e-3,)
    weight_decays: tuple[float, ...] = (0.0,)
    lr_decay: float = 1.0  # learning rate multiplied by this after each epoch
    evals_per_epoch: int = 1  # validation checks per epoch; early stopping counts checks
    min_count: int = 2
    max_vocab: int = 20000
    max_length: int = 64
    w2v_epochs: int = 5
    validation_fraction: float = 0.1
    seed: int = 42
    threads: int = 1
    selection_margin: float = 0.005
    max_steps: int | None = None  # per candidate, for smoke runs

    def to_record(self) -> SettingsRecord:
        # Field order is the order of the committed reports' keys.
        return {
            "sizes": self.sizes,
            "dropouts": self.dropouts,
            "epochs": self.epochs,
            "patience": self.patience,
            "batch_size": self.batch_size,
            "learning_rates": self.learning_rates,
            "weight_decays": self.weight_decays,
            "lr_decay": self.lr_decay,
            "evals_per_epoch": self.evals_per_epoch,
            "min_count": self.min_count,
            "max_vocab": self.max_vocab,
            "max_length": self.max_length,
            "w2v_epochs": self.w2v_epochs,
            "validation_fraction": self.validation_fraction,
            "seed": self.seed,
            "threads": self.threads,
            "selection_margin": self.selection_margin,
            "max_steps": self.max_steps,
        }

    @classmethod
    def from_record(cls, record: SettingsRecord, threads: int) -> Settings:
        """The settings a search ran with, from its report; `threads` is this run's (it does not change results)."""
        return cls(
            sizes=tuple(record["sizes"]),
            dropouts=tuple(record["dropouts"]),
            epochs=record["epochs"],
            patience=record["patience"],
            batch_size=record["batch_size"],
            learning_rates=tuple(record["learning_rates"]),
            weight_decays=tuple(record["weight_decays"]),
            lr_decay=record["lr_decay"],
            evals_per_epoch=record["evals_per_epoch"],
            min_count=record["min_count"],
            max_vocab=record["max_vocab"],
            max_length=record["max_length"],
            w2v_epochs=record["w2v_epochs"],
            validation_fraction=record["validation_fraction"],
            seed=record["seed"],
            threads=threads,
            selection_margin=record["selection_margin"],
            max_steps=record["max_steps"],
        )


@dataclass(frozen=True, kw_only=True)
class Candidate:
    embedding_dim: int
    hidden_size: int
    dropout: float
    validation_accuracy: float
    validation_loss: float
    best_epoch: float  # fractional when the validation split is checked several times an epoch
    epochs_run: int
    train_seconds: float
    learning_rate: float = 1e-3
    weight_decay: float = 0.0

    def to_record(self) -> CandidateRecord:
        return {
            "embedding_dim": self.embedding_dim,
            "hidden_size": self.hidden_size,
            "dropout": self.dropout,
            "validation_accuracy": self.validation_accuracy,
            "validation_loss": self.validation_loss,
            "best_epoch": self.best_epoch,
            "epochs_run": self.epochs_run,
            "train_seconds": self.train_seconds,
            "learning_rate": self.learning_rate,
            "weight_decay": self.weight_decay,
        }

    @classmethod
    def from_record(cls, record: CandidateRecord) -> Candidate:
        return cls(
            embedding_dim=record["embedding_dim"],
            hidden_size=record["hidden_size"],
            dropout=record["dropout"],
            validation_accuracy=record["validation_accuracy"],
            validation_loss=record["validation_loss"],
            best_epoch=record["best_epoch"],
            epochs_run=record["epochs_run"],
            train_seconds=record["train_seconds"],
            learning_rate=record.get("learning_rate", 1e-3),
            weight_decay=record.get("weight_decay", 0.0),
        )


@dataclass(frozen=True, kw_only=True)
class Options:
    """Everything a run takes from its command line, built once from the parsed arguments."""

    settings: Settings  # the command line's; a run given `from_search` trains with the search's settings instead
    negative: Path
    positive: Path
    test_set: Path | None  # None: the hand-labelled test set is not read
    limit: int | None
    invariance_texts: int
    model_name: str
    model_version: str
    output: Path
    vectors_dir: Path
    card: Path | None
    card_notes: Path | None
    earlier_report: Path | None
    report: Path | None
    refit_all: bool
    final_fit_split: str  # "all": training + validation texts; "train": the training split only (validation unseen)
    from_search: Path | None
    validate_only: bool
    command_line: str  # recorded in the reports and the card

    @property
    def final_fit_on_all_texts(self) -> bool:
        """`--refit-all`, implied by `--from-search`."""
        return self.refit_all or self.from_search is not None

    @classmethod
    def parse(cls, argv: Sequence[str], command_line: str | None = None) -> Options:
        """Parses a command line (argparse reports usage errors itself); `command_line` defaults to the command."""
        arguments = list(argv)
        recorded = command_line if command_line is not None else "python -m training.train " + " ".join(arguments)
        return cls.from_args(parser().parse_args(arguments), recorded)

    @classmethod
    def from_args(cls, args: argparse.Namespace, command_line: str) -> Options:
        if args.validate_only and args.from_search is not None:
            raise TrainingInputError(
                "--validate-only runs only the search and --from-search only the final fit: give one of them"
            )
        settings = Settings(
            sizes=_numbers(args.sizes, int, "--sizes"),
            dropouts=_numbers(args.dropouts, float, "--dropouts"),
            epochs=args.epochs,
            patience=args.patience,
            batch_size=args.batch_size,
            learning_rates=_numbers(args.learning_rates, float, "--learning-rates"),
            weight_decays=_numbers(args.weight_decays, float, "--weight-decays"),
            lr_decay=args.lr_decay,
            evals_per_epoch=args.evals_per_epoch,
            min_count=args.min_count,
            max_vocab=args.max_vocab,
            max_length=args.max_length,
            w2v_epochs=args.w2v_epochs,
            seed=args.seed,
            threads=args.threads,
            max_steps=args.max_steps,
        )
        return cls(
            settings=settings,
            negative=args.negative,
            positive=args.positive,
            test_set=None if str(args.test_set) == "none" else args.test_set,
            limit=args.limit,
            invariance_texts=args.invariance_texts,
            model_name=args.model_name,
            model_version=args.model_version,
            output=args.output,
            vectors_dir=args.vectors_dir,
            card=args.card,
            card_notes=args.card_notes,
            earlier_report=args.earlier_report,
            report=args.report,
            refit_all=args.refit_all,
            final_fit_split=args.final_fit_split,
            from_search=args.from_search,
            validate_only=args.validate_only,
            command_line=command_line,
        )


def _numbers(text: str, kind: Callable[[str], _Number], option: str) -> tuple[_Number, ...]:
    try:
        return tuple(kind(x) for x in text.split(","))
    except ValueError as e:
        raise TrainingInputError(f"{option} {text!r}: expected comma-separated numbers ({e})") from e


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _batches(rows: Sequence[Sequence[int]], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar lengths (sorted within chunks of 50 batches), in shuffled order."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: len(rows[i]))
        batches.extend(part[i : i + batch_size] for i in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def evaluate(model: BiLSTMClassifier, rows: Sequence[Sequence[int]], labels: Sequence[int]) -> tuple[float, float]:
    """Accuracy and mean cross-entropy."""
    correct, loss = 0, 0.0
    for start in range(0, len(rows), 512):
        ids, lengths = pad_batch(rows[start : start + 512])
        logits = torch.from_numpy(torch_logits(model, ids, lengths))
        target = torch.tensor(labels[start : start + 512])
        loss += float(nn.functional.cross_entropy(logits, target, reduction="sum"))
        correct += int((logits.argmax(1) == target).sum())
    return correct / len(rows), loss / len(rows)


def _new_model(
    settings: Settings, embedding_init: np.ndarray, hidden_size: int, dropout: float, learning_rate: float,
    weight_decay: float,
) -> tuple[BiLSTMClassifier, torch.optim.Optimizer, torch.optim.lr_scheduler.LRScheduler]:
    """A seeded model with the Word2Vec embedding, its optimiser (Adam, or AdamW with a weight decay) and schedule."""
    _seed_everything(settings.seed)
    vocab_size, embedding_dim = embedding_init.shape
    model = BiLSTMClassifier(vocab_size, embedding_dim, hidden_size, len(LABELS), dropout)
    with torch.no_grad():
        model.embedding.weight.copy_(torch.from_numpy(embedding_init))
    optimizer: torch.optim.Optimizer = (
        torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=weight_decay)
        if weight_decay > 0 else torch.optim.Adam(model.parameters(), lr=learning_rate)
    )
    return model, optimizer, torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=settings.lr_decay)


def _step(
    model: BiLSTMClassifier, optimizer: torch.optim.Optimizer, rows: Sequence[Sequence[int]],
    labels: Sequence[int], batch: Sequence[int],
) -> None:
    ids, lengths = pad_batch([rows[i] for i in batch])
    target = torch.tensor([labels[i] for i in batch])
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(torch.from_numpy(ids), torch.from_numpy(lengths)), target)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optimizer.step()


def fit_fixed(
    settings: Settings,
    embedding_init: np.ndarray,
    rows: Sequence[Sequence[int]],
    labels: Sequence[int],
    chosen: Candidate,
) -> BiLSTMClassifier:
    """Trains the chosen candidate's settings for exactly its best (possibly fractional) number of epochs, with no
    validation split: the final fit on all the labelled training texts."""
    model, optimizer, schedule = _new_model(settings, embedding_init, chosen.hidden_size, chosen.dropout,
                                            chosen.learning_rate, chosen.weight_decay)
    rng = random.Random(settings.seed)
    started, steps = time.perf_counter(), 0
    for epoch in range(math.ceil(chosen.best_epoch)):
        model.train()
        batches = _batches(rows, settings.batch_size, rng)
        fraction = min(1.0, chosen.best_epoch - epoch)
        for batch in batches[: round(len(batches) * fraction)]:
            if settings.max_steps is not None and steps >= settings.max_steps:
                break
            _step(model, optimizer, rows, labels, batch)
            steps += 1
        schedule.step()
        log.info("final fit: epoch %.2f of %.2f (%d steps, %.0f s)", epoch + fraction, chosen.best_epoch, steps,
                 time.perf_counter() - started)
    model.eval()
    return model


def train_candidate(
    settings: Settings,
    embedding_init: np.ndarray,
    train_rows: Sequence[Sequence[int]],
    train_labels: Sequence[int],
    val_rows: Sequence[Sequence[int]],
    val_labels: Sequence[int],
    hidden_size: int,
    dropout: float,
    learning_rate: float = 1e-3,
    weight_decay: float = 0.0,
) -> tuple[BiLSTMClassifier, Candidate]:
    """Trains one candidate; keeps the weights of its best validation check (early stopping after
    `settings.patience` checks without a gain)."""
    model, optimizer, schedule = _new_model(settings, embedding_init, hidden_size, dropout, learning_rate, weight_decay)
    embedding_dim = embedding_init.shape[1]
    rng = random.Random(settings.seed)
    best_state, best = None, (-1.0, math.inf)
    best_epoch: float = 0
    stale, steps, epochs_run = 0, 0, 0
    started = time.perf_counter()
    label = f"size {embedding_dim}/{hidden_size} dropout {dropout:.2f} lr {learning_rate:g} wd {weight_decay:g}"

    def check(epoch_position: float) -> bool:
        """Validates, keeps the best weights; returns True when training should stop."""
        nonlocal best_state, best, best_epoch, stale
        accuracy, val_loss = evaluate(model, val_rows, val_labels)
        model.train()
        log.info("%s epoch %.2f: validation accuracy %.4f, loss %.4f (%.0f s)",
                 label, epoch_position, accuracy, val_loss, time.perf_counter() - started)
        if accuracy > best[0]:
            best, best_epoch, stale = (accuracy, val_loss), round(epoch_position, 2), 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            return False
        stale += 1
        return stale >= settings.patience

    stop = False
    for epoch in range(1, settings.epochs + 1):
        model.train()
        epochs_run = epoch
        batches = _batches(train_rows, settings.batch_size, rng)
        checkpoints = {
            round(len(batches) * k / settings.evals_per_epoch) for k in range(1, settings.evals_per_epoch + 1)
        }
        for n, batch in enumerate(batches, start=1):
            _step(model, optimizer, train_rows, train_labels, batch)
            steps += 1
            if settings.max_steps is not None and steps >= settings.max_steps:
                stop = True
                check(epoch - 1 + n / len(batches))
                break
            if n in checkpoints and check(epoch - 1 + n / len(batches)):
                stop = True
                break
        if stop:
            break
        schedule.step()
    assert best_state is not None
    model.load_state_dict(best_state)
    model.eval()
    candidate = Candidate(
        embedding_dim=embedding_dim, hidden_size=hidden_size, dropout=dropout, validation_accuracy=best[0],
        validation_loss=best[1], best_epoch=best_epoch, epochs_run=epochs_run,
        train_seconds=round(time.perf_counter() - started, 1), learning_rate=learning_rate, weight_decay=weight_decay,
    )
    return model, candidate


def select(candidates: Sequence[Candidate], margin: float) -> Candidate:
    """The smallest model within `margin` of the best validation accuracy; among equal sizes, the most accurate."""
    best = max(c.validation_accuracy for c in candidates)
    eligible = [c for c in candidates if c.validation_accuracy >= best - margin]
    return min(eligible, key=lambda c: (c.hidden_size, c.embedding_dim, -c.validation_accuracy))


def _encode_tokens(
    tokenized: Sequence[Sequence[str]], examples: Sequence[Example], vocabulary: Vocabulary, max_length: int
) -> tuple[list[list[int]], list[int]]:
    """Id rows and labels of already tokenized examples; texts without a token are left out."""
    rows, labels = [], []
    for tokens, e in zip(tokenized, examples, strict=True):
        ids = vocabulary.ids(tokens[:max_length])
        if ids:
            rows.append(ids)
            labels.append(e.label)
    return rows, labels


def _encode_all(
    examples: Sequence[Example], vocabulary: Vocabulary, max_length: int
) -> tuple[list[list[int]], list[int]]:
    return _encode_tokens([tokenize(e.text) for e in examples], examples, vocabulary, max_length)


def _compare(
    settings: Settings,
    train_tokens: Sequence[Sequence[str]],
    vocabulary: Vocabulary,
    train_rows: Sequence[Sequence[int]],
    train_labels: Sequence[int],
    val_rows: Sequence[Sequence[int]],
    val_labels: Sequence[int],
) -> tuple[list[Candidate], list[BiLSTMClassifier]]:
    """Trains every candidate of the settings' grid (Word2Vec once per size) and returns them with their models."""
    candidates: list[Candidate] = []
    models: list[BiLSTMClassifier] = []
    for size in settings.sizes:
        w2v_started = time.perf_counter()
        init = train_word2vec(train_tokens, vocabulary, size, settings.w2v_epochs, settings.seed)
        log.info("word2vec %d: %.0f s", size, time.perf_counter() - w2v_started)
        for dropout in settings.dropouts:
            for learning_rate in settings.learning_rates:
                for weight_decay in settings.weight_decays:
                    model, candidate = train_candidate(
                        settings, init, train_rows, train_labels, val_rows, val_labels, size, dropout,
                        learning_rate, weight_decay,
                    )
                    candidates.append(candidate)
                    models.append(model)
    return candidates, models


@dataclass(frozen=True, kw_only=True)
class Prepared:
    """The labelled texts, split, tokenized and encoded with the vocabulary of the training split."""

    texts: int  # labelled texts read (both labels)
    train: list[Example]
    validation: list[Example]
    train_tokens: list[list[str]]
    validation_tokens: list[list[str]]
    vocabulary: Vocabulary  # built from the training split only
    train_rows: list[list[int]]
    train_labels: list[int]
    validation_rows: list[list[int]]
    validation_labels: list[int]


@dataclass(frozen=True, kw_only=True)
class Choice:
    """The compared candidates and the chosen one."""

    candidates: list[Candidate]
    chosen: Candidate
    model: BiLSTMClassifier | None  # the chosen candidate's trained weights; None when read from a search report


@dataclass(frozen=True, kw_only=True)
class Fitted:
    """The model to export and the vocabulary it was trained with."""

    model: BiLSTMClassifier
    vocabulary: Vocabulary
    validation_rows: list[list[int]]  # the validation texts in this vocabulary, for the export checks
    fitted_texts: int  # texts the exported weights were trained on
    final_fit_epochs: float | None  # set when the chosen settings were retrained on every labelled text
    final_fit_split: str = "all"  # "train": retrained on the training split only (validation unseen)


@dataclass(frozen=True, kw_only=True)
class HandLabelledScore:
    """The exported model on the hand-labelled test set (read once, for the report only)."""

    test_set: str
    accuracy: float
    texts: int
    texts_without_tokens: int


def prepare(settings: Settings, negative: Path, positive: Path, limit: int | None) -> Prepared:
    """Reads both label files, makes the seeded stratified split, tokenizes, builds the vocabulary, encodes."""
    negative_examples = read_lines(negative, 0, limit)
    positive_examples = read_lines(positive, 1, limit)
    train, validation = stratified_split(negative_examples + positive_examples, settings.validation_fraction,
                                         settings.seed)
    log.info("data: %d training, %d validation texts", len(train), len(validation))
    train_tokens = [tokenize(e.text) for e in train]
    validation_tokens = [tokenize(e.text) for e in validation]
    vocabulary = Vocabulary.build(train_tokens, settings.min_count, settings.max_vocab)
    log.info("vocabulary: %d tokens", len(vocabulary))
    train_rows, train_labels = _encode_tokens(train_tokens, train, vocabulary, settings.max_length)
    validation_rows, validation_labels = _encode_tokens(validation_tokens, validation, vocabulary,
                                                        settings.max_length)
    return Prepared(
        texts=len(negative_examples) + len(positive_examples),
        train=train,
        validation=validation,
        train_tokens=train_tokens,
        validation_tokens=validation_tokens,
        vocabulary=vocabulary,
        train_rows=train_rows,
        train_labels=train_labels,
        validation_rows=validation_rows,
        validation_labels=validation_labels,
    )


def choose(settings: Settings, prepared: Prepared) -> Choice:
    """The search: trains every candidate of the grid and chooses on the validation split only."""
    candidates, models = _compare(
        settings, prepared.train_tokens, prepared.vocabulary, prepared.train_rows, prepared.train_labels,
        prepared.validation_rows, prepared.validation_labels,
    )
    chosen = select(candidates, settings.selection_margin)
    return Choice(candidates=candidates, chosen=chosen, model=models[candidates.index(chosen)])


def choice_from_search(search: SearchReport) -> Choice:
    """The choice an earlier validation-only search made; only the final fit remains to run."""
    return Choice(candidates=[Candidate.from_record(c) for c in search["candidates"]],
                  chosen=Candidate.from_record(search["chosen"]), model=None)


def final_fit(
    settings: Settings, prepared: Prepared, choice: Choice, on_all_texts: bool, split: str = "all"
) -> Fitted:
    """The model to export: the chosen candidate as trained in the search, or (`on_all_texts`) its settings retrained
    for its number of epochs on every labelled text, with the vocabulary and Word2Vec rebuilt from them; with
    `split` "train", retrained the same way on the training split only, so that the validation split stays unseen
    (what calibration and the confidence thresholds are chosen on, training/calibration.py)."""
    chosen = choice.chosen
    if on_all_texts and split == "train":
        init = train_word2vec(prepared.train_tokens, prepared.vocabulary, chosen.embedding_dim, settings.w2v_epochs,
                              settings.seed)
        model = fit_fixed(settings, init, prepared.train_rows, prepared.train_labels, chosen)
        log.info("final fit on the training split only: %d texts, %.2f epochs", len(prepared.train_rows),
                 chosen.best_epoch)
        return Fitted(model=model, vocabulary=prepared.vocabulary, validation_rows=prepared.validation_rows,
                      fitted_texts=len(prepared.train_rows), final_fit_epochs=chosen.best_epoch,
                      final_fit_split="train")
    if not on_all_texts:
        if choice.model is None:
            raise TrainingInputError("a choice read from a search report has no trained model: it needs the final fit")
        return Fitted(model=choice.model, vocabulary=prepared.vocabulary, validation_rows=prepared.validation_rows,
                      fitted_texts=len(prepared.train_rows), final_fit_epochs=None)
    # The settings and the epoch count are fixed by the validation split; the final model then learns from every
    # labelled training text. Its validation figure is the chosen candidate's: the refitted model has seen the
    # validation texts.
    all_tokens = prepared.train_tokens + prepared.validation_tokens
    vocabulary = Vocabulary.build(all_tokens, settings.min_count, settings.max_vocab)
    all_rows, all_labels = _encode_tokens(all_tokens, prepared.train + prepared.validation, vocabulary,
                                          settings.max_length)
    init = train_word2vec(all_tokens, vocabulary, chosen.embedding_dim, settings.w2v_epochs, settings.seed)
    model = fit_fixed(settings, init, all_rows, all_labels, chosen)
    validation_rows, _ = _encode_tokens(prepared.validation_tokens, prepared.validation, vocabulary,
                                        settings.max_length)
    log.info("final fit on %d texts, vocabulary %d, %.2f epochs", len(all_rows), len(vocabulary), chosen.best_epoch)
    return Fitted(model=model, vocabulary=vocabulary, validation_rows=validation_rows, fitted_texts=len(all_rows),
                  final_fit_epochs=chosen.best_epoch)


def score_test_set(settings: Settings, fitted: Fitted, path: Path) -> HandLabelledScore:
    """Reads the hand-labelled test set once and measures the exported model on it."""
    test = read_test_set(path)
    rows, labels = _encode_all(test, fitted.vocabulary, settings.max_length)
    accuracy, _ = evaluate(fitted.model, rows, labels)
    log.info("hand-labelled test set: accuracy %.4f on %d texts", accuracy, len(rows))
    return HandLabelledScore(test_set=path.name, accuracy=accuracy, texts=len(rows),
                             texts_without_tokens=len(test) - len(rows))


def evaluation_of(chosen: Candidate, prepared: Prepared, fitted: Fitted, test: HandLabelledScore | None) -> Evaluation:
    evaluation: Evaluation = {
        "validation_accuracy": round(chosen.validation_accuracy, 4),
        "validation_loss": round(chosen.validation_loss, 4),
        "validation_texts": len(prepared.validation_rows),
    }
    if fitted.final_fit_epochs is not None:
        evaluation["final_fit"] = (
            "the training split only (validation split unseen)" if fitted.final_fit_split == "train"
            else "all labelled training texts (training + validation split)"
        )
        evaluation["final_fit_texts"] = fitted.fitted_texts
        evaluation["final_fit_epochs"] = fitted.final_fit_epochs
    if test is not None:
        evaluation["test_set"] = test.test_set
        evaluation["test_accuracy"] = round(test.accuracy, 4)
        evaluation["test_texts"] = test.texts
        evaluation["test_texts_without_tokens"] = test.texts_without_tokens
    return evaluation


def model_metadata(
    options: Options, settings: Settings, prepared: Prepared, chosen: Candidate, fitted: Fitted,
    evaluation: Evaluation,
) -> dict[str, str]:
    """The contract metadata of the exported model (docs/MODEL_CONTRACT.md)."""
    architecture: Architecture = {
        "embedding_dim": chosen.embedding_dim,
        "hidden_size": chosen.hidden_size,
        "vocabulary_size": len(fitted.vocabulary),
        "dropout": chosen.dropout,
        "layers": 1,
        "bidirectional": True,
    }
    training_data: TrainingData = {
        "negative": options.negative.name,
        "positive": options.positive.name,
        "texts": prepared.texts,
        "training_texts": fitted.fitted_texts,
        "selection_training_texts": len(prepared.train_rows),
        "validation_texts": len(fitted.validation_rows),
        "split_seed": settings.seed,
        "validation_fraction": settings.validation_fraction,
    }
    return contract_metadata(
        vocabulary=fitted.vocabulary,
        labels=LABELS,
        max_length=settings.max_length,
        name=options.model_name,
        version=options.model_version,
        architecture=architecture,
        training_data=training_data,
        evaluation=evaluation,
        created_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
    )


def export_and_check(
    fitted: Fitted, metadata: Mapping[str, str], output: Path, *, seed: int, max_length: int, invariance_texts: int
) -> list[CheckResult]:
    """Builds the ONNX graph and checks it in a scratch file beside `output`; only a model that passes parity with
    PyTorch (the whole validation split and lengths 1 and max) and batch invariance replaces `output`.

    Raises `InvalidModelError` when a check fails (nothing is written then).
    """
    proto = build_graph(fitted.model, metadata)
    scratch = output.with_name(output.name + ".candidate")
    write_atomically(proto, scratch)
    try:
        onnx_model = OnnxClassifier(scratch)
        rows = fitted.validation_rows
        rng = random.Random(seed)
        sample = rng.sample(range(len(rows)), min(len(rows), invariance_texts))
        edge = [[rows[0][0]], [2] * max_length]  # lengths 1 and max
        checks = [
            parity(fitted.model, onnx_model, rows + edge),
            batch_invariance(onnx_model, [rows[i] for i in sample] + edge, seed),
        ]
        for check in checks:
            log.info("%s", check)
        if not all(c.passed for c in checks):
            raise InvalidModelError(
                f"{output}: export checks failed: the model was not written; " + "; ".join(map(str, checks))
            )
        scratch.replace(output)
    finally:
        scratch.unlink(missing_ok=True)
    return checks


def write_vectors(vectors_dir: Path, model_path: Path, prepared: Prepared) -> None:
    """The shared test vectors of the exported model (texts from the training and validation splits)."""
    onnx_model = OnnxClassifier(model_path)
    vectors_dir.mkdir(parents=True, exist_ok=True)
    vectors.write_tokenizer_vectors(vectors_dir / "tokenizer-vectors.jsonl", onnx_model, prepared.train)
    vectors.write_parity_vectors(vectors_dir / "parity-vectors.jsonl", onnx_model, prepared.validation)


def write_outputs(options: Options, report: RunReport, metadata: Mapping[str, str]) -> None:
    """The model card and the JSON report, where the options ask for them."""
    if options.card is not None:
        earlier: SearchReport | None = (
            json.loads(options.earlier_report.read_text(encoding="utf-8")) if options.earlier_report else None
        )
        notes = options.card_notes.read_text(encoding="utf-8") if options.card_notes else None
        card.write(options.card, report, metadata, earlier, options.earlier_report, notes)
    if options.report is not None:
        _write_json(options.report, report)


def load_search_report(path: Path) -> SearchReport:
    """A `--validate-only` report, checked for everything a final fit takes from it."""
    try:
        search = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise TrainingInputError(f"{path}: no such search report") from e
    except json.JSONDecodeError as e:
        raise TrainingInputError(f"{path}: not JSON ({e})") from e
    missing = _missing_keys(search, ("settings", "candidates", "chosen", "command", "run_seconds"), "")
    if not missing:
        missing += _missing_keys(search["settings"], sorted(set(Settings.__dataclass_fields__) - {"threads"}),
                                 "settings.")
        for i, candidate in enumerate([search["chosen"], *search["candidates"]]):
            missing += _missing_keys(candidate, sorted(Candidate.__dataclass_fields__),
                                     "chosen." if i == 0 else f"candidates[{i - 1}].")
    if missing:
        raise TrainingInputError(f"{path}: not a report of a --validate-only search (missing {', '.join(missing)})")
    report: SearchReport = search
    return report


def _missing_keys(record: object, keys: Sequence[str], prefix: str) -> list[str]:
    if not isinstance(record, dict):
        return [prefix.rstrip(".") or "a JSON object"]
    return [prefix + key for key in keys if key not in record]


def search(options: Options) -> SearchReport:
    """A validation-only search: compares the candidates; no test set, no export, no vectors."""
    settings = options.settings
    torch.set_num_threads(settings.threads)
    started = time.perf_counter()
    prepared = prepare(settings, options.negative, options.positive, options.limit)
    choice = choose(settings, prepared)
    _log_choice(choice.chosen)
    report: SearchReport = {
        "settings": settings.to_record(),
        "candidates": [c.to_record() for c in choice.candidates],
        "chosen": choice.chosen.to_record(),
        "vocabulary_size": len(prepared.vocabulary),
        "run_seconds": round(time.perf_counter() - started, 1),
        "torch": torch.__version__,
        "threads": settings.threads,
        "command": options.command_line,
    }
    if options.report is not None:
        _write_json(options.report, report)
    log.info("validation-only search done in %.0f s", report["run_seconds"])
    return report


def run(options: Options) -> RunReport:
    """Trains (or, given a search report, takes its chosen candidate), exports, checks, writes vectors and reports."""
    if options.validate_only:
        raise TrainingInputError("a --validate-only run exports nothing: call search()")
    _check_inputs(options)
    origin = load_search_report(options.from_search) if options.from_search is not None else None
    settings = Settings.from_record(origin["settings"], options.settings.threads) if origin else options.settings
    torch.set_num_threads(settings.threads)
    started = time.perf_counter()

    prepared = prepare(settings, options.negative, options.positive, options.limit)
    choice = choose(settings, prepared) if origin is None else choice_from_search(origin)
    _log_choice(choice.chosen)
    fitted = final_fit(settings, prepared, choice, options.final_fit_on_all_texts, options.final_fit_split)
    test = score_test_set(settings, fitted, options.test_set) if options.test_set is not None else None
    evaluation = evaluation_of(choice.chosen, prepared, fitted, test)
    training_seconds = round(time.perf_counter() - started, 1)

    metadata = model_metadata(options, settings, prepared, choice.chosen, fitted, evaluation)
    checks = export_and_check(fitted, metadata, options.output, seed=settings.seed, max_length=settings.max_length,
                              invariance_texts=options.invariance_texts)
    write_vectors(options.vectors_dir, options.output, prepared)

    report: RunReport = {
        "settings": settings.to_record(),
        "candidates": [c.to_record() for c in choice.candidates],
        "chosen": choice.chosen.to_record(),
        "evaluation": evaluation,
        "checks": [_check_record(c) for c in checks],
        "vocabulary_size": len(fitted.vocabulary),
        "model_bytes": options.output.stat().st_size,
        "run_seconds": round(time.perf_counter() - started, 1),
        "training_seconds_before_export": training_seconds,
        "torch": torch.__version__,
        "threads": settings.threads,
        "command": options.command_line,
    }
    if origin is not None:
        report["search"] = _search_origin(options.from_search, origin)
    write_outputs(options, report, metadata)
    log.info("wrote %s (%d bytes) in %.0f s", options.output, report["model_bytes"], report["run_seconds"])
    return report


def _check_inputs(options: Options) -> None:
    """Every file the run will read exists: a missing one stops it before hours of training, not after."""
    for data in (options.negative, options.positive, options.test_set):
        if data is not None:
            require_file(data)
    if options.card is not None:
        for option, path in (("--card-notes", options.card_notes), ("--earlier-report", options.earlier_report)):
            if path is not None and not path.is_file():
                raise TrainingInputError(f"{option} {path}: no such file")


def _log_choice(chosen: Candidate) -> None:
    log.info("chosen size %d/%d, dropout %.2f (validation accuracy %.4f)", chosen.embedding_dim,
             chosen.hidden_size, chosen.dropout, chosen.validation_accuracy)


def _check_record(check: CheckResult) -> CheckRecord:
    return {"name": check.name, "texts": check.texts, "max_abs_diff": check.max_abs_diff}


def _search_origin(path: Path | None, search: SearchReport) -> SearchOrigin:
    return {"report": str(path), "command": search["command"], "run_seconds": search["run_seconds"]}


def _write_json(path: Path, report: Mapping[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def parser() -> argparse.ArgumentParser:
    data = default_data_dir()
    p = argparse.ArgumentParser(prog="python -m training.train", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--negative", type=Path, default=data / NEGATIVE_FILE, help="negative texts, one a line")
    p.add_argument("--positive", type=Path, default=data / POSITIVE_FILE, help="positive texts, one a line")
    p.add_argument("--test-set", type=Path, default=data / TEST_SET_FILE,
                   help="hand-labelled test set, read only for the final report ('none' to skip)")
    p.add_argument("--limit", type=int, default=None, help="read at most this many texts of each label")
    p.add_argument("--sizes", default="64,128,192", help="embedding=hidden sizes to compare, comma-separated")
    p.add_argument("--dropouts", default="0.1", help="embedding dropout rates to compare, comma-separated")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--patience", type=int, default=1, help="validation checks without a gain before stopping")
    p.add_argument("--evals-per-epoch", type=int, default=1,
                   help="validation checks per epoch (early stopping granularity)")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--learning-rates", default="0.001", help="Adam learning rates to compare, comma-separated")
    p.add_argument("--weight-decays", default="0", help="decoupled weight decays (AdamW) to compare, comma-separated")
    p.add_argument("--lr-decay", type=float, default=1.0, help="learning rate factor applied after each epoch")
    p.add_argument("--min-count", type=int, default=2)
    p.add_argument("--max-vocab", type=int, default=20000)
    p.add_argument("--max-length", type=int, default=64)
    p.add_argument("--w2v-epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads; 1 is reproducible and, on a shared 2-core machine, fastest")
    p.add_argument("--max-steps", type=int, default=None, help="stop each candidate after this many steps (smoke runs)")
    p.add_argument("--invariance-texts", type=int, default=1000)
    p.add_argument("--model-name", default="sentiment-bilstm")
    p.add_argument("--model-version", default="1.0.0")
    p.add_argument("--output", type=Path, default=DEFAULT_MODEL)
    p.add_argument("--vectors-dir", type=Path, default=DEFAULT_VECTORS)
    p.add_argument("--card", type=Path, default=None, help="write the model card here")
    p.add_argument("--report", type=Path, default=None, help="write the JSON run report here")
    p.add_argument("--card-notes", type=Path, default=None, help="Markdown shown as the model card's History section")
    p.add_argument("--refit-all", action="store_true",
                   help="after choosing on the validation split, train the chosen settings for the chosen number of "
                        "epochs on all labelled texts (training + validation) and export that model")
    p.add_argument("--from-search", type=Path, default=None,
                   help="the JSON report of a --validate-only search: take its settings and chosen candidate and run "
                        "only the final fit on all labelled texts (implies --refit-all; other training options "
                        "ignored)")
    p.add_argument("--final-fit-split", choices=("all", "train"), default="all",
                   help="texts of the final fit: 'all' labelled texts, or the 'train' split only, leaving the "
                        "validation split unseen for calibration and thresholds")
    p.add_argument("--validate-only", action="store_true",
                   help="search mode: train and compare candidates on the validation split only; no test set, "
                        "no export")
    p.add_argument("--earlier-report", type=Path, default=None,
                   help="a JSON report of an earlier comparison, cited in the model card")
    return p



def main(argv: Sequence[str] | None = None) -> int:
    """The command: returns 0, 1 when the exported model failed a check (nothing was written), 2 when an option,
    a data file or a search report cannot be used."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("gensim").setLevel(logging.WARNING)
    try:
        options = Options.parse(sys.argv[1:] if argv is None else argv)
        if options.validate_only:
            search(options)
        else:
            run(options)
    except (TrainingInputError, CorpusNotFoundError) as e:
        log.error("%s", e)
        return 2
    except InvalidModelError as e:
        log.error("%s", e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
