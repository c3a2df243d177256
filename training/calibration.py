"""Calibration of the model's probabilities, the service's `uncertain` thresholds, and the figures of the card.

    python -m training.calibration --reference R.onnx --model BUNDLED.onnx --output NEW.onnx --version V \\
        --report training/reports/calibration.json --figures src/main/resources/model/figures \\
        --doc docs/CALIBRATION.md

Protocol (docs/CALIBRATION.md says why): the bundled model was trained on every labelled text, the validation
split included, so nothing is chosen with its outputs on that split. The *reference* model R is the same recipe
trained on the 90,000-text training split only (`train --from-search ... --final-fit-split train`), so the
10,000 validation texts are unseen by R. They are split (seeded, stratified) into half A, on which the
temperature and both thresholds are chosen with R, and half B, on which R's calibration and the thresholds are
measured. The temperature is then baked into the bundled model's last layer (`--output`, a new version: the
same weights, logits divided by T, so every label stays the same) and the hand-labelled test set is read once,
for the final report of that model: ECE before and after, and the risk-coverage table with its neutral rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper
from scipy.optimize import minimize_scalar  # type: ignore[import-untyped]

from .data import (
    NEGATIVE_FILE,
    POSITIVE_FILE,
    TEST_SET_FILE,
    Example,
    default_data_dir,
    read_lines,
    require_file,
    stratified_split,
)
from .encoding import encode, known_token_count, pad_batch
from .export import OnnxClassifier, write_atomically

log = logging.getLogger("training.calibration")

BINS = 15
NEUTRAL = 2  # the test set's neutral rows (label 2 in the CSV), outside the binary model
TARGET_KEPT_ACCURACY = 0.90  # the rule for uncertain.min.probability, chosen on validation half A
KNOWN_TOKEN_MAX_ACCURACY = 0.65  # a known-token count is "too few" while its texts are classified below this
PROBABILITY_GRID = tuple(round(0.50 + 0.01 * k, 2) for k in range(50))
TABLE_THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


@dataclass(frozen=True)
class Scored:
    """Model outputs for a set of texts (texts without any token are left out: the service never classifies
    them)."""

    logits: np.ndarray  # [n, 2]
    labels: np.ndarray  # [n]: 0 negative, 1 positive, 2 neutral (test set only)
    known: np.ndarray  # [n] known-token counts
    without_tokens: int

    def subset(self, mask: np.ndarray) -> Scored:
        return Scored(self.logits[mask], self.labels[mask], self.known[mask], 0)


def score(model: OnnxClassifier, examples: Sequence[Example]) -> Scored:
    rows, labels, known = [], [], []
    for e in examples:
        ids, _ = encode(e.text, model.vocabulary, model.max_length)
        if ids:
            rows.append(ids)
            labels.append(e.label)
            known.append(known_token_count(ids))
    logits = [model.logits(*pad_batch(rows[i : i + 256])) for i in range(0, len(rows), 256)]
    return Scored(np.concatenate(logits).astype(np.float64), np.array(labels), np.array(known),
                  len(examples) - len(rows))


def probabilities(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def nll(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    p = probabilities(logits, temperature)
    return float(-np.mean(np.log(np.clip(p[np.arange(len(labels)), labels], 1e-12, None))))


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood (Guo et al., 2017)."""
    result = minimize_scalar(lambda log_t: nll(logits, labels, float(np.exp(log_t))), bounds=(-3.0, 3.0),
                             method="bounded", options={"xatol": 1e-6})
    return float(np.exp(result.x))


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = BINS) -> list[dict[str, float]]:
    """Equal-width bins of the top probability over [0.5, 1]: count, mean confidence, accuracy."""
    edges = np.linspace(0.5, 1.0, bins + 1)
    index = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    out = []
    for b in range(bins):
        m = index == b
        out.append({"low": float(edges[b]), "high": float(edges[b + 1]), "count": int(m.sum()),
                    "confidence": float(confidence[m].mean()) if m.any() else float("nan"),
                    "accuracy": float(correct[m].mean()) if m.any() else float("nan")})
    return out


def ece(confidence: np.ndarray, correct: np.ndarray, bins: int = BINS) -> float:
    """Expected calibration error: the count-weighted mean |accuracy - confidence| over the bins."""
    total = len(confidence)
    return float(sum(b["count"] / total * abs(b["accuracy"] - b["confidence"])
                     for b in reliability(confidence, correct, bins) if b["count"]))


