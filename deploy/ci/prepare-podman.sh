#!/usr/bin/env bash
# CI preparation for the container checks (ContainerImageIT, deploy/ci/check-deploy.sh), run by .ci/run as root
# on a fresh Debian 12 machine. Idempotent: every step is skipped when its result is already there, so a second
# run takes about a second.
#   1. podman and runc from Debian (crun fails on these machines' hybrid cgroups), with a containers.conf drop-in:
#      runc as the runtime (so plain `podman`, and podman-compose, use it) and no default ulimits (podman's
#      defaults fail with "setrlimit ... Operation not permitted" here).
#   2. The JRE base image, under the name deploy/Dockerfile's FROM uses (ARG JRE_IMAGE): no image registry is
#      reachable from CI, so it is made from Debian packages (debootstrap minbase + openjdk-17-jre-headless,
#      apt caches and documentation removed) and imported. The Dockerfile itself is what users build with
#      Docker against the real eclipse-temurin image.
#   3. A stand-in for the compose file's Prometheus image, for the same reason: Debian's prometheus binary
#      (bookworm: 2.42) on that base, tagged with the compose file's image name. The compose file's scrape
#      configuration is the same for both versions.
# Prints the time of each step. Needs root for apt-get and /etc/containers.
set -euo pipefail
cd "$(dirname "$0")/../.."

step() { printf '[prepare-podman %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
timed() { # label command...: runs the command and prints how long it took
    local label=$1 start=$SECONDS
    shift
    "$@"
    step "$label: $((SECONDS - start)) s"
}

# The Debian mirror this machine's apt uses (deb822 sources first, then sources.list), else the default one.
debian_mirror() {
    local uri
    uri=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)\/\{0,1\} *$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    if [[ -z "$uri" ]]; then
        uri=$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\(http[^ ]*\/debian\)\/\{0,1\} .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -1)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

# An image name as podman stores it: docker.io/library/NAME:TAG for an official image, docker.io/OWNER/NAME:TAG
# for another Docker Hub one; a name that starts with a registry host (a dot or a port in it, or localhost) stays.
qualified() {
    local name=$1 first=${1%%/*}
    if [[ "$name" != */* ]]; then
        echo "docker.io/library/$name"
    elif [[ "$first" == *.* || "$first" == *:* || "$first" == localhost ]]; then
        echo "$name"
    else
        echo "docker.io/$name"
    fi
}

install_packages() {
    local missing=()
    for tool in podman runc debootstrap; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    if ((${#missing[@]})); then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >/dev/null
    fi
}

configure_podman() {
    local conf=/etc/containers/containers.conf.d/50-sentiment-stream-ci.conf
    [[ -f "$conf" ]] && return 0
    mkdir -p "$(dirname "$conf")"
    cat >"$conf" <<'EOF'
# Written by sentiment-stream's deploy/ci/prepare-podman.sh.
[containers]
default_ulimits = []

[engine]
runtime = "runc"
EOF
}

build_jre_image() {
    local image=$1 rootfs
    podman image exists "$image" && return 0
    rootfs=$(mktemp -d /var/tmp/sentiment-jre-rootfs.XXXXXX)
    debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$(debian_mirror)" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
        "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
    tar -C "$rootfs" -c . | podman import --quiet - "$image" >/dev/null
    rm -rf "$rootfs"
}

build_prometheus_image() {
    local image=$1 base=$2 work
    podman image exists "$image" && return 0
    work=$(mktemp -d /var/tmp/sentiment-prometheus.XXXXXX)
    chmod 755 "$work" # apt-get download runs as _apt where it can
    (cd "$work" && apt-get download -qq prometheus >/dev/null)
    dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
    cp "$work/root/usr/bin/prometheus" "$work/prometheus"
    cat >"$work/Containerfile" <<EOF
FROM $base
COPY prometheus /bin/prometheus
RUN mkdir -p /etc/prometheus /prometheus && chown nobody:nogroup /prometheus
USER nobody
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
    podman build --quiet --pull=never -t "$image" "$work" >/dev/null
    rm -rf "$work"
}

if [[ $(id -u) -ne 0 ]]; then
    echo "deploy/ci/prepare-podman.sh needs root (apt-get, /etc/containers)" >&2
    exit 1
fi
jre_image=$(qualified "$(sed -n 's/^ARG JRE_IMAGE=\(.*\)$/\1/p' deploy/Dockerfile | head -1)")
prometheus_image=$(qualified "$(sed -n 's/^ *image: *\(prom\/prometheus:[^ ]*\) *$/\1/p' deploy/docker-compose.yml | head -1)")
[[ "$jre_image" != docker.io/library/ ]] || { echo "no ARG JRE_IMAGE in deploy/Dockerfile" >&2; exit 1; }
[[ "$prometheus_image" != docker.io/ ]] || { echo "no prom/prometheus image in deploy/docker-compose.yml" >&2; exit 1; }

timed "podman, runc, debootstrap installed" install_packages
timed "podman configured (runc, no default ulimits)" configure_podman
timed "base image $jre_image" build_jre_image "$jre_image"
timed "Prometheus stand-in $prometheus_image" build_prometheus_image "$prometheus_image" "$jre_image"
podman --version
