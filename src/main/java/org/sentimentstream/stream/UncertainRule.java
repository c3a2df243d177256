package org.sentimentstream.stream;

import org.sentimentstream.model.Prediction;

/**
 * The service's rule for answering {@value #LABEL} instead of the model's label: when the most probable label's
 * probability is below {@code minProbability}, or when fewer than {@code minKnownTokens} of the tokens the model
 * read are in its vocabulary (a text in a language it never saw). The probabilities are written either way.
 * {@link #OFF} (both 0, the default) never applies, so the output is the model's label. The recommended values
 * for the bundled model, and what they flag and keep, are in docs/CALIBRATION.md.
 *
 * @param minProbability lowest probability of the most probable label that keeps it, 0 to 1; 0: off
 * @param minKnownTokens fewest known tokens that keep the model's label; 0: off
 */
public record UncertainRule(double minProbability, int minKnownTokens) {

    /** The label written when the rule applies; not one of the model's labels. */
    public static final String LABEL = "uncertain";

    /** A rule that never applies. */
    public static final UncertainRule OFF = new UncertainRule(0, 0);

    public UncertainRule {
        if (!(minProbability >= 0 && minProbability <= 1)) {
            throw new IllegalArgumentException("minProbability must be within 0..1, not " + minProbability);
        }
        if (minKnownTokens < 0) {
            throw new IllegalArgumentException("minKnownTokens must be at least 0, not " + minKnownTokens);
        }
    }

    /** The label to write: {@value #LABEL} when the rule applies, the model's label otherwise. */
    public String labelOf(Prediction prediction) {
        boolean fewKnown = prediction.knownTokenCount() < minKnownTokens;
        // Compared as the float the output carries: a written probability of 0.7 keeps its label at 0.7.
        boolean unsure = prediction.probabilities()[prediction.labelIndex()] < (float) minProbability;
        return fewKnown || unsure ? LABEL : prediction.label();
    }
}
