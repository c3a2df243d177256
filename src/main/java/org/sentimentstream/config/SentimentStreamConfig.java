package org.sentimentstream.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.sentimentstream.model.ExecutionProvider;
import org.sentimentstream.model.ModelDigest;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.serde.FieldMapping;
import org.sentimentstream.serde.InputShape;
import org.sentimentstream.serde.OutputMode;
import org.sentimentstream.serde.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's typed, validated configuration. Every setting is defined below with its type,
 * default, valid values, importance and documentation ({@code run --list-settings} prints them).
 *
 * <p>Sources, highest precedence first: command-line overrides, environment variables
 * ({@code SENTIMENT_*}, see {@link ConfigSources}), a properties file, the defaults. Any setting not
 * defined here (Kafka client settings, security settings included, with or without the
 * {@code consumer.}, {@code producer.}, {@code admin.}, {@code main.consumer.}, ... prefixes of Kafka
 * Streams) is passed unchanged to Kafka Streams. Invalid values fail construction with a
 * {@link ConfigException} that names the setting; so do Kafka Streams settings that Kafka Streams
 * itself rejects.
 *
 * <p>Secrets: Kafka's config providers ({@code config.providers}, with {@code config.providers.NAME.class}
 * and {@code .param.*}) resolve {@code ${NAME:...}} references in every setting when the configuration is
 * built ({@link AbstractConfig} does it), so the Kafka client settings passed on and the schema registry's
 * credentials can come from files, directories (a mounted Kubernetes Secret) or the environment.
 */
public final class SentimentStreamConfig extends AbstractConfig {

    public static final String INPUT_TOPIC_CONFIG = "input.topic";
    public static final String OUTPUT_TOPIC_CONFIG = "output.topic";
    public static final String DEAD_LETTER_TOPIC_CONFIG = "dead.letter.topic";
    public static final String INPUT_FORMAT_CONFIG = "input.format";
    public static final String OUTPUT_FORMAT_CONFIG = "output.format";
    public static final String BATCH_MAX_RECORDS_CONFIG = "batch.max.records";
    public static final String BATCH_MAX_BYTES_CONFIG = "batch.max.bytes";
    public static final String BATCH_LINGER_MS_CONFIG = "batch.linger.ms";
    public static final String MODEL_PATH_CONFIG = "model.path";
    public static final String MODEL_SHA256_CONFIG = "model.sha256";
    public static final String MODEL_PROVIDER_CONFIG = "model.provider";
    public static final String MODEL_THREADS_CONFIG = "model.threads";
    public static final String MODEL_RELOAD_INTERVAL_MS_CONFIG = "model.reload.interval.ms";
    public static final String METRICS_PORT_CONFIG = "metrics.port";
    public static final String METRICS_ADDRESS_CONFIG = "metrics.address";
    public static final String HEALTH_READY_REBALANCING_MAX_MS_CONFIG = "health.ready.rebalancing.max.ms";
    public static final String TEXT_MAX_BYTES_CONFIG = "text.max.bytes";
    public static final String OUTPUT_INCLUDE_TEXT_CONFIG = "output.include.text";
    public static final String OUTPUT_TIMING_HEADERS_CONFIG = "output.timing.headers";
    public static final String UNCERTAIN_MIN_PROBABILITY_CONFIG = "uncertain.min.probability";
    public static final String UNCERTAIN_MIN_KNOWN_TOKENS_CONFIG = "uncertain.min.known.tokens";
    public static final String INPUT_TEXT_FIELD_CONFIG = FieldMapping.TEXT_FIELD_SETTING;
    public static final String INPUT_ID_FIELD_CONFIG = FieldMapping.ID_FIELD_SETTING;
    public static final String INPUT_TIME_FIELD_CONFIG = FieldMapping.TIME_FIELD_SETTING;
    public static final String OUTPUT_MODE_CONFIG = "output.mode";
    public static final String TOPICS_ALLOW_SINGLE_REPLICA_CONFIG = "topics.allow.single.replica";
    public static final String STREAM_THREAD_REPLACEMENTS_MAX_CONFIG = "stream.thread.replacements.max";
    public static final String STREAM_THREAD_REPLACEMENTS_WINDOW_MS_CONFIG = "stream.thread.replacements.window.ms";
    public static final String APPLICATION_ID_CONFIG = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String BOOTSTRAP_SERVERS_CONFIG = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
    public static final String PROCESSING_GUARANTEE_CONFIG = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
    public static final String NUM_STREAM_THREADS_CONFIG = StreamsConfig.NUM_STREAM_THREADS_CONFIG;
    public static final String COMMIT_INTERVAL_MS_CONFIG = StreamsConfig.COMMIT_INTERVAL_MS_CONFIG;
    public static final String STATE_DIR_CONFIG = StreamsConfig.STATE_DIR_CONFIG;
    public static final String GROUP_INSTANCE_ID_CONFIG = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;

