package org.sentimentstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.sentimentstream.loadtest.TextSource;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.tokenizer.EncodedText;

/**
 * The fixed benchmark sample: {@value #SIZE} real tweets from the Sentiment140 training files
 * ({@code train-negative-50k.txt} then {@code train-positive-50k.txt}), shuffled with seed {@value #SEED},
 * keeping the first texts that give at least one token. Every benchmark and the Python comparison
 * (through {@link SampleExport}) use exactly these texts.
 *
 * <p>The directory is {@code $SENTIMENT140_DIR}, else {@code ../shared/data/sentiment140} relative to
 * the working directory (the repository root).
 */
public record TweetSample(List<String> texts, List<EncodedText> encoded) {

    /** Texts in the sample; a multiple of every benchmarked batch size. */
    public static final int SIZE = 4096;

    public static final long SEED = 20261130L;
    public static final String DIRECTORY_VARIABLE = TextSource.DATA_DIR_VARIABLE;
    private static final List<String> FILES = List.of("train-negative-50k.txt", "train-positive-50k.txt");

    public TweetSample {
        texts = List.copyOf(texts);
        encoded = List.copyOf(encoded);
    }

    /** Reads the training files and draws the sample, encoding with the classifier's tokenizer and vocabulary. */
    public static TweetSample load(OnnxSentimentClassifier classifier) {
        List<String> all = new ArrayList<>();
        Path directory = directory();
        for (String file : FILES) {
            try {
                Files.readAllLines(directory.resolve(file), StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.isBlank())
                        .forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot read the benchmark texts " + directory.resolve(file) + " (set " + DIRECTORY_VARIABLE
                                + " to the sentiment140 directory)",
                        e);
            }
        }
        Collections.shuffle(all, new Random(SEED));
        List<String> texts = new ArrayList<>(SIZE);
        List<EncodedText> encoded = new ArrayList<>(SIZE);
        for (int i = 0; i < all.size() && texts.size() < SIZE; i++) {
            EncodedText text = classifier.encode(all.get(i));
            if (!text.isEmpty()) {
                texts.add(all.get(i));
                encoded.add(text);
            }
        }
        if (texts.size() < SIZE) {
            throw new IllegalStateException(
                    "Only " + texts.size() + " usable texts in " + directory + ", need " + SIZE);
        }
        return new TweetSample(texts, encoded);
    }

    static Path directory() {
        String configured = System.getenv(DIRECTORY_VARIABLE);
        return configured != null && !configured.isBlank() ? Path.of(configured) : TextSource.RELATIVE_DATA_DIR;
    }

    /** Mean token ids per record that the model sees (after truncation to its maximum length). */
    public double meanTokens() {
        return encoded.stream().mapToInt(text -> text.ids().length).average().orElse(0);
    }
}
