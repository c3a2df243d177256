package org.sentimentstream.registry;

import java.security.cert.CertificateException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Tells a TLS failure that retrying cannot cure from an outage. Permanent: this client rejected the peer's
 * certificate (a {@link CertificateException} in the cause chain: not trusted, expired, not naming the URL's
 * host), or the peer sent a fatal alert (it rejected this client's certificate, or has no protocol or cipher
 * suite in common with it), {@code internal_error} apart. Anything else, a connection closed or reset during
 * the handshake included (a restarting node, or a server that drops a refused client without an alert), is an
 * outage.
 */
final class TlsFailures {

    private TlsFailures() {}

    /** The TLS exception in the cause chain of a failed request when the failure is permanent; else empty. */
    static Optional<SSLException> permanent(Throwable failure) {
        SSLException tls = null;
        boolean certificateRejected = false;
        boolean alertReceived = false;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                tls = tls == null ? ssl : tls;
                String message = ssl.getMessage() == null ? "" : ssl.getMessage();
                // internal_error says the peer itself failed: perhaps a passing fault
                alertReceived |= message.contains("Received fatal alert") && !message.contains("internal_error");
            }
            certificateRejected |= t instanceof CertificateException;
        }
        return tls != null && (certificateRejected || alertReceived) ? Optional.of(tls) : Optional.empty();
    }
}