    public static final String DEFAULT_INPUT_TOPIC = "text-events";
    public static final String DEFAULT_OUTPUT_TOPIC = "sentiment-events";
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "text-events-dlq";
    public static final int DEFAULT_BATCH_MAX_RECORDS = 128;
    public static final int MAX_BATCH_MAX_RECORDS = 4096;
    public static final long DEFAULT_BATCH_LINGER_MS = 20;
    public static final int DEFAULT_BATCH_MAX_BYTES = 4 * 1024 * 1024;
    public static final int MIN_BATCH_MAX_BYTES = 1024;
    /**
     * Smallest {@code max.request.size} of the service's producer: the record limit is derived from it less the
     * overhead of the buffer's changelog entry and of a dead letter's headers (a few KiB).
     */
    public static final int MIN_PRODUCER_MAX_REQUEST_SIZE = 32 * 1024;
    /** Kafka's default {@code max.request.size}. */
    public static final int DEFAULT_PRODUCER_MAX_REQUEST_SIZE = 1024 * 1024;

    public static final long MAX_BATCH_LINGER_MS = 60_000;
    public static final int DEFAULT_TEXT_MAX_BYTES = 4096;
    public static final int MAX_TEXT_MAX_BYTES = 1024 * 1024;
    public static final long DEFAULT_MODEL_RELOAD_INTERVAL_MS = 5_000;
    public static final int DEFAULT_METRICS_PORT = 8080;
    public static final int DEFAULT_STREAM_THREAD_REPLACEMENTS_MAX = 3;
    public static final long DEFAULT_STREAM_THREAD_REPLACEMENTS_WINDOW_MS = 600_000L;
    /** {@code metrics.port} value that turns the HTTP server (and the recording of metrics) off. */
    public static final int METRICS_OFF = -1;

    public static final String DEFAULT_METRICS_ADDRESS = "0.0.0.0";
    public static final long DEFAULT_HEALTH_READY_REBALANCING_MAX_MS = 60_000;
    /** Prefix of a config provider's class and parameters ({@code config.providers.NAME.class}, ...). */
    private static final String CONFIG_PROVIDERS_PREFIX = AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".";
    /**
     * Kafka Streams' exception handlers and the fail-fast handler the service keeps for each. The no-loss promise
     * (every record committed has a result or a dead letter) rests on them: the topology dead-letters the records it
     * can reject, and anything else (an unreachable registry, a failing model, a failed send) must stop the task. A
     * "continue" handler would commit the offset of a record with neither, so any other value is refused at start-up.
     */
    @SuppressWarnings("deprecation") // the default.* names are still read by Kafka Streams 4.4
    static final Map<String, Class<?>> FAIL_FAST_HANDLERS = Map.of(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
            LogAndFailProcessingExceptionHandler.class,
            StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
            DefaultProductionExceptionHandler.class,
            StreamsConfig.DEFAULT_PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
            DefaultProductionExceptionHandler.class,
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            LogAndFailExceptionHandler.class,
            StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            LogAndFailExceptionHandler.class);

    /** Prefixes by which Kafka Streams routes a client setting to one of its clients or topics. */
    public static final List<String> KAFKA_PREFIXES = List.of(
            StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX,
            StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.PRODUCER_PREFIX,
            StreamsConfig.ADMIN_CLIENT_PREFIX);

    /** The settings of Kafka Streams and of its consumer, producer and admin clients, without prefixes. */
    private static final Set<String> KNOWN_KAFKA_SETTINGS = Stream.of(
                    StreamsConfig.configDef().names(),
                    ConsumerConfig.configNames(),
                    ProducerConfig.configNames(),
                    AdminClientConfig.configNames())
            .flatMap(Set::stream)
            .collect(Collectors.toUnmodifiableSet());

    private static final Logger LOG = LoggerFactory.getLogger(SentimentStreamConfig.class);
    /** The user info of a URL: after the scheme, before an {@code @} that comes before any {@code /}. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@");

    private static final ConfigDef CONFIG_DEF = defineSettings();

    /**
     * Validates the settings (strings as read from a file, or typed values).
     *
     * @throws ConfigException naming the first invalid setting
     */
    public SentimentStreamConfig(Map<?, ?> settings) {
        super(CONFIG_DEF, settings, false);
        checkFormatSettings();
        refuseExceptionHandlerOverrides();
        producerMaxRequestSize();
        validateWithKafkaStreams();
        warnAboutUnknownSettings();
    }

    /**
     * Loads the configuration from its sources (see {@link ConfigSources#merge}).
     *
     * @param propertiesFile a properties file, or null for none
     * @param environment    the environment variables
     * @param overrides      settings from the command line
     */
    public static SentimentStreamConfig load(
            Path propertiesFile, Map<String, String> environment, Map<String, String> overrides) {
        return new SentimentStreamConfig(ConfigSources.merge(propertiesFile, environment, overrides));
    }

