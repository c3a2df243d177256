"""Trains the BiLSTM on Sentiment140, picks its size on the validation split, exports and checks the ONNX model.

    python -m training.train                      # reproduces the bundled default model
    python -m training.train --help               # every option

Writes the model (atomically, only after it passes every check), the shared test vectors, the model card
and a JSON report of the run.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
from torch import nn

from . import card, vectors
from .checks import batch_invariance, parity
from .data import LABELS, REPO_ROOT, Example, default_data_dir, read_lines, read_test_set, stratified_split
from .embeddings import train_word2vec
from .encoding import pad_batch
from .export import OnnxClassifier, build_graph, contract_metadata, torch_logits, write_atomically
from .model import BiLSTMClassifier
from .tokenizer import tokenize
from .vocab import Vocabulary

log = logging.getLogger("training.train")

DEFAULT_MODEL = REPO_ROOT / "src/main/resources/model/sentiment-bilstm.onnx"
DEFAULT_VECTORS = REPO_ROOT / "src/test/resources/model"


@dataclass(frozen=True)
class Settings:
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


@dataclass
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
        checkpoints = {round(len(batches) * k / settings.evals_per_epoch) for k in range(1, settings.evals_per_epoch + 1)}
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
        embedding_dim, hidden_size, dropout, best[0], best[1], best_epoch, epochs_run,
        round(time.perf_counter() - started, 1), learning_rate, weight_decay,
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


def _encode_all(examples: Sequence[Example], vocabulary: Vocabulary, max_length: int) -> tuple[list[list[int]], list[int]]:
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


def _settings_from_search(search: dict[str, object], threads: int) -> Settings:
    """The settings a validation-only search ran with, as written in its JSON report."""
    values = dict(search["settings"])  # type: ignore[call-overload]
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    values["threads"] = threads
    return Settings(**values)


def run(args: argparse.Namespace) -> dict[str, object]:
    if args.from_search is not None:
        search = json.loads(args.from_search.read_text(encoding="utf-8"))
        args.refit_all = True
        return _run(args, _settings_from_search(search, args.threads), search)
    settings = Settings(
        sizes=tuple(int(s) for s in args.sizes.split(",")),
        dropouts=tuple(float(d) for d in args.dropouts.split(",")),
        epochs=args.epochs,
        patience=args.patience,
        batch_size=args.batch_size,
        learning_rates=tuple(float(x) for x in args.learning_rates.split(",")),
        weight_decays=tuple(float(x) for x in args.weight_decays.split(",")),
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
    return _run(args, settings, None)


def _run(args: argparse.Namespace, settings: Settings, search: dict[str, object] | None) -> dict[str, object]:
    """Trains (or, given a search report, takes its chosen candidate), exports, checks, writes vectors and reports."""
    torch.set_num_threads(settings.threads)
    started = time.perf_counter()
    negative = read_lines(args.negative, 0, args.limit)
    positive = read_lines(args.positive, 1, args.limit)
    train, validation = stratified_split(negative + positive, settings.validation_fraction, settings.seed)
    log.info("data: %d training, %d validation texts", len(train), len(validation))

    train_tokens = [tokenize(e.text) for e in train]
    val_tokens = [tokenize(e.text) for e in validation]
    vocabulary = Vocabulary.build(train_tokens, settings.min_count, settings.max_vocab)
    log.info("vocabulary: %d tokens", len(vocabulary))
    train_rows, train_labels = _encode_tokens(train_tokens, train, vocabulary, settings.max_length)
    val_rows, val_labels = _encode_tokens(val_tokens, validation, vocabulary, settings.max_length)

    if search is None:
        candidates, models = _compare(settings, train_tokens, vocabulary, train_rows, train_labels, val_rows,
                                      val_labels)
        chosen = select(candidates, settings.selection_margin)
        model = models[candidates.index(chosen)]
    else:  # the choice was made by an earlier validation-only search; only the final fit runs here
        candidates = [Candidate(**c) for c in search["candidates"]]  # type: ignore[union-attr]
        chosen = Candidate(**search["chosen"])  # type: ignore[arg-type]
    log.info("chosen size %d/%d, dropout %.2f (validation accuracy %.4f)", chosen.embedding_dim,
             chosen.hidden_size, chosen.dropout, chosen.validation_accuracy)

    if args.validate_only:
        return _write_search_report(args, settings, candidates, chosen, len(vocabulary), started)

    evaluation: dict[str, object] = {
        "validation_accuracy": round(chosen.validation_accuracy, 4),
        "validation_loss": round(chosen.validation_loss, 4),
        "validation_texts": len(val_rows),
    }
    fitted_texts = len(train_rows)
    if args.refit_all:
        # The settings and the epoch count are fixed by the validation split; the final model then learns from
        # every labelled training text (its vocabulary and Word2Vec too). Its validation figure is the chosen
        # candidate's: the refitted model has seen the validation texts.
        all_tokens = train_tokens + val_tokens
        vocabulary = Vocabulary.build(all_tokens, settings.min_count, settings.max_vocab)
        all_rows, all_labels = _encode_tokens(all_tokens, train + validation, vocabulary, settings.max_length)
        init = train_word2vec(all_tokens, vocabulary, chosen.embedding_dim, settings.w2v_epochs, settings.seed)
        model = fit_fixed(settings, init, all_rows, all_labels, chosen)
        val_rows, val_labels = _encode_tokens(val_tokens, validation, vocabulary, settings.max_length)  # for the checks
        fitted_texts = len(all_rows)
        evaluation.update(final_fit="all labelled training texts (training + validation split)",
                          final_fit_texts=fitted_texts, final_fit_epochs=chosen.best_epoch)
        log.info("final fit on %d texts, vocabulary %d, %.2f epochs", fitted_texts, len(vocabulary), chosen.best_epoch)
    if args.test_set is not None:
        test = read_test_set(args.test_set)
        test_rows, test_labels = _encode_all(test, vocabulary, settings.max_length)
        test_accuracy, _ = evaluate(model, test_rows, test_labels)
        evaluation.update(test_set=args.test_set.name, test_accuracy=round(test_accuracy, 4),
                          test_texts=len(test_rows), test_texts_without_tokens=len(test) - len(test_rows))
        log.info("hand-labelled test set: accuracy %.4f on %d texts", test_accuracy, len(test_rows))

    training_seconds = round(time.perf_counter() - started, 1)
    metadata = contract_metadata(
        vocabulary=vocabulary,
        labels=LABELS,
        max_length=settings.max_length,
        name=args.model_name,
        version=args.model_version,
        architecture={"embedding_dim": chosen.embedding_dim, "hidden_size": chosen.hidden_size,
                      "vocabulary_size": len(vocabulary), "dropout": chosen.dropout,
                      "layers": 1, "bidirectional": True},
        training_data={"negative": args.negative.name, "positive": args.positive.name,
                       "texts": len(negative) + len(positive), "training_texts": fitted_texts,
                       "selection_training_texts": len(train_rows),
                       "validation_texts": len(val_rows), "split_seed": settings.seed,
                       "validation_fraction": settings.validation_fraction},
        evaluation=evaluation,
        created_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    )
    proto = build_graph(model, metadata)

    # Check in a scratch file first: a model that fails a check never reaches the target path.
    scratch = args.output.with_name(args.output.name + ".candidate")
    write_atomically(proto, scratch)
    try:
        onnx_model = OnnxClassifier(scratch)
        rng = random.Random(settings.seed)
        sample = rng.sample(range(len(val_rows)), min(len(val_rows), args.invariance_texts))
        edge = [[val_rows[0][0]], [2] * settings.max_length]  # lengths 1 and max
        checks = [
            parity(model, onnx_model, val_rows + edge),
            batch_invariance(onnx_model, [val_rows[i] for i in sample] + edge, settings.seed),
        ]
        for check in checks:
            log.info("%s", check)
        if not all(c.passed for c in checks):
            raise SystemExit("export checks failed: the model was not written; " + "; ".join(map(str, checks)))
        scratch.replace(args.output)
    finally:
        scratch.unlink(missing_ok=True)

    onnx_model = OnnxClassifier(args.output)
    args.vectors_dir.mkdir(parents=True, exist_ok=True)
    vectors.write_tokenizer_vectors(args.vectors_dir / "tokenizer-vectors.jsonl", onnx_model, train)
    vectors.write_parity_vectors(args.vectors_dir / "parity-vectors.jsonl", onnx_model, validation)

    report: dict[str, object] = {
        "settings": asdict(settings),
        "candidates": [asdict(c) for c in candidates],
        "chosen": asdict(chosen),
        "evaluation": evaluation,
        "checks": [{"name": c.name, "texts": c.texts, "max_abs_diff": c.max_abs_diff} for c in checks],
        "vocabulary_size": len(vocabulary),
        "model_bytes": args.output.stat().st_size,
        "run_seconds": round(time.perf_counter() - started, 1),
        "training_seconds_before_export": training_seconds,
        "torch": torch.__version__,
        "threads": settings.threads,
        "command": args.command_line,
    }
    if search is not None:
        report["search"] = {"report": str(args.from_search), "command": search["command"],
                            "run_seconds": search["run_seconds"]}
    if args.card is not None:
        earlier = json.loads(args.earlier_report.read_text(encoding="utf-8")) if args.earlier_report else None
        notes = args.card_notes.read_text(encoding="utf-8") if args.card_notes else None
        card.write(args.card, report, metadata, earlier, args.earlier_report, notes)
    if args.report is not None:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %s (%d bytes) in %.0f s", args.output, report["model_bytes"], report["run_seconds"])
    return report


def _write_search_report(
    args: argparse.Namespace, settings: Settings, candidates: Sequence[Candidate], chosen: Candidate,
    vocabulary_size: int, started: float,
) -> dict[str, object]:
    """A validation-only search: no test set, no export, no vectors; only the comparison."""
    report: dict[str, object] = {
        "settings": asdict(settings),
        "candidates": [asdict(c) for c in candidates],
        "chosen": asdict(chosen),
        "vocabulary_size": vocabulary_size,
        "run_seconds": round(time.perf_counter() - started, 1),
        "torch": torch.__version__,
        "threads": settings.threads,
        "command": args.command_line,
    }
    if args.report is not None:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log.info("validation-only search done in %.0f s", report["run_seconds"])
    return report


def parser() -> argparse.ArgumentParser:
    data = default_data_dir()
    p = argparse.ArgumentParser(prog="python -m training.train", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--negative", type=Path, default=data / "train-negative-50k.txt", help="negative texts, one a line")
    p.add_argument("--positive", type=Path, default=data / "train-positive-50k.txt", help="positive texts, one a line")
    p.add_argument("--test-set", type=Path, default=data / "testdata.manual.2009.06.14.csv",
                   help="hand-labelled test set, read only for the final report ('none' to skip)")
    p.add_argument("--limit", type=int, default=None, help="read at most this many texts of each label")
    p.add_argument("--sizes", default="64,128,192", help="embedding=hidden sizes to compare, comma-separated")
    p.add_argument("--dropouts", default="0.1", help="embedding dropout rates to compare, comma-separated")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--patience", type=int, default=1, help="validation checks without a gain before stopping")
    p.add_argument("--evals-per-epoch", type=int, default=1, help="validation checks per epoch (early stopping granularity)")
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
                        "only the final fit on all labelled texts (implies --refit-all; other training options ignored)")
    p.add_argument("--validate-only", action="store_true",
                   help="search mode: train and compare candidates on the validation split only; no test set, no export")
    p.add_argument("--earlier-report", type=Path, default=None,
                   help="a JSON report of an earlier comparison, cited in the model card")
    return p


def main(argv: Sequence[str] | None = None) -> None:
    import sys

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("gensim").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    if args.test_set is not None and str(args.test_set) == "none":
        args.test_set = None
    args.command_line = "python -m training.train " + " ".join(sys.argv[1:] if argv is None else argv)
    run(args)


if __name__ == "__main__":
    main()
