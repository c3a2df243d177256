"""What happens to one record, without Kafka: validate (decode, text checks, tokenize), classify a batch, build
the output event or the dead-letter headers. The checks, their order and the reason codes are the Java
service's (stream/RecordValidator, RejectReason, SentimentEvents, DeadLetters)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import Classifier, Encoded, Prediction
from .wire import SingleObjectCodec, UndecodableRecord

# The Java service's limit on an input value (its batch buffer's changelog record must fit in a request).
MAX_VALUE_BYTES = 512 * 1024
DEFAULT_TEXT_MAX_BYTES = 4096

# Java's Character.isWhitespace outside the space separators, plus the separators (isSpaceChar: Zs, Zl, Zp).
_JAVA_WHITESPACE_CONTROLS = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")
_SPACE_SEPARATORS = frozenset({"Zs", "Zl", "Zp"})

# Record headers as confluent-kafka gives and takes them.
Headers = list[tuple[str, str | bytes | None]]

DEAD_LETTER_HEADERS = (
    "sentiment.error.reason",
    "sentiment.error.message",
    "sentiment.error.exception",
    "sentiment.source.topic",
    "sentiment.source.partition",
    "sentiment.source.offset",
)


@dataclass(frozen=True)
class Accepted:
    event: dict[str, Any]
    encoded: Encoded


@dataclass(frozen=True)
class Rejected:
    reason: str  # a RejectReason code of the Java service
    message: str  # never holds the text
    exception: str | None = None  # the type of the exception that found the problem, if one did


def is_blank(text: str) -> bool:
    """The Java service's test: every code point is Java white space or a space separator (so U+0085, which
    Python's str.isspace() accepts, is not blank, and U+00A0 is)."""
    return all(c in _JAVA_WHITESPACE_CONTROLS or unicodedata.category(c) in _SPACE_SEPARATORS for c in text)


def validate(
    value: bytes | None, codec: SingleObjectCodec, classifier: Classifier, text_max_bytes: int
) -> Accepted | Rejected:
    """The first failing check names the reason, in the Java service's order."""
    if value is None:
        return Rejected("NULL_VALUE", "The record value is null (a tombstone); there is no text to classify")
    try:
        event = codec.decode(value)
    except UndecodableRecord as e:
        cause = e.__cause__
        return Rejected("UNDECODABLE", str(e), type(cause).__name__ if cause is not None else None)
    text: str = event["text"]
    if is_blank(text):
        return Rejected(
            "EMPTY_TEXT",
            "The text is empty" if not text else f"The text is only white space ({_java_length(text)} characters)",
        )
    utf8_bytes = len(text.encode("utf-8"))  # strict UTF-8 decoding leaves no surrogate to count
    if utf8_bytes > text_max_bytes:
        return Rejected(
            "TEXT_TOO_LONG", f"The text is {utf8_bytes} bytes in UTF-8, more than text.max.bytes={text_max_bytes}"
        )
    if len(value) > MAX_VALUE_BYTES:
        return Rejected(
            "RECORD_TOO_LARGE",
            f"The record value is {len(value)} bytes, more than the {MAX_VALUE_BYTES} bytes accepted",
        )
    encoded = classifier.encode(text)
    if not encoded.ids:
        return Rejected("NO_TOKENS", f"The tokenizer finds no token in the text ({_java_length(text)} characters)")
    return Accepted(event, encoded)


def _java_length(text: str) -> int:
    """The length Java's String.length() gives (UTF-16 code units), for messages that match the Java service's."""
    return len(text.encode("utf-16-le")) // 2


def classify(batch: Sequence[Accepted], classifier: Classifier) -> list[Prediction]:
    """One model call for the batch."""
    return classifier.classify([a.encoded for a in batch])


def result_event(
    accepted: Accepted, prediction: Prediction, classifier: Classifier, classified_at_ms: int
) -> dict[str, Any]:
    """The SentimentEvent the Java service writes for the same input (text never echoed)."""
    event = accepted.event
    return {
        "id": event["id"],
        "label": prediction.label,
        "probabilities": dict(zip(classifier.labels, prediction.probabilities)),
        "model_name": classifier.name,
        "model_version": classifier.version,
        "event_time": event["event_time"],
        "classified_at": classified_at_ms,
        "token_count": accepted.encoded.token_count,
        "truncated": accepted.encoded.truncated,
        "source": event["source"],
        "attributes": event["attributes"],
        "text": None,
        "known_token_count": accepted.encoded.known_token_count,
    }


def dead_letter_headers(input_headers: Headers, rejected: Rejected, topic: str, partition: int, offset: int) -> Headers:
    """The input's headers (earlier sentiment.* dead-letter headers removed) plus the reason and the source."""
    headers: Headers = [(k, v) for k, v in input_headers if k not in DEAD_LETTER_HEADERS]
    added = [("sentiment.error.reason", rejected.reason), ("sentiment.error.message", rejected.message)]
    if rejected.exception is not None:
        added.append(("sentiment.error.exception", rejected.exception))
    added += [
        ("sentiment.source.topic", topic),
        ("sentiment.source.partition", str(partition)),
        ("sentiment.source.offset", str(offset)),
    ]
    return headers + [(k, v.encode("utf-8")) for k, v in added]
