package org.sentimentstream.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import javax.security.auth.login.LoginException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.security.oauthbearer.internals.secured.UnretryableException;
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
    /**
     * A fully qualified exception class name and ": " at the start of a message, as {@code new X(cause)} writes
     * it ({@code cause.toString()}): {@code javax.security.auth.login.LoginException: ...}.
     */
    private static final Pattern LEADING_CLASS_NAME =
            Pattern.compile("^(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ");

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        LOG.debug("Command {} failed", commandLine.getCommandName(), exception);
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": error: " + describe(exception));
        commandLine.getErr().flush();
        return isConfigurationError(exception) ? ExitCodes.USAGE : ExitCodes.FAILURE;
    }

    /**
     * The messages of an exception and its causes, without repeats, joined by ": ": the first line of each, and
     * after the first part without the exception class names it starts with.
     */
    public static String describe(Throwable exception) {
        List<String> parts = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = exception; t != null && seen.add(t); t = t.getCause()) {
            if (isWrapper(t) && t.getCause() != null) {
                continue;
            }
            String line = firstLine(t.getMessage());
            // After the first part, a leading class name only repeats a cause's type (new X(cause) quotes
            // cause.toString()); the first part keeps it, as it may be the only clue to the failure's kind.
            String message = parts.isEmpty() ? line : withoutLeadingClassNames(line);
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

    /**
     * The first line of {@code message}: some messages carry a whole stack trace (the JDK's {@code
     * LoginContext} puts the printed trace of a login module's unexpected exception into its
     * {@code LoginException}'s message, as SASL/OAUTHBEARER's token retrieval does). Null stays null.
     */
    static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).stripTrailing();
    }

    /** {@code message} without the exception class names it starts with; null stays null. */
    static String withoutLeadingClassNames(String message) {
        String rest = message;
        while (rest != null) {
            String stripped = LEADING_CLASS_NAME.matcher(rest).replaceFirst("");
            if (stripped.equals(rest) || stripped.isBlank()) {
                return rest;
            }
            rest = stripped;
        }
        return null;
    }

    /**
     * Whether {@code t} is the {@link LoginException} of a SASL/OAUTHBEARER login whose token endpoint refused
     * the client (4xx, which Kafka does not retry). The JDK's {@code LoginContext} keeps only the printed stack
     * trace of what the login module threw, as the message, not the exception, so the refusal is recognised by
     * the name of Kafka's {@link UnretryableException} in that message.
     */
    private static boolean isRefusedTokenRequest(Throwable t) {
        return t instanceof LoginException
                && t.getMessage() != null
                && t.getMessage().contains(UnretryableException.class.getName());
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
     * untrusted, expired or for another host name, or the broker refuses the client's; an OAuth token endpoint
     * that refuses the client with a 4xx answer, which Kafka does not retry: a wrong client id or secret), so a
     * supervisor should not restart in a loop. A registry, broker or token endpoint that cannot be reached is a
     * run-time failure.
     */
    private static boolean isConfigurationError(Throwable exception) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = exception; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof ConfigException
                    || t instanceof UsageException
                    || t instanceof ModelLoadException
                    || t instanceof RegistryErrorException
                    || t instanceof RegistryTlsException
                    || t instanceof AuthenticationException
                    || t instanceof UnretryableException
                    || isRefusedTokenRequest(t)) {
                return true;
            }
        }
        return false;
    }
}
