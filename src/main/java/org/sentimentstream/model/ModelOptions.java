package org.sentimentstream.model;

import java.util.Objects;

/**
 * How to open and call a model session.
 *
 * @param provider        execution provider ({@code model.provider})
 * @param intraOpThreads  threads ONNX Runtime may use inside one model call; 0 lets ONNX Runtime choose
 *                        (one per core). With several stream threads calling the same session, 1 is
 *                        usually fastest.
 * @param cudaDeviceId    GPU index when the provider is CUDA
 * @param maxRowsPerCall  most texts in one ONNX Runtime call: a larger batch is sorted by length and cut
 *                        into calls of texts of similar length, so that short texts are not padded to the
 *                        longest of the batch
 */
public record ModelOptions(ExecutionProvider provider, int intraOpThreads, int cudaDeviceId, int maxRowsPerCall) {

    /** The default {@link #maxRowsPerCall} (docs/PERFORMANCE.md has the measurements behind it). */
    public static final int DEFAULT_MAX_ROWS_PER_CALL = 16;

    public ModelOptions {
        Objects.requireNonNull(provider, "provider");
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException(
                    "intraOpThreads must be 0 (automatic) or positive, was " + intraOpThreads);
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("cudaDeviceId must be 0 or positive, was " + cudaDeviceId);
        }
        if (maxRowsPerCall < 1) {
            throw new IllegalArgumentException("maxRowsPerCall must be at least 1, was " + maxRowsPerCall);
        }
    }

    /** With the default {@link #maxRowsPerCall}. */
    public ModelOptions(ExecutionProvider provider, int intraOpThreads, int cudaDeviceId) {
        this(provider, intraOpThreads, cudaDeviceId, DEFAULT_MAX_ROWS_PER_CALL);
    }

    /** CPU, one intra-op thread. */
    public static ModelOptions defaults() {
        return new ModelOptions(ExecutionProvider.CPU, 1, 0);
    }

    public ModelOptions withProvider(ExecutionProvider newProvider) {
        return new ModelOptions(newProvider, intraOpThreads, cudaDeviceId, maxRowsPerCall);
    }

    public ModelOptions withIntraOpThreads(int threads) {
        return new ModelOptions(provider, threads, cudaDeviceId, maxRowsPerCall);
    }

    public ModelOptions withMaxRowsPerCall(int rows) {
        return new ModelOptions(provider, intraOpThreads, cudaDeviceId, rows);
    }
}
