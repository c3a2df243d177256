package org.sentimentstream.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sentimentstream.tokenizer.Tokenizer;
import org.sentimentstream.tokenizer.Vocabulary;

/** Reads and checks the metadata properties of a model file against {@code sentiment-model/1}. */
final class ModelMetadataReader {

    /** The model contract this service implements. */
    static final String CONTRACT_VERSION = "sentiment-model/1";

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * @param properties the file's metadata properties
     * @param source     the file, for messages
     * @throws InvalidModelException naming the first property that is missing or wrong
     */
    ModelMetadata read(Map<String, String> properties, String source) {
        Checker checker = new Checker(properties, source);
        String contract = checker.require(ModelMetadata.CONTRACT);
        if (!CONTRACT_VERSION.equals(contract)) {
            throw checker.invalid(ModelMetadata.CONTRACT + " is '" + contract + "', this service implements '"
                    + CONTRACT_VERSION + "'");
        }
        String tokenizer = checker.require(ModelMetadata.TOKENIZER);
        if (!Tokenizer.SPECIFICATION.equals(tokenizer)) {
            throw checker.invalid(ModelMetadata.TOKENIZER + " is '" + tokenizer + "', this service implements '"
                    + Tokenizer.SPECIFICATION + "'");
        }
        String name = checker.require(ModelMetadata.MODEL_NAME);
        String version = checker.require(ModelMetadata.MODEL_VERSION);
        List<String> labels = checker.stringArray(ModelMetadata.LABELS);
        if (labels.isEmpty()) {
            throw checker.invalid(ModelMetadata.LABELS + " is an empty array");
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw checker.invalid(ModelMetadata.LABELS + " " + labels + " holds a label twice");
        }
        int maxLength = checker.integer(ModelMetadata.MAX_LENGTH);
        if (maxLength < 1) {
            throw checker.invalid(ModelMetadata.MAX_LENGTH + " is " + maxLength + ", it must be a positive integer");
        }
        String vocabularyJson = checker.require(ModelMetadata.VOCABULARY);
        String declaredDigest =
                checker.require(ModelMetadata.VOCABULARY_SHA256).trim().toLowerCase(Locale.ROOT);
        String actualDigest = sha256Hex(vocabularyJson);
        if (!actualDigest.equals(declaredDigest)) {
            throw checker.invalid(ModelMetadata.VOCABULARY_SHA256 + " is " + declaredDigest + " but the SHA-256 of "
                    + ModelMetadata.VOCABULARY + " is " + actualDigest);
        }
        List<String> tokens = checker.stringArray(ModelMetadata.VOCABULARY);
        int padId = checker.integer(ModelMetadata.PAD_ID);
        int unkId = checker.integer(ModelMetadata.UNK_ID);
        Vocabulary vocabulary;
        try {
            vocabulary = new Vocabulary(tokens, padId, unkId);
        } catch (IllegalArgumentException e) {
            throw checker.invalid(ModelMetadata.VOCABULARY + ": " + e.getMessage());
        }
        return new ModelMetadata(
                contract, tokenizer, name, version, labels, maxLength, vocabulary, actualDigest, properties);
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Typed access to the properties, failing with the file and key in the message. */
    private final class Checker {
        private final Map<String, String> properties;
        private final String source;

        Checker(Map<String, String> properties, String source) {
            this.properties = properties;
            this.source = source;
        }

        InvalidModelException invalid(String problem) {
            return new InvalidModelException(source, problem);
        }

        String require(String key) {
            String value = properties.get(key);
            if (value == null || value.isBlank()) {
                throw invalid("metadata property " + key + " is missing" + (value == null ? "" : " (blank)"));
            }
            return value;
        }

        int integer(String key) {
            String value = require(key).trim();
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw invalid(key + " is '" + value + "', not an integer");
            }
        }

        List<String> stringArray(String key) {
            String value = require(key);
            JsonNode node;
            try {
                node = json.readTree(value);
            } catch (JsonProcessingException e) {
                throw invalid(key + " is not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isArray()) {
                throw invalid(key + " is not a JSON array of strings");
            }
            List<String> strings = new ArrayList<>(node.size());
            for (JsonNode element : node) {
                if (!element.isTextual()) {
                    throw invalid(key + " holds " + element.getNodeType() + " element " + element
                            + ", expected only strings");
                }
                strings.add(element.textValue());
            }
            return strings;
        }
    }

    /** Keys the contract requires, for documentation and tests. */
    static Set<String> requiredKeys() {
        return Set.of(
                ModelMetadata.CONTRACT,
                ModelMetadata.TOKENIZER,
                ModelMetadata.MODEL_NAME,
                ModelMetadata.MODEL_VERSION,
                ModelMetadata.LABELS,
                ModelMetadata.MAX_LENGTH,
                ModelMetadata.PAD_ID,
                ModelMetadata.UNK_ID,
                ModelMetadata.VOCABULARY,
                ModelMetadata.VOCABULARY_SHA256);
    }
}
