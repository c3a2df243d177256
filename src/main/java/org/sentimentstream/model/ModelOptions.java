package org.sentimentstream.model;

import java.util.Objects;

/**
 * How to open a model session.
 *
 * @param provider       execution provider ({@code model.provider})
 * @param intraOpThreads threads ONNX Runtime may use inside one model call; 0 lets ONNX Runtime choose
 *                       (one per core). With several stream threads calling the same session, 1 is
 *                       usually fastest.
 * @param cudaDeviceId   GPU index when the provider is CUDA
 */
public record ModelOptions(ExecutionProvider provider, int intraOpThreads, int cudaDeviceId) {

    public ModelOptions {
        Objects.requireNonNull(provider, "provider");
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException(
                    "intraOpThreads must be 0 (automatic) or positive, was " + intraOpThreads);
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("cudaDeviceId must be 0 or positive, was " + cudaDeviceId);
        }
    }

    /** CPU, one intra-op thread. */
    public static ModelOptions defaults() {
        return new ModelOptions(ExecutionProvider.CPU, 1, 0);
    }

    public ModelOptions withProvider(ExecutionProvider newProvider) {
        return new ModelOptions(newProvider, intraOpThreads, cudaDeviceId);
    }

    public ModelOptions withIntraOpThreads(int threads) {
        return new ModelOptions(provider, threads, cudaDeviceId);
    }
}
