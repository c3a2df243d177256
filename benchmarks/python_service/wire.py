"""Avro single-object encoding of the project's schemas, with fastavro.

A message is the marker ``C3 01``, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's
parsing canonical form, then the Avro binary body: the same bytes as the Java service's ``AvroCodec`` (Avro's
``BinaryMessageEncoder``). Only the current version of each schema is known, as in the Java service today.

Timestamps stay plain ``long`` milliseconds: the schemas' ``timestamp-millis`` logical types are dropped before
fastavro parses them (a parsing canonical form has no logical types, so the fingerprint does not change), which
spares a ``datetime`` per field and keeps the values exactly as they were written.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from fastavro import parse_schema, schemaless_reader, schemaless_writer
from fastavro.schema import fingerprint, to_parsing_canonical_form

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = REPO_ROOT / "schemas"
MARKER = b"\xc3\x01"
HEADER_LENGTH = 10


class UndecodableRecord(ValueError):
    """The bytes are not a message of the codec's schema; the message says what is wrong."""


def _without_logical_types(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _without_logical_types(v) for k, v in schema.items() if k != "logicalType"}
    if isinstance(schema, list):
        return [_without_logical_types(s) for s in schema]
    return schema


class SingleObjectCodec:
    """Encodes and decodes one record schema in Avro's single-object encoding."""

    def __init__(self, schema_file: Path) -> None:
        with schema_file.open(encoding="utf-8") as f:
            schema = json.load(f)
        self.name: str = schema["name"]
        # fastavro's CRC-64-AVRO fingerprint is the hex of the 8 bytes in the order the header carries them.
        self.header: bytes = MARKER + bytes.fromhex(fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO"))
        self._schema = parse_schema(_without_logical_types(schema), named_schemas={})

    @property
    def fingerprint(self) -> int:
        """The fingerprint as the signed 64-bit number Java's ``SchemaNormalization.parsingFingerprint64`` gives."""
        return int.from_bytes(self.header[2:], "little", signed=True)

    def encode(self, record: dict[str, Any]) -> bytes:
        out = io.BytesIO()
        out.write(self.header)
        schemaless_writer(out, self._schema, record, strict=True)
        return out.getvalue()

    def decode(self, value: bytes) -> dict[str, Any]:
        """The record, or UndecodableRecord. Unlike the Java codec, declared lengths are not checked against the
        bytes present before fastavro reads them; truncated and trailing bytes are refused all the same."""
        if len(value) < HEADER_LENGTH:
            raise UndecodableRecord(
                f"The value is {len(value)} bytes, shorter than the 10-byte header of Avro single-object encoding"
            )
        if value[:2] != MARKER:
            raise UndecodableRecord(
                f"The value does not start with the Avro single-object marker C3 01 (it starts with {value[:2].hex(' ').upper()})"
            )
        if value[:HEADER_LENGTH] != self.header:
            found = int.from_bytes(value[2:HEADER_LENGTH], "little")
            raise UndecodableRecord(
                f"Unknown Avro schema fingerprint {found:016x}: not a known version of {self.name}"
                f" (known: {int.from_bytes(self.header[2:], 'little'):016x})"
            )
        body = io.BytesIO(value)
        body.seek(HEADER_LENGTH)
        try:
            record = schemaless_reader(body, self._schema, None)
        except EOFError as e:
            raise UndecodableRecord(f"The Avro {self.name} is truncated: the value ends inside the record") from e
        except Exception as e:  # fastavro raises many unrelated types on malformed bodies (ValueError, IndexError...)
            raise UndecodableRecord(f"Malformed Avro {self.name}: {type(e).__name__}: {e}") from e
        trailing = len(value) - body.tell()
        if trailing > 0:
            raise UndecodableRecord(
                f"Malformed Avro {self.name}: {trailing} unexpected bytes after the end of the record"
            )
        if not isinstance(record, dict):
            raise UndecodableRecord(f"Malformed Avro {self.name}: the body is not a record")
        return record


def text_events() -> SingleObjectCodec:
    """The codec of the input topic's TextEvent (schemas/text-event.avsc)."""
    return SingleObjectCodec(SCHEMAS / "text-event.avsc")


def sentiment_events() -> SingleObjectCodec:
    """The codec of the output topic's SentimentEvent (schemas/sentiment-event.avsc)."""
    return SingleObjectCodec(SCHEMAS / "sentiment-event.avsc")
