package org.sentimentstream.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.serde.AvroCodec;
import org.sentimentstream.serde.TestEvents;
import org.sentimentstream.serde.WireFormat;

/** Hostile record values for the tests of {@link HostileInputTest}, and a catalogue of them per input format. */
final class HostileRecords {

    /** Malformed UTF-8 sequences, in hex: each is refused by a strict decoder. */
    static final List<String> MALFORMED_UTF8 = List.of(
            "80", // a continuation byte alone
            "C3", // a sequence cut short
            "E2 82", // a sequence cut short
            "C0 80", // overlong NUL
            "E0 80 AF", // overlong '/'
            "ED A0 80", // a surrogate encoded (CESU-8)
            "F4 90 80 80", // beyond U+10FFFF
            "FE", // never valid
            "FF"); // never valid

    /** Text with control characters around real words. */
    static final String CONTROL_CHARACTERS = "\u0000good\u0007 \u001b[31mday\u001b[0m\u0008\u007f\u0085 \u009b";
    /** Only control characters: no token. */
    static final String ONLY_CONTROL_CHARACTERS = "\u0000\u0001\u0007\u001b\u007f";
    /** Emoji only, including a ZWJ sequence, a flag and skin tones. */
    static final String EMOJI_ONLY = "\uD83D\uDE00\uD83D\uDE21 \uD83D\uDC4D\uD83C\uDFFD "
            + "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \uD83C\uDDEB\uD83C\uDDF7";
    /** Hebrew and Arabic, bidi override and marks. */
    static final String RIGHT_TO_LEFT = "\u05D0\u05E0\u05D9 \u05D0\u05D5\u05D4\u05D1 \u0645\u0631\u062D\u0628\u0627 "
            + "\u202Egood\u202C \u200F\u200E";
    /** A base letter drowned in combining marks ("Zalgo"), then combining marks with no base. */
    static final String COMBINING = "Z" + "\u0351\u036B\u0343\u036A\u0302\u036B\u033D\u034F\u0334\u0319".repeat(30)
            + "algo e\u0301te\u0301 \u0301\u0301";
    /** Only invisible format characters: no token. */
    static final String INVISIBLE_ONLY = "\u200B\u200D\uFEFF\u2060\u00AD";

    private HostileRecords() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hex(String hex) {
        return HexFormat.ofDelimiter(" ").parseHex(hex);
    }

    static byte[] encode(WireFormat format, TextEvent event) {
        return format.textEventCodec().encode(event);
    }

