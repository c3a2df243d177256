package org.sentimentstream.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes small {@code sentiment-model/1} ONNX files with random weights for tests, built the way the
 * contract describes (Gather -> Transpose -> bidirectional LSTM with sequence_lens -> Y_h ->
 * Transpose/Reshape -> Gemm), and variants that break the contract on purpose. Also computes the same
 * network in plain Java ({@link #referenceLogits}) so that tests can check ONNX Runtime's answers.
 */
final class TestModelBuilder {

    // ONNX TensorProto.DataType
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_STRING = 3;
    private static final int ATTRIBUTE_INTS = 7;

    private final List<String> vocabulary;
    private final List<String> labels;
    private final int embeddingSize;
    private final int hiddenSize;
    private final float[] embedding;
    private final float[] w;
    private final float[] r;
    private final float[] b;
    private final float[] fcWeight;
    private final float[] fcBias;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String idsName = "ids";
    private int idsType = INT64;
    private int logitsType = FLOAT;
    private boolean withLengthsInput = true;
    /** Per-token values added (summed over the text) to the logits; null: no such path. */
    private float[] poison;

    TestModelBuilder(List<String> vocabulary, List<String> labels, int embeddingSize, int hiddenSize, long seed) {
        this.vocabulary = List.copyOf(vocabulary);
        this.labels = List.copyOf(labels);
        this.embeddingSize = embeddingSize;
        this.hiddenSize = hiddenSize;
        Random random = new Random(seed);
        embedding = randoms(random, vocabulary.size() * embeddingSize, 1.0f);
        w = randoms(random, 2 * 4 * hiddenSize * embeddingSize, 0.5f);
        r = randoms(random, 2 * 4 * hiddenSize * hiddenSize, 0.5f);
        b = randoms(random, 2 * 8 * hiddenSize, 0.2f);
        fcWeight = randoms(random, labels.size() * 2 * hiddenSize, 1.0f);
        fcBias = randoms(random, labels.size(), 0.1f);
        String vocabularyJson = toJson(vocabulary);
        metadata.put("sentiment.contract", "sentiment-model/1");
        metadata.put("sentiment.model_name", "test-bilstm");
        metadata.put("sentiment.model_version", "0.0.1");
        metadata.put("sentiment.labels", toJson(labels));
        metadata.put("sentiment.max_length", "8");
        metadata.put("sentiment.tokenizer", "sentiment-tokenizer/1");
        metadata.put("sentiment.pad_id", "0");
        metadata.put("sentiment.unk_id", "1");
        metadata.put("sentiment.vocabulary", vocabularyJson);
        metadata.put("sentiment.vocabulary_sha256", ModelMetadataReader.sha256Hex(vocabularyJson));
        metadata.put("sentiment.evaluation", "{\"accuracy\": 0.5}");
    }

    /** A small model over a vocabulary of common words, labels negative/positive. */
    static TestModelBuilder small() {
        List<String> words = new ArrayList<>(List.of(
                "<pad>",
                "<unk>",
                "<url>",
                "<user>",
                "<hashtag>",
                "<number>",
                "i",
                "love",
                "hate",
                "it",
                "this",
                "!",
                "!!",
                "not",
                "good",
                "bad",
                "day",
                "the",
                "movie",
                "😂"));
        return new TestModelBuilder(words, List.of("negative", "positive"), 6, 5, 42);
    }

    TestModelBuilder metadata(String key, String value) {
        if (value == null) {
            metadata.remove(key);
        } else {
            metadata.put(key, value);
        }
        return this;
    }

    TestModelBuilder idsInput(String name, int elementType) {
        this.idsName = name;
        this.idsType = elementType;
        return this;
    }

    TestModelBuilder withoutLengthsInput() {
        this.withLengthsInput = false;
        return this;
    }

    /**
     * Makes the model answer NaN logits for every text that holds one of these words, and work normally on
     * every other text: a side path adds, to each text's logits, the sum over its tokens of a per-token
     * value that is 0 except for these words (ONNX Runtime's LSTM kernels clamp NaN inputs, so damaging the
     * embedding would not reach the logits).
     */
    TestModelBuilder failingOn(String... words) {
        if (poison == null) {
            poison = new float[vocabulary.size()];
        }
        for (String word : words) {
            int id = vocabulary.indexOf(word);
            if (id < 0) {
                throw new IllegalArgumentException(word + " is not in the test vocabulary");
            }
            poison[id] = Float.NaN;
        }
        return this;
    }

    /** Makes the model answer NaN logits for every text. */
    TestModelBuilder failingOnAll() {
        poison = new float[vocabulary.size()];
        Arrays.fill(poison, Float.NaN);
        return this;
    }

    /**
     * Makes every weight of the output layer NaN, as a broken training run would leave them: the file loads
     * and follows the contract, but every logit is NaN.
     */
    TestModelBuilder nanOutputWeights() {
        Arrays.fill(fcWeight, Float.NaN);
        return this;
    }

    /** Sets the model version in its metadata. */
    TestModelBuilder version(String version) {
        return metadata("sentiment.model_version", version);
    }

    TestModelBuilder logitsType(int elementType) {
        this.logitsType = elementType;
        return this;
    }

    byte[] build() {
        int h = hiddenSize;
        ProtoWriter graph = new ProtoWriter().string(2, "test_bilstm");
        String ids = idsName;
        if (idsType != INT64) {
            graph.message(1, node("Cast", List.of(idsName), List.of("ids64"), intAttribute("to", INT64)));
            ids = "ids64";
        }
        graph.message(1, node("Gather", List.of("embedding", ids), List.of("embedded")));
        graph.message(1, node("Transpose", List.of("embedded"), List.of("time_major"), intsAttribute("perm", 1, 0, 2)));
        String sequenceLengths;
        if (withLengthsInput) {
            graph.message(1, node("Cast", List.of("lengths"), List.of("sequence_lens"), intAttribute("to", INT32)));
            sequenceLengths = "sequence_lens";
        } else {
            sequenceLengths = "";
        }
        graph.message(
                1,
                node(
                        "LSTM",
                        List.of("time_major", "W", "R", "B", sequenceLengths),
                        List.of("", "y_h"),
                        intAttribute("hidden_size", h),
                        stringAttribute("direction", "bidirectional")));
        graph.message(1, node("Transpose", List.of("y_h"), List.of("y_h_batch"), intsAttribute("perm", 1, 0, 2)));
        graph.message(1, node("Reshape", List.of("y_h_batch", "concat_shape"), List.of("features")));
        String gemmOut = logitsType == FLOAT ? "logits" : "logits_float";
        String headOut = poison == null ? gemmOut : "clean_logits";
        graph.message(
                1,
                node("Gemm", List.of("features", "fc_weight", "fc_bias"), List.of(headOut), intAttribute("transB", 1)));
        if (poison != null) {
            graph.message(1, node("Gather", List.of("poison", ids), List.of("poison_per_token")));
            graph.message(
                    1,
                    node(
                            "ReduceSum",
                            List.of("poison_per_token", "poison_axes"),
                            List.of("poison_per_text"),
                            intAttribute("keepdims", 1)));
            graph.message(1, node("Add", List.of(headOut, "poison_per_text"), List.of(gemmOut)));
            graph.message(5, floatTensor("poison", poison, vocabulary.size()));
            graph.message(5, int64Tensor("poison_axes", new long[] {1}, 1));
        }
        if (logitsType != FLOAT) {
            graph.message(1, node("Cast", List.of(gemmOut), List.of("logits"), intAttribute("to", logitsType)));
        }
        graph.message(5, floatTensor("embedding", embedding, vocabulary.size(), embeddingSize));
        graph.message(5, floatTensor("W", w, 2, 4 * h, embeddingSize));
        graph.message(5, floatTensor("R", r, 2, 4 * h, h));
        graph.message(5, floatTensor("B", b, 2, 8 * h));
        graph.message(5, floatTensor("fc_weight", fcWeight, labels.size(), 2 * h));
        graph.message(5, floatTensor("fc_bias", fcBias, labels.size()));
        graph.message(5, int64Tensor("concat_shape", new long[] {0, -1}, 2));
        graph.message(11, valueInfo(idsName, idsType, "batch", "time"));
        if (withLengthsInput) {
            graph.message(11, valueInfo("lengths", INT64, "batch"));
        }
        graph.message(12, valueInfo("logits", logitsType, "batch", labels.size()));

        ProtoWriter model = new ProtoWriter()
                .varint(1, 9)
                .string(2, "sentiment-stream-tests")
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 17));
        metadata.forEach((key, value) ->
                model.message(14, new ProtoWriter().string(1, key).string(2, value)));
        return model.toByteArray();
    }

    /** The logits the network gives for one text, computed in Java (ONNX LSTM semantics, gates i, o, f, c). */
    float[] referenceLogits(long[] ids) {
        int h = hiddenSize;
        float[] forward = runDirection(ids, 0, false);
        float[] backward = runDirection(ids, 1, true);
        float[] features = new float[2 * h];
        System.arraycopy(forward, 0, features, 0, h);
        System.arraycopy(backward, 0, features, h, h);
        float[] logits = new float[labels.size()];
        for (int label = 0; label < labels.size(); label++) {
            double sum = fcBias[label];
            for (int k = 0; k < 2 * h; k++) {
                sum += (double) fcWeight[label * 2 * h + k] * features[k];
            }
            logits[label] = (float) sum;
        }
        return logits;
    }

    private float[] runDirection(long[] ids, int direction, boolean reverse) {
        int h = hiddenSize;
        int e = embeddingSize;
        double[] hidden = new double[h];
        double[] cell = new double[h];
        int wOffset = direction * 4 * h * e;
        int rOffset = direction * 4 * h * h;
        int bOffset = direction * 8 * h;
        for (int step = 0; step < ids.length; step++) {
            int t = reverse ? ids.length - 1 - step : step;
            int token = (int) ids[t];
            double[] gates = new double[4 * h];
            for (int g = 0; g < 4 * h; g++) {
                double sum = b[bOffset + g] + b[bOffset + 4 * h + g];
                for (int k = 0; k < e; k++) {
                    sum += (double) w[wOffset + g * e + k] * embedding[token * e + k];
                }
                for (int k = 0; k < h; k++) {
                    sum += (double) r[rOffset + g * h + k] * hidden[k];
                }
                gates[g] = sum;
            }
            double[] nextHidden = new double[h];
            for (int k = 0; k < h; k++) {
                double input = sigmoid(gates[k]);
                double output = sigmoid(gates[h + k]);
                double forget = sigmoid(gates[2 * h + k]);
                double candidate = Math.tanh(gates[3 * h + k]);
                cell[k] = forget * cell[k] + input * candidate;
                nextHidden[k] = output * Math.tanh(cell[k]);
            }
            hidden = nextHidden;
        }
        float[] result = new float[h];
        for (int k = 0; k < h; k++) {
            result[k] = (float) hidden[k];
        }
        return result;
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    private static ProtoWriter node(
            String opType, List<String> inputs, List<String> outputs, ProtoWriter... attributes) {
        ProtoWriter node = new ProtoWriter();
        inputs.forEach(input -> node.string(1, input));
        outputs.forEach(output -> node.string(2, output));
        node.string(3, opType.toLowerCase(Locale.ROOT) + "_" + String.join("_", outputs));
        node.string(4, opType);
        for (ProtoWriter attribute : attributes) {
            node.message(5, attribute);
        }
        return node;
    }

    private static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
    }

    private static ProtoWriter intsAttribute(String name, long... values) {
        ProtoWriter attribute = new ProtoWriter().string(1, name);
        for (long value : values) {
            attribute.varint(8, value);
        }
        return attribute.varint(20, ATTRIBUTE_INTS);
    }

    private static ProtoWriter stringAttribute(String name, String value) {
        return new ProtoWriter().string(1, name).string(4, value).varint(20, ATTRIBUTE_STRING);
    }

    private static ProtoWriter floatTensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            raw.putFloat(value);
        }
        return tensor(name, FLOAT, raw.array(), dims);
    }

    private static ProtoWriter int64Tensor(String name, long[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            raw.putLong(value);
        }
        return tensor(name, INT64, raw.array(), dims);
    }

    private static ProtoWriter tensor(String name, int dataType, byte[] raw, long... dims) {
        ProtoWriter tensor = new ProtoWriter();
        for (long dim : dims) {
            tensor.varint(1, dim);
        }
        return tensor.varint(2, dataType).string(8, name).bytes(9, raw);
    }

    /** A tensor value info; each dimension is a String (symbolic) or an Integer (fixed). */
    private static ProtoWriter valueInfo(String name, int elementType, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object dim : dims) {
            ProtoWriter dimension = new ProtoWriter();
            if (dim instanceof String) {
                dimension.string(2, (String) dim);
            } else {
                dimension.varint(1, ((Number) dim).longValue());
            }
            shape.message(1, dimension);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, elementType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    private static float[] randoms(Random random, int count, float scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    private static String toJson(List<String> strings) {
        try {
            return new ObjectMapper().writeValueAsString(strings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
