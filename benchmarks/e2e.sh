#!/usr/bin/env bash
# End-to-end figures of the service through a real local KRaft broker, on this machine:
#   (a) max sustainable throughput: pre-load E2E_EVENTS events, start the service, time the drain
#       (results/s), for each core count in E2E_CORES (service pinned with taskset);
#   (b) latency (event time -> result read: p50, p99, p99.9, max) at the fractions E2E_LOAD_FRACTIONS
#       of the 1-core max rate, under each guarantee in E2E_GUARANTEES, with `loadtest --rate`;
#   (c) optional: a drain sweep over batch.max.records x batch.linger.ms (E2E_SWEEP_BATCH, E2E_SWEEP_LINGER).
# The Python baseline (benchmarks/python_service) runs (a) and (b) beside the Java service, on the same broker,
# cores, partitions, event counts, batch size, linger and commit interval (E2E_SERVICES="java python", the
# default): one process per core in one consumer group, at-least-once only, its latency runs at the Java
# service's rates; its rows are named py-*, and benchmarks/e2e_compare.py prints (and stores) the ratios.
# Two floors run the same way (E2E_SERVICES may name them): constant (benchmarks/floor/ConstantModelService.java:
# the service's topology, settings and runtime with the model replaced by a constant answer; rows const-*) and loop
# (benchmarks/floor/PassThroughLoop.java: a plain consumer -> producer loop that decodes and re-encodes; rows
# loop-*). Latency runs create their topics with LogAppendTime and run the Java service and the constant floor
# with output.timing.headers=true, so each latency is also split into stages (a second table, stages_ms in the
# JSON): what Kafka and the machine cost apart from what the service adds.
# Writes benchmarks/results/e2e-<UTC date-time>.json and prints a table. One command:
#   benchmarks/e2e.sh                       # default sizes, about 5-10 minutes on 2 cores
#   E2E_EVENTS=5000 E2E_LATENCY_SECONDS=10 E2E_WARMUP_SECONDS=5 benchmarks/e2e.sh   # a quick smoke run
#   E2E_SWEEP_BATCH="1 8 32 64" E2E_SWEEP_LINGER="5 20" benchmarks/e2e.sh
#   E2E_SERVICE_SETTINGS="producer.linger.ms=5" benchmarks/e2e.sh      # extra service settings
#   E2E_SERVICES=java benchmarks/e2e.sh     # the Java service alone (python: the baseline alone)
#   E2E_INPUT=review E2E_SERVICES=java E2E_CORES=1 E2E_LOAD_FRACTIONS="" benchmarks/e2e.sh   # enriched Avro
# E2E_INPUT=review: drains of a foreign Avro schema through a local schema registry, enriched output (issue 17;
# docs/INPUT_SHAPES.md): the script starts Apicurio Registry (benchmarks/tools/LocalRegistry.java, Java 21+, the
# distribution in target/apicurio-registry, unpacked here when missing) and stops it by its pid; the records are
# sent and their results counted by benchmarks/tools/ReviewLoad.java instead of loadtest. Drains of the Java
# service only (no latency runs: the enriched records carry no timing the load generator reads).
# Columns: results/s over the measured window (first to last measured result read); res/svc_cpu = results in
# that window per CPU-second the service used in it (less sensitive to other load than results/s); svc_share =
# the service's CPU-seconds per second in the window (below the cores it was given: it was starved by other
# processes); latency = event time -> result read (p50..max), and of it event time -> classified_at.
# Every child (broker, service, loadtest) is stopped by its own pid on exit.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
JAR=${E2E_JAR:-$REPO/target/sentiment-stream.jar}
DEVTOOLS_JAR=${E2E_DEVTOOLS_JAR:-$REPO/target/sentiment-stream-devtools.jar}

E2E_EVENTS=${E2E_EVENTS:-50000}                  # events pre-loaded for each drain run
E2E_DRAIN_WARMUP=${E2E_DRAIN_WARMUP:-2000}       # of those, left out of the drain rate
E2E_PARTITIONS=${E2E_PARTITIONS:-4}
E2E_CORES=${E2E_CORES-"1 2"}                    # drain runs: the service on cores 0 / 0,1 (one stream thread per core)
E2E_LATENCY_CORES=${E2E_LATENCY_CORES:-1}        # latency runs: cores of the service (the rate base is its drain rate)
E2E_GUARANTEES=${E2E_GUARANTEES-"at_least_once exactly_once_v2"}
E2E_LOAD_FRACTIONS=${E2E_LOAD_FRACTIONS-"0.5 0.9"}  # empty: no latency runs
E2E_LATENCY_SECONDS=${E2E_LATENCY_SECONDS:-30}  # measured seconds per latency run
E2E_WARMUP_SECONDS=${E2E_WARMUP_SECONDS:-20}    # a separate warm-up run at the same rate first (JIT, caches),
                                                 # drained before the measured run starts with no backlog
