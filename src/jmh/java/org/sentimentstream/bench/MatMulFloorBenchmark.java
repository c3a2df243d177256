package org.sentimentstream.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The arithmetic floor: one {@value #N}x{@value #N}x{@value #N} float32 MatMul through ONNX Runtime Java
 * on one intra-op thread. Score: products per second; GFLOP/s = score x 2 x N^3 / 1e9
 * (benchmarks/summarize.py does it). With one intra-op thread the product runs on the caller, so
 * {@link CallerCpuTime} gives the rate per CPU-second too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MatMulFloorBenchmark {

    static final int N = 1024;

    private OrtSession session;
    private OnnxTensor a;
    private OnnxTensor b;
    private Map<String, OnnxTensor> inputs;

    @Setup
    public void open() throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(MatMulModel.square(N), options);
        }
        Random random = new Random(1);
        a = OnnxTensor.createTensor(environment, randomMatrix(random), new long[] {N, N});
        b = OnnxTensor.createTensor(environment, randomMatrix(random), new long[] {N, N});
        inputs = Map.of("A", a, "B", b);
    }

    private static FloatBuffer randomMatrix(Random random) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(N * N * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < N * N; i++) {
            buffer.put(random.nextFloat() - 0.5f);
        }
        return buffer.rewind();
    }

    @TearDown
    public void close() throws OrtException {
        a.close();
        b.close();
        session.close();
    }

    /** Returns the number of outputs (the product is not copied out: that is not arithmetic). */
    @Benchmark
    public int matMul(CallerCpuTime cpu) throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
            cpu.add(1);
            return result.size();
        }
    }
}