def calibration_figures(scored: Scored, temperature: float) -> dict[str, float]:
    binary = scored.labels < NEUTRAL
    logits, labels = scored.logits[binary], scored.labels[binary]
    before, after = probabilities(logits), probabilities(logits, temperature)
    correct = before.argmax(1) == labels
    return {
        "texts": int(binary.sum()),
        "accuracy": float(correct.mean()),
        "accuracy_after": float((after.argmax(1) == labels).mean()),
        "ece_before": ece(before.max(1), correct),
        "ece_after": ece(after.max(1), correct),
        "nll_before": nll(logits, labels, 1.0),
        "nll_after": nll(logits, labels, temperature),
    }


def choose_min_probability(confidence: np.ndarray, correct: np.ndarray) -> float:
    """The lowest threshold of the grid whose kept texts are at least TARGET_KEPT_ACCURACY accurate."""
    for t in PROBABILITY_GRID:
        kept = confidence >= t
        if kept.any() and correct[kept].mean() >= TARGET_KEPT_ACCURACY:
            return t
    return PROBABILITY_GRID[-1]


def known_token_groups(known: np.ndarray, correct: np.ndarray, top: int = 6) -> list[dict[str, float]]:
    """Texts by known-token count (the last group: `top` or more): count and accuracy."""
    out = []
    for k in range(top + 1):
        m = known >= k if k == top else known == k
        out.append({"known_tokens": k, "or_more": k == top, "count": int(m.sum()),
                    "accuracy": float(correct[m].mean()) if m.any() else float("nan")})
    return out


def choose_min_known_tokens(known: np.ndarray, correct: np.ndarray, top: int = 6) -> int:
    """The largest k (at most `top`) such that the texts with fewer than k known tokens, together, are classified
    less than KNOWN_TOKEN_MAX_ACCURACY accurately: their labels are guesses. At least 1: a text without a known
    token is a guess whatever the few such texts of the validation split say."""
    chosen = 1
    for k in range(2, top + 1):
        fewer = known < k
        if fewer.any() and correct[fewer].mean() < KNOWN_TOKEN_MAX_ACCURACY:
            chosen = k
    return chosen


def risk_coverage(scored: Scored, temperature: float, min_known: int,
                  thresholds: Sequence[float] = TABLE_THRESHOLDS) -> list[dict[str, float]]:
    """Per threshold: neutral rows flagged `uncertain`, positive/negative rows kept, accuracy on those kept."""
    p = probabilities(scored.logits, temperature)
    confidence, predicted = p.max(1), p.argmax(1)
    binary = scored.labels < NEUTRAL
    rows = []
    for t in thresholds:
        uncertain = (confidence < t) | (scored.known < min_known)
        kept = binary & ~uncertain
        rows.append({
            "threshold": float(t),
            "neutral": int((~binary).sum()),
            "neutral_flagged": int((~binary & uncertain).sum()),
            "binary": int(binary.sum()),
            "binary_kept": int(kept.sum()),
            "accuracy_kept": float((predicted[kept] == scored.labels[kept]).mean()) if kept.any() else float("nan"),
        })
    return rows


def _binary_known_token_groups(scored: Scored) -> list[dict[str, float]]:
    binary = scored.subset(scored.labels < NEUTRAL)
    return known_token_groups(binary.known, probabilities(binary.logits).argmax(1) == binary.labels)


def read_test_set_with_neutral(path: Path) -> list[Example]:
    """Every row of the hand-labelled test set: negative 0, positive 1, neutral 2."""
    mapping = {"0": 0, "4": 1, "2": NEUTRAL}
    with require_file(path).open(encoding="utf-8", errors="replace", newline="") as f:
        return [Example(row[1], mapping[row[0]]) for row in csv.reader(f) if len(row) >= 2 and row[0] in mapping]


def bake_temperature(source: Path, target: Path, temperature: float, version: str,
                     calibration: dict[str, object]) -> None:
    """The source model with its final Gemm's weight and bias divided by the temperature: the same contract,
    logits / T. The metadata gets the new version and a `sentiment.calibration` record."""
    proto = onnx.load(str(source))
    for init in proto.graph.initializer:
        if init.name in ("fc_W", "fc_b"):
            scaled = (numpy_helper.to_array(init).astype(np.float64) / temperature).astype(np.float32)
            init.CopyFrom(numpy_helper.from_array(scaled, init.name))
    props = {p.key: p.value for p in proto.metadata_props}
    props["sentiment.model_version"] = version
    props["sentiment.calibration"] = json.dumps(calibration, sort_keys=True)
    del proto.metadata_props[:]
    onnx.helper.set_model_props(proto, props)
    write_atomically(proto, target)