E2E_COMMIT_INTERVAL_MS=${E2E_COMMIT_INTERVAL_MS:-}  # empty: the service's default (1000 at-least-once; 100 exactly_once_v2)
E2E_BATCH=${E2E_BATCH:-}                         # batch.max.records; empty: the service's default
E2E_LINGER=${E2E_LINGER:-}                       # batch.linger.ms; empty: the service's default
E2E_MODEL_THREADS=${E2E_MODEL_THREADS:-1}        # model.threads (ONNX Runtime intra-op threads)
E2E_SWEEP_BATCH=${E2E_SWEEP_BATCH:-}             # e.g. "1 8 32 64": extra 1-core drain runs
E2E_SWEEP_LINGER=${E2E_SWEEP_LINGER:-"5 20"}
E2E_CLIENT_CPUS=${E2E_CLIENT_CPUS:-1}            # cores of the broker and the loadtest client
E2E_SERVICE_SETTINGS=${E2E_SERVICE_SETTINGS:-}      # more service settings, e.g. "producer.linger.ms=5 max.poll.records=500"
E2E_SHAPE_SETTINGS=${E2E_SHAPE_SETTINGS:-}          # settings of the service AND loadtest (the input's shape), e.g.
                                                 # "input.format=text" or "input.format=json input.text.field=text
                                                 # input.id.field=id input.time.field=event_time" (docs/INPUT_SHAPES.md)
E2E_INPUT=${E2E_INPUT:-textevents}              # textevents: loadtest's TextEvents (in E2E_SHAPE_SETTINGS' shape);
                                                 # review: the enriched-Avro drain (above)
E2E_REGISTRY_HOME=${E2E_REGISTRY_HOME:-$REPO/target/apicurio-registry}  # E2E_INPUT=review: the unpacked registry
E2E_SERVICE_JAVA=${E2E_SERVICE_JAVA:-java}         # the service's JVM (e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
E2E_SERVICE_JAVA_OPTS=${E2E_SERVICE_JAVA_OPTS:-"-Xmx512m"}
E2E_CLIENT_JAVA_OPTS=${E2E_CLIENT_JAVA_OPTS:-"-Xmx512m"}
E2E_DRAIN_TIMEOUT=${E2E_DRAIN_TIMEOUT:-300s}
E2E_SERVICES=${E2E_SERVICES-"java python"}      # java: the service; python: the Python baseline (benchmarks/python_service);
                                                 # constant, loop: the pass-through floors (benchmarks/floor)
E2E_PYTHON=${E2E_PYTHON:-}                       # Python with benchmarks/requirements.txt; empty: benchmarks/.venv,
                                                 # created from benchmarks/requirements.txt when missing or older
E2E_PYTHON_SETTINGS=${E2E_PYTHON_SETTINGS:-}     # librdkafka settings of the baseline, e.g. "fetch.wait.max.ms=10"
E2E_PYTHON_RATE_BASE=${E2E_PYTHON_RATE_BASE:-java}  # the baseline's latency runs: at the Java service's rates (java),
                                                 # or at the fractions of its own drain rate (python)

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR=$REPO/benchmarks/results
OUT=$RESULTS_DIR/e2e-$STAMP.json
WORK=$(mktemp -d "${TMPDIR:-/tmp}/e2e-$STAMP.XXXXXX")
mkdir -p "$RESULTS_DIR" "$WORK/runs"

BROKER_PID=""
REGISTRY_PID=""
REGISTRY_URL=""
BROKER_JVM_PID=""
DRAIN_RATE=0
SERVICE_PIDS=()   # the Java service's JVM, or the baseline's processes
CLIENT_PID=""
PYTHON_BIN=""
PYTHON_VERSIONS=""

