package org.sentimentstream.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.model.Prediction;
import org.sentimentstream.tokenizer.EncodedText;

/**
 * {@link OnnxSentimentClassifier#classifyEncoded} (the model call after the vocabulary look-up) on the bundled model (or
 * {@code -p modelPath=FILE}) over the tweet sample, in order and
 * cyclically, so every configuration sees the same texts. The score is batches per second: records per
 * second is the score times {@code batch} (benchmarks/summarize.py does it). Three ways to use the cores:
 * one caller with one intra-op thread, two callers sharing one session with one intra-op thread each,
 * one caller with two intra-op threads.
 *
 * <p>With one intra-op thread ONNX Runtime computes on the caller's thread, so the caller's CPU time is
 * the whole cost: those benchmarks also report the caller's CPU time ({@link CallerCpuTime}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InferenceBenchmark {

    /** A classifier and the encoded sample; the batch size is a parameter. */
    @State(Scope.Benchmark)
    public abstract static class Model {

        @Param({"1", "8", "32", "128"})
        public int batch;

        /**
         * Most texts per ONNX Runtime call ({@link ModelOptions#maxRowsPerCall()}): a larger batch is sorted by
         * length and split. 4096 means one call per batch, as ONNX Runtime's Python API is called in the
         * comparison.
         */
        @Param({"16"})
        public int rowsPerCall;

        /** A model file instead of the bundled model (empty: the bundled one), e.g. the int8 variant. */
        @Param({""})
        public String modelPath;

        private final AtomicInteger callers = new AtomicInteger();
        private OnnxSentimentClassifier classifier;
        private List<EncodedText> encoded;

        abstract int intraOpThreads();

        @Setup
        public void open() {
            ModelOptions options =
                    ModelOptions.defaults().withIntraOpThreads(intraOpThreads()).withMaxRowsPerCall(rowsPerCall);
            classifier = modelPath.isEmpty()
                    ? OnnxSentimentClassifier.openBundled(options)
                    : OnnxSentimentClassifier.open(Path.of(modelPath), options);
            encoded = TweetSample.load(classifier).encoded();
        }

        @TearDown
        public void close() {
            classifier.close();
        }

        List<Prediction> classify(Cursor cursor) {
            return classifier.classifyEncoded(cursor.next(this, encoded));
        }

        /** Where a new caller thread starts in the sample: callers start half a sample apart. */
        int startFor() {
            return (callers.getAndIncrement() * TweetSample.SIZE / 2) % TweetSample.SIZE;
        }
    }

    /** Intra-op threads 1. */
    @State(Scope.Benchmark)
    public static class OneIntraOpThread extends Model {
        @Override
        int intraOpThreads() {
            return 1;
        }
    }

    /** Intra-op threads 2. */
    @State(Scope.Benchmark)
    public static class TwoIntraOpThreads extends Model {
        @Override
        int intraOpThreads() {
            return 2;
        }
    }

    /** One caller thread's position in the sample. */
    @State(Scope.Thread)
    public static class Cursor {
        private int offset = -1;

        List<EncodedText> next(Model model, List<EncodedText> encoded) {
            if (offset < 0) {
                offset = model.startFor() / model.batch * model.batch;
            }
            if (offset + model.batch > encoded.size()) {
                offset = 0;
            }
            List<EncodedText> slice = encoded.subList(offset, offset + model.batch);
            offset += model.batch;
            return slice;
        }
    }

    /** One caller, one intra-op thread: the single-thread figure. */
    @Benchmark
    @Threads(1)
    public List<Prediction> oneCallerOneThread(OneIntraOpThread model, Cursor cursor, CallerCpuTime cpu) {
        List<Prediction> predictions = model.classify(cursor);
        cpu.add(predictions.size());
        return predictions;
    }

    /** Two callers sharing one session, one intra-op thread each (the service's stream threads). */
    @Benchmark
    @Threads(2)
    public List<Prediction> twoCallersOneThreadEach(OneIntraOpThread model, Cursor cursor, CallerCpuTime cpu) {
        List<Prediction> predictions = model.classify(cursor);
        cpu.add(predictions.size());
        return predictions;
    }

    /** One caller, two intra-op threads. */
    @Benchmark
    @Threads(1)
    public List<Prediction> oneCallerTwoThreads(TwoIntraOpThreads model, Cursor cursor) {
        return model.classify(cursor);
    }
}
