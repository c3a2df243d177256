#!/usr/bin/env bash
# Issue 17's input shapes against today's avro format, in interleaved rounds (avro, text, json, enriched-avro,
# then again), so that a shared machine's changing load falls on every shape alike. Each row is one
# benchmarks/e2e.sh 1-core at-least-once drain of the Java service on its own broker (and, for enriched-avro, its
# own registry: E2E_INPUT=review). Writes each run's JSON, the load average before and after it, and a summary
# (benchmarks/shape_rounds.py: per shape the median and the spread of results per service CPU-second).
#   benchmarks/shape-rounds.sh OUT_DIR                       # 3 rounds of 100,000 events, 30,000 of warm-up
#   ROUNDS=1 E2E_EVENTS=20000 E2E_DRAIN_WARMUP=5000 benchmarks/shape-rounds.sh /tmp/smoke
set -euo pipefail
cd "$(dirname "$0")/.."
OUT_DIR=${1:?usage: benchmarks/shape-rounds.sh OUT_DIR}
ROUNDS=${ROUNDS:-3}
FIRST_ROUND=${FIRST_ROUND:-1}                    # more rounds into the same folder: FIRST_ROUND=4 ROUNDS=2
SHAPES=${SHAPES:-"avro text json enriched-avro"}
export E2E_EVENTS=${E2E_EVENTS:-100000} E2E_DRAIN_WARMUP=${E2E_DRAIN_WARMUP:-30000}
export E2E_SERVICES=java E2E_CORES=1 E2E_LOAD_FRACTIONS="" E2E_GUARANTEES=at_least_once
export E2E_DRAIN_TIMEOUT=${E2E_DRAIN_TIMEOUT:-900s}
mkdir -p "$OUT_DIR"

for round in $(seq "$FIRST_ROUND" $((FIRST_ROUND + ROUNDS - 1))); do
    for shape in $SHAPES; do
        input=textevents settings=""
        case $shape in
            avro) ;;
            text) settings="input.format=text" ;;
            json) settings="input.format=json input.text.field=text input.id.field=id input.time.field=event_time" ;;
            enriched-avro) input=review ;;
            *) echo "unknown shape $shape" >&2; exit 2 ;;
        esac
        name="round$round-$shape"
        before=$(cut -d' ' -f1-3 /proc/loadavg)
        echo "[rounds $(date -u +%H:%M:%S)] $name (load average $before)" >&2
        if E2E_INPUT=$input E2E_SHAPE_SETTINGS=$settings benchmarks/e2e.sh > "$OUT_DIR/$name.log" 2>&1; then
            json=$(sed -n 's/.*wrote \(.*\.json\) (load average.*/\1/p' "$OUT_DIR/$name.log" | tail -n 1)
            jq --arg shape "$shape" --argjson round "$round" --arg before "$before" \
                --arg after "$(cut -d' ' -f1-3 /proc/loadavg)" \
                '. + {shape: $shape, round: $round, load_average_run_before: $before, load_average_run_after: $after}' \
                "$json" > "$OUT_DIR/$name.json"
            rm -f "$json"
        else
            echo "[rounds] $name failed: see $OUT_DIR/$name.log" >&2
        fi
    done
done
python3 benchmarks/shape_rounds.py "$OUT_DIR" | tee "$OUT_DIR/summary.md"
