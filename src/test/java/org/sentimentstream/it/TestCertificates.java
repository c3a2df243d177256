package org.sentimentstream.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates and keys for the security tests, made with the JDK's {@code keytool} in a folder of their own:
 * a test CA, and key stores (PKCS12) with a key and a certificate it signed. Nothing here is a secret worth
 * keeping: every store has the same throw-away password. Public for the unit tests of other packages (the
 * registry client's TLS).
 */
public final class TestCertificates {

    /** The password of every key store made here. */
    public static final String STORE_PASSWORD = "test-store-pw";

    private static final String KEYTOOL =
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

    private final Path folder;
    private final String caName;

    private TestCertificates(Path folder, String caName) {
        this.folder = folder;
        this.caName = caName;
    }

    /** A new CA (its key in {@code NAME-ca.p12}, its certificate in {@code NAME-ca.pem}) in {@code folder}. */
    public static TestCertificates newCa(Path folder, String name) throws IOException {
        TestCertificates ca = new TestCertificates(folder, name);
        ca.keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name + " test CA",
                "-ext",
                "bc:c",
                "-validity",
                "3",
                "-keystore",
                ca.caStore().toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD);
        ca.keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.caStore().toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                ca.caCertificate().toString());
        return ca;
    }

    private Path caStore() {
        return folder.resolve(caName + "-ca.p12");
    }

    /** The CA's certificate, PEM: a trust store ({@code ssl.truststore.type=PEM}). */
    public Path caCertificate() {
        return folder.resolve(caName + "-ca.pem");
    }

    /** A PKCS12 trust store holding the CA's certificate. */
    public Path trustStore() throws IOException {
        Path store = folder.resolve(caName + "-trust.p12");
        if (!Files.exists(store)) {
            importCaCertificate(store);
        }
        return store;
    }

    /** Adds the CA's certificate to a PKCS12 store (made if missing) as a trusted entry. */
    private void importCaCertificate(Path store) throws IOException {
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                caCertificate().toString(),
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD);
    }

    /**
     * A PKCS12 key store {@code NAME.p12} with a new key and a certificate signed by this CA.
     *
     * @param subjectAlternativeNames keytool's SAN form, such as {@code ip:127.0.0.1,dns:localhost}; null: none
     * @param startDate               keytool's {@code -startdate}, such as {@code -10d}; null: now
     * @param validityDays            how long it is valid from its start
     */
    public Path keyStore(String name, String subjectAlternativeNames, String startDate, int validityDays)
            throws IOException {
        Path store = folder.resolve(name + ".p12");
        Path request = folder.resolve(name + ".csr");
        Path certificate = folder.resolve(name + ".pem");
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD);
        keytool(
                "-certreq",
                "-alias",
                name,
                "-keystore",
                store.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                request.toString());
        List<String> sign = new ArrayList<>(List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                caStore().toString(),
                "-storepass",
                STORE_PASSWORD,
                "-infile",
                request.toString(),
                "-outfile",
                certificate.toString(),
                "-validity",
                Integer.toString(validityDays)));
        if (subjectAlternativeNames != null) {
            sign.addAll(List.of("-ext", "SAN=" + subjectAlternativeNames));
        }
        if (startDate != null) {
            sign.add("-startdate");
            sign.add(startDate);
        }
        keytool(sign.toArray(String[]::new));
        importCaCertificate(store);
        keytool(
                "-importcert",
                "-alias",
                name,
                "-file",
                certificate.toString(),
                "-keystore",
                store.toString(),
                "-storepass",
                STORE_PASSWORD);
        return store;
    }

    private void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(KEYTOOL);
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
