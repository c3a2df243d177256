package org.sentimentstream.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.tokenizer.Tokens;

/**
 * TEST SPY around a real classifier: remembers the length of every text it was asked to tokenize and
 * counts the texts it classified, so a test can prove that a record never reached the tokenizer.
 * Closing it leaves the real classifier open (tests share one).
 */
final class ObservedClassifier implements SentimentClassifier {

    private final SentimentClassifier delegate;
    private final AtomicInteger longestTokenizedChars = new AtomicInteger();
    private final AtomicInteger tokenizeCalls = new AtomicInteger();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    ObservedClassifier(SentimentClassifier delegate) {
        this.delegate = delegate;
    }

    /** Length in chars of the longest text given to {@link #tokenize(String)} so far; 0 if none. */
    int longestTokenizedChars() {
        return longestTokenizedChars.get();
    }

    /** Number of {@link #tokenize(String)} calls so far. */
    int tokenizeCalls() {
        return tokenizeCalls.get();
    }

    /** Number of texts classified so far, over all batches. */
    int classifiedTexts() {
        return batchSizes.stream().mapToInt(Integer::intValue).sum();
    }

    /** Number of {@link #classify} calls so far. */
    int classifyCalls() {
        return batchSizes.size();
    }

    @Override
    public ModelInfo info() {
        return delegate.info();
    }

    @Override
    public Tokens tokenize(String text) {
        tokenizeCalls.incrementAndGet();
        longestTokenizedChars.accumulateAndGet(text.length(), Math::max);
        return delegate.tokenize(text);
    }

    @Override
    public List<Prediction> classify(List<Tokens> batch) {
        batchSizes.add(batch.size());
        return delegate.classify(batch);
    }

    @Override
    public void close() {
        // the real classifier belongs to the test class
    }
}
