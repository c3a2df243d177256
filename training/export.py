"""Builds the ONNX graph of docs/MODEL_CONTRACT.md from trained weights with onnx.helper, and validates files.

The PyTorch exporters handle packed sequences badly (see NOTES.md), so the graph is written by hand:
Gather -> Transpose -> LSTM(bidirectional, sequence_lens) -> Y_h -> Transpose -> Reshape -> Gemm.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import TensorProto, helper, numpy_helper

from .model import BiLSTMClassifier
from .tokenizer import SPEC_VERSION
from .vocab import PAD_ID, UNK_ID, Vocabulary

CONTRACT_VERSION = "sentiment-model/1"
OPSET = 17
IR_VERSION = 9
INPUT_IDS, INPUT_LENGTHS, OUTPUT_LOGITS = "ids", "lengths", "logits"


class InvalidModelError(ValueError):
    """A model file that breaks the contract of docs/MODEL_CONTRACT.md."""


def _onnx_gates(weight: np.ndarray, hidden: int) -> np.ndarray:
    """PyTorch stacks the gates (i, f, g, o) on axis 0; ONNX wants (i, o, f, c)."""
    i, f, g, o = (weight[k * hidden : (k + 1) * hidden] for k in range(4))
    return np.concatenate([i, o, f, g], axis=0)


def build_graph(model: BiLSTMClassifier, metadata: Mapping[str, str]) -> onnx.ModelProto:
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    hidden = model.hidden_size
    labels = sd["classifier.weight"].shape[0]

    def direction(suffix: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        w = _onnx_gates(sd[f"lstm.weight_ih_l0{suffix}"], hidden)
        r = _onnx_gates(sd[f"lstm.weight_hh_l0{suffix}"], hidden)
        b = np.concatenate(
            [_onnx_gates(sd[f"lstm.bias_ih_l0{suffix}"], hidden), _onnx_gates(sd[f"lstm.bias_hh_l0{suffix}"], hidden)]
        )
        return w, r, b

    fw, fr, fb = direction("")
    bw, br, bb = direction("_reverse")
    initializers = [
        numpy_helper.from_array(sd["embedding.weight"], "embedding"),
        numpy_helper.from_array(np.stack([fw, bw]), "lstm_W"),
        numpy_helper.from_array(np.stack([fr, br]), "lstm_R"),
        numpy_helper.from_array(np.stack([fb, bb]), "lstm_B"),
        numpy_helper.from_array(sd["classifier.weight"], "fc_W"),
        numpy_helper.from_array(sd["classifier.bias"], "fc_b"),
        numpy_helper.from_array(np.array([-1, 2 * hidden], dtype=np.int64), "final_shape"),
    ]
    nodes = [
        helper.make_node("Gather", ["embedding", INPUT_IDS], ["embedded"], axis=0),
        helper.make_node("Transpose", ["embedded"], ["time_major"], perm=[1, 0, 2]),
        helper.make_node("Cast", [INPUT_LENGTHS], ["sequence_lens"], to=TensorProto.INT32),
        helper.make_node(
            "LSTM",
            ["time_major", "lstm_W", "lstm_R", "lstm_B", "sequence_lens"],
            ["", "Y_h"],
            hidden_size=hidden,
            direction="bidirectional",
            layout=0,
        ),
        helper.make_node("Transpose", ["Y_h"], ["Y_h_batch_major"], perm=[1, 0, 2]),
        helper.make_node("Reshape", ["Y_h_batch_major", "final_shape"], ["final_hidden"]),
        helper.make_node("Gemm", ["final_hidden", "fc_W", "fc_b"], [OUTPUT_LOGITS], transB=1),
    ]
    graph = helper.make_graph(
        nodes,
        "sentiment_bilstm",
        [
            helper.make_tensor_value_info(INPUT_IDS, TensorProto.INT64, ["batch", "time"]),
            helper.make_tensor_value_info(INPUT_LENGTHS, TensorProto.INT64, ["batch"]),
        ],
        [helper.make_tensor_value_info(OUTPUT_LOGITS, TensorProto.FLOAT, ["batch", labels])],
        initializers,
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="sentiment-stream")
    proto.ir_version = IR_VERSION
    helper.set_model_props(proto, dict(metadata))
    onnx.checker.check_model(proto)
    return proto


def contract_metadata(
    *,
    vocabulary: Vocabulary,
    labels: tuple[str, ...],
    max_length: int,
    name: str,
    version: str,
    architecture: Mapping[str, object],
    training_data: Mapping[str, object],
    evaluation: Mapping[str, object],
    created_at: str,
) -> dict[str, str]:
    return {
        "sentiment.contract": CONTRACT_VERSION,
        "sentiment.model_name": name,
        "sentiment.model_version": version,
        "sentiment.labels": json.dumps(list(labels)),
        "sentiment.max_length": str(max_length),
        "sentiment.tokenizer": SPEC_VERSION,
        "sentiment.pad_id": str(PAD_ID),
        "sentiment.unk_id": str(UNK_ID),
        "sentiment.vocabulary": vocabulary.to_json(),
        "sentiment.vocabulary_sha256": vocabulary.sha256(),
        "sentiment.architecture": json.dumps(architecture, sort_keys=True),
        "sentiment.training_data": json.dumps(training_data, sort_keys=True),
        "sentiment.evaluation": json.dumps(evaluation, sort_keys=True),
        "sentiment.created_at": created_at,
    }


def write_atomically(proto: onnx.ModelProto, target: Path) -> None:
    """Writes to a temporary file beside the target, validates it, then renames it over the target.

    A file that fails validation never replaces the existing model.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(proto.SerializeToString())
        load_checked(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


class OnnxClassifier:
    """An ONNX Runtime session over a checked model file, plus its metadata."""

    def __init__(self, path: Path, threads: int = 1) -> None:
        self.path = path
        self.metadata, self.session = _open_checked(path, threads)
        self.vocabulary = Vocabulary.from_json(self.metadata["sentiment.vocabulary"])
        self.labels: tuple[str, ...] = tuple(json.loads(self.metadata["sentiment.labels"]))
        self.max_length = int(self.metadata["sentiment.max_length"])

    def logits(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        outputs: list[np.ndarray] = self.session.run([OUTPUT_LOGITS], {INPUT_IDS: ids, INPUT_LENGTHS: lengths})
        return outputs[0]


def load_checked(path: Path) -> dict[str, str]:
    """Opens a model file and checks it against the contract; returns its metadata."""
    metadata, _ = _open_checked(path, threads=1)
    return metadata


def _open_checked(path: Path, threads: int) -> tuple[dict[str, str], ort.InferenceSession]:
    if not path.is_file():
        raise InvalidModelError(f"{path}: no such model file")
    try:
        proto = onnx.load(str(path))
        onnx.checker.check_model(proto)
    except Exception as e:  # onnx raises several unrelated types for a damaged file
        raise InvalidModelError(f"{path}: not a valid ONNX model ({type(e).__name__}: {e})") from e
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as e:
        raise InvalidModelError(f"{path}: ONNX Runtime cannot load it ({e})") from e
    _check_signature(path, session)
    metadata = dict(session.get_modelmeta().custom_metadata_map)
    _check_metadata(path, metadata, session)
    return metadata, session


def _check_signature(path: Path, session: ort.InferenceSession) -> None:
    inputs = {i.name: i for i in session.get_inputs()}
    outputs = {o.name: o for o in session.get_outputs()}
    expected_inputs = {INPUT_IDS: ("tensor(int64)", 2), INPUT_LENGTHS: ("tensor(int64)", 1)}
    if set(inputs) != set(expected_inputs):
        raise InvalidModelError(f"{path}: inputs are {sorted(inputs)}, expected {sorted(expected_inputs)}")
    for name, (dtype, rank) in expected_inputs.items():
        if inputs[name].type != dtype or len(inputs[name].shape) != rank:
            raise InvalidModelError(
                f"{path}: input '{name}' is {inputs[name].type} of rank {len(inputs[name].shape)},"
                f" expected {dtype} of rank {rank}"
            )
    if set(outputs) != {OUTPUT_LOGITS}:
        raise InvalidModelError(f"{path}: outputs are {sorted(outputs)}, expected ['{OUTPUT_LOGITS}']")
    out = outputs[OUTPUT_LOGITS]
    if out.type != "tensor(float)" or len(out.shape) != 2:
        raise InvalidModelError(
            f"{path}: output 'logits' is {out.type} of rank {len(out.shape)}, expected float rank 2"
        )


def _check_metadata(path: Path, metadata: dict[str, str], session: ort.InferenceSession) -> None:
    def need(key: str) -> str:
        if key not in metadata:
            raise InvalidModelError(f"{path}: metadata property '{key}' is missing")
        return metadata[key]

    if need("sentiment.contract") != CONTRACT_VERSION:
        raise InvalidModelError(f"{path}: contract {metadata['sentiment.contract']!r}, expected {CONTRACT_VERSION!r}")
    if need("sentiment.tokenizer") != SPEC_VERSION:
        raise InvalidModelError(f"{path}: tokenizer {metadata['sentiment.tokenizer']!r}, expected {SPEC_VERSION!r}")
    try:
        labels = json.loads(need("sentiment.labels"))
    except json.JSONDecodeError as e:
        raise InvalidModelError(f"{path}: 'sentiment.labels' is not JSON ({e})") from e
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise InvalidModelError(f"{path}: 'sentiment.labels' must be a non-empty JSON array of strings")
    width = session.get_outputs()[0].shape[1]
    if isinstance(width, int) and width != len(labels):
        raise InvalidModelError(f"{path}: {len(labels)} labels but the model outputs {width} logits")
    try:
        vocabulary = Vocabulary.from_json(need("sentiment.vocabulary"))
    except (json.JSONDecodeError, TypeError, ValueError) as e:
        raise InvalidModelError(f"{path}: 'sentiment.vocabulary' is not a valid vocabulary ({e})") from e
    if vocabulary.sha256() != need("sentiment.vocabulary_sha256"):
        raise InvalidModelError(f"{path}: the vocabulary does not match 'sentiment.vocabulary_sha256'")
    for key in ("sentiment.pad_id", "sentiment.unk_id", "sentiment.max_length"):
        if not need(key).isdigit():
            raise InvalidModelError(f"{path}: '{key}' must be a non-negative integer, not {metadata[key]!r}")
    for key in ("sentiment.pad_id", "sentiment.unk_id"):
        if not 0 <= int(need(key)) < len(vocabulary):
            raise InvalidModelError(f"{path}: '{key}' is outside the vocabulary")
    if int(need("sentiment.max_length")) < 1:
        raise InvalidModelError(f"{path}: 'sentiment.max_length' must be positive")
    for key in ("sentiment.model_name", "sentiment.model_version"):
        need(key)


def torch_logits(model: BiLSTMClassifier, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        logits: torch.Tensor = model(torch.from_numpy(ids), torch.from_numpy(lengths))
        return logits.numpy()
