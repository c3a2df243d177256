package org.sentimentstream.it;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.stream.Topics;

/**
 * A record of the output topic as the integration tests read it: its key and its decoded sentiment event.
 *
 * <pre>{@code
 * try (OutputCollector<OutputRecord> output =
 *         new OutputCollector<>(bootstrapServers, topics.output(), OutputRecord.decoder(topics))) {
 *     List<OutputRecord> results = output.awaitUntil(r -> OutputRecord.ids(r).containsAll(ids), timeout);
 * }
 * }</pre>
 *
 * @param key   the record key as UTF-8 (the input's key: the event id in these tests)
 * @param event the decoded value
 */
record OutputRecord(String key, SentimentEvent event) {

    /** The id of the event. */
    String id() {
        return event.getId();
    }

    /**
     * Decodes raw output records with the output codec of {@code topics} (one codec for all records); an
     * undecodable record fails the test, naming its partition and offset.
     */
    static Function<ConsumerRecord<byte[], byte[]>, OutputRecord> decoder(Topics topics) {
        RecordCodec<SentimentEvent> codec = topics.outputCodec();
        return record -> {
            try {
                return new OutputRecord(new String(record.key(), StandardCharsets.UTF_8), codec.decode(record.value()));
            } catch (RecordDecodingException e) {
                throw new IllegalStateException(
                        "undecodable output record at " + record.topic() + "-" + record.partition() + " offset "
                                + record.offset(),
                        e);
            }
        };
    }

    /** The event ids of {@code records}, without duplicates. */
    static Set<String> ids(Collection<OutputRecord> records) {
        return records.stream().map(OutputRecord::id).collect(Collectors.toSet());
    }
}
