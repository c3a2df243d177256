"""From texts to the model's inputs: token ids, truncation, padded batches."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .tokenizer import tokenize
from .vocab import PAD_ID, UNK_ID, Vocabulary


def encode(text: str, vocabulary: Vocabulary, max_length: int) -> tuple[list[int], int]:
    """Returns the ids (at most max_length of them) and the token count before truncation."""
    tokens = tokenize(text)
    return vocabulary.ids(tokens[:max_length]), len(tokens)


def known_token_count(ids: Sequence[int]) -> int:
    """How many of the ids the model reads are in its vocabulary: not the unknown id (the service's
    `known_token_count`, docs/TOKENIZER.md "Known tokens")."""
    return sum(1 for i in ids if i != UNK_ID)


def pad_batch(rows: Sequence[Sequence[int]], time: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """ids int64 [batch, time] padded with the pad id, and lengths int64 [batch]."""
    if any(len(r) == 0 for r in rows):
        raise ValueError("every row needs at least one id")
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    width = int(lengths.max()) if time is None else time
    if width < lengths.max():
        raise ValueError("time is shorter than the longest row")
    ids = np.full((len(rows), width), PAD_ID, dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = r
    return ids, lengths
