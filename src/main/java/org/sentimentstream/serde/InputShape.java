package org.sentimentstream.serde;

/**
 * What the values of the input topic hold, on top of their wire format: today's text events (the
 * default), plain text ({@code input.format=text}), or any record whose fields a {@link FieldMapping}
 * names ({@code input.text.field} with {@code json} or {@code confluent-avro}).
 *
 * @param plainText whether the values are plain UTF-8 text (then there is no wire format)
 * @param fields    where the text, id and time are in a structured value, or null for text events
 */
public record InputShape(boolean plainText, FieldMapping fields) {

    /** The configuration value of {@code input.format} for plain text. */
    public static final String PLAIN_TEXT_FORMAT = "text";

    /** Today's text events (schemas/text-event.avsc) in the input format. */
    public static final InputShape TEXT_EVENTS = new InputShape(false, null);

    /** Plain UTF-8 text values. */
    public static final InputShape PLAIN_TEXT = new InputShape(true, null);

    public InputShape {
        if (plainText && fields != null) {
            throw new IllegalArgumentException("Plain text has no fields to map");
        }
    }

    /** Records of any shape in a structured format, mapped by these paths. */
    public static InputShape fields(FieldMapping mapping) {
        return new InputShape(false, java.util.Objects.requireNonNull(mapping, "mapping"));
    }

    /** Whether the input values are whole records whose decoded form an enriched output can extend. */
    public boolean enrichable() {
        return fields != null;
    }

    /**
     * Whether field paths can be read from records of this wire format: any JSON object or registry
     * Avro record; not Avro's single-object encoding, whose writer schema is known only by fingerprint.
     */
    public static boolean supportsFields(WireFormat format) {
        return format == WireFormat.JSON || format == WireFormat.CONFLUENT_AVRO;
    }

    /**
     * The decoder of the input topic's values.
     *
     * @param format  the input's wire format (ignored for plain text)
     * @param context the settings and shared objects of the codecs
     * @param topic   the input topic (a registry format names subjects after it)
     * @throws IllegalArgumentException for field paths on a format that cannot hold them
     */
    public InputDecoder decoder(WireFormat format, CodecContext context, String topic) {
        if (plainText) {
            return new PlainTextDecoder();
        }
        if (fields == null) {
            return InputDecoder.of(format.textEventCodec(context, topic));
        }
        return switch (format) {
            case JSON -> new JsonFieldDecoder(fields);
            case CONFLUENT_AVRO -> GenericAvroDecoder.create(fields, context);
            default ->
                throw new IllegalArgumentException(
                        "Field paths need json or confluent-avro input, not " + format.configValue());
        };
    }
}
