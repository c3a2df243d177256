package org.sentimentstream.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.sentimentstream.tokenizer.EncodedText;
import org.sentimentstream.tokenizer.Tokenizer;
import org.sentimentstream.tokenizer.Tokens;
import org.sentimentstream.tokenizer.Vocabulary;

/**
 * {@link SentimentClassifier} over one ONNX Runtime session of a {@code sentiment-model/1} file. Looks the
 * tokens up in the model's vocabulary and classifies a batch with as few padded positions as it can:
 * the texts are sorted by length and run in calls of at most {@link ModelOptions#maxRowsPerCall()} texts
 * of similar length, ids padded with the pad id to the longest text of the call, plus the lengths, so that padding
 * never changes a text's logits (the model's LSTM gets {@code sequence_lens}). Thread-safe: any number of
 * threads may call {@link #classify} at once; {@link #close()} waits for running calls and makes later
 * ones fail.
 *
 * <p>Each call borrows a set of direct {@link TensorBuffers} from a pool (one set per concurrent
 * caller, never shared by two calls at once): ONNX Runtime reads the inputs from them and writes the
 * logits into them without copies.
 */
public final class OnnxSentimentClassifier implements SentimentClassifier {

    private final LoadedModel model;
    private final Tokenizer tokenizer = new Tokenizer();
    private final Vocabulary vocabulary;
    private final ModelInfo info;
    private final String[] labels;
    private final long padId;
    private final int maxLength;
    private final int maxRowsPerCall;
    /** Read lock: a model call in progress; write lock: closing the session. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Buffers not in use by a call; at most as many as calls have ever run at once. */
    private final Queue<TensorBuffers> idleBuffers = new ConcurrentLinkedQueue<>();

    private boolean closed;

    /** Takes ownership of a loaded model: {@link #close()} closes its session. */
    public OnnxSentimentClassifier(LoadedModel model) {
        this.model = model;
        this.vocabulary = model.metadata().vocabulary();
        this.info = model.metadata().info();
        this.labels = info.labels().toArray(new String[0]);
        this.padId = vocabulary.padId();
        this.maxLength = info.maxLength();
        this.maxRowsPerCall = model.options().maxRowsPerCall();
    }

    /** Opens the model bundled on the class path. */
    public static OnnxSentimentClassifier openBundled(ModelOptions options) {
        return new OnnxSentimentClassifier(new ModelLoader(options).loadBundled());
    }

