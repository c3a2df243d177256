package org.sentimentstream.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where ONNX Runtime runs the model (setting {@code model.provider}). */
public enum ExecutionProvider {
    CPU,
    /** NVIDIA GPU; needs the {@code onnxruntime_gpu} build (Maven profile {@code gpu}), CUDA 12 and cuDNN 9. */
    CUDA;

    /** The configuration value: {@code cpu} or {@code cuda}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
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
        String accepted = Arrays.stream(values()).map(ExecutionProvider::configValue).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("model.provider: '" + value + "' is not one of " + accepted);
    }
}