log() { printf '[e2e %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

stop_pid() { # pid name: SIGTERM, wait up to 60 s, then SIGKILL
    local pid=$1 name=$2
    [[ -n "$pid" ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.5
    done
    log "$name (pid $pid) ignored SIGTERM for 60 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

stop_services() { # SIGTERM to every service process first (the baseline's stop together), then stop_pid each
    local pid
    for pid in "${SERVICE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${SERVICE_PIDS[@]}"; do stop_pid "$pid" service; done
    SERVICE_PIDS=()
}

wants() { [[ " $E2E_SERVICES " == *" $1 "* ]]; } # service -> whether this run measures it

cleanup() {
    stop_pid "$CLIENT_PID" loadtest
    stop_services
    stop_pid "$BROKER_PID" broker
    stop_pid "$REGISTRY_PID" registry
    log "logs and per-run summaries kept in $WORK"
}
trap cleanup EXIT

wait_for_line() { # file pattern timeout_s pid: waits until the file has a line matching the pattern
    local file=$1 pattern=$2 timeout=$3 pid=$4
    local deadline=$((SECONDS + timeout))
    until grep -q -- "$pattern" "$file" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "process $pid exited before '$pattern' appeared in $file:"; tail -n 30 "$file" >&2; return 1
        fi
        if (( SECONDS > deadline )); then
            log "no '$pattern' in $file after ${timeout}s:"; tail -n 30 "$file" >&2; return 1
        fi
        sleep 0.2
    done
}

CLK_TCK=$(getconf CLK_TCK)
cpu_seconds() { # pid... -> CPU seconds (user + system, all threads) they have used so far, summed; 0 when gone
    local pid
    for pid in "$@"; do cat "/proc/$pid/stat" 2>/dev/null || true; done |
        awk -v tck="$CLK_TCK" '{ s += $14 + $15 } END { printf "%.2f", s / tck }'
}

any_alive() { local pid; for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }

SAMPLER_PID=""
start_cpu_sampler() { # file pid...: every 0.25 s, "epoch_ms cpu_seconds" of the pids, while any of them runs
    local file=$1; shift
    local pids=("$@")
    ( while any_alive "${pids[@]}"; do echo "$(date +%s%3N) $(cpu_seconds "${pids[@]}")"; sleep 0.25; done ) > "$file" &
    SAMPLER_PID=$!
}

cpu_in_window() { # samples start_ms seconds -> CPU seconds used in [start, start + seconds] (interpolated)
    awk -v s="$2" -v e="$(awk -v a="$2" -v w="$3" 'BEGIN { printf "%.0f", a + w * 1000 }')" '
        function at(t,   i) { if (t <= ts[1]) return cs[1]; for (i = 2; i <= n; i++) if (ts[i] >= t)
            return cs[i-1] + (cs[i] - cs[i-1]) * (t - ts[i-1]) / (ts[i] - ts[i-1]); return cs[n] }
        { n++; ts[n] = $1; cs[n] = $2 }
        END { if (n < 2) { print "null"; exit } printf "%.3f", at(e) - at(s) }' "$1"
}

cpus_for() { # cores -> taskset list: 1 -> 0, 2 -> 0,1, n -> 0-(n-1)
    if (( $1 == 1 )); then echo 0; else echo "0-$(( $1 - 1 ))"; fi
}

common_settings() { # topic prefix -> --set arguments naming the run's topics (and E2E_SHAPE_SETTINGS)
    local s="--set input.topic=$1-in --set output.topic=$1-out --set dead.letter.topic=$1-dlq"
    local extra
    for extra in $E2E_SHAPE_SETTINGS; do s+=" --set $extra"; done
    echo "$s"
}

service_settings() { # guarantee threads batch linger
    local s="--set processing.guarantee=$1 --set num.stream.threads=$2 --set model.threads=$E2E_MODEL_THREADS"
    [[ -n "$3" ]] && s+=" --set batch.max.records=$3"
    [[ -n "$4" ]] && s+=" --set batch.linger.ms=$4"
    [[ -n "$E2E_COMMIT_INTERVAL_MS" ]] && s+=" --set commit.interval.ms=$E2E_COMMIT_INTERVAL_MS"
    # Metrics on (recorded, served on any free local port, so that runs on a shared host never clash over 8080);
    # E2E_SERVICE_SETTINGS="metrics.port=-1" turns them off (docs/PERFORMANCE.md, "Metrics on and off").
    s+=" --set metrics.port=0 --set metrics.address=127.0.0.1"
    local extra
    for extra in $E2E_SERVICE_SETTINGS; do s+=" --set $extra"; done
    echo "$s"
}

commit_interval() { # guarantee [kind] -> the commit interval the service runs with
    if [[ -n "$E2E_COMMIT_INTERVAL_MS" ]]; then echo "$E2E_COMMIT_INTERVAL_MS"
    elif [[ $1 == exactly_once_v2 ]]; then echo "100 (Kafka Streams default)"
    else echo "1000 (the service's at-least-once default)"; fi
}

start_service() { # name cpus guarantee threads batch linger topics [extra args...]; SERVICE_MAIN: -jar JAR (the
    # service) or the constant floor's source file
    local name=$1 cpus=$2 guarantee=$3 threads=$4 batch=$5 linger=$6 topics=$7; shift 7
    local main=(-jar "$JAR")
    [[ ${SERVICE_KIND:-java} == constant ]] && main=(-cp "$JAR" benchmarks/floor/ConstantModelService.java)
    # shellcheck disable=SC2046,SC2086
    taskset -c "$cpus" "$E2E_SERVICE_JAVA" $E2E_SERVICE_JAVA_OPTS "${main[@]}" run -b "$BOOTSTRAP" \
        --set application.id="e2e-$name-$STAMP" --set state.dir="$WORK/state-$name" \
        $(common_settings "$topics") $(service_settings "$guarantee" "$threads" "$batch" "$linger") "$@" \
        > "$WORK/runs/$name.service.log" 2>&1 &
    SERVICE_PIDS=($!)
}

start_python_service() { # name cpus processes batch linger topics [extra args...]: the baseline, one process per core
    local name=$1 cpus=$2 processes=$3 batch=$4 linger=$5 topics=$6; shift 6
    local settings=() extra i
    for extra in $E2E_PYTHON_SETTINGS; do settings+=(--set "$extra"); done
    SERVICE_PIDS=()
    for i in $(seq 1 "$processes"); do
        taskset -c "$cpus" "$PYTHON_BIN" -m benchmarks.python_service -b "$BOOTSTRAP" --group-id "e2e-$name-$STAMP" \
            --input-topic "$topics-in" --output-topic "$topics-out" --dead-letter-topic "$topics-dlq" \
            --batch-max-records "$batch" --batch-linger-ms "$linger" \
            --commit-interval-ms "${E2E_COMMIT_INTERVAL_MS:-1000}" --model-threads "$E2E_MODEL_THREADS" \
            "${settings[@]}" "$@" > "$WORK/runs/$name.service-$i.log" 2>&1 &
        SERVICE_PIDS+=($!)
    done
}

start_loop() { # name cpus topics: the plain consumer -> producer loop (benchmarks/floor/PassThroughLoop.java)
    local name=$1 cpus=$2 topics=$3
    # shellcheck disable=SC2086
    taskset -c "$cpus" "$E2E_SERVICE_JAVA" $E2E_SERVICE_JAVA_OPTS -cp "$JAR" benchmarks/floor/PassThroughLoop.java -b "$BOOTSTRAP" \
        --group "e2e-$name-$STAMP" --input "$topics-in" --output "$topics-out" \
        --commit-interval-ms "${E2E_COMMIT_INTERVAL_MS:-1000}" > "$WORK/runs/$name.service.log" 2>&1 &
    SERVICE_PIDS=($!)
}

create_topics() { # topics: the run's three topics, input and output with LogAppendTime (for the stage split)
    java $E2E_CLIENT_JAVA_OPTS -cp "$JAR" benchmarks/floor/CreateTopics.java "$BOOTSTRAP" "$1" "$E2E_PARTITIONS" \
        > "$WORK/runs/$1.create-topics.log" 2>&1 || { log "creating topics $1 failed:"; cat "$WORK/runs/$1.create-topics.log" >&2; return 1; }
}

wait_until_serving() { # kind name cores: the service of this kind owns its partitions (or fails)
    case $1 in
        python) wait_for_python_group "$2" "$3" 180 ;;
        loop) wait_for_line "$WORK/runs/$2.service.log" "Partitions assigned" 180 "${SERVICE_PIDS[0]}" ;;
        *) wait_for_line "$WORK/runs/$2.service.log" "-> RUNNING" 180 "${SERVICE_PIDS[0]}" ;;
    esac
}

python_group_ready() { # name processes: every process's last rebalance line is an assignment, and together they
    # own every partition (eager rebalancing: a member that joins later makes every member log a new assignment)
    local name=$1 processes=$2 i last total=0
    for i in $(seq 1 "$processes"); do
        last=$(grep -E "Partitions (assigned|revoked|lost)" "$WORK/runs/$name.service-$i.log" 2>/dev/null | tail -n 1)
        [[ $last == *"Partitions assigned ("* ]] || return 1
        total=$(( total + $(sed -n 's/.*Partitions assigned (\([0-9]*\)).*/\1/p' <<< "$last") ))
    done
    (( total == E2E_PARTITIONS ))
}

wait_for_python_group() { # name processes timeout_s: until python_group_ready, or fails when a process exits
    local name=$1 processes=$2 timeout=$3 pid
    local deadline=$((SECONDS + timeout))
    until python_group_ready "$name" "$processes"; do
        for pid in "${SERVICE_PIDS[@]}"; do
            if ! kill -0 "$pid" 2>/dev/null; then
                log "$name: baseline process $pid exited before its group owned the partitions:"
                tail -n 20 "$WORK/runs/$name".service-*.log >&2; return 1
            fi
        done
        if (( SECONDS > deadline )); then
            log "$name: the baseline's group did not own all $E2E_PARTITIONS partitions after ${timeout}s"; return 1
        fi
        sleep 0.2
    done
}

start_kind() { # kind name cores cpus guarantee batch linger topics [extra args...]
    local kind=$1 name=$2 cores=$3 cpus=$4 guarantee=$5 batch=$6 linger=$7 topics=$8; shift 8
    case $kind in
        python) start_python_service "$name" "$cpus" "$cores" "$batch" "$linger" "$topics" "$@" ;;
        loop) start_loop "$name" "$cpus" "$topics" ;;
        *) SERVICE_KIND=$kind start_service "$name" "$cpus" "$guarantee" "$cores" "$batch" "$linger" "$topics" "$@" ;;
    esac
}

