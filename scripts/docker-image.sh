#!/bin/sh
# docker-image.sh: make sure a Docker engine answers, build the action's image
# from the real Dockerfile and check its size (at most 24 MiB: the metrics
# kind links the Prometheus parser and its protobuf types, 1.7 MiB).
#
#   scripts/docker-image.sh            # builds gonogo-action:e2e
#
# Environment:
#   IMAGE                 tag to build (gonogo-action:e2e)
#   VERSION               version stamped into the binaries (dev)
#   DOCKER_UP             command that starts an engine when none answers; it
#                         prints the pid it started, which goes to
#                         DOCKERD_PID_FILE so the caller can stop it
#   DOCKER_OFFLINE_BASES  command that prints the Dockerfile rewritten to use
#                         local stand-ins of the base images, for machines
#                         that cannot pull; the build then uses --network host
#                         so `go mod download` still reaches the module proxy
#   MAX_IMAGE_BYTES       size limit (25165824)
set -eu
IMAGE=${IMAGE:-gonogo-action:e2e}
VERSION=${VERSION:-dev}
MAX_IMAGE_BYTES=${MAX_IMAGE_BYTES:-25165824}
cd "$(dirname "$0")/.."

if ! docker info >/dev/null 2>&1; then
  if [ -z "${DOCKER_UP:-}" ]; then
    echo "docker-image.sh: no Docker engine answers; start one or set DOCKER_UP" >&2
    exit 2
  fi
  pid=$($DOCKER_UP)
  [ -n "$pid" ] && echo "$pid" > "${DOCKERD_PID_FILE:-/tmp/gonogo-dockerd.pid}"
fi

dockerfile=Dockerfile
network=
if [ -n "${DOCKER_OFFLINE_BASES:-}" ]; then
  dockerfile=Dockerfile.offline
  $DOCKER_OFFLINE_BASES Dockerfile > "$dockerfile"
  network="--network host"
fi

start=$(date +%s)
# shellcheck disable=SC2086 # network is one word or none
docker build $network -f "$dockerfile" --build-arg VERSION="$VERSION" -t "$IMAGE" . >&2
end=$(date +%s)

size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
echo "image $IMAGE: $size bytes ($((size / 1024)) KiB), built in $((end - start)) s"
docker run --rm --network none --entrypoint /bin/sh "$IMAGE" -c 'ls -l /usr/local/bin' >&2
if [ "$size" -gt "$MAX_IMAGE_BYTES" ]; then
  echo "docker-image.sh: image is $size bytes, over the $MAX_IMAGE_BYTES limit" >&2
  exit 1
fi
