package org.sentimentstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and the docs leads somewhere: the file exists, and a {@code #fragment} into
 * a Markdown file names one of its headings (GitHub's anchors). Code blocks are skipped; web links are not
 * checked (no network in tests).
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#+ (.*)$");

    @Test
    void shouldResolveEveryRelativeLinkOfTheReadmeAndTheDocs() throws IOException {
        List<Path> pages = new ArrayList<>(
                List.of(Path.of("README.md"), Path.of("deploy", "README.md"), Path.of("training", "README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            for (String target : links(page)) {
                links++;
                String problem = problem(page, target);
                if (problem != null) {
                    broken.add(page + ": " + target + " (" + problem + ")");
                }
            }
        }
        assertThat(links).as("links found").isGreaterThan(50);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void shouldTellABrokenLinkFromAGoodOne() {
        Path readme = Path.of("README.md");
        assertThat(problem(readme, "docs/SETTINGS.md")).isNull();
        assertThat(problem(readme, "docs/SETTINGS.md#settings")).isNull();
        assertThat(problem(readme, "docs/NO_SUCH_FILE.md")).isEqualTo("no such file");
        assertThat(problem(readme, "docs/SETTINGS.md#no-such-heading")).isEqualTo("no such heading");
        assertThat(problem(readme, "https://example.com/anywhere")).isNull();
    }

    /** Why a link from {@code page} to {@code target} leads nowhere, or null when it leads somewhere. */
    private static String problem(Path page, String target) {
        if (target.matches("^[a-z]+:.*")) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path file = path.isEmpty() ? page : page.resolveSibling(path).normalize();
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (hash >= 0 && file.toString().endsWith(".md")) {
            try {
                if (!anchors(file).contains(target.substring(hash + 1))) {
                    return "no such heading";
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }
        return null;
    }

    /** The link targets of a Markdown page, outside code blocks. */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : prose(page)) {
            Matcher matcher = LINK.matcher(line);
            while (matcher.find()) {
                targets.add(matcher.group(1));
            }
        }
        return targets;
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : prose(page)) {
            Matcher matcher = HEADING.matcher(line);
            if (matcher.matches()) {
                anchors.add(matcher.group(1)
                        .trim()
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                        .replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** The lines of a page outside fenced code blocks. */
    private static List<String> prose(Path page) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                lines.add(line);
            }
        }
        return lines;
    }
}
