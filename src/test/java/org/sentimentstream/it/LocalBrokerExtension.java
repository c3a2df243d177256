package org.sentimentstream.it;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sentimentstream.localbroker.LocalKafkaBroker;

/**
 * One real KRaft broker (its own JVM, bound to 127.0.0.1) for all the tests of a class: started before the
 * first test, stopped by its process id after the last.
 *
 * <pre>{@code @RegisterExtension static final LocalBrokerExtension KAFKA = new LocalBrokerExtension();}</pre>
 */
final class LocalBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<LocalKafkaBroker> starter;
    private LocalKafkaBroker broker;

    /** A broker with the default settings (PLAINTEXT). */
    LocalBrokerExtension() {
        this(LocalKafkaBroker::start);
    }

    /** A broker started by {@code starter}, for example one built with SASL users. */
    LocalBrokerExtension(Supplier<LocalKafkaBroker> starter) {
        this.starter = Objects.requireNonNull(starter, "starter");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = starter.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker; only valid inside the test class's lifecycle. */
    LocalKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only between beforeAll and afterAll");
        }
        return broker;
    }
}
