#!/usr/bin/env python3
"""Derives the model-side ratios from one benchmarks/run.sh run and writes them as JSON (plus a table).

Inputs: the JMH JSON result (-rf json), the Python comparison (python_ort.py) and the sample
(SampleExport: mean tokens per record). Standard library only.

FLOPs per record of the BiLSTM classifier (multiply-add = 2 FLOPs; embedding look-up and element-wise
gate arithmetic not counted):
  per token: 2 directions x 4 gates x 2 x H x (E + H) = 16 H (E + H)
  per record: 16 H (E + H) x mean tokens + head 2 x 2H x labels
"""

import argparse
import json
import sys

BENCH = "org.sentimentstream.bench."
MATMUL_N = 1024
INFERENCE = {
    "SessionRunBenchmark.run": "ORT Java session.run only, inputs prebuilt, intra-op 1 (1 core)",
    "InferenceBenchmark.oneCallerOneThread": "1 caller, intra-op 1 (1 core)",
    "InferenceBenchmark.twoCallersOneThreadEach": "2 callers, intra-op 1 each (2 cores)",
    "InferenceBenchmark.oneCallerTwoThreads": "1 caller, intra-op 2 (2 cores)",
}


def score(entry):
    metric = entry["primaryMetric"]
    return {"score": metric["score"], "error": metric["scoreError"], "unit": metric["scoreUnit"],
            "iterations": [x for fork in metric["rawData"] for x in fork]}


def per_cpu_second(entry):
    """Records per CPU-second of the calling threads (CallerCpuTime), or None where not measured."""
    secondary = entry.get("secondaryMetrics", {})
    if "cpuMicros" not in secondary or "records" not in secondary:
        return None
    records = sum(x for fork in secondary["records"]["rawData"] for x in fork)
    micros = sum(x for fork in secondary["cpuMicros"]["rawData"] for x in fork)
    return records / micros * 1e6 if micros else None


