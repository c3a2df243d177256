#!/usr/bin/env python3
"""Times ONNX Runtime's Python API on the same model, texts and batches as the Java benchmarks.

Reads the sample that ``org.sentimentstream.bench.SampleExport`` wrote (token ids from the Java encoder
and the logits the Java classifier gave), checks that Python gets the same logits, then measures records
per second on ONE thread (intra-op 1, inter-op 1) at each batch size in two ways:

* ``run_only``: ``session.run`` on padded inputs built beforehand (the runtime alone);
* ``with_padding``: building the padded ``ids``/``lengths`` arrays of each batch, then ``session.run``
  (what a Python service would do per batch; the Java figure includes the same work).

Batches are consecutive slices of the sample, in order, cycling, as in the Java benchmark.
Writes a JSON file. Usage:
  python benchmarks/python_ort.py --sample target/bench/sample.json \
      --model src/main/resources/model/sentiment-bilstm.onnx --out target/bench/python.json
"""

import argparse
import json
import platform
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort


def model_shape(path):
    """Embedding size, hidden size, directions, vocabulary size and label count read from the graph."""
    model = onnx.load(path)
    initializers = {init.name: tuple(init.dims) for init in model.graph.initializer}
    lstm = [node for node in model.graph.node if node.op_type == "LSTM"]
    if len(lstm) != 1:
        raise SystemExit(f"expected one LSTM node in {path}, found {len(lstm)}")
    w_shape = initializers[lstm[0].input[1]]  # W: [directions, 4 * hidden, embedding]
    directions, four_hidden, embedding = w_shape
    gathers = [node for node in model.graph.node if node.op_type == "Gather" and node.input[0] in initializers]
    vocabulary = initializers[gathers[0].input[0]][0] if gathers else None
    labels = model.graph.output[0].type.tensor_type.shape.dim[1].dim_value
    return {"embedding": embedding, "hidden": four_hidden // 4, "directions": directions,
            "vocabulary": vocabulary, "labels": labels}


def pad(records, pad_id):
    time_steps = max(len(r["ids"]) for r in records)
    ids = np.full((len(records), time_steps), pad_id, dtype=np.int64)
    lengths = np.empty(len(records), dtype=np.int64)
    for row, record in enumerate(records):
        ids[row, :len(record["ids"])] = record["ids"]
        lengths[row] = len(record["ids"])
    return {"ids": ids, "lengths": lengths}


def rate(step, batches, batch_size, seconds):
    """Records per wall-clock second and per CPU-second of this thread, calling step(batch) over the
    batches cyclically for about `seconds`. With one intra-op thread ONNX Runtime computes on the
    calling thread, so its CPU time is the whole cost, and a busy machine disturbs it far less."""
    count = 0
    index = 0
    cpu_start = time.thread_time()
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        step(batches[index])
        count += batch_size
        index = (index + 1) % len(batches)
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start), count / (time.thread_time() - cpu_start)


def measure(step, batches, batch_size, warmup, iterations, seconds):
    rate(step, batches, batch_size, warmup)
    rates = [rate(step, batches, batch_size, seconds) for _ in range(iterations)]
    wall = [r[0] for r in rates]
    cpu = [r[1] for r in rates]
    return {"records_per_s": sum(wall) / len(wall), "iterations": wall,
            "records_per_cpu_s": sum(cpu) / len(cpu), "iterations_per_cpu_s": cpu}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--batches", default="1,8,32,128")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per measurement")
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per iteration")
    args = parser.parse_args()

    with open(args.sample, encoding="utf-8") as f:
        sample = json.load(f)
    records = sample["records"]

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    pad_id = int(session.get_modelmeta().custom_metadata_map["sentiment.pad_id"])

    # Same model, same inputs: Python's logits must be Java's.
    java_logits = np.array([r["logits"] for r in records], dtype=np.float32)
    python_logits = np.concatenate([session.run(["logits"], pad(records[i:i + 128], pad_id))[0]
                                    for i in range(0, len(records), 128)])
    parity = float(np.max(np.abs(python_logits - java_logits)))
    if parity > 1e-4:
        raise SystemExit(f"Python and Java logits differ by {parity} (more than 1e-4): not the same model or inputs")

    results = {}
    for batch_size in [int(b) for b in args.batches.split(",")]:
        slices = [records[i:i + batch_size] for i in range(0, len(records) - batch_size + 1, batch_size)]
        feeds = [pad(s, pad_id) for s in slices]
        run_only = measure(lambda feed: session.run(["logits"], feed), feeds, batch_size,
                           args.warmup, args.iterations, args.seconds)
        with_padding = measure(lambda s: session.run(["logits"], pad(s, pad_id)), slices, batch_size,
                               args.warmup, args.iterations, args.seconds)
        results[str(batch_size)] = {"run_only": run_only, "with_padding": with_padding}
        print(f"python ort batch {batch_size:4d}: run only {run_only['records_per_s']:8.0f} rec/s "
              f"({run_only['records_per_cpu_s']:8.0f} per CPU-s), with padding {with_padding['records_per_s']:8.0f} "
              f"rec/s ({with_padding['records_per_cpu_s']:8.0f} per CPU-s)", file=sys.stderr)

    out = {
        "onnxruntime_version": ort.__version__,
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "model": args.model,
        "model_shape": model_shape(args.model),
        "intra_op_threads": 1,
        "records": len(records),
        "mean_tokens": sample["mean_tokens"],
        "parity_max_abs_diff_vs_java": parity,
        "settings": {"warmup_s": args.warmup, "iterations": args.iterations, "seconds": args.seconds},
        "batches": results,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)


if __name__ == "__main__":
    main()
