package org.sentimentstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.localbroker.LocalKafkaBroker;
import org.sentimentstream.serde.WireFormat;
import org.sentimentstream.stream.DeadLetterHeaders;
import org.sentimentstream.stream.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client settings, security settings included, pass through to Kafka unchanged. The local broker gets a
 * SASL_PLAINTEXT listener with the PLAIN mechanism; the service ({@code run} in its own JVM) is given {@code
 * security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} with {@code --set}. With the right
 * credentials it classifies through that listener, and its log holds neither a text nor the password; with a
 * wrong password it stops at start-up with one clear line and exit code 2 (a restart cannot fix it).
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SecurityIT {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityIT.class);

    private static final String USER = "sentiment-service";
    private static final String PASSWORD = "right-Pa55word";
    private static final String WRONG_PASSWORD = "wrong-Pa55word";
    /** A word that appears in every text sent, and so must never appear in the service's log. */
    private static final String MARKER = "quokkaprivate";

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Pattern STACK_TRACE_LINE =
            Pattern.compile("^\\s+at \\S+\\(.*\\)$|^Caused by: |^Exception in thread ");

    @TempDir
    static Path folder;

    @RegisterExtension
    static final LocalBrokerExtension KAFKA = new LocalBrokerExtension(() ->
            LocalKafkaBroker.builder().saslPlainUsers(Map.of(USER, PASSWORD)).start());

    private static List<String> runArguments(Topics topics, String password) {
        String applicationId = "security-it-" + UUID.randomUUID();
        List<String> arguments = new ArrayList<>(
                List.of("run", "--bootstrap-servers", KAFKA.broker().saslBootstrapServers()));
        Map<String, String> settings = Map.of(
                "application.id",
                applicationId,
                "input.topic",
                topics.input(),
                "output.topic",
                topics.output(),
                "dead.letter.topic",
                topics.deadLetter(),
                "state.dir",
                folder.resolve(applicationId).toString(),
                "metrics.port",
                "-1",
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER + "\" password=\""
                        + password + "\";");
        settings.forEach((name, value) -> {
            arguments.add("--set");
            arguments.add(name + "=" + value);
        });
        return arguments;
    }

    private static String reason(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(DeadLetterHeaders.REASON);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldClassifyThroughASaslListenerWithTheRightCredentialsAndLogNeitherTextsNorThePassword() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "sasl", 1);
        List<TextEvent> events = ItKafka.events(
                "s",
                IntStream.range(0, 30)
                        .mapToObj(i -> (i % 2 == 0 ? "i love my " : "i hate my ") + MARKER + " number " + i)
                        .toList());
        Set<String> ids = events.stream().map(TextEvent::getId).collect(Collectors.toSet());
        Path log = folder.resolve("service-right-credentials.log");

        try (OutputCollector<OutputRecord> output = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.output(), OutputRecord.decoder(topics));
                OutputCollector<String> deadLetters = new OutputCollector<>(
                        KAFKA.broker().bootstrapServers(), topics.deadLetter(), SecurityIT::reason)) {
            ItKafka.send(KAFKA.broker().bootstrapServers(), topics, events);
            try (KafkaProducer<byte[], byte[]> producer =
                    ItKafka.rawProducer(KAFKA.broker().bootstrapServers())) {
                byte[] tooLong = WireFormat.AVRO
                        .textEventCodec()
                        .encode(ItKafka.events("long", List.of((MARKER + " ").repeat(1000)))
                                .get(0));
                byte[] json = WireFormat.JSON
                        .textEventCodec()
                        .encode(ItKafka.events("json", List.of(MARKER)).get(0));
                producer.send(new ProducerRecord<>(topics.input(), tooLong)).get();
                producer.send(new ProducerRecord<>(topics.input(), json)).get();
            }
            ServiceProcess service = new ServiceProcess(runArguments(topics, PASSWORD), log);
            service.start();

            List<OutputRecord> results =
                    output.awaitUntil(r -> OutputRecord.ids(r).containsAll(ids) || !service.isAlive(), WAIT);
            List<String> reasons = deadLetters.awaitUntil(r -> r.size() >= 2 || !service.isAlive(), WAIT);
            int exitCode = service.stop();

            assertThat(OutputRecord.ids(results))
                    .as("results; service log:\n%s", service.logTail())
                    .containsAll(ids);
            assertThat(reasons).containsExactlyInAnyOrder("TEXT_TOO_LONG", "UNDECODABLE");
            assertThat(exitCode).as("SIGTERM stops the service cleanly").isIn(0, 143);
        }
        String serviceLog = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(serviceLog)
                .as("the service's log")
                .contains("Dead-lettering")
                .doesNotContain(MARKER)
                .doesNotContain(PASSWORD);
    }

    @Test
    void shouldStopAtStartUpWithOneClearLineOnWrongCredentials() throws Exception {
        Topics topics = ItKafka.createTopics(KAFKA.broker(), "sasl-wrong", 1);
        Path log = folder.resolve("service-wrong-credentials.log");
        ServiceProcess service = new ServiceProcess(runArguments(topics, WRONG_PASSWORD), log);

        service.start();
        int exitCode = service.awaitExit(WAIT);

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();
        LOG.info(
                "Wrong credentials: exit code {}, {} output lines, the last: {}",
                exitCode,
                lines.size(),
                lines.get(lines.size() - 1));
        assertThat(exitCode).as(String.join("\n", lines)).isEqualTo(2);
        assertThat(lines.get(lines.size() - 1))
                .startsWith("sentiment-stream run: error: ")
                .contains("Authentication failed");
        assertThat(lines)
                .noneMatch(line -> STACK_TRACE_LINE.matcher(line).find())
                .noneMatch(line -> line.contains(WRONG_PASSWORD));
    }
}
