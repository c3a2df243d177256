package org.sentimentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loading a model file: what is accepted, and how each broken file is refused. */
class ModelLoaderTest {

    @TempDir
    Path directory;

    private final ModelLoader loader = new ModelLoader(ModelOptions.defaults());

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(directory.resolve(name), bytes);
    }

    @Test
    void shouldLoadAValidModelAndReadItsMetadata() throws IOException {
        Path file = write("good.onnx", TestModelBuilder.small().build());

        try (LoadedModel model = loader.load(file)) {
            ModelMetadata metadata = model.metadata();
            assertThat(metadata.info())
                    .isEqualTo(new ModelInfo("test-bilstm", "0.0.1", List.of("negative", "positive"), 8));
            assertThat(metadata.vocabulary().size()).isEqualTo(20);
            assertThat(metadata.vocabulary().idOf("love")).isEqualTo(7);
            assertThat(metadata.vocabulary().idOf("😂")).isEqualTo(19);
            assertThat(metadata.property(ModelMetadata.EVALUATION)).contains("{\"accuracy\": 0.5}");
            assertThat(model.source()).isEqualTo(file.toAbsolutePath().toString());
            assertThat(model.fileSha256()).hasSize(64);
        }
    }

    @Test
    void shouldRefuseAMissingFileNamingIt() {
        Path file = directory.resolve("absent.onnx");

        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldRefuseADirectory() {
        assertThatThrownBy(() -> loader.load(directory))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void shouldRefuseAMissingClassPathResource() {
        assertThatThrownBy(() -> loader.loadResource("model/no-such-model.onnx"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("classpath:model/no-such-model.onnx")
                .hasMessageContaining("not on the class path");
    }

    @Test
    void shouldRefuseAnEmptyFile() throws IOException {
        Path file = write("empty.onnx", new byte[0]);

        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("empty");
    }

    @Test
    void shouldRefuseATruncatedFile() throws IOException {
        byte[] good = TestModelBuilder.small().build();
        Path file = write("truncated.onnx", Arrays.copyOf(good, good.length / 2));

        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("ONNX Runtime cannot load it as a model");
    }

    @Test
    void shouldRefuseRandomBytes() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        Path file = write("garbage.onnx", garbage);

        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("ONNX Runtime cannot load it as a model");
    }

    @Test
    void shouldRefuseAModelWhoseIdsInputHasAnotherName() {
        byte[] bytes = TestModelBuilder.small()
                .idsInput("tokens", TestModelBuilder.INT64)
                .build();

        assertThatThrownBy(() -> loader.load(bytes, "renamed.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("renamed.onnx")
                .hasMessageContaining("graph inputs are")
                .hasMessageContaining("tokens");
    }

    @Test
    void shouldRefuseIdsOfTypeInt32() {
        byte[] bytes =
                TestModelBuilder.small().idsInput("ids", TestModelBuilder.INT32).build();

        assertThatThrownBy(() -> loader.load(bytes, "int32.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("input ids has element type int32, expected int64");
    }

    @Test
    void shouldRefuseAModelWithoutLengthsInput() {
        byte[] bytes = TestModelBuilder.small().withoutLengthsInput().build();

        assertThatThrownBy(() -> loader.load(bytes, "nolengths.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("expected exactly [ids, lengths]");
    }

    @Test
    void shouldRefuseLogitsThatAreNotFloat32() {
        byte[] bytes =
                TestModelBuilder.small().logitsType(TestModelBuilder.DOUBLE).build();

        assertThatThrownBy(() -> loader.load(bytes, "double.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("output logits has element type double, expected float32");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sentiment.contract",
                "sentiment.tokenizer",
                "sentiment.model_name",
                "sentiment.model_version",
                "sentiment.labels",
                "sentiment.max_length",
                "sentiment.pad_id",
                "sentiment.unk_id",
                "sentiment.vocabulary",
                "sentiment.vocabulary_sha256"
            })
    void shouldRefuseAModelMissingARequiredProperty(String key) {
        byte[] bytes = TestModelBuilder.small().metadata(key, null).build();

        assertThatThrownBy(() -> loader.load(bytes, "incomplete.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("Invalid model file incomplete.onnx: metadata property " + key + " is missing");
    }

    @Test
    void shouldRefuseAnotherContractVersion() {
        byte[] bytes = TestModelBuilder.small()
                .metadata("sentiment.contract", "sentiment-model/2")
                .build();

        assertThatThrownBy(() -> loader.load(bytes, "v2.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("sentiment.contract is 'sentiment-model/2'");
    }

    @Test
    void shouldRefuseAnotherTokenizerVersion() {
        byte[] bytes = TestModelBuilder.small()
                .metadata("sentiment.tokenizer", "sentiment-tokenizer/2")
                .build();

        assertThatThrownBy(() -> loader.load(bytes, "tok2.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("sentiment.tokenizer is 'sentiment-tokenizer/2'");
    }

    @Test
    void shouldRefuseAVocabularyThatDoesNotMatchItsDigest() {
        byte[] bytes = TestModelBuilder.small()
                .metadata("sentiment.vocabulary", "[\"<pad>\",\"<unk>\",\"tampered\"]")
                .build();

        assertThatThrownBy(() -> loader.load(bytes, "tampered.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("sentiment.vocabulary_sha256 is")
                .hasMessageContaining("but the SHA-256 of sentiment.vocabulary is");
    }

    @Test
    void shouldRefuseAVocabularyThatIsNotAJsonArrayOfStrings() {
        String notStrings = "[\"<pad>\", 1]";
        byte[] bytes = TestModelBuilder.small()
                .metadata("sentiment.vocabulary", notStrings)
                .metadata("sentiment.vocabulary_sha256", ModelMetadataReader.sha256Hex(notStrings))
                .build();

        assertThatThrownBy(() -> loader.load(bytes, "numbers.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("sentiment.vocabulary holds NUMBER element 1");
    }

    @Test
    void shouldRefuseAVocabularyWithADuplicateToken() {
        String duplicate = "[\"<pad>\",\"<unk>\",\"a\",\"a\"]";
        byte[] bytes = TestModelBuilder.small()
                .metadata("sentiment.vocabulary", duplicate)
                .metadata("sentiment.vocabulary_sha256", ModelMetadataReader.sha256Hex(duplicate))
                .build();

        assertThatThrownBy(() -> loader.load(bytes, "duplicate.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("holds token 'a' twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sentiment.pad_id", "sentiment.unk_id"})
    void shouldRefuseSpecialIdsOutsideTheVocabulary(String key) {
        byte[] bytes = TestModelBuilder.small().metadata(key, "20").build();

        assertThatThrownBy(() -> loader.load(bytes, "ids.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("20 is outside the vocabulary (ids 0..19)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3"})
    void shouldRefuseANonPositiveMaxLength(String value) {
        byte[] bytes =
                TestModelBuilder.small().metadata("sentiment.max_length", value).build();

        assertThatThrownBy(() -> loader.load(bytes, "len.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("sentiment.max_length is " + value + ", it must be a positive integer");
    }

    @Test
    void shouldRefuseAMaxLengthThatIsNotAnInteger() {
        byte[] bytes = TestModelBuilder.small()
                .metadata("sentiment.max_length", "64.5")
                .build();

        assertThatThrownBy(() -> loader.load(bytes, "len.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("sentiment.max_length is '64.5', not an integer");
    }

    @Test
    void shouldRefuseLabelsThatDoNotMatchTheLogitsDimension() {
        byte[] bytes = TestModelBuilder.small()
                .metadata("sentiment.labels", "[\"negative\",\"neutral\",\"positive\"]")
                .build();

        assertThatThrownBy(() -> loader.load(bytes, "labels.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("output logits has 2 labels but sentiment.labels names 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"negative,positive", "{\"a\": 1}", "[]", "[\"a\",\"a\"]", "[\"a\"] trailing"})
    void shouldRefuseLabelsThatAreNotANonEmptyArrayOfDistinctStrings(String labels) {
        byte[] bytes =
                TestModelBuilder.small().metadata("sentiment.labels", labels).build();

        assertThatThrownBy(() -> loader.load(bytes, "labels.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("sentiment.labels");
    }

    @Test
    void shouldExplainThatCudaIsUnavailableNamingTheSetting() throws IOException {
        Path file = write("good.onnx", TestModelBuilder.small().build());
        ModelLoader cudaLoader = new ModelLoader(ModelOptions.defaults().withProvider(ExecutionProvider.CUDA));

        assertThatThrownBy(() -> cudaLoader.load(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.provider=cuda")
                .hasMessageContaining("model.provider=cpu");
    }
}
