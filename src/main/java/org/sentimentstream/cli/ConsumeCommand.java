package org.sentimentstream.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.sentimentstream.app.ClientSettings;
import org.sentimentstream.app.StreamSettings;
import org.sentimentstream.config.SentimentStreamConfig;
import org.sentimentstream.serde.OutputMode;
import org.sentimentstream.serde.RecordDecodingException;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code consume}: prints the output topic's sentiment events (or the dead letters) as JSON lines. */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the sentiment events of the output topic (output.topic, in output.format) as JSON lines,",
            "or with --dead-letters the records of the dead-letter topic with their reason headers.",
            "Reads every partition without joining a consumer group, committed transactions only."
        })
final class ConsumeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumeCommand.class);
    private static final Duration POLL = Duration.ofMillis(500);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions configOptions;

    @Option(
            names = "--topic",
            description = "Topic to read (default: output.topic, or dead.letter.topic with --dead-letters).")
    private String topic;

    @Option(names = "--dead-letters", description = "Read the dead-letter topic.")
    private boolean deadLetters;

    @Option(names = "--max-records", paramLabel = "N", description = "Stop after N records.")
    private Long maxRecords;

    @Option(
            names = "--timeout",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = {
                "Stop after this long (e.g. 30s). With --max-records, not getting N records in time is a failure.",
                "Default: run until Ctrl-C (or until --max-records)."
            })
    private Duration timeout;

    @Option(
            names = "--from",
            defaultValue = "earliest",
            paramLabel = "earliest|latest",
            description = "Start at the beginning of each partition or at its end (default: ${DEFAULT-VALUE}).")
    private String from;

    @Override
    public Integer call() throws InterruptedException {
        if (maxRecords != null && maxRecords < 1) {
            throw new UsageException("--max-records must be at least 1");
        }
        if (!from.equals("earliest") && !from.equals("latest")) {
            throw new UsageException("--from must be earliest or latest, not " + from);
        }
        SentimentStreamConfig config = configOptions.load();
        Topics topics = StreamSettings.topics(config);
        String source = topic != null ? topic : deadLetters ? topics.deadLetter() : topics.output();
        RecordPrinter printer = topics.outputMode() == OutputMode.ENRICHED && !deadLetters
                ? RecordPrinter.enriched(topics.enrichedOutputDecoder())
                : new RecordPrinter(topics.outputCodec());
        PrintWriter out = spec.commandLine().getOut();

        Map<String, Object> settings = ClientSettings.consumer(config);
        settings.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "sentiment-stream-consume");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);

        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        long count = 0;
        long undecodable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Thread hook = new Thread(
                    () -> {
                        interrupted.set(true);
                        consumer.wakeup();
                        awaitQuietly(done);
                    },
                    "consume-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                assignAll(consumer, source);
                Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
                while ((maxRecords == null || count < maxRecords)
                        && (deadline == null || Instant.now().isBefore(deadline))) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        if (deadLetters) {
                            out.println(printer.deadLetter(record));
                        } else if (record.value() != null) {
                            try {
                                out.println(printer.sentimentEvent(record.value()));
                            } catch (RecordDecodingException e) {
                                undecodable++;
                                LOG.warn(
                                        "Skipping record {}-{}@{}: {}",
                                        record.topic(),
                                        record.partition(),
                                        record.offset(),
                                        e.getMessage());
                            }
                        }
                        count++;
                        if (maxRecords != null && count >= maxRecords) {
                            break;
                        }
                    }
                    out.flush();
                }
            } catch (WakeupException e) {
                LOG.debug("Consumer woken up to stop", e);
            } finally {
                out.flush();
                done.countDown();
                if (!interrupted.get()) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
        }
        spec.commandLine()
                .getErr()
                .printf(
                        "Read %d record(s) from %s%s%n",
                        count, source, undecodable > 0 ? " (" + undecodable + " could not be decoded)" : "");
        if (maxRecords != null && count < maxRecords && !interrupted.get()) {
            throw new IllegalStateException("got " + count + " of " + maxRecords + " record(s) from " + source
                    + " within " + timeout.toSeconds() + " s");
        }
        return ExitCodes.OK;
    }

    private void assignAll(KafkaConsumer<byte[], byte[]> consumer, String source) {
        List<PartitionInfo> partitions = consumer.partitionsFor(source, Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            throw new UsageException("topic " + source + " does not exist");
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(assigned);
        if (from.equals("earliest")) {
            consumer.seekToBeginning(assigned);
        } else {
            consumer.seekToEnd(assigned);
        }
    }

    private static void awaitQuietly(CountDownLatch done) {
        try {
            if (!done.await(10, TimeUnit.SECONDS)) {
                LOG.warn("The consumer did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
