package org.sentimentstream.cli;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.sentimentstream.avro.TextEvent;

/**
 * Makes the text events the {@code produce} and {@code demo} commands send: a new id per event
 * ({@code PREFIX-N} with a prefix, else a random UUID), the current time as event time, and the
 * optional source, language and attributes.
 */
public final class TextEventFactory {

    private final String idPrefix;
    private final String source;
    private final String language;
    private final Map<String, String> attributes;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    public TextEventFactory(
            String idPrefix, String source, String language, Map<String, String> attributes, Clock clock) {
        this.idPrefix = idPrefix;
        this.source = source;
        this.language = language;
        this.attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        this.clock = clock;
    }

    public TextEvent create(String text) {
        long n = sequence.incrementAndGet();
        String id = idPrefix == null ? UUID.randomUUID().toString() : idPrefix + "-" + n;
        return TextEvent.newBuilder()
                .setId(id)
                .setText(text)
                .setEventTime(clock.instant())
                .setSource(source)
                .setLanguage(language)
                .setAttributes(new LinkedHashMap<>(attributes))
                .build();
    }
}