def ratio(a, b):
    return a / b if a is not None and b else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jmh", required=True)
    parser.add_argument("--python", required=True)
    parser.add_argument("--sample", required=True)
    parser.add_argument("--environment", help="JSON file with facts about the run (load, CPU, versions)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    with open(args.jmh, encoding="utf-8") as f:
        jmh = json.load(f)
    with open(args.python, encoding="utf-8") as f:
        python = json.load(f)
    with open(args.sample, encoding="utf-8") as f:
        mean_tokens = json.load(f)["mean_tokens"]
    environment = {}
    if args.environment:
        with open(args.environment, encoding="utf-8") as f:
            environment = json.load(f)

    shape = python["model_shape"]
    e, h, labels = shape["embedding"], shape["hidden"], shape["labels"]
    flops_per_token = 16 * h * (e + h)
    flops_per_record = flops_per_token * mean_tokens + 2 * 2 * h * labels

    entries = {}
    for entry in jmh:
        name = entry["benchmark"].removeprefix(BENCH)
        batch = entry.get("params", {}).get("batch")
        entries[(name, batch)] = entry

    floor_entry = entries.get(("MatMulFloorBenchmark.matMul", None))
    flops_per_product = 2 * MATMUL_N ** 3
    floor_gflops = score(floor_entry)["score"] * flops_per_product / 1e9 if floor_entry else None
    floor_cpu = per_cpu_second(floor_entry) if floor_entry else None
    floor_gflops_cpu = floor_cpu * flops_per_product / 1e9 if floor_cpu else None

    batches = sorted({int(b) for (_, b) in entries if b is not None})
    inference = {}
    for method, description in INFERENCE.items():
        rows = {}
        for batch in batches:
            entry = entries.get((method, str(batch)))
            if entry is None:
                continue
            s = score(entry)
            records_per_s = s["score"] * batch
            gflops = flops_per_record * records_per_s / 1e9
            cores = 2 if "two" in method.lower() else 1
            cpu = per_cpu_second(entry)
            gflops_cpu = flops_per_record * cpu / 1e9 if cpu else None
            rows[str(batch)] = {
                "batches_per_s": s["score"], "batches_per_s_error": s["error"],
                "records_per_s": records_per_s,
                "us_per_record": 1e6 / records_per_s,
                "classifier_gflops": gflops,
                "floor_ratio_per_core": ratio(gflops, floor_gflops * cores if floor_gflops else None),
                "records_per_cpu_s": cpu,
                "classifier_gflops_per_cpu_s": gflops_cpu,
                "floor_ratio_cpu": ratio(gflops_cpu, floor_gflops_cpu),
                "iterations_batches_per_s": s["iterations"],
            }
        base = rows.get("1")
        for row in rows.values():
            row["batched_vs_per_record"] = ratio(row["records_per_s"], base["records_per_s"] if base else None)
            row["batched_vs_per_record_cpu"] = ratio(row["records_per_cpu_s"],
                                                     base["records_per_cpu_s"] if base else None)
        inference[method] = {"description": description, "batches": rows}

    single = inference.get("InferenceBenchmark.oneCallerOneThread", {}).get("batches", {})
    run_only = inference.get("SessionRunBenchmark.run", {}).get("batches", {})
    java_vs_python = {}
    for batch, row in single.items():
        py = python["batches"].get(batch)
        if py:
            java_vs_python[batch] = {
                "java_records_per_s": row["records_per_s"],
                "python_run_only_records_per_s": py["run_only"]["records_per_s"],
                "python_with_padding_records_per_s": py["with_padding"]["records_per_s"],
                "java_vs_python_run_only": ratio(row["records_per_s"], py["run_only"]["records_per_s"]),
                "java_vs_python_with_padding": ratio(row["records_per_s"], py["with_padding"]["records_per_s"]),
                "java_records_per_cpu_s": row["records_per_cpu_s"],
                "python_run_only_records_per_cpu_s": py["run_only"].get("records_per_cpu_s"),
                "python_with_padding_records_per_cpu_s": py["with_padding"].get("records_per_cpu_s"),
                "java_vs_python_run_only_cpu": ratio(row["records_per_cpu_s"], py["run_only"].get("records_per_cpu_s")),
                "java_vs_python_with_padding_cpu": ratio(row["records_per_cpu_s"],
                                                         py["with_padding"].get("records_per_cpu_s")),
                "java_session_run_only_records_per_cpu_s": run_only.get(batch, {}).get("records_per_cpu_s"),
                "java_run_only_vs_python_run_only_cpu": ratio(run_only.get(batch, {}).get("records_per_cpu_s"),
                                                              py["run_only"].get("records_per_cpu_s")),
                "classifier_vs_java_run_only_cpu": ratio(row["records_per_cpu_s"],
                                                         run_only.get(batch, {}).get("records_per_cpu_s")),
            }
    two_cores = {}
    for method in ("InferenceBenchmark.twoCallersOneThreadEach", "InferenceBenchmark.oneCallerTwoThreads"):
        for batch, row in inference.get(method, {}).get("batches", {}).items():
            if batch in single:
                two_cores.setdefault(method, {})[batch] = row["records_per_s"] / single[batch]["records_per_s"]

    per_record = {}
    for key, label in (("TokenizerBenchmark.encode", "tokenize_and_encode"),
                       ("AvroBenchmark.decodeTextEvent", "avro_decode_text_event"),
                       ("AvroBenchmark.encodeTextEvent", "avro_encode_text_event"),
                       ("AvroBenchmark.decodeSentimentEvent", "avro_decode_sentiment_event"),
                       ("AvroBenchmark.encodeSentimentEvent", "avro_encode_sentiment_event")):
        entry = entries.get((key, None))
        if entry:
            s = score(entry)
            cpu = per_cpu_second(entry)
            per_record[label] = {"records_per_s": s["score"], "error": s["error"], "us_per_record": 1e6 / s["score"],
                                 "records_per_cpu_s": cpu, "cpu_us_per_record": 1e6 / cpu if cpu else None}

    result = {
        "environment": environment,
        "model": {**shape, "mean_tokens_per_record": mean_tokens, "flops_per_token": flops_per_token,
                  "flops_per_record": flops_per_record},
        "floor": {"matmul": f"{MATMUL_N}x{MATMUL_N}x{MATMUL_N} float32, ONNX Runtime Java, 1 thread",
                  "gflops": floor_gflops, "gflops_per_cpu_s": floor_gflops_cpu,
                  **({"products_per_s": score(floor_entry)} if floor_entry else {})},
        "inference": inference,
        "java_vs_python_one_thread": java_vs_python,
        "two_cores_vs_one": two_cores,
        "per_record_stages": per_record,
        "python": {k: python[k] for k in ("onnxruntime_version", "python_version", "parity_max_abs_diff_vs_java",
                                          "settings")},
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    print_table(result, file=sys.stdout)


def fmt(value, spec):
    return "n/a" if value is None else format(value, spec)


def print_table(result, file):
    model = result["model"]
    floor = result["floor"]
    print(f"model E={model['embedding']} H={model['hidden']}, mean {model['mean_tokens_per_record']:.2f} tokens/record, "
          f"{model['flops_per_record'] / 1e6:.3f} MFLOP/record; floor {fmt(floor['gflops'], '.1f')} GFLOP/s wall, "
          f"{fmt(floor['gflops_per_cpu_s'], '.1f')} GFLOP per CPU-second (1 thread)", file=file)
    print("", file=file)
    print("| configuration | batch | records/s | of floor | batched / batch 1 | records per CPU-s | of floor (CPU) "
          "| batched / batch 1 (CPU) |", file=file)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", file=file)
    for method in result["inference"].values():
        for batch, row in method["batches"].items():
            print(f"| {method['description']} | {batch} | {row['records_per_s']:,.0f} | {fmt(row['floor_ratio_per_core'], '.0%')} "
                  f"| {fmt(row['batched_vs_per_record'], '.2f')} | {fmt(row['records_per_cpu_s'], ',.0f')} "
                  f"| {fmt(row['floor_ratio_cpu'], '.0%')} | {fmt(row['batched_vs_per_record_cpu'], '.2f')} |", file=file)
    print("", file=file)
    print("| batch | Java rec/s | Python run only | Python with padding | Java / Python run only | Java / Python with padding "
          "| same, per CPU-s: Java | Python run only | Python with padding | Java / run only | Java / with padding |",
          file=file)
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", file=file)
    for batch, row in result["java_vs_python_one_thread"].items():
        print(f"| {batch} | {row['java_records_per_s']:,.0f} | {row['python_run_only_records_per_s']:,.0f} | "
              f"{row['python_with_padding_records_per_s']:,.0f} | {fmt(row['java_vs_python_run_only'], '.2f')} | "
              f"{fmt(row['java_vs_python_with_padding'], '.2f')} | {fmt(row['java_records_per_cpu_s'], ',.0f')} | "
              f"{fmt(row['python_run_only_records_per_cpu_s'], ',.0f')} | {fmt(row['python_with_padding_records_per_cpu_s'], ',.0f')} | "
              f"{fmt(row['java_vs_python_run_only_cpu'], '.2f')} | {fmt(row['java_vs_python_with_padding_cpu'], '.2f')} |",
              file=file)
    print("", file=file)
    print("| batch | per CPU-s: Java session.run only | Python run only | Java run only / Python run only "
          "| classifier / Java run only |", file=file)
    print("| ---: | ---: | ---: | ---: | ---: |", file=file)
    for batch, row in result["java_vs_python_one_thread"].items():
        print(f"| {batch} | {fmt(row['java_session_run_only_records_per_cpu_s'], ',.0f')} | "
              f"{fmt(row['python_run_only_records_per_cpu_s'], ',.0f')} | "
              f"{fmt(row['java_run_only_vs_python_run_only_cpu'], '.2f')} | "
              f"{fmt(row['classifier_vs_java_run_only_cpu'], '.2f')} |", file=file)
    print("", file=file)
    for method, ratios in result["two_cores_vs_one"].items():
        print(f"{method} / oneCallerOneThread (records/s): " + ", ".join(f"batch {b}: {r:.2f}" for b, r in ratios.items()),
              file=file)
    for name, row in result["per_record_stages"].items():
        print(f"{name}: {row['records_per_s']:,.0f} records/s ({row['us_per_record']:.2f} us/record wall, "
              f"{fmt(row['cpu_us_per_record'], '.2f')} us CPU/record)", file=file)


if __name__ == "__main__":
    main()
