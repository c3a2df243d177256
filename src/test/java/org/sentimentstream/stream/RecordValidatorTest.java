package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.serde.WireFormat;

class RecordValidatorTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"plain ascii", "caf\u00e9", "\u65e5\u672c\u8a9e", "emoji \uD83D\uDE00\uD83D\uDC4D", "\u0000"})
    void shouldMeasureTextsInUtf8Bytes(String text) {
        assertThat(RecordValidator.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\r\n", "\u00a0", "\u2003\u3000", "\u2028"})
    void shouldTreatWhiteSpaceAndNoBreakSpacesAsBlank(String text) {
        assertThat(RecordValidator.isBlank(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", " . ", "\u200b", "\uD83D\uDE00"})
    void shouldNotTreatVisibleOrFormatCharactersAsBlank(String text) {
        assertThat(RecordValidator.isBlank(text)).isFalse();
    }

    @Test
    void shouldRejectRecordsTooLargeForTheBatchBufferEvenWhenTheTextIsShort() {
        RecordCodec<TextEvent> codec = WireFormat.AVRO.textEventCodec();
        RecordValidator validator = new RecordValidator(codec, 4096, 512 * 1024, new KeywordClassifier());
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            attributes.put("k" + i, "v".repeat(1000));
        }
        TextEvent big = TextEvent.newBuilder()
                .setId("big")
                .setText("good day")
                .setEventTime(Instant.ofEpochMilli(1L))
                .setAttributes(attributes)
                .build();
        TextEvent small =
                TextEvent.newBuilder(big).setAttributes(Map.of("k", "v")).build();

        Validation bigResult = validator.validate(codec.encode(big), 0);
        Validation smallResult = validator.validate(codec.encode(small), 0);

        assertThat(bigResult).isInstanceOfSatisfying(Validation.Rejected.class, rejected -> {
            assertThat(rejected.rejection().reason()).isEqualTo(RejectReason.RECORD_TOO_LARGE);
            assertThat(rejected.rejection().message()).contains("batch buffer").doesNotContain("good day");
        });
        assertThat(smallResult).isInstanceOf(Validation.Accepted.class);
    }

    @Test
    void shouldCountTheKeyAndHeadersAgainstTheRecordLimit() {
        RecordCodec<TextEvent> codec = WireFormat.AVRO.textEventCodec();
        RecordValidator validator = new RecordValidator(codec, 4096, 10_000, new KeywordClassifier());
        byte[] value = codec.encode(TextEvent.newBuilder()
                .setId("id")
                .setText("good day")
                .setEventTime(Instant.ofEpochMilli(1L))
                .build());

        assertThat(validator.validate(value, 10_000 - value.length)).isInstanceOf(Validation.Accepted.class);
        assertThat(validator.validate(value, 10_001 - value.length))
                .isInstanceOfSatisfying(
                        Validation.Rejected.class,
                        rejected -> assertThat(rejected.rejection().reason()).isEqualTo(RejectReason.RECORD_TOO_LARGE));
    }
}
