package org.sentimentstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.tokenizer.EncodedText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the benchmark sample as JSON for the Python comparison (benchmarks/python_ort.py): for each
 * text its token ids (as the Java encoder produced them) and the logits the Java classifier gave, plus
 * the mean tokens per record. Usage: {@code java -cp target/benchmarks.jar
 * org.sentimentstream.bench.SampleExport <out.json>}.
 */
public final class SampleExport {

    private static final Logger LOG = LoggerFactory.getLogger(SampleExport.class);
    private static final int BATCH = 128;

    private SampleExport() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SampleExport <out.json>");
        }
        Path out = Path.of(args[0]);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        try (OnnxSentimentClassifier classifier = OnnxSentimentClassifier.openBundled(ModelOptions.defaults())) {
            TweetSample sample = TweetSample.load(classifier);
            root.put("seed", TweetSample.SEED);
            root.put("size", TweetSample.SIZE);
            root.put(
                    "directory",
                    TweetSample.directory().toAbsolutePath().normalize().toString());
            root.put("model_sha256", classifier.model().fileSha256());
            root.put("mean_tokens", sample.meanTokens());
            ArrayNode records = root.putArray("records");
            List<EncodedText> encoded = sample.encoded();
            for (int start = 0; start < encoded.size(); start += BATCH) {
                List<EncodedText> batch = encoded.subList(start, Math.min(encoded.size(), start + BATCH));
                List<Prediction> predictions = classifier.classifyEncoded(batch);
                for (int i = 0; i < batch.size(); i++) {
                    ObjectNode record = records.addObject();
                    record.put("text", sample.texts().get(start + i));
                    ArrayNode ids = record.putArray("ids");
                    for (long id : batch.get(i).ids()) {
                        ids.add(id);
                    }
                    ArrayNode logits = record.putArray("logits");
                    for (float logit : predictions.get(i).logits()) {
                        logits.add(logit);
                    }
                }
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            mapper.writeValue(out.toFile(), root);
            LOG.info("Wrote {} texts (mean {} tokens) to {}", encoded.size(), sample.meanTokens(), out);
        }
    }
}
