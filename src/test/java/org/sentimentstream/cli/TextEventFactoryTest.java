package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentimentstream.avro.TextEvent;

class TextEventFactoryTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @Test
    void shouldNumberIdsAfterThePrefixAndStampTheCurrentTime() {
        TextEventFactory factory = new TextEventFactory("run", "cli", "en", Map.of("k", "v"), clock);

        TextEvent first = factory.create("hello");
        TextEvent second = factory.create("world");

        assertThat(first.getId()).isEqualTo("run-1");
        assertThat(second.getId()).isEqualTo("run-2");
        assertThat(first.getText()).isEqualTo("hello");
        assertThat(first.getEventTime()).isEqualTo(clock.instant());
        assertThat(first.getSource()).isEqualTo("cli");
        assertThat(first.getLanguage()).isEqualTo("en");
        assertThat(first.getAttributes()).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void shouldUseRandomUuidsWithoutAPrefix() {
        TextEventFactory factory = new TextEventFactory(null, null, null, null, clock);

        TextEvent event = factory.create("hello");

        assertThat(event.getId())
                .matches("[0-9a-f-]{36}")
                .isNotEqualTo(factory.create("hello").getId());
        assertThat(event.getSource()).isNull();
        assertThat(event.getAttributes()).isEmpty();
    }
}
