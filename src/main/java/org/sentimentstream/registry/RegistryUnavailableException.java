package org.sentimentstream.registry;

/**
 * No registry URL answered (connection refused, time-out, HTTP 5xx, 408 or 429) for as long as the
 * client was allowed to retry ({@code schema.registry.retry.timeout.ms}). A restart once the registry
 * is back may cure it.
 */
public final class RegistryUnavailableException extends RegistryException {

    private static final long serialVersionUID = 1L;

    RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
