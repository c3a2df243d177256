package org.sentimentstream.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.sentimentstream.model.ModelLoadException;
import org.sentimentstream.registry.RegistryErrorException;
import org.sentimentstream.registry.RegistryTlsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a command into one message on standard error and an exit code: no
 * stack trace for the user (it is logged at DEBUG, {@code -Dsentiment.log.level=debug}).
 */
public final class FailureHandler implements IExecutionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        LOG.debug("Command {} failed", commandLine.getCommandName(), exception);
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": error: " + describe(exception));
        commandLine.getErr().flush();
        return isConfigurationError(exception) ? ExitCodes.USAGE : ExitCodes.FAILURE;
    }

    /** The messages of an exception and its causes, without repeats, joined by ": ". */
    public static String describe(Throwable exception) {
        List<String> parts = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = exception; t != null && seen.add(t); t = t.getCause()) {
            if (isWrapper(t) && t.getCause() != null) {
                continue;
            }
            String message = t.getMessage();
            if (message == null || message.isBlank()) {
                if (parts.isEmpty()) {
                    parts.add(t.getClass().getSimpleName());
                }
                continue;
            }
            if (parts.stream().noneMatch(part -> part.contains(message.strip()))) {
                parts.add(message.strip());
            }
        }
        return String.join(": ", parts);
    }

    private static boolean isWrapper(Throwable t) {
        return t instanceof ExecutionException
                || t instanceof CompletionException
                || t instanceof InvocationTargetException;
    }

    /**
     * Whether a restart cannot fix the failure: a bad option or setting, or a model that cannot be
     * loaded from {@code model.path} with {@code model.provider} (a missing, corrupt or mismatched file,
     * or an execution provider that cannot run), or a schema registry that refuses a request (an
     * incompatible or unregistered schema, refused credentials, a URL that is not a registry's API) or fails
     * the TLS handshake (an untrusted, expired or wrong-host certificate, a refused client certificate), or a Kafka
     * authentication failure (a wrong SASL password; a TLS handshake that fails because a certificate is
     * untrusted, expired or for another host name, or the broker refuses the client's), so a supervisor
     * should not restart in a loop. A registry or broker that cannot be reached is a run-time failure.
     */
    private static boolean isConfigurationError(Throwable exception) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = exception; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ConfigException
                    || t instanceof UsageException
                    || t instanceof ModelLoadException
                    || t instanceof RegistryErrorException
                    || t instanceof RegistryTlsException
                    || t instanceof AuthenticationException) {
                return true;
            }
        }
        return false;
    }
}
