package org.sentimentstream.config;

import java.util.Locale;

/** Where ONNX Runtime runs the model: the {@code model.provider} setting. */
public enum ModelProvider {
    /** ONNX Runtime's CPU execution provider (the default; always available). */
    CPU,
    /** ONNX Runtime's CUDA execution provider (needs the GPU build and CUDA libraries on the host). */
    CUDA;

    /** The name of the provider in the configuration: {@code cpu} or {@code cuda}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ModelProvider fromConfigValue(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
