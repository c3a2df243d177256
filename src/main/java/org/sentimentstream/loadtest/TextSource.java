package org.sentimentstream.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The texts a load test sends, used in turn (from the start again when they run out): the lines of
 * a file, or by default the Sentiment140 training data ({@code train-*-50k.txt}) from
 * {@code $SENTIMENT140_DIR} or {@code ../shared/data/sentiment140} next to the repository. Blank
 * lines are skipped; the lines of several files are interleaved.
 */
public final class TextSource {

    /** The environment variable naming the folder of the training data. */
    public static final String DATA_DIR_VARIABLE = "SENTIMENT140_DIR";

    static final String DATA_FILES = "train-*-50k.txt";
    /** Where the training data lies relative to the repository (or working folder). */
    public static final Path RELATIVE_DATA_DIR = Path.of("..", "shared", "data", "sentiment140");

    private final List<String> texts;
    private final String origin;

    private TextSource(List<String> texts, String origin) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException(origin + " holds no text (every line is blank)");
        }
        this.texts = List.copyOf(texts);
        this.origin = origin;
    }

    /** The non-blank lines of a UTF-8 file. */
    public static TextSource fromFile(Path file) {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new IllegalArgumentException("cannot read the texts file " + file);
        }
        return new TextSource(readLines(List.of(file)), file.toString());
    }

    /** These texts (for tests and callers that have them already). */
    public static TextSource of(List<String> texts) {
        return new TextSource(texts.stream().filter(t -> !t.isBlank()).toList(), "the given texts");
    }

    /**
     * The training data: the {@code train-*-50k.txt} files of {@code dataDir} when given (from
     * {@code $SENTIMENT140_DIR}), else of the first of {@code searchRoots} that has them (each
     * resolved with {@code ../shared/data/sentiment140}).
     *
     * @throws IllegalArgumentException naming the folders tried when none has the files
     */
    public static TextSource trainingData(Optional<Path> dataDir, List<Path> searchRoots) {
        List<Path> tried = new ArrayList<>();
        if (dataDir.isPresent()) {
            tried.add(dataDir.get());
        } else {
            searchRoots.forEach(
                    root -> tried.add(root.resolve(RELATIVE_DATA_DIR).normalize()));
        }
        for (Path folder : tried) {
            List<Path> files = dataFiles(folder);
            if (!files.isEmpty()) {
                return new TextSource(readLines(files), folder + "/" + DATA_FILES);
            }
        }
        throw new IllegalArgumentException("no training data (" + DATA_FILES + ") in " + tried
                + "; give --texts FILE (one text per line) or set " + DATA_DIR_VARIABLE + " to its folder");
    }

    /** The text of event {@code index}. */
    public String text(long index) {
        return texts.get((int) (index % texts.size()));
    }

    /** How many distinct texts there are. */
    public int size() {
        return texts.size();
    }

    /** Where the texts come from, for the report. */
    public String origin() {
        return origin;
    }

    private static List<Path> dataFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, DATA_FILES)) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        files.sort(null);
        return files;
    }

    /** The non-blank lines of the files, interleaved (one of each file in turn) so classes alternate. */
    private static List<String> readLines(List<Path> files) {
        List<List<String>> perFile = new ArrayList<>();
        int longest = 0;
        for (Path file : files) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.isBlank())
                        .toList();
                perFile.add(lines);
                longest = Math.max(longest, lines.size());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        List<String> interleaved = new ArrayList<>();
        for (int i = 0; i < longest; i++) {
            for (List<String> lines : perFile) {
                if (i < lines.size()) {
                    interleaved.add(lines.get(i));
                }
            }
        }
        return interleaved;
    }
}
