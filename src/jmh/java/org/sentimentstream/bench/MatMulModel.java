package org.sentimentstream.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a one-node ONNX model {@code C = MatMul(A, B)} over float32 {@code [n, n]} inputs, written
 * as protocol buffers by hand (IR version 8, opset 13), so that no binary model is committed besides the
 * bundled one.
 */
final class MatMulModel {

    private static final int VARINT = 0;
    private static final int BYTES = 2;
    private static final int FLOAT = 1;

    private MatMulModel() {}

    static byte[] square(int n) {
        Message node = new Message()
                .string(1, "A")
                .string(1, "B")
                .string(2, "C")
                .string(3, "matmul")
                .string(4, "MatMul");
        Message graph = new Message()
                .message(1, node)
                .string(2, "floor")
                .message(11, matrix("A", n))
                .message(11, matrix("B", n))
                .message(12, matrix("C", n));
        return new Message()
                .varint(1, 8)
                .string(2, "sentiment-stream-bench")
                .message(7, graph)
                .message(8, new Message().varint(2, 13))
                .bytes();
    }

    private static Message matrix(String name, int n) {
        Message dimension = new Message().varint(1, n);
        Message shape = new Message().message(1, dimension).message(1, dimension);
        Message tensorType = new Message().varint(1, FLOAT).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType));
    }

    /** A protocol buffers message being written. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            key(field, VARINT);
            writeVarint(value);
            return this;
        }

        Message string(int field, String value) {
            return lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return lengthDelimited(field, value.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private Message lengthDelimited(int field, byte[] value) {
            key(field, BYTES);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        private void key(int field, int wireType) {
            writeVarint(((long) field << 3) | wireType);
        }

        private void writeVarint(long value) {
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                out.write((int) ((rest & 0x7F) | 0x80));
                rest >>>= 7;
            }
            out.write((int) rest);
        }
    }
}
