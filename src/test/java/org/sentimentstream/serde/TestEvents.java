package org.sentimentstream.serde;

import java.time.Instant;
import java.util.Map;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;

/** Sample records for the tests. */
public final class TestEvents {

    public static final Instant EVENT_TIME = Instant.ofEpochMilli(1_700_000_000_000L);

    private TestEvents() {}

    public static TextEvent text(String id, String text) {
        return TextEvent.newBuilder()
                .setId(id)
                .setText(text)
                .setEventTime(EVENT_TIME)
                .setSource(null)
                .setLanguage(null)
                .setAttributes(Map.of())
                .build();
    }

    public static TextEvent fullText() {
        return TextEvent.newBuilder()
                .setId("evt-42")
                .setText("I love this caf\u00e9 \uD83D\uDE00")
                .setEventTime(EVENT_TIME)
                .setSource("support-chat")
                .setLanguage("en")
                .setAttributes(Map.of("customer", "c-7", "channel", "web"))
                .build();
    }

    public static SentimentEvent sentiment() {
        return SentimentEvent.newBuilder()
                .setId("evt-42")
                .setLabel("positive")
                .setProbabilities(Map.of("negative", 0.25f, "positive", 0.75f))
                .setModelName("sentiment-bilstm")
                .setModelVersion("1.0.0")
                .setEventTime(EVENT_TIME)
                .setClassifiedAt(EVENT_TIME.plusMillis(35))
                .setTokenCount(5)
                .setTruncated(false)
                .setSource("support-chat")
                .setAttributes(Map.of("customer", "c-7"))
                .setText(null)
                .setKnownTokenCount(4)
                .build();
    }
}
