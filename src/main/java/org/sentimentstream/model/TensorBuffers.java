package org.sentimentstream.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import org.sentimentstream.tokenizer.EncodedText;

/**
 * Direct, native-order buffers for one model call: the padded {@code ids}, the {@code lengths} and the
 * {@code logits} output. ONNX Runtime wraps direct buffers without copying them, so reusing them saves
 * two allocations and copies on the way in and one on the way out. Not thread-safe: one call at a time
 * uses an instance (see {@link OnnxSentimentClassifier}'s pool). The buffers grow to the largest batch seen.
 */
final class TensorBuffers {

    private LongBuffer ids = allocateLongs(0);
    private LongBuffer lengths = allocateLongs(0);
    private FloatBuffer logits = allocateFloats(0);

    /** Fills the ids ([rows, time], padded with {@code padId}) and lengths ([rows]) of a batch. */
    void fill(List<EncodedText> batch, int time, long padId) {
        int rows = batch.size();
        ids = ensureLongs(ids, rows * time);
        lengths = ensureLongs(lengths, rows);
        for (EncodedText text : batch) {
            long[] textIds = text.ids();
            ids.put(textIds);
            for (int t = textIds.length; t < time; t++) {
                ids.put(padId);
            }
            lengths.put(textIds.length);
        }
        ids.flip();
        lengths.flip();
    }

    /** Makes the logits buffer hold exactly {@code size} floats, from position 0. */
    FloatBuffer logits(int size) {
        logits = logits.capacity() >= size ? logits.clear().limit(size) : allocateFloats(size);
        return logits;
    }

    LongBuffer ids() {
        return ids;
    }

    LongBuffer lengths() {
        return lengths;
    }

    private static LongBuffer ensureLongs(LongBuffer buffer, int size) {
        return buffer.capacity() >= size ? buffer.clear() : allocateLongs(size);
    }

    private static LongBuffer allocateLongs(int size) {
        return ByteBuffer.allocateDirect(size * Long.BYTES)
                .order(ByteOrder.nativeOrder())
                .asLongBuffer();
    }

    private static FloatBuffer allocateFloats(int size) {
        return ByteBuffer.allocateDirect(size * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }
}
