"""The command around the pipeline: options built once, report records, refusals and exit codes."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import pytest

from training import card, train, vectors
from training.checks import CheckResult
from training.data import REPO_ROOT
from training.export import InvalidModelError
from training.model import BiLSTMClassifier

from .conftest import BUNDLED_MODEL, SAMPLE_NEGATIVE, SAMPLE_POSITIVE

REPORTS = REPO_ROOT / "training/reports"
SAMPLE = ["--negative", str(SAMPLE_NEGATIVE), "--positive", str(SAMPLE_POSITIVE)]


def tiny(tmp_path: Path, *extra: str) -> list[str]:
    return [*SAMPLE, "--test-set", "none", "--limit", "100", "--sizes", "8", "--epochs", "1", "--max-steps", "2",
            "--w2v-epochs", "1", "--min-count", "1", "--invariance-texts", "20",
            "--output", str(tmp_path / "model.onnx"), "--vectors-dir", str(tmp_path / "vectors"), *extra]


def test_options_are_built_once_from_the_command_line_and_cannot_change():
    options = train.Options.parse(["--test-set", "none", "--sizes", "8,16", "--from-search", "s.json"])
    assert options.test_set is None
    assert options.settings.sizes == (8, 16)
    assert options.final_fit_on_all_texts and not options.refit_all
    assert options.command_line == "python -m training.train --test-set none --sizes 8,16 --from-search s.json"
    attribute = "refit_all"
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(options, attribute, True)


def test_a_list_that_is_not_numbers_is_refused_naming_its_option():
    with pytest.raises(train.TrainingInputError, match=r"--learning-rates '0\.001,fast'"):
        train.Options.parse(["--learning-rates", "0.001,fast"])


def test_validate_only_and_from_search_together_are_refused():
    with pytest.raises(train.TrainingInputError, match="give one of them"):
        train.Options.parse(["--validate-only", "--from-search", "s.json"])


def test_records_reproduce_the_committed_reports_keys_in_their_order():
    search = json.loads((REPORTS / "search-b.json").read_text(encoding="utf-8"))
    settings = train.Settings.from_record(search["settings"], threads=1)
    assert json.loads(json.dumps(settings.to_record())) == search["settings"]
    assert list(settings.to_record()) == list(search["settings"]) == [f.name for f in dataclasses.fields(settings)]
    for record in [search["chosen"], *search["candidates"]]:
        assert list(train.Candidate.from_record(record).to_record().items()) == list(record.items())


def test_a_report_that_is_not_a_search_report_is_refused_by_name(tmp_path):
    with pytest.raises(train.TrainingInputError, match=r"size-comparison\.json: not a report of a --validate-only "
                                                       r"search \(missing settings\.dropouts, "):
        train.load_search_report(REPORTS / "size-comparison.json")  # written before dropouts were compared
    garbled = tmp_path / "garbled.json"
    garbled.write_text("{", encoding="utf-8")
    with pytest.raises(train.TrainingInputError, match=r"garbled\.json: not JSON"):
        train.load_search_report(garbled)
    with pytest.raises(train.TrainingInputError, match=r"absent\.json: no such search report"):
        train.load_search_report(tmp_path / "absent.json")


def test_a_run_without_the_corpus_stops_at_once_with_exit_2_and_says_where_to_get_it(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SENTIMENT140_DIR", str(tmp_path / "nowhere"))  # the default data folder
    with caplog.at_level(logging.ERROR, logger="training.train"):
        assert train.main(["--output", str(tmp_path / "model.onnx"), "--vectors-dir", str(tmp_path / "v")]) == 2
    message = caplog.records[-1].getMessage()
    assert str(tmp_path / "nowhere" / "train-negative-50k.txt") in message
    assert "SENTIMENT140_DIR" in message and "training/README.md" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize(("extra", "message"), [
    (["--test-set", "absent.csv"], "absent.csv: no such data file"),
    (["--card", "CARD.md", "--card-notes", "absent.md"], "--card-notes absent.md: no such file"),
    (["--card", "CARD.md", "--earlier-report", "absent.json"], "--earlier-report absent.json: no such file"),
])
def test_a_missing_input_file_is_reported_before_any_training(tmp_path, monkeypatch, caplog, extra, message):
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.INFO, logger="training.train"):
        assert train.main(tiny(tmp_path, *extra)) == 2
    assert message in caplog.records[-1].getMessage()
    assert not any("validation accuracy" in r.getMessage() for r in caplog.records)
    assert not (tmp_path / "model.onnx").exists()


def _failed_parity(model: BiLSTMClassifier, onnx_model: object, rows: Sequence[Sequence[int]]) -> CheckResult:
    return CheckResult("parity onnxruntime vs pytorch", len(rows), 1.0)


def test_a_model_that_fails_an_export_check_raises_keeps_the_old_file_and_exits_1(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(train, "parity", _failed_parity)
    target = tmp_path / "model.onnx"
    target.write_bytes(b"the deployed model")
    with pytest.raises(InvalidModelError, match="export checks failed: the model was not written"):
        train.run(train.Options.parse(tiny(tmp_path)))
    with caplog.at_level(logging.ERROR, logger="training.train"):
        assert train.main(tiny(tmp_path)) == 1
    assert "parity onnxruntime vs pytorch: " in caplog.records[-1].getMessage()
    assert target.read_bytes() == b"the deployed model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx"]  # no scratch file, no vectors


def test_committed_model_card_is_rendered_from_the_committed_report(tmp_path):
    out = tmp_path / "MODEL_CARD.md"
    card.main(["--report", str(REPORTS / "model-report.json"), "--model", str(BUNDLED_MODEL),
               "--notes", str(REPORTS / "history.md"), "--calibration", str(REPORTS / "calibration.json"),
               "--out", str(out)])
    assert out.read_text(encoding="utf-8") == (BUNDLED_MODEL.parent / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_vectors_command_without_the_corpus_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SENTIMENT140_DIR", str(tmp_path / "nowhere"))
    assert vectors.main(["--out", str(tmp_path / "vectors")]) == 2
    assert "SENTIMENT140_DIR" in capsys.readouterr().err
    assert not (tmp_path / "vectors").exists()
