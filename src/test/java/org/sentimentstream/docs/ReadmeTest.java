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
 * The README's generated parts are what the code says: the settings table is
 * {@code run --list-settings}, the dead-letter reasons are {@link RejectReason}. A failure prints the
 * text to paste between the markers.
 */
class ReadmeTest {

    private static final Path README = Path.of("README.md");

    @Test
    void shouldListEverySettingExactlyAsListSettingsPrintsIt() throws IOException {
        assertThat(between("<!-- settings:start", "<!-- settings:end -->")).isEqualTo(SettingsTable.markdown());
    }

    @Test
    void shouldListEveryDeadLetterReasonWithItsMeaning() throws IOException {
        assertThat(between("<!-- reasons:start", "<!-- reasons:end -->")).isEqualTo(RejectReason.describeAll());
    }

    /** The lines after the line that starts with {@code start}, up to the line {@code end}. */
    private static String between(String start, String end) throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int from = readme.indexOf(start);
        assertThat(from).as("marker %s in the README", start).isNotNegative();
        from = readme.indexOf('\n', from) + 1;
        int to = readme.indexOf(end, from);
        assertThat(to).as("marker %s in the README", end).isNotNegative();
        return readme.substring(from, to);
    }
}
