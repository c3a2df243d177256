package org.sentimentstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sentimentstream.cli.SettingsTable;
import org.sentimentstream.stream.RejectReason;

/**
 * The documentation's generated parts are what the code says: the settings reference (docs/SETTINGS.md) is
 * {@code run --list-settings}, the dead-letter reasons (docs/WIRE_FORMATS.md) are {@link RejectReason}. A failure prints the
 * text to paste between the markers.
 */
class ReadmeTest {

    private static final Path SETTINGS = Path.of("docs", "SETTINGS.md");
    private static final Path WIRE_FORMATS = Path.of("docs", "WIRE_FORMATS.md");

    @Test
    void shouldListEverySettingExactlyAsListSettingsPrintsIt() throws IOException {
        assertThat(between(SETTINGS, "<!-- settings:start", "<!-- settings:end -->"))
                .isEqualTo(SettingsTable.markdown());
    }

    @Test
    void shouldListEveryDeadLetterReasonWithItsMeaning() throws IOException {
        assertThat(between(WIRE_FORMATS, "<!-- reasons:start", "<!-- reasons:end -->"))
                .isEqualTo(RejectReason.describeAll());
    }

    /** The lines of {@code file} after the line that starts with {@code start}, up to the line {@code end}. */
    private static String between(Path file, String start, String end) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int from = text.indexOf(start);
        assertThat(from).as("marker %s in %s", start, file).isNotNegative();
        from = text.indexOf('\n', from) + 1;
        int to = text.indexOf(end, from);
        assertThat(to).as("marker %s in %s", end, file).isNotNegative();
        return text.substring(from, to);
    }
}
