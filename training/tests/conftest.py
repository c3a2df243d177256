"""Shared fixtures. The tests train on a committed sample of the corpus (`fixtures/sentiment140/`); only tests
marked `corpus` read the Sentiment140 corpus itself, and they are skipped, with the reason, when it is absent
(`pytest -m "not corpus"` runs everything else)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from training.data import REPO_ROOT, corpus_available, default_data_dir
from training.export import OnnxClassifier

from .fixtures.sentiment140_sample import NEGATIVE_SAMPLE, POSITIVE_SAMPLE, SAMPLE_DIR

BUNDLED_MODEL = REPO_ROOT / "src/main/resources/model/sentiment-bilstm.onnx"
VECTORS = REPO_ROOT / "src/test/resources/model"
SAMPLE_NEGATIVE = SAMPLE_DIR / NEGATIVE_SAMPLE
SAMPLE_POSITIVE = SAMPLE_DIR / POSITIVE_SAMPLE


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("corpus") is not None and not corpus_available(default_data_dir()):
        pytest.skip(
            f"needs the Sentiment140 corpus, not found in {default_data_dir()}"
            " (put it at ../shared/data/sentiment140 beside the repository or set SENTIMENT140_DIR)"
        )


@pytest.fixture(scope="session")
def bundled() -> OnnxClassifier:
    return OnnxClassifier(BUNDLED_MODEL)


@pytest.fixture
def corpus_dir(request: pytest.FixtureRequest) -> Path:
    """The corpus folder, for tests marked `corpus` (unmarked tests would fail instead of skip without it)."""
    if request.node.get_closest_marker("corpus") is None:
        pytest.fail(f"{request.node.nodeid} reads the corpus: mark it @pytest.mark.corpus")
    return default_data_dir()
