package org.sentimentstream.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures encode and classify throughput of a model on one caller thread at batch sizes 1, 8, 32 and
 * 128, on synthetic tweet-like texts (vocabulary words, mean about 15 tokens). Not a test: run it by
 * hand, e.g. {@code java -cp target/classes:target/test-classes:<deps> org.sentimentstream.model.ClassifierBenchmark
 * [model.onnx|bundled] [intra-op threads] [seconds per size]}.
 */
public final class ClassifierBenchmark {

    private ClassifierBenchmark() {
    }

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "bundled";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3.0;
        ModelOptions options = ModelOptions.defaults().withIntraOpThreads(threads);
        try (OnnxSentimentClassifier classifier = "bundled".equals(model)
                ? OnnxSentimentClassifier.openBundled(options) : OnnxSentimentClassifier.open(Path.of(model), options)) {
            List<String> texts = syntheticTexts(classifier.metadata().vocabulary(), 4096, new Random(1));
            List<EncodedText> encoded = texts.stream().map(classifier::encode).filter(e -> !e.isEmpty()).toList();
            double meanTokens = encoded.stream().mapToInt(e -> e.ids().length).average().orElse(0);
            long start = System.nanoTime();
            for (int round = 0; round < 5; round++) {
                texts.forEach(classifier::encode);
            }
            double encodeRate = 5.0 * texts.size() / ((System.nanoTime() - start) / 1e9);
            System.out.printf(Locale.ROOT, "model %s %s, intra-op threads %d, mean %.1f tokens/text%n",
                    classifier.info().name(), classifier.info().version(), threads, meanTokens);
            System.out.printf(Locale.ROOT, "encode: %.0f texts/s%n", encodeRate);
            for (int batchSize : new int[]{1, 8, 32, 128}) {
                run(classifier, encoded, batchSize, seconds / 3);
                System.out.printf(Locale.ROOT, "classify batch %3d: %8.0f texts/s%n", batchSize,
                        run(classifier, encoded, batchSize, seconds));
            }
        }
    }

    private static double run(OnnxSentimentClassifier classifier, List<EncodedText> encoded, int batchSize,
                              double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long count = 0;
        int offset = 0;
        while (System.nanoTime() < deadline) {
            if (offset + batchSize > encoded.size()) {
                offset = 0;
            }
            count += classifier.classify(encoded.subList(offset, offset + batchSize)).size();
            offset += batchSize;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static List<String> syntheticTexts(Vocabulary vocabulary, int count, Random random) {
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int words = 5 + random.nextInt(21);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < words; w++) {
                String token = vocabulary.token(6 + random.nextInt(Math.min(2000, vocabulary.size() - 6)));
                text.append(token).append(' ');
            }
            texts.add(text.toString());
        }
        return texts;
    }
}