    /** A copy of the definitions of all settings. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    private static ConfigDef defineSettings() {
        ConfigDef def = defineServiceSettings();
        // The settings of the wire formats (the schema registry's), defined by the formats themselves.
        for (WireFormat format : WireFormat.values()) {
            for (ConfigDef.ConfigKey key : format.settings().configKeys().values()) {
                if (!def.names().contains(key.name)) {
                    def.define(key);
                }
            }
        }
        return def;
    }

    private static ConfigDef defineServiceSettings() {
        String formats = WireFormat.describeAll();
        return new ConfigDef()
                .define(
                        INPUT_TOPIC_CONFIG,
                        Type.STRING,
                        DEFAULT_INPUT_TOPIC,
                        Validators.topicName(),
                        Importance.HIGH,
                        "Topic the text events are read from.")
                .define(
                        OUTPUT_TOPIC_CONFIG,
                        Type.STRING,
                        DEFAULT_OUTPUT_TOPIC,
                        Validators.topicName(),
                        Importance.HIGH,
                        "Topic the sentiment events are written to, with the key of their input.")
                .define(
                        DEAD_LETTER_TOPIC_CONFIG,
                        Type.STRING,
                        DEFAULT_DEAD_LETTER_TOPIC,
                        Validators.topicName(),
                        Importance.HIGH,
                        "Topic that receives the input records that cannot be classified, with"
                                + " their original key and value bytes and the reason in sentiment.* headers.")
                .define(
                        INPUT_FORMAT_CONFIG,
                        Type.STRING,
                        WireFormat.AVRO.configValue(),
                        Validators.oneOf(inputFormatValues()),
                        Importance.MEDIUM,
                        "Wire format of the input topic, for schemas/text-event.avsc, or for any record with"
                                + " input.text.field (json, confluent-avro). " + formats + "; "
                                + InputShape.PLAIN_TEXT_FORMAT + ": plain UTF-8 text values (kafka-console-producer,"
                                + " kcat), the id from the UTF-8 key (hex: and the hexadecimal bytes if the key is"
                                + " not UTF-8; topic-partition-offset without a key), the time from the record"
                                + " timestamp.")
                .define(
                        INPUT_TEXT_FIELD_CONFIG,
                        Type.STRING,
                        null,
                        Validators.nullOrFieldPath(),
                        Importance.MEDIUM,
                        "Dotted path of the text in input records of any shape (json: any object; confluent-avro:"
                                + " any record schema in the registry, read with the writer's schema), such as body or"
                                + " message.content.text. Unset: the records are TextEvents. A record without a"
                                + " string there is dead-lettered (FIELD_MISSING, FIELD_WRONG_TYPE).")
                .define(
                        INPUT_ID_FIELD_CONFIG,
                        Type.STRING,
                        null,
                        Validators.nullOrFieldPath(),
                        Importance.LOW,
                        "Dotted path of the id (a string or an integer) with input.text.field. Unset, absent or"
                                + " null: the id is the record key as for input.format=text.")
                .define(
                        INPUT_TIME_FIELD_CONFIG,
                        Type.STRING,
                        null,
                        Validators.nullOrFieldPath(),
                        Importance.LOW,
                        "Dotted path of the event time (integer epoch milliseconds or an ISO-8601 instant) with"
                                + " input.text.field. Unset, absent or null: the record timestamp.")
                .define(
                        OUTPUT_MODE_CONFIG,
                        Type.STRING,
                        OutputMode.EVENT.configValue(),
                        Validators.oneOf(OutputMode.class, OutputMode::configValue),
                        Importance.MEDIUM,
                        "What is written to the output topic. " + OutputMode.describeAll() + ".")
                .define(
                        OUTPUT_FORMAT_CONFIG,
                        Type.STRING,
                        WireFormat.AVRO.configValue(),
                        Validators.oneOf(WireFormat.class, WireFormat::configValue),
                        Importance.MEDIUM,
                        "Wire format of the output topic, for schemas/sentiment-event.avsc. " + formats + ".")
                .define(
                        BATCH_MAX_RECORDS_CONFIG,
                        Type.INT,
                        DEFAULT_BATCH_MAX_RECORDS,
                        Range.between(1, MAX_BATCH_MAX_RECORDS),
                        Importance.MEDIUM,
                        "Most records of one input partition classified together; the model runs a batch in"
                                + " calls of at most " + ModelOptions.DEFAULT_MAX_ROWS_PER_CALL
                                + " texts of similar length. A batch is classified as soon as this"
                                + " many records of one input partition are buffered (docs/PERFORMANCE.md: 128"
                                + " gave the most results per CPU-second).")
                .define(
                        BATCH_MAX_BYTES_CONFIG,
                        Type.INT,
                        DEFAULT_BATCH_MAX_BYTES,
                        Range.atLeast(MIN_BATCH_MAX_BYTES),
                        Importance.LOW,
                        "Most bytes (keys, values and headers) of one input partition's buffered records: a batch is"
                                + " classified as soon as they reach this many, so that large records cannot"
                                + " exhaust the heap before batch.max.records is reached (a buffered record is"
                                + " held about three times: store, raw copy, decoded form).")
                .define(
                        BATCH_LINGER_MS_CONFIG,
                        Type.LONG,
                        DEFAULT_BATCH_LINGER_MS,
                        Range.between(1, MAX_BATCH_LINGER_MS),
                        Importance.MEDIUM,
                        "Longest time, in milliseconds of wall-clock time, a record waits in the batch buffer"
                                + " for the batch to fill before the buffered records are classified anyway."
                                + " Checked every max(1, linger/2) ms, so the wait is at most 1.5 times this;"
                                + " Kafka Streams' poll.ms defaults to min(100, this) so that an idle thread"
                                + " checks in time.")
                .define(
                        MODEL_PATH_CONFIG,
                        Type.STRING,
                        "",
                        Validators.emptyOrReadableFile(),
                        Importance.HIGH,
                        "Path of the ONNX model file (contract: docs/MODEL_CONTRACT.md). Empty: the model"
                                + " bundled in the jar (model/sentiment-bilstm.onnx).")
                .define(
                        MODEL_SHA256_CONFIG,
                        Type.STRING,
                        "",
                        Validators.emptyOrSha256(),
                        Importance.MEDIUM,
                        "SHA-256 of the model file's bytes, in hexadecimal (sha256sum prints it). Set: a model"
                                + " file (or the bundled model) with another digest is refused, at start-up"
                                + " (exit code 2) and on a hot reload (the serving model keeps serving). Empty:"
                                + " any file that meets the model contract is trusted.")
                .define(
                        MODEL_PROVIDER_CONFIG,
                        Type.STRING,
                        ExecutionProvider.CPU.configValue(),
                        Validators.oneOf(ExecutionProvider.class, ExecutionProvider::configValue),
                        Importance.MEDIUM,
                        "ONNX Runtime execution provider. " + ExecutionProvider.describeAll() + ".")
                .define(
                        MODEL_THREADS_CONFIG,
                        Type.INT,
                        1,
                        Range.between(0, 1024),
                        Importance.LOW,
                        "ONNX Runtime intra-op threads per model call; 0 lets ONNX Runtime choose (one per"
                                + " core). With several stream threads, 1 is usually fastest.")
                .define(
                        MODEL_RELOAD_INTERVAL_MS_CONFIG,
                        Type.LONG,
                        DEFAULT_MODEL_RELOAD_INTERVAL_MS,
                        Range.between(0, 3_600_000),
                        Importance.MEDIUM,
                        "How often, in milliseconds, the file at model.path is checked for a replacement (hot"
                                + " reload; replace the file by an atomic rename). A new file is switched in"
                                + " between two batches once it looked the same on two checks in a row and passed"
                                + " the model contract and the model self-check with the serving model's labels"
                                + " and tokenizer; otherwise"
                                + " it is refused and the serving model keeps serving. 0: no reload. Not used"
                                + " with the bundled model.")
                .define(
                        TEXT_MAX_BYTES_CONFIG,
                        Type.INT,
                        DEFAULT_TEXT_MAX_BYTES,
                        Range.between(1, MAX_TEXT_MAX_BYTES),
                        Importance.MEDIUM,
                        "Largest text accepted, in bytes of UTF-8. Longer texts go to the dead-letter topic"
                                + " (reason TEXT_TOO_LONG) instead of being tokenized. The default, 4096, is more"
                                + " than 3 times a 280-character tweet of 4-byte characters; the model reads"
                                + " only its first max_length tokens anyway.")
                .define(
                        OUTPUT_INCLUDE_TEXT_CONFIG,
                        Type.BOOLEAN,
                        false,
                        Importance.MEDIUM,
                        "Whether sentiment events echo the classified text (off by default, for private texts).")
                .define(
                        OUTPUT_TIMING_HEADERS_CONFIG,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "Whether output records carry sentiment.timing.* headers with the wall-clock time of each"
                                + " stage in the service (received, batch started, model done, sent), for"
                                + " latency measurements: loadtest breaks latency down into stages with them.")
                .define(
                        UNCERTAIN_MIN_PROBABILITY_CONFIG,
                        Type.DOUBLE,
                        0.0,
                        Range.between(0.0, 1.0),
                        Importance.MEDIUM,
                        "A text whose most probable label has a lower probability than this gets the label"
                                + " 'uncertain' instead (its probabilities are still written). 0: off, the model's"
                                + " label always. The recommended value for the bundled model, chosen on"
                                + " validation data, and what it flags and keeps: docs/CALIBRATION.md.")
                .define(
                        UNCERTAIN_MIN_KNOWN_TOKENS_CONFIG,
                        Type.INT,
                        0,
                        Range.atLeast(0),
                        Importance.MEDIUM,
                        "A text with fewer known tokens (known_token_count: tokens the model read that are in"
                                + " its vocabulary) than this gets the label 'uncertain' instead of a guess, e.g."
                                + " a text in a language the model never saw. 0: off. The recommended value:"
                                + " docs/CALIBRATION.md.")
                .define(
                        METRICS_PORT_CONFIG,
                        Type.INT,
                        DEFAULT_METRICS_PORT,
                        Range.between(METRICS_OFF, 65_535),
                        Importance.MEDIUM,
                        "Port of the HTTP server for Prometheus metrics (GET /metrics) and health probes"
                                + " (GET /health/live, /health/ready). 0: any free port (the log says which);"
                                + " -1: no HTTP server, and no metrics recorded.")
                .define(
                        METRICS_ADDRESS_CONFIG,
                        Type.STRING,
                        DEFAULT_METRICS_ADDRESS,
                        Validators.hostOrAddress(),
                        Importance.LOW,
                        "Address the metrics and health server listens on: 0.0.0.0 for every IPv4 interface,"
                                + " 127.0.0.1 for this host only, or one interface's address or host name.")
                .define(
                        HEALTH_READY_REBALANCING_MAX_MS_CONFIG,
                        Type.LONG,
                        DEFAULT_HEALTH_READY_REBALANCING_MAX_MS,
                        Range.atLeast(0),
                        Importance.LOW,
                        "How long, in milliseconds, /health/ready keeps answering 200 while Kafka Streams"
                                + " rebalances or restores state after it has been RUNNING; a longer rebalance"
                                + " answers 503 until it is RUNNING again. Before the first RUNNING it is not"
                                + " ready.")
                .define(
                        TOPICS_ALLOW_SINGLE_REPLICA_CONFIG,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "Whether exactly_once_v2 may start when the output or dead-letter topic has a single"
                                + " replica on a cluster of several brokers. The start-up check refuses that by"
                                + " default (exit code 2): a single replica's broker restarting mid-transaction"
                                + " was seen to make duplicates visible (docs/RELIABILITY.md). Give the topics"
                                + " replication factor 3 instead.")
                .define(
                        STREAM_THREAD_REPLACEMENTS_MAX_CONFIG,
                        Type.INT,
                        DEFAULT_STREAM_THREAD_REPLACEMENTS_MAX,
                        Range.atLeast(0),
                        Importance.LOW,
                        "How many stream threads may be replaced within stream.thread.replacements.window.ms"
                                + " after a failure a new thread recovers from (fenced or invalid transactional"
                                + " state, a timeout while brokers are away). One more such failure in the window"
                                + " stops the service (exit code 1), as every other stream-thread failure does."
                                + " 0: never replace.")
                .define(
                        STREAM_THREAD_REPLACEMENTS_WINDOW_MS_CONFIG,
                        Type.LONG,
                        DEFAULT_STREAM_THREAD_REPLACEMENTS_WINDOW_MS,
                        Range.atLeast(1),
                        Importance.LOW,
                        "The window, in milliseconds, over which stream.thread.replacements.max counts.")
                .define(
                        APPLICATION_ID_CONFIG,
                        Type.STRING,
                        "sentiment-stream",
                        Validators.applicationId(),
                        Importance.HIGH,
                        "Kafka Streams application id: the consumer group, and the prefix of"
                                + " internal topics such as the batch buffer's changelog.")
                .define(
                        BOOTSTRAP_SERVERS_CONFIG,
                        Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.ValidList.anyNonDuplicateValues(false, false),
                        Importance.HIGH,
                        "Kafka brokers to connect to first, host:port[,host:port...]. Required.")
                .define(
                        PROCESSING_GUARANTEE_CONFIG,
                        Type.STRING,
                        StreamsConfig.AT_LEAST_ONCE,
                        ConfigDef.ValidString.in(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2),
                        Importance.HIGH,
                        "at_least_once (a record may be classified twice after a crash) or"
                                + " exactly_once_v2 (needs 3 brokers by default for the transaction log).")
                .define(
                        NUM_STREAM_THREADS_CONFIG,
                        Type.INT,
                        1,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Kafka Streams threads; each runs the model for the partitions it owns.")
                .define(
                        COMMIT_INTERVAL_MS_CONFIG,
                        Type.LONG,
                        null,
                        Validators.nullOrAtLeast(0),
                        Importance.LOW,
                        "How often Kafka Streams commits, in milliseconds. Unset: 1000 with at_least_once"
                                + " (Kafka Streams' 30000 lets the buffer's cache hold 30 s of deletions, which"
                                + " lengthens GC pauses: docs/PERFORMANCE.md), Kafka Streams' 100 with"
                                + " exactly_once_v2.")
                .define(
                        STATE_DIR_CONFIG,
                        Type.STRING,
                        null,
                        Validators.nullOrNonBlank(),
                        Importance.MEDIUM,
                        "Directory of Kafka Streams' local state. Unset: Kafka Streams' default"
                                + " (<java.io.tmpdir>/kafka-streams). The service's only store (the batch"
                                + " buffer) is in memory and restored from its changelog, so Kafka Streams"
                                + " writes nothing here today (docs/RELIABILITY.md, \"State directory\").")
                .define(
                        GROUP_INSTANCE_ID_CONFIG,
                        Type.STRING,
                        null,
                        Validators.nullOrGroupInstanceId(),
                        Importance.MEDIUM,
                        "Static membership: a name unique to this instance within the application id and"
                                + " stable across its restarts (on Kubernetes the pod name of a StatefulSet,"
                                + " from the downward API). Kafka Streams gives each stream thread's consumer"
                                + " <this>-<thread>. A stopping instance stays in the group, so its partitions"
                                + " wait for it instead of moving away and back: a restart within"
                                + " session.timeout.ms causes no rebalance, a slower one does (docs/RELIABILITY.md,"
                                + " \"Static membership and standbys\"). Unset: dynamic membership.");
    }

    public String inputTopic() {
        return getString(INPUT_TOPIC_CONFIG);
    }

    public String outputTopic() {
        return getString(OUTPUT_TOPIC_CONFIG);
    }

    public String deadLetterTopic() {
        return getString(DEAD_LETTER_TOPIC_CONFIG);
    }

    /** The input's wire format; empty for plain-text input ({@code input.format=text}), which has none. */
    public Optional<WireFormat> inputFormat() {
        String value = getString(INPUT_FORMAT_CONFIG);
        return isPlainText(value) ? Optional.empty() : Optional.of(WireFormat.fromConfigValue(value));
    }

