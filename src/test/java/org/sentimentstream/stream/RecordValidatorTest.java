package org.sentimentstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"plain ascii", "caf\u00e9", "\u65e5\u672c\u8a9e", "emoji \uD83D\uDE00\uD83D\uDC4D", "\u0000"})
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
}
