"""The vocabulary: token strings to ids, built from the training split only (docs/TOKENIZER.md, section 4)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .tokenizer import RESERVED

PAD_ID = 0
UNK_ID = 1


@dataclass(frozen=True)
class Vocabulary:
    tokens: tuple[str, ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.tokens[: len(RESERVED)] != RESERVED:
            raise ValueError(f"vocabulary must start with the reserved tokens {RESERVED}")
        if len(set(self.tokens)) != len(self.tokens):
            raise ValueError("vocabulary has duplicate tokens")
        object.__setattr__(self, "_index", {t: i for i, t in enumerate(self.tokens)})

    @classmethod
    def build(cls, tokenized: Iterable[Sequence[str]], min_count: int, max_size: int) -> Vocabulary:
        if max_size <= len(RESERVED):
            raise ValueError(f"max_size must exceed {len(RESERVED)}")
        counts: Counter[str] = Counter()
        for tokens in tokenized:
            counts.update(tokens)
        reserved = set(RESERVED)
        ranked = sorted(
            ((t, c) for t, c in counts.items() if c >= min_count and t not in reserved),
            key=lambda tc: (-tc[1], tc[0]),
        )
        return cls(RESERVED + tuple(t for t, _ in ranked[: max_size - len(RESERVED)]))

    def __len__(self) -> int:
        return len(self.tokens)

    def ids(self, tokens: Sequence[str]) -> list[int]:
        return [self._index.get(t, UNK_ID) for t in tokens]

    def to_json(self) -> str:
        return json.dumps(list(self.tokens), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Vocabulary:
        return cls(tuple(json.loads(text)))

    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()
