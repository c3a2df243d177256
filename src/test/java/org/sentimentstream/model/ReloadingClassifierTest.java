package org.sentimentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.tokenizer.Tokens;

/**
 * Hot reload of the model file: a replacement is switched in between calls, a call in progress keeps its
 * model until it ends, and a replacement that is corrupt or changes the labels or the tokenizer is refused
 * while the old model keeps serving.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReloadingClassifierTest {

    private static final List<Tokens> BATCH =
            List.of(new Tokens(List.of("i", "love", "it")), new Tokens(List.of("the", "movie", "is", "bad")));

    @TempDir
    Path directory;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ModelReloadListener listener = new ModelReloadListener() {
        @Override
        public void applied(LoadedModel previous, LoadedModel next) {
            events.add("applied " + previous.metadata().version() + " -> "
                    + next.metadata().version());
        }

        @Override
        public void refused(String file, String reason) {
            events.add("refused: " + reason);
        }
    };
    private ReloadingClassifier classifier;

    @AfterEach
    void close() {
        if (classifier != null) {
            classifier.close();
        }
    }

    private Path modelFile() {
        return directory.resolve("model.onnx");
    }

    /** Writes a sibling file and renames it over the model file, as a deployment should. */
    private void replaceAtomically(byte[] bytes) throws IOException {
        Path next = Files.write(directory.resolve("model.onnx.next"), bytes);
        Files.move(next, modelFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private ReloadingClassifier openVersion1(Duration interval) throws IOException {
        Files.write(modelFile(), TestModelBuilder.small().version("0.0.1").build());
        classifier = ReloadingClassifier.open(modelFile(), ModelOptions.defaults(), interval, listener);
        return classifier;
    }

    private static List<String> versionsOf(List<Prediction> predictions) {
        List<String> versions = new ArrayList<>();
        predictions.forEach(p -> versions.add(p.model().version()));
        return versions;
    }

    @Test
    void shouldSwitchToAReplacementOnceItLookedTheSameOnTwoChecks() throws IOException {
        openVersion1(Duration.ZERO);
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.1");

        replaceAtomically(TestModelBuilder.small().version("0.0.2").build());

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.SETTLING);
        assertThat(classifier.info().version()).as("not before the second look").isEqualTo("0.0.1");
        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.APPLIED);
        assertThat(classifier.info().version()).isEqualTo("0.0.2");
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.2");
        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.UNCHANGED);
        assertThat(events).containsExactly("applied 0.0.1 -> 0.0.2");
    }

    @Test
    void shouldFinishACallInProgressOnTheOldModelAndCloseItWhenTheCallEnds() throws IOException {
        openVersion1(Duration.ZERO);
        ReloadingClassifier.Serving pinned = classifier.acquire();

        replaceAtomically(TestModelBuilder.small().version("0.0.2").build());
        classifier.checkNow();
        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.APPLIED);

        assertThat(versionsOf(pinned.classifier().classify(BATCH)))
                .as("the pinned call's model is still open after the switch")
                .containsOnly("0.0.1");
        pinned.release();
        assertThatThrownBy(() -> pinned.classifier().classify(BATCH))
                .as("closed once its last call ended")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.2");
    }

    @Test
    void shouldAcceptAnotherVocabularyAndMaximumLength() throws IOException {
        openVersion1(Duration.ZERO);
        List<String> words = new ArrayList<>(List.of("<pad>", "<unk>", "i", "love", "it", "movie"));
        byte[] other = new TestModelBuilder(words, List.of("negative", "positive"), 4, 3, 7)
                .version("0.1.0")
                .metadata("sentiment.max_length", "3")
                .build();

        replaceAtomically(other);
        classifier.checkNow();

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.APPLIED);
        List<Prediction> predictions = classifier.classify(BATCH);
        assertThat(versionsOf(predictions)).containsOnly("0.1.0");
        assertThat(predictions.get(1).truncated()).as("4 tokens, new maximum 3").isTrue();
    }

    @Test
    void shouldRefuseACorruptReplacementAndKeepServingTheOldModel() throws IOException {
        openVersion1(Duration.ZERO);

        replaceAtomically(TestModels.truncatedBundled());
        classifier.checkNow();

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.REFUSED);
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.1");
        assertThat(events).singleElement().asString().startsWith("refused: ").contains("cannot load it as a model");
        assertThat(classifier.checkNow())
                .as("the same refused file is not tried again")
                .isEqualTo(ReloadingClassifier.Check.UNCHANGED);
        assertThat(events).hasSize(1);
    }

    @Test
    void shouldRefuseAReplacementThatDoesNotMatchThePinnedDigestAndKeepServing() throws IOException {
        byte[] version1 = TestModelBuilder.small().version("0.0.1").build();
        Files.write(modelFile(), version1);
        classifier = ReloadingClassifier.open(
                modelFile(),
                ModelOptions.defaults(),
                ModelDigest.of(ModelLoader.sha256Hex(version1)),
                Duration.ZERO,
                listener);

        replaceAtomically(TestModelBuilder.small().version("0.0.2").build());
        classifier.checkNow();

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.REFUSED);
        assertThat(classifier.info().version()).isEqualTo("0.0.1");
        assertThat(events).singleElement().asString().contains("not the pinned", "model.sha256");
    }

    @Test
    void shouldRefuseToStartOnAFileThatDoesNotMatchThePinnedDigest() throws IOException {
        Files.write(modelFile(), TestModelBuilder.small().version("0.0.1").build());
        ModelDigest other = ModelDigest.of("ab".repeat(32));

        assertThatThrownBy(() ->
                        ReloadingClassifier.open(modelFile(), ModelOptions.defaults(), other, Duration.ZERO, listener))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(modelFile().toAbsolutePath().toString())
                .hasMessageContaining("not the pinned " + "ab".repeat(32));
    }

    @Test
    void shouldRefuseAReplacementWithOtherLabels() throws IOException {
        openVersion1(Duration.ZERO);

        replaceAtomically(TestModelBuilder.small()
                .version("0.0.2")
                .metadata("sentiment.labels", "[\"positive\",\"negative\"]")
                .build());
        classifier.checkNow();

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.REFUSED);
        assertThat(classifier.info().version()).isEqualTo("0.0.1");
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.1");
        assertThat(events).singleElement().asString().contains("labels").contains("needs a restart");
    }

    @Test
    void shouldRefuseAReplacementWithAnotherTokenizer() throws IOException {
        openVersion1(Duration.ZERO);

        replaceAtomically(TestModelBuilder.small()
                .version("0.0.2")
                .metadata("sentiment.tokenizer", "sentiment-tokenizer/2")
                .build());
        classifier.checkNow();

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.REFUSED);
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.1");
        assertThat(events).singleElement().asString().contains("sentiment.tokenizer");
    }

    @Test
    void shouldNotReloadAFileThatHoldsTheServingModel() throws IOException {
        openVersion1(Duration.ZERO);

        replaceAtomically(Files.readAllBytes(modelFile()));
        classifier.checkNow();

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.SAME_CONTENT);
        assertThat(events).isEmpty();
    }

    @Test
    void shouldKeepServingWhileTheFileIsMissing() throws IOException {
        openVersion1(Duration.ZERO);

        Files.delete(modelFile());

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.UNREADABLE);
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.1");
        replaceAtomically(TestModelBuilder.small().version("0.0.3").build());
        classifier.checkNow();
        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.APPLIED);
    }

    @Test
    void shouldNoticeAReplacementOnItsOwnWithAnInterval() throws Exception {
        openVersion1(Duration.ofMillis(20));

        replaceAtomically(TestModelBuilder.small().version("0.0.2").build());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!classifier.info().version().equals("0.0.2") && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertThat(classifier.info().version()).isEqualTo("0.0.2");
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.2");
    }

    @Test
    void shouldRefuseToStartOnABadFile() throws IOException {
        Files.write(modelFile(), TestModels.truncatedBundled());

        assertThatThrownBy(
                        () -> ReloadingClassifier.open(modelFile(), ModelOptions.defaults(), Duration.ZERO, listener))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(modelFile().toAbsolutePath().toString());
    }

    @Test
    void shouldFailCallsAfterClose() throws IOException {
        openVersion1(Duration.ZERO);
        classifier.close();

        assertThatThrownBy(() -> classifier.classify(BATCH)).isInstanceOf(IllegalStateException.class);
        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.CLOSED);
    }

    @Test
    void shouldRefuseAReplacementWithNanWeightsAndKeepServingTheOldModel() throws IOException {
        openVersion1(Duration.ZERO);

        replaceAtomically(
                TestModelBuilder.small().version("0.0.2").nanOutputWeights().build());
        classifier.checkNow();

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.REFUSED);
        assertThat(classifier.info().version()).isEqualTo("0.0.1");
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.1");
        assertThat(events).singleElement().asString().startsWith("refused: ").contains("self-check");
    }

    @Test
    void shouldRefuseAReplacementThatFailsOnEveryTextWithAnUnknownWord() throws IOException {
        openVersion1(Duration.ZERO);
        replaceAtomically(
                TestModelBuilder.small().version("0.0.2").failingOn("<unk>").build());
        classifier.checkNow();

        assertThat(classifier.checkNow()).isEqualTo(ReloadingClassifier.Check.REFUSED);
        assertThat(versionsOf(classifier.classify(BATCH))).containsOnly("0.0.1");
    }

    @Test
    void shouldCloseTheReplacedModelEvenWhenTheListenerThrows() throws IOException {
        Files.write(modelFile(), TestModelBuilder.small().version("0.0.1").build());
        ModelReloadListener throwing = new ModelReloadListener() {
            @Override
            public void applied(LoadedModel previous, LoadedModel next) {
                throw new IllegalStateException("a listener bug");
            }
        };
        classifier = ReloadingClassifier.open(modelFile(), ModelOptions.defaults(), Duration.ZERO, throwing);
        ReloadingClassifier.Serving old = classifier.acquire();
        old.release();
        replaceAtomically(TestModelBuilder.small().version("0.0.2").build());
        classifier.checkNow();

        assertThatThrownBy(classifier::checkNow).hasMessageContaining("a listener bug");

        assertThat(classifier.info().version()).isEqualTo("0.0.2");
        assertThatThrownBy(() -> old.classifier().classify(BATCH))
                .as("the replaced model is closed: no call holds it")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