def plot(report: dict[str, object], scored_reference_b: Scored, test: Scored, temperature: float,
         min_known: int, figures: Path) -> list[Path]:
    """The card's figures (matplotlib, Agg): reliability diagram, risk-coverage curve, confidence histograms."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures.mkdir(parents=True, exist_ok=True)
    written = []

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5), sharey=True)
    for ax, (title, scored) in zip(axes, (("validation half B, reference model", scored_reference_b),
                                          ("hand-labelled test set, bundled model", test)), strict=True):
        binary = scored.labels < NEUTRAL
        logits, labels = scored.logits[binary], scored.labels[binary]
        for t, name, marker in ((1.0, "before", "o"), (temperature, f"after (T={temperature:.2f})", "s")):
            p = probabilities(logits, t)
            bins = [b for b in reliability(p.max(1), p.argmax(1) == labels, 10) if b["count"] >= 5]
            e = ece(p.max(1), p.argmax(1) == labels)
            ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], marker=marker,
                    label=f"{name}: ECE {e:.3f}")
        ax.plot([0.5, 1], [0.5, 1], color="grey", linestyle=":", label="perfect calibration")
        ax.set_title(f"{title} ({len(labels)} texts)", fontsize=10)
        ax.set_xlabel("probability of the predicted label")
        ax.legend(fontsize=8)
    axes[0].set_ylabel("accuracy")
    fig.suptitle("Reliability diagram (bins of width 0.05 with at least 5 texts)")
    fig.tight_layout()
    written.append(_save(fig, figures / "reliability.png"))

    p = probabilities(test.logits, temperature)
    confidence = p.max(1)
    binary = test.labels < NEUTRAL
    grid = [round(0.50 + 0.01 * k, 2) for k in range(50)]
    rows = risk_coverage(test, temperature, 0, grid)
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    ax.plot([r["binary_kept"] / r["binary"] for r in rows], [r["accuracy_kept"] for r in rows],
            label="positive/negative rows: accuracy of those kept")
    ax.plot([r["binary_kept"] / r["binary"] for r in rows], [r["neutral_flagged"] / r["neutral"] for r in rows],
            label="neutral rows flagged uncertain (share)")
    chosen = report["thresholds"]["min_probability"]  # type: ignore[index]
    ax.axvline(float((binary & (confidence >= chosen)).sum() / binary.sum()), color="grey", linestyle=":",
               label=f"uncertain.min.probability={chosen}")
    ax.set_xlabel("coverage: share of positive/negative rows kept")
    ax.set_title(f"Risk-coverage on the hand-labelled test set ({int(binary.sum())} + {int((~binary).sum())} "
                 "neutral)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    written.append(_save(fig, figures / "risk-coverage.png"))

    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for label, name in ((0, "negative"), (1, "positive"), (NEUTRAL, "neutral")):
        ax.hist(p[test.labels == label, 1], bins=[k / 20 for k in range(21)], histtype="step", linewidth=1.8,
                label=f"{name} rows ({int((test.labels == label).sum())})")
    ax.set_xlabel("probability of `positive` (calibrated)")
    ax.set_ylabel("texts")
    ax.set_title("Hand-labelled test set: the bundled model's probabilities by true label", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    written.append(_save(fig, figures / "confidence-histograms.png"))
    return written


def _save(fig: object, path: Path) -> Path:
    fig.savefig(path, dpi=80)  # type: ignore[attr-defined]
    import matplotlib.pyplot as plt

    plt.close(fig)  # type: ignore[arg-type]
    return path


def run(args: argparse.Namespace) -> dict[str, object]:
    data = args.data
    examples = read_lines(data / NEGATIVE_FILE, 0) + read_lines(data / POSITIVE_FILE, 1)
    _, validation = stratified_split(examples, 0.1, 42)  # the training pipeline's split
    half_b, half_a = stratified_split(validation, 0.5, args.seed)
    reference = OnnxClassifier(args.reference)
    a, b = score(reference, half_a), score(reference, half_b)
    temperature = fit_temperature(a.logits, a.labels)
    log.info("temperature %.4f (fitted on %d validation texts of half A)", temperature, len(a.labels))

    pa = probabilities(a.logits, temperature)
    correct_a = pa.argmax(1) == a.labels
    min_probability = choose_min_probability(pa.max(1), correct_a)
    min_known = choose_min_known_tokens(a.known, correct_a)
    pb = probabilities(b.logits, temperature)
    correct_b = pb.argmax(1) == b.labels
    kept_b = (pb.max(1) >= min_probability) & (b.known >= min_known)

    bundled = OnnxClassifier(args.model)
    test = score(bundled, read_test_set_with_neutral(data / TEST_SET_FILE))
    calibration = {"temperature": round(temperature, 4), "fitted_on": "validation half A of the reference model "
                   "(trained on the training split only)", "validation_texts": len(a.labels)}
    report: dict[str, object] = {
        "protocol": __doc__.split("Protocol", 1)[1].strip() if __doc__ else "",
        "command": "python -m training.calibration " + " ".join(_quoted(sys.argv[1:])),
        "reference_model": str(args.reference),
        "reference_description": args.reference_description,
        "bundled_model": str(args.model),
        "temperature": temperature,
        "validation_half_a": {"texts": len(a.labels), **calibration_figures(a, temperature)},
        "validation_half_b": {"texts": len(b.labels), **calibration_figures(b, temperature),
                              "reliability_before": reliability(probabilities(b.logits).max(1), correct_b),
                              "reliability_after": reliability(pb.max(1), correct_b)},
        "thresholds": {
            "min_probability": min_probability,
            "min_probability_rule": f"lowest of 0.50, 0.51, ... 0.99 whose kept validation-A texts are at least "
                                    f"{TARGET_KEPT_ACCURACY:.0%} accurate (calibrated probabilities)",
            "min_known_tokens": min_known,
            "min_known_tokens_rule": f"largest k (at most 6, at least 1) whose validation-A texts with fewer "
                                     f"known tokens are, together, classified below "
                                     f"{KNOWN_TOKEN_MAX_ACCURACY:.0%}",
            "known_token_groups_a": known_token_groups(a.known, correct_a),
            "known_token_groups_b": known_token_groups(b.known, correct_b),
            "validation_b_kept": int(kept_b.sum()),
            "validation_b_accuracy_kept": float(correct_b[kept_b].mean()),
            "validation_b_accuracy_all": float(correct_b.mean()),
        },
        "test_set": {
            "file": TEST_SET_FILE,
            "without_tokens": test.without_tokens,
            **calibration_figures(test, temperature),
            "risk_coverage": risk_coverage(test, temperature, 0),
            "risk_coverage_with_known_rule": risk_coverage(test, temperature, min_known),
            "recommended": risk_coverage(test, temperature, min_known, (min_probability,))[0],
            "known_token_groups": _binary_known_token_groups(test),
        },
    }
    if args.output is not None:
        bake_temperature(args.model, args.output, temperature, args.version, calibration)
        baked = score(OnnxClassifier(args.output), read_test_set_with_neutral(data / TEST_SET_FILE))
        expected = probabilities(test.logits, temperature)
        baked_validation = score(OnnxClassifier(args.output), validation)
        bundled_validation = score(bundled, validation)
        report["baked_model"] = {"path": str(args.output), "version": args.version,
                                 "labels_changed_on_validation": int(
                                     (baked_validation.logits.argmax(1) != bundled_validation.logits.argmax(1)).sum()),
                                 "labels_changed_on_test_set": int(
                                     (baked.logits.argmax(1) != test.logits.argmax(1)).sum()),
                                 "max_abs_probability_difference_vs_python_temperature":
                                     float(np.abs(probabilities(baked.logits) - expected).max())}
    if args.figures is not None:
        report["figures"] = [str(p) for p in plot(report, b, test, temperature, min_known, args.figures)]
    if args.report is not None:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=2, default=_json_default) + "\n", encoding="utf-8")
    return report


def _quoted(argv: Sequence[str]) -> list[str]:
    return [f'"{a}"' if " " in a else a for a in argv]


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m training.calibration", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reference", type=Path, required=True,
                   help="the bundled recipe trained on the training split only (validation unseen)")
    p.add_argument("--reference-description", default="the bundled recipe trained on the training split only",
                   help="what the reference model is, for the report and the card")
    p.add_argument("--model", type=Path, required=True, help="the model to calibrate (the bundled one)")
    p.add_argument("--output", type=Path, default=None, help="write the calibrated model here")
    p.add_argument("--version", default="1.2.0", help="model version of the calibrated model")
    p.add_argument("--data", type=Path, default=default_data_dir())
    p.add_argument("--seed", type=int, default=21, help="seed of the split of the validation texts into A and B")
    p.add_argument("--report", type=Path, default=None)
    p.add_argument("--figures", type=Path, default=None, help="folder for the PNG figures")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    report = run(parser().parse_args(argv))
    print(json.dumps({k: report[k] for k in ("temperature", "validation_half_b", "thresholds")}, indent=1,
                     default=_json_default)[:3000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
