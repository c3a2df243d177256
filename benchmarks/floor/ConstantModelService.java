/*
 * The pass-through floor of the service: the same topology, settings and Kafka Streams runtime as `run`, with the
 * model call replaced by a constant answer (texts are still decoded, checked, tokenized, buffered and encoded).
 * What remains of a record's latency and CPU here is what Kafka, the JVM and the service's own code cost.
 *
 *   java -cp target/sentiment-stream.jar benchmarks/floor/ConstantModelService.java -b HOST:PORT [--set k=v ...]
 *
 * Runs until SIGTERM. Not part of the service: a measurement tool of benchmarks/e2e.sh (E2E_SERVICES=constant).
 */

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sentimentstream.app.SentimentService;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.tokenizer.Tokenizer;
import org.sentimentstream.tokenizer.Tokens;

public final class ConstantModelService {

    /** Tokenizes for real, answers "positive" with fixed probabilities without running a model. */
    static final class ConstantClassifier implements SentimentClassifier {
        private static final ModelInfo INFO = new ModelInfo("constant", "0", List.of("negative", "positive"), 64);
        private static final float[] PROBABILITIES = {0.25f, 0.75f};
        private final Tokenizer tokenizer = new Tokenizer();

        @Override
        public ModelInfo info() {
            return INFO;
        }

        @Override
        public Tokens tokenize(String text) {
            return Tokens.of(tokenizer, text);
        }

        @Override
        public List<Prediction> classify(List<Tokens> batch) {
            List<Prediction> predictions = new ArrayList<>(batch.size());
            for (Tokens tokens : batch) {
                predictions.add(new Prediction(
                        1, "positive", PROBABILITIES, PROBABILITIES, INFO, tokens.size(),
                        tokens.size() > INFO.maxLength()));
            }
            return predictions;
        }

        @Override
        public void close() {}
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "run" -> {}
                case "-b", "--bootstrap-servers" -> settings.put("bootstrap.servers", args[++i]);
                case "--set" -> {
                    String[] setting = args[++i].split("=", 2);
                    settings.put(setting[0], setting[1]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        SentimentService service = SentimentService.create(new SentimentStreamConfig(settings), new ConstantClassifier());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "constant-service-stop"));
        service.start();
        service.awaitStop().ifPresent(failure -> {
            throw new IllegalStateException("the service failed", failure);
        });
    }
}