    /** What the input values hold: text events, plain text, or records mapped by {@code input.*.field}. */
    public InputShape inputShape() {
        if (isPlainText(getString(INPUT_FORMAT_CONFIG))) {
            return InputShape.PLAIN_TEXT;
        }
        String text = getString(INPUT_TEXT_FIELD_CONFIG);
        return text == null
                ? InputShape.TEXT_EVENTS
                : InputShape.fields(
                        FieldMapping.of(text, getString(INPUT_ID_FIELD_CONFIG), getString(INPUT_TIME_FIELD_CONFIG)));
    }

    public OutputMode outputMode() {
        return OutputMode.fromConfigValue(getString(OUTPUT_MODE_CONFIG));
    }

    private static boolean isPlainText(String inputFormat) {
        return InputShape.PLAIN_TEXT_FORMAT.equalsIgnoreCase(inputFormat.trim());
    }

    private static List<String> inputFormatValues() {
        List<String> values = new ArrayList<>();
        for (WireFormat format : WireFormat.values()) {
            values.add(format.configValue());
        }
        values.add(InputShape.PLAIN_TEXT_FORMAT);
        return values;
    }

    public WireFormat outputFormat() {
        return WireFormat.fromConfigValue(getString(OUTPUT_FORMAT_CONFIG));
    }

