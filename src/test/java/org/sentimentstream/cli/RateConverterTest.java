package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class RateConverterTest {

    private final RateConverter converter = new RateConverter();

    @Test
    void shouldReadRatesWithOrWithoutPerSecond() {
        assertThat(converter.convert("500")).isEqualTo(500.0);
        assertThat(converter.convert("500/s")).isEqualTo(500.0);
        assertThat(converter.convert(" 2.5/S ")).isEqualTo(2.5);
    }

    @Test
    void shouldReadMaxAndZeroAsFastAsPossible() {
        assertThat(converter.convert("max")).isZero();
        assertThat(converter.convert("MAX")).isZero();
        assertThat(converter.convert("0")).isZero();
    }

    @Test
    void shouldRefuseNegativeOrUnreadableRates() {
        assertThatThrownBy(() -> converter.convert("-5")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("fast"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("max");
        assertThatThrownBy(() -> converter.convert("NaN")).isInstanceOf(TypeConversionException.class);
    }
}
