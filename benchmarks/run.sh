#!/usr/bin/env bash
# One command for the model-side benchmarks (issue 5): builds the `benchmarks` Maven profile, runs the
# JMH benchmarks (tokenizer, inference at batch 1/8/32/128 on one and two cores, Avro, the MatMul floor),
# runs the same model through ONNX Runtime's Python API, and writes
# benchmarks/results/model-<UTC date>.json with the derived ratios (and prints them as tables).
#
# Settings (environment variables):
#   JMH_ARGS      JMH run options (default: -wi 2 -w 1s -i 3 -r 2s -f 1)
#   JMH_FILTER    benchmark regular expression (default: all of org.sentimentstream.bench)
#   PY_ARGS       python_ort.py timing options (default: --warmup 1 --iterations 3 --seconds 2)
#   PYTHON        Python with onnxruntime, onnx and numpy (default: .venv/bin/python, else python3)
#   MVN           Maven command (default: mvn -B -q; add -o to build offline)
#   SKIP_BUILD=1  reuse target/benchmarks.jar
#   SENTIMENT140_DIR  the Sentiment140 training files (default: ../shared/data/sentiment140)
#   OUT           result file (default: benchmarks/results/model-<UTC date>.json)
set -euo pipefail

cd "$(dirname "$0")/.."
JMH_ARGS=${JMH_ARGS:--wi 2 -w 1s -i 3 -r 2s -f 1}
JMH_FILTER=${JMH_FILTER:-org.sentimentstream.bench}
PY_ARGS=${PY_ARGS:---warmup 1 --iterations 3 --seconds 2}
MVN=${MVN:-mvn -B -q}
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
export SENTIMENT140_DIR=${SENTIMENT140_DIR:-../shared/data/sentiment140}
OUT=${OUT:-benchmarks/results/model-$(date -u +%Y-%m-%d).json}
WORK=target/bench
MODEL=src/main/resources/model/sentiment-bilstm.onnx
mkdir -p "$WORK" "$(dirname "$OUT")"

start=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== building the benchmarks profile"
  $MVN -Pbenchmarks -DskipTests package
fi

echo "== exporting the sample (texts, Java token ids and logits)"
java -cp target/benchmarks.jar org.sentimentstream.bench.SampleExport "$WORK/sample.json"

echo "== JMH: $JMH_ARGS $JMH_FILTER"
# shellcheck disable=SC2086  # JMH_ARGS holds several options
java -jar target/benchmarks.jar $JMH_ARGS -rf json -rff "$WORK/jmh.json" "$JMH_FILTER" | tee "$WORK/jmh.log"

echo "== ONNX Runtime Python API, one thread: $PY_ARGS"
# shellcheck disable=SC2086
"$PYTHON" benchmarks/python_ort.py --sample "$WORK/sample.json" --model "$MODEL" --out "$WORK/python.json" $PY_ARGS

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
ort_java=$(sed -n 's#.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*#\1#p' pom.xml)
"$PYTHON" - "$WORK/environment.json" "$load_before" "$load_after" "$JMH_ARGS" "$PY_ARGS" "$(( $(date +%s) - start ))" \
  "$ort_java" <<'PY'
import json, os, platform, subprocess, sys
out, before, after, jmh_args, py_args, seconds, ort_java = sys.argv[1:]
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), None)
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
json.dump({"date_utc": subprocess.run(["date", "-u", "+%Y-%m-%dT%H:%M:%SZ"], capture_output=True, text=True).stdout.strip(),
           "cpu": cpu, "cores": os.cpu_count(), "load_average_before": before, "load_average_after": after,
           "java": java, "onnxruntime_java": ort_java, "git_commit": commit,
           "jmh_args": jmh_args, "python_args": py_args, "run_seconds": int(seconds),
           "os": platform.platform()}, open(out, "w"), indent=2)
PY
"$PYTHON" benchmarks/summarize.py --jmh "$WORK/jmh.json" --python "$WORK/python.json" --sample "$WORK/sample.json" \
  --environment "$WORK/environment.json" --out "$OUT" | tee "$WORK/summary.md"
echo "== wrote $OUT (load average before: $load_before, after: $load_after; $(( $(date +%s) - start )) s)"
