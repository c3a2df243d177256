package org.sentimentstream.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Model files for tests outside this package (the command line's start-up tests): the bundled model,
 * damaged, and small models that break the model contract in one way each.
 */
public final class TestModels {

    private static final String BUNDLED = "/model/sentiment-bilstm.onnx";

    private TestModels() {}

    /** The bytes of the model bundled in the jar. */
    public static byte[] bundled() {
        try (InputStream in = TestModels.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("The bundled model " + BUNDLED + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first half of the bundled model, as a copy cut short would leave it. */
    public static byte[] truncatedBundled() {
        byte[] bundled = bundled();
        return Arrays.copyOf(bundled, bundled.length / 2);
    }

    /** A small valid model (random weights) that follows the contract. */
    public static byte[] valid() {
        return TestModelBuilder.small().build();
    }

    /** A small valid model (random weights, the same for every version) with this model version. */
    public static byte[] valid(String version) {
        return TestModelBuilder.small().version(version).build();
    }

    /** Its token-id input is called {@code tokens} instead of {@code ids}. */
    public static byte[] idsInputRenamed() {
        return TestModelBuilder.small()
                .idsInput("tokens", TestModelBuilder.INT64)
                .build();
    }

    /** Its token ids are int32 instead of int64. */
    public static byte[] idsOfTypeInt32() {
        return TestModelBuilder.small().idsInput("ids", TestModelBuilder.INT32).build();
    }

    /** It has no {@code lengths} input. */
    public static byte[] withoutLengthsInput() {
        return TestModelBuilder.small().withoutLengthsInput().build();
    }

    /** Its logits are float64. */
    public static byte[] doubleLogits() {
        return TestModelBuilder.small().logitsType(TestModelBuilder.DOUBLE).build();
    }

    /** Its metadata names 3 labels for 2 logits. */
    public static byte[] threeLabelsForTwoLogits() {
        return TestModelBuilder.small()
                .metadata("sentiment.labels", "[\"negative\",\"neutral\",\"positive\"]")
                .build();
    }

    /** Its metadata lacks the vocabulary. */
    public static byte[] withoutVocabulary() {
        return TestModelBuilder.small().metadata("sentiment.vocabulary", null).build();
    }

    /** A small valid model that returns NaN logits for any text holding the word {@code word}. */
    public static byte[] failingOn(String word) {
        return TestModelBuilder.small().failingOn(word).build();
    }

    /** A small model whose output-layer weights are NaN: it loads, follows the contract and classifies nothing. */
    public static byte[] nanWeights() {
        return TestModelBuilder.small().nanOutputWeights().build();
    }

    /** A small model that returns NaN logits for every text: every word of its vocabulary is damaged. */
    public static byte[] failingOnEverything() {
        TestModelBuilder builder = TestModelBuilder.small();
        builder.failingOnAll();
        return builder.build();
    }
}
