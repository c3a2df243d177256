package org.sentimentstream.stream;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.serde.OutputWriter;
import org.sentimentstream.serde.RecordCoordinates;
import org.sentimentstream.tokenizer.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one processor of the topology: checks each record once on arrival, buffers the accepted ones and
 * classifies them in batches of at most {@code batchMaxRecords}.
 *
 * <p><b>One pass per record.</b> A record is decoded, checked and tokenized once, when it arrives; a
 * rejected record goes to the dead-letter topic at once. An accepted record is kept twice: decoded and
 * tokenized in memory ({@link #pending}), which the batch is classified from, and as its original bytes in
 * the buffer store ({@link SentimentTopology#BUFFER_STORE}), whose changelog topic is what survives a
 * crash. The store is only written while the task runs; it is read once, in {@link #init}, when Kafka
 * Streams has restored it after a restart, and only those restored records are decoded again.
 *
 * <p><b>Crash safety.</b> A record is put in the store before its input offset can be committed, and
 * deleted only after its result (or dead letter) has been forwarded, so a crash at any point loses
 * nothing: on restart the store is restored, the uncommitted input is replayed, and a replayed record
 * overwrites its own entry (keyed by partition and offset: a task reads one partition). The store is
 * cached, so a record put and deleted within one commit interval reaches the changelog once, as a
 * tombstone, instead of as an entry and a tombstone. Under at-least-once a record may be emitted twice
 * (forwarded, then a crash before the commit); under exactly_once_v2 the outputs, the changelog and the
 * input offsets commit atomically.
 *
 * <p><b>Batches.</b> A batch is classified when {@code batchMaxRecords} records are buffered, or when a
 * wall-clock punctuation (every {@link TopologySettings#lingerCheckInterval()}) finds the oldest buffered
 * record older than {@code batchLinger}. Results go out in input (offset) order with the input key,
 * timestamp and headers. If the model fails on a batch, {@link FailureIsolation} finds the records it
 * fails on, which are dead-lettered ({@link RejectReason#MODEL_ERROR}); if the model fails on everything,
 * the exception fails the task and the batch stays buffered. {@code close()} cannot forward, so it
 * leaves the buffer as it is.
 */
final class ClassifyProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifyProcessor.class);

    private final TopologySettings settings;
    private final SentimentClassifier classifier;
    private final Clock clock;
    private final ProcessingMetrics metrics;
    private final FailureIsolation isolation;
    /** The buffered records of this task by input offset: the store's entries, decoded when possible. */
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    /** The bytes (keys, values, headers) of the records in {@link #pending}, bounded by batch.max.bytes. */
    private long pendingBytes;

    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, BufferedRecord> buffer;
    private RecordValidator validator;
    private OutputWriter outputWriter;

    /**
     * A buffered record: its durable copy, and its checked and tokenized form, which is null for a
     * record restored from the changelog until its batch is classified.
     */
    private record Pending(
            String storeKey, BufferedRecord buffered, Validation.Accepted accepted, long receivedAtMs, long bytes) {}

    ClassifyProcessor(
            TopologySettings settings, SentimentClassifier classifier, Clock clock, ProcessingMetrics metrics) {
        this.settings = settings;
        this.classifier = classifier;
        this.clock = clock;
        this.metrics = metrics;
        this.isolation = new FailureIsolation(classifier);
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> processorContext) {
        this.context = processorContext;
        this.buffer = processorContext.getStateStore(SentimentTopology.BUFFER_STORE);
        this.validator = new RecordValidator(
                settings.topics().inputDecoder(), settings.textMaxBytes(), settings.recordMaxBytes(), classifier);
        this.outputWriter = settings.topics().outputWriter();
        // Kafka Streams may initialise the same instance again (a revived task): the restored store is
        // then the only truth.
        releasePending();
        long now = processorContext.currentSystemTimeMs();
        try (KeyValueIterator<String, BufferedRecord> restored = buffer.all()) {
            while (restored.hasNext()) {
                KeyValue<String, BufferedRecord> entry = restored.next();
                // Buffered on another host maybe, by its clock: never later than now here, or skew would hold it.
                BufferedRecord buffered = entry.value.bufferedAtMs() <= now ? entry.value : entry.value.bufferedAt(now);
                addPending(new Pending(entry.key, buffered, null, buffered.bufferedAtMs(), bytesOf(buffered)));
            }
        }
        if (!pending.isEmpty()) {
            metrics.bufferedChanged(pending.size());
            LOG.info("Task {} resumes with {} buffered records", processorContext.taskId(), pending.size());
        }
        processorContext.schedule(settings.lingerCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::onLingerCheck);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long receivedAtMs = settings.timingHeaders() ? System.currentTimeMillis() : 0;
        metrics.recordReceived();
        SourcePosition source = SourcePosition.of(context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("An input record without topic metadata")));
        Header[] headers = record.headers().toArray();
        Validation validation = validator.validate(
                record.value(),
                RecordSizes.of(record.key(), null, headers),
                coordinates(source, record.timestamp(), record.key()));
        if (validation instanceof Validation.Rejected rejected) {
            deadLetter(record.key(), record.value(), record.timestamp(), record.headers(), source, rejected);
            return;
        }
        BufferedRecord buffered = new BufferedRecord(
                source, record.timestamp(), context.currentSystemTimeMs(), record.key(), record.value(), headers);
        String storeKey = BufferedRecord.storeKey(source.partition(), source.offset());
        buffer.put(storeKey, buffered);
        addPending(new Pending(storeKey, buffered, (Validation.Accepted) validation, receivedAtMs, bytesOf(buffered)));
        if (pending.size() >= settings.batchMaxRecords()) {
            flush("size");
        } else if (pendingBytes >= settings.batchMaxBytes()) {
            flush("bytes");
        }
    }

    private void addPending(Pending entry) {
        Pending replaced = pending.put(entry.buffered().source().offset(), entry);
        pendingBytes += entry.bytes();
        if (replaced == null) {
            metrics.bufferedChanged(1);
        } else {
            pendingBytes -= replaced.bytes();
        }
    }

    private static long bytesOf(BufferedRecord buffered) {
        return RecordSizes.of(buffered.key(), buffered.value(), buffered.headers());
    }

    private void onLingerCheck(long now) {
        // The first entry is the oldest: offsets follow arrival, and restored entries come first.
        Map.Entry<Long, Pending> oldest = pending.firstEntry();
        if (oldest != null
                && now - oldest.getValue().buffered().bufferedAtMs()
                        >= settings.batchLinger().toMillis()) {
            flush("linger");
        }
    }

    /** Classifies and emits everything buffered, in input order, in batches of at most batchMaxRecords. */
    private void flush(String trigger) {
        int max = settings.batchMaxRecords();
        while (!pending.isEmpty()) {
            List<Pending> batch = new ArrayList<>(Math.min(max, pending.size()));
            for (Pending entry : pending.values()) {
                if (batch.size() == max) {
                    break;
                }
                batch.add(entry);
            }
            classifyAndEmit(batch, trigger);
        }
    }

    private void classifyAndEmit(List<Pending> entries, String trigger) {
        List<Pending> batch = new ArrayList<>(entries.size());
        for (Pending entry : entries) {
            Pending checked = entry.accepted() != null ? entry : revalidate(entry);
            if (checked != null) {
                batch.add(checked);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        List<Tokens> texts = new ArrayList<>(batch.size());
        batch.forEach(entry -> texts.add(entry.accepted().tokens()));
        long batchStartedAtMs = settings.timingHeaders() ? System.currentTimeMillis() : 0;
        long started = System.nanoTime();
        List<FailureIsolation.Outcome> outcomes = isolation.classify(texts);
        metrics.batchClassified(batch.size(), System.nanoTime() - started);
        long modelDoneAtMs = settings.timingHeaders() ? System.currentTimeMillis() : 0;
        Instant classifiedAt = clock.instant();
        for (int i = 0; i < batch.size(); i++) {
            Pending entry = batch.get(i);
            BufferedRecord buffered = entry.buffered();
            if (outcomes.get(i) instanceof FailureIsolation.Outcome.Classified classified) {
                SentimentEvent result = SentimentEvents.of(
                        entry.accepted().event(),
                        classified.prediction(),
                        classifiedAt,
                        settings.includeText(),
                        settings.uncertainRule());
                RecordHeaders headers = new RecordHeaders(buffered.headers());
                byte[] value = outputWriter.write(entry.accepted().input(), result);
                if (settings.timingHeaders()) {
                    addTimingHeaders(
                            headers, buffered.timestamp(), entry.receivedAtMs(), batchStartedAtMs, modelDoneAtMs);
                }
                long outputBytes = RecordSizes.of(buffered.key(), value, headers.toArray());
                if (outputBytes > settings.recordMaxBytes()) {
                    // The output echoes the input's attributes and headers (and text): it may grow past the limit.
                    deadLetter(
                            buffered,
                            tooLarge("Its output record would be " + outputBytes + " bytes, more than the "
                                    + settings.recordMaxBytes() + " bytes the service writes"));
                    remove(entry);
                    continue;
                }
                context.forward(
                        new Record<>(buffered.key(), value, buffered.timestamp(), headers),
                        SentimentTopology.OUTPUT_SINK);
                metrics.classified(
                        result.getLabel(), result.getEventTime().toEpochMilli(), classifiedAt.toEpochMilli());
            } else if (outcomes.get(i) instanceof FailureIsolation.Outcome.Failed failed) {
                deadLetter(
                        buffered,
                        new Validation.Rejected(new Rejection(
                                RejectReason.MODEL_ERROR, failed.failure().getMessage(), failed.failure())));
            }
            remove(entry);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Classified a batch of {} records ({} trigger), {} to offset {}",
                    batch.size(),
                    trigger,
                    batch.get(0).buffered().source(),
                    batch.get(batch.size() - 1).buffered().source().offset());
        }
    }

    /**
     * Checks and tokenizes a record restored from the changelog; dead-letters it (and returns null) if it
     * no longer passes, for example after {@code text.max.bytes} was lowered.
     */
    private Pending revalidate(Pending restored) {
        BufferedRecord buffered = restored.buffered();
        Validation validation = validator.validate(
                buffered.value(),
                RecordSizes.of(buffered.key(), null, buffered.headers()),
                coordinates(buffered.source(), buffered.timestamp(), buffered.key()));
        if (validation instanceof Validation.Rejected rejected) {
            deadLetter(buffered, rejected);
            remove(restored);
            return null;
        }
        return new Pending(
                restored.storeKey(),
                buffered,
                (Validation.Accepted) validation,
                restored.receivedAtMs(),
                restored.bytes());
    }

    private static RecordCoordinates coordinates(SourcePosition source, long timestamp, byte[] key) {
        return new RecordCoordinates(source.topic(), source.partition(), source.offset(), timestamp, key);
    }

    private static void addTimingHeaders(
            Headers headers, long inputTimestamp, long receivedAtMs, long batchStartedAtMs, long modelDoneAtMs) {
        TimingHeaders.ALL.forEach(headers::remove);
        addMillis(headers, TimingHeaders.INPUT_TIMESTAMP, inputTimestamp);
        addMillis(headers, TimingHeaders.RECEIVED, receivedAtMs);
        addMillis(headers, TimingHeaders.BATCH_STARTED, batchStartedAtMs);
        addMillis(headers, TimingHeaders.MODEL_DONE, modelDoneAtMs);
        addMillis(headers, TimingHeaders.SENT, System.currentTimeMillis());
    }

    private static void addMillis(Headers headers, String name, long millis) {
        headers.add(name, Long.toString(millis).getBytes(StandardCharsets.US_ASCII));
    }

    private void remove(Pending entry) {
        buffer.delete(entry.storeKey());
        if (pending.remove(entry.buffered().source().offset()) != null) {
            pendingBytes -= entry.bytes();
            metrics.bufferedChanged(-1);
        }
    }

    private static Validation.Rejected tooLarge(String message) {
        return new Validation.Rejected(new Rejection(RejectReason.RECORD_TOO_LARGE, message, null));
    }

    private void deadLetter(BufferedRecord buffered, Validation.Rejected rejected) {
        deadLetter(
                buffered.key(),
                buffered.value(),
                buffered.timestamp(),
                new RecordHeaders(buffered.headers()),
                buffered.source(),
                rejected);
    }

    private void deadLetter(
            byte[] key,
            byte[] value,
            long timestamp,
            Headers headers,
            SourcePosition source,
            Validation.Rejected rejected) {
        Rejection rejection = rejected.rejection();
        context.forward(
                rejection.reason() == RejectReason.RECORD_TOO_LARGE
                        ? DeadLetters.withoutValue(
                                key, timestamp, headers, source, rejection, settings.recordMaxBytes())
                        : DeadLetters.of(key, value, timestamp, headers, source, rejection),
                SentimentTopology.DEAD_LETTER_SINK);
        metrics.deadLettered(rejected.rejection().reason());
    }

    /** The records of a closed task are no longer this processor's to count (their store stays). */
    private void releasePending() {
        if (!pending.isEmpty()) {
            metrics.bufferedChanged(-pending.size());
            pending.clear();
        }
        pendingBytes = 0;
    }

    @Override
    public void close() {
        releasePending();
    }
}
