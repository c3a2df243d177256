package org.sentimentstream.registry;

/**
 * The TLS handshake with a registry URL failed in a way that retrying cannot change: its certificate is not
 * trusted ({@code schema.registry.ssl.truststore.*}), has expired or does not name the URL's host, or the
 * registry refused this client's certificate or offered no protocol and cipher suite in common. A
 * configuration error, like refused credentials; a connection lost during the handshake is an outage
 * ({@link RegistryUnavailableException}) instead.
 */
public final class RegistryTlsException extends RegistryException {

    private static final long serialVersionUID = 1L;

    /** Public for tests of how a command ends on it; the client makes the real ones. */
    public RegistryTlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