kind_label() { # kind -> how the log names it
    case $1 in
        python) echo "Python baseline" ;; constant) echo "constant-model floor" ;; loop) echo "pass-through loop" ;;
        *) echo service ;;
    esac
}

kind_prefix() { # kind -> the prefix of its run names
    case $1 in python) echo "py-" ;; constant) echo "const-" ;; loop) echo "loop-" ;; *) echo "" ;; esac
}

kind_fields() { # kind cores -> the JSON fields that say how the service used its cores
    case $1 in
        python) echo "{\"processes\": $2}" ;; loop) echo "{\"loops\": 1}" ;; *) echo "{\"stream_threads\": $2}" ;;
    esac
}

loadtest() { # name topics [loadtest args...] (in the background; CLIENT_PID)
    local name=$1 topics=$2; shift 2
    # shellcheck disable=SC2046,SC2086
    taskset -c "$E2E_CLIENT_CPUS" java $E2E_CLIENT_JAVA_OPTS -jar "$JAR" loadtest -b "$BOOTSTRAP" \
        $(common_settings "$topics") --run-id "r$(echo "$name" | tr -cd 'a-z0-9')" \
        --json "$WORK/runs/$name.json" "$@" > "$WORK/runs/$name.loadtest.log" 2>&1 &
    CLIENT_PID=$!
}

review_load() { # name topics: benchmarks/tools/ReviewLoad.java as a drain's load generator (in the background; CLIENT_PID)
    local name=$1 topics=$2
    # shellcheck disable=SC2086
    taskset -c "$E2E_CLIENT_CPUS" java $E2E_CLIENT_JAVA_OPTS -cp "$JAR" benchmarks/tools/ReviewLoad.java "$BOOTSTRAP" \
        "$REGISTRY_URL" "$topics-in" "$topics-out" "$topics-dlq" "r$(echo "$name" | tr -cd 'a-z0-9')" "$E2E_EVENTS" \
        "$E2E_DRAIN_WARMUP" "${E2E_DRAIN_TIMEOUT%s}" "$WORK/runs/$name.json" "$WORK/runs/$name.sent" \
        > "$WORK/runs/$name.loadtest.log" 2>&1 &
    CLIENT_PID=$!
}

record() { # name kind json-fields: appends the run's summary with its settings to runs.jsonl
    local name=$1 kind=$2 fields=$3 rc=$4
    if [[ -s "$WORK/runs/$name.json" ]]; then
        jq -c --arg name "$name" --arg kind "$kind" --argjson f "$fields" --argjson rc "$rc" \
            '{name: $name, kind: $kind, exit_code: $rc} + $f + {summary: .}' "$WORK/runs/$name.json" >> "$WORK/runs.jsonl"
    else
        jq -nc --arg name "$name" --arg kind "$kind" --argjson f "$fields" --argjson rc "$rc" \
            '{name: $name, kind: $kind, exit_code: $rc} + $f + {summary: null}' >> "$WORK/runs.jsonl"
        log "$name: no summary (loadtest exit code $rc):"; tail -n 20 "$WORK/runs/$name.loadtest.log" >&2
    fi
}

