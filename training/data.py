"""Sentiment140 data: the training files (one tweet a line per label) and the hand-labelled test set."""

from __future__ import annotations

import csv
import os
import random
from dataclasses import dataclass
from pathlib import Path

LABELS: tuple[str, ...] = ("negative", "positive")
NEGATIVE, POSITIVE = 0, 1

REPO_ROOT = Path(__file__).resolve().parents[1]

NEGATIVE_FILE = "train-negative-50k.txt"
POSITIVE_FILE = "train-positive-50k.txt"
TEST_SET_FILE = "testdata.manual.2009.06.14.csv"

WHERE_TO_GET_IT = (
    "The Sentiment140 corpus (Go, Bhayani and Huang, 2009) is not part of the repository: put its folder"
    f" ({NEGATIVE_FILE}, {POSITIVE_FILE}, {TEST_SET_FILE}) at ../shared/data/sentiment140 beside the repository"
    " or point SENTIMENT140_DIR at that folder (where to get it: training/README.md, 'Data')"
)


class CorpusNotFoundError(FileNotFoundError):
    """A data file of the corpus is missing; the message says where the corpus is expected and how to get it."""


def default_data_dir() -> Path:
    """`$SENTIMENT140_DIR`, or `../shared/data/sentiment140` beside the repository."""
    env = os.environ.get("SENTIMENT140_DIR")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "sentiment140"


def corpus_available(folder: Path) -> bool:
    """Whether `folder` holds the corpus's training files and hand-labelled test set."""
    return all((folder / name).is_file() for name in (NEGATIVE_FILE, POSITIVE_FILE, TEST_SET_FILE))


def require_file(path: Path) -> Path:
    """Returns `path` if it is a file; raises `CorpusNotFoundError`, saying where to get the corpus, if not."""
    if not path.is_file():
        raise CorpusNotFoundError(f"{path}: no such data file. {WHERE_TO_GET_IT}.")
    return path


@dataclass(frozen=True)
class Example:
    text: str
    label: int


def read_lines(path: Path, label: int, limit: int | None = None) -> list[Example]:
    """One text a line (UTF-8); blank lines are skipped."""
    examples: list[Example] = []
    with require_file(path).open(encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            text = line.rstrip("\r\n")
            if text.strip():
                examples.append(Example(text, label))
                if limit is not None and len(examples) >= limit:
                    break
    return examples


def stratified_split(
    examples: list[Example], validation_fraction: float, seed: int
) -> tuple[list[Example], list[Example]]:
    """Seeded split that keeps the label balance in both parts."""
    if not 0.0 < validation_fraction < 1.0:
        raise ValueError("validation_fraction must be between 0 and 1")
    rng = random.Random(seed)
    train: list[Example] = []
    validation: list[Example] = []
    for label in sorted({e.label for e in examples}):
        group = [e for e in examples if e.label == label]
        rng.shuffle(group)
        cut = round(len(group) * validation_fraction)
        validation.extend(group[:cut])
        train.extend(group[cut:])
    rng.shuffle(train)
    rng.shuffle(validation)
    return train, validation


def read_test_set(path: Path) -> list[Example]:
    """The hand-labelled test set: `label,text` CSV; keeps the negative (0) and positive (4) rows."""
    examples: list[Example] = []
    with require_file(path).open(encoding="utf-8", errors="replace", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 2:
                continue
            if row[0] == "0":
                examples.append(Example(row[1], NEGATIVE))
            elif row[0] == "4":
                examples.append(Example(row[1], POSITIVE))
    return examples
