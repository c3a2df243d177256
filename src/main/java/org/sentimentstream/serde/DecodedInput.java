package org.sentimentstream.serde;

import java.util.Objects;
import org.sentimentstream.avro.TextEvent;

/**
 * An input value as the service uses it: the event to classify, and the value as its format decoded it,
 * which an enriched output writes back with the classification added.
 *
 * @param event the id, text and event time (and, for text events, the optional fields)
 * @param value the decoded value ({@link StructuredValue#unwrap()}: a JSON object node, an Avro generic
 *              record), or null when the format has none to enrich (text events, plain text)
 */
public record DecodedInput(TextEvent event, Object value) {

    public DecodedInput {
        Objects.requireNonNull(event, "event");
    }
}
