package org.sentimentstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code model.provider=auto}: CUDA when a session can really be created on it, else the CPU, with the
 * reason. The real check runs on this machine's CPU build of ONNX Runtime (no CUDA provider at all); an
 * injected session factory stands in for a host where CUDA works, and for the GPU build on a host without
 * CUDA libraries (it lists CUDA, then fails to create the session).
 */
class ProviderSelectionTest {

    private static final ModelOptions AUTO = ModelOptions.defaults().withProvider(ExecutionProvider.AUTO);

    /** Opens real CPU sessions whatever provider is asked, and records what was asked. */
    private static final class RecordingFactory implements ModelLoader.SessionFactory {

        final List<ExecutionProvider> asked = new ArrayList<>();
        final boolean cudaWorks;

        RecordingFactory(boolean cudaWorks) {
            this.cudaWorks = cudaWorks;
        }

        @Override
        public OrtSession open(byte[] bytes, String source, ExecutionProvider provider) {
            asked.add(provider);
            if (provider == ExecutionProvider.CUDA && !cudaWorks) {
                throw new ModelLoadException("model.provider=auto: the CUDA execution provider cannot be used"
                        + " (libcudnn.so.9: cannot open shared object file)");
            }
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                return OrtEnvironment.getEnvironment().createSession(bytes, options);
            } catch (OrtException e) {
                throw new InvalidModelException(source, "ONNX Runtime cannot load it as a model: " + e.getMessage());
            }
        }
    }

    @Test
    void shouldFallBackToTheCpuOnThisMachineSayingWhyCudaWasNotUsed() {
        try (LoadedModel model =
                new ModelLoader(AUTO).load(TestModelBuilder.small().build(), "auto.onnx")) {
            assertThat(model.provider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(model.providerReason())
                    .startsWith("model.provider=auto chose cpu: no session could be created on CUDA (")
                    .containsIgnoringCase("cuda");
        }
    }

    @Test
    void shouldChooseCudaWhenASessionCanBeCreatedOnIt() {
        RecordingFactory factory = new RecordingFactory(true);

        try (LoadedModel model =
                new ModelLoader(AUTO, factory).load(TestModelBuilder.small().build(), "gpu.onnx")) {
            assertThat(model.provider()).isEqualTo(ExecutionProvider.CUDA);
            assertThat(model.providerReason()).contains("auto chose cuda");
            assertThat(factory.asked).containsExactly(ExecutionProvider.CUDA);
        }
    }

    @Test
    void shouldChooseTheCpuWhenCreatingTheCudaSessionFailsEvenIfCudaIsListed() {
        RecordingFactory factory = new RecordingFactory(false);

        try (LoadedModel model =
                new ModelLoader(AUTO, factory).load(TestModelBuilder.small().build(), "gpu.onnx")) {
            assertThat(model.provider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(model.providerReason()).contains("libcudnn.so.9");
            assertThat(factory.asked).containsExactly(ExecutionProvider.CUDA, ExecutionProvider.CPU);
        }
    }

    @Test
    void shouldReportTheCpuFailureWhenTheFileIsNoModelOnEitherProvider() {
        RecordingFactory factory = new RecordingFactory(false);
        byte[] bundled = TestModels.truncatedBundled();

        assertThatThrownBy(() -> new ModelLoader(AUTO, factory).load(bundled, "cut.onnx"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("cut.onnx")
                .hasMessageContaining("cannot load it as a model");
    }

    @Test
    void shouldKeepCudaStrict() {
        ModelLoader cuda = new ModelLoader(ModelOptions.defaults().withProvider(ExecutionProvider.CUDA));

        assertThatThrownBy(() -> cuda.load(TestModelBuilder.small().build(), "strict.onnx"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.provider=cuda");
    }

    @Test
    void shouldAcceptAutoAsAConfigurationValue() {
        assertThat(ExecutionProvider.fromConfigValue("AUTO")).isEqualTo(ExecutionProvider.AUTO);
        assertThat(ExecutionProvider.describeAll()).contains("auto: cuda when a session can really be created");
    }
}
