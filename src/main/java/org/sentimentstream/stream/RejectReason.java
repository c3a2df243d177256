package org.sentimentstream.stream;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.sentimentstream.serde.RecordDecodingException;

/**
 * Why a record went to the dead-letter topic: the stable code in the {@code sentiment.error.reason}
 * header. Codes are never renamed; new ones may be added. The table of reasons in docs/WIRE_FORMATS.md is
 * {@link #describeAll()}.
 */
public enum RejectReason {
    /** The value is null (a tombstone). */
    NULL_VALUE("The value is null (a tombstone): there is no text."),
    /** The value is not a text event in the input format. */
    UNDECODABLE("The value is not a text event in the input format (the message says what is wrong)."),
    /** The text is empty or only white space. */
    EMPTY_TEXT("The text is empty or only white space."),
    /** The text is longer than {@code text.max.bytes} in UTF-8. */
    TEXT_TOO_LONG("The text is longer than `text.max.bytes` in UTF-8; it is not tokenized."),
    /** The tokenizer finds no token in the text (for example only invisible format characters). */
    NO_TOKENS("The tokenizer finds no token in the text (only invisible format characters, say)."),
    /**
     * The record (key, value and headers), or its output, is larger than the service can write under the producer's
     * {@code max.request.size} once the buffer's changelog entry or the dead letter's headers are added
     * ({@link RecordSizes#RESERVED_BYTES}). Its dead letter leaves the value out ({@link DeadLetterHeaders#VALUE_OMITTED}).
     */
    RECORD_TOO_LARGE(
            "The record (key, value and headers), or its output, is over the producer's `max.request.size` less"
                    + " 8 KiB for the batch buffer's changelog entry and the dead-letter headers; its dead letter leaves the"
                    + " value out (header `sentiment.error.value.omitted`)."),
    /**
     * The model failed on this text alone (for example a non-finite output) while it classifies other
     * texts: the record is isolated from its batch so that its partition keeps moving.
     */
    MODEL_ERROR("The model failed on this text alone (isolated from its batch) while it still classifies others."),
    /** The value names a schema registry id that the registry does not have ({@code confluent-avro}). */
    UNKNOWN_SCHEMA_ID("The value names a schema id (`confluent-avro`: bytes 1-4) that the schema registry does not"
            + " have. An unreachable registry never causes this: the service waits for it."),
    /**
     * The value's writer schema exists but cannot be read as a text event ({@code confluent-avro}): Avro
     * schema resolution fails, or it is not an Avro schema.
     */
    INCOMPATIBLE_SCHEMA("The value's writer schema (`confluent-avro`) cannot be read as a text event: Avro schema"
            + " resolution fails (a missing field without a default, a changed type), or it is not Avro"
            + " (with `input.text.field`: it is not a record schema)."),
    /** The field that {@code input.text.field} names is absent or null in the value. */
    FIELD_MISSING("The value has no field at `input.text.field`'s path, or it is null there."),
    /**
     * A field path ({@code input.text.field}, {@code input.id.field}, {@code input.time.field}) meets a value of
     * another type: a non-record on its way (an array, say), or a text that is not a string.
     */
    FIELD_WRONG_TYPE("A field path (`input.text.field`, `input.id.field`, `input.time.field`) meets another type: a"
            + " non-record on its way (an array, a string), or at its end a text that is not a string, an id that is"
            + " not a string or integer, a time that is not epoch milliseconds or an ISO-8601 instant.");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    /** The reason of a record that cannot be decoded, by the class of the decoding problem. */
    public static RejectReason of(RecordDecodingException.Kind kind) {
        return switch (kind) {
            case MALFORMED -> UNDECODABLE;
            case UNKNOWN_SCHEMA_ID -> UNKNOWN_SCHEMA_ID;
            case INCOMPATIBLE_SCHEMA -> INCOMPATIBLE_SCHEMA;
            case FIELD_MISSING -> FIELD_MISSING;
            case FIELD_WRONG_TYPE -> FIELD_WRONG_TYPE;
        };
    }

    /** What the reason means, in one sentence for operators. */
    public String description() {
        return description;
    }

    /** A Markdown table of every reason and its meaning (docs/WIRE_FORMATS.md). */
    public static String describeAll() {
        return Arrays.stream(values())
                .map(reason -> "| `" + reason.name() + "` | " + reason.description + " |")
                .collect(Collectors.joining("\n", "| reason | meaning |\n| --- | --- |\n", "\n"));
    }
}
