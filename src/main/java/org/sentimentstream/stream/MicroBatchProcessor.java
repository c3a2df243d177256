package org.sentimentstream.stream;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.model.ModelInfo;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.model.SentimentClassifier;
import org.sentimentstream.serde.RecordCodec;
import org.sentimentstream.tokenizer.EncodedText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Second stage: buffers accepted records in a changelogged key-value store and classifies them in
 * batches of at most {@code batchMaxRecords}, with one model call per batch.
 *
 * <p>The store is the buffer: nothing is held only in memory. A record is put in the store (and so in
 * its changelog topic) before its input offset can be committed, and deleted only after its result
 * has been forwarded, so a crash at any point loses nothing: on restart Kafka Streams restores the
 * store, replays the uncommitted input, and a replayed record overwrites its own entry (the key is
 * partition + offset). Under at-least-once a record may be emitted twice (forwarded, then a crash
 * before the delete is committed); under exactly_once_v2 the output, the store's changelog and the
 * input offsets commit atomically.
 *
 * <p>A batch is classified when {@code batchMaxRecords} records are buffered, or when a wall-clock
 * punctuation (every {@link TopologySettings#lingerCheckInterval()}) finds the oldest buffered record
 * older than {@code batchLinger}. Results are forwarded in input (offset) order with the input key,
 * timestamp and headers. If the model throws, the exception propagates and fails the task; the
 * records stay in the store and are classified after the restart. {@code close()} cannot forward, so
 * it leaves the buffer as it is.
 */
final class MicroBatchProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);

    private final TopologySettings settings;
    private final SentimentClassifier classifier;
    private final Clock clock;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, BufferedRecord> buffer;
    private RecordValidator validator;
    private RecordCodec<SentimentEvent> outputCodec;

    MicroBatchProcessor(TopologySettings settings, SentimentClassifier classifier, Clock clock) {
        this.settings = settings;
        this.classifier = classifier;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> processorContext) {
        this.context = processorContext;
        this.buffer = processorContext.getStateStore(SentimentTopology.BUFFER_STORE);
        this.validator = new RecordValidator(settings.topics().inputCodec(), settings.textMaxBytes(), classifier);
        this.outputCodec = settings.topics().outputCodec();
        long restored = buffer.approximateNumEntries();
        if (restored > 0) {
            LOG.info("Task {} resumes with {} buffered records", processorContext.taskId(), restored);
        }
        processorContext.schedule(settings.lingerCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::onLingerCheck);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        SourcePosition source = SourcePosition.of(context.recordMetadata()
                .orElseThrow(() -> new IllegalStateException("An input record without topic metadata")));
        BufferedRecord buffered = new BufferedRecord(
                source,
                record.timestamp(),
                context.currentSystemTimeMs(),
                record.key(),
                record.value(),
                record.headers().toArray());
        buffer.put(buffered.storeKey(), buffered);
        // The buffer is an in-memory store, whose entry count is exact.
        if (buffer.approximateNumEntries() >= settings.batchMaxRecords()) {
            flush("size");
        }
    }

    private void onLingerCheck(long now) {
        // A task reads one input partition, and keys follow its offsets: the first entry is the oldest.
        BufferedRecord oldest = null;
        try (KeyValueIterator<String, BufferedRecord> entries = buffer.all()) {
            if (entries.hasNext()) {
                oldest = entries.next().value;
            }
        }
        if (oldest != null
                && now - oldest.bufferedAtMs() >= settings.batchLinger().toMillis()) {
            flush("linger");
        }
    }

    /** Classifies and emits everything buffered, in batches of at most batchMaxRecords. */
    private void flush(String trigger) {
        int max = settings.batchMaxRecords();
        String lastKey = null;
        while (true) {
            List<KeyValue<String, BufferedRecord>> batch = nextBatch(lastKey, max);
            if (batch.isEmpty()) {
                return;
            }
            classifyAndEmit(batch, trigger);
            if (batch.size() < max) {
                return;
            }
            lastKey = batch.get(batch.size() - 1).key;
        }
    }

    /** Up to max buffered entries in key (input) order, after lastKey if it is not null. */
    private List<KeyValue<String, BufferedRecord>> nextBatch(String lastKey, int max) {
        List<KeyValue<String, BufferedRecord>> batch = new ArrayList<>(max);
        try (KeyValueIterator<String, BufferedRecord> entries =
                lastKey == null ? buffer.all() : buffer.range(lastKey, null)) {
            while (entries.hasNext() && batch.size() < max) {
                KeyValue<String, BufferedRecord> entry = entries.next();
                if (!entry.key.equals(lastKey)) {
                    batch.add(entry);
                }
            }
        }
        return batch;
    }

    private void classifyAndEmit(List<KeyValue<String, BufferedRecord>> entries, String trigger) {
        List<BufferedRecord> batch = entries.stream().map(entry -> entry.value).toList();
        List<Validation> validations = new ArrayList<>(batch.size());
        List<EncodedText> texts = new ArrayList<>(batch.size());
        for (BufferedRecord buffered : batch) {
            Validation validation = validator.validate(buffered.value());
            validations.add(validation);
            if (validation instanceof Validation.Accepted accepted) {
                texts.add(accepted.encoded());
            }
        }
        ModelInfo model = classifier.info();
        List<Prediction> predictions = texts.isEmpty() ? List.of() : classify(texts, batch);
        Instant classifiedAt = clock.instant();
        int next = 0;
        for (int i = 0; i < batch.size(); i++) {
            BufferedRecord buffered = batch.get(i);
            RecordHeaders headers = new RecordHeaders(buffered.headers());
            if (validations.get(i) instanceof Validation.Accepted accepted) {
                SentimentEvent result = SentimentEvents.of(
                        accepted.event(),
                        accepted.encoded(),
                        predictions.get(next++),
                        model,
                        classifiedAt,
                        settings.includeText());
                context.forward(
                        new Record<>(buffered.key(), outputCodec.encode(result), buffered.timestamp(), headers),
                        SentimentTopology.OUTPUT_SINK);
            } else if (validations.get(i) instanceof Validation.Rejected rejected) {
                context.forward(
                        DeadLetters.of(
                                buffered.key(),
                                buffered.value(),
                                buffered.timestamp(),
                                headers,
                                buffered.source(),
                                rejected.rejection()),
                        SentimentTopology.DEAD_LETTER_SINK);
            }
        }
        for (KeyValue<String, BufferedRecord> entry : entries) {
            buffer.delete(entry.key);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Classified a batch of {} records ({} trigger), {} to offset {}",
                    texts.size(),
                    trigger,
                    batch.get(0).source(),
                    batch.get(batch.size() - 1).source().offset());
        }
    }

    private List<Prediction> classify(List<EncodedText> texts, List<BufferedRecord> batch) {
        List<Prediction> predictions;
        try {
            predictions = classifier.classify(texts);
        } catch (RuntimeException e) {
            LOG.error(
                    "The model failed on a batch of {} records, {} to offset {}; they stay buffered and the task"
                            + " fails",
                    texts.size(),
                    batch.get(0).source(),
                    batch.get(batch.size() - 1).source().offset(),
                    e);
            throw e;
        }
        if (predictions == null || predictions.size() != texts.size()) {
            throw new IllegalStateException(
                    "The classifier returned " + (predictions == null ? "null" : predictions.size())
                            + " predictions for a batch of " + texts.size() + " texts");
        }
        return predictions;
    }
}