drain_run() { # name cores guarantee batch linger [kind: java|python] -> sets DRAIN_RATE (results/s)
    local name=$1 cores=$2 guarantee=$3 batch=$4 linger=$5 kind=${6:-java}
    local topics="e2e-$STAMP-$name" cpus; cpus=$(cpus_for "$cores")
    log "$name: pre-loading $E2E_EVENTS events, then the $(kind_label "$kind") on cores $cpus ($guarantee, batch ${batch:-default}, linger ${linger:-default})"
    if [[ $E2E_INPUT == review ]]; then
        create_topics "$topics"
        review_load "$name" "$topics"
    else
        loadtest "$name" "$topics" --create-topics --partitions "$E2E_PARTITIONS" --rate max --events "$E2E_EVENTS" \
            --warmup "$E2E_DRAIN_WARMUP" --drain-timeout "$E2E_DRAIN_TIMEOUT" --sent-file "$WORK/runs/$name.sent"
    fi
    local deadline=$((SECONDS + 300))
    until [[ -s "$WORK/runs/$name.sent" ]]; do
        kill -0 "$CLIENT_PID" 2>/dev/null || { log "$name: loadtest exited while pre-loading"; tail -n 20 "$WORK/runs/$name.loadtest.log" >&2; break; }
        (( SECONDS < deadline )) || { log "$name: pre-loading took over 300 s"; break; }
        sleep 0.2
    done
    if [[ $kind == python ]]; then
        # Every process joins the group before any consumes: the pre-loaded backlog is drained by all of them.
        start_python_service "$name" "$cpus" "$cores" "$batch" "$linger" "$topics" \
            --hold-until-file "$WORK/runs/$name.go"
        wait_for_python_group "$name" "$cores" 180
        touch "$WORK/runs/$name.go"
    else
        start_kind "$kind" "$name" "$cores" "$cpus" "$guarantee" "$batch" "$linger" "$topics"
    fi
    # The service's and the broker's CPU over the measured window (first to last measured result read, warm-up
    # and JIT-heavy start left out): results per CPU-second hold up better than results/s on a shared machine.
    start_cpu_sampler "$WORK/runs/$name.service-cpu" "${SERVICE_PIDS[@]}"; local service_sampler=$SAMPLER_PID
    start_cpu_sampler "$WORK/runs/$name.broker-cpu" "${BROKER_JVM_PID:-0}"; local broker_sampler=$SAMPLER_PID
    local rc=0
    wait "$CLIENT_PID" || rc=$?
    CLIENT_PID=""
    local start_ms window service_cpu broker_cpu
    start_ms=$(jq -r '.window_start_epoch_ms // 0' "$WORK/runs/$name.json" 2>/dev/null || echo 0)
    window=$(jq -r '.window_s // 0' "$WORK/runs/$name.json" 2>/dev/null || echo 0)
    kill "$service_sampler" "$broker_sampler" 2>/dev/null || true
    wait "$service_sampler" "$broker_sampler" 2>/dev/null || true
    service_cpu=$(cpu_in_window "$WORK/runs/$name.service-cpu" "$start_ms" "$window")
    broker_cpu=$(cpu_in_window "$WORK/runs/$name.broker-cpu" "$start_ms" "$window")
    stop_services
    record "$name" drain "$(jq -nc --argjson cores "$cores" --arg g "$guarantee" --arg b "$batch" --arg l "$linger" \
        --arg c "$(commit_interval "$guarantee" "$kind")" --argjson events "$E2E_EVENTS" --argjson scpu "$service_cpu" \
        --argjson bcpu "$broker_cpu" --argjson window "$window" --arg kind "$kind" \
        --argjson kf "$(kind_fields "$kind" "$cores")" \
        '{cores: $cores} + $kf + {guarantee: $g, batch_max_records: $b, batch_linger_ms: $l,
          commit_interval_ms: $c, preloaded_events: $events, window_s: $window,
          service_cpu_s_in_window: $scpu, broker_cpu_s_in_window: $bcpu,
          service_cpu_share: (if $scpu != null and $window > 0 then $scpu / $window else null end),
          results_per_service_cpu_s: (if $scpu != null and $scpu > 0 then $window * $rate / $scpu else null end),
          service: $kind}' \
        --argjson rate "$(jq -r '.throughput_per_s // 0' "$WORK/runs/$name.json" 2>/dev/null || echo 0)")" "$rc"
    DRAIN_RATE=$(jq -r '.throughput_per_s // 0' "$WORK/runs/$name.json" 2>/dev/null || echo 0)
}

