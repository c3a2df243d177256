package org.sentimentstream.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sentimentstream.model.ModelLoader;
import org.sentimentstream.model.ModelOptions;
import org.sentimentstream.model.OnnxSentimentClassifier;
import org.sentimentstream.tokenizer.EncodedText;

/**
 * ONNX Runtime Java alone: {@code session.run} on the bundled model with every batch's padded inputs
 * built beforehand, one intra-op thread, the same batches as {@link InferenceBenchmark}. The Java twin of
 * python_ort.py's "run only" figure: the classifier's own cost is the difference to
 * {@code InferenceBenchmark.oneCallerOneThread}. Score: batches per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionRunBenchmark {

    @Param({"1", "8", "32", "128"})
    public int batch;

    private OrtSession session;
    private final List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
    private int next;

    @Setup
    public void open() throws OrtException {
        List<EncodedText> encoded;
        long padId;
        try (OnnxSentimentClassifier classifier = OnnxSentimentClassifier.openBundled(ModelOptions.defaults())) {
            encoded = TweetSample.load(classifier).encoded();
            padId = classifier.metadata().vocabulary().padId();
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(bundledModel(), options);
        }
        for (int start = 0; start + batch <= encoded.size(); start += batch) {
            feeds.add(feed(environment, encoded.subList(start, start + batch), padId));
        }
    }

    private static byte[] bundledModel() {
        try (InputStream in =
                SessionRunBenchmark.class.getClassLoader().getResourceAsStream(ModelLoader.BUNDLED_MODEL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ModelLoader.BUNDLED_MODEL_RESOURCE + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, OnnxTensor> feed(OrtEnvironment environment, List<EncodedText> texts, long padId)
            throws OrtException {
        int time = texts.stream().mapToInt(text -> text.ids().length).max().orElse(1);
        LongBuffer ids = directLongs(texts.size() * time);
        LongBuffer lengths = directLongs(texts.size());
        for (EncodedText text : texts) {
            ids.put(text.ids());
            for (int t = text.ids().length; t < time; t++) {
                ids.put(padId);
            }
            lengths.put(text.ids().length);
        }
        return Map.of(
                "ids",
                OnnxTensor.createTensor(environment, ids.flip(), new long[] {texts.size(), time}),
                "lengths",
                OnnxTensor.createTensor(environment, lengths.flip(), new long[] {texts.size()}));
    }

    private static LongBuffer directLongs(int size) {
        return ByteBuffer.allocateDirect(size * Long.BYTES)
                .order(ByteOrder.nativeOrder())
                .asLongBuffer();
    }

    @TearDown
    public void close() throws OrtException {
        for (Map<String, OnnxTensor> feed : feeds) {
            for (OnnxTensor tensor : feed.values()) {
                tensor.close();
            }
        }
        session.close();
    }

    /** Returns the number of outputs; the logits are not copied out (python_ort.py does copy them). */
    @Benchmark
    public int run(CallerCpuTime cpu) throws OrtException {
        Map<String, OnnxTensor> feed = feeds.get(next);
        next = (next + 1) % feeds.size();
        try (OrtSession.Result result = session.run(feed)) {
            cpu.add(batch);
            return result.size();
        }
    }
}
