package org.sentimentstream.model;

import java.util.List;

/**
 * Identity and shape of a loaded model, read from the ONNX file's metadata.
 *
 * @param name      model name ({@code sentiment.model_name})
 * @param version   model version ({@code sentiment.model_version})
 * @param labels    label names in logit order ({@code sentiment.labels})
 * @param maxLength maximum number of tokens per text ({@code sentiment.max_length})
 */
public record ModelInfo(String name, String version, List<String> labels, int maxLength) {
    public ModelInfo {
        labels = List.copyOf(labels);
    }
}