latency_run() { # name cores guarantee fraction base_rate [kind: java|python]
    local name=$1 cores=$2 guarantee=$3 fraction=$4 base=$5 kind=${6:-java}
    local topics="e2e-$STAMP-$name" cpus rate
    cpus=$(cpus_for "$cores")
    rate=$(awk -v b="$base" -v f="$fraction" 'BEGIN { printf "%.0f", b * f }')
    (( rate > 0 )) || rate=1
    log "$name: $(kind_label "$kind") on cores $cpus ($guarantee), $rate events/s ($fraction of $base): ${E2E_WARMUP_SECONDS}s warm-up, then ${E2E_LATENCY_SECONDS}s measured"
    create_topics "$topics"
    local timing=()
    [[ $kind == java || $kind == constant ]] && timing=(--set output.timing.headers=true)
    start_kind "$kind" "$name" "$cores" "$cpus" "$guarantee" "$E2E_BATCH" "$E2E_LINGER" "$topics" "${timing[@]}"
    wait_until_serving "$kind" "$name" "$cores"
    if (( E2E_WARMUP_SECONDS > 0 )); then
        loadtest "$name-warmup" "$topics" --rate "$rate" --duration "${E2E_WARMUP_SECONDS}s" --drain-timeout 300s
        wait "$CLIENT_PID" || log "$name: the warm-up run did not get every result back (see $WORK/runs/$name-warmup.loadtest.log)"
        CLIENT_PID=""
    fi
    local rc=0 service_sampler
    start_cpu_sampler "$WORK/runs/$name.service-cpu" "${SERVICE_PIDS[@]}"; service_sampler=$SAMPLER_PID
    loadtest "$name" "$topics" --rate "$rate" --duration "${E2E_LATENCY_SECONDS}s" --drain-timeout 120s
    wait "$CLIENT_PID" || rc=$?
    CLIENT_PID=""
    kill "$service_sampler" 2>/dev/null || true
    wait "$service_sampler" 2>/dev/null || true
    local window service_cpu
    window=$(jq -r '.window_s // 0' "$WORK/runs/$name.json" 2>/dev/null || echo 0)
    service_cpu=$(cpu_in_window "$WORK/runs/$name.service-cpu" \
        "$(jq -r '.window_start_epoch_ms // 0' "$WORK/runs/$name.json" 2>/dev/null || echo 0)" "$window")
    stop_services
    record "$name" latency "$(jq -nc --argjson cores "$cores" --arg g "$guarantee" --argjson f "$fraction" \
        --argjson base "$base" --arg b "$E2E_BATCH" --arg l "$E2E_LINGER" \
        --arg c "$(commit_interval "$guarantee" "$kind")" --argjson scpu "$service_cpu" --argjson window "$window" \
        --arg kind "$kind" --argjson kf "$(kind_fields "$kind" "$cores")" \
        '{cores: $cores} + $kf + {guarantee: $g, load_fraction: $f, base_rate_per_s: $base,
          batch_max_records: $b, batch_linger_ms: $l, commit_interval_ms: $c, window_s: $window,
          service_cpu_s_in_window: $scpu,
          service_cpu_share: (if $scpu != null and $window > 0 then $scpu / $window else null end),
          service: $kind}')" "$rc"
}

# --- build and broker -------------------------------------------------------------------------------
if [[ ! -f "$JAR" || ! -f "$DEVTOOLS_JAR" ]]; then
    log "building $JAR"
    mvn -B -q -DskipTests package
fi
for kind in $E2E_SERVICES; do
    [[ $kind =~ ^(java|python|constant|loop)$ ]] || { log "E2E_SERVICES: unknown service '$kind' (java, python, constant, loop)"; exit 2; }
done
if wants python; then
    if [[ -n "$E2E_PYTHON" ]]; then
        PYTHON_BIN=$E2E_PYTHON
    else
        PYTHON_BIN=$REPO/benchmarks/.venv/bin/python
        if [[ ! -f benchmarks/.venv/.installed || benchmarks/requirements.txt -nt benchmarks/.venv/.installed ]]; then
            log "creating benchmarks/.venv from benchmarks/requirements.txt (the Python baseline)"
            python3 -m venv benchmarks/.venv
            benchmarks/.venv/bin/pip install --disable-pip-version-check -q -r benchmarks/requirements.txt
            touch benchmarks/.venv/.installed
        fi
    fi
    PYTHON_VERSIONS="$("$PYTHON_BIN" --version 2>&1), $("$PYTHON_BIN" -c 'import confluent_kafka, fastavro, onnxruntime
print("confluent-kafka", confluent_kafka.version()[0], "(librdkafka", confluent_kafka.libversion()[0] + "), fastavro",
      fastavro.__version__ + ", onnxruntime", onnxruntime.__version__)')"
    log "Python baseline: $PYTHON_VERSIONS"
fi
case $E2E_INPUT in
    textevents) ;;
    review)
        if [[ $E2E_SERVICES != java || -n "${E2E_LOAD_FRACTIONS// }" || -n "$E2E_SWEEP_BATCH" ]]; then
            log "E2E_INPUT=review runs drains of the Java service only: set E2E_SERVICES=java E2E_LOAD_FRACTIONS=\"\""
            exit 2
        fi
        if [[ ! -f "$E2E_REGISTRY_HOME/quarkus-run.jar" ]]; then
            log "unpacking Apicurio Registry into target/apicurio-registry"
            mvn -B -q dependency:unpack@apicurio-registry
        fi
        log "starting a local schema registry on cores $E2E_CLIENT_CPUS"
        taskset -c "$E2E_CLIENT_CPUS" java -cp "$DEVTOOLS_JAR" benchmarks/tools/LocalRegistry.java "$E2E_REGISTRY_HOME" \
            "$WORK/registry" > "$WORK/registry.log" 2>&1 &
        REGISTRY_PID=$!
        wait_for_line "$WORK/registry.log" "Schema registry ready" 180 "$REGISTRY_PID"
        REGISTRY_URL=$(sed -n 's/.*Schema registry ready: \([^ ]*\) .*/\1/p' "$WORK/registry.log" | head -n 1)
        log "registry ready at $REGISTRY_URL (command pid $REGISTRY_PID)"
        E2E_SHAPE_SETTINGS="input.format=confluent-avro output.format=confluent-avro schema.registry.url=$REGISTRY_URL"
        E2E_SHAPE_SETTINGS+=" input.text.field=content.body input.id.field=review_id input.time.field=written"
        E2E_SHAPE_SETTINGS+=" output.mode=enriched"
        ;;
    *) log "E2E_INPUT: unknown input '$E2E_INPUT' (textevents, review)"; exit 2 ;;
