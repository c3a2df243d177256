"""A tiny end-to-end run of the real pipeline: train a few steps, export, check, write vectors.

The runs train on the committed sample of the corpus (tests/fixtures/sentiment140/), so they need no corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import pytest

from training import train
from training.checks import batch_invariance, parity
from training.encoding import encode, pad_batch
from training.export import InvalidModelError, OnnxClassifier, load_checked, write_atomically
from training.reports import RunReport

from .conftest import SAMPLE_NEGATIVE, SAMPLE_POSITIVE, read_jsonl

SAMPLE = ["--negative", str(SAMPLE_NEGATIVE), "--positive", str(SAMPLE_POSITIVE)]

# A hand-labelled test set in the corpus's format (`label,text`; 0 negative, 2 neutral, 4 positive), made up here:
# the corpus's own test set is never copied into the repository.
HAND_LABELLED = """0,"what a bad, bad day"
4,"love it, love it"
2,"the bus leaves at 5"
4,great phone
0,worst service ever
0," "
"""


def options(*argv: str, command: str = "pytest") -> train.Options:
    return train.Options.parse(argv, command_line=command)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunReport]:
    out = tmp_path_factory.mktemp("tiny")
    (out / "hand-labelled.csv").write_text(HAND_LABELLED, encoding="utf-8")
    return out, train.run(options(
        *SAMPLE, "--test-set", str(out / "hand-labelled.csv"),
        "--limit", "300", "--sizes", "8,12", "--dropouts", "0.1,0.3", "--epochs", "2", "--max-steps", "4",
        "--w2v-epochs", "1",
        "--min-count", "1", "--invariance-texts", "100",
        "--output", str(out / "model.onnx"), "--vectors-dir", str(out),
        "--card", str(out / "MODEL_CARD.md"), "--report", str(out / "report.json"),
    ))


def test_tiny_run_exports_a_model_that_passes_its_checks(tiny_run):
    out, report = tiny_run
    model = OnnxClassifier(out / "model.onnx")
    assert model.labels == ("negative", "positive")
    assert [c["name"] for c in report["checks"]] == ["parity onnxruntime vs pytorch", "batch invariance"]
    assert all(c["max_abs_diff"] <= 1e-5 for c in report["checks"])
    assert {(c["hidden_size"], c["dropout"]) for c in report["candidates"]} == {
        (8, 0.1), (8, 0.3), (12, 0.1), (12, 0.3)}
    evaluation = json.loads(model.metadata["sentiment.evaluation"])
    assert evaluation["test_set"] == "hand-labelled.csv" and 0.0 <= evaluation["test_accuracy"] <= 1.0
    assert evaluation["test_texts"] == 4 and evaluation["test_texts_without_tokens"] == 1  # neutral row left out
    assert "Model card" in (out / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_tiny_run_writes_vectors_the_model_reproduces(tiny_run):
    out, _ = tiny_run
    model = OnnxClassifier(out / "model.onnx")
    rows = read_jsonl(out / "parity-vectors.jsonl")
    assert len(rows) >= 150  # hard cases with tokens + the 60 validation texts of this tiny run
    for row in rows[:50]:
        logits = model.logits(*pad_batch([row["ids"]]))[0]
        assert np.abs(logits - np.array(row["logits"])).max() <= 1e-5
    assert len(read_jsonl(out / "tokenizer-vectors.jsonl")) >= 300


def candidate(size: int, dropout: float, accuracy: float) -> train.Candidate:
    return train.Candidate(embedding_dim=size, hidden_size=size, dropout=dropout, validation_accuracy=accuracy,
                           validation_loss=0.4, best_epoch=1, epochs_run=2, train_seconds=1.0)


def test_selection_prefers_the_smallest_model_within_half_a_point():
    c = [candidate(64, 0.1, 0.800), candidate(128, 0.1, 0.804), candidate(192, 0.1, 0.812), candidate(64, 0.3, 0.809)]
    assert train.select(c[:3], 0.005).hidden_size == 192
    assert train.select(c[:2], 0.005).hidden_size == 64
    assert train.select(c, 0.005).dropout == 0.3


def test_truncated_model_is_refused_with_a_clear_error(tiny_run, tmp_path):
    good = (tiny_run[0] / "model.onnx").read_bytes()
    bad = tmp_path / "truncated.onnx"
    bad.write_bytes(good[: len(good) // 2])
    with pytest.raises(InvalidModelError, match=r"truncated\.onnx: not a valid ONNX model"):
        load_checked(bad)


def test_random_bytes_and_missing_file_are_refused(tmp_path):
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(np.random.default_rng(1).bytes(4096))
    with pytest.raises(InvalidModelError, match=r"junk\.onnx"):
        load_checked(junk)
    with pytest.raises(InvalidModelError, match="no such model file"):
        load_checked(tmp_path / "absent.onnx")


def _edited(source: Path, target: Path, edit) -> Path:
    proto = onnx.load(str(source))
    edit(proto)
    target.write_bytes(proto.SerializeToString())
    return target


def test_wrong_signature_is_refused(tiny_run, tmp_path):
    source = tiny_run[0] / "model.onnx"

    def rename_input(proto):
        proto.graph.input[0].name = "tokens"
        for node in proto.graph.node:
            node.input[:] = ["tokens" if i == "ids" else i for i in node.input]

    bad = _edited(source, tmp_path / "renamed.onnx", rename_input)
    with pytest.raises(InvalidModelError, match=r"inputs are \['lengths', 'tokens'\]"):
        load_checked(bad)


def test_missing_or_inconsistent_metadata_is_refused(tiny_run, tmp_path):
    source = tiny_run[0] / "model.onnx"

    def drop_labels(proto):
        kept = [p for p in proto.metadata_props if p.key != "sentiment.labels"]
        del proto.metadata_props[:]
        proto.metadata_props.extend(kept)

    def tamper_vocabulary(proto):
        for p in proto.metadata_props:
            if p.key == "sentiment.vocabulary":
                p.value = p.value.replace('"<number>"', '"<number>","zzq-not-a-token"', 1)

    def three_labels(proto):
        for p in proto.metadata_props:
            if p.key == "sentiment.labels":
                p.value = '["negative","neutral","positive"]'

    with pytest.raises(InvalidModelError, match=r"'sentiment\.labels' is missing"):
        load_checked(_edited(source, tmp_path / "a.onnx", drop_labels))
    with pytest.raises(InvalidModelError, match=r"does not match 'sentiment\.vocabulary_sha256'"):
        load_checked(_edited(source, tmp_path / "b.onnx", tamper_vocabulary))
    with pytest.raises(InvalidModelError, match="3 labels but the model outputs 2 logits"):
        load_checked(_edited(source, tmp_path / "c.onnx", three_labels))

    def broken_vocabulary(proto):
        for p in proto.metadata_props:
            if p.key == "sentiment.vocabulary":
                p.value = '["<pad>","<unk>"'

    with pytest.raises(InvalidModelError, match=r"'sentiment\.vocabulary' is not a valid vocabulary"):
        load_checked(_edited(source, tmp_path / "d.onnx", broken_vocabulary))


def test_a_bad_model_never_replaces_a_good_one(tiny_run, tmp_path):
    source = tiny_run[0] / "model.onnx"
    target = tmp_path / "deployed.onnx"
    target.write_bytes(source.read_bytes())
    proto = onnx.load(str(source))
    for p in proto.metadata_props:
        if p.key == "sentiment.contract":
            p.value = "sentiment-model/999"
    with pytest.raises(InvalidModelError, match="contract"):
        write_atomically(proto, target)
    assert target.read_bytes() == source.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["deployed.onnx"]


def test_bundled_model_reproduces_committed_parity_vectors(bundled):
    from .conftest import VECTORS

    rows = read_jsonl(VECTORS / "parity-vectors.jsonl")
    assert len(rows) >= 200
    ids, lengths = pad_batch([r["ids"] for r in rows])
    batched = bundled.logits(ids, lengths)
    for row, logits in zip(rows, batched, strict=True):
        assert encode(row["text"], bundled.vocabulary, bundled.max_length)[0] == row["ids"]
        assert np.abs(logits - np.array(row["logits"])).max() <= 1e-5


def test_bundled_model_is_batch_invariant(bundled):
    from .conftest import VECTORS

    rows = [r["ids"] for r in read_jsonl(VECTORS / "parity-vectors.jsonl")]
    rows += [[1], [2] * bundled.max_length]
    assert batch_invariance(bundled, rows).passed


def test_parity_check_detects_a_model_that_differs(tiny_run):
    import torch

    from training.model import BiLSTMClassifier

    out, _ = tiny_run
    onnx_model = OnnxClassifier(out / "model.onnx")
    other = BiLSTMClassifier(len(onnx_model.vocabulary), 8, 8, 2)
    torch.nn.init.normal_(other.classifier.bias, 5.0)
    result = parity(other, onnx_model, [[5, 6, 7], [8]])
    assert not result.passed


def test_validate_only_search_compares_every_rate_and_decay_without_exporting_or_reading_the_test_set(tmp_path):
    report = train.search(options(
        *SAMPLE,
        "--test-set", str(tmp_path / "absent-test-set.csv"),  # would fail if read
        "--limit", "200", "--sizes", "8", "--learning-rates", "0.01,0.001", "--weight-decays", "0,0.1",
        "--epochs", "1", "--max-steps", "3", "--w2v-epochs", "1", "--min-count", "1", "--validate-only",
        "--output", str(tmp_path / "model.onnx"), "--vectors-dir", str(tmp_path),
        "--report", str(tmp_path / "search.json"),
    ))
    assert {(c["learning_rate"], c["weight_decay"]) for c in report["candidates"]} == {
        (0.01, 0.0), (0.01, 0.1), (0.001, 0.0), (0.001, 0.1)}
    written = json.loads((tmp_path / "search.json").read_text(encoding="utf-8"))
    assert "evaluation" not in written and written["chosen"] == report["chosen"]
    assert not (tmp_path / "model.onnx").exists()
    assert not (tmp_path / "parity-vectors.jsonl").exists()


def test_several_validation_checks_an_epoch_record_a_fractional_best_epoch(caplog):
    rows = [[3 + (i % 7), 4, 5 + (i % 3)] for i in range(64)]
    labels = [i % 2 for i in range(64)]
    settings = train.Settings(sizes=(8,), epochs=2, patience=10, batch_size=8, evals_per_epoch=4, lr_decay=0.5)
    init = np.random.default_rng(0).normal(size=(20, 8)).astype(np.float32)
    with caplog.at_level("INFO", logger="training.train"):
        _, candidate = train.train_candidate(settings, init, rows, labels, rows, labels, 8, 0.1, 0.01, 0.0)
    checks = [r.getMessage() for r in caplog.records if "validation accuracy" in r.getMessage()]
    assert [m.split(" epoch ")[1].split(":")[0] for m in checks] == [
        "0.25", "0.50", "0.75", "1.00", "1.25", "1.50", "1.75", "2.00"]
    assert candidate.best_epoch in {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0}
    assert candidate.epochs_run == 2


def test_refit_all_trains_the_chosen_settings_on_every_labelled_text_and_still_passes_the_export_checks(tmp_path):
    report = train.run(options(
        *SAMPLE, "--test-set", "none", "--limit", "200", "--sizes", "8", "--epochs", "1", "--max-steps", "3",
        "--w2v-epochs", "1", "--min-count", "1", "--invariance-texts", "50", "--refit-all",
        "--output", str(tmp_path / "model.onnx"), "--vectors-dir", str(tmp_path),
        "--card", str(tmp_path / "MODEL_CARD.md"), "--report", str(tmp_path / "report.json"),
    ))
    evaluation = report["evaluation"]
    assert evaluation["final_fit_texts"] == 400 and "test_accuracy" not in evaluation
    assert all(c["max_abs_diff"] <= 1e-5 for c in report["checks"])
    data = json.loads(OnnxClassifier(tmp_path / "model.onnx").metadata["sentiment.training_data"])
    assert data["training_texts"] == 400 and data["selection_training_texts"] == 360
    assert "on all 400 labelled texts" in (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_final_fit_runs_exactly_the_chosen_fraction_of_an_epoch(caplog):
    rows = [[3 + (i % 7), 4, 5 + (i % 3)] for i in range(64)]
    labels = [i % 2 for i in range(64)]
    settings = train.Settings(sizes=(8,), batch_size=8)
    init = np.random.default_rng(0).normal(size=(20, 8)).astype(np.float32)
    chosen = train.Candidate(embedding_dim=8, hidden_size=8, dropout=0.1, validation_accuracy=0.8, validation_loss=0.4,
                             best_epoch=1.5, epochs_run=2, train_seconds=1.0, learning_rate=0.01, weight_decay=0.0)
    with caplog.at_level("INFO", logger="training.train"):
        model = train.fit_fixed(settings, init, rows, labels, chosen)
    fits = [r.getMessage() for r in caplog.records if r.getMessage().startswith("final fit")]
    assert [m.split("(")[1].split(" steps")[0] for m in fits] == ["8", "12"]  # 8 batches, then half of them
    assert not model.training


def test_final_fit_from_a_search_report_exports_the_chosen_candidate(tmp_path):
    common = [*SAMPLE, "--test-set", "none", "--limit", "200",
              "--w2v-epochs", "1", "--min-count", "1", "--max-steps", "3", "--invariance-texts", "50",
              "--output", str(tmp_path / "model.onnx"), "--vectors-dir", str(tmp_path)]
    search = train.search(options(
        *common, "--sizes", "8,12", "--epochs", "1", "--validate-only", "--report", str(tmp_path / "search.json"),
        command="pytest search"))
    report = train.run(options(
        *common, "--sizes", "99", "--from-search", str(tmp_path / "search.json"),
        "--card", str(tmp_path / "MODEL_CARD.md"), "--report", str(tmp_path / "report.json"), command="pytest final"))
    model = OnnxClassifier(tmp_path / "model.onnx")
    architecture = json.loads(model.metadata["sentiment.architecture"])
    assert architecture["hidden_size"] == search["chosen"]["hidden_size"]  # not the ignored --sizes 99
    assert report["chosen"] == search["chosen"] and report["search"]["command"] == "pytest search"
    assert "pytest search" in (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_card_can_be_rerendered_from_a_report_with_a_history_section(tiny_run, tmp_path):
    from training import card

    out, _ = tiny_run
    notes = tmp_path / "history.md"
    notes.write_text("- **0.0.1**: the first tiny model\n", encoding="utf-8")
    target = tmp_path / "CARD.md"
    card.main(["--report", str(out / "report.json"), "--model", str(out / "model.onnx"),
               "--notes", str(notes), "--out", str(target)])
    text = target.read_text(encoding="utf-8")
    assert "## History\n- **0.0.1**: the first tiny model\n" in text
    assert text.index("## History") < text.index("## Limits")


def test_final_fit_on_the_training_split_leaves_the_validation_split_unseen(tmp_path):
    common = [*SAMPLE, "--test-set", "none", "--limit", "200",
              "--w2v-epochs", "1", "--min-count", "1", "--max-steps", "3", "--invariance-texts", "50",
              "--output", str(tmp_path / "model.onnx"), "--vectors-dir", str(tmp_path)]
    train.search(options(*common, "--sizes", "8", "--epochs", "1", "--validate-only",
                         "--report", str(tmp_path / "search.json")))
    train.run(options(*common, "--from-search", str(tmp_path / "search.json"), "--final-fit-split", "train"))
    model = OnnxClassifier(tmp_path / "model.onnx")
    data = json.loads(model.metadata["sentiment.training_data"])
    assert data["training_texts"] == data["selection_training_texts"] == 360
    evaluation = json.loads(model.metadata["sentiment.evaluation"])
    assert evaluation["final_fit"] == "the training split only (validation split unseen)"
