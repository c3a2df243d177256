"""Word2Vec (gensim) trained on the training split, used to initialise the embedding layer."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence

import numpy as np
from gensim.models import Word2Vec

from .vocab import PAD_ID, Vocabulary

log = logging.getLogger(__name__)


def _stable_hash(text: str) -> int:
    # gensim seeds each word's initial vector with hashfxn(word + seed); Python's hash() is
    # randomised per process, which would make training irreproducible.
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def train_word2vec(
    tokenized: Sequence[Sequence[str]], vocabulary: Vocabulary, dim: int, epochs: int, seed: int
) -> np.ndarray:
    """Returns a float32 [len(vocabulary), dim] matrix: Word2Vec vectors where known, small random otherwise."""
    model = Word2Vec(
        sentences=[list(t) for t in tokenized],
        vector_size=dim,
        window=5,
        min_count=1,
        sg=1,
        negative=5,
        epochs=epochs,
        seed=seed,
        workers=1,
        hashfxn=_stable_hash,
    )
    rng = np.random.default_rng(seed)
    matrix = rng.normal(0.0, 0.1, size=(len(vocabulary), dim)).astype(np.float32)
    found = 0
    for i, token in enumerate(vocabulary.tokens):
        if token in model.wv.key_to_index:
            matrix[i] = model.wv[token]
            found += 1
    matrix[PAD_ID] = 0.0
    log.info("word2vec: %d of %d vocabulary entries initialised", found, len(vocabulary))
    return matrix