esac
log "starting a local broker on cores $E2E_CLIENT_CPUS (work folder $WORK)"
taskset -c "$E2E_CLIENT_CPUS" java -jar "$DEVTOOLS_JAR" broker --port 0 > "$WORK/broker.log" 2>&1 &
BROKER_PID=$!
wait_for_line "$WORK/broker.log" "Kafka broker ready" 180 "$BROKER_PID"
BOOTSTRAP=$(sed -n 's/.*bootstrap.servers=\([^ ]*\) .*/\1/p' "$WORK/broker.log" | head -n 1)
BROKER_JVM_PID=$(sed -n 's/^Kafka broker ready: .* (pid \([0-9]*\)).*/\1/p' "$WORK/broker.log" | head -n 1)
log "broker ready at $BOOTSTRAP (command pid $BROKER_PID, broker JVM pid ${BROKER_JVM_PID:-unknown})"
: > "$WORK/runs.jsonl"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# The service's own defaults, so that every run names the values it used.
setting_default() { java -jar "$JAR" run --list-settings | awk -F'|' -v name="\`$1\`" '$2 ~ name { gsub(/[ `]/, "", $5); print $5 }'; }
E2E_BATCH=${E2E_BATCH:-$(setting_default batch.max.records)}
E2E_LINGER=${E2E_LINGER:-$(setting_default batch.linger.ms)}
log "batch.max.records $E2E_BATCH, batch.linger.ms $E2E_LINGER, model.threads $E2E_MODEL_THREADS"

# --- (a) max sustainable throughput -------------------------------------------------------------------
# For each core count the Java service, then the Python baseline right after it (same conditions, as near in
# time as possible).
declare -A MAX_RATE PY_MAX_RATE
for cores in $E2E_CORES; do
    if wants java; then
        drain_run "drain-${cores}core" "$cores" at_least_once "$E2E_BATCH" "$E2E_LINGER"
        MAX_RATE[$cores]=$DRAIN_RATE
        log "drain on $cores core(s): ${MAX_RATE[$cores]} results/s"
    fi
    if wants python; then
        drain_run "py-drain-${cores}core" "$cores" at_least_once "$E2E_BATCH" "$E2E_LINGER" python
        PY_MAX_RATE[$cores]=$DRAIN_RATE
        log "Python baseline drain on $cores core(s): ${PY_MAX_RATE[$cores]} results/s"
    fi
    for floor in constant loop; do
        if wants "$floor"; then
            drain_run "$(kind_prefix "$floor")drain-${cores}core" "$cores" at_least_once "$E2E_BATCH" "$E2E_LINGER" "$floor"
            log "$(kind_label "$floor") drain on $cores core(s): $DRAIN_RATE results/s"
        fi
    done
done

# --- (b) latency at fractions of the max rate ---------------------------------------------------------
# The baseline's runs follow the Java service's at the same rates (fractions of the Java drain rate), so that
# their p99s compare at the same rate; at-least-once only (the baseline has no exactly-once).
latency_asked() { [[ -n "${E2E_GUARANTEES// }" && -n "${E2E_LOAD_FRACTIONS// }" ]]; }
positive() { awk -v b="${1:-0}" 'BEGIN { exit !(b > 0) }'; }
base=""
if wants java; then
    base=${MAX_RATE[$E2E_LATENCY_CORES]:-}
    if [[ -z "$base" ]] && latency_asked; then
        drain_run "drain-${E2E_LATENCY_CORES}core" "$E2E_LATENCY_CORES" at_least_once "$E2E_BATCH" "$E2E_LINGER"
        base=$DRAIN_RATE
    fi
fi
py_base=""
if wants python; then
    if wants java && [[ $E2E_PYTHON_RATE_BASE == java ]]; then
        py_base=$base
    else
        py_base=${PY_MAX_RATE[$E2E_LATENCY_CORES]:-}
        if [[ -z "$py_base" ]] && latency_asked; then
            drain_run "py-drain-${E2E_LATENCY_CORES}core" "$E2E_LATENCY_CORES" at_least_once "$E2E_BATCH" "$E2E_LINGER" python
            py_base=$DRAIN_RATE
        fi
    fi
fi
if ! latency_asked; then
    log "no latency runs asked for"
elif ! positive "$base" && ! positive "$py_base"; then
    log "no max rate measured: skipping the latency runs"
else
    wants java && ! positive "$base" && log "no max rate measured for the Java service: skipping its latency runs"
    for guarantee in $E2E_GUARANTEES; do
        for fraction in $E2E_LOAD_FRACTIONS; do
            short=$([[ $guarantee == exactly_once_v2 ]] && echo eos || echo alos)
            if wants java && positive "$base"; then
                latency_run "latency-$short-$(echo "$fraction" | tr -d .)" "$E2E_LATENCY_CORES" "$guarantee" "$fraction" "$base"
            fi
            if wants python && positive "$py_base" && [[ $guarantee == at_least_once ]]; then
                latency_run "py-latency-$short-$(echo "$fraction" | tr -d .)" "$E2E_LATENCY_CORES" "$guarantee" \
                    "$fraction" "$py_base" python
            fi
            # The floors at the Java service's rates: the same load, without the model (constant) or without
            # Kafka Streams and the service (loop, at-least-once only).
            if wants constant && positive "$base"; then
                latency_run "const-latency-$short-$(echo "$fraction" | tr -d .)" "$E2E_LATENCY_CORES" "$guarantee" \
                    "$fraction" "$base" constant
            fi
            if wants loop && positive "$base" && [[ $guarantee == at_least_once ]]; then
                latency_run "loop-latency-$short-$(echo "$fraction" | tr -d .)" "$E2E_LATENCY_CORES" "$guarantee" \
                    "$fraction" "$base" loop
            fi
        done
    done
