package org.sentimentstream.stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.sentimentstream.model.SentimentClassifier;

/**
 * First stage: forwards classifiable input records, untouched, to the batch buffer, and every other
 * record to the dead-letter topic with the reason.
 */
final class ValidatingProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private final TopologySettings settings;
    private final SentimentClassifier classifier;
    private ProcessorContext<byte[], byte[]> context;
    private RecordValidator validator;

    ValidatingProcessor(TopologySettings settings, SentimentClassifier classifier) {
        this.settings = settings;
        this.classifier = classifier;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> processorContext) {
        this.context = processorContext;
        this.validator = new RecordValidator(settings.topics().inputCodec(), settings.textMaxBytes(), classifier);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        Validation validation = validator.validate(record.value());
        if (validation instanceof Validation.Rejected rejected) {
            SourcePosition source = SourcePosition.of(context.recordMetadata()
                    .orElseThrow(() -> new IllegalStateException("An input record without topic metadata")));
            context.forward(
                    DeadLetters.of(
                            record.key(),
                            record.value(),
                            record.timestamp(),
                            record.headers(),
                            source,
                            rejected.rejection()),
                    SentimentTopology.DEAD_LETTER_SINK);
        } else {
            context.forward(record, SentimentTopology.BATCHER);
        }
    }
}
