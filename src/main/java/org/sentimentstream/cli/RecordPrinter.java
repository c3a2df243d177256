package org.sentimentstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.serde.InputDecoder;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.RecordCoordinates;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.serde.WireFormat;

/** Formats consumed records as JSON lines. */
public final class RecordPrinter {

    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordCodec<SentimentEvent> outputCodec;
    private final RecordCodec<SentimentEvent> json = WireFormat.JSON.sentimentEventCodec();

    private final InputDecoder enriched;

    public RecordPrinter(RecordCodec<SentimentEvent> outputCodec) {
        this(outputCodec, null);
    }

    private RecordPrinter(RecordCodec<SentimentEvent> outputCodec, InputDecoder enriched) {
        this.outputCodec = outputCodec;
        this.enriched = enriched;
    }

    /** A printer of an enriched output ({@code output.mode=enriched}), read by this decoder of its records. */
    public static RecordPrinter enriched(InputDecoder decoder) {
        return new RecordPrinter(null, decoder);
    }

    /**
     * A record of the output topic as a line: a sentiment event as JSON (the {@code json} wire format), or an
     * enriched record as its JSON object or as Avro's JSON rendering of the generic record.
     */
    public String sentimentEvent(byte[] value) throws RecordDecodingException {
        if (enriched != null) {
            return String.valueOf(enriched.decode(value, NO_COORDINATES).value());
        }
        return new String(json.encode(outputCodec.decode(value)), StandardCharsets.UTF_8);
    }

    /** The decoder of an enriched record needs no key or coordinates: the fallbacks are not used for printing. */
    private static final RecordCoordinates NO_COORDINATES = new RecordCoordinates("output", 0, 0, 0, null);

    /**
     * A record of the dead-letter topic as a JSON line: where it was, its key, its headers (the
     * reason), and its value in base64 (plus as text when it is valid UTF-8).
     */
    public String deadLetter(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = mapper.createObjectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", record.timestamp());
        node.put("key", record.key() == null ? null : utf8OrNull(record.key()));
        ObjectNode headers = node.putObject("headers");
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : utf8OrNull(header.value()));
        }
        node.put(
                "value_base64",
                record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()));
        node.put("value_text", record.value() == null ? null : utf8OrNull(record.value()));
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
