package org.sentimentstream.model;

/**
 * The model's answer for one text.
 *
 * @param labelIndex    index of the most probable label in {@link ModelInfo#labels()}
 * @param label         the most probable label
 * @param probabilities softmax of the logits, in label order
 * @param logits        raw model outputs, in label order
 */
public record Prediction(int labelIndex, String label, float[] probabilities, float[] logits) {}