    /** Opens a model file. */
    public static OnnxSentimentClassifier open(Path file, ModelOptions options) {
        return new OnnxSentimentClassifier(new ModelLoader(options).load(file));
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** Everything the model file says about itself, and where it came from. */
    public ModelMetadata metadata() {
        return model.metadata();
    }

    public LoadedModel model() {
        return model;
    }

    @Override
    public Tokens tokenize(String text) {
        return Tokens.of(tokenizer, text);
    }

    /** The token ids of a text in this model's vocabulary, cut to its maximum length. */
    public EncodedText encode(Tokens tokens) {
        List<String> values = tokens.values();
        int kept = Math.min(values.size(), maxLength);
        long[] ids = new long[kept];
        int known = 0;
        int unknownId = vocabulary.unkId();
        for (int i = 0; i < kept; i++) {
            int id = vocabulary.idOf(values.get(i));
            ids[i] = id;
            if (id != unknownId) {
                known++;
            }
        }
        return new EncodedText(ids, values.size(), known);
    }

    /** The token ids of a text in this model's vocabulary, cut to its maximum length. */
    public EncodedText encode(String text) {
        return encode(tokenize(text));
    }

    @Override
    public List<Prediction> classify(List<Tokens> batch) {
        List<EncodedText> encoded = new ArrayList<>(batch.size());
        for (Tokens tokens : batch) {
            encoded.add(encode(tokens));
        }
        return classifyEncoded(encoded);
    }

    /**
     * Classifies texts already looked up in this model's vocabulary ({@link #encode}): the step of
     * {@link #classify} after the look-up, public for benchmarks.
     */
    public List<Prediction> classifyEncoded(List<EncodedText> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        int longest = checkAndMeasure(batch);
        Prediction[] predictions = new Prediction[batch.size()];
        if (batch.size() <= 1 || longest <= 1) {
            runCall(batch, identity(batch.size()), predictions);
        } else {
            Integer[] byLength = identityBoxed(batch.size());
            Arrays.sort(byLength, Comparator.comparingInt(row -> batch.get(row).ids().length));
            for (int from = 0; from < byLength.length; from += maxRowsPerCall) {
                int to = Math.min(byLength.length, from + maxRowsPerCall);
                int[] rows = new int[to - from];
                List<EncodedText> call = new ArrayList<>(rows.length);
                for (int i = from; i < to; i++) {
                    rows[i - from] = byLength[i];
                    call.add(batch.get(byLength[i]));
                }
                runCall(call, rows, predictions);
            }
        }
        return Arrays.asList(predictions);
    }

    /** One session run over {@code call}; the prediction of call element i goes to {@code out[rows[i]]}. */
    private void runCall(List<EncodedText> call, int[] rows, Prediction[] out) {
        int time = 0;
        for (EncodedText text : call) {
            time = Math.max(time, text.ids().length);
        }
        float[] logits = run(call, call.size(), time);
        for (int row = 0; row < call.size(); row++) {
            EncodedText text = call.get(row);
            out[rows[row]] = predict(
                    Arrays.copyOfRange(logits, row * labels.length, (row + 1) * labels.length),
                    text.tokenCount(),
                    text.knownTokenCount(),
                    text.truncated());
        }
    }

    private static int[] identity(int size) {
        int[] rows = new int[size];
        for (int i = 0; i < size; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private static Integer[] identityBoxed(int size) {
        Integer[] rows = new Integer[size];
        for (int i = 0; i < size; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** Checks every element and returns the longest length. */
    private int checkAndMeasure(List<EncodedText> batch) {
        int longest = 0;
        int vocabularySize = vocabulary.size();
        for (int row = 0; row < batch.size(); row++) {
            long[] ids = batch.get(row).ids();
            if (ids.length == 0) {
                throw new IllegalArgumentException("batch element " + row + " has no token ids");
            }
            if (ids.length > maxLength) {
                throw new IllegalArgumentException("batch element " + row + " has " + ids.length
                        + " ids, more than the model's maximum length " + maxLength);
            }
            for (long id : ids) {
                if (id < 0 || id >= vocabularySize) {
                    throw new IllegalArgumentException("batch element " + row + " holds id " + id
                            + ", outside the vocabulary (0.." + (vocabularySize - 1) + ")");
                }
            }
            longest = Math.max(longest, ids.length);
        }
        return longest;
    }

    private float[] run(List<EncodedText> batch, int rows, int time) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the classifier of " + model.source() + " is closed");
            }
            TensorBuffers buffers = borrowBuffers();
            try {
                return run(buffers, batch, rows, time);
            } finally {
                idleBuffers.offer(buffers);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private TensorBuffers borrowBuffers() {
        TensorBuffers buffers = idleBuffers.poll();
        return buffers != null ? buffers : new TensorBuffers();
    }

    /** One session run: the inputs are read from, and the logits written into, the borrowed buffers. */
    private float[] run(TensorBuffers buffers, List<EncodedText> batch, int rows, int time) {
        buffers.fill(batch, time, padId);
        FloatBuffer logitsBuffer = buffers.logits(rows * labels.length);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, buffers.ids(), new long[] {rows, time});
                OnnxTensor lengthsTensor = OnnxTensor.createTensor(environment, buffers.lengths(), new long[] {rows});
                OnnxTensor logitsTensor =
                        OnnxTensor.createTensor(environment, logitsBuffer, new long[] {rows, labels.length});
                OrtSession.Result result = model.session()
                        .run(
                                Map.of(ModelLoader.INPUT_IDS, idsTensor, ModelLoader.INPUT_LENGTHS, lengthsTensor),
                                Map.of(ModelLoader.OUTPUT_LOGITS, logitsTensor))) {
            checkLogits(result, logitsTensor);
            float[] logits = new float[rows * labels.length];
            logitsBuffer.get(logits);
            return logits;
        } catch (OrtException e) {
            throw new InferenceException(
                    "ONNX Runtime failed on a batch of " + rows + " texts (longest " + time + " tokens) with model "
                            + info.name() + " " + info.version() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The result must hold the logits tensor the call pinned (ONNX Runtime wrote into its buffer). */
    private static void checkLogits(OrtSession.Result result, OnnxTensor pinned) {
        Optional<OnnxValue> value = result.get(ModelLoader.OUTPUT_LOGITS);
        if (value.isEmpty() || value.get() != pinned) {
            throw new InferenceException("the model returned no " + ModelLoader.OUTPUT_LOGITS + " tensor");
        }
    }

    private Prediction predict(float[] logits, int tokenCount, int knownTokenCount, boolean truncated) {
        float max = Float.NEGATIVE_INFINITY;
        int best = -1;
        for (int k = 0; k < logits.length; k++) {
            if (!Float.isFinite(logits[k])) {
                throw new InferenceException("the model returned a non-finite logit " + logits[k] + " (label "
                        + labels[k] + ") with model " + info.name() + " " + info.version());
            }
            if (logits[k] > max) {
                max = logits[k];
                best = k;
            }
        }
        double sum = 0;
        double[] exps = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            exps[k] = Math.exp((double) logits[k] - max);
            sum += exps[k];
        }
        float[] probabilities = new float[logits.length];
        for (int k = 0; k < logits.length; k++) {
            probabilities[k] = (float) (exps[k] / sum);
        }
        return new Prediction(best, labels[best], probabilities, logits, info, tokenCount, knownTokenCount, truncated);
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                model.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