    static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(part -> part.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** A TextEvent whose id string declares the given length, followed by 3 bytes. */
    static byte[] avroDeclaringIdLength(long declared) {
        return AvroBytes.textEvent().varLong(declared).raw('a', 'b', 'c').toByteArray();
    }

    /** A TextEvent whose attributes map declares the given number of entries in one block, followed by one entry. */
    static byte[] avroDeclaringAttributeCount(long declared) {
        return AvroBytes.textEvent()
                .requiredFields("1", "hi")
                .nullSourceAndLanguage()
                .varLong(declared)
                .string("k")
                .string("v")
                .emptyMap()
                .toByteArray();
    }

    /** A valid TextEvent whose fingerprint is changed in one bit. */
    static byte[] avroWithUnknownFingerprint() {
        byte[] bytes = encode(WireFormat.AVRO, TestEvents.text("1", "good day"));
        bytes[5] ^= 0x10;
        return bytes;
    }

    /** A valid Avro record of another schema (the output's SentimentEvent), with its own fingerprint. */
    static byte[] avroOfAnotherSchema() {
        return WireFormat.AVRO.sentimentEventCodec().encode(TestEvents.sentiment());
    }

    /** The body of a SentimentEvent behind the header (fingerprint) of a TextEvent. */
    static byte[] avroBodyOfAnotherSchemaUnderTheTextEventHeader() {
        byte[] other = avroOfAnotherSchema();
        byte[] header = Arrays.copyOf(encode(WireFormat.AVRO, TestEvents.text("1", "hi")), AvroCodec.HEADER_LENGTH);
        return concat(header, Arrays.copyOfRange(other, AvroCodec.HEADER_LENGTH, other.length));
    }

    /** A TextEvent whose text is "a", the given bytes, then "b". */
    static byte[] avroWithTextBytes(byte[] middle) {
        return AvroBytes.textEvent()
                .string("1")
                .string(concat(utf8("a"), middle, utf8("b")))
                .varLong(TestEvents.EVENT_TIME.toEpochMilli())
                .nullSourceAndLanguage()
                .emptyMap()
                .toByteArray();
    }

    /** A JSON TextEvent whose text is "a", the given bytes, then "b". */
    static byte[] jsonWithTextBytes(byte[] middle) {
        return concat(
                utf8("{\"id\":\"1\",\"text\":\"a"),
                middle,
                utf8("b\",\"event_time\":" + TestEvents.EVENT_TIME.toEpochMilli() + "}"));
    }

    /** A JSON TextEvent with an extra field nested to the given depth. */
    static byte[] jsonNestedInExtraField(int depth) {
        return utf8("{\"id\":\"nested\",\"text\":\"good day\",\"event_time\":1,\"extra\":" + "[".repeat(depth)
                + "]".repeat(depth) + "}");
    }

    /** A text event with the given number of attributes. */
    static TextEvent withAttributes(String id, int count) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < count; i++) {
            attributes.put("key-" + i, "value-" + i);
        }
        TextEvent event = TestEvents.text(id, "good day");
        event.setAttributes(attributes);
        return event;
    }

    /** What a hostile sample should do. */
    enum Expect {
        CLASSIFIED,
        DEAD_LETTER,
        EITHER
    }

    /**
     * One hostile value.
     *
     * @param kind   what it is
     * @param value  the record value
     * @param expect what it should do
     * @param reason the reason code when it is dead-lettered (null otherwise)
     */
    record Sample(String kind, byte[] value, Expect expect, RejectReason reason) {

        static Sample classified(String kind, byte[] value) {
            return new Sample(kind, value, Expect.CLASSIFIED, null);
        }

        static Sample rejected(String kind, byte[] value, RejectReason reason) {
            return new Sample(kind, value, Expect.DEAD_LETTER, reason);
        }
    }

    /** Hostile values of every kind that is small enough to send thousands of times. */
    static List<Sample> catalogue(WireFormat format) {
        List<Sample> samples = new ArrayList<>();
        samples.add(Sample.rejected("random bytes", randomBytes(1, 200), RejectReason.UNDECODABLE));
        samples.add(Sample.rejected("empty value", new byte[0], RejectReason.UNDECODABLE));
        samples.add(Sample.rejected("null value", null, RejectReason.NULL_VALUE));
        samples.add(Sample.rejected("empty text", encode(format, TestEvents.text("1", "")), RejectReason.EMPTY_TEXT));
        samples.add(Sample.rejected(
                "white space",
                encode(format, TestEvents.text("1", " \t\r\n\u00A0\u2003\u3000")),
                RejectReason.EMPTY_TEXT));
        samples.add(Sample.rejected(
                "text one byte too long",
                encode(format, TestEvents.text("1", "a".repeat(4097))),
                RejectReason.TEXT_TOO_LONG));
        samples.add(Sample.rejected(
                "control characters only",
                encode(format, TestEvents.text("1", ONLY_CONTROL_CHARACTERS)),
                RejectReason.NO_TOKENS));
        samples.add(Sample.rejected(
                "invisible only", encode(format, TestEvents.text("1", INVISIBLE_ONLY)), RejectReason.NO_TOKENS));
        samples.add(
                Sample.classified("control characters", encode(format, TestEvents.text("ctl", CONTROL_CHARACTERS))));
        samples.add(Sample.classified("emoji only", encode(format, TestEvents.text("emoji", EMOJI_ONLY))));
        samples.add(Sample.classified("right to left", encode(format, TestEvents.text("rtl", RIGHT_TO_LEFT))));
        samples.add(Sample.classified("combining", encode(format, TestEvents.text("combining", COMBINING))));
        samples.add(Sample.classified("many tokens", encode(format, TestEvents.text("many", "a ".repeat(2048)))));
        for (String bad : MALFORMED_UTF8) {
            byte[] value = format == WireFormat.AVRO ? avroWithTextBytes(hex(bad)) : jsonWithTextBytes(hex(bad));
            samples.add(Sample.rejected("malformed UTF-8 " + bad, value, RejectReason.UNDECODABLE));
        }
        if (format == WireFormat.AVRO) {
            byte[] good = encode(format, TestEvents.fullText());
            samples.add(
                    Sample.rejected("truncated Avro", Arrays.copyOf(good, good.length - 3), RejectReason.UNDECODABLE));
            samples.add(Sample.rejected("unknown fingerprint", avroWithUnknownFingerprint(), RejectReason.UNDECODABLE));
            samples.add(Sample.rejected("another schema", avroOfAnotherSchema(), RejectReason.UNDECODABLE));
            samples.add(Sample.rejected(
                    "another schema's body",
                    avroBodyOfAnotherSchemaUnderTheTextEventHeader(),
                    RejectReason.UNDECODABLE));
            samples.add(Sample.rejected(
                    "string of 1 GiB declared", avroDeclaringIdLength(1L << 30), RejectReason.UNDECODABLE));
            samples.add(Sample.rejected(
                    "map of 10^9 entries declared",
                    avroDeclaringAttributeCount(1_000_000_000L),
                    RejectReason.UNDECODABLE));
            samples.add(Sample.rejected(
                    "JSON on the Avro topic",
                    encode(WireFormat.JSON, TestEvents.text("1", "good")),
                    RejectReason.UNDECODABLE));
            samples.add(Sample.classified("1000 attributes", encode(format, withAttributes("attributes", 1000))));
        } else {
            samples.add(Sample.rejected("JSON null", utf8("null"), RejectReason.UNDECODABLE));
            samples.add(Sample.rejected(
                    "JSON array",
                    utf8("[{\"id\":\"1\",\"text\":\"good\",\"event_time\":1}]"),
                    RejectReason.UNDECODABLE));
            samples.add(Sample.rejected("JSON string", utf8("\"good day\""), RejectReason.UNDECODABLE));
            samples.add(
                    Sample.rejected("missing text", utf8("{\"id\":\"1\",\"event_time\":1}"), RejectReason.UNDECODABLE));
            samples.add(Sample.rejected(
                    "number as text", utf8("{\"id\":\"1\",\"text\":42,\"event_time\":1}"), RejectReason.UNDECODABLE));
            samples.add(Sample.rejected(
                    "NaN time", utf8("{\"id\":\"1\",\"text\":\"good\",\"event_time\":NaN}"), RejectReason.UNDECODABLE));
            samples.add(Sample.rejected("deeply nested", jsonNestedInExtraField(5000), RejectReason.UNDECODABLE));
            samples.add(Sample.rejected(
                    "lone surrogate escape",
                    utf8("{\"id\":\"1\\ud800\",\"text\":\"good\",\"event_time\":1}"),
                    RejectReason.UNDECODABLE));
            samples.add(Sample.rejected(
                    "Avro on the JSON topic",
                    encode(WireFormat.AVRO, TestEvents.text("1", "good")),
                    RejectReason.UNDECODABLE));
            samples.add(Sample.classified(
                    "extra fields",
                    utf8("{\"id\":\"extra\",\"text\":\"good\",\"event_time\":1,"
                            + "\"x\":{\"y\":[1,2.5,null,true]},\"id2\":\"?\"}")));
            samples.add(Sample.classified(
                    "byte order mark", utf8("\uFEFF{\"id\":\"bom\",\"text\":\"good\",\"event_time\":1}")));
            samples.add(Sample.classified(
                    "surrogate pair escapes",
                    utf8("{\"id\":\"pair\",\"text\":\"\\ud83d\\ude00 good\",\"event_time\":1}")));
        }
        return samples;
    }
}
