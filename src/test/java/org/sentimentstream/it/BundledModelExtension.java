package org.sentimentstream.it;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sentimentstream.app.Classifiers;
import org.sentimentstream.model.ExecutionProvider;
import org.sentimentstream.model.SentimentClassifier;

/**
 * The bundled model, opened once on the CPU for all the tests of a class (as the service opens it once per
 * JVM) and closed after the last.
 *
 * <pre>{@code @RegisterExtension static final BundledModelExtension MODEL = new BundledModelExtension();}</pre>
 */
final class BundledModelExtension implements BeforeAllCallback, AfterAllCallback {

    private SentimentClassifier classifier;

    @Override
    public void beforeAll(ExtensionContext context) {
        classifier = Classifiers.open(Optional.empty(), ExecutionProvider.CPU, 1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (classifier != null) {
            classifier.close();
            classifier = null;
        }
    }

    /** The open model; only valid inside the test class's lifecycle. */
    SentimentClassifier classifier() {
        if (classifier == null) {
            throw new IllegalStateException("the model is open only between beforeAll and afterAll");
        }
        return classifier;
    }
}
