package org.sentimentstream.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Event rates on the command line: {@code 500}, {@code 500/s}, {@code 2.5/s}; {@code 0} or {@code max} for as fast as possible (0). */
final class RateConverter implements ITypeConverter<Double> {

    @Override
    public Double convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("max")) {
            return 0.0;
        }
        if (text.endsWith("/s")) {
            text = text.substring(0, text.length() - 2).trim();
        }
        try {
            double rate = Double.parseDouble(text);
            if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
                throw new TypeConversionException("'" + value + "' is not a rate of at least 0 events per second");
            }
            return rate;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a rate (examples: 500, 500/s, max)");
        }
    }
}
