package org.sentimentstream.model;

/**
 * The model's answer for one text, and which model gave it.
 *
 * @param labelIndex    index of the most probable label in {@link ModelInfo#labels()}
 * @param label         the most probable label
 * @param probabilities softmax of the logits, in label order
 * @param logits        raw model outputs, in label order
 * @param model         the model that classified the text (with hot reload, not always the current one)
 * @param tokenCount    number of tokens of the text
 * @param knownTokenCount number of the tokens the model read (at most its maximum length) that are in its
 *                      vocabulary, i.e. not the unknown token
 * @param truncated     whether the text had more tokens than the model's maximum length and was cut
 */
public record Prediction(
        int labelIndex,
        String label,
        float[] probabilities,
        float[] logits,
        ModelInfo model,
        int tokenCount,
        int knownTokenCount,
        boolean truncated) {}
