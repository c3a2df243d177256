package org.sentimentstream.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sentimentstream.avro.TextEvent;

/**
 * Seeded fuzzing of the input codecs: damaged and random values either decode or fail with a
 * {@link RecordDecodingException}; no other exception or error escapes (which would fail a stream task
 * instead of dead-lettering the record).
 */
class CodecFuzzTest {

    private static final int CASES = 10_000;

    @ParameterizedTest
    @EnumSource(value = WireFormat.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFLUENT_AVRO")
    void shouldOnlyEverDecodeOrRefuseWithARecordDecodingException(WireFormat format) {
        RecordCodec<TextEvent> codec = format.textEventCodec();
        byte[] valid = codec.encode(TestEvents.fullText());
        Random random = new Random(20_261_128L);
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] value = damage(valid, random);
            try {
                codec.decode(value);
                decoded++;
            } catch (RecordDecodingException e) {
                assertThat(e.getMessage()).as("reason of case %d", i).isNotBlank();
                refused++;
            }
        }

        assertThat(decoded + refused).isEqualTo(CASES);
        assertThat(refused).as("refused cases").isGreaterThan(CASES / 2);
        assertThat(decoded).as("damaged values that still decode").isPositive();
    }

    /** A copy of the valid value with 1-4 bytes replaced, cut short, or with a random tail after its first bytes. */
    private static byte[] damage(byte[] valid, Random random) {
        byte[] value;
        switch (random.nextInt(3)) {
            case 0 -> {
                value = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    value[random.nextInt(value.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> value = Arrays.copyOf(valid, random.nextInt(valid.length));
            default -> {
                int keep = random.nextInt(AvroCodec.HEADER_LENGTH + 1);
                value = Arrays.copyOf(valid, keep + random.nextInt(80));
                byte[] tail = new byte[value.length - keep];
                random.nextBytes(tail);
                System.arraycopy(tail, 0, value, keep, tail.length);
            }
        }
        return value;
    }
}
