package org.sentimentstream.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a model file as one ONNX Runtime session and checks it against docs/MODEL_CONTRACT.md: graph
 * inputs {@code ids} int64 [batch, time] and {@code lengths} int64 [batch], output {@code logits}
 * float32 [batch, labels], and the metadata (contract and tokenizer versions, labels, vocabulary and
 * its digest, pad/unk ids, maximum length). A file that fails any check is refused with an
 * {@link InvalidModelException} that names the file and the problem. Uses the JVM's single
 * {@link OrtEnvironment}.
 */
public final class ModelLoader {

    /** The bundled default model, on the class path. */
    public static final String BUNDLED_MODEL_RESOURCE = "model/sentiment-bilstm.onnx";

    static final String INPUT_IDS = "ids";
    static final String INPUT_LENGTHS = "lengths";
    static final String OUTPUT_LOGITS = "logits";
    /** ONNX Runtime session setting: whether idle intra-op pool threads spin waiting for work. */
    static final String ALLOW_SPINNING = "session.intra_op.allow_spinning";

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    private final ModelOptions options;
    private final ModelMetadataReader metadataReader = new ModelMetadataReader();
    private final SessionFactory sessions;
    private final ModelDigest digest;

    public ModelLoader(ModelOptions options) {
        this(options, ModelDigest.ANY);
    }

    /** A loader that refuses every file whose bytes do not match {@code digest} ({@code model.sha256}). */
    public ModelLoader(ModelOptions options, ModelDigest digest) {
        this.options = options;
        this.sessions = this::ortSessions;
        this.digest = digest;
    }

    /** A loader whose sessions come from {@code sessions} (tests of the provider selection). */
    ModelLoader(ModelOptions options, SessionFactory sessions) {
        this.options = options;
        this.sessions = sessions;
        this.digest = ModelDigest.ANY;
    }

    /** Loads the model bundled on the class path ({@value #BUNDLED_MODEL_RESOURCE}). */
    public LoadedModel loadBundled() {
        return loadResource(BUNDLED_MODEL_RESOURCE);
    }

