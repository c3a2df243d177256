package org.sentimentstream.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS terminator that requires a client certificate, in front of a plain-HTTP server on 127.0.0.1 (as an
 * ingress or a sidecar does in front of a registry): it shakes hands with each client with the JDK's TLS
 * (the server's key store, a trust store of accepted client CAs, {@code needClientAuth}), so a client
 * without a trusted certificate gets the TLS alert and no byte reaches the server; the others' bytes are
 * copied both ways unchanged. For the registry's mutual-TLS test: Apicurio Registry cannot require client
 * certificates itself when started from its distribution ({@code quarkus.http.ssl.client-auth} is fixed when
 * the registry is built), see docs/SECURITY.md.
 */
final class MutualTlsTerminator implements AutoCloseable {

    private final SSLServerSocket server;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "mtls-terminator");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private MutualTlsTerminator(SSLServerSocket server, int upstreamPort) {
        this.server = server;
        this.upstreamPort = upstreamPort;
    }

    /**
     * Listens on a free port of 127.0.0.1 with the key and certificate of a PKCS12 key store, accepting client
     * certificates that a PKCS12 trust store's CAs signed, and forwards to {@code upstreamPort} on 127.0.0.1.
     */
    static MutualTlsTerminator start(Path keyStore, Path trustStore, String password, int upstreamPort)
            throws IOException {
        SSLServerSocket server = (SSLServerSocket) context(keyStore, trustStore, password)
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        MutualTlsTerminator terminator = new MutualTlsTerminator(server, upstreamPort);
        terminator.threads.execute(terminator::acceptAll);
        return terminator;
    }

    private static SSLContext context(Path keyStore, Path trustStore, String password) throws IOException {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore, password), password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustStore, password));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the terminator's TLS context", e);
        }
    }

    private static KeyStore load(Path store, String password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password.toCharArray());
        }
        return keyStore;
    }

    /** Its port on 127.0.0.1. */
    int port() {
        return server.getLocalPort();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                SSLSocket client = (SSLSocket) server.accept();
                open.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SSLSocket client) {
        Socket upstream = new Socket();
        open.add(upstream);
        try {
            client.startHandshake();
            // Under TLS 1.3 the client's certificate arrives after the server's side of the handshake: the
            // first read checks it (and sends the alert when it is missing or untrusted).
            InputStream fromClient = client.getInputStream();
            int first = fromClient.read();
            if (first < 0) {
                closeAll(client, upstream);
                return;
            }
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 10_000);
            OutputStream toUpstream = upstream.getOutputStream();
            toUpstream.write(first);
            threads.execute(() -> answer(upstream, client));
            copy(fromClient, toUpstream);
            upstream.shutdownOutput();
        } catch (IOException e) {
            // a refused client (the point of this class), or a connection closed by either side
            closeAll(client, upstream);
        }
    }

    /** Copies the server's answers to the client until either side closes, then closes both. */
    private void answer(Socket upstream, SSLSocket client) {
        try {
            copy(upstream.getInputStream(), client.getOutputStream());
        } catch (IOException e) {
            // either side went away
        } finally {
            closeAll(client, upstream);
        }
    }

    private void closeAll(Socket... sockets) {
        for (Socket socket : sockets) {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException e) {
                // already closed: nothing more to release
            }
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        closeAll(open.toArray(Socket[]::new));
        threads.shutdownNow();
    }
}
