package org.sentimentstream.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;

/** Texts per second through the service's encoding (Java tokenizer, then vocabulary look-up), one thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenizerBenchmark {

    private OnnxSentimentClassifier classifier;
    private TweetSample sample;

    @Setup
    public void open() {
        classifier = OnnxSentimentClassifier.openBundled(ModelOptions.defaults());
        sample = TweetSample.load(classifier);
    }

    @TearDown
    public void close() {
        classifier.close();
    }

    /** One operation is one text: the whole sample is encoded per invocation. */
    @Benchmark
    @OperationsPerInvocation(TweetSample.SIZE)
    public void encode(Blackhole blackhole, CallerCpuTime cpu) {
        for (String text : sample.texts()) {
            blackhole.consume(classifier.encode(text));
        }
        cpu.add(TweetSample.SIZE);
    }
}
