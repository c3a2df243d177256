package org.sentimentstream.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open ONNX Runtime session of a model file that passed every check of the model contract, with its
 * metadata. Owns the session: {@link #close()} releases it.
 */
public final class LoadedModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

    private final OrtSession session;
    private final ModelMetadata metadata;
    private final String source;
    private final String fileSha256;
    private final ModelOptions options;
    private final String providerReason;

    LoadedModel(
            OrtSession session,
            ModelMetadata metadata,
            String source,
            String fileSha256,
            ModelOptions options,
            String providerReason) {
        this.session = Objects.requireNonNull(session, "session");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.source = Objects.requireNonNull(source, "source");
        this.fileSha256 = Objects.requireNonNull(fileSha256, "fileSha256");
        this.options = Objects.requireNonNull(options, "options");
        this.providerReason = Objects.requireNonNull(providerReason, "providerReason");
    }

    OrtSession session() {
        return session;
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** The file path or class path resource the model was read from. */
    public String source() {
        return source;
    }

    /** SHA-256 of the model file's bytes (lower-case hex): identifies exactly what was deployed. */
    public String fileSha256() {
        return fileSha256;
    }

    /** The options the session was opened with; its provider is the one it runs on (never {@code auto}). */
    public ModelOptions options() {
        return options;
    }

    /** The execution provider the session runs on: CPU or CUDA, also when {@code auto} was asked for. */
    public ExecutionProvider provider() {
        return options.provider();
    }

    /** Why the session runs on {@link #provider()}: the setting, or what {@code auto} found. */
    public String providerReason() {
        return providerReason;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("Closing the ONNX Runtime session of {} failed: {}", source, e.getMessage(), e);
        }
    }
}
