package org.sentimentstream.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.tokenizer.EncodedText;

/**
 * TEST DOUBLE of the model: tokens are runs of letters or digits (so "!!!" or "\u200B" has none),
 * "good", "great" and "love" are positive, "bad", "awful" and "hate" negative, and a text is positive
 * when it has more positive than negative words. Records the size of every batch it classifies, and
 * can be made to fail like a broken model.
 */
final class KeywordClassifier implements SentimentClassifier {

    static final List<String> LABELS = List.of("negative", "positive");
    static final ModelInfo INFO = new ModelInfo("keyword-test-double", "0.0.1", LABELS, 8);
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final long POSITIVE = 2;
    private static final long NEGATIVE = 3;
    private static final long OTHER = 4;

    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    /** Sizes of the batches classified so far, in call order. */
    List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** Makes every later classify call throw (true) or work again (false). */
    void setFailing(boolean fail) {
        failing.set(fail);
    }

    @Override
    public ModelInfo info() {
        return INFO;
    }

    @Override
    public EncodedText encode(String text) {
        List<Long> ids = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            ids.add(
                    switch (matcher.group().toLowerCase(Locale.ROOT)) {
                        case "good", "great", "love" -> POSITIVE;
                        case "bad", "awful", "hate" -> NEGATIVE;
                        default -> OTHER;
                    });
        }
        long[] kept =
                ids.stream().limit(INFO.maxLength()).mapToLong(Long::longValue).toArray();
        return new EncodedText(kept, ids.size());
    }

    @Override
    public List<Prediction> classify(List<EncodedText> batch) {
        if (failing.get()) {
            throw new IllegalStateException("test double: the model is down");
        }
        batchSizes.add(batch.size());
        List<Prediction> predictions = new ArrayList<>(batch.size());
        for (EncodedText text : batch) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("test double: classify got a text without tokens");
            }
            long positive =
                    Arrays.stream(text.ids()).filter(id -> id == POSITIVE).count();
            long negative =
                    Arrays.stream(text.ids()).filter(id -> id == NEGATIVE).count();
            boolean isPositive = positive > negative;
            float[] probabilities = isPositive ? new float[] {0.1f, 0.9f} : new float[] {0.8f, 0.2f};
            int index = isPositive ? 1 : 0;
            predictions.add(new Prediction(index, LABELS.get(index), probabilities, probabilities.clone()));
        }
        return predictions;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