    public int batchMaxRecords() {
        return getInt(BATCH_MAX_RECORDS_CONFIG);
    }

    /** Most buffered bytes of one input partition before its batch is classified. */
    public int batchMaxBytes() {
        return getInt(BATCH_MAX_BYTES_CONFIG);
    }

    /**
     * The {@code max.request.size} of the service's producer ({@code producer.max.request.size}, else
     * {@code max.request.size}, else Kafka's default): the largest record it sends, changelog and dead letters
     * included. Checked at construction.
     */
    public int producerMaxRequestSize() {
        Map<String, Object> passThrough = passThroughSettings();
        String prefixed = StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        String name = passThrough.containsKey(prefixed) ? prefixed : ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
        Object value = passThrough.get(name);
        if (value == null) {
            return DEFAULT_PRODUCER_MAX_REQUEST_SIZE;
        }
        int size = (Integer) ConfigDef.parseType(name, value, Type.INT);
        if (size < MIN_PRODUCER_MAX_REQUEST_SIZE) {
            throw new ConfigException(
                    name,
                    value,
                    "the service needs at least " + MIN_PRODUCER_MAX_REQUEST_SIZE
                            + " bytes: a buffered record's changelog entry and a dead letter add a few KiB");
        }
        return size;
    }

    public Duration batchLinger() {
        return Duration.ofMillis(getLong(BATCH_LINGER_MS_CONFIG));
    }

