package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class BufferedRecordSerdeTest {

    private static BufferedRecord sample(byte[] key) {
        return new BufferedRecord(
                new SourcePosition("text-events", 7, 123_456_789_012L),
                42L,
                1_000L,
                key,
                new byte[] {(byte) 0xC3, 1, 9, 9},
                new Header[] {new RecordHeader("traceparent", new byte[] {1, 2}), new RecordHeader("empty", null)});
    }

    @Test
    void shouldRoundTripEveryField() {
        BufferedRecord original = sample(new byte[] {0, (byte) 0xFF});

        BufferedRecord read = BufferedRecordSerde.read(BufferedRecordSerde.write(original));

        assertThat(read.source()).isEqualTo(original.source());
        assertThat(read.timestamp()).isEqualTo(42L);
        assertThat(read.bufferedAtMs()).isEqualTo(1_000L);
        assertThat(read.key()).isEqualTo(original.key());
        assertThat(read.value()).isEqualTo(original.value());
        assertThat(read.headers()).containsExactly(original.headers());
    }

    @Test
    void shouldKeepANullKeyNull() {
        assertThat(BufferedRecordSerde.read(BufferedRecordSerde.write(sample(null)))
                        .key())
                .isNull();
    }

    @Test
    void shouldRefuseCorruptEntries() {
        byte[] bytes = BufferedRecordSerde.write(sample(null));

        assertThatThrownBy(() -> BufferedRecordSerde.read(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Corrupt buffered record");
        bytes[0] = 9;
        assertThatThrownBy(() -> BufferedRecordSerde.read(bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void shouldOrderStoreKeysAsTheInputOffsets() {
        assertThat(BufferedRecord.storeKey(0, 9)).isLessThan(BufferedRecord.storeKey(0, 10));
        assertThat(BufferedRecord.storeKey(0, 99_999)).isLessThan(BufferedRecord.storeKey(0, Long.MAX_VALUE));
        assertThat(BufferedRecord.storeKey(2, 5)).isEqualTo(BufferedRecord.storeKey(2, 5));
    }

    @Test
    void shouldKeepTheStoreKeyFormatOfEarlierVersionsSoThatTheirChangelogsStillRestore() {
        Random random = new Random(11);
        for (int i = 0; i < 1_000; i++) {
            int partition = random.nextInt(Integer.MAX_VALUE);
            long offset = random.nextLong() & Long.MAX_VALUE;
            assertThat(BufferedRecord.storeKey(partition, offset))
                    .isEqualTo(String.format("%010d-%019d", partition, offset));
        }
        assertThat(BufferedRecord.storeKey(0, 0)).isEqualTo("0000000000-0000000000000000000");
        assertThat(BufferedRecord.storeKey(Integer.MAX_VALUE, Long.MAX_VALUE))
                .isEqualTo(String.format("%010d-%019d", Integer.MAX_VALUE, Long.MAX_VALUE));
    }
}
