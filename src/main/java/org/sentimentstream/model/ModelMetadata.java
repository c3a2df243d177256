package org.sentimentstream.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sentimentstream.tokenizer.Vocabulary;

/**
 * The checked metadata of a {@code sentiment-model/1} file (docs/MODEL_CONTRACT.md).
 *
 * @param contract         {@code sentiment.contract}
 * @param tokenizer        {@code sentiment.tokenizer}
 * @param name             {@code sentiment.model_name}
 * @param version          {@code sentiment.model_version}
 * @param labels           {@code sentiment.labels}, in logit order
 * @param maxLength        {@code sentiment.max_length}
 * @param vocabulary       {@code sentiment.vocabulary} with {@code sentiment.pad_id} and {@code sentiment.unk_id}
 * @param vocabularySha256 {@code sentiment.vocabulary_sha256} (lower-case hex), checked against the vocabulary
 * @param properties       every metadata property of the file, unchanged (architecture, training data,
 *                         evaluation, creation time, and anything else the exporter wrote)
 */
public record ModelMetadata(
        String contract,
        String tokenizer,
        String name,
        String version,
        List<String> labels,
        int maxLength,
        Vocabulary vocabulary,
        String vocabularySha256,
        Map<String, String> properties) {

    public static final String CONTRACT = "sentiment.contract";
    public static final String TOKENIZER = "sentiment.tokenizer";
    public static final String MODEL_NAME = "sentiment.model_name";
    public static final String MODEL_VERSION = "sentiment.model_version";
    public static final String LABELS = "sentiment.labels";
    public static final String MAX_LENGTH = "sentiment.max_length";
    public static final String PAD_ID = "sentiment.pad_id";
    public static final String UNK_ID = "sentiment.unk_id";
    public static final String VOCABULARY = "sentiment.vocabulary";
    public static final String VOCABULARY_SHA256 = "sentiment.vocabulary_sha256";
    public static final String ARCHITECTURE = "sentiment.architecture";
    public static final String TRAINING_DATA = "sentiment.training_data";
    public static final String EVALUATION = "sentiment.evaluation";
    public static final String CREATED_AT = "sentiment.created_at";

    public ModelMetadata {
        labels = List.copyOf(labels);
        properties = Map.copyOf(properties);
    }

    /** Name, version, labels and maximum length, as the stream package sees them. */
    public ModelInfo info() {
        return new ModelInfo(name, version, labels, maxLength);
    }

    /** A metadata property by key ({@code sentiment.evaluation}, ...), when the file has it. */
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }
}