    /** The model file, or empty for the bundled model. */
    public Optional<Path> modelPath() {
        String path = getString(MODEL_PATH_CONFIG);
        return path.isEmpty() ? Optional.empty() : Optional.of(Path.of(path));
    }

    /** The pinned digest of the model file ({@code model.sha256}), or {@link ModelDigest#ANY}. */
    public ModelDigest modelDigest() {
        return ModelDigest.of(getString(MODEL_SHA256_CONFIG));
    }

    public ExecutionProvider modelProvider() {
        return ExecutionProvider.fromConfigValue(getString(MODEL_PROVIDER_CONFIG));
    }

    /** ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose. */
    public int modelThreads() {
        return getInt(MODEL_THREADS_CONFIG);
    }

    /** How to open the model session (GPU 0 when the provider is CUDA). */
    public ModelOptions modelOptions() {
        return new ModelOptions(modelProvider(), modelThreads(), 0);
    }

    /** How often the model file is checked for a replacement; zero: never. */
    public Duration modelReloadInterval() {
        return Duration.ofMillis(getLong(MODEL_RELOAD_INTERVAL_MS_CONFIG));
    }

    /** The metrics and health server's port: 0 any free port, {@link #METRICS_OFF} none. */
    public int metricsPort() {
        return getInt(METRICS_PORT_CONFIG);
    }

