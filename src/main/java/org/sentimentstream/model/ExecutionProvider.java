package org.sentimentstream.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where ONNX Runtime runs the model (setting {@code model.provider}). This enum is the one list of
 * the accepted values; the setting's documentation is built from the descriptions below.
 */
public enum ExecutionProvider {
    /** The CPU build of ONNX Runtime, always available. */
    CPU("the CPU"),
    /** NVIDIA GPU; needs the {@code onnxruntime_gpu} build (Maven profile {@code gpu}), CUDA 12 and cuDNN 9. */
    CUDA("an NVIDIA GPU: needs the GPU build (mvn -Pgpu package), CUDA 12 and cuDNN 9; start-up fails if a"
            + " session cannot be created on it"),
    /**
     * CUDA when a session can really be created on it, else the CPU: the choice, and why, is logged and shown
     * in the model info metric. The GPU build lists CUDA as available even on a host without a GPU, so the
     * check creates the session rather than trusting that list.
     */
    AUTO("cuda when a session can really be created on it (GPU build, CUDA 12, cuDNN 9, a visible GPU), else"
            + " cpu; the log and the sentiment_model_info metric say which, and why");

    private final String description;

    ExecutionProvider(String description) {
        this.description = description;
    }

    /** The configuration value: the name in lower case. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One line for the setting's documentation. */
    public String description() {
        return description;
    }

    /** Each provider's configuration value and description, for the setting's documentation. */
    public static String describeAll() {
        return Arrays.stream(values())
                .map(provider -> provider.configValue() + ": " + provider.description)
                .collect(Collectors.joining("; "));
    }

    /**
     * Parses a configuration value, ignoring case.
     *
     * @throws IllegalArgumentException naming {@code model.provider} and the accepted values
     */
    public static ExecutionProvider fromConfigValue(String value) {
        for (ExecutionProvider provider : values()) {
            if (provider.configValue().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return provider;
            }
        }
        String accepted =
                Arrays.stream(values()).map(ExecutionProvider::configValue).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("model.provider: '" + value + "' is not one of " + accepted);
    }
}
