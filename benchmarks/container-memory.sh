#!/usr/bin/env bash
# Memory of the service's container under load, to size the heap as a share of the container's memory
# (deploy/Dockerfile's JAVA_TOOL_OPTIONS; deploy/README.md, "JVM settings"). One command, after `make jar` and
# a podman that runs (deploy/ci/prepare-podman.sh):
#   benchmarks/container-memory.sh
#   MEMORY=2g CPUS=2 THREADS=2 RATE=2000 benchmarks/container-memory.sh
#   JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC" benchmarks/container-memory.sh
# It builds the image (tag sentiment-stream:memory-test), starts a local broker (host JVM, 127.0.0.1), runs the
# container with --memory/--cpus on the host network, with Native Memory Tracking, sends `loadtest` events at
# RATE/s for DURATION, samples the container's cgroup (rss, page cache, peak) every 5 s, stops the container
# with SIGTERM (the JVM prints its NMT summary at exit) and prints: peak and last rss, the JVM's committed
# heap and non-heap by NMT category, GC pauses, and the loadtest summary. Everything it starts is stopped by
# its own id; logs stay in the work folder it names.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

MEMORY=${MEMORY:-1g}
CPUS=${CPUS:-1}
THREADS=${THREADS:-1}
RATE=${RATE:-1000}
DURATION=${DURATION:-90s}
WARMUP=${WARMUP:-10000}
PARTITIONS=${PARTITIONS:-4}
PODMAN=${PODMAN:-podman}
IMAGE=sentiment-stream:memory-test
# Default: the image's own JVM settings (read from the Dockerfile, so this measures what ships).
IMAGE_OPTS=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\(.*\)"$/\1/p' deploy/Dockerfile | tail -1)
JAVA_OPTS=${JAVA_OPTS:-$IMAGE_OPTS}

RUN=mem-$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/$RUN.XXXXXX")
CONTAINER=sentiment-$RUN
BROKER_PID=""

log() { printf '[memory %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
    "$PODMAN" rm -f -t 30 "$CONTAINER" >/dev/null 2>&1 || true
    if [[ -n "$BROKER_PID" ]] && kill -0 "$BROKER_PID" 2>/dev/null; then
        kill -TERM "$BROKER_PID" && wait "$BROKER_PID" 2>/dev/null || true
    fi
    log "logs in $WORK"
}
trap cleanup EXIT

"$PODMAN" build -q --pull=never --format docker -f deploy/Dockerfile -t "$IMAGE" . >/dev/null

java -jar target/sentiment-stream-devtools.jar broker --port 0 >"$WORK/broker.out" 2>&1 &
BROKER_PID=$!
for _ in $(seq 1 120); do
    grep -q 'bootstrap.servers=' "$WORK/broker.out" && break
    kill -0 "$BROKER_PID" 2>/dev/null || { cat "$WORK/broker.out" >&2; exit 1; }
    sleep 0.5
done
BOOTSTRAP=$(sed -n 's/.*bootstrap.servers=\([^ ]*\).*/\1/p' "$WORK/broker.out" | head -1)
log "broker on $BOOTSTRAP; container --memory $MEMORY --cpus $CPUS; JAVA_TOOL_OPTIONS: $JAVA_OPTS"

"$PODMAN" run -d --name "$CONTAINER" --no-healthcheck --network host --memory "$MEMORY" --cpus "$CPUS" \
    -e JAVA_TOOL_OPTIONS="$JAVA_OPTS -XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics -Xlog:gc:stdout" \
    -e SENTIMENT_BOOTSTRAP_SERVERS="$BOOTSTRAP" -e SENTIMENT_APPLICATION_ID="$RUN" \
    -e SENTIMENT_NUM_STREAM_THREADS="$THREADS" \
    "$IMAGE" run --create-topics --partitions "$PARTITIONS" >/dev/null
for _ in $(seq 1 240); do
    grep -q 'REBALANCING -> RUNNING' <<<"$("$PODMAN" logs "$CONTAINER" 2>&1)" && break
    [[ "$("$PODMAN" inspect -f '{{.State.Running}}' "$CONTAINER")" == true ]] || {
        "$PODMAN" logs "$CONTAINER" >&2
        exit 1
    }
    sleep 0.5
done

sample() { # rss_mb cache_mb peak_usage_mb
    "$PODMAN" exec "$CONTAINER" bash -c 'cd /sys/fs/cgroup/memory &&
        awk -v peak="$(cat memory.max_usage_in_bytes)" \
            "/^total_rss /{r=\$2} /^total_cache /{c=\$2} END{printf \"%d %d %d\n\", r/1048576, c/1048576, peak/1048576}" \
            memory.stat'
}
java -Xmx512m -jar target/sentiment-stream.jar loadtest -b "$BOOTSTRAP" --rate "$RATE" --duration "$DURATION" \
    --warmup "$WARMUP" --json "$WORK/loadtest.json" >"$WORK/loadtest.out" 2>&1 &
LOAD_PID=$!
echo "seconds rss_mb cache_mb peak_usage_mb" >"$WORK/samples.txt"
SECONDS=0
while kill -0 "$LOAD_PID" 2>/dev/null; do
    echo "$SECONDS $(sample)" >>"$WORK/samples.txt"
    sleep 5
done
wait "$LOAD_PID" || log "loadtest exited with $? (see $WORK/loadtest.out)"
echo "$SECONDS $(sample)" >>"$WORK/samples.txt"
"$PODMAN" stop -t 60 "$CONTAINER" >/dev/null
"$PODMAN" logs "$CONTAINER" >"$WORK/service.log" 2>&1

echo "== cgroup samples (MiB; rss = anonymous memory of the container, peak includes page cache)"
cat "$WORK/samples.txt"
echo "== NMT at exit (committed)"
grep -E '^(Total|-  *(Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Symbol|Native Memory Tracking|Shared class space|Arena Chunk|Metaspace))' \
    "$WORK/service.log" | sed 's/reserved=[0-9]*KB, //'
echo "== GC pauses (ms): count, max, total"
grep -oE 'Pause[^)]*\)?.* ([0-9.]+)ms$' "$WORK/service.log" | grep -oE '[0-9.]+ms$' | tr -d ms |
    awk '{n++; t+=$1; if ($1>m) m=$1} END{printf "%d %.1f %.1f\n", n, m, t}'
echo "== loadtest"
tail -15 "$WORK/loadtest.out"
