package org.sentimentstream.localbroker;

/** The local Kafka broker could not be formatted or started; the message says why. */
public class BrokerStartException extends RuntimeException {

    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
