package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The buffer changelog's topic settings. The store is cached, so the changelog holds about one tombstone per
 * record ever buffered; compaction keeps tombstones for {@code delete.retention.ms}, so that setting, not the
 * buffer's size, bounds the topic (the 15-minute soak in docs/RELIABILITY.md found the broker's one-day default).
 */
class BufferChangelogConfigTest {

    private static final Map<String, String> CONFIG = SentimentTopology.BUFFER_CHANGELOG_CONFIG;

    @Test
    void shouldKeepTombstonesOfTheBufferChangelogForAnHourNotTheBrokersDay() {
        assertThat(Duration.ofMillis(Long.parseLong(CONFIG.get(TopicConfig.DELETE_RETENTION_MS_CONFIG))))
                .as("tombstone retention of the buffer changelog")
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldRollAndCleanTheBufferChangelogSoonerThanTombstonesExpire() {
        long retention = Long.parseLong(CONFIG.get(TopicConfig.DELETE_RETENTION_MS_CONFIG));
        assertThat(Long.parseLong(CONFIG.get(TopicConfig.SEGMENT_MS_CONFIG)))
                .as("a segment rolls, and can be cleaned, well within the tombstones' retention")
                .isLessThan(retention);
        assertThat(Double.parseDouble(CONFIG.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG)))
                .isLessThanOrEqualTo(0.1);
    }
}
