package org.sentimentstream.devtools;

import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The demo's logging: the service's and Kafka's log lines go to a file instead of the terminal, so that
 * the terminal shows the demo's own progress lines and results. Errors still reach the terminal too.
 *
 * <p>The levels stay those of the logging configuration ({@code log4j2.xml}; {@code
 * -Dsentiment.log.level=DEBUG} works as for {@code run}); only where the lines go changes, and only while
 * this is open: {@link #close()} reloads the configuration. The {@code run} command never uses this.
 */
final class DemoLog implements AutoCloseable {

    /** The layout of {@code log4j2.xml}'s console appender. */
    private static final String PATTERN = "%d{ISO8601} %-5level [%t] %logger{1.} - %msg%n%throwable";

    private static final String APPENDER_NAME = "demo-log-file";

    private final LoggerContext context;
    private final Path file;

    private DemoLog(LoggerContext context, Path file) {
        this.context = context;
        this.file = file;
    }

    /**
     * Sends log lines to {@code file} (appended) from now on; the console appenders keep only errors.
     * Returns an empty optional, and changes nothing, when the logging back end is not Log4j's.
     */
    static Optional<DemoLog> toFile(Path file) {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return Optional.empty();
        }
        Configuration configuration = context.getConfiguration();
        FileAppender appender = FileAppender.newBuilder()
                .setName(APPENDER_NAME)
                .withFileName(file.toString())
                .withAppend(true)
                .setLayout(PatternLayout.newBuilder()
                        .withConfiguration(configuration)
                        .withPattern(PATTERN)
                        .build())
                .setConfiguration(configuration)
                .build();
        appender.start();
        configuration.addAppender(appender);
        for (LoggerConfig logger : loggersWithAppenders(configuration)) {
            for (Appender existing : List.copyOf(logger.getAppenders().values())) {
                logger.removeAppender(existing.getName());
                logger.addAppender(existing, Level.ERROR, null);
            }
            // An additive logger's lines reach the root logger's file appender already.
            if (logger == configuration.getRootLogger() || !logger.isAdditive()) {
                logger.addAppender(appender, null, null);
            }
        }
        context.updateLoggers();
        return Optional.of(new DemoLog(context, file));
    }

    /** The file the log lines go to. */
    Path file() {
        return file;
    }

    /** Reloads the logging configuration: log lines go where they went before {@link #toFile}. */
    @Override
    public void close() {
        context.reconfigure();
    }

    private static List<LoggerConfig> loggersWithAppenders(Configuration configuration) {
        Set<LoggerConfig> loggers = Collections.newSetFromMap(new IdentityHashMap<>());
        loggers.add(configuration.getRootLogger());
        loggers.addAll(configuration.getLoggers().values());
        return loggers.stream()
                .filter(logger -> !logger.getAppenders().isEmpty())
                .toList();
    }
}