fi

# --- (c) optional batch/linger sweep ----------------------------------------------------------------
for batch in $E2E_SWEEP_BATCH; do
    for linger in $E2E_SWEEP_LINGER; do
        drain_run "sweep-b$batch-l$linger" 1 at_least_once "$batch" "$linger"
        log "sweep batch $batch linger $linger: $DRAIN_RATE results/s"
    done
done

# --- results --------------------------------------------------------------------------------------------
jq -s --arg stamp "$STAMP" --arg host "$(hostname)" --argjson cpus "$(nproc)" --arg load_before "$LOAD_BEFORE" \
    --arg load_after "$(cut -d' ' -f1-3 /proc/loadavg)" --arg java "$("$E2E_SERVICE_JAVA" -version 2>&1 | head -n 1)" --arg java_opts "$E2E_SERVICE_JAVA_OPTS" \
    --argjson events "$E2E_EVENTS" --argjson partitions "$E2E_PARTITIONS" --arg client_cpus "$E2E_CLIENT_CPUS" \
    --arg commit "${E2E_COMMIT_INTERVAL_MS:-default (1000 at_least_once, 100 exactly_once_v2)}" \
    --argjson model_threads "$E2E_MODEL_THREADS" --arg service_settings "$E2E_SERVICE_SETTINGS $E2E_SHAPE_SETTINGS" --arg git "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    --arg services "$E2E_SERVICES" --arg python "$PYTHON_VERSIONS" --arg python_settings "$E2E_PYTHON_SETTINGS" \
    --arg python_rate_base "$E2E_PYTHON_RATE_BASE" --arg input "$E2E_INPUT" \
    '{date: $stamp, git: $git, host: $host, cpus: $cpus, java: $java, java_opts: $java_opts,
      load_average_before: $load_before,
      load_average_after: $load_after, settings: ({drain_events: $events, partitions: $partitions,
      client_cpus: $client_cpus, commit_interval_ms: $commit, model_threads: $model_threads,
      service_settings: $service_settings} + {services: $services, input: $input}
      + (if $python != "" then {python_settings: $python_settings, python_rate_base: $python_rate_base} else {} end)),
      runs: .} + (if $python != "" then {python: $python} else {} end)' "$WORK/runs.jsonl" > "$OUT"

{
    printf '%-22s %-5s %-16s %-6s %-6s %-10s %-11s %-9s %-9s %-9s %-9s %-9s %-10s %-8s %s\n' run cores guarantee \
        batch linger results/s res/svc_cpu svc_share p50_ms p99_ms p99.9_ms max_ms cls_p99_ms missing exit
    jq -r '.runs[] | [.name, (.cores|tostring), .guarantee, .batch_max_records, .batch_linger_ms,
        (.summary.throughput_per_s // 0 | floor | tostring),
        (.results_per_service_cpu_s // "-" | if type == "number" then floor else . end | tostring),
        (.service_cpu_share // "-" | if type == "number" then (. * 100 | floor | tostring) + "%" else . end),
        (.summary.latency_ms.p50 // 0 | tostring), (.summary.latency_ms.p99 // 0 | tostring),
        (.summary.latency_ms.p99_9 // 0 | tostring), (.summary.latency_ms.max // 0 | tostring),
        (.summary.to_classified_ms.p99 // 0 | tostring),
        (.summary.missing // -1 | tostring), (.exit_code|tostring)] | @tsv' "$OUT" |
        while IFS=$'\t' read -r n c g b l t rpc share p50 p99 p999 mx cls m rc; do
            printf '%-22s %-5s %-16s %-6s %-6s %-10s %-11s %-9s %-9s %-9s %-9s %-9s %-10s %-8s %s\n' \
                "$n" "$c" "$g" "$b" "$l" "$t" "$rpc" "$share" "$p50" "$p99" "$p999" "$mx" "$cls" "$m" "$rc"
        done
    if jq -e '[.runs[] | select((.summary.stages_ms // {}) | length > 0)] | length > 0' "$OUT" > /dev/null; then
        printf '\nLatency by stage (p50 / p99 ms; output.timing.headers and LogAppendTime topics):\n'
        jq -r '.runs[] | select((.summary.stages_ms // {}) | length > 0) | .name as $n |
            [$n] + (.summary.stages_ms | to_entries | map("\(.key) \(.value.p50)/\(.value.p99)"))
            + (if .summary.input_topic_to_output_topic_ms then ["| input_topic_to_output_topic \(.summary.input_topic_to_output_topic_ms.p50)/\(.summary.input_topic_to_output_topic_ms.p99)/\(.summary.input_topic_to_output_topic_ms.p99_9)"] else [] end)
            | join("  ")' "$OUT"
    fi
} | tee "$WORK/table.txt"
if wants java && wants python; then
    # The Java service against the Python baseline: ratios printed, and stored in the JSON as "comparison".
    "$PYTHON_BIN" benchmarks/e2e_compare.py --write "$OUT" | tee -a "$WORK/table.txt"
fi
log "wrote $OUT (load average before: $LOAD_BEFORE)"
