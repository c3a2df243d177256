#!/usr/bin/env bash
# The image's HEALTHCHECK: healthy when GET /health/ready answers 200, i.e. Kafka Streams is RUNNING and the
# model is loaded. Needs only bash (its /dev/tcp) and coreutils' timeout, which every JRE base image has: no
# curl or wget in the image. The port is metrics.port as the environment sets it (SENTIMENT_METRICS_PORT,
# default 8080); a port set only in a properties file (`run -c FILE`) must be repeated in that variable.
# Exit status: 0 healthy, 1 not (Docker's convention).
set -u
port=${SENTIMENT_METRICS_PORT:-8080}
path=${1:-/health/ready}
if [[ ! "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    echo "metrics.port is $port: no fixed HTTP port to check" >&2
    exit 1
fi
status=$(timeout 4 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n" "$2" >&3
    IFS= read -r line <&3 && printf "%s" "$line"
' healthcheck "$port" "$path" 2>/dev/null)
if [[ "$status" =~ ^HTTP/1\.[01]\ 200 ]]; then
    exit 0
fi
echo "GET $path on port $port: ${status:-no answer}" >&2
exit 1
