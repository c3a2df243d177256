"""The baseline's pure path (decode -> tokenize -> classify -> encode) against the Java service's contract: the
shared parity and tokenizer vectors, and Avro bytes written by the Java classes (java-wire-samples.json, made by
WireSamples.java). No Kafka."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks.python_service import processing
from benchmarks.python_service.model import Classifier, Encoded
from benchmarks.python_service.processing import Accepted, Rejected
from benchmarks.python_service.wire import (
    REPO_ROOT,
    SingleObjectCodec,
    UndecodableRecord,
    sentiment_events,
    text_events,
)
from training.vocab import UNK_ID

VECTORS = REPO_ROOT / "src/test/resources/model"
JAVA_SAMPLES = json.loads((Path(__file__).parent / "java-wire-samples.json").read_text(encoding="utf-8"))
TOLERANCE = 1e-5


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


PARITY = read_jsonl(VECTORS / "parity-vectors.jsonl")


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier()


@pytest.fixture(scope="module")
def inputs() -> SingleObjectCodec:
    return text_events()


@pytest.fixture(scope="module")
def outputs() -> SingleObjectCodec:
    return sentiment_events()


def softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exps = [math.exp(x - top) for x in logits]
    return [e / sum(exps) for e in exps]


def text_event(codec: SingleObjectCodec, text: str, **fields: object) -> bytes:
    return codec.encode(
        {"id": "id", "text": text, "event_time": 1_700_000_000_000, "source": None, "language": None, "attributes": {}}
        | fields
    )


def utf8_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:  # unpaired surrogates: no Avro string can carry them
        return False


def test_should_encode_every_tokenizer_vector_to_its_ids_with_the_models_vocabulary(classifier: Classifier) -> None:
    vectors = read_jsonl(VECTORS / "tokenizer-vectors.jsonl")
    wrong = [v["text"] for v in vectors if classifier.encode(v["text"]).ids != v["ids"]]
    assert len(vectors) > 300
    assert wrong == []


def test_should_reproduce_the_parity_logits_of_each_text_run_alone(classifier: Classifier) -> None:
    worst = 0.0
    for vector in PARITY:
        encoded = classifier.encode(vector["text"])
        assert encoded.ids == vector["ids"], vector["text"]
        logits = classifier.logits([encoded])[0]
        worst = max(worst, *(abs(a - b) for a, b in zip(logits, vector["logits"])))
    assert worst <= TOLERANCE


def test_should_give_each_text_the_same_logits_inside_a_padded_batch_of_32(classifier: Classifier) -> None:
    worst = 0.0
    for start in range(0, len(PARITY), 32):
        chunk = PARITY[start : start + 32]
        logits = classifier.logits([Encoded(v["ids"], len(v["ids"])) for v in chunk])
        for row, vector in zip(logits, chunk):
            worst = max(worst, *(abs(a - b) for a, b in zip(row, vector["logits"])))
    assert worst <= TOLERANCE


def test_should_turn_text_events_into_the_sentiment_events_the_parity_vectors_predict(
    classifier: Classifier, inputs: SingleObjectCodec, outputs: SingleObjectCodec
) -> None:
    vectors = [v for v in PARITY if utf8_encodable(v["text"])]
    checked = 0
    for start in range(0, len(vectors), 32):
        chunk = vectors[start : start + 32]
        values = [
            text_event(inputs, v["text"], id=f"id-{start + i}", source="test", attributes={"k": "v"})
            for i, v in enumerate(chunk)
        ]
        verdicts = [processing.validate(value, inputs, classifier, 4096) for value in values]
        assert all(isinstance(v, Accepted) for v in verdicts)
        accepted = [v for v in verdicts if isinstance(v, Accepted)]
        predictions = processing.classify(accepted, classifier)
        for i, (verdict, prediction, vector) in enumerate(zip(accepted, predictions, chunk)):
            event = outputs.decode(outputs.encode(processing.result_event(verdict, prediction, classifier, 42)))
            expected = softmax(vector["logits"])
            assert event["id"] == f"id-{start + i}"
            assert abs(event["probabilities"]["negative"] - expected[0]) <= TOLERANCE
            assert abs(event["probabilities"]["positive"] - expected[1]) <= TOLERANCE
            if abs(vector["logits"][0] - vector["logits"][1]) > 10 * TOLERANCE:  # a near tie may go either way
                assert event["label"] == ("positive" if vector["logits"][1] > vector["logits"][0] else "negative")
            assert (event["model_name"], event["model_version"]) == (classifier.name, classifier.version)
            assert (event["event_time"], event["classified_at"]) == (1_700_000_000_000, 42)
            assert (event["source"], event["attributes"], event["text"]) == ("test", {"k": "v"}, None)
            assert event["token_count"] >= len(vector["ids"])
            assert event["truncated"] == (event["token_count"] > len(vector["ids"]))
            assert event["known_token_count"] == sum(1 for i in vector["ids"] if i != UNK_ID)
            checked += 1
    assert checked > 300


def test_should_mark_a_text_over_the_maximum_length_as_truncated(
    classifier: Classifier, inputs: SingleObjectCodec
) -> None:
    verdict = processing.validate(text_event(inputs, " ".join(["long"] * 100)), inputs, classifier, 4096)
    assert isinstance(verdict, Accepted)
    assert (len(verdict.encoded.ids), verdict.encoded.token_count, verdict.encoded.truncated) == (64, 100, True)


def test_should_share_the_java_services_schema_fingerprints(
    inputs: SingleObjectCodec, outputs: SingleObjectCodec
) -> None:
    assert f"{inputs.fingerprint & (2**64 - 1):016x}" == JAVA_SAMPLES["text_event_fingerprint"]
    assert f"{outputs.fingerprint & (2**64 - 1):016x}" == JAVA_SAMPLES["sentiment_event_fingerprint"]


def test_should_decode_text_events_encoded_by_the_java_classes(inputs: SingleObjectCodec) -> None:
    full = inputs.decode(bytes.fromhex(JAVA_SAMPLES["text_event_full"]))
    minimal = inputs.decode(bytes.fromhex(JAVA_SAMPLES["text_event_minimal"]))
    assert full == {
        "id": "id-1",
        "text": "I love this phone \u2764\ufe0f caf\u00e9",
        "event_time": 1_700_000_000_123,
        "source": "twitter",
        "language": "en",
        "attributes": {"lang": "en", "caf\u00e9": "\u263a"},
    }
    assert minimal == {
        "id": "id-2",
        "text": "this is the worst day ever",
        "event_time": 0,
        "source": None,
        "language": None,
        "attributes": {},
    }


def test_should_encode_a_sentiment_event_to_the_same_bytes_as_the_java_classes(outputs: SingleObjectCodec) -> None:
    java_bytes = bytes.fromhex(JAVA_SAMPLES["sentiment_event"])
    event = {
        "id": "id-1",
        "label": "positive",
        "probabilities": {"negative": 0.14050457, "positive": 0.8594954},
        "model_name": "sentiment-bilstm",
        "model_version": "1.1.0",
        "event_time": 1_700_000_000_123,
        "classified_at": 1_700_000_000_456,
        "token_count": 7,
        "truncated": False,
        "source": "twitter",
        "attributes": {"lang": "en", "caf\u00e9": "\u263a"},
        "text": None,
        "known_token_count": 6,
    }
    assert outputs.encode(event) == java_bytes


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "NULL_VALUE"),
        (b"", "UNDECODABLE"),
        (b"\x00\x01" + bytes(20), "UNDECODABLE"),
        (b"\xc3\x01" + bytes(8) + b"\x02a", "UNDECODABLE"),  # unknown fingerprint
        (bytes.fromhex(JAVA_SAMPLES["text_event_minimal"])[:-3], "UNDECODABLE"),  # truncated
        (bytes.fromhex(JAVA_SAMPLES["text_event_minimal"]) + b"\x00", "UNDECODABLE"),  # trailing byte
    ],
)
def test_should_reject_values_that_are_not_text_events(
    value: bytes | None, reason: str, classifier: Classifier, inputs: SingleObjectCodec
) -> None:
    verdict = processing.validate(value, inputs, classifier, 4096)
    assert isinstance(verdict, Rejected)
    assert verdict.reason == reason


def test_should_reject_invalid_utf8_as_undecodable_naming_the_exception(
    classifier: Classifier, inputs: SingleObjectCodec
) -> None:
    header = inputs.header
    value = header + b"\x04id" + b"\x04\xff\xfe" + b"\x00" + b"\x00\x00\x00"  # id, text (bad), time, 2 nulls, {}
    verdict = processing.validate(value, inputs, classifier, 4096)
    assert isinstance(verdict, Rejected)
    assert (verdict.reason, verdict.exception) == ("UNDECODABLE", "UnicodeDecodeError")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "EMPTY_TEXT"),
        (" \t\n", "EMPTY_TEXT"),
        ("\u00a0\u2003\u3000", "EMPTY_TEXT"),  # no-break and other space separators are blank in Java too
        ("\u0085", "NO_TOKENS"),  # NEL: Python's isspace() says yes, Java's isWhitespace no; no token either way
        ("\u200b\ufeff", "NO_TOKENS"),  # format characters only
        ("a" * 4097, "TEXT_TOO_LONG"),
        ("\u00e9" * 2049, "TEXT_TOO_LONG"),  # 4098 bytes in UTF-8
    ],
)
def test_should_reject_texts_as_the_java_service_does(
    text: str, reason: str, classifier: Classifier, inputs: SingleObjectCodec
) -> None:
    verdict = processing.validate(text_event(inputs, text), inputs, classifier, 4096)
    assert isinstance(verdict, Rejected)
    assert verdict.reason == reason
    assert text == "" or text not in verdict.message  # messages never echo the text


def test_should_reject_a_value_over_512_kib_whose_text_fits(classifier: Classifier, inputs: SingleObjectCodec) -> None:
    value = text_event(inputs, "fine", attributes={"big": "x" * (512 * 1024)})
    verdict = processing.validate(value, inputs, classifier, 4096)
    assert isinstance(verdict, Rejected)
    assert verdict.reason == "RECORD_TOO_LARGE"


def test_should_replace_earlier_dead_letter_headers_and_keep_the_others() -> None:
    headers = processing.dead_letter_headers(
        [("trace", b"abc"), ("sentiment.error.reason", b"OLD")],
        Rejected("EMPTY_TEXT", "The text is empty"),
        "in",
        3,
        42,
    )
    assert headers == [
        ("trace", b"abc"),
        ("sentiment.error.reason", b"EMPTY_TEXT"),
        ("sentiment.error.message", b"The text is empty"),
        ("sentiment.source.topic", b"in"),
        ("sentiment.source.partition", b"3"),
        ("sentiment.source.offset", b"42"),
    ]


def test_should_refuse_to_encode_a_record_missing_a_field(outputs: SingleObjectCodec) -> None:
    with pytest.raises(ValueError):
        outputs.encode({"id": "x"})


def test_should_name_the_unknown_fingerprint(inputs: SingleObjectCodec) -> None:
    with pytest.raises(UndecodableRecord, match="Unknown Avro schema fingerprint 0807060504030201"):
        inputs.decode(b"\xc3\x01\x01\x02\x03\x04\x05\x06\x07\x08\x00")