    public String metricsAddress() {
        return getString(METRICS_ADDRESS_CONFIG).trim();
    }

    /** How long a rebalance after RUNNING keeps the service ready. */
    public Duration healthReadyRebalancingMax() {
        return Duration.ofMillis(getLong(HEALTH_READY_REBALANCING_MAX_MS_CONFIG));
    }

    public int textMaxBytes() {
        return getInt(TEXT_MAX_BYTES_CONFIG);
    }

    public boolean outputIncludeText() {
        return getBoolean(OUTPUT_INCLUDE_TEXT_CONFIG);
    }

    public boolean outputTimingHeaders() {
        return getBoolean(OUTPUT_TIMING_HEADERS_CONFIG);
    }

    /** Below this probability of the most probable label, the output's label is 'uncertain'; 0: off. */
    public double uncertainMinProbability() {
        return getDouble(UNCERTAIN_MIN_PROBABILITY_CONFIG);
    }

    /** With fewer known tokens than this, the output's label is 'uncertain'; 0: off. */
    public int uncertainMinKnownTokens() {
        return getInt(UNCERTAIN_MIN_KNOWN_TOKENS_CONFIG);
    }

    /** Whether exactly_once_v2 may start with a single-replica output or dead-letter topic. */
    public boolean topicsAllowSingleReplica() {
        return getBoolean(TOPICS_ALLOW_SINGLE_REPLICA_CONFIG);
    }

    /** How many stream-thread replacements {@link #streamThreadReplacementsWindow()} allows. */
    public int streamThreadReplacementsMax() {
        return getInt(STREAM_THREAD_REPLACEMENTS_MAX_CONFIG);
    }

    public Duration streamThreadReplacementsWindow() {
        return Duration.ofMillis(getLong(STREAM_THREAD_REPLACEMENTS_WINDOW_MS_CONFIG));
    }

    public String applicationId() {
        return getString(APPLICATION_ID_CONFIG);
    }

    public List<String> bootstrapServers() {
        return getList(BOOTSTRAP_SERVERS_CONFIG);
    }

    public String processingGuarantee() {
        return getString(PROCESSING_GUARANTEE_CONFIG);
    }

    public int numStreamThreads() {
        return getInt(NUM_STREAM_THREADS_CONFIG);
    }

    /** The commit interval the user set, or empty for the service's default (see app's StreamsProperties). */
    public Optional<Duration> commitInterval() {
        Long millis = getLong(COMMIT_INTERVAL_MS_CONFIG);
        return millis == null ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
    }

    /** The state directory, or empty for Kafka Streams' default. */
    public Optional<Path> stateDir() {
        String dir = getString(STATE_DIR_CONFIG);
        return dir == null ? Optional.empty() : Optional.of(Path.of(dir));
    }

    /** This instance's static membership name, or empty for dynamic membership. */
    public Optional<String> groupInstanceId() {
        return Optional.ofNullable(getString(GROUP_INSTANCE_ID_CONFIG));
    }

    /** The settings not defined here, unchanged: they go to Kafka Streams as they are. */
    public Map<String, Object> passThroughSettings() {
        Map<String, Object> passThrough = new TreeMap<>();
        originals().forEach((name, value) -> {
            if (!CONFIG_DEF.names().contains(name)) {
                passThrough.put(name, value);
            }
        });
        return passThrough;
    }

    /**
     * The Kafka Streams settings the user gave: every pass-through setting unchanged, then the Kafka Streams
     * settings defined here (unset ones left out). The service's own defaults for Kafka Streams are added by
     * app's {@code StreamsProperties}. Kafka Streams' exception handlers keep their fail-fast defaults (other
     * values are refused at construction, see {@link #FAIL_FAST_HANDLERS}).
     */
    public Map<String, Object> kafkaStreamsSettings() {
        Map<String, Object> settings = new LinkedHashMap<>(passThroughSettings());
        settings.put(APPLICATION_ID_CONFIG, applicationId());
        settings.put(BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers()));
        settings.put(PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
        settings.put(NUM_STREAM_THREADS_CONFIG, numStreamThreads());
        commitInterval().ifPresent(interval -> settings.put(COMMIT_INTERVAL_MS_CONFIG, interval.toMillis()));
        stateDir().ifPresent(dir -> settings.put(STATE_DIR_CONFIG, dir.toString()));
        groupInstanceId().ifPresent(id -> settings.put(GROUP_INSTANCE_ID_CONFIG, id));
        return settings;
    }

    /** The checks of the formats in use that span several settings (a registry format needs a URL). */
    private void checkFormatSettings() {
        Map<String, Object> settings = originals();
        inputFormat().ifPresent(format -> format.checkSettings(settings));
        if (!inputFormat().equals(Optional.of(outputFormat()))) {
            outputFormat().checkSettings(settings);
        }
        checkShapeSettings();
    }

