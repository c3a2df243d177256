package org.sentimentstream.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentimentstream.model.InferenceException;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.tokenizer.Tokens;

/**
 * TEST DOUBLE of the model: tokens are runs of letters or digits (so "!!!" or "\u200B" has none),
 * "good", "great" and "love" are positive, "bad", "awful" and "hate" negative, and a text is positive
 * when it has more positive than negative words. Records the size of every batch it classifies, can be
 * made to fail like a broken model, and fails like a real model's bad output on any batch holding the word
 * {@link #POISON}. Its known tokens are those of ASCII characters only.
 */
final class KeywordClassifier implements SentimentClassifier {

    static final List<String> LABELS = List.of("negative", "positive");
    static final ModelInfo INFO = new ModelInfo("keyword-test-double", "0.0.1", LABELS, 8);
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> POSITIVE = Set.of("good", "great", "love");
    private static final Set<String> NEGATIVE = Set.of("bad", "awful", "hate");
    /** A word the model fails on, like a text that makes a real model return a non-finite logit. */
    static final String POISON = "poison";

    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean broken = new AtomicBoolean();
    private final AtomicInteger tokenizeCalls = new AtomicInteger();

    /** Sizes of the batches classified so far, in call order. */
    List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** Makes every later classify call throw an IllegalStateException (true), or work again (false). */
    void setFailing(boolean fail) {
        failing.set(fail);
    }

    /**
     * Makes every later classify call fail as a broken model file would, with an InferenceException on any
     * input (true), or work again (false).
     */
    void setBroken(boolean isBroken) {
        broken.set(isBroken);
    }

    /** Number of texts tokenized so far. */
    int tokenizeCalls() {
        return tokenizeCalls.get();
    }

    @Override
    public ModelInfo info() {
        return INFO;
    }

    @Override
    public Tokens tokenize(String text) {
        tokenizeCalls.incrementAndGet();
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            tokens.add(matcher.group().toLowerCase(Locale.ROOT));
        }
        return new Tokens(tokens);
    }

    @Override
    public List<Prediction> classify(List<Tokens> batch) {
        if (failing.get()) {
            throw new IllegalStateException("test double: the model is down");
        }
        if (broken.get()) {
            throw new InferenceException("test double: the model fails on everything");
        }
        batchSizes.add(batch.size());
        List<Prediction> predictions = new ArrayList<>(batch.size());
        for (Tokens text : batch) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("test double: classify got a text without tokens");
            }
            if (text.values().contains(POISON)) {
                throw new InferenceException("test double: the model fails on the token " + POISON);
            }
            long positive = text.values().stream().filter(POSITIVE::contains).count();
            long negative = text.values().stream().filter(NEGATIVE::contains).count();
            boolean isPositive = positive > negative;
            float[] probabilities = isPositive ? new float[] {0.1f, 0.9f} : new float[] {0.8f, 0.2f};
            int index = isPositive ? 1 : 0;
            predictions.add(new Prediction(
                    index,
                    LABELS.get(index),
                    probabilities,
                    probabilities.clone(),
                    INFO,
                    text.size(),
                    knownTokens(text),
                    text.size() > INFO.maxLength()));
        }
        return predictions;
    }

    /** Known tokens: those it reads (at most its maximum length) made of ASCII characters only. */
    private static int knownTokens(Tokens text) {
        return (int) text.values().stream()
                .limit(INFO.maxLength())
                .filter(t -> t.chars().allMatch(c -> c < 128))
                .count();
    }

    @Override
    public void close() {
        // nothing to release
    }
}
