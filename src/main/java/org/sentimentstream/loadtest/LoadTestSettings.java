package org.sentimentstream.loadtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sentimentstream.stream.Topics;

/**
 * What one load test does.
 *
 * @param topics       the service's topics and formats (events go to the input, results are read from the
 *                     output, dead letters from the dead-letter topic)
 * @param schedule     fixed rate or as fast as possible
 * @param maxEvents    stop after this many events ({@link Long#MAX_VALUE}: only the duration limits the run)
 * @param duration     stop sending after this long, if given
 * @param warmup       the first events, left out of the statistics
 * @param drainTimeout how long to wait, once everything is sent, for the missing results
 * @param ids          the run's event ids
 * @param producer     settings of the Kafka producer (bootstrap servers and security included)
 * @param consumer     settings of the Kafka consumer that reads results and dead letters
 * @param sentFile     a file to write once every event is acknowledged by the broker, if given
 */
public record LoadTestSettings(
        Topics topics,
        SendSchedule schedule,
        long maxEvents,
        Optional<Duration> duration,
        long warmup,
        Duration drainTimeout,
        RunIds ids,
        Map<String, Object> producer,
        Map<String, Object> consumer,
        Optional<Path> sentFile) {

    public LoadTestSettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(sentFile, "sentFile");
        if (maxEvents < 1) {
            throw new IllegalArgumentException("the number of events must be at least 1");
        }
        if (maxEvents == Long.MAX_VALUE && duration.isEmpty()) {
            throw new IllegalArgumentException("a run needs a number of events or a duration");
        }
        if (warmup < 0 || (maxEvents != Long.MAX_VALUE && warmup >= maxEvents)) {
            throw new IllegalArgumentException(
                    "the warm-up count must be at least 0 and less than the events (" + maxEvents + "), not " + warmup);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("the drain timeout must not be negative");
        }
        producer = Map.copyOf(producer);
        consumer = Map.copyOf(consumer);
    }
}
