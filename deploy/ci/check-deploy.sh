#!/usr/bin/env bash
# Checks of deploy/ beyond the Java tests (`make test-deploy`, part of `make test`):
#   1. The Kubernetes manifests, validated offline against the schemas kubernetes-validate bundles (strict: an
#      unknown field fails), for the oldest and newest Kubernetes versions in KUBERNETES_VERSIONS.
#   2. The compose file, run with podman-compose: the broker, the service and Prometheus come up; texts sent
#      through the broker come back with the right labels; Prometheus loaded its configuration and scrapes the
#      service's /metrics (target "up"). Everything is started under a project name of its own and removed by it
#      at the end.
# Tools: pinned in deploy/ci/requirements.txt, installed in target/deploy-tools (a venv). Under CI=true every
# check must run and pass; elsewhere the compose run is skipped, with a message, when podman cannot run
# containers (deploy/ci/prepare-podman.sh sets podman up on a Debian machine). Needs `make jar` first.
set -euo pipefail
cd "$(dirname "$0")/../.."

KUBERNETES_VERSIONS=${KUBERNETES_VERSIONS:-"1.30.0 1.37.0"}
TOOLS=target/deploy-tools
PYTHON=${PYTHON:-python3}
COMPOSE_FILE=deploy/docker-compose.yml
CI=${CI:-false}
# Docker image format, so that podman keeps the Dockerfile's HEALTHCHECK (the OCI format has none).
export BUILDAH_FORMAT=docker

log() { printf '[check-deploy %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

if [[ ! -f $TOOLS/.installed || deploy/ci/requirements.txt -nt $TOOLS/.installed ]]; then
    rm -rf "$TOOLS"
    "$PYTHON" -m venv "$TOOLS"
    "$TOOLS/bin/pip" install --disable-pip-version-check -q -r deploy/ci/requirements.txt
    touch "$TOOLS/.installed"
fi

# 1. Kubernetes manifests.
start=$SECONDS
for version in $KUBERNETES_VERSIONS; do
    "$TOOLS/bin/kubernetes-validate" --strict --quiet -k "$version" deploy/kubernetes/*.yaml ||
        fail "deploy/kubernetes does not validate against Kubernetes $version"
done
log "Kubernetes manifests valid for Kubernetes $KUBERNETES_VERSIONS ($((SECONDS - start)) s)"

# 2. The compose file, run.
if ! podman run --rm --no-healthcheck --pull=never --entrypoint true \
    "$(sed -n 's/^ARG JRE_IMAGE=\(.*\)$/\1/p' deploy/Dockerfile)" >/dev/null 2>&1; then
    message="podman cannot run the JRE base image here (no podman, or no base image: see deploy/ci/prepare-podman.sh)"
    [[ "$CI" == true ]] && fail "$message"
    log "SKIPPED the compose run: $message"
    exit 0
fi
[[ -f target/sentiment-stream.jar && -f target/sentiment-stream-devtools.jar ]] || fail "no jars: run make jar first"

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
project=sscheck$$
export SENTIMENT_METRICS_HOST_PORT=${SENTIMENT_METRICS_HOST_PORT:-$(free_port)}
export PROMETHEUS_HOST_PORT=${PROMETHEUS_HOST_PORT:-$(free_port)}
compose() { "$TOOLS/bin/podman-compose" --no-ansi -p "$project" -f "$COMPOSE_FILE" "$@"; }
container_of() {
    podman ps -a --filter "label=io.podman.compose.project=$project" \
        --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -1
}
cleanup() {
    local service
    service=$(container_of sentiment-stream)
    if [[ -n "$service" && "${passed:-false}" != true ]]; then
        log "service log (last 40 lines):"
        podman logs --tail 40 "$service" >&2 || true
    fi
    compose down -t 30 >/dev/null 2>&1 || true
}
trap cleanup EXIT

start=$SECONDS
compose build >/dev/null
log "images built ($((SECONDS - start)) s)"
compose up -d >/dev/null 2>&1
service=$(container_of sentiment-stream)
[[ -n "$service" ]] || fail "compose started no sentiment-stream container"
for _ in $(seq 1 240); do
    grep -q 'REBALANCING -> RUNNING' <<<"$(podman logs "$service" 2>&1)" && break
    sleep 0.5
done
grep -q 'REBALANCING -> RUNNING' <<<"$(podman logs "$service" 2>&1)" || fail "the service did not reach RUNNING within 120 s"
log "broker, service and Prometheus up, service RUNNING ($((SECONDS - start)) s)"

cli() { podman exec "$service" java -jar /app/sentiment-stream.jar "$@" 2>/dev/null; }
cli produce -b 127.0.0.1:9092 --id-prefix compose-check "i love this phone" "this is the worst day ever" >/dev/null
results=$(cli consume -b 127.0.0.1:9092 --max-records 2 --timeout 90s) || fail "no results within 90 s"
grep -q '"id":"compose-check-1","label":"positive"' <<<"$results" || fail "wrong or missing label for text 1: $results"
grep -q '"id":"compose-check-2","label":"negative"' <<<"$results" || fail "wrong or missing label for text 2: $results"
log "texts through the compose broker came back labelled positive and negative"

# Prometheus: its configuration loaded (its target is listed) and the target up: the service's /metrics scraped
# (scrape_interval 5 s, so 60 s is a dozen chances).
targets() {
    "$PYTHON" - "$PROMETHEUS_HOST_PORT" <<'EOF'
import json, sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v1/targets", timeout=5) as answer:
        targets = json.load(answer)["data"]["activeTargets"]
except OSError:
    targets = []
print(" ".join(f"{t['labels']['job']}={t['health']}" for t in targets))
EOF
}
for _ in $(seq 1 60); do
    [[ "$(targets)" == "sentiment-stream=up" ]] && break
    sleep 1
done
[[ "$(targets)" == "sentiment-stream=up" ]] || fail "Prometheus' target is not up: $(targets)"
log "Prometheus scrapes the service (target sentiment-stream up)"
passed=true
log "compose file checked ($((SECONDS - start)) s)"