    /** Loads a model from a class path resource. */
    public LoadedModel loadResource(String resource) {
        String source = "classpath:" + resource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : ModelLoader.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ModelLoadException("Model resource " + source + " is not on the class path");
            }
            return load(in.readAllBytes(), source);
        } catch (IOException e) {
            throw new ModelLoadException("Could not read model resource " + source + ": " + e.getMessage(), e);
        }
    }

    /** Loads a model file. */
    public LoadedModel load(Path file) {
        String source = file.toAbsolutePath().toString();
        if (Files.isDirectory(file)) {
            throw new ModelLoadException("Model file " + source + " is a directory, not an ONNX file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("Model file " + source + " does not exist", e);
        } catch (IOException e) {
            throw new ModelLoadException(
                    "Could not read model file " + source + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    e);
        }
        return load(bytes, source);
    }

    /**
     * Loads a model from its bytes.
     *
     * @param source where the bytes came from, for messages and logs
     */
    public LoadedModel load(byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new InvalidModelException(source, "the file is empty");
        }
        digest.check(bytes, source);
        OpenedSession opened = openSession(bytes, source);
        OrtSession session = opened.session();
        try {
            checkSignature(session, source);
            ModelMetadata metadata = metadataReader.read(OnnxMetadataProps.read(bytes, source), source);
            checkLabelCount(session, metadata, source);
            LoadedModel model = new LoadedModel(
                    session,
                    metadata,
                    source,
                    sha256Hex(bytes),
                    options.withProvider(opened.provider()),
                    opened.providerReason());
            LOG.info(
                    "Loaded model {} {} from {} (file sha256 {}): labels {}, vocabulary {} tokens, max length {}, "
                            + "provider {}, intra-op threads {}",
                    metadata.name(),
                    metadata.version(),
                    source,
                    model.fileSha256(),
                    metadata.labels(),
                    metadata.vocabulary().size(),
                    metadata.maxLength(),
                    opened.provider().configValue(),
                    options.intraOpThreads());
            return model;
        } catch (RuntimeException e) {
            closeQuietly(session, source, e);
            throw e;
        }
    }

    /**
     * Opens the session on the configured provider; for {@link ExecutionProvider#AUTO}, on CUDA if a session
     * can be created there, else on the CPU (the CUDA failure is kept as the reason).
     */
    private OpenedSession openSession(byte[] bytes, String source) {
        ExecutionProvider requested = options.provider();
        if (requested != ExecutionProvider.AUTO) {
            return new OpenedSession(
                    sessions.open(bytes, source, requested), requested, "model.provider=" + requested.configValue());
        }
        OrtSession cuda;
        try {
            cuda = sessions.open(bytes, source, ExecutionProvider.CUDA);
        } catch (ModelLoadException cudaFailure) {
            OrtSession cpu;
            try {
                cpu = sessions.open(bytes, source, ExecutionProvider.CPU);
            } catch (ModelLoadException cpuFailure) {
                cpuFailure.addSuppressed(cudaFailure);
                throw cpuFailure;
            }
            String reason = "model.provider=auto chose cpu: no session could be created on CUDA ("
                    + firstLine(cudaFailure.getMessage()) + ")";
            LOG.info("{}: {}", source, reason);
            return new OpenedSession(cpu, ExecutionProvider.CPU, reason);
        }
        String reason = "model.provider=auto chose cuda: a session was created on GPU " + options.cudaDeviceId();
        LOG.info("{}: {}", source, reason);
        return new OpenedSession(cuda, ExecutionProvider.CUDA, reason);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A session and the provider it runs on (never AUTO), with why that provider. */
    private record OpenedSession(OrtSession session, ExecutionProvider provider, String providerReason) {}

    /**
     * Creates ONNX Runtime sessions on one concrete provider (CPU or CUDA). The loader's own implementation
     * is {@link #ortSessions}; tests inject one that fails on CUDA the way a host without CUDA libraries does
     * (or succeeds where this machine cannot), to test the {@code auto} selection on any machine.
     */
    @FunctionalInterface
    interface SessionFactory {

        /**
         * @throws InvalidModelException when ONNX Runtime cannot load the bytes as a model on this provider
         * @throws ModelLoadException    when the provider cannot be used at all
         */
        OrtSession open(byte[] bytes, String source, ExecutionProvider provider);
    }

    /** The real sessions: ONNX Runtime's environment with this loader's options. */
    private OrtSession ortSessions(byte[] bytes, String source, ExecutionProvider provider) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            configure(sessionOptions, provider);
            try {
                return environment.createSession(bytes, sessionOptions);
            } catch (OrtException e) {
                String withProvider = provider == ExecutionProvider.CPU ? "" : " (on " + provider.configValue() + ")";
                throw new InvalidModelException(
                        source, "ONNX Runtime cannot load it as a model" + withProvider + ": " + e.getMessage(), e);
            }
        } catch (OrtException e) {
            throw new ModelLoadException(
                    "Could not set ONNX Runtime session options for " + source + ": " + e.getMessage(), e);
        }
    }

    private void configure(OrtSession.SessionOptions sessionOptions, ExecutionProvider provider) throws OrtException {
        if (options.intraOpThreads() > 0) {
            sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
        }
        if (options.intraOpThreads() != 1) {
            // Idle intra-op workers sleep instead of spinning: spinning burns the cores that other
            // stream threads (and the rest of the service) need (docs/PERFORMANCE.md).
            sessionOptions.addConfigEntry(ALLOW_SPINNING, "0");
        }
        sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (provider == ExecutionProvider.CUDA) {
            try {
                sessionOptions.addCUDA(options.cudaDeviceId());
            } catch (OrtException | RuntimeException | LinkageError e) {
                if (options.provider() == ExecutionProvider.AUTO) {
                    throw new ModelLoadException("the CUDA execution provider cannot be used: " + e.getMessage(), e);
                }
                throw new ModelLoadException(
                        "model.provider=cuda: the CUDA execution provider cannot be used ("
                                + e.getMessage() + "). It needs the GPU build of ONNX Runtime (mvn -Pgpu package), "
                                + "CUDA 12 and cuDNN 9 libraries and a visible GPU " + options.cudaDeviceId()
                                + "; set model.provider=cpu to run on the CPU",
                        e);
            }
        }
    }

    private static void checkSignature(OrtSession session, String source) {
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new InvalidModelException(
                    source, "ONNX Runtime cannot describe its inputs and outputs: " + e.getMessage(), e);
        }
        if (!inputs.keySet().equals(Set.of(INPUT_IDS, INPUT_LENGTHS))) {
            throw new InvalidModelException(
                    source,
                    "the graph inputs are " + inputs.keySet() + ", expected exactly [" + INPUT_IDS + ", "
                            + INPUT_LENGTHS + "]");
        }
        checkTensor(source, "input", INPUT_IDS, inputs.get(INPUT_IDS), OnnxJavaType.INT64, "int64", 2);
        checkTensor(source, "input", INPUT_LENGTHS, inputs.get(INPUT_LENGTHS), OnnxJavaType.INT64, "int64", 1);
        if (!outputs.containsKey(OUTPUT_LOGITS)) {
            throw new InvalidModelException(
                    source, "the graph outputs are " + outputs.keySet() + ", expected one named " + OUTPUT_LOGITS);
        }
        checkTensor(source, "output", OUTPUT_LOGITS, outputs.get(OUTPUT_LOGITS), OnnxJavaType.FLOAT, "float32", 2);
    }

    private static void checkTensor(
            String source, String kind, String name, NodeInfo node, OnnxJavaType type, String typeName, int rank) {
        if (!(node.getInfo() instanceof TensorInfo)) {
            throw new InvalidModelException(
                    source, kind + " " + name + " is " + node.getInfo() + ", expected a " + typeName + " tensor");
        }
        TensorInfo tensor = (TensorInfo) node.getInfo();
        if (tensor.type != type) {
            throw new InvalidModelException(
                    source,
                    kind + " " + name + " has element type " + elementTypeName(tensor) + ", expected " + typeName);
        }
        if (tensor.getShape().length != rank) {
            throw new InvalidModelException(
                    source,
                    kind + " " + name + " has shape "
                            + Arrays.toString(tensor.getShape()) + " (rank " + tensor.getShape().length
                            + "), expected rank "
                            + rank);
        }
    }

    private static String elementTypeName(TensorInfo tensor) {
        return tensor.onnxType
                .name()
                .replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "")
                .toLowerCase(Locale.ROOT);
    }

    private static void checkLabelCount(OrtSession session, ModelMetadata metadata, String source) {
        long[] shape;
        try {
            shape = ((TensorInfo) session.getOutputInfo().get(OUTPUT_LOGITS).getInfo()).getShape();
        } catch (OrtException e) {
            throw new InvalidModelException(source, "ONNX Runtime cannot describe its outputs: " + e.getMessage(), e);
        }
        long labelDimension = shape[1];
        if (labelDimension > 0 && labelDimension != metadata.labels().size()) {
            throw new InvalidModelException(
                    source,
                    "output " + OUTPUT_LOGITS + " has " + labelDimension
                            + " labels but " + ModelMetadata.LABELS + " names "
                            + metadata.labels().size() + ": "
                            + metadata.labels());
        }
    }

    private static void closeQuietly(OrtSession session, String source, RuntimeException cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
            LOG.debug("Closing the refused session of {} failed", source, e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
