package org.sentimentstream.stream;

import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.serde.DecodedInput;
import org.sentimentstream.serde.InputDecoder;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.RecordCoordinates;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.tokenizer.Tokens;

/**
 * Decides whether an input value can be classified: it decodes, its text is not empty or white space,
 * fits in {@code text.max.bytes} of UTF-8, the whole record (key, value, headers) fits the record limit, and the
 * text has at least one token. The checks run in the order of
 * {@link #validate} and the first that fails names the reason: the value-size check follows the text
 * checks on purpose, so that a huge text is reported as {@code TEXT_TOO_LONG} rather than
 * {@code RECORD_TOO_LARGE} (docs/RELIABILITY.md). The tokenizer never sees an over-long text.
 */
final class RecordValidator {

    private final InputDecoder decoder;
    private final int textMaxBytes;
    private final int recordMaxBytes;
    private final SentimentClassifier classifier;

    /**
     * @param recordMaxBytes largest record (key, value and headers) accepted: the batch buffer's changelog entry
     *     and a dead letter add to it, and past the producer's {@code max.request.size} their write would fail
     *     the task on every replay ({@link TopologySettings#recordMaxBytes()})
     */
    RecordValidator(InputDecoder decoder, int textMaxBytes, int recordMaxBytes, SentimentClassifier classifier) {
        this.decoder = decoder;
        this.textMaxBytes = textMaxBytes;
        this.recordMaxBytes = recordMaxBytes;
        this.classifier = classifier;
    }

    /** A validator of text events in this codec's format. */
    RecordValidator(
            RecordCodec<TextEvent> codec, int textMaxBytes, int recordMaxBytes, SentimentClassifier classifier) {
        this(InputDecoder.of(codec), textMaxBytes, recordMaxBytes, classifier);
    }

    /** Checks a value whose decoder needs nothing of its record (text events). */
    Validation validate(byte[] value, long keyAndHeaderBytes) {
        return validate(value, keyAndHeaderBytes, null);
    }

    /**
     * Checks a value.
     *
     * @param keyAndHeaderBytes the size of the record's key and headers ({@link RecordSizes#of} without the value)
     * @param where             the key, timestamp and coordinates of the record, for decoders that need them
     */
    Validation validate(byte[] value, long keyAndHeaderBytes, RecordCoordinates where) {
        if (value == null) {
            return reject(
                    RejectReason.NULL_VALUE, "The record value is null (a tombstone); there is no text to classify");
        }
        DecodedInput input;
        try {
            input = decoder.decode(value, where);
        } catch (RecordDecodingException e) {
            return new Validation.Rejected(new Rejection(RejectReason.of(e.kind()), e.getMessage(), e));
        }
        String text = input.event().getText();
        if (isBlank(text)) {
            return reject(
                    RejectReason.EMPTY_TEXT,
                    text.isEmpty()
                            ? "The text is empty"
                            : "The text is only white space (" + text.length() + " characters)");
        }
        long utf8Bytes = utf8Length(text);
        if (utf8Bytes > textMaxBytes) {
            return reject(
                    RejectReason.TEXT_TOO_LONG,
                    "The text is " + utf8Bytes + " bytes in UTF-8, more than text.max.bytes=" + textMaxBytes);
        }
        long recordBytes = value.length + keyAndHeaderBytes;
        if (recordBytes > recordMaxBytes) {
            return reject(
                    RejectReason.RECORD_TOO_LARGE,
                    "The record is " + recordBytes + " bytes (key and headers " + keyAndHeaderBytes + ", value "
                            + value.length + "), more than the "
                            + recordMaxBytes + " bytes the service accepts (producer max.request.size less "
                            + RecordSizes.RESERVED_BYTES + " for the batch buffer and dead-letter headers)");
        }
        Tokens tokens = classifier.tokenize(text);
        if (tokens.isEmpty()) {
            return reject(
                    RejectReason.NO_TOKENS,
                    "The tokenizer finds no token in the text (" + text.length() + " characters)");
        }
        return new Validation.Accepted(input, tokens);
    }

    private static Validation reject(RejectReason reason, String message) {
        return new Validation.Rejected(new Rejection(reason, message, null));
    }

    /** True when every code point is white space or a space separator (which includes no-break spaces). */
    static boolean isBlank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    /** Length of the text in UTF-8; an unpaired surrogate counts as the 3 bytes of its replacement. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
