package org.sentimentstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.sentimentstream.registry.RegistryTlsException;
import picocli.CommandLine;

/** Exit codes of failures: what a restart cannot cure is 2, the rest 1; always one line on standard error. */
class FailureHandlerTest {

    private final StringWriter err = new StringWriter();

    private int handle(Exception failure) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return new FailureHandler().handleExecutionException(failure, commandLine, null);
    }

    @Test
    void shouldExitWithTheConfigurationCodeOnAWrongSaslPassword() {
        int code = handle(new IllegalStateException(
                "cannot check the topics",
                new ExecutionException(
                        new SaslAuthenticationException("Authentication failed: Invalid username or password"))));

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Invalid username or password").hasLineCount(1);
    }

    @Test
    void shouldExitWithTheConfigurationCodeOnAFailedTlsHandshake() {
        int code = handle(new ExecutionException(new SslAuthenticationException("SSL handshake failed")));

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("SSL handshake failed").hasLineCount(1);
    }

    @Test
    void shouldExitWithTheConfigurationCodeOnAFailedTlsHandshakeWithTheRegistry() {
        int code = handle(new IllegalStateException(
                "cannot register the output schema",
                new RegistryTlsException(
                        "The TLS handshake with the schema registry https://registry:8081 failed while schema id 1:"
                                + " SSLHandshakeException: PKIX path building failed",
                        new SSLHandshakeException("PKIX path building failed"))));

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString())
                .contains("https://registry:8081")
                .contains("PKIX path building failed")
                .hasLineCount(1);
    }

    @Test
    void shouldExitWithTheRunTimeCodeWhenTheBrokerCannotBeReached() {
        int code = handle(new ExecutionException(new TimeoutException("Timed out waiting for a node assignment")));

        assertThat(code).isEqualTo(ExitCodes.FAILURE);
    }
}
