#!/usr/bin/env bash
# What the service produces per input record, under each guarantee: outputs, and the batch buffer's changelog
# records (entries and tombstones). A local broker, the service on core 0, N events at a fixed rate, then the
# topics are counted (committed records only). Figures go to PERFORMANCE.md ("What each produced record buys").
#   benchmarks/changelog-traffic.sh                 # 30,000 events at 3,000/s under both guarantees
#   EVENTS=100000 RATE=8000 benchmarks/changelog-traffic.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/sentiment-stream.jar}     # the service jar measured (an older build's, to compare)
DEVTOOLS_JAR=target/sentiment-stream-devtools.jar
EVENTS=${EVENTS:-30000}
RATE=${RATE:-3000}
GUARANTEES=${GUARANTEES:-"at_least_once exactly_once_v2"}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/changelog-traffic.XXXXXX")
BROKER_PID=""; SERVICE_PID=""
cleanup() {
    [[ -n "$SERVICE_PID" ]] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
    [[ -n "$BROKER_PID" ]] && kill "$BROKER_PID" 2>/dev/null && wait "$BROKER_PID" 2>/dev/null
    echo "logs in $WORK" >&2
}
trap cleanup EXIT
# metrics.port exists since the service has an HTTP server; an older jar refuses the setting.
extra_settings() { grep -q '`metrics.port`' <<<"$(java -jar "$JAR" run --list-settings)" && echo "--set metrics.port=-1" || true; }
[[ -f $JAR && -f $DEVTOOLS_JAR ]] || mvn -B -q -DskipTests package
taskset -c 1 java -jar "$DEVTOOLS_JAR" broker --port 0 > "$WORK/broker.log" 2>&1 &
BROKER_PID=$!
until grep -qs "Kafka broker ready" "$WORK/broker.log"; do sleep 0.5; done
BOOTSTRAP=$(sed -n 's/.*bootstrap.servers=\([^ ]*\) .*/\1/p' "$WORK/broker.log" | head -n 1)
printf '%-16s %8s %8s %9s %11s %11s %13s\n' guarantee events outputs changelog entries tombstones per_input
for guarantee in $GUARANTEES; do
    prefix="traffic-$guarantee-$RANDOM"; app="$prefix-app"
    taskset -c 0 java -Xmx512m -jar "$JAR" run -b "$BOOTSTRAP" --create-topics --partitions 4 --set application.id="$app" \
        --set input.topic="$prefix-in" --set output.topic="$prefix-out" --set dead.letter.topic="$prefix-dlq" \
        --set processing.guarantee="$guarantee" --set state.dir="$WORK/state-$guarantee" $(extra_settings) \
        > "$WORK/service-$guarantee.log" 2>&1 &
    SERVICE_PID=$!
    until grep -qs -- "-> RUNNING" "$WORK/service-$guarantee.log"; do sleep 0.5; done
    taskset -c 1 java -Xmx512m -jar "$JAR" loadtest -b "$BOOTSTRAP" --set input.topic="$prefix-in" \
        --set output.topic="$prefix-out" --set dead.letter.topic="$prefix-dlq" --rate "$RATE" --events "$EVENTS" \
        > "$WORK/loadtest-$guarantee.log" 2>&1
    kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=""
    counts=$(java -cp "$DEVTOOLS_JAR" benchmarks/tools/CountRecords.java "$BOOTSTRAP" "$prefix-out" \
        "$app-sentiment-batch-buffer-changelog")
    outputs=$(awk '/-out / {print $3}' <<< "$counts")
    changelog=$(awk '/changelog / {print $3}' <<< "$counts")
    tombstones=$(awk '/changelog / {print $5}' <<< "$counts")
    printf '%-16s %8d %8d %9d %11d %11d %13s\n' "$guarantee" "$EVENTS" "$outputs" "$changelog" \
        $((changelog - tombstones)) "$tombstones" \
        "$(awk -v o="$outputs" -v c="$changelog" -v e="$EVENTS" 'BEGIN { printf "%.2f", (o + c) / e }')"
done
