from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.data import REPO_ROOT, default_data_dir
from training.export import OnnxClassifier

BUNDLED_MODEL = REPO_ROOT / "src/main/resources/model/sentiment-bilstm.onnx"
VECTORS = REPO_ROOT / "src/test/resources/model"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def bundled() -> OnnxClassifier:
    return OnnxClassifier(BUNDLED_MODEL)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = default_data_dir()
    if not (path / "train-negative-50k.txt").is_file():
        pytest.fail(f"Sentiment140 data not found in {path} (set SENTIMENT140_DIR)")
    return path
