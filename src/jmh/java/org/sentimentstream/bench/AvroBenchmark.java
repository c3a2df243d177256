package org.sentimentstream.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.sentimentstream.avro.SentimentEvent;
import org.sentimentstream.avro.TextEvent;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.serde.AvroCodec;
import org.sentimentstream.serde.RecordDecodingException;

/**
 * Records per second through {@link AvroCodec} (single-object encoding, bounded decoding) for the
 * input {@link TextEvent} and the output {@link SentimentEvent}, built from the tweet sample; one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AvroBenchmark {

    private static final long EPOCH_MILLIS = 1_764_460_800_000L;

    private final AvroCodec<TextEvent> textCodec = AvroCodec.textEvents();
    private final AvroCodec<SentimentEvent> sentimentCodec = AvroCodec.sentimentEvents();
    private List<TextEvent> textEvents;
    private List<SentimentEvent> sentimentEvents;
    private List<byte[]> textBytes;
    private List<byte[]> sentimentBytes;

    @Setup
    public void build() {
        List<String> texts;
        try (OnnxSentimentClassifier classifier = OnnxSentimentClassifier.openBundled(ModelOptions.defaults())) {
            texts = TweetSample.load(classifier).texts();
        }
        textEvents = new ArrayList<>(texts.size());
        sentimentEvents = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            TextEvent input = TextEvent.newBuilder()
                    .setId("bench-" + i)
                    .setText(texts.get(i))
                    .setEventTime(Instant.ofEpochMilli(EPOCH_MILLIS + i))
                    .setSource("bench")
                    .setLanguage("en")
                    .setAttributes(new LinkedHashMap<>())
                    .build();
            textEvents.add(input);
            sentimentEvents.add(sentimentOf(input, i));
        }
        textBytes = textEvents.stream().map(textCodec::encode).toList();
        sentimentBytes = sentimentEvents.stream().map(sentimentCodec::encode).toList();
    }

    private static SentimentEvent sentimentOf(TextEvent input, int i) {
        float positive = (i % 100) / 100f;
        Map<String, Float> probabilities = new LinkedHashMap<>();
        probabilities.put("negative", 1f - positive);
        probabilities.put("positive", positive);
        return SentimentEvent.newBuilder()
                .setId(input.getId())
                .setLabel(positive >= 0.5f ? "positive" : "negative")
                .setProbabilities(probabilities)
                .setModelName("sentiment-bilstm")
                .setModelVersion("1")
                .setEventTime(input.getEventTime())
                .setClassifiedAt(Instant.ofEpochMilli(EPOCH_MILLIS + 1000 + i))
                .setTokenCount(12)
                .setTruncated(false)
                .setSource(input.getSource())
                .setAttributes(input.getAttributes())
                .setText(null)
                .build();
    }

    @Benchmark
    @OperationsPerInvocation(TweetSample.SIZE)
    public void encodeTextEvent(Blackhole blackhole, CallerCpuTime cpu) {
        encodeAll(textCodec, textEvents, blackhole);
        cpu.add(TweetSample.SIZE);
    }

    @Benchmark
    @OperationsPerInvocation(TweetSample.SIZE)
    public void decodeTextEvent(Blackhole blackhole, CallerCpuTime cpu) throws RecordDecodingException {
        decodeAll(textCodec, textBytes, blackhole);
        cpu.add(TweetSample.SIZE);
    }

    @Benchmark
    @OperationsPerInvocation(TweetSample.SIZE)
    public void encodeSentimentEvent(Blackhole blackhole, CallerCpuTime cpu) {
        encodeAll(sentimentCodec, sentimentEvents, blackhole);
        cpu.add(TweetSample.SIZE);
    }

    @Benchmark
    @OperationsPerInvocation(TweetSample.SIZE)
    public void decodeSentimentEvent(Blackhole blackhole, CallerCpuTime cpu) throws RecordDecodingException {
        decodeAll(sentimentCodec, sentimentBytes, blackhole);
        cpu.add(TweetSample.SIZE);
    }

    private static <T extends SpecificRecord> void encodeAll(AvroCodec<T> codec, List<T> events, Blackhole blackhole) {
        for (T event : events) {
            blackhole.consume(codec.encode(event));
        }
    }

    private static <T extends SpecificRecord> void decodeAll(
            AvroCodec<T> codec, List<byte[]> messages, Blackhole blackhole) throws RecordDecodingException {
        for (byte[] bytes : messages) {
            blackhole.consume(codec.decode(bytes));
        }
    }
}