    /** The input field paths and the output mode against the formats they need. */
    private void checkShapeSettings() {
        String text = getString(INPUT_TEXT_FIELD_CONFIG);
        if (text == null) {
            for (String name : List.of(INPUT_ID_FIELD_CONFIG, INPUT_TIME_FIELD_CONFIG)) {
                if (getString(name) != null) {
                    throw new ConfigException(name, getString(name), "Needs " + INPUT_TEXT_FIELD_CONFIG + " too");
                }
            }
        } else if (inputFormat().filter(InputShape::supportsFields).isEmpty()) {
            throw new ConfigException(
                    INPUT_TEXT_FIELD_CONFIG,
                    text,
                    "Field paths need " + INPUT_FORMAT_CONFIG + "=" + WireFormat.JSON.configValue() + " or "
                            + WireFormat.CONFLUENT_AVRO.configValue() + ", not " + getString(INPUT_FORMAT_CONFIG));
        }
        if (outputMode() == OutputMode.ENRICHED) {
            if (text == null) {
                throw new ConfigException(
                        OUTPUT_MODE_CONFIG,
                        OutputMode.ENRICHED.configValue(),
                        "Needs " + INPUT_TEXT_FIELD_CONFIG + " (input records of your own shape to enrich)");
            }
            if (!inputFormat().equals(Optional.of(outputFormat()))) {
                throw new ConfigException(
                        OUTPUT_FORMAT_CONFIG,
                        outputFormat().configValue(),
                        "With " + OUTPUT_MODE_CONFIG + "=enriched it must equal " + INPUT_FORMAT_CONFIG + " ("
                                + getString(INPUT_FORMAT_CONFIG) + "): the output is the input record");
            }
        }
    }

    /** Refuses any exception handler but Kafka Streams' fail-fast default (see {@link #FAIL_FAST_HANDLERS}). */
    private void refuseExceptionHandlerOverrides() {
        Map<String, Object> passThrough = passThroughSettings();
        FAIL_FAST_HANDLERS.forEach((name, failFast) -> {
            Object value = passThrough.get(name);
            if (value == null) {
                return;
            }
            String className = value instanceof Class<?> type
                    ? type.getName()
                    : value.toString().trim();
            if (!className.equals(failFast.getName())) {
                throw new ConfigException(
                        name,
                        value,
                        "the service keeps Kafka Streams' fail-fast " + failFast.getSimpleName()
                                + ": another handler could commit a record with neither a result nor a dead letter"
                                + " (the topology dead-letters bad records itself; remove the setting)");
            }
        });
    }

    @SuppressWarnings("deprecation") // the global handler switch goes away when Kafka 5 enables it for good
    private void validateWithKafkaStreams() {
        // Kafka Streams' own validation of its settings (types, enums, ranges), without its INFO dump. The
        // global handler switch is set as the service sets it (app's StreamsProperties), else the check warns.
        Properties properties = new Properties();
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        properties.putAll(kafkaStreamsSettings());
        new StreamsConfig(properties, false) {};
    }

    private void warnAboutUnknownSettings() {
        for (String name : passThroughSettings().keySet()) {
            if (!isKafkaSetting(name)) {
                LOG.warn(
                        "Setting '{}' is neither a sentiment-stream setting nor a known Kafka client setting;"
                                + " passing it to Kafka Streams unchanged (a typo?)",
                        name);
            }
        }
    }

    /**
     * Whether {@code name} is a setting Kafka Streams or one of its clients knows, with or without a client
     * prefix ({@code topic.*} settings count as known: they go to the internal topics). Any other setting
     * is passed on all the same, with a warning at start-up.
     */
    public static boolean isKafkaSetting(String name) {
        if (name.startsWith(StreamsConfig.TOPIC_PREFIX) || name.startsWith(CONFIG_PROVIDERS_PREFIX)) {
            return true;
        }
        String unprefixed = name;
        for (String prefix : KAFKA_PREFIXES) {
            if (name.startsWith(prefix)) {
                unprefixed = name.substring(prefix.length());
                break;
            }
        }
        return KNOWN_KAFKA_SETTINGS.contains(unprefixed);
    }

    /**
     * A readable summary of the effective values (no pass-through values: they may be secrets). Passwords
     * show as {@code [hidden]}, and so does the user info of a URL ({@code schema.registry.url}).
     */
    public Map<String, Object> effectiveValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : CONFIG_DEF.names()) {
            Object value = get(name);
            if (value instanceof String text) {
                value = withoutUserInfo(text);
            } else if (value instanceof List<?> list) {
                value = list.stream()
                        .map(item -> item instanceof String text ? withoutUserInfo(text) : item)
                        .toList();
            }
            values.put(name, value);
        }
        return values;
    }

    /** The text with the user info of any URL in it ({@code scheme://user:password@host}) hidden. */
    private static String withoutUserInfo(String text) {
        return USER_INFO.matcher(text).replaceAll("$1[hidden]@");
    }
}
