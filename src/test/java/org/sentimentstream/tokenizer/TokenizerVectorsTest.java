package org.sentimentstream.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;

/**
 * Java's tokenizer against the shared vectors written by the Python tokenizer
 * (src/test/resources/model/tokenizer-vectors.jsonl): the same tokens, and the same ids and known-token
 * count with the bundled model's vocabulary and maximum length, for every vector.
 */
class TokenizerVectorsTest {

    private static OnnxSentimentClassifier bundled;
    private final Tokenizer tokenizer = new Tokenizer();

    @BeforeAll
    static void openBundledModel() {
        bundled = OnnxSentimentClassifier.openBundled(ModelOptions.defaults());
    }

    @AfterAll
    static void closeBundledModel() {
        bundled.close();
    }

    @TestFactory
    Stream<DynamicTest> shouldProduceTheTokensOfEveryVector() {
        return SharedVectors.read("model/tokenizer-vectors.jsonl").stream()
                .map(line -> DynamicTest.dynamicTest(line.describe(), () -> {
                    List<String> expected = line.strings("tokens");
                    assertThat(tokenizer.tokenize(line.text()))
                            .as(line.describe())
                            .isEqualTo(expected);
                }));
    }

    @TestFactory
    Stream<DynamicTest> shouldProduceTheIdsOfEveryVector() {
        return SharedVectors.read("model/tokenizer-vectors.jsonl").stream()
                .map(line -> DynamicTest.dynamicTest(line.describe(), () -> {
                    EncodedText encoded = bundled.encode(line.text());
                    assertThat(encoded.ids()).as(line.describe()).containsExactly(line.longs("ids"));
                    assertThat(encoded.tokenCount())
                            .as(line.describe())
                            .isEqualTo(line.strings("tokens").size());
                    assertThat(encoded.knownTokenCount())
                            .as(line.describe() + ": known tokens")
                            .isEqualTo(line.integer("known_token_count"));
                }));
    }
}
