"""A dynamically quantized (int8) variant of a model, checked like the fp32 export.

    python -m training.quantize --model src/main/resources/model/sentiment-bilstm.onnx \\
        --output training/runs/int8/sentiment-bilstm-int8.onnx --report training/reports/int8.json

ONNX Runtime's `quantize_dynamic` turns the LSTM into `DynamicQuantizeLSTM` and the final Gemm/MatMul into
integer matrix products with int8 weights; the activations are quantized per call, from the batch's own range,
which is why batch invariance is checked here (NOTES.md). The checks: agreement with the fp32 model (labels and
largest logit difference) on the validation split and the hand-labelled test set, batch invariance (each text
alone against the same text inside batches of 64), accuracy of both, and single-thread throughput of both
through ONNX Runtime's Python API, interleaved. The service-side throughput is JMH's `InferenceBenchmark`
(`-p modelPath=...`).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnx
from onnxruntime.quantization import QuantType, quantize_dynamic

from .data import (
    NEGATIVE_FILE,
    POSITIVE_FILE,
    TEST_SET_FILE,
    default_data_dir,
    read_lines,
    read_test_set,
    stratified_split,
)
from .encoding import encode, pad_batch
from .export import OnnxClassifier, write_atomically

log = logging.getLogger("training.quantize")


def quantize(source: Path, target: Path, version_suffix: str = "-int8") -> None:
    """Writes the int8 variant; its metadata is the source's with the version suffixed (same contract)."""
    scratch = target.with_name(target.name + ".raw")
    target.parent.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(source), str(scratch), weight_type=QuantType.QInt8)
    proto = onnx.load(str(scratch))
    scratch.unlink()
    props = {p.key: p.value for p in proto.metadata_props}
    props["sentiment.model_version"] = props["sentiment.model_version"] + version_suffix
    props["sentiment.quantization"] = json.dumps({"method": "onnxruntime.quantization.quantize_dynamic",
                                                  "weight_type": "QInt8"})
    del proto.metadata_props[:]
    onnx.helper.set_model_props(proto, props)
    write_atomically(proto, target)


def _logits(model: OnnxClassifier, rows: Sequence[Sequence[int]], batch: int = 64) -> np.ndarray:
    return np.concatenate([model.logits(*pad_batch(rows[i : i + batch])) for i in range(0, len(rows), batch)])


def _invariance(model: OnnxClassifier, rows: Sequence[Sequence[int]], seed: int) -> float:
    """Largest logit difference between a text alone and the same text in a shuffled batch of 64."""
    alone = np.concatenate([model.logits(*pad_batch([r])) for r in rows])
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    batched = np.empty_like(alone)
    for i in range(0, len(order), 64):
        part = order[i : i + 64]
        batched[part] = model.logits(*pad_batch([rows[j] for j in part]))
    return float(np.abs(alone - batched).max())


def _throughput(models: dict[str, OnnxClassifier], rows: Sequence[Sequence[int]], batch: int,
                rounds: int = 3) -> dict[str, list[float]]:
    """Records per second, single thread, each model in turn, `rounds` times (interleaved)."""
    out: dict[str, list[float]] = {name: [] for name in models}
    batches = [pad_batch(rows[i : i + batch]) for i in range(0, len(rows) - batch + 1, batch)]
    for _ in range(rounds):
        for name, model in models.items():
            started = time.perf_counter()
            for b in batches:
                model.logits(*b)
            out[name].append(len(batches) * batch / (time.perf_counter() - started))
    return out


def compare(fp32_path: Path, int8_path: Path, data: Path, texts: int) -> dict[str, object]:
    fp32, int8 = OnnxClassifier(fp32_path), OnnxClassifier(int8_path)
    examples = read_lines(data / NEGATIVE_FILE, 0) + read_lines(data / POSITIVE_FILE, 1)
    _, validation = stratified_split(examples, 0.1, 42)
    report: dict[str, object] = {"fp32": str(fp32_path), "int8": str(int8_path),
                                 "fp32_bytes": fp32_path.stat().st_size, "int8_bytes": int8_path.stat().st_size}
    for name, split in (("validation", validation[:texts]), ("test_set", read_test_set(data / TEST_SET_FILE))):
        encoded = [(encode(e.text, fp32.vocabulary, fp32.max_length)[0], e.label) for e in split]
        rows = [r for r, _ in encoded if r]
        labels = np.array([y for r, y in encoded if r])
        a, b = _logits(fp32, rows), _logits(int8, rows)
        report[name] = {
            "texts": len(rows),
            "fp32_accuracy": float((a.argmax(1) == labels).mean()),
            "int8_accuracy": float((b.argmax(1) == labels).mean()),
            "label_agreement": float((a.argmax(1) == b.argmax(1)).mean()),
            "max_abs_logit_difference": float(np.abs(a - b).max()),
        }
        if name == "validation":
            sample = rows[:1000]
            report["batch_invariance_max_abs_difference"] = {"fp32": _invariance(fp32, sample, 5),
                                                             "int8": _invariance(int8, sample, 5)}
            speeds = {str(batch): _throughput({"fp32": fp32, "int8": int8}, rows[:2048], batch)
                      for batch in (1, 32)}
            report["python_single_thread_records_per_second"] = speeds
    return report


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    p = argparse.ArgumentParser(prog="python -m training.quantize", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, required=True, help="the fp32 model")
    p.add_argument("--output", type=Path, required=True, help="where the int8 model goes")
    p.add_argument("--data", type=Path, default=default_data_dir())
    p.add_argument("--texts", type=int, default=10000, help="validation texts compared")
    p.add_argument("--report", type=Path, default=None)
    args = p.parse_args(argv)
    quantize(args.model, args.output)
    report = compare(args.model, args.output, args.data, args.texts)
    text = json.dumps(report, indent=2)
    if args.report is not None:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
