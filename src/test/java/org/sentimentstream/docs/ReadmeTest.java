package org.sentimentstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentimentstream.cli.SettingsTable;
import org.sentimentstream.stream.RejectReason;

/**
 * The documentation's generated parts are what the code says: the settings reference (docs/SETTINGS.md) is
 * {@code run --list-settings}, the dead-letter reasons (docs/WIRE_FORMATS.md) are {@link RejectReason}. A failure prints the
 * text to paste between the markers.
 */
class ReadmeTest {

    private static final Path README = Path.of("README.md");
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

    @Test
    void shouldShowEachMainSettingOfTheReadmeWithTheDefaultThatListSettingsPrints() throws IOException {
        Map<String, String> defaults = new HashMap<>();
        for (String row : SettingsTable.markdown().split("\n")) {
            String[] cells = row.split(" \\| ");
            defaults.put(cells[0].replace("| ", ""), cells[3]);
        }
        String table = between(README, "<!-- main settings", "\n\n");
        List<String> rows = table.lines().skip(2).toList();

        assertThat(rows).hasSizeGreaterThan(10);
        for (String row : rows) {
            String[] cells = row.split(" \\| ");
            String setting = cells[0].replace("| ", "");
            assertThat(defaults).as("main setting %s", setting).containsKey(setting);
            assertThat(cells[1]).as("default of %s", setting).isEqualTo(defaults.get(setting));
        }
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
